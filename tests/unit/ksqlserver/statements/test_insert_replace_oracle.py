"""INSERT INTO and CREATE OR REPLACE as ksqlDB 0.29 answered generated cases (the oracle built from source,
session 32): its words and the order of its checks.

Followed: StructuredDataSource.canUpgradeTo / getCompatMessage (the source's name is a SourceName, printed
escaped), WindowInfo.toString, QueryIdUtil.buildId (the sink's SourceName), EngineContext.prepare (what
AstSanitizer refuses comes back as "Exception while preparing statement: ..."), SchemaKTable.into ("Can't
change windowing", met building the physical plan before EngineExecutor.validateExistingSink),
SchemaRegisterInjector (a CREATE ... AS SELECT refused while it plans in its sandbox) and
MutableAggregateAnalysis.addAggFunction (repeated aggregate calls are listed twice)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.errors import KsqlError

PREPARING = "Exception while preparing statement: "


@pytest.fixture
def engine() -> Iterator[Engine]:
    d = MemoryDriver()
    d.create_topic("input", partitions=1)
    e = Engine(EngineConfig(service_id="x_", synchronous=True, properties={"auto.offset.reset": "earliest"}), d)
    e.execute("CREATE STREAM A (ID INT KEY, V INT, W STRING) WITH (KAFKA_TOPIC='input', VALUE_FORMAT='JSON');")
    yield e
    e.close()


def _error(e: Engine, statement: str) -> str:
    """The error's `message`: the text the REST API answers."""
    with pytest.raises(KsqlError) as info:
        e.execute(statement)
    return info.value.message


def test_upgrade_issues_name_the_source_escaped(engine: Engine) -> None:
    msg = _error(engine, "CREATE OR REPLACE STREAM A (ID INT KEY, V BIGINT, W STRING) WITH (KAFKA_TOPIC='input', VALUE_FORMAT='JSON');")
    assert msg.startswith(
        "Cannot upgrade data source: DataSource '`A`' has schema = `ID` INTEGER KEY, `V` INTEGER, `W` STRING "
        "which is not upgradeable to `ID` INTEGER KEY, `V` BIGINT, `W` STRING."
    )


def test_a_changed_window_prints_window_info_as_java(engine: Engine) -> None:
    engine.execute("CREATE TABLE T AS SELECT ID, COUNT(*) AS C FROM A WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY ID;")
    msg = _error(engine, "CREATE OR REPLACE TABLE T AS SELECT ID, COUNT(*) AS C FROM A WINDOW SESSION (1 SECOND) GROUP BY ID;")
    assert "window=Optional[WindowInfo{type=TUMBLING, size=Optional[1000], emitStrategy=CHANGES}]" in msg
    assert "window=Optional[WindowInfo{type=SESSION, size=Optional.empty, emitStrategy=CHANGES}]" in msg


def test_several_writers_name_the_sink_escaped(engine: Engine) -> None:
    engine.execute("CREATE STREAM B AS SELECT * FROM A;")
    engine.execute("INSERT INTO B SELECT * FROM A;")
    msg = _error(engine, "CREATE OR REPLACE STREAM B AS SELECT * FROM A WHERE V > 0;")
    # refused while SchemaRegisterInjector plans it, so prefixed (observed on ksqlDB 0.29's REST server)
    assert msg.startswith(
        "Could not determine output schema for query due to error: REPLACE for sink `B` is not supported because "
        "there are multiple queries writing into it: "
    )


def test_a_repeated_aggregate_call_counts_twice_in_an_upgrade(engine: Engine) -> None:
    engine.execute("CREATE TABLE T AS SELECT ID, COUNT(*) AS C FROM A GROUP BY ID;")
    msg = _error(engine, "CREATE OR REPLACE TABLE T AS SELECT ID, COUNT(*) AS C, COUNT(*) * 2 AS C2 FROM A GROUP BY ID;")
    assert msg.startswith(
        "Query is not upgradeable. Plan step of type StreamAggregate must have matching aggregate functions. "
        "Values differ: [COUNT(ROWTIME)] vs. [COUNT(ROWTIME), COUNT(ROWTIME)]"
    )


def test_a_csas_of_a_name_created_earlier_in_the_request_is_an_output_schema_error(engine: Engine) -> None:
    msg = _error(engine, "CREATE STREAM B AS SELECT * FROM A; CREATE STREAM B AS SELECT ID, V FROM A;")
    assert msg.startswith(
        "Could not determine output schema for query due to error: Cannot add stream 'B': A stream with the same "
        "name already exists"
    )


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("CREATE TABLE T (ID INT PRIMARY KEY, V INT, W STRING) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON', PARTITIONS=1);",
         PREPARING + "INSERT INTO can only be used to insert into a stream. T is a table."),
        ("CREATE STREAM T (ID INT KEY, V INT, W STRING, H ARRAY<STRUCT<KEY STRING, VALUE BYTES>> HEADERS) "
         "WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON', PARTITIONS=1);",
         PREPARING + "Cannot insert into T because it has header columns"),
        (None, PREPARING + "Line: 1, Col: 13: Source `T` does not exist."),
    ],
)
def test_insert_into_target_checks_are_preparation_errors(engine: Engine, target: str | None, message: str) -> None:
    if target is not None:
        engine.execute(target)
    assert _error(engine, "INSERT INTO T SELECT * FROM A;").startswith(message)


def test_a_windowed_aggregate_into_a_plain_stream_cannot_change_windowing(engine: Engine) -> None:
    engine.execute("CREATE STREAM T (ID INT KEY, C BIGINT) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON', PARTITIONS=1);")
    msg = _error(engine, "INSERT INTO T SELECT ID, COUNT(*) AS C FROM A WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY ID;")
    assert msg.startswith("Can't change windowing")
    # an unwindowed aggregation reaches validateExistingSink
    msg = _error(engine, "INSERT INTO T SELECT ID, COUNT(*) AS C FROM A GROUP BY ID;")
    assert msg.startswith("Incompatible data sink and query result. Data sink (T) type is KSTREAM but select query")


def test_an_aggregate_call_in_insert_values_is_an_unknown_function(engine: Engine) -> None:
    """GenericExpressionResolver compiles the value as a scalar expression (CodeGenRunner)."""
    msg = _error(engine, "INSERT INTO A (ID, V) VALUES (1, COUNT(*));")
    assert msg.startswith("Failed to insert values into 'A'. Invalid insert value: Can't find any functions with the name 'COUNT'.")
