"""Where ksqlDB 0.29 refuses a persistent query over a windowed table: PushQueryValidator, which
QueryAnalyzer.analyze runs after the Analyzer (its join checks and ColumnReferenceValidator) and before the
logical plan (LogicalPlanner: expression types, aggregations, key checks)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.errors import KsqlError

# QueryAnalyzer runs while SchemaRegisterInjector's sandbox plans the statement: its prefix goes first
REFUSED = "Could not determine output schema for query due to error: KSQL does not support persistent queries on windowed tables."


@pytest.fixture
def engine() -> Iterator[Engine]:
    e = Engine(
        EngineConfig(service_id="t_", synchronous=True, processing_log=False, command_topic=False), MemoryDriver()
    )
    e.execute(
        "CREATE STREAM S (ID INT KEY, V INT, N STRING) WITH (KAFKA_TOPIC='s', PARTITIONS=1, VALUE_FORMAT='JSON');"
        "CREATE TABLE W AS SELECT ID, COUNT(*) AS C FROM S WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY ID;"
        "CREATE TABLE W2 AS SELECT ID, COUNT(*) AS D FROM S WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY ID;"
    )
    yield e
    e.close()


def error(engine: Engine, sql: str) -> str:
    with pytest.raises(KsqlError) as e:
        engine.execute(sql)
    return e.value.message


def test_the_analyzers_column_checks_come_first(engine: Engine) -> None:
    """ColumnReferenceValidator (the Analyzer) before PushQueryValidator."""
    assert "SELECT column 'NOPE' cannot be resolved." in error(engine, "CREATE TABLE X AS SELECT ID, NOPE FROM W;")
    assert "WHERE column 'NOPE' cannot be resolved." in error(engine, "CREATE TABLE X AS SELECT * FROM W WHERE NOPE > 1;")
    msg = error(engine, "CREATE TABLE X AS SELECT * FROM W JOIN W2 ON W.ID = W2.NOPE;")
    assert "cannot be resolved" in msg and REFUSED not in msg


def test_the_refusal_comes_before_the_logical_plans_errors(engine: Engine) -> None:
    """Typing the projection (LogicalPlanner) comes after PushQueryValidator."""
    assert error(engine, "CREATE TABLE X AS SELECT ID, C + 'a' AS Z FROM W;") == REFUSED
    assert error(engine, "CREATE TABLE X AS SELECT ID, WINDOWSTART AS WS, C FROM W;") == REFUSED
    assert error(engine, "CREATE TABLE X AS SELECT * FROM W JOIN W2 ON W.ID = W2.ID;") == REFUSED

