"""ksqlDB 0.29's CreateSourceFactoryTest and DdlCommandExecTest (ksqldb-engine, io.confluent.ksql.ddl.commands):
CREATE STREAM/TABLE's checks and the sources they register, through the Engine (KsqlEngine alone, without the
REST server's injectors, where a message is the factory's own)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:  # the fixture's helper (conftest is not importable under --import-mode=importlib)
    from conftest import Ksql

_WITH = "KAFKA_TOPIC='some-topic', VALUE_FORMAT='JSON'"


@pytest.fixture
def ddl(make_ksql: Callable[..., Ksql]) -> Ksql:
    k = make_ksql(topic_injector=False)
    k.engine.driver.create_topic("some-topic", partitions=1)
    return k


@pytest.mark.parametrize("kind", ["STREAM", "TABLE"])
def test_no_elements(ddl: Ksql, kind: str) -> None:
    """shouldThrowOnNoElementsInCreateStream / ...Table (no Schema Registry format to infer them from)."""
    assert "The statement does not define any columns." in ddl.message(f"CREATE {kind} BOB WITH ({_WITH});")


def test_topic_does_not_exist(ddl: Ksql) -> None:
    """shouldThrowIfTopicDoesNotExistForStream."""
    msg = ddl.message("CREATE STREAM BOB (K INT KEY, V INT) WITH (KAFKA_TOPIC='nope', VALUE_FORMAT='JSON');")
    assert "Kafka topic does not exist: nope" in msg


def test_timestamp_column_does_not_exist(ddl: Ksql) -> None:
    """shouldThrowIfTimestampColumnDoesNotExistForStream."""
    msg = ddl.message(f"CREATE STREAM BOB (K INT KEY, V INT) WITH ({_WITH}, TIMESTAMP='`will-not-find-me`');")
    assert (
        "The TIMESTAMP column set in the WITH clause does not exist in the schema: 'will-not-find-me'" in msg
    )


@pytest.mark.parametrize(
    ("config", "with_", "unwrapped"),
    [
        # shouldCreateStreamCommandWithSingleValueWrappingFromPropertiesNotConfig
        ({"ksql.persistence.wrap.single.values": "true"}, ", WRAP_SINGLE_VALUE=false", True),
        # shouldCreateStreamCommandWithSingleValueWrappingFromConfig
        ({"ksql.persistence.wrap.single.values": "false"}, "", True),
        # shouldCreateStreamCommandWithSingleValueWrappingFromDefaultConfig
        ({}, "", False),
    ],
)
@pytest.mark.parametrize("kind", ["STREAM", "TABLE"])
def test_single_value_wrapping(
    make_ksql: Callable[..., Ksql], config: dict[str, str], with_: str, unwrapped: bool, kind: str
) -> None:
    """CreateSourceFactoryTest.shouldCreate{Stream,Table}CommandWithSingleValueWrapping*: WRAP_SINGLE_VALUE
    in the WITH clause, else ksql.persistence.wrap.single.values, else the format's default (no feature)."""
    ksql = make_ksql(**config)
    ksql.engine.driver.create_topic("some-topic", partitions=1)
    key = "PRIMARY KEY" if kind == "TABLE" else "KEY"
    ksql.execute(f"CREATE {kind} BOB (K INT {key}, V INT) WITH ({_WITH}{with_});")
    features = set(ksql.source("BOB").value_features)
    assert ("UNWRAP_SINGLES" in features) == unwrapped


@pytest.mark.parametrize(
    ("with_", "window"),
    [
        ("WINDOW_TYPE='session'", ("SESSION", None)),  # shouldHandleSessionWindowedKeyForStream
        ("WINDOW_TYPE='tumbling', WINDOW_SIZE='1 MINUTE'", ("TUMBLING", 60_000)),  # ...Tumbling...
        ("WINDOW_TYPE='Hopping', WINDOW_SIZE='2 SECONDS'", ("HOPPING", 2_000)),  # ...Hopping...
    ],
)
def test_windowed_keys(ddl: Ksql, with_: str, window: tuple[str, int | None]) -> None:
    """CreateSourceFactoryTest.shouldHandle*WindowedKeyForStream / DdlCommandExecTest.shouldAddStreamWith
    CorrectWindowInfo."""
    ddl.execute(f"CREATE STREAM BOB (K INT KEY, V INT) WITH ({_WITH}, {with_});")
    w = ddl.source("BOB").window
    assert w is not None and (w.kind, w.size_ms) == window


def test_default_key_format(ddl: Ksql) -> None:
    """shouldDefaultToKafkaKeySerdeForStream."""
    ddl.execute(f"CREATE STREAM BOB (K INT KEY, V INT) WITH ({_WITH});")
    assert ddl.source("BOB").key_format == "KAFKA"


@pytest.mark.parametrize(
    ("column", "name"),
    [
        ("ROWTIME BIGINT", "ROWTIME"),  # shouldThrowOnRowTimeValueColumn
        ("ROWTIME BIGINT KEY", "ROWTIME"),  # shouldThrowOnRowTimeKeyColumn
        ("WINDOWSTART BIGINT", "WINDOWSTART"),  # shouldThrowOnWindowStartValueColumn
        ("WINDOWEND BIGINT", "WINDOWEND"),  # shouldThrowOnWindowEndValueColumn
    ],
)
def test_reserved_column_names(ddl: Ksql, column: str, name: str) -> None:
    """CreateSourceFactoryTest.shouldThrowOn*Column."""
    assert f"'{name}' is a reserved column name." in ddl.message(
        f"CREATE STREAM BOB ({column}) WITH ({_WITH});"
    )


@pytest.mark.parametrize(
    "column",
    [
        "ROWKEY STRING KEY",  # shouldNotThrowOnRowKeyKeyColumn
        "K BIGINT KEY",  # shouldAllowNonStringKeyColumn
        "K STRING KEY",  # shouldNotThrowOnKeyColumnThatIsNotCalledRowKey
    ],
)
def test_key_columns(ddl: Ksql, column: str) -> None:
    """CreateSourceFactoryTest: any name and type of key column (KAFKA supports a single primitive)."""
    ddl.execute(f"CREATE STREAM BOB ({column}, V INT) WITH ({_WITH});")
    name, type_, _ = column.split()
    assert ddl.schema("BOB").startswith(f"`{name}` {type_} KEY")


def test_table_needs_primary_key(ddl: Ksql) -> None:
    """shouldThrowIfTableIsMissingPrimaryKey."""
    msg = ddl.message(f"CREATE TABLE BOB (V INT) WITH ({_WITH});")
    assert "Tables require a PRIMARY KEY. Please define the PRIMARY KEY." in msg


@pytest.mark.parametrize(("kind", "key"), [("STREAM", "KEY"), ("TABLE", "PRIMARY KEY")])
def test_exists(ddl: Ksql, kind: str, key: str) -> None:
    """shouldThrowIfStreamExists / shouldThrowIfTableExists / shouldNotThrowOnCreate{Stream,Table}IfNotExistsIsSet
    / DdlCommandExecTest.shouldAddStreamWithReplace."""
    ddl.execute(f"CREATE {kind} BOB (K INT {key}, V INT) WITH ({_WITH});")
    what = kind.lower()
    msg = ddl.message(f"CREATE {kind} BOB (K INT {key}, V INT) WITH ({_WITH});")
    assert f"Cannot add {what} 'BOB': A {what} with the same name already exists" in msg
    ddl.execute(f"CREATE {kind} IF NOT EXISTS BOB (K INT {key}, V INT) WITH ({_WITH});")
    ddl.execute(f"CREATE OR REPLACE {kind} BOB (K INT {key}, V INT, W INT) WITH ({_WITH});")
    assert ddl.schema("BOB").endswith("`V` INTEGER, `W` INTEGER")


@pytest.mark.parametrize(("kind", "key"), [("STREAM", "KEY"), ("TABLE", "PRIMARY KEY")])
def test_replace_source(ddl: Ksql, kind: str, key: str) -> None:
    """shouldThrowInCreateStreamOrReplaceSource / shouldThrowInCreateTableOrReplaceSource /
    shouldThrowInCreateStreamOrReplaceOnSourceStreams / shouldThrowInCreateStreamOrReplaceOnSourceTables."""
    what = kind.lower()
    expected = f"Cannot add {what} 'BOB': CREATE OR REPLACE is not supported on source {what}s."
    assert expected in ddl.message(
        f"CREATE OR REPLACE SOURCE {kind} BOB (K INT {key}, V INT) WITH ({_WITH});"
    )
    ddl.execute(f"CREATE SOURCE {kind} BOB (K INT {key}, V INT) WITH ({_WITH});")
    assert expected in ddl.message(f"CREATE OR REPLACE {kind} BOB (K INT {key}, V INT) WITH ({_WITH});")


def test_source_stream_is_read_only(ddl: Ksql) -> None:
    """shouldCreateCommandForCreateSourceStream / DdlCommandExecTest.shouldAddSourceStream: a SOURCE stream
    is registered read-only (no INSERT INTO)."""
    ddl.execute(f"CREATE SOURCE STREAM BOB (K INT KEY, V INT) WITH ({_WITH});")
    assert ddl.source("BOB").is_source
    ddl.execute(f"CREATE STREAM NORMAL (K INT KEY, V INT) WITH ({_WITH});")
    assert not ddl.source("NORMAL").is_source  # shouldAddNormalStreamWhenNoTypeIsSpecified
    assert "Cannot insert into read-only stream: BOB" in ddl.message("INSERT INTO BOB SELECT * FROM NORMAL;")


@pytest.mark.parametrize(("kind", "key"), [("STREAM", "KEY"), ("TABLE", "PRIMARY KEY")])
def test_drop_with_readers(ddl: Ksql, kind: str, key: str) -> None:
    """DdlCommandExecTest.shouldThrowOnDropStreamWhenConstraintExist / shouldThrowOnDropTableWhenConstraint
    Exist: the readers listed in order."""
    ddl.execute(f"CREATE {kind} S1 (K INT {key}, V INT) WITH ({_WITH});")
    ddl.execute(f"CREATE {kind} S2 AS SELECT * FROM S1;")
    ddl.execute(f"CREATE {kind} S3 AS SELECT * FROM S1;")
    msg = ddl.message(f"DROP {kind} S1;")
    assert "Cannot drop S1." in msg
    assert "The following streams and/or tables read from this source: [S2, S3]." in msg
    assert "You need to drop them before dropping S1." in msg


# --- DdlCommandExecTest (ALTER, types), AlterSourceFactoryTest, DropSourceFactoryTest ----------------------


def test_alter_stream_and_table(ddl: Ksql) -> None:
    """DdlCommandExecTest.shouldAlterStream / shouldAlterTable: new value columns at the end."""
    ddl.execute(f"CREATE STREAM S1 (K INT KEY, V INT) WITH ({_WITH});")
    ddl.execute("ALTER STREAM S1 ADD COLUMN W STRING, ADD COLUMN X BIGINT;")
    assert ddl.schema("S1") == "`K` INTEGER KEY, `V` INTEGER, `W` STRING, `X` BIGINT"
    ddl.execute(f"CREATE TABLE T1 (K INT PRIMARY KEY, V INT) WITH ({_WITH});")
    ddl.execute("ALTER TABLE T1 ADD COLUMN W STRING;")
    assert ddl.schema("T1") == "`K` INTEGER PRIMARY KEY, `V` INTEGER, `W` STRING"


@pytest.mark.parametrize(
    ("setup", "sql", "expected"),
    [
        # shouldThrowOnAlterMissingSource
        ("", "ALTER STREAM S1 ADD COLUMN W STRING;", "Source S1 does not exist."),
        # shouldThrowOnMismatchedDatasourceType
        (f"CREATE STREAM S1 (K INT KEY, V INT) WITH ({_WITH});", "ALTER TABLE S1 ADD COLUMN W STRING;",
         "Incompatible data source type is STREAM, but statement was ALTER TABLE"),
        # shouldThrowOnAlterCAS
        ("CREATE STREAM S1 AS SELECT * FROM TEST1;", "ALTER STREAM S1 ADD COLUMN W STRING;",
         "ALTER command is not supported for CREATE ... AS statements."),
        # shouldThrowOnAddExistingColumn
        (f"CREATE STREAM S1 (K INT KEY, V INT) WITH ({_WITH});", "ALTER STREAM S1 ADD COLUMN V STRING;",
         "Cannot add column `V` to schema. A column with the same name already exists."),
        # AlterSourceFactoryTest.shouldThrowInAlterOnSourceStream / ...SourceTable
        (f"CREATE SOURCE STREAM S1 (K INT KEY, V INT) WITH ({_WITH});", "ALTER STREAM S1 ADD COLUMN W STRING;",
         "Cannot alter stream 'S1': ALTER operations are not supported on source streams."),
        (f"CREATE SOURCE TABLE S1 (K INT PRIMARY KEY, V INT) WITH ({_WITH});", "ALTER TABLE S1 ADD COLUMN W STRING;",
         "Cannot alter table 'S1': ALTER operations are not supported on source tables."),
        # DropSourceFactoryTest.shouldFailDropSourceOnDropIncompatibleSourceForStream
        ("", "DROP STREAM TEST2;", "Incompatible data source type is table"),
        # DropSourceFactoryTest.shouldFailDeleteTopicForSourceStream / ...Table
        (f"CREATE SOURCE STREAM S1 (K INT KEY, V INT) WITH ({_WITH});", "DROP STREAM S1 DELETE TOPIC;",
         "Cannot delete topic for read-only source: S1"),
        (f"CREATE SOURCE TABLE S1 (K INT PRIMARY KEY, V INT) WITH ({_WITH});", "DROP TABLE S1 DELETE TOPIC;",
         "Cannot delete topic for read-only source: S1"),
        # DropSourceFactoryTest: a missing source
        ("", "DROP STREAM BOB;", "Stream BOB does not exist."),
        ("", "DROP TABLE BOB;", "Table BOB does not exist."),
    ],
)  # fmt: skip
def test_alter_and_drop_refusals(ddl: Ksql, setup: str, sql: str, expected: str) -> None:
    """DdlCommandExec.executeAlterSource / AlterSourceFactory / DropSourceFactory."""
    if setup:
        ddl.execute(setup)
    assert expected in ddl.message(sql)


def test_types(ddl: Ksql) -> None:
    """DdlCommandExecTest.shouldRegisterType / shouldNotRegisterExistingType / shouldDropExistingType /
    shouldDropMissingType, as the statements' status messages."""
    out = ddl.execute("CREATE TYPE ADDR AS STRUCT<NUMBER INT, STREET STRING>;")
    assert out[0]["commandStatus"]["message"] == (
        "Registered custom type with name 'ADDR' and SQL type STRUCT<`NUMBER` INTEGER, `STREET` STRING>"
    )
    out = ddl.execute("CREATE TYPE IF NOT EXISTS ADDR AS STRING;")
    assert out[0]["commandStatus"]["message"] == (
        "ADDR is already registered with type STRUCT<`NUMBER` INTEGER, `STREET` STRING>"
    )
    out = ddl.execute("DROP TYPE ADDR;")
    assert out[0]["commandStatus"]["message"] == "Dropped type 'ADDR'"
