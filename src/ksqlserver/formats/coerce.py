"""Converters from loosely typed values (REST inserts, test records) to a column's SQL type.

Built once per column type, applied per record: numbers for strings and numeric strings for numbers;
"true"/"false" strings for booleans unless `strict_boolean`. The JSON format reads its input as ksqlDB's
JSON deserialiser does in `json_values` instead (Java's narrowing and parsing, exact decimals).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from decimal import Context as _Context
from typing import Any

from ksqlserver.catalog.types import SqlType
from ksqlserver.formats.base import SerdeError

Converter = Callable[[Any], Any]

INT_MIN, INT_MAX = -(2**31), 2**31 - 1
LONG_MIN, LONG_MAX = -(2**63), 2**63 - 1

_CTX = _Context(prec=200)  # DECIMAL(38, s) arithmetic never hits the default 28 digits


def _fail(value: Any, t: SqlType) -> SerdeError:
    return SerdeError(
        f"Can't convert type. sourceType: {type(value).__name__}, requiredType: {t}, value: {value!r}"
    )


def fit_decimal(value: Decimal, t: SqlType) -> Decimal:
    """Round to the column's scale (half-up) and reject values beyond its precision."""
    q = value.quantize(Decimal(1).scaleb(-(t.scale or 0)), rounding=ROUND_HALF_UP, context=_CTX)
    digits = len(q.as_tuple().digits)
    scale = t.scale or 0
    if max(digits, scale + 1) - scale > (t.precision or 0) - scale and q != 0:
        raise SerdeError(f"Numeric field overflow: value {value} does not fit {t}")
    return q


def converter(t: SqlType, strict_boolean: bool = False) -> Converter:
    """A function converting one JSON-ish value (or None) to the Python value of type `t`.

    `strict_boolean`: only JSON true/false make a BOOLEAN, as ksqlDB's JSON deserialiser reads them (a
    "true" string there is a deserialisation error); otherwise "true"/"false" strings are accepted too."""
    b = t.base
    if b == "BOOLEAN":

        def conv(v: Any) -> Any:
            if v is None or isinstance(v, bool):
                return v
            if not strict_boolean and isinstance(v, str) and v.lower() in ("true", "false"):
                return v.lower() == "true"
            raise _fail(v, t)

        return conv
    if b in ("INTEGER", "BIGINT", "TIMESTAMP", "DATE", "TIME"):
        lo, hi = (INT_MIN, INT_MAX) if b in ("INTEGER", "DATE", "TIME") else (LONG_MIN, LONG_MAX)

        def conv(v: Any) -> Any:
            if v is None:
                return None
            if isinstance(v, bool):
                raise _fail(v, t)
            if isinstance(v, int):
                r = v
            elif isinstance(v, (float, Decimal)):
                r = int(v)
            elif isinstance(v, str):
                try:
                    r = int(v.strip())
                except ValueError:
                    try:
                        r = int(Decimal(v.strip()))
                    except InvalidOperation:
                        raise _fail(v, t) from None
            else:
                raise _fail(v, t)
            if not lo <= r <= hi:
                raise _fail(v, t)
            return r

        return conv
    if b == "DOUBLE":

        def conv(v: Any) -> Any:
            if v is None:
                return None
            if isinstance(v, bool):
                raise _fail(v, t)
            if isinstance(v, (int, float, Decimal)):
                return float(v)
            if isinstance(v, str):
                try:
                    return float(v)
                except ValueError:
                    raise _fail(v, t) from None
            raise _fail(v, t)

        return conv
    if b == "DECIMAL":

        def conv(v: Any) -> Any:
            if v is None:
                return None
            if isinstance(v, bool):
                raise _fail(v, t)
            try:
                d = v if isinstance(v, Decimal) else Decimal(repr(v) if isinstance(v, float) else str(v))
            except InvalidOperation:
                raise _fail(v, t) from None
            return fit_decimal(d, t)

        return conv
    if b == "STRING":

        def conv(v: Any) -> Any:
            if v is None or isinstance(v, str):
                return v
            if isinstance(v, bool):
                return "true" if v else "false"
            if isinstance(v, (int, Decimal)):
                return str(v)
            if isinstance(v, float):
                from ksqlserver.formats.javatext import java_double

                return java_double(v)
            return json.dumps(v, separators=(",", ":"), default=str)

        return conv
    if b == "BYTES":

        def conv(v: Any) -> Any:
            if v is None or isinstance(v, bytes):
                return v
            if isinstance(v, str):
                try:
                    return base64.b64decode(v, validate=True)
                except ValueError:
                    raise _fail(v, t) from None
            raise _fail(v, t)

        return conv
    if b == "ARRAY":
        item = converter(t.item, strict_boolean)  # type: ignore[arg-type]

        def conv(v: Any) -> Any:
            if v is None:
                return None
            if not isinstance(v, list):
                raise _fail(v, t)
            return [item(x) for x in v]

        return conv
    if b == "MAP":
        key = converter(t.key, strict_boolean)  # type: ignore[arg-type]
        val = converter(t.item, strict_boolean)  # type: ignore[arg-type]

        def conv(v: Any) -> Any:
            if v is None:
                return None
            if not isinstance(v, dict):
                raise _fail(v, t)
            return {key(k): val(x) for k, x in v.items()}

        return conv
    if b == "STRUCT":
        fields = [(n, converter(ft, strict_boolean)) for n, ft in t.fields or ()]

        def conv(v: Any) -> Any:
            if v is None:
                return None
            if not isinstance(v, dict):
                raise _fail(v, t)
            upper = None
            out = {}
            for n, c in fields:
                if n in v:
                    out[n] = c(v[n])
                else:
                    if upper is None:
                        upper = {str(k).upper(): x for k, x in v.items()}
                    out[n] = c(upper.get(n.upper()))
            return out

        return conv
    raise SerdeError(f"Unsupported type {t}")
