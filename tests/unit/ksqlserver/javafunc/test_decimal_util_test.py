"""ksqlDB 0.29's DecimalUtilTest (ksqldb-common io.confluent.ksql.util.DecimalUtilTest): cast, toSqlDecimal,
fromValue, widen, ensureFit and SqlDecimal's checks, against `catalog.casts`, `catalog.types`,
`compile.type_rules` and `formats.javanum`. (CAST through SQL is in compile/test_ksqldb_evaluation_rules.py;
the Connect-schema helpers have no counterpart here.)"""

from __future__ import annotations

from decimal import Decimal

import pytest

from ksqlserver.catalog import types as T
from ksqlserver.catalog.casts import decimal_of_decimal, decimal_of_double, decimal_of_int, decimal_of_string
from ksqlserver.compile.type_rules import decimal_type_of, to_decimal_type, widen_decimal
from ksqlserver.errors import KsqlError
from ksqlserver.formats.javanum import ensure_fit


def _same(a: Decimal, b: str) -> bool:
    """BigDecimal.equals: value and scale."""
    return a == Decimal(b) and a.as_tuple().exponent == Decimal(b).as_tuple().exponent


@pytest.mark.parametrize(
    ("value", "precision", "scale", "expected"),
    [
        ("1.1", 3, 2, "1.10"),  # shouldCastDecimal
        ("1.1", 2, 1, "1.1"),  # shouldCastDecimalNoOp
        ("-1.1", 3, 2, "-1.10"),  # shouldCastDecimalNegative
        ("1.12", 2, 1, "1.1"),  # shouldCastDecimalRoundingDown
        ("-1.12", 2, 1, "-1.1"),  # shouldCastDecimalRoundingUpNegative
        ("1.19", 2, 1, "1.2"),  # shouldCastDecimalRoundingUp
        ("-1.19", 2, 1, "-1.2"),  # shouldCastDecimalRoundingDownNegative
    ],
)
def test_should_cast_decimal(value: str, precision: int, scale: int, expected: str) -> None:
    """shouldCastDecimal and its NoOp/Negative/Rounding variants"""
    assert _same(decimal_of_decimal(Decimal(value), precision, scale), expected)


def test_should_cast_int_bigint_double_and_string() -> None:
    """shouldCastInt, shouldCastIntNegative, shouldCastBigInt, shouldCastDouble, shouldCastDoubleNegative,
    shouldCastDoubleRoundDown, shouldCastDoubleRoundUp, shouldCastString, shouldCastStringNegative,
    shouldCastStringRoundDown, shouldCastStringRoundUp"""
    assert _same(decimal_of_int(1, 2, 1), "1.0")
    assert _same(decimal_of_int(-1, 2, 1), "-1.0")
    assert _same(decimal_of_int(1, 2, 1), "1.0")  # a Long
    assert _same(decimal_of_double(1.1, 2, 1), "1.1")
    assert _same(decimal_of_double(-1.1, 2, 1), "-1.1")
    assert _same(decimal_of_double(1.11, 2, 1), "1.1")
    assert _same(decimal_of_double(1.19, 2, 1), "1.2")
    assert _same(decimal_of_string("1.1", 3, 2), "1.10")
    assert _same(decimal_of_string("-1.1", 3, 2), "-1.10")
    assert _same(decimal_of_string("1.12", 2, 1), "1.1")
    assert _same(decimal_of_string("1.19", 2, 1), "1.2")


@pytest.mark.parametrize(
    "cast",
    [
        lambda: decimal_of_decimal(Decimal(10), 2, 1),  # shouldNotCastDecimalTooBig
        lambda: decimal_of_decimal(Decimal(-10), 2, 1),  # shouldNotCastDecimalTooNegative
        lambda: decimal_of_int(10, 2, 1),  # shouldNotCastIntTooBig
        lambda: decimal_of_int(-10, 2, 1),  # shouldNotCastIntTooNegative
        lambda: decimal_of_double(10.0, 2, 1),  # shouldNotCastDoubleTooBig
        lambda: decimal_of_double(-10.0, 2, 1),  # shouldNotCastDoubleTooNegative
        lambda: decimal_of_string("10", 2, 1),  # shouldNotCastStringTooBig
        lambda: decimal_of_string("-10", 2, 1),  # shouldNotCastStringTooNegative
    ],
)
def test_should_not_cast_too_big(cast: object) -> None:
    """shouldNotCast{Decimal,Int,Double,String}Too{Big,Negative}"""
    with pytest.raises(KsqlError, match="Numeric field overflow"):
        cast()  # type: ignore[operator]


def test_should_not_cast_string_non_number() -> None:
    """shouldNotCastStringNonNumber"""
    with pytest.raises(KsqlError):
        decimal_of_string("abc", 2, 1)


def test_should_convert_to_sql_decimal() -> None:
    """shouldConvertIntegerToSqlDecimal, shouldConvertLongToSqlDecimal, shouldConvertDecimalToSqlDecimal"""
    assert to_decimal_type(T.INTEGER) == T.decimal(10, 0)
    assert to_decimal_type(T.BIGINT) == T.decimal(19, 0)
    assert to_decimal_type(T.decimal(2, 2)) == T.decimal(2, 2)


@pytest.mark.parametrize(
    ("value", "precision", "scale"),
    [(".12", 3, 2), ("12.", 2, 0), ("0", 1, 0), ("12345.12345", 10, 5), ("0.005", 4, 3), ("1e3", 4, 0)],
)
def test_should_get_schema_from_decimal(value: str, precision: int, scale: int) -> None:
    """shouldGetSchemaFromDecimal2_2, 2_0, 1_0, 10_5, 4_3, shouldConvertFromBigDecimalWithNegativeScale"""
    assert decimal_type_of(Decimal(value)) == T.decimal(precision, scale)


def test_should_fail_if_builder_with_bad_precision_or_scale() -> None:
    """shouldFailIfBuilderWithZeroPrecision, shouldFailIfBuilderWithNegativeScale,
    shouldFailIfBuilderWithScaleGTPrecision"""
    with pytest.raises(KsqlError, match="DECIMAL precision must be >= 1"):
        T.decimal(0, 0)
    with pytest.raises(KsqlError, match="DECIMAL scale must be >= 0"):
        T.decimal(1, -1)
    with pytest.raises(KsqlError, match="DECIMAL precision must be >= scale"):
        T.decimal(1, 2)


def test_ensure_fit() -> None:
    """shouldEnsureFitIfExactMatch, shouldFailFitIfNotExactMatchMoreDigits, shouldFailFitIfTruncationNecessary"""
    assert ensure_fit(Decimal("1.2"), 2, 1) == Decimal("1.2")
    with pytest.raises(Exception) as e:
        ensure_fit(Decimal("12"), 2, 1)
    assert (
        "Numeric field overflow: A field with precision 2 and scale 1 must round to an absolute value less than "
        "10^1. Got 12" in str(e.value)
    )
    with pytest.raises(Exception) as e:
        ensure_fit(Decimal("1.23"), 2, 1)
    assert "Cannot fit decimal '1.23' into DECIMAL(2, 1) without rounding." in str(e.value)


def test_should_widen() -> None:
    """shouldWidenDecimalAndDecimal, shouldWidenIntAndLong, shouldWidenIntAndDecimal, shouldWidenBigIntAndDecimal"""
    assert widen_decimal(T.decimal(1, 0), T.decimal(14, 3)) == T.decimal(14, 3)
    assert widen_decimal(T.decimal(14, 3), T.decimal(1, 0)) == T.decimal(14, 3)
    assert widen_decimal(T.decimal(14, 14), T.decimal(1, 1)) == T.decimal(14, 14)
    assert widen_decimal(T.decimal(14, 4), T.decimal(14, 5)) == T.decimal(15, 5)
    assert widen_decimal(T.BIGINT, T.INTEGER) == T.decimal(19, 0)  # BIGINT_UPCAST_TO_DECIMAL
    assert widen_decimal(T.INTEGER, T.BIGINT) == T.decimal(19, 0)
    assert widen_decimal(T.decimal(4, 3), T.INTEGER) == T.decimal(13, 3)
    assert widen_decimal(T.INTEGER, T.decimal(11, 0)) == T.decimal(11, 0)
    assert widen_decimal(T.decimal(14, 3), T.BIGINT) == T.decimal(22, 3)
    assert widen_decimal(T.BIGINT, T.decimal(20, 0)) == T.decimal(20, 0)
