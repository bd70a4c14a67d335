"""Kafka Connect's schema model, the pivot of ksqlDB's Schema Registry formats.

ksqlDB turns SQL columns into a Connect schema (every type optional), and a Connect schema into Avro, a
Protobuf descriptor or a JSON schema; a registered schema comes back through Connect to SQL columns
(schema inference) and record data through Connect to SQL values (`translator`, ksqlDB's
ConnectDataTranslator). Values in Connect form here: STRUCT a dict by field name, MAP a dict, ARRAY a
list, BYTES `bytes`, Decimal a `Decimal`, Date days, Time ms of the day, Timestamp epoch ms (ints).
"""

from __future__ import annotations

import logging
import struct
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from ksqlserver.catalog.types import (
    BIGINT,
    BOOLEAN,
    BYTES,
    DATE,
    DOUBLE,
    INTEGER,
    STRING,
    TIME,
    TIMESTAMP,
    Column,
    SqlType,
    array,
    map_of,
)
from ksqlserver.catalog.types import (
    struct as sql_struct,
)
from ksqlserver.errors import FormatError, SerdeError
from ksqlserver.formats.javamap import hashmap_order
from ksqlserver.formats.javanum import DecimalFitError
from ksqlserver.formats.javanum import ensure_fit as javanum_ensure_fit
from ksqlserver.formats.javatext import java_double

log = logging.getLogger("ksqlserver.formats")

INT8, INT16, INT32, INT64 = "INT8", "INT16", "INT32", "INT64"
FLOAT32, FLOAT64, BOOL, STR, BYTES_T = "FLOAT32", "FLOAT64", "BOOLEAN", "STRING", "BYTES"
ARRAY, MAP, STRUCT = "ARRAY", "MAP", "STRUCT"

DECIMAL_NAME = "org.apache.kafka.connect.data.Decimal"
DATE_NAME = "org.apache.kafka.connect.data.Date"
TIME_NAME = "org.apache.kafka.connect.data.Time"
TIMESTAMP_NAME = "org.apache.kafka.connect.data.Timestamp"
SCALE = "scale"
PRECISION = "connect.decimal.precision"
PRECISION_DEFAULT = 64  # ksqlDB's DecimalUtil.PRECISION_DEFAULT for decimals without a precision


@dataclass(frozen=True)
class CSchema:
    """One Connect schema. `value` is an ARRAY's items or a MAP's values; `key` a MAP's keys."""

    type: str
    optional: bool = False
    name: str | None = None
    version: int | None = None
    params: tuple[tuple[str, str], ...] = ()
    fields: tuple[tuple[str, CSchema], ...] = ()
    key: CSchema | None = None
    value: CSchema | None = None
    doc: str | None = None
    default: Any = field(default=None, compare=False, hash=False)

    def param(self, name: str) -> str | None:
        for k, v in self.params:
            if k == name:
                return v
        return None

    def get(self, name: str) -> CSchema | None:
        for n, s in self.fields:
            if n == name:
                return s
        return None

    @property
    def is_decimal(self) -> bool:
        return self.type == BYTES_T and self.name == DECIMAL_NAME

    def required(self) -> CSchema:
        return replace(self, optional=False) if self.optional else self

    def as_optional(self) -> CSchema:
        return self if self.optional else replace(self, optional=True)


def decimal_schema(precision: int, scale: int, optional: bool = True) -> CSchema:
    return CSchema(BYTES_T, optional, DECIMAL_NAME, 1, ((SCALE, str(scale)), (PRECISION, str(precision))))


def decimal_precision(s: CSchema) -> int:
    p = s.param(PRECISION)
    return PRECISION_DEFAULT if p is None else int(p)


def decimal_scale(s: CSchema) -> int:
    v = s.param(SCALE)
    if v is None:
        raise FormatError("Invalid Decimal schema: scale parameter not found.")
    return int(v)


# --- SQL -> Connect ------------------------------------------------------------------------------------

_SIMPLE = {"STRING": STR, "BOOLEAN": BOOL, "INTEGER": INT32, "BIGINT": INT64, "DOUBLE": FLOAT64, "BYTES": BYTES_T}
_LOGICAL = {"TIME": (INT32, TIME_NAME), "DATE": (INT32, DATE_NAME), "TIMESTAMP": (INT64, TIMESTAMP_NAME)}


def from_sql(t: SqlType) -> CSchema:
    """ksqlDB's SQL -> Connect conversion: every schema optional, at every level."""
    b = t.base
    if b in _SIMPLE:
        return CSchema(_SIMPLE[b], True)
    if b in _LOGICAL:
        ctype, name = _LOGICAL[b]
        return CSchema(ctype, True, name, 1)
    if b == "DECIMAL":
        return decimal_schema(t.precision or 0, t.scale or 0)
    if b == "ARRAY":
        return CSchema(ARRAY, True, value=from_sql(t.item))  # type: ignore[arg-type]
    if b == "MAP":
        return CSchema(MAP, True, key=from_sql(t.key), value=from_sql(t.item))  # type: ignore[arg-type]
    if b == "STRUCT":
        return CSchema(STRUCT, True, fields=tuple((n, from_sql(ft)) for n, ft in t.fields or ()))
    raise FormatError(f"Unexpected sql type: {t}")


def columns_schema(columns: Sequence[Column]) -> CSchema:
    """The row as ksqlDB builds it: a required STRUCT of the columns."""
    return CSchema(STRUCT, False, fields=tuple((c.name, from_sql(c.type)) for c in columns))


def unwrap(row: CSchema, unwrapped: bool) -> CSchema:
    """The schema a format writes: the row, or its only field's schema when single values are unwrapped."""
    if not unwrapped:
        return row
    if len(row.fields) != 1:
        raise FormatError("Unwrapping only valid for single columns")
    return row.fields[0][1]


def wrap_single(s: CSchema, is_key: bool) -> CSchema:
    """An anonymous (unwrapped) registered schema as one column, `ROWKEY` or `ROWVAL`."""
    return CSchema(STRUCT, False, fields=(("ROWKEY" if is_key else "ROWVAL", s),))


# --- Connect -> SQL (schema inference) --------------------------------------------------------------------


class _Unsupported(Exception):
    pass


_MAP_KEY_TYPES = (INT8, INT16, INT32, INT64, BOOL, STR)


def _ksql_type(s: CSchema, upper: bool) -> SqlType:
    """ConnectKsqlSchemaTranslator then ConnectToSqlConverter: the SQL type ksqlDB gives a Connect schema."""
    t = s.type
    if t in (INT8, INT16):
        return INTEGER
    if t == INT32:
        return TIME if s.name == TIME_NAME else DATE if s.name == DATE_NAME else INTEGER
    if t == INT64:
        return TIMESTAMP if s.name == TIMESTAMP_NAME else BIGINT
    if t in (FLOAT32, FLOAT64):
        return DOUBLE
    if t == STR:
        return STRING
    if t == BOOL:
        return BOOLEAN
    if t == BYTES_T:
        if s.is_decimal:
            from ksqlserver.catalog.types import decimal

            return decimal(decimal_precision(s), decimal_scale(s))
        return BYTES
    if t == ARRAY:
        return array(_ksql_type(s.value, upper))  # type: ignore[arg-type]
    if t == MAP:
        key = _ksql_type(s.key, upper)  # type: ignore[arg-type]
        if s.key.type not in _MAP_KEY_TYPES:  # type: ignore[union-attr]
            raise _Unsupported(f"Unsupported type for map key: {s.key.type.lower()}")  # type: ignore[union-attr]
        del key
        return map_of(STRING, _ksql_type(s.value, upper))  # type: ignore[arg-type]
    if t == STRUCT:
        fields: list[tuple[str, SqlType]] = []
        for name, fs in s.fields:
            try:
                fields.append((name.upper() if upper else name, _ksql_type(fs, upper)))
            except _Unsupported as e:
                log.error("Error inferring schema at field %s: %s", name, e)
        return sql_struct(fields)
    raise _Unsupported(f"Unsupported type: {t.lower()}")


def to_columns(s: CSchema, upper: bool = True) -> list[tuple[str, SqlType]]:
    """The columns of a registered schema (already in Connect form), as ksqlDB infers them."""
    try:
        row = _ksql_type(s, upper)
    except _Unsupported as e:
        raise FormatError(f"Unsupported type at root of schema: {e}") from None
    if row.base != "STRUCT":
        raise FormatError("KSQL stream/table schema must be structured")
    if not row.fields:
        raise FormatError(
            "Schema does not include any columns with types that ksqlDB supports.\nschema: " + describe(s)
        )
    return list(row.fields)


def describe(s: CSchema) -> str:
    """A Connect schema as ksqlDB's SqlSchemaFormatter prints a column list."""
    if s.type == STRUCT:
        return ", ".join(f"`{n}` {_describe_type(fs)}" for n, fs in s.fields)
    return _describe_type(s)


def _describe_type(s: CSchema) -> str:
    t = s.type
    if t == STRUCT:
        return "STRUCT<" + ", ".join(f"`{n}` {_describe_type(fs)}" for n, fs in s.fields) + ">"
    if t == ARRAY:
        return f"ARRAY<{_describe_type(s.value)}>"  # type: ignore[arg-type]
    if t == MAP:
        return f"MAP<{_describe_type(s.key)}, {_describe_type(s.value)}>"  # type: ignore[arg-type]
    if s.is_decimal:
        return f"DECIMAL({decimal_precision(s)}, {decimal_scale(s)})"
    return {INT8: "TINYINT", INT16: "SMALLINT", INT32: "INT", INT64: "BIGINT", FLOAT32: "FLOAT",
            FLOAT64: "DOUBLE", BOOL: "BOOLEAN", STR: "VARCHAR", BYTES_T: "BYTES"}.get(t, t)


# --- Connect data -> SQL values (ConnectDataTranslator) --------------------------------------------------------

_CONNECT_TYPE = {
    "BOOLEAN": BOOL, "INTEGER": INT32, "BIGINT": INT64, "DOUBLE": FLOAT64, "STRING": STR, "BYTES": BYTES_T,
    "DECIMAL": BYTES_T, "DATE": INT32, "TIME": INT32, "TIMESTAMP": INT64, "ARRAY": ARRAY, "MAP": MAP,
    "STRUCT": STRUCT,
}
_ACCEPTS = {
    INT64: (INT64, INT32, INT16, INT8),
    INT32: (INT32, INT16, INT8),
    FLOAT64: (FLOAT32, FLOAT64),
    STR: (INT8, INT16, INT32, INT64, FLOAT32, FLOAT64, BOOL, STR),
}

Translate = Callable[[Any], Any]


def _mismatch(path: str, target: str, source: str) -> SerdeError:
    return SerdeError(f"Cannot deserialize type {source.lower()} as type {target.lower()} for path: {path}")


def translator(t: SqlType, w: CSchema, path: str = "") -> Translate:
    """A function from a Connect value written with schema `w` to the SQL value of type `t`; raises
    SerdeError (ksqlDB's "Cannot deserialize type ... for path: ...") when `w` cannot hold `t`."""
    target = _CONNECT_TYPE[t.base]
    if w.type not in _ACCEPTS.get(target, (target,)):
        error = _mismatch(path, target, w.type)

        def fail(v: Any) -> Any:
            raise error

        return fail
    b = t.base
    if b == "STRING":
        if w.type == STR:
            return _identity
        if w.type == BOOL:
            return lambda v: None if v is None else ("true" if v else "false")
        if w.type == FLOAT64:
            return lambda v: None if v is None else java_double(float(v))
        if w.type == FLOAT32:
            return lambda v: None if v is None else java_float(float(v))
        return lambda v: None if v is None else str(v)
    if b in ("INTEGER", "BIGINT", "DATE", "TIME", "TIMESTAMP", "BOOLEAN", "BYTES"):
        return _identity
    if b == "DOUBLE":
        return _identity if w.type == FLOAT64 else (lambda v: None if v is None else float(v))
    if b == "DECIMAL":
        p, s = t.precision or 0, t.scale or 0
        return lambda v: None if v is None else ensure_fit(v, p, s)
    if b == "ARRAY":
        item = translator(t.item, w.value, path + "->ARRAY")  # type: ignore[arg-type]
        if item is _identity:
            return _identity
        return lambda v: None if v is None else [item(x) for x in v]
    if b == "MAP":
        kt = translator(t.key, w.key, path + "->MAP_KEY")  # type: ignore[arg-type]
        vt = translator(t.item, w.value, path + "->MAP_VAL")  # type: ignore[arg-type]
        # ConnectDataTranslator.toKsqlMap puts the entries into a new HashMap()
        if kt is _identity and vt is _identity:
            return lambda v: None if v is None else hashmap_order(v)
        return lambda v: None if v is None else hashmap_order({kt(k): vt(x) for k, x in v.items()})
    # STRUCT: writer fields matched to SQL fields by name, then by upper-cased name; others ignored
    names = [n for n, _ in t.fields or ()]
    pairs: list[tuple[str, str, Translate]] = []
    for wn, ws in w.fields:
        name = wn if wn in names else wn.upper() if wn.upper() in names else None
        if name is not None:
            pairs.append((wn, name, translator(t.field_type(name), ws, f"{path}->{name}")))  # type: ignore[arg-type]

    def conv(v: Any) -> Any:
        if v is None:
            return None
        out = dict.fromkeys(names)
        for wn, name, tr in pairs:
            out[name] = tr(v.get(wn))
        return out

    return conv


def _identity(v: Any) -> Any:
    return v


def ensure_fit(value: Decimal, precision: int, scale: int) -> Decimal:
    """ksqlDB's DecimalUtil.ensureFit (`javanum.ensure_fit`: the overflow check first, then the exact
    rescale), its failures as the SerdeError of a bad record."""
    if not isinstance(value, Decimal):
        value = Decimal(str(value))
    try:
        return javanum_ensure_fit(value, precision, scale)
    except DecimalFitError as e:
        raise SerdeError(str(e)) from None


def java_float(f: float) -> str:
    """Java's Float.toString of a float32 value: its shortest round-tripping digits, Java's layout."""
    packed = struct.pack(">f", f)
    for digits in range(1, 10):
        text = f"{f:.{digits}g}"
        if struct.pack(">f", float(text)) == packed:
            return java_double(float(text))
    return java_double(f)
