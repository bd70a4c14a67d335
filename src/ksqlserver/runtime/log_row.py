"""The `record` of a processing log's recordProcessingError: the GenericRow the failing step was given, as
RecordProcessingError.serializeRow writes it (ProcessingLoggingJsonMapper: Jackson's writeValueAsString of
the row's values, exact decimals written plain, java.sql.Timestamp / Date as epoch milliseconds, Time as its
toString, ByteBuffer in base64, a Connect Struct as an object of its fields).

A source's row reaches SelectValueMapper and SqlPredicate in LogicalSchema.withPseudoAndKeyColsInValue's
order: value columns, header columns, ROWTIME, ROWPARTITION, ROWOFFSET, key columns, then WINDOWSTART and
WINDOWEND of a windowed source; this engine's source rows hold the schema's columns (keys first), the pseudo
columns and the window bounds, so `java_row_text` reorders them.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from ksqlserver.catalog.metastore import DataSource
from ksqlserver.catalog.types import SqlType
from ksqlserver.formats.javanum import plain
from ksqlserver.formats.javatext import java_decimal, py_java_double
from ksqlserver.formats.json_values import writer_string

_BIGINT = SqlType("BIGINT")
_INT = SqlType("INTEGER")


def value_text(v: Any, t: SqlType | None) -> str:
    """One value as ProcessingLoggingJsonMapper writes it."""
    if v is None:
        return "null"
    base = t.base if t is not None else ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if base == "TIME":  # java.sql.Time.toString
        s = (v // 1000) % 86400
        return f'"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}"'
    if base == "DATE":  # java.sql.Date as a timestamp: the day's epoch milliseconds
        return str(v * 86_400_000)
    if isinstance(v, Decimal):
        return plain(v)  # WRITE_BIGDECIMAL_AS_PLAIN
    if isinstance(v, float):
        text = py_java_double(v)
        return f'"{text}"' if v != v or v in (float("inf"), float("-inf")) else text
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        return writer_string(v)
    if isinstance(v, bytes | bytearray):
        return f'"{base64.b64encode(bytes(v)).decode()}"'
    if isinstance(v, dt.datetime):  # a timestamp held as a datetime
        return str(int(v.timestamp() * 1000))
    if isinstance(v, list | tuple):
        item = t.item if t is not None else None
        return "[" + ",".join(value_text(x, item) for x in v) + "]"
    if isinstance(v, dict):
        if t is not None and t.base == "STRUCT":
            types = dict(t.fields or ())
            return "{" + ",".join(f"{writer_string(k)}:{value_text(x, types.get(k))}" for k, x in v.items()) + "}"
        item = t.item if t is not None else None
        return "{" + ",".join(f"{writer_string(str(k))}:{value_text(x, item)}" for k, x in v.items()) + "}"
    return writer_string(str(v))


def values_text(values: list[Any], types: list[SqlType | None]) -> str:
    """A row of the given values as RecordProcessingError.serializeRow writes it: the GenericRow a sink's
    TransformTimestamp was given (SinkBuilder: the sink's value columns)."""
    return "[" + ",".join(value_text(v, t) for v, t in zip(values, types, strict=False)) + "]"


def java_row_text(source: DataSource) -> Callable[[list[Any]], str]:
    """Our source row -> the JSON of ksqlDB's GenericRow for it (see the module docstring)."""
    cols = source.schema.columns
    keys = [i for i, c in enumerate(cols) if c.namespace == "KEY"]
    headers = [i for i, c in enumerate(cols) if c.namespace not in ("KEY", "VALUE")]
    values = [i for i, c in enumerate(cols) if c.namespace == "VALUE"]
    n = len(cols)
    order = [(i, cols[i].type) for i in values + headers]
    order += [(n, _BIGINT), (n + 1, _INT), (n + 2, _BIGINT)]  # ROWTIME, ROWPARTITION, ROWOFFSET
    order += [(i, cols[i].type) for i in keys]
    if source.window is not None:
        order += [(n + 3, _BIGINT), (n + 4, _BIGINT)]

    def text(row: list[Any]) -> str:
        return "[" + ",".join(value_text(row[i] if i < len(row) else None, t) for i, t in order) + "]"

    return text


def joined_row_text(sides: list[tuple[DataSource, int, int]], synthetic: bool) -> Callable[[list[Any]], str]:
    """A joined row -> the JSON of the GenericRow ksqlDB's KsqlValueJoiner builds: each side's row (its
    source row in `java_row_text`'s order; `sides` gives each source, its offset in our joined row and its
    width), then a null for a synthetic key column, which the joiner leaves unpopulated."""
    texts = [(java_row_text(src), offset, width) for src, offset, width in sides]

    def text(row: list[Any]) -> str:
        parts = [t(row[offset : offset + width])[1:-1] for t, offset, width in texts]
        if synthetic:
            parts.append("null")
        return "[" + ",".join(p for p in parts if p) + "]"

    return text


def java_string(v: Any, t: SqlType | None) -> str:
    """A value's Java toString as ksqlDB holds it in a GenericRow: Connect Structs as `Struct{F=v,...}` (null
    fields left out), Lists and Maps as Java's collections print them, java.sql.Timestamp / Date / Time
    (UTC), a BYTES column's ByteBuffer by its position and limit."""
    if v is None:
        return "null"
    base = t.base if t is not None else ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if base == "TIMESTAMP":  # java.sql.Timestamp.toString: the nanos without their trailing zeros
        d = dt.datetime(1970, 1, 1) + dt.timedelta(milliseconds=v)
        return d.strftime("%Y-%m-%d %H:%M:%S.") + (f"{d.microsecond // 1000:03d}".rstrip("0") or "0")
    if base == "DATE":
        return (dt.date(1970, 1, 1) + dt.timedelta(days=v)).isoformat()
    if base == "TIME":
        s = (v // 1000) % 86400
        return f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}"
    if isinstance(v, Decimal):
        return java_decimal(v)
    if isinstance(v, float):
        return py_java_double(v)
    if isinstance(v, bytes | bytearray):
        return f"java.nio.HeapByteBuffer[pos=0 lim={len(v)} cap={len(v)}]"
    if isinstance(v, list | tuple):
        item = t.item if t is not None else None
        return "[" + ", ".join(java_string(x, item) for x in v) + "]"
    if isinstance(v, dict):
        if base == "STRUCT":
            types = dict(t.fields or ()) if t is not None else {}
            fields = (f"{k}={java_string(x, types.get(k))}" for k, x in v.items() if x is not None)
            return "Struct{" + ",".join(fields) + "}"
        item = t.item if t is not None else None
        return "{" + ", ".join(f"{k}={java_string(x, item)}" for k, x in v.items()) + "}"
    return str(v)


def _format_value(v: Any, t: SqlType | None) -> str:
    """GenericRow.formatValue: strings quoted, BIGINTs (Longs) with an L, the rest their toString."""
    if isinstance(v, str):
        return f"'{v}'"
    if isinstance(v, int) and not isinstance(v, bool) and t is not None and t.base == "BIGINT":
        return f"{v}L"
    return java_string(v, t)


def generic_row_string(values: list[Any], types: list[SqlType | None]) -> str:
    """GenericRow.toString: `[ v1 | v2 ]`."""
    return "[ " + " | ".join(_format_value(v, t) for v, t in zip(values, types, strict=False)) + " ]"


def generic_key_string(values: list[Any], types: list[SqlType | None]) -> str:
    """GenericKey.toString: `[v1, v2]`."""
    return "[" + ", ".join(_format_value(v, t) for v, t in zip(values, types, strict=False)) + "]"
