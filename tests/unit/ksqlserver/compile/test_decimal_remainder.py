"""DECIMAL `%` as ksqlDB 0.29 generates it (SqlToJavaVisitor.visitArithmeticBinary: `a.remainder(b, new
MathContext(p, UNNECESSARY)).setScale(s)`), whose BigDecimal.divideToIntegralValue divides to p digits rounding
DOWN and refuses the quotient ("Division impossible", the column null) only when the dropped digits leave a
remainder at least the divisor. Values observed on the real engine (the /work/oracle differential oracle):
DECIMAL(10,3) % DECIMAL(4,2) is DECIMAL(5,3)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ksqlserver.compile.helpers import dec_op

MOD = dec_op("%", 5, 3)


@pytest.mark.parametrize(
    ("a", "b", "want"),
    [
        ("-9999999.999", "99.99", "-0.099"),  # quotient -100010: 6 digits, the dropped one is 0
        ("9999999.999", "99.99", "0.099"),
        ("0.000", "-0.01", "0.000"),
        ("12.34", "1234567.891", "12.340"),  # |a| < |b|: a itself
    ],
)
def test_remainder_values(a: str, b: str, want: str) -> None:
    assert str(MOD(Decimal(a), Decimal(b))) == want


def test_quotient_too_long_for_the_precision() -> None:
    with pytest.raises(ArithmeticError, match="Division impossible"):
        MOD(Decimal("1234567.891"), Decimal("12.34"))  # ksqlDB writes null
