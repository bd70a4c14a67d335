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
        "[CSAS_B_3, INSERTQUERY_5]"
    )


def test_a_sink_with_one_writer_is_replaced_in_place(engine: Engine) -> None:
    engine.execute("CREATE STREAM B AS SELECT * FROM A;")
    out = engine.execute("CREATE OR REPLACE STREAM B AS SELECT ID, V, W, V + 1 AS X FROM A WHERE V > 0;")
    assert "Created query with ID CSAS_B_3" in str(out)


def test_replacing_a_stream_by_a_table_is_a_type_that_is_not_upgradeable(engine: Engine) -> None:
    msg = _error(
        engine,
        "CREATE OR REPLACE TABLE A (ID INT PRIMARY KEY, V INT, W STRING) WITH (KAFKA_TOPIC='input', "
        "VALUE_FORMAT='JSON');",
    )
    assert msg.startswith("Cannot upgrade data source: DataSource '`A`' has type = KSTREAM which is not upgradeable to KTABLE")
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


def test_partition_by_the_key_adds_no_step_and_qualifiers_do_not_matter(engine: Engine) -> None:
    """Repartitioning.repartitionNeeded: PARTITION BY the existing key is no StreamSelectKey step; the
    step's key expressions are the analysis' ones, unqualified for a single source."""
    engine.execute("CREATE STREAM B AS SELECT * FROM A;")
    engine.execute("CREATE OR REPLACE STREAM B AS SELECT * FROM A PARTITION BY ID;")
    engine.execute("CREATE STREAM C AS SELECT * FROM A PARTITION BY V;")
    engine.execute("CREATE OR REPLACE STREAM C AS SELECT * FROM A PARTITION BY A.V;")



def test_a_group_by_step_compares_unqualified_expressions(engine: Engine) -> None:
    """StreamGroupBy's group by clause holds the analysis' expressions: `A.V` and `V` are one grouping."""
    engine.execute("CREATE TABLE T AS SELECT V, COUNT(*) AS C FROM A GROUP BY V;")
    engine.execute("CREATE OR REPLACE TABLE T AS SELECT A.V, COUNT(*) AS C FROM A GROUP BY A.V;")
    msg = _error(engine, "CREATE OR REPLACE TABLE T AS SELECT V + 1 AS V, COUNT(*) AS C FROM A GROUP BY V + 1;")
    assert msg.startswith("Query is not upgradeable. Plan step of type StreamGroupBy must have matching group by clause.")
    assert "Values differ: [V] vs. [(V + 1)]" in msg


def test_a_source_stream_cannot_be_replaced_by_a_query(engine: Engine) -> None:
    """EngineExecutor.execute: a read-only sink is refused before the DDL's upgrade check."""
    engine.execute("CREATE SOURCE STREAM X (ID INT KEY, V INT) WITH (KAFKA_TOPIC='input', VALUE_FORMAT='JSON');")
    msg = _error(engine, "CREATE OR REPLACE STREAM X AS SELECT ID, V FROM A;")
    assert msg.startswith("Cannot insert into read-only stream: X")


def test_source_walk_messages(engine: Engine) -> None:
    """StreamSource.validateUpgrade: a join in place of the source, or a re-keying step that was not there
    (ExecutionStep.type: 'Upgrades not yet supported'), are refused with ksqlDB's words."""
    engine.execute("CREATE STREAM A2 (ID INT KEY, X INT) WITH (KAFKA_TOPIC='input', VALUE_FORMAT='JSON');")
    engine.execute("CREATE STREAM B AS SELECT * FROM A;")
    msg = _error(
        engine,
        "CREATE OR REPLACE STREAM B AS SELECT A.ID AS ID, A.V AS V, A.W AS W FROM A JOIN A2 WITHIN 1 SECOND "
        "ON A.ID = A2.ID;",
    )
    assert msg.startswith("Query is not upgradeable. Cannot change a non-join source into a join source.")
    msg = _error(engine, "CREATE OR REPLACE STREAM B AS SELECT V AS ID, ID AS V, W FROM A PARTITION BY V;")
    assert msg.startswith("Upgrades not yet supported for StreamSelectKey")
