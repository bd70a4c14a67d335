"""ksqlDB's coercion of user lists (CoercionUtil): the elements of an IN list (with the value first), of
an ARRAY constructor and the keys or the values of a MAP constructor are brought to one common type.

The first non-null element's type leads. A later element joins it by the STRICT coercion rules, or, if it
is a literal, the LAX ones (any literal to STRING, STRING literals to numbers and BOOLEAN); a STRING
literal holding a number widens a numeric common type just enough; nested constructors are coerced
element by element; STRUCTs unite their fields. Literals are converted at compile time, other
expressions get a CAST (evaluated with nested error handling). A failure raises `CoercionFailure` with
ksqlDB's text ("operator does not exist: ...", "invalid input syntax for type ...").
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Context, Decimal
from typing import Any, Protocol

from ksqlserver.catalog import sqltime
from ksqlserver.catalog import types as T
from ksqlserver.catalog.casts import (
    CastError,
    decode_base64,
    ensure_max,
    parse_java_boolean_exact,
    parse_java_decimal,
    parse_java_double,
    parse_java_int,
    plain,
)
from ksqlserver.catalog.types import SqlType
from ksqlserver.compile.type_rules import _implicit, can_coerce, decimal_type_of, widen_decimal
from ksqlserver.formats.javatext import java_double
from ksqlserver.sql import ast
from ksqlserver.sql.printer import sql

# DECIMAL values of up to 38 digits (and literals beyond): the default context's 28 digits would raise
_WIDE = Context(prec=1000)


class ExpressionCompiler(Protocol):
    """What coercion needs of the expression compiler (declared here: the compiler imports this module)."""

    def const(self, value: Any) -> str: ...
    def known_type(self, e: ast.Expression) -> SqlType | None: ...
    def cast_code(self, code: str, e: ast.Expression, src: SqlType | None, dst: SqlType) -> str: ...


Item = tuple[ast.Expression, str, SqlType | None]  # (expression, its code, its type)

_INT_MIN, _INT_MAX = -(2**31), 2**31 - 1
_LONG_MIN, _LONG_MAX = -(2**63), 2**63 - 1


class CoercionFailure(Exception):
    """Elements that cannot be brought to one type; the message is ksqlDB's."""


def _failure(e: ast.Expression, src: SqlType | None, dst: SqlType) -> CoercionFailure:
    return CoercionFailure(
        f"operator does not exist: {dst} = {src} ({sql(e)})\nHint: You might need to add explicit type casts."
    )


def _invalid_syntax(value: str, t: SqlType) -> CoercionFailure:
    return CoercionFailure(f'invalid input syntax for type {t.base}: "{value}".')


def common_type(comp: ExpressionCompiler, items: Sequence[Item]) -> SqlType | None:
    """The common type of the elements, in order; None when all are NULL literals (or there are none)."""
    result: SqlType | None = None
    for e, _, t in items:
        result = _resolve(comp, e, t, result)
    return result


def coerce_list(comp: ExpressionCompiler, items: Sequence[Item]) -> tuple[SqlType | None, list[str]]:
    """The common type and each element's code converted to it."""
    common = common_type(comp, items)
    if common is None:
        return None, [c for _, c, _ in items]
    return common, [convert(comp, e, c, t, common) for e, c, t in items]


def _resolve(comp: ExpressionCompiler, e: ast.Expression, t: SqlType | None, common: SqlType | None) -> SqlType | None:
    if common is None:
        return t
    if t is None:
        return common
    if isinstance(e, ast.CreateArray):
        if common.base != "ARRAY":
            raise _failure(e, t, common)
        try:
            item = _structured(comp, common.item, e.items)  # type: ignore[arg-type]
        except CoercionFailure as inner:
            raise _failure(e, t, common) from inner
        return T.array(item)
    if isinstance(e, ast.CreateMap):
        if common.base != "MAP":
            raise _failure(e, t, common)
        try:
            key = _structured(comp, common.key, [k for k, _ in e.entries])  # type: ignore[arg-type]
            val = _structured(comp, common.item, [v for _, v in e.entries])  # type: ignore[arg-type]
        except CoercionFailure as inner:
            raise _failure(e, t, common) from inner
        return T.map_of(key, val)
    if isinstance(e, ast.CreateStruct):
        if common.base != "STRUCT":
            raise _failure(e, t, common)
        try:
            return _struct(comp, e, common)
        except CoercionFailure as inner:
            raise _failure(e, t, common) from inner
    if isinstance(e, ast.StringLiteral):
        if common.is_numeric:
            return _numeric_from_string(e.value, common)
        if common.base == "BOOLEAN":
            if parse_java_boolean_exact(e.value.strip()) is None:
                raise _invalid_syntax(e.value, common)
            return common
    lax = isinstance(e, ast.Literal)
    found = can_coerce(t, common, lax) or can_coerce(common, t, lax)
    if found is None:
        raise _failure(e, t, common)
    return found


def _structured(comp: ExpressionCompiler, target: SqlType, exprs: Sequence[ast.Expression]) -> SqlType:
    if not exprs:
        return target
    result: SqlType | None = target
    for x in exprs:
        result = _resolve(comp, x, comp.known_type(x), result)
    return result or target


def _struct(comp: ExpressionCompiler, e: ast.CreateStruct, common: SqlType) -> SqlType:
    names = list(dict.fromkeys([n for n, _ in e.fields] + [n for n, _ in common.fields or ()]))
    values = dict(e.fields)
    fields: list[tuple[str, SqlType]] = []
    for n in names:
        target = common.field_type(n)
        if n not in values:
            fields.append((n, target))  # type: ignore[arg-type]
            continue
        src = comp.known_type(values[n])
        if target is None:
            fields.append((n, src or T.STRING))
            continue
        fields.append((n, _resolve(comp, values[n], src, target) or target))
    return T.struct(fields)


def string_numeric_type(value: str) -> SqlType:
    """The type of the number in a STRING literal: INTEGER or BIGINT when integral, else its DECIMAL."""
    d = parse_java_decimal(value.strip())
    if not any(ch in value for ch in ".eE") and d.as_tuple().exponent == 0:
        v = int(d)
        if _INT_MIN < v < _INT_MAX:
            return T.INTEGER
        if _LONG_MIN < v < _LONG_MAX:
            return T.BIGINT
    return decimal_type_of(d)


def _numeric_from_string(value: str, target: SqlType) -> SqlType:
    try:
        src = string_numeric_type(value)
    except CastError:
        raise _invalid_syntax(value, target) from None
    if "DOUBLE" in (src.base, target.base):
        return T.DOUBLE
    if "DECIMAL" in (src.base, target.base):
        return widen_decimal(src, target)
    return target if _implicit(src.base, target.base) else src


# --- converting elements to the common type ---------------------------------------------------------


def convert(comp: ExpressionCompiler, e: ast.Expression, code: str, t: SqlType | None, common: SqlType) -> str:
    if t is None or t == common:
        return code
    if isinstance(e, ast.Literal) and not isinstance(e, ast.NullLiteral):
        value = coerce_literal(e.value, common)  # type: ignore[attr-defined]
        return comp.const(value)
    return comp.cast_code(code, e, t, common)


def coerce_literal(value: Any, t: SqlType) -> Any:
    """LAX coercion of a literal's value to `t` (DefaultSqlValueCoercer.LAX.coerce)."""
    b = t.base
    try:
        if b == "STRING":
            if isinstance(value, bool):
                return "true" if value else "false"
            if isinstance(value, float):
                return java_double(value)
            if isinstance(value, Decimal):
                return plain(value)
            return str(value)
        if isinstance(value, str):
            text = value.strip()
            if b == "BOOLEAN":
                parsed = parse_java_boolean_exact(text)
                if parsed is None:
                    raise CastError(text)
                return parsed
            if b == "INTEGER":
                return parse_java_int(text, 32)
            if b == "BIGINT":
                return parse_java_int(text, 64)
            if b == "DOUBLE":
                return parse_java_double(text)
            if b == "DECIMAL":
                return _fit(parse_java_decimal(text), t)
            if b == "TIMESTAMP":
                return sqltime.parse_timestamp(text)
            if b == "DATE":
                return sqltime.parse_date(text)
            if b == "TIME":
                return sqltime.parse_time(text)
            if b == "BYTES":
                return decode_base64(text)
        elif b == "DECIMAL" and isinstance(value, int | Decimal) and not isinstance(value, bool):
            return _fit(Decimal(value), t)
        elif b == "DOUBLE" and isinstance(value, int | Decimal | float) and not isinstance(value, bool):
            return float(value)
        elif isinstance(value, bool):
            if b == "BOOLEAN":
                return value
        elif b in ("INTEGER", "BIGINT") and isinstance(value, int):
            return value
    except Exception as err:
        raise CoercionFailure(f"Unexpected error generating code for {t}: {err}") from None
    raise CoercionFailure(f"Unexpected error generating code: cannot coerce {value!r} to {t}")


def _fit(d: Decimal, t: SqlType) -> Decimal:
    """DecimalUtil.ensureFit: no overflow and no rounding."""
    p, s = t.precision or 1, t.scale or 0
    ensure_max(d, p, s)
    q = d.quantize(Decimal(1).scaleb(-s), context=_WIDE)
    if q != d:
        raise CastError(
            f"Cannot fit decimal '{plain(d)}' into DECIMAL({p}, {s}) without rounding. "
            f"(Requires {len(d.as_tuple().digits)},{max(-int(d.as_tuple().exponent), 0)})"
        )
    return q


# --- values coerced to a column's type (INSERT VALUES) -----------------------------------------------


class ValueCoercionError(Exception):
    """A value the STRICT rules cannot bring to the column's type."""


def coerce_value(value: Any, src: SqlType | None, dst: SqlType) -> Any:
    """DefaultSqlValueCoercer.STRICT.coerce: numbers widen (DECIMALs without rounding), text becomes
    DATE/TIME/TIMESTAMP/BYTES, ARRAY/MAP/STRUCT element by element (missing struct fields null)."""
    if value is None or src is None:
        return value
    s, d = src.base, dst.base
    try:
        if s == d and s not in ("DECIMAL", "ARRAY", "MAP", "STRUCT"):
            return value
        if d == "BIGINT" and s == "INTEGER":
            return value
        if d == "DOUBLE" and s in ("INTEGER", "BIGINT", "DECIMAL"):
            return float(value)
        if d == "DECIMAL" and s in ("INTEGER", "BIGINT", "DECIMAL"):
            return _fit(Decimal(value), dst)
        if s == "STRING" and d in ("TIMESTAMP", "TIME", "DATE", "BYTES"):
            return coerce_literal(value, dst)
        if s == d == "ARRAY":
            return [coerce_value(x, src.item, dst.item) for x in value]  # type: ignore[arg-type]
        if s == d == "MAP":
            return {
                coerce_value(k, src.key, dst.key): coerce_value(x, src.item, dst.item)  # type: ignore[arg-type]
                for k, x in value.items()
            }
        if s == d == "STRUCT":
            return {
                n: coerce_value(value.get(n), src.field_type(n), ft) if src.field_type(n) else None
                for n, ft in dst.fields or ()
            }
    except (CastError, CoercionFailure, ValueCoercionError):
        pass
    raise ValueCoercionError(f"{value!r} of {src} to {dst}")
