"""ALTER STREAM|TABLE ... ADD COLUMN: value columns added to a declared source, ksqlDB 0.29's refusals."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ksqlserver.config import EngineConfig
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine
from ksqlserver.errors import KsqlError


@pytest.fixture
def engine() -> Iterator[Engine]:
    config = EngineConfig(
        synchronous=True,
        processing_log=False,
        command_topic=False,
        properties={"ksql.streams.auto.offset.reset": "earliest"},
    )
    e = Engine(config, MemoryDriver())
    e.execute("CREATE STREAM s (id INT KEY, a INT) WITH (kafka_topic='s', partitions=1, value_format='JSON');")
    yield e
    e.close()


def _fields(engine: Engine, name: str) -> list[tuple[str, str]]:
    desc = engine.execute(f"DESCRIBE {name};")[0]["sourceDescription"]
    return [(f["name"], f["schema"]["type"]) for f in desc["fields"]]


def test_added_columns_are_read_by_later_statements(engine: Engine) -> None:
    [entity] = engine.execute("ALTER STREAM s ADD COLUMN b STRING, ADD c ARRAY<INT>;")
    assert entity["commandId"] == "stream/S/alter"
    assert entity["commandStatus"]["message"] == "Stream S altered."
    assert _fields(engine, "s") == [("ID", "INTEGER"), ("A", "INTEGER"), ("B", "STRING"), ("C", "ARRAY")]
    engine.execute("INSERT INTO s (id, a, b) VALUES (1, 2, 'x');")
    engine.execute("CREATE STREAM out AS SELECT id, b FROM s;")
    engine.drain()
    assert [r.value for r in engine.driver.records("OUT")] == [b'{"B":"x"}']


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("ALTER STREAM nope ADD COLUMN b INT;", "Source NOPE does not exist."),
        ("ALTER TABLE s ADD COLUMN b INT;", "Incompatible data source type is STREAM, but statement was ALTER TABLE"),
        ("ALTER STREAM s ADD COLUMN a INT;", "Cannot add column `A` to schema. A column with the same name already exists."),
    ],
)
def test_refusals(engine: Engine, sql: str, message: str) -> None:
    with pytest.raises(KsqlError) as e:
        engine.execute(sql)
    assert e.value.message == message


def test_sinks_and_source_streams_cannot_be_altered(engine: Engine) -> None:
    engine.execute("CREATE STREAM sink AS SELECT * FROM s;")
    with pytest.raises(KsqlError, match=r"ALTER command is not supported for CREATE \.\.\. AS statements\."):
        engine.execute("ALTER STREAM sink ADD COLUMN b INT;")
    engine.execute("CREATE SOURCE STREAM ro (id INT KEY) WITH (kafka_topic='ro', partitions=1, value_format='JSON');")
    with pytest.raises(KsqlError) as e:
        engine.execute("ALTER STREAM ro ADD COLUMN b INT;")
    assert e.value.message == "Cannot alter stream 'RO': ALTER operations are not supported on source streams."


def test_alter_system_needs_shared_runtimes(engine: Engine) -> None:
    with pytest.raises(KsqlError) as e:
        engine.execute("ALTER SYSTEM 'auto.offset.reset'='earliest';")
    # DistributingExecutor wraps ValidatedCommandFactory's refusal (ErrorMessageUtil wraps the cause at 80)
    assert e.value.message == (
        "Could not write the statement 'ALTER SYSTEM 'auto.offset.reset'='earliest';' into the command topic.\n"
        "Caused by: Cannot alter system configs when KSQL_SHARED_RUNTIME_ENABLED is\n\tturned off."
    )
    assert e.value.error_code == 50000
    assert e.value.statement_text == "ALTER SYSTEM 'auto.offset.reset'='earliest';"
