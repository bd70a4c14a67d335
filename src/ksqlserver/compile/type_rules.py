"""ksqlDB's typing rules for expressions: arithmetic result types, comparability, literal types."""

from __future__ import annotations

from ksqlserver.catalog import types as T
from ksqlserver.catalog.types import SqlType
from ksqlserver.sql import ast


def arithmetic_type(op: str, a: SqlType | None, b: SqlType | None) -> SqlType | None:
    """ksqlDB's result type of `a op b`; None when the operands are not numeric (or strings for +)."""
    if a is None and b is None:
        return None
    a = a or b
    b = b or a
    assert a is not None and b is not None
    if a.base == "STRING" and b.base == "STRING" and op in ("+", "||"):
        return T.STRING
    if not (a.is_numeric and b.is_numeric):
        return None
    if "DOUBLE" in (a.base, b.base):
        return T.DOUBLE
    if "DECIMAL" in (a.base, b.base):
        da, db = T.decimal_for_int(a), T.decimal_for_int(b)
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
        if p > 38:
            s = max(s - (p - 38), min(s, 6))
            p = 38
        return T.decimal(max(p, 1), min(s, max(p, 1)))
    return T.BIGINT if "BIGINT" in (a.base, b.base) else T.INTEGER


def comparable(a: SqlType | None, b: SqlType | None, op: str) -> bool:
    if a is None or b is None:
        return True
    if a.is_numeric and b.is_numeric:
        return True
    if a.base in ("ARRAY", "MAP", "STRUCT") or b.base in ("ARRAY", "MAP", "STRUCT"):
        return a == b and op in ("=", "<>", "IS DISTINCT FROM", "IS NOT DISTINCT FROM")
    if {a.base, b.base} <= {"TIMESTAMP", "STRING", "DATE", "TIME"} and "STRING" in (a.base, b.base):
        return True
    if {a.base, b.base} <= {"TIMESTAMP", "DATE"}:
        return True
    return a.base == b.base


def literal_type(e: ast.Literal) -> SqlType | None:
    if isinstance(e, ast.IntegerLiteral):
        return T.INTEGER
    if isinstance(e, ast.LongLiteral):
        return T.BIGINT
    if isinstance(e, ast.DoubleLiteral):
        return T.DOUBLE
    if isinstance(e, ast.DecimalLiteral):
        _, digits, exp = e.value.as_tuple()
        scale = max(-int(exp), 0)
        return T.decimal(max(len(digits), scale, 1), scale)
    if isinstance(e, ast.StringLiteral):
        return T.STRING
    if isinstance(e, ast.BooleanLiteral):
        return T.BOOLEAN
    return None
