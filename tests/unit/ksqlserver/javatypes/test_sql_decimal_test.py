"""ksqlDB 0.29's SqlDecimalTest (ksqldb-udf, io.confluent.ksql.schema.ksql.types): DECIMAL's text, its
precision/scale checks (the statement is refused while it is prepared) and the result types of decimal
arithmetic (SqlDecimal.add/subtract/multiply/divide/modulus), as a query's output schema shows them."""

from __future__ import annotations

from typing import Any

import pytest

COLUMNS = "A21 DECIMAL(2, 1), A22 DECIMAL(2, 2), A32 DECIMAL(3, 2), A33 DECIMAL(3, 3), A31 DECIMAL(3, 1)"


def test_implement_to_string(t: Any) -> None:
    """SqlDecimalTest.shouldReturnBaseType / shouldReturnPrecision / shouldReturnScale /
    shouldImplementToString: DECIMAL(10, 2)."""
    text = t.create("D DECIMAL(10,2)", name="S")
    assert "(D DECIMAL(10, 2))" in text
    assert t.types("S") == {"D": "DECIMAL(10, 2)"}


@pytest.mark.parametrize(
    ("declared", "message"),
    [
        ("DECIMAL(0, 2)", "DECIMAL precision must be >= 1: DECIMAL(0,2)"),  # shouldThrowOnInvalidPrecision
        ("DECIMAL(10, -1)", "DECIMAL scale must be >= 0: DECIMAL(10,-1)"),  # shouldThrowOnInvalidScale
        ("DECIMAL(2, 3)", "DECIMAL precision must be >= scale: DECIMAL(2,3)"),  # shouldThrowIfScaleGreaterThanPrecision
    ],
)
def test_throw_on_invalid_parameters(t: Any, declared: str, message: str) -> None:
    """SqlDecimalTest.shouldThrowOnInvalidPrecision / shouldThrowOnInvalidScale /
    shouldThrowIfScaleGreaterThanPrecision: SqlDecimal.validateParameters' SchemaException."""
    assert t.create_error(f"D {declared}") == f"Failed to prepare statement: {message}"


def _types(t: Any, *exprs: str) -> list[str]:
    row = {"A21": 1.5, "A22": 0.5, "A32": 1.25, "A33": 0.125, "A31": 10.5}
    types: list[str] = t.select(*exprs, columns=COLUMNS, row=row).types
    return types


def test_resolve_decimal_addition(t: Any) -> None:
    """SqlDecimalTest.shouldResolveDecimalAddition."""
    assert _types(t, "A21 + A21", "A21 + A22", "A22 + A21", "A21 + A32", "A32 + A21") == [
        "DECIMAL(3, 1)", "DECIMAL(4, 2)", "DECIMAL(4, 2)", "DECIMAL(4, 2)", "DECIMAL(4, 2)",
    ]


def test_resolve_decimal_subtraction(t: Any) -> None:
    """SqlDecimalTest.shouldResolveDecimalSubtraction."""
    assert _types(t, "A21 - A21", "A21 - A22", "A22 - A21", "A21 - A32", "A32 - A21") == [
        "DECIMAL(3, 1)", "DECIMAL(4, 2)", "DECIMAL(4, 2)", "DECIMAL(4, 2)", "DECIMAL(4, 2)",
    ]


def test_resolve_decimal_multiply(t: Any) -> None:
    """SqlDecimalTest.shouldResolveDecimalMultiply."""
    assert _types(t, "A21 * A21", "A21 * A22", "A22 * A21", "A32 * A21") == [
        "DECIMAL(5, 2)", "DECIMAL(5, 3)", "DECIMAL(5, 3)", "DECIMAL(6, 3)",
    ]


def test_resolve_decimal_divide(t: Any) -> None:
    """SqlDecimalTest.shouldResolveDecimalDivide."""
    assert _types(t, "A21 / A21", "A21 / A22", "A22 / A21", "A33 / A33", "A33 / A32") == [
        "DECIMAL(8, 6)", "DECIMAL(9, 6)", "DECIMAL(7, 6)", "DECIMAL(10, 7)", "DECIMAL(9, 7)",
    ]


def test_resolve_decimal_mod(t: Any) -> None:
    """SqlDecimalTest.shouldResolveDecimalMod."""
    assert _types(t, "A21 % A21", "A22 % A21", "A21 % A22", "A31 % A22") == [
        "DECIMAL(2, 1)", "DECIMAL(2, 2)", "DECIMAL(2, 2)", "DECIMAL(2, 2)",
    ]


def test_cast_target_checked_alike(t: Any) -> None:
    """A CAST's DECIMAL target is built by the same SqlTypeParser, so the same checks refuse it."""
    assert t.refuse("CAST(X AS DECIMAL(2, 3))") == (
        "Failed to prepare statement: DECIMAL precision must be >= scale: DECIMAL(2,3)"
    )
    assert t.refuse("CAST(X AS DECIMAL(0, 0))") == "Failed to prepare statement: DECIMAL precision must be >= 1: DECIMAL(0,0)"
