"""ksqlDB 0.29 CoercionUtilTest (ksqldb-execution, util): CoercionUtil.coerceUserList, observed through
ARRAY[...] (ExpressionTypeManager types a CreateArrayExpression with it, and SqlToJavaVisitor builds the list
from the coerced expressions): the common type, the coerced values, and the refusal message. The cases
tests/unit/ksqlserver/analyze/test_ksqldb_analysis_rules.py ports as types only get their values here."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from .conftest import Exec

COLS = (
    "`BOOL` BOOLEAN, `INT` INT, `BIGINT` BIGINT, `DECIMAL` DECIMAL(4, 2), `DOUBLE` DOUBLE, STR STRING, "
    "ARRAY_INT ARRAY<INT>, ARRAY_BIGINT ARRAY<BIGINT>, ARRAY_STR ARRAY<STRING>"
)
ROW = {"BOOL": True, "INT": 7, "BIGINT": 8, "DECIMAL": 1.25, "DOUBLE": 2.5, "STR": "s"}


@pytest.mark.parametrize(
    ("expression", "type_", "value"),
    [
        # shouldHandleSomeNulls
        ("ARRAY[NULL, 10, NULL, 20000000000, NULL]", "ARRAY<BIGINT>", [None, 10, None, 20000000000, None]),
        # shouldDriveCoercionFromFirstNonNullExpression
        ("ARRAY[NULL, 'false', true]", "ARRAY<STRING>", [None, "false", "true"]),
        ("ARRAY[NULL, true, 'false']", "ARRAY<BOOLEAN>", [None, True, False]),
        # shouldCoerceToBooleans
        ("ARRAY[true, 'FaLsE', `BOOL`]", "ARRAY<BOOLEAN>", [True, False, True]),
        # shouldCoerceToInts
        ("ARRAY[10, '\t -100 \t', `INT`]", "ARRAY<INTEGER>", [10, -100, 7]),
        # shouldCoerceToBigInts
        ("ARRAY[10, 1234567890, '\t -100 \t', `BIGINT`, `INT`]", "ARRAY<BIGINT>", [10, 1234567890, -100, 8, 7]),
        # shouldCoerceToBigIntIfStringNumericTooWideForInt
        ("ARRAY[10, '1234567890000']", "ARRAY<BIGINT>", [10, 1234567890000]),
        # shouldCoerceToDecimals
        ("ARRAY[10, 1234567890, '\t -100.010 \t', `BIGINT`, `DECIMAL`, `INT`]", "ARRAY<DECIMAL(22, 3)>",
         [Decimal("10.000"), Decimal("1234567890.000"), Decimal("-100.010"), Decimal("8.000"), Decimal("1.250"),
          Decimal("7.000")]),
        # shouldCoerceStringNumericWithENotationToDecimals
        ("ARRAY[10, '1e3']", "ARRAY<DECIMAL(10, 0)>", [10, 1000]),
        # shouldCoerceStringNumericWithDecimalPointToDecimals
        ("ARRAY[10, '1.0']", "ARRAY<DECIMAL(11, 1)>", [Decimal("10.0"), Decimal("1.0")]),
        # shouldCoerceToIntsToDecimals
        ("ARRAY[1.1, 10, `INT`]", "ARRAY<DECIMAL(11, 1)>", [Decimal("1.1"), Decimal("10.0"), Decimal("7.0")]),
        # shouldCoerceToDoubles
        ("ARRAY[10, 1234567890, 123.456e0, '\t -100.010 \t', `BIGINT`, `DECIMAL`, `INT`, `DOUBLE`]",
         "ARRAY<DOUBLE>", [10.0, 1234567890.0, Decimal("123.456"), Decimal("-100.01"), 8.0, Decimal("1.25"), 7.0,
                           Decimal("2.5")]),
        # shouldCoerceArrayOfCompatibleLiterals
        ("ARRAY[ARRAY[10, 289476], ARRAY['123456789000', '22', '\t -100 \t']]", "ARRAY<ARRAY<BIGINT>>",
         [[10, 289476], [123456789000, 22, -100]]),
        # shouldCoerceMapOfCompatibleLiterals (STRING keys: the test stream is JSON)
        ("ARRAY[MAP('10' := 289476), MAP('123456789000' := '\t -100 \t')]", "ARRAY<MAP<STRING, INTEGER>>",
         [{"10": 289476}, {"123456789000": -100}]),
        # shouldCoerceStructOfCompatibleLiterals
        ("ARRAY[STRUCT(`a` := 10), STRUCT(`a` := '123456789000')]", "ARRAY<STRUCT<`a` BIGINT>>",
         [{"a": 10}, {"a": 123456789000}]),
    ],
)  # fmt: skip
def test_coerced(ex: Exec, expression: str, type_: str, value: Any) -> None:
    out = ex.select(expression, columns=COLS, row=ROW)
    assert (out.type, out.value, out.errors) == (type_, value, [])


HINT = "\nHint: You might need to add explicit type casts."


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("ARRAY[true, 10]", "operator does not exist: BOOLEAN = INTEGER (10)" + HINT),  # shouldThrowOnIncompatible
        ("ARRAY[true, STR]", "operator does not exist: BOOLEAN = STRING (STR)"),  # ...StringExpressionToBoolean
        ("ARRAY[10, STR]", "operator does not exist: INTEGER = STRING (STR)"),  # ...StringExpressionToNumber
        ("ARRAY[ARRAY[10], ARRAY[false]]", "operator does not exist: ARRAY<INTEGER> = ARRAY<BOOLEAN> (ARRAY[false])"),
        ("ARRAY[ARRAY[10], ARRAY[STR]]", "operator does not exist: ARRAY<INTEGER> = ARRAY<STRING> (ARRAY[STR])"),
        ("ARRAY[MAP(10 := 289476), MAP('123456789000' := false)]",
         "operator does not exist: MAP<INTEGER, INTEGER> = MAP<STRING, BOOLEAN> (MAP('123456789000':=false))"),
        ("ARRAY[MAP(10 := 10), MAP(STR := 10)]",
         "operator does not exist: MAP<INTEGER, INTEGER> = MAP<STRING, INTEGER> (MAP(STR:=10))"),
        ("ARRAY[MAP(10 := 10), MAP(10 := STR)]",
         "operator does not exist: MAP<INTEGER, INTEGER> = MAP<INTEGER, STRING> (MAP(10:=STR))"),
        ("ARRAY[STRUCT(`a` := 10), STRUCT(`a` := false)]",
         "operator does not exist: STRUCT<`a` INTEGER> = STRUCT<`a` BOOLEAN> (STRUCT(a:=false))"),
        ("ARRAY[STRUCT(`a` := 10), STRUCT(`a` := STR)]",
         "operator does not exist: STRUCT<`a` INTEGER> = STRUCT<`a` STRING> (STRUCT(a:=STR))"),
    ],
)  # fmt: skip
def test_refused(ex: Exec, expression: str, message: str) -> None:
    assert ex.refuse(expression, columns=COLS).startswith(message)


def test_lambda_variables(ex: Exec) -> None:
    """shouldCoerceLambdaVariables: lambda variables coerce like columns (BIGINT then INT gives BIGINT)."""
    out = ex.select(
        "TRANSFORM(ARRAY_BIGINT, X => ARRAY[X, `INT`])", columns=COLS, row={**ROW, "ARRAY_BIGINT": [5]}
    )
    assert (out.type, out.value) == ("ARRAY<ARRAY<BIGINT>>", [[5, 7]])


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        # shouldHandleEmpty: no common type, so ExpressionTypeManager.visitCreateArrayExpression refuses
        ("ARRAY[]", "Array constructor cannot be empty. Please supply at least one element "
         "(see https://github.com/confluentinc/ksql/issues/4239)."),
        # shouldHandleOnlyNulls
        ("ARRAY[NULL, NULL]", "Cannot construct an array with all NULL elements "
         "(see https://github.com/confluentinc/ksql/issues/4239). As a workaround, you may "
         "cast a NULL value to the desired type."),
    ],
)  # fmt: skip
def test_no_common_type(ex: Exec, expression: str, message: str) -> None:
    assert ex.refuse(expression, columns=COLS) == message
