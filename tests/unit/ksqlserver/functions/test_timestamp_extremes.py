"""TIMESTAMPTOSTRING / FORMAT_TIMESTAMP beyond Python's years 1..9999, as ksqlDB 0.29's TimestampToString
formats them: `new java.sql.Timestamp(ms).toInstant()` (whose constructor wraps Long.MIN_VALUE to year
+292278994) formatted by java.time's DateTimeFormatter (4+ year letters are SignStyle.EXCEEDS_PAD)."""

from __future__ import annotations

import pytest

from ksqlserver.functions.timefmt import format_ms, java_timestamp_instant
from ksqlserver.functions.timefuncs import timestamp_to_string


def test_java_timestamp_wraps_long_min_value() -> None:
    assert java_timestamp_instant(-(2**63)) == (9223372036854775, 192_000_000)
    assert java_timestamp_instant(2**63 - 1) == (9223372036854775, 807_000_000)
    assert java_timestamp_instant(-1500) == (-2, 500_000_000)


@pytest.mark.parametrize(
    ("ms", "text"),
    [
        (-(2**63), "+292278994-08-17 07:12:55.192"),  # recorded from ksqlDB 0.29 (difffunc/time)
        (2**63 - 1, "+292278994-08-17 07:12:55.807"),
        (253402300800000, "+10000-01-01 00:00:00.000"),
        (10000000000, "1970-04-26 17:46:40.000"),
        (-1, "1969-12-31 23:59:59.999"),
    ],
)
def test_timestamptostring_of_extreme_millis(ms: int, text: str) -> None:
    assert timestamp_to_string(ms, "yyyy-MM-dd HH:mm:ss.SSS") == text


def test_years_before_year_one_are_years_of_era() -> None:
    # proleptic year -1 is 2 BC: 'y' counts the era's years, 'u' is signed
    ms = -62135596800000 - 86_400_000 * 400
    assert format_ms(ms, "yyyy-MM-dd G uuuu") == "0002-11-28 BC -0001"
