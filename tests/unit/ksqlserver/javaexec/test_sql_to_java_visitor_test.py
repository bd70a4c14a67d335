"""ksqlDB 0.29 SqlToJavaVisitorTest (ksqldb-execution, codegen): the semantics of the code it generates, run
through the engine. DECIMAL arithmetic is BigDecimal's op with MathContext(precision, UNNECESSARY) and
setScale(scale) (shouldGenerateCorrectCodeForDecimalAdd/Subtract/Multiply/Divide/Mod), so a division by zero
fails as BigDecimal.divide does ("Division by zero", 0/0 "Division undefined") and an inexact quotient with
"Rounding necessary"; integer arithmetic is Java's (wrapping, `/ by zero`), DOUBLE's is IEEE."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from .conftest import Exec

COLS = (
    "COL8 DECIMAL(2, 1), Z DECIMAL(2, 1), T DECIMAL(2, 1), I INT, J INT, COL0 BIGINT, COL3 DOUBLE, COL12 TIME, "
    "TS TIMESTAMP, DT DATE, S STRING, B BYTES"
)
ROW = {
    "COL8": 1.5, "Z": 0.0, "T": 0.7, "I": 7, "J": 0, "COL0": 5, "COL3": 6.5, "COL12": 5025000, "TS": 864000000,
    "DT": 10, "S": "x", "B": "ew==",
}  # fmt: skip


@pytest.mark.parametrize(
    ("expression", "type_", "value"),
    [
        ("COL8 + COL8", "DECIMAL(3, 1)", Decimal("3.0")),  # shouldGenerateCorrectCodeForDecimalAdd
        ("COL8 - COL8", "DECIMAL(3, 1)", Decimal("0.0")),  # ...DecimalSubtract
        ("COL8 * COL8", "DECIMAL(5, 2)", Decimal("2.25")),  # ...DecimalMultiply
        ("COL8 / COL8", "DECIMAL(8, 6)", Decimal("1.000000")),  # ...DecimalDivide
        ("COL8 % COL8", "DECIMAL(2, 1)", Decimal("0.0")),  # ...DecimalMod
        ("COL8 + COL0", "DECIMAL(21, 1)", Decimal("6.5")),  # shouldGenerateCastLongToDecimalInBinaryExpression
        ("COL8 + COL3", "DOUBLE", Decimal("8.0")),  # shouldGenerateCastDecimalToDoubleInBinaryExpression
        ("-COL8", "DECIMAL(2, 1)", Decimal("-1.5")),  # ...DecimalNegation
        ("+COL8", "DECIMAL(2, 1)", Decimal("1.5")),  # ...DecimalUnaryPlus
        ("COL8 = 1.50", "BOOLEAN", True),  # ...DecimalDecimalEQ: compareTo, not equals (scales differ)
        ("COL8 > COL3", "BOOLEAN", False),  # ...DecimalDoubleEQ / DoubleDecimalEQ
        ("COL3 = COL8", "BOOLEAN", False),
        ("I - 5 < -1", "BOOLEAN", False),  # shouldGenerateCorrectCodeForComparisonWithNegativeNumbers
        ("COL12 < '01:23:46'", "BOOLEAN", True),  # ...TimeStringEQ / TimeTimeLT
        ("COL12 = '01:23:45'", "BOOLEAN", True),
        ("TS > DT", "BOOLEAN", False),  # ...TimestampDateGT
        ("TS >= '1970-01-10'", "BOOLEAN", True),  # ...TimestampStringGEQ
        ("DT < '1970-01-12'", "BOOLEAN", True),  # ...DateStringEQ / DateDateLT
        ("B > TO_BYTES('bg==', 'base64')", "BOOLEAN", True),  # ...BytesBytesGT
        ("CAST('2020-01-01' AS DATE) >= CAST('2020-01-01' AS DATE)", "BOOLEAN", True),  # ...WhichAreComparable
        # shouldGenerateCorrectCodeForCaseStatement / ...WithNoElse
        ("CASE WHEN I < 10 THEN 'small' WHEN I < 100 THEN 'medium' ELSE 'large' END", "STRING", "small"),
        ("CASE WHEN J < 0 THEN 'small' END", "STRING", None),
        ("I IN (1, 7)", "BOOLEAN", True),  # shouldGenerateCorrectCodeForInPredicate
        ("S LIKE 'x'", "BOOLEAN", True),  # shouldGenerateCorrectCodeForLikePattern
        ("S LIKE '!%' ESCAPE '!'", "BOOLEAN", False),  # ...LikePatternWithEscape
        ("S LIKE S", "BOOLEAN", True),  # ...LikePatternWithColRef
        ("'a''b'", "STRING", "a'b"),  # shouldEscapeQuotesInStringLiteral
        # Java int arithmetic wraps; DOUBLE division by zero is IEEE
        ("2147483647 + I", "INTEGER", -2147483642),
        ("-2147483648 / -1", "INTEGER", -2147483648),
        ("COL3 / 0", "DOUBLE", "Infinity"),
    ],
)  # fmt: skip
def test_values(ex: Exec, expression: str, type_: str, value: Any) -> None:
    out = ex.select(expression, columns=COLS, row=ROW)
    assert (out.type, out.value, out.errors) == (type_, value, [])


@pytest.mark.parametrize(
    ("expression", "cause"),
    [
        ("COL8 / Z", "Division by zero"),  # BigDecimal.divide(divisor, mc)
        ("Z / Z", "Division undefined"),
        ("COL8 % Z", "Division by zero"),  # BigDecimal.remainder divides first
        ("Z % Z", "Division undefined"),
        ("COL8 / T", "Rounding necessary"),  # 1.5 / 0.7 does not terminate within MathContext(8, UNNECESSARY)
        ("I / J", "/ by zero"),  # Java int division
        ("I % J", "/ by zero"),
        ("COL0 / 0", "/ by zero"),
    ],
)
def test_arithmetic_failures(ex: Exec, expression: str, cause: str) -> None:
    """A failing expression logs ksqlDB's "Error computing expression" with Java's ArithmeticException message
    as the cause, and the column is null."""
    out = ex.select(expression, columns=COLS, row=ROW)
    assert out.value is None
    assert out.errors == [f"Error computing expression ({expression}) for column C0 with index 0\n{cause}"]


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        # shouldThrowOnTimestampTimeLEQ / shouldThrowOnTimeDateNEQ: ExpressionTypeManager refuses them first
        ("TS <= COL12", "Cannot compare TS (TIMESTAMP) to COL12 (TIME) with LESS_THAN_OR_EQUAL."),
        ("COL12 <> DT", "Cannot compare COL12 (TIME) to DT (DATE) with NOT_EQUAL."),
    ],
)
def test_refused_comparisons(ex: Exec, expression: str, message: str) -> None:
    assert ex.refuse(expression, columns=COLS).startswith(message)


def test_many_case_conditions(ex: Exec) -> None:
    """shouldGenerateCorrectCodeForCaseStatementWith13Conditions: the first true WHEN wins."""
    whens = " ".join(f"WHEN I = {n} THEN '{n}'" for n in range(1, 14))
    out = ex.select(f"CASE {whens} ELSE 'none' END", columns=COLS, row=ROW)
    assert (out.type, out.value) == ("STRING", "7")


def test_many_arguments(ex: Exec) -> None:
    """shouldHandleManyArguments: a variadic call with hundreds of arguments compiles and runs."""
    args = ", ".join(f"'{n}'" for n in range(300))
    out = ex.select(f"CONCAT({args})", columns=COLS, row=ROW)
    assert out.value == "".join(str(n) for n in range(300))


# shouldProcessCreateArrayExpressionCorrectly / CreateMap / Struct, visitCast, visitFunctionCall: with
# ksql.nested.error.set.null (KsqlConfig, true for new queries) each array item, map key and value, struct
# field, CAST and function-call argument is evaluated by SqlToJavaVisitor.evaluateOrReturnNull: a failure is
# null in place, the rest of the value is kept.
NESTED = [
    ("ARRAY[I / J, 1]", [None, 1], "Error processing array item"),
    ("MAP('a' := I / J, 'b' := 1)", {"a": None, "b": 1}, "Error processing map value"),
    ("STRUCT(A := I / J, B := 1)", {"A": None, "B": 1}, "Error processing struct field"),
    ("CAST(S AS INTEGER)", None, "Error processing INTEGER"),
    ("ABS(CAST(I / J AS DOUBLE))", None, "Error processing DOUBLE"),
]


@pytest.mark.parametrize(("expression", "value", "message"), NESTED)
def test_nested_failures(ex: Exec, expression: str, value: Any, message: str) -> None:
    """The failure is logged as RecordProcessingError("Error processing <what>", cause) and the column itself
    does not fail (no "Error computing expression" entry)."""
    out = ex.select(expression, columns=COLS, row=ROW)
    assert out.value == value
    assert [e.split("\n")[0] for e in out.errors] == [message]
