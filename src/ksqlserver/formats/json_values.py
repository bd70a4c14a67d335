"""JSON values into SQL values, as ksqlDB's JSON deserialiser coerces a parsed JSON tree to its schema.

Input is what `json.loads(text, parse_float=Decimal)` gives (the tree of Jackson with exact decimals), or
with plain floats, which only a DOUBLE takes: any other reader meeting a float raises `NeedExact`, and the
caller parses again with decimals (most rows with fractions only have them in DOUBLE columns). Then:
integers take Java's narrowing (`intValue`/`asLong` wrap, fractions truncate), strings are parsed the
Java way (Integer.parseInt, Double.parseDouble, new BigDecimal), only true/false make a BOOLEAN, a STRING
column takes any value's text (a number as written, an object as compact JSON, an array as `[a, b]`),
DECIMAL is fitted without rounding, BYTES is base64, TIME must lie within a day. A STRUCT field is
matched by its exact name, else by the upper-cased JSON key (so only upper-case fields, the unquoted
ones, match case-insensitively). Errors carry ksqlDB's message and the path of the bad value
(`..., path: $.A[1].B`).
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from ksqlserver.catalog.types import SqlType
from ksqlserver.errors import SerdeError
from ksqlserver.formats.javamap import hashmap_order, table_size_for
from ksqlserver.formats.javanum import (
    DecimalFitError,
    ensure_fit,
    parse_big_decimal,
    parse_double,
    parse_int,
    parse_long,
    time_of_day_error,
    to_int32,
    to_int64,
)

__all__ = [
    "MISSING",
    "JsonCoercionError",
    "NeedExact",
    "connect_type_text",
    "decimal_text",
    "jackson_string",
    "json_text",
    "node_type",
    "read_root",
    "reader",
    "row_reader",
]

Reader = Callable[[Any], Any]
_py_dumps = json.JSONEncoder(ensure_ascii=False).encode
# json's \u00xx escape of a control character (not one after an escaped backslash), and a character beyond
# the BMP: Jackson's UTF-8 generator writes both as upper-case \uXXXX escapes (the latter as its surrogates)
# (and so does it a lone surrogate, which a Java String may hold: UTF8JsonGenerator._outputMultiByteChar
# escapes every char in D800-DFFF)
_JACKSON_ESCAPES = re.compile(r"(?<!\\)((?:\\\\)*)\\u00([0-9a-f]{2})|([\U00010000-\U0010FFFF])|([\ud800-\udfff])")


def _jackson_escape(m: re.Match[str]) -> str:
    if m.group(4) is not None:
        return f"\\u{ord(m.group(4)):04X}"
    if m.group(3) is not None:
        c = ord(m.group(3)) - 0x10000
        return f"\\u{0xD800 + (c >> 10):04X}\\u{0xDC00 + (c & 0x3FF):04X}"
    return f"{m.group(1)}\\u00{m.group(2).upper()}"


def jackson_string(v: str) -> str:
    """A string's JSON text as Jackson's UTF-8 generator writes it: json's escapes (", \\, \\n, \\t, \\r,
    \\b, \\f), other control characters as \\u00XX in upper case, characters beyond the BMP as escaped
    surrogate pairs (\\uD83D\\uDE00), everything else as UTF-8."""
    text = _py_dumps(v)
    if text.isascii() and "\\u00" not in text:
        return text
    return _JACKSON_ESCAPES.sub(_jackson_escape, text)


def _writer_string(v: str) -> str:
    """A string's JSON text as Jackson writes it to a String (writeValueAsString): as `jackson_string`, but
    characters beyond the BMP stay as they are."""
    text = _py_dumps(v)
    if "\\u00" not in text:
        return text
    return _LOWER_HEX_ESCAPE.sub(lambda m: f"{m.group(1)}\\u00{m.group(2).upper()}", text)


_LOWER_HEX_ESCAPE = re.compile(r"(?<!\\)((?:\\\\)*)\\u00([0-9a-f]{2})")
_dumps = _writer_string  # json_text: ksqlDB's STRING of a JSON object, written with writeValueAsString
writer_string = _writer_string  # ObjectMapper.writeValueAsString's text of a string


class JsonCoercionError(SerdeError):
    """A JSON value its column cannot take; `raw` is ksqlDB's message, `path` where it is (`$.A[0]`)."""

    def __init__(self, raw: str, path: str, parts: tuple[str, ...] = ()) -> None:
        super().__init__(f"{raw}, path: {path}")
        self.raw = raw
        self.path = path
        self.parts = parts or (path,)

    def java_causes(self) -> list[str]:
        """The messages of the exception chain under ksqlDB's SerializationException: one
        CoercionException per level of KsqlJsonDeserializer.enforceFieldType (`raw, path: $.A.B`, then
        `raw, path: .A.B`, `raw, path: .B`), then the handler's own exception (`raw`): what the
        processing log's `cause` lists (LoggingSerdeUtil.getCause)."""
        return [f"{self.raw}, path: {''.join(self.parts[i:])}" for i in range(len(self.parts))] + [self.raw]


class NeedExact(Exception):
    """A float met where its exact decimal text matters: parse the value again with decimals."""


class _Fail(Exception):
    """Raised inside readers; the containers prepend their part of the path on the way out."""

    def __init__(self, raw: str, parts: tuple[str, ...] = ()) -> None:
        super().__init__(raw)
        self.raw = raw
        self.parts = parts  # the path's parts, outermost first (`.A`, `[1]`, `.B`)

    @property
    def path(self) -> str:
        return "".join(self.parts)


class _Missing:
    """Jackson's MissingNode: what ObjectMapper.readTree gives for a value of only whitespace."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING = _Missing()


def node_type(v: Any) -> str:
    """The class name of the Jackson node holding `v` (ksqlDB's `sourceType`)."""
    if v is MISSING:
        return "MissingNode"
    if v.__class__ is bool:
        return "BooleanNode"
    if isinstance(v, int):
        if -(2**31) <= v < 2**31:
            return "IntNode"
        return "LongNode" if -(2**63) <= v < 2**63 else "BigIntegerNode"
    if isinstance(v, Decimal):
        return "DecimalNode"
    if isinstance(v, float):
        raise NeedExact
    if isinstance(v, str):
        return "TextNode"
    if isinstance(v, list):
        return "ArrayNode"
    if isinstance(v, dict):
        return "ObjectNode"
    return "NullNode" if v is None else type(v).__name__


def connect_type_text(t: SqlType) -> str:
    """The type as ksqlDB's error messages print its Connect schema (INT, VARCHAR, unquoted field names;
    the time types are their INT/BIGINT)."""
    b = t.base
    if b in ("INTEGER", "DATE", "TIME"):
        return "INT"
    if b in ("BIGINT", "TIMESTAMP"):
        return "BIGINT"
    if b == "STRING":
        return "VARCHAR"
    if b == "DECIMAL":
        return f"DECIMAL({t.precision}, {t.scale})"
    if b == "ARRAY":
        return f"ARRAY<{connect_type_text(t.item)}>"  # type: ignore[arg-type]
    if b == "MAP":
        return f"MAP<{connect_type_text(t.key)}, {connect_type_text(t.item)}>"  # type: ignore[arg-type]
    if b == "STRUCT":
        if not t.fields:
            return "STRUCT< >"
        return "STRUCT<" + ", ".join(f"{n} {connect_type_text(ft)}" for n, ft in t.fields) + ">"
    return b


def _invalid(v: Any, required: str) -> _Fail:
    return _Fail(f"Can't convert type. sourceType: {node_type(v)}, requiredType: {required}")


def _string_failed(base: str) -> _Fail:
    return _Fail(f"Can't coerce string to type. targetType: {base}")


def decimal_text(d: Decimal) -> str:
    """BigDecimal.toString (scientific where Java's is; no negative zero)."""
    s = str(d)
    return s[1:] if s.startswith("-") and d == 0 else s


def json_text(v: Any) -> str:
    """Jackson's compact text of a parsed JSON value (decimals as BigDecimal.toString)."""
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, str):
        return _dumps(v)
    if isinstance(v, int):
        return str(v)
    if isinstance(v, Decimal):
        return decimal_text(v)
    if isinstance(v, float):
        raise NeedExact
    if isinstance(v, list):
        return "[" + ",".join(json_text(x) for x in v) + "]"
    return "{" + ",".join(_dumps(str(k)) + ":" + json_text(x) for k, x in v.items()) + "}"


def _as_text(v: Any) -> str:
    """ksqlDB's STRING of a JSON value: a scalar's text, an object's JSON, an array's `[a, b]`."""
    if v.__class__ is str:
        return v  # type: ignore[no-any-return]
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, Decimal):
        return decimal_text(v)
    if isinstance(v, float):
        raise NeedExact
    if isinstance(v, dict):
        return json_text(v)
    if v is MISSING:
        return ""
    return "[" + ", ".join("null" if x is None else _as_text(x) for x in v) + "]"


def _read_boolean(v: Any) -> bool:
    if v.__class__ is bool:
        return v  # type: ignore[no-any-return]
    raise _invalid(v, "BOOLEAN")


def _number_to_int(v: Any) -> int:
    """The integral part of a JSON number, before narrowing (BigDecimal.intValue truncates)."""
    if isinstance(v, int):
        return v
    if isinstance(v, Decimal):
        return int(v) if v.is_finite() else 0
    raise NeedExact  # a float: its truncation needs the exact decimal


def _is_number(v: Any) -> bool:
    return v.__class__ is not bool and isinstance(v, (int, Decimal, float))


def _read_int(v: Any) -> int:
    if _is_number(v):
        return to_int32(_number_to_int(v))
    if v.__class__ is str:
        r = parse_int(v)
        if r is None:
            raise _string_failed("INTEGER")
        return r
    raise _invalid(v, "INTEGER")


def _long_reader(base: str) -> Reader:
    def read(v: Any) -> int:
        if _is_number(v):
            return to_int64(_number_to_int(v))
        if v.__class__ is str:
            r = parse_long(v)
            if r is None:
                raise _string_failed(base)
            return r
        raise _invalid(v, base)

    return read


_read_long = _long_reader("BIGINT")
_read_timestamp = _long_reader("TIMESTAMP")
_read_date = _long_reader("DATE")
_read_time_ms = _long_reader("TIME")


def _read_time(v: Any) -> int:
    ms = _read_time_ms(v)
    if (error := time_of_day_error(ms)) is not None:
        raise _Fail(error)
    return ms


def _read_double(v: Any) -> float:
    if v.__class__ is float:
        if not v and math.copysign(1.0, v) < 0:
            raise NeedExact  # "-0.0" is a BigDecimal zero (0.0), "-1e-400" a negative underflow (-0.0)
        return v  # float(text) is float(Decimal(text))
    if _is_number(v):
        if v.__class__ is Decimal and not v:
            return 0.0  # BigDecimal has no negative zero
        try:
            return float(v)
        except OverflowError:  # an integer beyond double's range: BigInteger.doubleValue is infinite
            return float("inf") if v > 0 else float("-inf")
    if v.__class__ is str:
        r = parse_double(v)
        if r is None:
            raise _string_failed("DOUBLE")
        return r
    raise _invalid(v, "DOUBLE")


def _decimal_reader(t: SqlType) -> Reader:
    p, s = t.precision or 1, t.scale or 0
    required = connect_type_text(t)

    def read(v: Any) -> Decimal:
        if v.__class__ is float:
            raise NeedExact
        if _is_number(v):
            d = v if isinstance(v, Decimal) else Decimal(v)
        elif v.__class__ is str:
            parsed = parse_big_decimal(v)
            if parsed is None:
                raise _Fail(f"Character array is not a valid decimal number: {v}")
            d = parsed
        else:
            raise _invalid(v, required)
        try:
            return ensure_fit(d, p, s)
        except DecimalFitError as e:
            raise _Fail(str(e)) from None

    return read


def _read_bytes(v: Any) -> bytes:
    if v.__class__ is str:
        try:
            return base64.b64decode(v, validate=True)
        except (binascii.Error, ValueError):
            raise _Fail(f"Value is not a valid Base64 encoded string: {v}") from None
    raise _invalid(v, "BYTES")


def _array_reader(t: SqlType) -> Reader:
    item = reader(t.item)  # type: ignore[arg-type]
    required = connect_type_text(t)

    def read(v: Any) -> list[Any]:
        if v.__class__ is not list:
            raise _invalid(v, required)
        out = []
        for i, x in enumerate(v):
            if x is None:
                out.append(None)
                continue
            try:
                out.append(item(x))
            except _Fail as e:
                raise _Fail(e.raw, (f"[{i}]", *e.parts)) from None
        return out

    return read


def _map_reader(t: SqlType) -> Reader:
    val = reader(t.item)  # type: ignore[arg-type]
    required = connect_type_text(t)

    def read(v: Any) -> dict[str, Any]:
        if v.__class__ is not dict:
            raise _invalid(v, required)
        out = {}
        for k, x in v.items():
            if x is None:
                out[k] = None
                continue
            try:
                out[k] = val(x)
            except _Fail as e:
                raise _Fail(e.raw, (f".{k}.value", *e.parts)) from None
        # KsqlJsonDeserializer.enforceKeyAndValueTypeForMap builds a HashMap(map.size())
        return hashmap_order(out, table_size_for(len(v)))

    return read


def _struct_reader(t: SqlType) -> Reader:
    fields = [(n, reader(ft)) for n, ft in t.fields or ()]
    required = connect_type_text(t)

    def read(v: Any) -> dict[str, Any]:
        if v.__class__ is not dict:
            raise _invalid(v, required)
        upper: dict[str, Any] | None = None
        out = {}
        for n, r in fields:
            if n in v:
                x = v[n]
            else:
                if upper is None:
                    upper = {str(k).upper(): y for k, y in v.items()}
                x = upper.get(n)
            if x is None:
                out[n] = None
                continue
            try:
                out[n] = r(x)
            except _Fail as e:
                raise _Fail(e.raw, (f".{n}", *e.parts)) from None
        return out

    return read


_PRIMITIVES: dict[str, Reader] = {
    "BOOLEAN": _read_boolean,
    "INTEGER": _read_int,
    "BIGINT": _read_long,
    "DOUBLE": _read_double,
    "STRING": _as_text,
    "BYTES": _read_bytes,
    "TIMESTAMP": _read_timestamp,
    "DATE": _read_date,
    "TIME": _read_time,
}


def reader(t: SqlType) -> Reader:
    """A function from a non-null parsed JSON value to the value of type `t`; it raises the internal
    failure that `read_root` words."""
    b = t.base
    if b in _PRIMITIVES:
        return _PRIMITIVES[b]
    if b == "DECIMAL":
        return _decimal_reader(t)
    if b == "ARRAY":
        return _array_reader(t)
    if b == "MAP":
        return _map_reader(t)
    if b == "STRUCT":
        return _struct_reader(t)
    raise SerdeError(f"Type is not supported: {b}")


def read_root(read: Reader, value: Any) -> Any:
    """`read` applied to a whole parsed value (null stays null); JsonCoercionError with the path."""
    if value is None:
        return None
    try:
        return read(value)
    except _Fail as e:
        raise JsonCoercionError(e.raw, "$" + e.path, ("$", *e.parts)) from None


def row_reader(columns: list[tuple[str, SqlType]]) -> Reader:
    """The column values (a list) of a wrapped row: a JSON object read as a STRUCT of these columns."""
    fields = [(n, reader(t)) for n, t in columns]
    required = connect_type_text(SqlType("STRUCT", fields=tuple(columns)))

    def read(v: Any) -> list[Any]:
        if v.__class__ is not dict:
            raise _invalid(v, required)
        upper: dict[str, Any] | None = None
        out: list[Any] = []
        for n, r in fields:
            if n in v:
                x = v[n]
            else:
                if upper is None:
                    upper = {str(k).upper(): y for k, y in v.items()}
                x = upper.get(n)
            if x is None:
                out.append(None)
                continue
            try:
                out.append(r(x))
            except _Fail as e:
                raise _Fail(e.raw, (f".{n}", *e.parts)) from None
        return out

    return read
