"""ksqlDB 0.29 OperatorTest (ksqldb-common, schema): Operator.resultType of + - * / % over columns of every
SqlBaseType (the test's TYPES), as the SQL type of a selected expression or the statement's error
(ExpressionTypeManager wraps it in "Error processing expression: ..."). The DECIMAL results follow the test's
binary resolvers, SqlDecimal.add / subtract / multiply / divide / modulus, with INTEGER as DECIMAL(10, 0) and
BIGINT as DECIMAL(19, 0)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from .conftest import Exec

# SqlBaseType -> (column, type) as OperatorTest.TYPES
TYPES = {
    "BOOLEAN": ("A", "BOOLEAN"),
    "INTEGER": ("I", "INTEGER"),
    "BIGINT": ("B", "BIGINT"),
    "DECIMAL": ("D", "DECIMAL(2, 1)"),
    "DOUBLE": ("F", "DOUBLE"),
    "STRING": ("S", "STRING"),
    "TIME": ("T", "TIME"),
    "DATE": ("DT", "DATE"),
    "TIMESTAMP": ("TS", "TIMESTAMP"),
    "BYTES": ("BYT", "BYTES"),
    "ARRAY": ("AR", "ARRAY<BIGINT>"),
    "MAP": ("M", "MAP<STRING, INTEGER>"),
    "STRUCT": ("ST", "STRUCT<`f` INTEGER>"),
}
COLUMNS = ", ".join(f"{c} {t}" for c, t in TYPES.values())
NUMERIC = ("INTEGER", "BIGINT", "DECIMAL", "DOUBLE")
OPS = ["+", "-", "*", "/", "%"]

Dec = tuple[int, int]


def _add(l: Dec, r: Dec) -> Dec:  # noqa: E741
    scale = max(l[1], r[1])
    return scale + max(l[0] - l[1], r[0] - r[1]) + 1, scale


def _multiply(l: Dec, r: Dec) -> Dec:  # noqa: E741
    return l[0] + r[0] + 1, l[1] + r[1]


def _divide(l: Dec, r: Dec) -> Dec:  # noqa: E741
    scale = max(6, l[1] + r[0] + 1)
    return l[0] - l[1] + r[1] + scale, scale


def _modulus(l: Dec, r: Dec) -> Dec:  # noqa: E741
    scale = max(l[1], r[1])
    return min(l[0] - l[1], r[0] - r[1]) + scale, scale


RESOLVERS: dict[str, Callable[[Dec, Dec], Dec]] = {
    "+": _add,
    "-": _add,
    "*": _multiply,
    "/": _divide,
    "%": _modulus,
}
AS_DECIMAL = {"INTEGER": (10, 0), "BIGINT": (19, 0), "DECIMAL": (2, 1)}


def _expected(op: str, left: str, right: str) -> str:
    """assertConversionRule: the wider of two non-DECIMALs; DOUBLE over DECIMAL; else the resolver."""
    if "DOUBLE" in (left, right):
        return "DOUBLE"
    if "DECIMAL" in (left, right):
        p, s = RESOLVERS[op](AS_DECIMAL[left], AS_DECIMAL[right])
        return f"DECIMAL({p}, {s})"
    return "BIGINT" if "BIGINT" in (left, right) else "INTEGER"


def _expr(op: str, left: str, right: str) -> str:
    return f"{TYPES[left][0]} {op} {TYPES[right][0]}"


def test_should_resolve_valid_add_return_type_of_strings(ex: Exec) -> None:
    """shouldResolveValidAddReturnType: STRING + STRING is a STRING."""
    assert ex.select("S + S", columns=COLUMNS).type == "STRING"


@pytest.mark.parametrize("op", OPS)
@pytest.mark.parametrize("left", NUMERIC)
@pytest.mark.parametrize("right", NUMERIC)
def test_conversion_rule(ex: Exec, op: str, left: str, right: str) -> None:
    """shouldResolve{Add,Subtract,Multiply,Divide,Modulus}ReturnType (assertConversionRule)."""
    assert ex.select(_expr(op, left, right), columns=COLUMNS).type == _expected(op, left, right)


def test_decimal_examples(ex: Exec) -> None:
    """A few of assertConversionRule's DECIMAL results spelt out."""
    sel = ex.select("I + D", "D * B", "D / I", "D % B", "D / D", "D - F", columns=COLUMNS)
    assert sel.types == [
        "DECIMAL(12, 1)",
        "DECIMAL(22, 1)",
        "DECIMAL(13, 12)",
        "DECIMAL(2, 1)",
        "DECIMAL(8, 6)",
        "DOUBLE",
    ]


@pytest.mark.parametrize("op", OPS)
@pytest.mark.parametrize("other", list(TYPES))
def test_should_throw_exception_when_null_type(ex: Exec, op: str, other: str) -> None:
    """shouldThrowExceptionWhenNullType: a NULL literal has no type."""
    col, sql_type = TYPES[other]
    assert ex.refuse(f"{col} {op} NULL", columns=COLUMNS) == (
        f"Error processing expression: ({col} {op} null). Arithmetic on types {sql_type} and null are not supported."
    )
    assert ex.refuse(f"NULL {op} {col}", columns=COLUMNS) == (
        f"Error processing expression: (null {op} {col}). Arithmetic on types null and {sql_type} are not supported."
    )


@pytest.mark.parametrize("op", OPS)
@pytest.mark.parametrize("left", list(TYPES))
@pytest.mark.parametrize("right", list(TYPES))
def test_should_work_using_same_rules_as_base_type_up_cast_rules(
    ex: Exec, op: str, left: str, right: str
) -> None:
    """shouldWorkUsingSameRulesAsBaseTypeUpCastRules: numbers with numbers, and + on two STRINGs; anything
    else is refused with Operator.resultType's message."""
    expr = _expr(op, left, right)
    if (left in NUMERIC and right in NUMERIC) or (op == "+" and left == right == "STRING"):
        ex.select(expr, columns=COLUMNS)
    else:
        assert ex.refuse(expr, columns=COLUMNS) == (
            f"Error processing expression: ({expr}). Unsupported arithmetic types. {left} {right}"
        )
