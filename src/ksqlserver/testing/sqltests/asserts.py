"""The test-only asserts (ksqlDB's AssertExecutor): ASSERT VALUES / ASSERT NULL VALUES read a source's
records in order and compare the next one; ASSERT STREAM / ASSERT TABLE compare a source's definition."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ksqlserver.catalog.casts import java_string
from ksqlserver.catalog.metastore import DataSource
from ksqlserver.catalog.types import BIGINT, HEADER, KEY, STRING, VALUE, Column, SqlType, ast_type
from ksqlserver.console.tabular import tabular_row
from ksqlserver.drivers.base import Record
from ksqlserver.errors import KsqlError, KsqlStatementError
from ksqlserver.runtime.operators.windows import split_windowed_key
from ksqlserver.sql import ast
from ksqlserver.statements.inserts import build_record
from ksqlserver.statements.state import EngineState
from ksqlserver.testing.sqltests.errors import NullPointer, SqlTestError, TestAssertionError

_WIDTH = 80  # TabularRow.createHeader / createRow(80, ...)


@dataclass(frozen=True)
class GenericRecord:
    """KsqlGenericRecord: key values, value values (None: a tombstone), timestamp."""

    key: list[Any]
    value: list[Any] | None
    ts: int


class RecordCursor:
    """TestDriverPipeline's per-topic read positions: each assert reads the next record of its topic."""

    def __init__(self) -> None:
        self.positions: dict[str, int] = {}

    def next(self, records: Sequence[Record], topic: str) -> Record | None:
        idx = self.positions.get(topic, 0)
        if idx >= len(records):
            return None
        self.positions[topic] = idx + 1
        return records[idx]


def assert_values(state: EngineState, st: ast.AssertValues | ast.AssertTombstone, cursor: RecordCursor) -> None:
    """AssertExecutor.assertValues / assertTombstone (assertContent)."""
    values = st.statement
    source = state.metastore.get(values.target)
    if source is None:
        raise NullPointer()  # ksqlDB dereferences the source it did not find
    expected = _expected(state, values, source)
    records = state.driver.records(source.topic)
    rec = cursor.next(records, source.topic)
    if rec is None:
        _mismatch(
            "Expected another record, but all records have already been read:",
            source,
            expected,
            [_decoded(source, r) for r in records],
        )
    assert rec is not None
    actual = _decoded(source, rec)
    if not _verify(expected, actual, source, values.columns, isinstance(st, ast.AssertTombstone)):
        _mismatch("Expected record does not match actual.", source, expected, [actual])


def _expected(state: EngineState, values: ast.InsertValues, source: DataSource) -> GenericRecord:
    def failed(problem: str) -> KsqlError:
        return KsqlStatementError(problem)

    row, ts = build_record(state, values, source, failed)
    return GenericRecord(
        [row.get(c.name) for c in source.schema.key],
        [row.get(c.name) for c in source.schema.value_only],
        int(time.time() * 1000) if ts is None else ts,
    )


def _decoded(source: DataSource, rec: Record) -> GenericRecord:
    raw = rec.key
    if source.window is not None and raw is not None:  # the tool unwraps a windowed key
        session = source.window.kind == "SESSION"
        raw, _, _ = split_windowed_key(raw, session, source.window.size_ms)
    key = source.key_serde.deserialize(raw) if raw is not None or source.schema.key else []
    value = None if rec.value is None else source.value_serde.deserialize(rec.value)
    return GenericRecord(list(key or [None] * len(source.schema.key)), value, rec.timestamp)


def _verify(
    expected: GenericRecord, actual: GenericRecord, source: DataSource, columns: Sequence[str], tombstone: bool
) -> bool:
    """AssertExecutor.verifyValues: a tombstone's key; else the listed columns (only they are compared)."""
    if tombstone:
        if any(v is not None for v in expected.value or ()):
            raise TestAssertionError("Unexpected value columns specified in ASSERT NULL VALUES.")
        return actual.value is None and actual.key == expected.key
    if actual.value is None or len(expected.key) != len(actual.key):
        return False
    if expected.value is None or len(expected.value) != len(actual.value):
        return False
    key_names = [c.name for c in source.schema.key]
    value_names = [c.name for c in source.schema.value_only]
    for col in columns:
        if col in key_names:
            i = key_names.index(col)
            if expected.key[i] != actual.key[i]:
                return False
        elif col == "ROWTIME":
            if expected.ts != actual.ts:
                return False
        elif col in value_names:
            i = value_names.index(col)
            if expected.value[i] != actual.value[i]:
                return False
    return True


def _mismatch(message: str, source: DataSource, expected: GenericRecord, actual: list[GenericRecord]) -> None:
    """AssertExecutor.throwAssertionError: the message, then a table of the expected and actual records."""
    columns = [Column(".", STRING), Column("ROWTIME", BIGINT), *source.schema.columns]
    header = tabular_row([c.name for c in columns], 0, header=True, width=_WIDTH)
    rows = "".join(_row(False, source, a) + "\n" for a in actual)
    raise TestAssertionError(f"{message}\n{header}\n{_row(True, source, expected)}\n{rows}")


def _row(expected: bool, source: DataSource, rec: GenericRecord) -> str:
    """AssertExecutor.fromGenericRow: the label, the key values, the timestamp, the value values (note:
    ksqlDB's header names ROWTIME before the key columns)."""
    cells = ["EXPECTED" if expected else "ACTUAL"]
    cells += [_text(c.type, v) for c, v in zip(source.schema.key, rec.key, strict=False)]
    cells.append(str(rec.ts))
    if rec.value is None:
        cells += ["<TOMBSTONE>"] * len(source.schema.value)
    else:
        cells += [_text(c.type, v) for c, v in zip(source.schema.value_only, rec.value, strict=False)]
    return tabular_row(cells, 0, wrap=False, width=_WIDTH)


def _text(t: SqlType, v: Any) -> str:
    return "null" if v is None else java_string(t)(v)


# --- ASSERT STREAM / ASSERT TABLE -----------------------------------------------------------------------


@dataclass(frozen=True)
class SourceProperty:
    """AssertExecutor.SourceProperty: what to compare, read from the source and from the statement, and
    the WITH properties it covers."""

    source: Callable[[DataSource], Any]
    statement: Callable[[ast.CreateSource, dict[str, str]], Any]
    name: str
    with_clause: tuple[str, ...] = ()


def _prop(cs: ast.CreateSource, name: str) -> Any:
    return {k.upper(): v for k, v in cs.properties.items()}.get(name)


def _key_format(cs: ast.CreateSource, cfg: dict[str, str]) -> str:
    fmt = _prop(cs, "KEY_FORMAT") or _prop(cs, "FORMAT") or cfg.get("ksql.persistence.default.format.key", "KAFKA")
    return str(fmt).upper()


def _value_format(cs: ast.CreateSource, cfg: dict[str, str]) -> str:
    fmt = _prop(cs, "VALUE_FORMAT") or _prop(cs, "FORMAT") or cfg.get("ksql.persistence.default.format.value")
    return "null" if fmt is None else str(fmt).upper()


def _schema(cs: ast.CreateSource) -> str:
    """TableElements.toLogicalSchema as LogicalSchema.toString prints it: the elements in their order,
    key columns marked KEY (PRIMARY KEY too)."""
    cols = []
    for c in cs.columns:
        ns = KEY if c.constraint in ("KEY", "PRIMARY KEY") else HEADER if c.constraint in ("HEADER", "HEADERS") else VALUE
        cols.append(Column(c.name, ast_type(c.type), ns, c.header_key).describe())
    return ", ".join(cols)


def _actual_schema(ds: DataSource) -> str:
    return ", ".join(c.describe() for c in ds.schema.declared_columns())


def _java_map(entries: dict[str, Any]) -> str:
    return "{" + ", ".join(f"{k}={v}" for k, v in entries.items()) + "}"


def _optional(v: Any) -> str:
    return "Optional.empty" if v is None else f"Optional[{v}]"


MUST_MATCH: tuple[SourceProperty, ...] = (
    SourceProperty(_actual_schema, lambda cs, cfg: _schema(cs), "schema"),
    SourceProperty(
        lambda ds: "KTABLE" if ds.is_table else "KSTREAM",
        lambda cs, cfg: "KTABLE" if cs.kind == "TABLE" else "KSTREAM",
        "type",
    ),
    SourceProperty(lambda ds: ds.topic, lambda cs, cfg: _prop(cs, "KAFKA_TOPIC"), "kafka topic", ("KAFKA_TOPIC",)),
    SourceProperty(lambda ds: ds.key_format, _key_format, "key format", ("KEY_FORMAT", "FORMAT")),
    SourceProperty(
        lambda ds: _java_map(_format_props(ds, True)),
        lambda cs, cfg: _java_map(_statement_format_props(cs, True)),
        "key format properties",
        ("KEY_DELIMITER", "KEY_SCHEMA_FULL_NAME", "KEY_PROTOBUF_NULLABLE_REPRESENTATION"),
    ),
    SourceProperty(lambda ds: ds.value_format, _value_format, "value format", ("VALUE_FORMAT", "FORMAT")),
    SourceProperty(
        lambda ds: _java_map(_format_props(ds, False)),
        lambda cs, cfg: _java_map(_statement_format_props(cs, False)),
        "value format properties",
        ("VALUE_AVRO_SCHEMA_FULL_NAME", "VALUE_SCHEMA_FULL_NAME", "VALUE_DELIMITER",
         "VALUE_PROTOBUF_NULLABLE_REPRESENTATION"),
    ),
    SourceProperty(
        lambda ds: _schema_id(ds, False),
        lambda cs, cfg: None if _prop(cs, "VALUE_SCHEMA_ID") is None else str(_prop(cs, "VALUE_SCHEMA_ID")),
        "value schema id",
        ("VALUE_SCHEMA_ID",),
    ),
    SourceProperty(
        lambda ds: _schema_id(ds, True),
        lambda cs, cfg: None if _prop(cs, "KEY_SCHEMA_ID") is None else str(_prop(cs, "KEY_SCHEMA_ID")),
        "key schema id",
        ("KEY_SCHEMA_ID",),
    ),
    SourceProperty(
        lambda ds: "[" + ", ".join(f for f in ds.value_features if f in _WRAPPING) + "]",
        lambda cs, cfg: _wrapping(_prop(cs, "WRAP_SINGLE_VALUE")),
        "value serde features",
        ("WRAP_SINGLE_VALUE",),
    ),
    SourceProperty(
        lambda ds: _optional(None if ds.timestamp_column is None else f"`{ds.timestamp_column}`"),
        lambda cs, cfg: _optional(None if _prop(cs, "TIMESTAMP") is None else f"`{str(_prop(cs, 'TIMESTAMP')).upper()}`"),
        "timestamp column",
        ("TIMESTAMP",),
    ),
    SourceProperty(
        lambda ds: _optional(ds.timestamp_format),
        lambda cs, cfg: _optional(_prop(cs, "TIMESTAMP_FORMAT")),
        "timestamp format",
        ("TIMESTAMP_FORMAT",),
    ),
)
_WRAPPING = ("WRAP_SINGLES", "UNWRAP_SINGLES")


def _wrapping(wrap: Any) -> str:
    """CreateSourceProperties.getValueSerdeFeatures: the feature WRAP_SINGLE_VALUE asks for, if any."""
    if wrap is None:
        return "[]"
    return "[WRAP_SINGLES]" if str(wrap).lower() == "true" else "[UNWRAP_SINGLES]"


_FORMAT_PROPS = {"DELIMITER": "delimiter", "SCHEMA_FULL_NAME": "fullSchemaName",
                 "PROTOBUF_NULLABLE_REPRESENTATION": "nullableRepresentation"}


def _format_props(ds: DataSource, key: bool) -> dict[str, Any]:
    """The FormatInfo properties the WITH clause can set (ksqlDB's names)."""
    opts = ds.key_options if key else ds.value_options
    props: dict[str, Any] = {}
    if opts.delimiter != ",":
        props["delimiter"] = opts.delimiter
    for name in ("fullSchemaName", "nullableRepresentation"):
        if name in opts.extra:
            props[name] = opts.extra[name]
    return props


def _statement_format_props(cs: ast.CreateSource, key: bool) -> dict[str, Any]:
    """CreateSourceProperties.getKeyFormatProperties / getValueFormatProperties."""
    prefix = "KEY_" if key else "VALUE_"
    props: dict[str, Any] = {}
    for name, java in _FORMAT_PROPS.items():
        v = _prop(cs, prefix + name)
        if v is None and not key and name == "SCHEMA_FULL_NAME":
            v = _prop(cs, "VALUE_AVRO_SCHEMA_FULL_NAME")
        if v is not None and not (java == "delimiter" and v == ","):
            props[java] = v
    return props


def _schema_id(ds: DataSource, key: bool) -> str | None:
    opts = ds.key_options if key else ds.value_options
    v = opts.extra.get("schemaId")
    return None if v is None else str(v)


def assert_source(state: EngineState, st: ast.AssertSource, config: dict[str, str]) -> None:
    """AssertExecutor.assertSourceMatch: every property of MUST_MATCH, in order."""
    cs = st.statement
    source = state.metastore.get(cs.name)
    if source is None:
        raise NullPointer()
    for prop in MUST_MATCH:
        expected = prop.statement(cs, config)
        actual = prop.source(source)
        if expected != actual:
            raise SqlTestError(
                f"Expected {prop.name} does not match actual for source {source.name}.\n"
                f"\tExpected: {'null' if expected is None else expected}\n"
                f"\tActual: {'null' if actual is None else actual}"
            )
