"""The rows of /inserts-stream as ksqlDB 0.29 reads them: column names are identifiers (upper-cased unless
back-quoted), every key column must be given, and values go through the API's strict coercion (JSON numbers
widen to wider numeric types and DECIMAL, strings only make STRING, DECIMAL, BYTES and the time types;
no string is read as a number or boolean, no number as a string). A value that does not fit is a 40000
"Can't coerce a field of type <Java class> into type <SQL type>", as the Java server names its Jackson types.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any

from ksqlserver.catalog.metastore import DataSource
from ksqlserver.catalog.sqltime import parse_date, parse_time, parse_timestamp
from ksqlserver.catalog.types import SqlType
from ksqlserver.errors import KsqlBadRequestError, KsqlError, KsqlInternalError
from ksqlserver.formats.coerce import INT_MAX, INT_MIN, LONG_MAX, LONG_MIN, converter

INSERTS_SERVER_ERROR = "Error in processing inserts. Check server logs for details."


class InsertRowError(KsqlBadRequestError):
    """A row of an inserts stream that ksqlDB refuses with 40000 (the row's ack carries the message)."""


def _java_class(value: Any) -> str:
    """The class Vert.x's JSON decoding gives a value (Jackson: int, then long, then BigInteger)."""
    if isinstance(value, bool):
        return "class java.lang.Boolean"
    if isinstance(value, int):
        if INT_MIN <= value <= INT_MAX:
            return "class java.lang.Integer"
        return "class java.lang.Long" if LONG_MIN <= value <= LONG_MAX else "class java.math.BigInteger"
    if isinstance(value, float):
        return "class java.lang.Double"
    if isinstance(value, str):
        return "class java.lang.String"
    if isinstance(value, list):
        return "class io.vertx.core.json.JsonArray"
    if isinstance(value, dict):
        return "class io.vertx.core.json.JsonObject"
    return f"class {type(value).__name__}"


def identifier_text(name: str) -> str:
    """ksqlDB's Identifiers.getIdentifierText: a name in back-quotes or double quotes keeps its case (a
    doubled quote inside stands for one), anything else is upper-cased. Raises ValueError with
    validateAndUnquote's reason for a badly quoted name."""
    if not name:
        return ""
    quote = name[0]
    if quote not in "`\"":
        return name.upper()
    if len(name) < 2 or name[-1] != quote:
        raise ValueError("Expected matching quote at end of value")
    i = 1
    while i < len(name) - 1:
        if name[i] == quote:
            if name[i + 1] != quote or i + 1 == len(name) - 1:
                raise ValueError(f"Un-escaped quote in middle of value at index {i}")
            i += 2
        else:
            i += 1
    return name[1:-1].replace(quote * 2, quote)


def normalise_names(obj: Mapping[str, Any]) -> dict[str, Any]:
    """JsonUtil.convertJsonFieldCase: the row's (or struct's) names as identifiers."""
    out: dict[str, Any] = {}
    for raw, value in obj.items():
        try:
            name = identifier_text(str(raw))
        except ValueError as e:
            raise InsertRowError(f"Invalid column / struct field name. Name: {raw}. Reason: {e}.") from None
        if name in out:
            raise InsertRowError(f"Found duplicate column / struct field name: {name}")
        out[name] = value
    return out


def _fits(value: Any, t: SqlType) -> bool:
    """Whether ksqlDB's API coercer accepts this JSON value for type `t` (before any range/precision check
    the converter makes)."""
    if value is None:
        return True
    base = t.base
    is_int = isinstance(value, int) and not isinstance(value, bool)
    if base == "BOOLEAN":
        return isinstance(value, bool)
    if base == "INTEGER":
        return is_int and INT_MIN <= value <= INT_MAX
    if base == "BIGINT":
        return is_int and LONG_MIN <= value <= LONG_MAX
    if base == "DOUBLE":
        return (is_int and LONG_MIN <= value <= LONG_MAX) or isinstance(value, float)
    if base == "DECIMAL":
        return (is_int and LONG_MIN <= value <= LONG_MAX) or isinstance(value, (float, str))
    if base in ("STRING", "TIMESTAMP", "TIME", "DATE", "BYTES"):
        return isinstance(value, str)
    if base == "ARRAY":
        return isinstance(value, list) and t.item is not None and all(_fits(v, t.item) for v in value)
    if base == "MAP":
        if not isinstance(value, dict) or t.key is None or t.item is None:
            return False
        return all(_fits(k, t.key) and _fits(v, t.item) for k, v in value.items())
    if base == "STRUCT":
        if not isinstance(value, dict):
            return False
        given = normalise_names(value)
        return all(_fits(given.get(name), ftype) for name, ftype in t.fields or ())
    return True


_TIME_PARSERS = {"TIMESTAMP": parse_timestamp, "TIME": parse_time, "DATE": parse_date}


def _convert(value: Any, t: SqlType) -> Any:
    """A value `_fits` accepted, as type `t`. Structs, arrays and maps recurse as ApiSqlValueCoercer's
    coerceStruct / coerceArray / coerceMap do, so a struct at any depth has its names read as identifiers
    (JsonUtil.convertJsonFieldCase)."""
    if value is None:
        return None
    if t.base == "STRUCT":
        given = normalise_names(value)
        return {name: _convert(given.get(name), ftype) for name, ftype in t.fields or ()}
    if t.base == "ARRAY" and t.item is not None:
        return [_convert(v, t.item) for v in value]
    if t.base == "MAP" and t.key is not None and t.item is not None:
        return {_convert(k, t.key): _convert(v, t.item) for k, v in value.items()}
    if t.base in _TIME_PARSERS and isinstance(value, str):
        return _TIME_PARSERS[t.base](value.strip())
    return converter(t, strict_boolean=True)(value)


def _coerce(value: Any, t: SqlType) -> Any:
    failure = InsertRowError(f"Can't coerce a field of type {_java_class(value)} into type {t}")
    if not _fits(value, t):
        raise failure
    try:
        return _convert(value, t)
    except KsqlError as exc:
        raise failure from exc


def _column_value(value: Any, t: SqlType) -> Any:
    if t.base == "BYTES" and value is not None:
        # ksqlDB base64-decodes a BYTES column before coercing it: text that is not base64 (or a value that
        # is not text) fails outside the coercer, as a server error
        if not isinstance(value, str):
            raise KsqlInternalError(INSERTS_SERVER_ERROR)
        try:
            return base64.b64decode(value, validate=True)
        except ValueError:
            raise KsqlInternalError(INSERTS_SERVER_ERROR) from None
    return _coerce(value, t)


def row_values(target: DataSource, row: Mapping[str, Any]) -> dict[str, Any]:
    """Column name -> converted value for one inserts-stream row (ROWTIME and unknown names are ignored:
    ksqlDB stamps the record with the time it produces it)."""
    given = normalise_names(row)
    values: dict[str, Any] = {}
    for column in target.schema.key:
        value = given.get(column.name)
        if value is None:
            raise InsertRowError(f"Key field must be specified: {column.name}")
        values[column.name] = _column_value(value, column.type)
    for column in target.schema.value_only:
        values[column.name] = _column_value(given.get(column.name), column.type)
    return values
