"""ksqlDB 0.29 StringToTimestampParserTest (ksqldb-common, util/timestamp): StringToTimestampParser.parse /
parseZoned / parseToTimestamp as STRINGTOTIMESTAMP and PARSE_TIMESTAMP show them (both build a
StringToTimestampParser from the format and parse in the zone given), the zone pinned instead of the JVM's
default."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from .conftest import Exec

GMT_3 = timezone(timedelta(hours=3))


def _ms(dt: datetime) -> int:
    return (dt - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(milliseconds=1)


FIFTH_OF_NOVEMBER = datetime(1605, 11, 5, tzinfo=UTC)


def _parse(ex: Exec, text: str, fmt: str, zone: str = "UTC") -> int:
    text, fmt = text.replace("'", "''"), fmt.replace("'", "''")
    sel = ex.select(f"STRINGTOTIMESTAMP('{text}', '{fmt}', '{zone}')")
    assert sel.errors == []
    value: int = sel.value
    return value


@pytest.mark.parametrize(
    ("name", "fmt", "text", "expected"),
    [
        ("shouldParseBasicLocalDate", "yyyy-MM-dd HH", "1605-11-05 10", FIFTH_OF_NOVEMBER.replace(hour=10)),
        ("shouldConvertToMillis", "yyyy-MM-dd HH", "1605-11-05 10", FIFTH_OF_NOVEMBER.replace(hour=10)),
        (
            "shouldParseFullLocalDateWithPartialSeconds",
            "yyyy-MM-dd HH:mm:ss:SSS",
            "1605-11-05 10:10:10:010",
            FIFTH_OF_NOVEMBER.replace(hour=10, minute=10, second=10, microsecond=10_000),
        ),
        (
            "shouldParseFullLocalDateWithNanoSeconds",
            "yyyy-MM-dd HH:mm:ss:nnnnnnnnn",
            "1605-11-05 10:10:10:001000000",
            FIFTH_OF_NOVEMBER.replace(hour=10, minute=10, second=10, microsecond=1_000),
        ),
        (
            "shouldParseFullLocalDateWithOptionalElements",
            "yyyy-MM-dd[ HH:mm:ss]",
            "1605-11-05",
            FIFTH_OF_NOVEMBER,
        ),
        ("shouldParseMonthNameCaseInsensitively", "dd-MMM-yyyy", "05-NoV-1605", FIFTH_OF_NOVEMBER),
        (
            "shouldParseDateTimeWithDayOfYear",
            "yyyy-DDD HH",
            f"1605-{FIFTH_OF_NOVEMBER.timetuple().tm_yday} 10",
            FIFTH_OF_NOVEMBER.replace(hour=10),
        ),
        (
            "shouldParseLeapDay",
            "yyyy-MM-dd'T'HH:mm:ss.SSS",
            "2012-12-31T23:59:58.660",
            datetime(2012, 12, 31, 23, 59, 58, 660_000, tzinfo=UTC),
        ),
        ("shouldResolveDefaultsForEmpty", "", "", datetime(1970, 1, 1, tzinfo=UTC)),
        ("shouldResolveDefaultsForPartial", "yyyy", "2019", datetime(2019, 1, 1, tzinfo=UTC)),
        (
            "shouldResolveDefaultsForDayOfYear",
            "DDD",
            "100",
            datetime(1970, 1, 1, tzinfo=UTC) + timedelta(days=99),
        ),
    ],
)
def test_parse(ex: Exec, name: str, fmt: str, text: str, expected: datetime) -> None:
    """StringToTimestampParserTest's parse / parseZoned cases (the same instant, in UTC)."""
    assert _parse(ex, text, fmt) == _ms(expected)


def test_should_parse_to_timestamp(ex: Exec) -> None:
    """shouldParseToTimestamp: parseToTimestamp, PARSE_TIMESTAMP's TIMESTAMP."""
    sel = ex.select("PARSE_TIMESTAMP('1605-11-05 10', 'yyyy-MM-dd HH', 'UTC')")
    assert (sel.value, sel.type) == (_ms(FIFTH_OF_NOVEMBER.replace(hour=10)), "TIMESTAMP")


def test_should_parse_full_local_date_with_passed_in_time_zone(ex: Exec) -> None:
    """shouldParseFullLocalDateWithPassedInTimeZone: the local time read in the zone passed in."""
    expected = datetime(1605, 11, 5, 10, tzinfo=GMT_3)
    assert _parse(ex, "1605-11-05 10", "yyyy-MM-dd HH", "GMT+3") == _ms(expected)


def test_should_parse_full_local_date_with_time_zone(ex: Exec) -> None:
    """shouldParseFullLocalDateWithTimeZone: a zone in the text wins over the one passed in."""
    expected = datetime(1605, 11, 5, 10, tzinfo=GMT_3)
    assert _parse(ex, "1605-11-05 10 GMT+3 ", "yyyy-MM-dd HH O ", "UTC") == _ms(expected)


def test_should_throw_error_for_leap_day_without_year(ex: Exec) -> None:
    """shouldThrowErrorForLeapDayWithoutYear: the KsqlException of day 366 without a year, which the
    function wraps in its own message (the row's column is null, the error logged)."""
    sel = ex.select("STRINGTOTIMESTAMP('366', 'DDD', 'UTC')")
    assert sel.value is None
    [error] = sel.errors
    assert "Failed to parse timestamp '366' at timezone 'UTC' with formatter 'DDD'" in error
    assert "Leap day cannot be parsed without supplying the year field" in error
