"""CREATE OR REPLACE: which replacements ksqlDB 0.29 accepts and its words for the others.

Rules followed: QueryIdUtil.buildId (the one query writing a sink is the one replaced; several writers
refuse), MetaStoreImpl.putSource / StructuredDataSource.canUpgradeTo (a source of the other kind is an
upgrade issue, not a name clash), StreamAggregate.validateUpgrade with AggregateAnalyzer's required columns
and AggregateNode's internal aggregate calls."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.errors import KsqlError


@pytest.fixture
def engine() -> Iterator[Engine]:
    d = MemoryDriver()
    d.create_topic("input", partitions=1)
    e = Engine(EngineConfig(service_id="x_", synchronous=True, properties={"auto.offset.reset": "earliest"}), d)
    e.execute("CREATE STREAM A (ID INT KEY, V INT, W STRING) WITH (KAFKA_TOPIC='input', VALUE_FORMAT='JSON');")
    yield e
    e.close()


def _error(e: Engine, statement: str) -> str:
    with pytest.raises(KsqlError) as info:
        e.execute(statement)
    return str(info.value)


def test_a_sink_with_several_writers_cannot_be_replaced(engine: Engine) -> None:
    engine.execute("CREATE STREAM B AS SELECT * FROM A;")
    engine.execute("INSERT INTO B SELECT * FROM A;")
    msg = _error(engine, "CREATE OR REPLACE STREAM B AS SELECT * FROM A WHERE V > 0;")
    assert msg.startswith(
        "REPLACE for sink B is not supported because there are multiple queries writing into it: "
        "[CSAS_B_0, INSERTQUERY_1]"
    )


def test_a_sink_with_one_writer_is_replaced_in_place(engine: Engine) -> None:
    engine.execute("CREATE STREAM B AS SELECT * FROM A;")
    out = engine.execute("CREATE OR REPLACE STREAM B AS SELECT ID, V, W, V + 1 AS X FROM A WHERE V > 0;")
    assert "Created query with ID CSAS_B_0" in str(out)


def test_replacing_a_stream_by_a_table_is_a_type_that_is_not_upgradeable(engine: Engine) -> None:
    msg = _error(
        engine,
        "CREATE OR REPLACE TABLE A (ID INT PRIMARY KEY, V INT, W STRING) WITH (KAFKA_TOPIC='input', "
        "VALUE_FORMAT='JSON');",
    )
    assert msg.startswith("Cannot upgrade data source: DataSource 'A' has type = KSTREAM which is not upgradeable to KTABLE")
    # without OR REPLACE it stays a name clash
    msg = _error(engine, "CREATE TABLE A (ID INT PRIMARY KEY, V INT) WITH (KAFKA_TOPIC='input', VALUE_FORMAT='JSON');")
    assert msg.startswith("Cannot add table 'A': A stream with the same name already exists")


def test_aggregate_upgrade_compares_the_columns_it_reads(engine: Engine) -> None:
    engine.execute("CREATE TABLE T AS SELECT ID, COUNT(*) AS C FROM A GROUP BY ID;")
    # a WHERE on a column the aggregation did not read changes its input columns
    msg = _error(engine, "CREATE OR REPLACE TABLE T AS SELECT ID, COUNT(*) AS C FROM A WHERE V > 1 GROUP BY ID;")
    assert msg.startswith(
        "Query is not upgradeable. Plan step of type StreamAggregate must have matching columns not part of "
        "aggregate. Values differ: [`ID`, `ROWTIME`] vs. [`ID`, `ROWTIME`, `V`]"
    )
    # one on a column it reads already, or a new constant column, is a passive change
    engine.execute("CREATE OR REPLACE TABLE T AS SELECT ID, COUNT(*) AS C FROM A WHERE ID > 1 GROUP BY ID;")
    engine.execute("CREATE OR REPLACE TABLE T AS SELECT ID, COUNT(*) AS C, 1 AS X FROM A WHERE ID > 1 GROUP BY ID;")


def test_aggregate_upgrade_compares_the_internal_calls(engine: Engine) -> None:
    engine.execute("CREATE TABLE T AS SELECT ID, SUM(V) AS S FROM A GROUP BY ID;")
    msg = _error(engine, "CREATE OR REPLACE TABLE T AS SELECT ID, MAX(V) AS S FROM A GROUP BY ID;")
    assert msg.startswith(
        "Query is not upgradeable. Plan step of type StreamAggregate must have matching aggregate functions. "
        "Values differ: [SUM(V)] vs. [MAX(V)]"
    )
