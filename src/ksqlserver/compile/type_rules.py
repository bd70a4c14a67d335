"""ksqlDB 0.29's typing rules for expressions: arithmetic result types (DECIMAL precision and scale as
SqlDecimal computes them, without a cap), which comparisons are valid (ComparisonUtil), literal types
(DecimalUtil.fromValue), and the implicit coercions of user lists (DefaultSqlValueCoercer's STRICT rules
for expressions and LAX rules for literals)."""

from __future__ import annotations

from decimal import Context, Decimal

from ksqlserver.catalog import types as T
from ksqlserver.catalog.types import SqlType
from ksqlserver.sql import ast

# DECIMAL values of up to 38 digits (and literals beyond): the default context's 28 digits would raise
_WIDE = Context(prec=1000)

_NUM_ORDER = ("INTEGER", "BIGINT", "DECIMAL", "DOUBLE")
_TIME = ("TIME", "DATE", "TIMESTAMP")
EQUALITY = ("=", "<>", "IS DISTINCT FROM", "IS NOT DISTINCT FROM")


def to_decimal_type(t: SqlType) -> SqlType:
    """DecimalUtil.toSqlDecimal: INTEGER is DECIMAL(10, 0), BIGINT DECIMAL(19, 0)."""
    return T.decimal_for_int(t)


def widen_decimal(a: SqlType, b: SqlType) -> SqlType:
    """DecimalUtil.widen: a DECIMAL holding every value of both (integer or DECIMAL) types."""
    da, db = to_decimal_type(a), to_decimal_type(b)
    pa, sa, pb, sb = da.precision or 0, da.scale or 0, db.precision or 0, db.scale or 0
    scale = max(sa, sb)
    return T.decimal(max(pa - sa, pb - sb) + scale, scale)


def _implicit(a: str, b: str) -> bool:
    """SqlBaseType.canImplicitlyCast for numbers: a is no wider than b."""
    return _NUM_ORDER.index(a) <= _NUM_ORDER.index(b)


def arithmetic_type(op: str, a: SqlType | None, b: SqlType | None) -> SqlType | None:
    """The result type of `a op b` (Operator.resultType); None when the operands are not numeric (or two
    strings for +). Nulls are the caller's error ("Arithmetic on types ... are not supported")."""
    if a is None or b is None:
        return None
    if op == "+" and a.base == "STRING" and b.base == "STRING":
        return T.STRING
    if not (a.is_numeric and b.is_numeric):
        return None
    if "DOUBLE" in (a.base, b.base):
        return T.DOUBLE
    if "DECIMAL" not in (a.base, b.base):
        return T.BIGINT if "BIGINT" in (a.base, b.base) else T.INTEGER
    da, db = to_decimal_type(a), to_decimal_type(b)
    p1, s1, p2, s2 = da.precision or 0, da.scale or 0, db.precision or 0, db.scale or 0
    if op in ("+", "-"):
        s = max(s1, s2)
        p = max(p1 - s1, p2 - s2) + s + 1
    elif op == "*":
        p, s = p1 + p2 + 1, s1 + s2
    elif op == "/":
        s = max(6, s1 + p2 + 1)
        p = p1 - s1 + s2 + s
    else:
        s = max(s1, s2)
        p = min(p1 - s1, p2 - s2) + s
    return T.decimal(p, s)


def valid_comparison(a: SqlType, op: str, b: SqlType) -> bool:
    """ComparisonUtil.isValidComparison (both types known): the left type decides what the right may be."""
    x, y = a.base, b.base
    if a.is_numeric:
        return b.is_numeric
    if x == "STRING":
        return y == "STRING" or y in _TIME
    if x in ("BOOLEAN", "ARRAY", "MAP", "STRUCT"):
        return y == x and op in EQUALITY
    if x == "TIME":
        return y in ("TIME", "STRING")
    if x in ("DATE", "TIMESTAMP"):
        return y in ("DATE", "TIMESTAMP", "STRING")
    if x == "BYTES":
        return y == "BYTES"
    return False


def null_comparison_message(a: SqlType | None, op: str, b: SqlType | None) -> str:
    op_text = "IS DISTINCT FROM" if op == "IS NOT DISTINCT FROM" else op
    return (
        f"Comparison with NULL not supported: {'NULL' if a is None else a.base} {op_text} "
        f"{'NULL' if b is None else b.base}\nUse 'IS NULL' or 'IS NOT NULL' instead."
    )


def decimal_type_of(value: Decimal) -> SqlType:
    """DecimalUtil.fromValue: the DECIMAL type of a literal value (0.05 is DECIMAL(3, 2), 0.0 DECIMAL(2, 1))."""
    d = value
    if d.as_tuple().exponent > 0:  # type: ignore[operator]
        d = d.quantize(Decimal(1), context=_WIDE)
    _, digits, exp = d.as_tuple()
    scale = max(-int(exp), 0)
    if -1 < d < 1:
        return T.decimal(scale + 1, scale)
    precision = len(digits) if d != 0 else 1
    return T.decimal(max(precision, 1), scale)


def literal_type(e: ast.Literal) -> SqlType | None:
    if isinstance(e, ast.IntegerLiteral):
        return T.INTEGER
    if isinstance(e, ast.LongLiteral):
        return T.BIGINT
    if isinstance(e, ast.DoubleLiteral):
        return T.DOUBLE
    if isinstance(e, ast.DecimalLiteral):
        return decimal_type_of(e.value)
    if isinstance(e, ast.StringLiteral):
        return T.STRING
    if isinstance(e, ast.BooleanLiteral):
        return T.BOOLEAN
    return None


# --- coercion of user lists (IN lists, ARRAY / MAP constructors) ----------------------------------

_STRICT = {
    "BOOLEAN": ("BOOLEAN",),
    "INTEGER": ("INTEGER", "BIGINT", "DECIMAL", "DOUBLE"),
    "BIGINT": ("BIGINT", "DECIMAL", "DOUBLE"),
    "DECIMAL": ("DECIMAL", "DOUBLE"),
    "DOUBLE": ("DOUBLE",),
    "STRING": ("STRING", "TIMESTAMP", "TIME", "DATE", "BYTES"),
    "TIMESTAMP": ("TIMESTAMP",),
    "TIME": ("TIME",),
    "DATE": ("DATE",),
    "BYTES": ("BYTES",),
}
_LAX_EXTRA = {
    "BOOLEAN": ("STRING",),
    "INTEGER": ("STRING",),
    "BIGINT": ("STRING",),
    "DECIMAL": ("STRING",),
    "DOUBLE": ("STRING",),
    "STRING": ("BOOLEAN", "INTEGER", "BIGINT", "DECIMAL", "DOUBLE"),
    "TIMESTAMP": ("STRING",),
    "TIME": ("STRING",),
    "DATE": ("STRING",),
}


def can_coerce(src: SqlType, dst: SqlType, lax: bool = False) -> SqlType | None:
    """DefaultSqlValueCoercer.canCoerce: the type values of `src` take when coerced to `dst` (a DECIMAL
    target is widened to hold the source), or None. `lax` adds the literal rules (to and from STRING)."""
    s, d = src.base, dst.base
    if s == d and s in ("ARRAY", "MAP", "STRUCT"):
        if s == "ARRAY":
            item = can_coerce(src.item, dst.item, lax)  # type: ignore[arg-type]
            return None if item is None else T.array(item)
        if s == "MAP":
            key = can_coerce(src.key, dst.key, lax)  # type: ignore[arg-type]
            val = can_coerce(src.item, dst.item, lax)  # type: ignore[arg-type]
            return None if key is None or val is None else T.map_of(key, val)
        fields: list[tuple[str, SqlType]] = []
        names = list(dict.fromkeys([n for n, _ in src.fields or ()] + [n for n, _ in dst.fields or ()]))
        for n in names:
            ft, tt = src.field_type(n), dst.field_type(n)
            if ft is None or tt is None:
                fields.append((n, tt or ft))  # type: ignore[arg-type]
                continue
            common = can_coerce(ft, tt, lax)
            if common is None:
                return None
            fields.append((n, common))
        return T.struct(fields)
    allowed = _STRICT.get(s, ()) + (_LAX_EXTRA.get(s, ()) if lax else ())
    if d not in allowed:
        return None
    if d == "DECIMAL" and s != "STRING":
        return widen_decimal(src, dst)
    return dst
