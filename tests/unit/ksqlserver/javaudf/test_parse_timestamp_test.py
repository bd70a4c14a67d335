"""ksqlDB 0.29 ParseTimestampTest (function/udf/datetime): ParseTimestamp.parseTimestamp(String, String[,
String zone]) parses as SimpleDateFormat in GMT would (shouldBehaveLikeSimpleDateFormat; the expected millis are
SimpleDateFormat's, computed once with a JDK), zones, embedded literals, error texts, nulls."""

from __future__ import annotations

from typing import Any

import pytest

from ksqlserver.catalog import types as T
from ksqlserver.errors import KsqlError

S = T.STRING


@pytest.mark.parametrize(
    ("text", "pattern", "millis"),
    [
        ("2021-12-01 12:10:11.123", "yyyy-MM-dd HH:mm:ss.SSS", 1638360611123),  # shouldParseTimestamp
        ("2021-12-01T12:10:11.123Fred", "yyyy-MM-dd'T'HH:mm:ss.SSS'Fred'", 1638360611123),  # shouldSupportEmbeddedChars
        ("2018-12-01 10:12:13.456X7", "yyyy-MM-dd HH:mm:ss.SSS'X7'", 1543659133456),  # ...ManyDifferentFormatters
        # shouldBehaveLikeSimpleDateFormat
        ("2021-12-01 12:10:11.123-0800", "yyyy-MM-dd HH:mm:ss.SSSX", 1638389411123),
        ("2021-12-01 12:10:11.123 +00", "yyyy-MM-dd HH:mm:ss.SSS X", 1638360611123),
        ("2021-12-01 12:10:11.123 PST", "yyyy-MM-dd HH:mm:ss.SSS z", 1638389411123),
        ("2021-12-01 12:10:11.123 -0800", "yyyy-MM-dd HH:mm:ss.SSS Z", 1638389411123),
        ("2021-12-01 12:10:11", "yyyy-MM-dd HH:mm:ss", 1638360611000),
        ("2021-12-01 12:10:11 -0700", "yyyy-MM-dd HH:mm:ss X", 1638385811000),
        ("2021-12-01 12:10", "yyyy-MM-dd HH:mm", 1638360600000),
        ("2021-12-01 12:10 -0700", "yyyy-MM-dd HH:mm X", 1638385800000),
        ("2021-12-01 12", "yyyy-MM-dd HH", 1638360000000),
        ("2021-12-01 12 -0700", "yyyy-MM-dd HH X", 1638385200000),
        ("2021-12-01", "yyyy-MM-dd", 1638316800000),
        ("2021-12-01 PST", "yyyy-MM-dd z", 1638345600000),
        ("2021-12-01 UTC", "yyyy-MM-dd z", 1638316800000),
        ("2021-12", "yyyy-MM", 1638316800000),
        ("2021", "yyyy", 1609459200000),
        ("12", "MM", 28857600000),
        ("01", "dd", 0),
        ("01", "HH", 3600000),
        ("01", "mm", 60000),
    ],
)
def test_like_simple_date_format(call: Any, text: str, pattern: str, millis: int) -> None:
    assert call("PARSE_TIMESTAMP", [S, S], text, pattern) == millis


def test_zones(call: Any) -> None:  # shouldSupportUTCTimeZone, shouldSupportPSTTimeZone
    assert call("PARSE_TIMESTAMP", [S, S, S], "2018-08-15 17:10:43", "yyyy-MM-dd HH:mm:ss", "UTC") == 1534353043000
    assert call("PARSE_TIMESTAMP", [S, S, S], "2018-08-15 10:10:43", "yyyy-MM-dd HH:mm:ss",
                "America/Los_Angeles") == 1534353043000


@pytest.mark.parametrize(
    ("text", "pattern", "message"),
    [
        ("2021-12-01 12:10:11.123", "invalid", "Unknown pattern letter: i"),  # shouldThrowIfFormatInvalid
        ("invalid", "yyyy-MM-dd'T'HH:mm:ss.SSS", "Text 'invalid' could not be parsed at index 0"),
        ("", "yyyy-MM-dd'T'HH:mm:ss.SSS", "Text '' could not be parsed at index 0"),  # shouldThrowOnEmptyString
    ],
)
def test_failures(call: Any, text: str, pattern: str, message: str) -> None:
    with pytest.raises(KsqlError) as err:
        call("PARSE_TIMESTAMP", [S, S], text, pattern)
    assert message in err.value.message


def test_nulls(call: Any) -> None:  # shouldHandleNullTimeStamp, shouldHandleNullFormat, shouldHandleNullTimeZone
    assert call("PARSE_TIMESTAMP", [S, S, S], None, "yyyy-MM-dd HH:mm:ss", "UTC") is None
    assert call("PARSE_TIMESTAMP", [S, S, S], "2018-08-15 17:10:43", None, "UTC") is None
    assert call("PARSE_TIMESTAMP", [S, S, S], "2018-08-15 17:10:43", "yyyy-MM-dd HH:mm:ss", None) is None


def test_through_the_engine(udf: Any) -> None:
    r = udf.select("PARSE_TIMESTAMP('2021-12-01 12:10:11.123 -0800', 'yyyy-MM-dd HH:mm:ss.SSS Z')",
                   "PARSE_TIMESTAMP('2018-08-15 10:10:43', 'yyyy-MM-dd HH:mm:ss', 'America/Los_Angeles')",
                   "PARSE_TIMESTAMP('x', 'invalid')")
    assert r.values == [1638389411123, 1534353043000, None]
    assert r.types == ["TIMESTAMP"] * 3
    assert "Unknown pattern letter: i" in r.errors[0]


@pytest.mark.parametrize(
    ("text", "pattern", "tz", "expected"),
    [
        ('2021-12-01 12:10:11 +05:30', 'yyyy-MM-dd HH:mm:ss z', None, 1638340811000),
        ('2021-12-01 12:10:11 -0800', 'yyyy-MM-dd HH:mm:ss z', None, "Text '2021-12-01 12:10:11 -0800' could not be parsed at index 20"),
        ('2021-12-01 12:10:11 GMT+8', 'yyyy-MM-dd HH:mm:ss z', None, "Text '2021-12-01 12:10:11 GMT+8' could not be parsed, unparsed text found at index 23"),
        ('2021-12-01 12:10:11 GMT+08:00', 'yyyy-MM-dd HH:mm:ss z', None, 1638331811000),
        ('2021-12-01 12:10:11 +05:30', 'yyyy-MM-dd HH:mm:ss Z', None, "Text '2021-12-01 12:10:11 +05:30' could not be parsed at index 20"),
        ('2021-12-01 12:10:11 -0800', 'yyyy-MM-dd HH:mm:ss XXX', None, "Text '2021-12-01 12:10:11 -0800' could not be parsed at index 20"),
        ('2021-12-01 12:10:11 GMT+8', 'yyyy-MM-dd HH:mm:ss O', None, 1638331811000),
        ('2021-12-01 12:10:11 GMT+8', 'yyyy-MM-dd HH:mm:ss VV', None, "Text '2021-12-01 12:10:11 GMT+8' could not be parsed, unparsed text found at index 23"),
        ('2021-12-01 12:10:11 PST', 'yyyy-MM-dd HH:mm:ss VV', None, "Text '2021-12-01 12:10:11 PST' could not be parsed at index 20"),
        ('2021-12-01 12:10:11.123', 'yyyy-MM-dd HH:mm:ss.n', None, 1638360611000),
        ('2021-12-01 24', 'yyyy-MM-dd HH', None, 1638403200000),
        ('2021-12-01 24:30', 'yyyy-MM-dd HH:mm', None, "Text '2021-12-01 24:30' could not be parsed: Invalid value for HourOfDay (valid values 0 - 23): 24"),
        ('2021-12-01 12:10 PM', 'yyyy-MM-dd KK:mm a', None, "Text '2021-12-01 12:10 PM' could not be parsed: Invalid value for HourOfAmPm (valid values 0 - 11): 12"),
        ('2021-13-01 10', 'yyyy-MM-dd HH', None, "Text '2021-13-01 10' could not be parsed: Invalid value for MonthOfYear (valid values 1 - 12): 13"),
        ('2021-060 10', 'yyyy-DDD HH', None, 1614592800000),
        ('2020-366 10', 'yyyy-DDD HH', None, 1609408800000),
        ('2021-366 10', 'yyyy-DDD HH', None, "Text '2021-366 10' could not be parsed: Invalid date 'DayOfYear 366' as '2021' is not a leap year"),
        ('2021-11-07 01:30:00.000', 'yyyy-MM-dd HH:mm:ss.SSS', 'America/Los_Angeles', 1636277400000),
        ('2021-03-14 02:30:00.000', 'yyyy-MM-dd HH:mm:ss.SSS', 'America/Los_Angeles', 1615717800000),
        ('2021-12-01 12:10:11', 'yyyy-MM-dd HH:mm:ss', '+05:30', 1638340811000),
    ],
)
def test_java_time_parsing_rules(call: Any, text: str, pattern: str, tz: str | None, expected: int | str) -> None:
    """StringToTimestampParser over DateTimeFormatterBuilder.parseCaseInsensitive().appendPattern(p) (expected
    values from ksqlDB 0.29's ParseTimestamp class run once on a JDK): `z` takes "+05:30" and "GMT+08:00" but not
    "-0800", and of "GMT+8" only "GMT"; Z/X/x/O/VV by their width; `n` is nano-of-second of any width; the SMART
    resolver's 24:00 is the next midnight; out-of-range fields and day-of-year; an autumn overlap keeps the
    offset ZonedDateTime.with carries from 1970-01-01 (PST), a spring gap shifts forward."""
    args = [text, pattern] + ([tz] if tz else [])
    if isinstance(expected, int):
        assert call("PARSE_TIMESTAMP", [S] * len(args), *args) == expected
        assert call("STRINGTOTIMESTAMP", [S] * len(args), *args) == expected
        return
    with pytest.raises(KsqlError) as err:
        call("PARSE_TIMESTAMP", [S] * len(args), *args)
    at = tz or "GMT"
    assert err.value.message == f"Failed to parse timestamp '{text}' at timezone '{at}' with formatter '{pattern}': {expected}"


def test_two_argument_form_names_gmt(call: Any) -> None:
    """ParseTimestamp.parseTimestamp(text, pattern) calls the three-argument form with "GMT", whose message names
    the zone."""
    with pytest.raises(KsqlError) as err:
        call("PARSE_TIMESTAMP", [S, S], "x", "yyyy")
    assert err.value.message == "Failed to parse timestamp 'x' at timezone 'GMT' with formatter 'yyyy': Text 'x' could not be parsed at index 0"
