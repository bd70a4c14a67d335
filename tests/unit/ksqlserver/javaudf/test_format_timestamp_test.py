"""ksqlDB 0.29 FormatTimestampTest (function/udf/datetime): FormatTimestamp.formatTimestamp(Timestamp, String[,
String zone]) formats as SimpleDateFormat does in GMT unless a zone is given: named zones, "zz" names, nulls,
unknown zones and letters, round trip with ParseTimestamp (shouldBehaveLikeSimpleDateFormat's expected texts
computed once with a JDK)."""

from __future__ import annotations

from typing import Any

import pytest

from ksqlserver.catalog import types as T
from ksqlserver.errors import KsqlError

TS, S = T.TIMESTAMP, T.STRING
MILLIS = 1538361611123


@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        ("yyyy-MM-dd HH:mm:ss.SSS", "2018-10-01 02:40:11.123"),
        ("yyyy-MM-dd HH:mm:ss.SSSX", "2018-10-01 02:40:11.123Z"),
        ("yyyy-MM-dd HH:mm:ss.SSS X", "2018-10-01 02:40:11.123 Z"),
        ("yyyy-MM-dd HH:mm:ss.SSS z", "2018-10-01 02:40:11.123 GMT"),
        ("yyyy-MM-dd HH:mm:ss.SSS Z", "2018-10-01 02:40:11.123 +0000"),
        ("yyyy-MM-dd HH:mm:ss.SSS XX", "2018-10-01 02:40:11.123 Z"),
        ("yyyy-MM-dd HH:mm:ss.SSS zz", "2018-10-01 02:40:11.123 GMT"),
        ("yyyy-MM-dd HH:mm:ss.SSS ZZ", "2018-10-01 02:40:11.123 +0000"),
        ("yyyy-MM-dd HH:mm:ss.SSS XXX", "2018-10-01 02:40:11.123 Z"),
        ("yyyy-MM-dd HH:mm:ss.SSS zzz", "2018-10-01 02:40:11.123 GMT"),
        ("yyyy-MM-dd HH:mm:ss.SSS ZZZ", "2018-10-01 02:40:11.123 +0000"),
        ("yyyy-MM-dd HH:mm:ss", "2018-10-01 02:40:11"),
        ("yyyy-MM-dd HH:mm:ss X", "2018-10-01 02:40:11 Z"),
        ("yyyy-MM-dd HH:mm", "2018-10-01 02:40"),
        ("yyyy-MM-dd HH:mm X", "2018-10-01 02:40 Z"),
        ("yyyy-MM-dd HH", "2018-10-01 02"),
        ("yyyy-MM-dd HH X", "2018-10-01 02 Z"),
        ("yyyy-MM-dd", "2018-10-01"),
        ("yyyy-MM-dd z", "2018-10-01 GMT"),
        ("yyyy-MM", "2018-10"),
        ("yyyy", "2018"),
        ("MM", "10"),
        ("dd", "01"),
        ("HH", "02"),
        ("mm", "40"),
    ],
)
def test_like_simple_date_format(call: Any, pattern: str, text: str) -> None:
    assert call("FORMAT_TIMESTAMP", [TS, S], MILLIS, pattern) == text


def test_converts(call: Any) -> None:
    # shouldConvertTimestampToString, shouldSupportEmbeddedChars, shouldWorkWithManyDifferentFormatters
    assert call("FORMAT_TIMESTAMP", [TS, S], 1638360611123, "yyyy-MM-dd HH:mm:ss.SSS") == "2021-12-01 12:10:11.123"
    assert call("FORMAT_TIMESTAMP", [TS, S], 1638360611123, "yyyy-MM-dd'T'HH:mm:ss.SSS'Fred'") == (
        "2021-12-01T12:10:11.123Fred"
    )
    assert call("FORMAT_TIMESTAMP", [TS, S], MILLIS + 42, "yyyy-MM-dd HH:mm:ss.SSS'X42'") == (
        "2018-10-01 02:40:11.165X42"
    )


def test_time_zones(call: Any) -> None:
    # testUTCTimeZone, testPSTTimeZone, testTimeZoneInPacificTime, testTimeZoneInUniversalTime
    ts = 1534353043000
    assert call("FORMAT_TIMESTAMP", [TS, S, S], ts, "yyyy-MM-dd HH:mm:ss", "UTC") == "2018-08-15 17:10:43"
    assert call("FORMAT_TIMESTAMP", [TS, S, S], ts, "yyyy-MM-dd HH:mm:ss", "America/Los_Angeles") == (
        "2018-08-15 10:10:43"
    )
    assert call("FORMAT_TIMESTAMP", [TS, S, S], ts, "yyyy-MM-dd HH:mm:ss zz", "America/Los_Angeles") in (
        "2018-08-15 10:10:43 PDT", "2018-08-15 10:10:43 GMT-07:00"
    )
    assert call("FORMAT_TIMESTAMP", [TS, S, S], ts, "yyyy-MM-dd HH:mm:ss zz", "UTC") == "2018-08-15 17:10:43 UTC"


def test_nulls(call: Any) -> None:
    # shouldReturnNullOnNullDate, shouldReturnNullOnNullDateFormat, shouldReturnNullOnNullTimeZone, shoudlReturnNull
    assert call("FORMAT_TIMESTAMP", [TS, S], None, "yyyy-MM-dd") is None
    assert call("FORMAT_TIMESTAMP", [TS, S], 1534353043000, None) is None
    assert call("FORMAT_TIMESTAMP", [TS, S, S], 1534353043000, "yyyy-MM-dd", None) is None
    assert call("FORMAT_TIMESTAMP", [TS, S], None, "yyyy-MM-dd'T'HH:mm:ss.SSS") is None


def test_failures(call: Any) -> None:  # shouldThrowIfInvalidTimeZone, shouldThrowIfFormatInvalid
    with pytest.raises(KsqlError, match="Unknown time-zone ID: PST"):
        call("FORMAT_TIMESTAMP", [TS, S, S], 1638360611123, "yyyy-MM-dd HH:mm:ss.SSS", "PST")
    with pytest.raises(KsqlError, match="Unknown pattern letter: i"):
        call("FORMAT_TIMESTAMP", [TS, S], 1638360611123, "invalid")


def test_round_trips_with_parse_timestamp(call: Any) -> None:  # shouldRoundTripWithParseTimestamp
    pattern = "yyyy-MM-dd HH:mm:ss.SSS'Freya'"
    for idx in range(-10_000, 20_000, 7):
        text = call("FORMAT_TIMESTAMP", [TS, S], MILLIS + idx, pattern)
        assert call("PARSE_TIMESTAMP", [S, S], text, pattern) == MILLIS + idx


def test_through_the_engine(udf: Any) -> None:
    r = udf.select("FORMAT_TIMESTAMP(FROM_UNIXTIME(1538361611123), 'yyyy-MM-dd HH:mm:ss.SSS z')",
                   "FORMAT_TIMESTAMP(FROM_UNIXTIME(X), 'yyyy-MM-dd HH:mm:ss', 'America/Los_Angeles')",
                   "FORMAT_TIMESTAMP(FROM_UNIXTIME(X), 'yyyy', 'PST')", columns="X BIGINT", row={"X": 1534353043000})
    assert r.values == ["2018-10-01 02:40:11.123 GMT", "2018-08-15 10:10:43", None]
    assert r.types == ["STRING"] * 3
    assert r.errors[0].endswith(
        "Failed to format timestamp 2018-08-15 17:10:43.0 at timeZone 'PST' with formatter 'yyyy': "
        "Unknown time-zone ID: PST"
    )


@pytest.mark.parametrize(
    ("tz", "text"),
    [
        ("GMT", "2018-10-01 02:40 GMT GMT Z"), ("UTC", "2018-10-01 02:40 UTC UTC Z"),
        ("Z", "2018-10-01 02:40 Z Z Z"), ("+00:00", "2018-10-01 02:40 Z Z Z"),
        ("+0200", "2018-10-01 04:40 +02:00 +02:00 +02:00"), ("UTC+02:00", "2018-10-01 04:40 UTC+02:00 UTC+02:00 +02:00"),
        ("GMT-3", "2018-09-30 23:40 GMT-03:00 GMT-03:00 -03:00"),
    ],
)
def test_zone_names_are_the_zone_ids(call: Any, tz: str, text: str) -> None:
    """ZoneId.of keeps the id it was given ("GMT" is not "UTC", "+0200" is the offset "+02:00"), which `z` and
    `VV` print (expected texts from DateTimeFormatter, computed once with a JDK)."""
    assert call("FORMAT_TIMESTAMP", [TS, S, S], MILLIS, "yyyy-MM-dd HH:mm z VV XXX", tz) == text


def test_errors_name_the_timestamp_and_zone(call: Any) -> None:
    """FormatTimestamp wraps failures as "Failed to format timestamp <java.sql.Timestamp> at timeZone ..."; the
    two-argument form passes "GMT"."""
    with pytest.raises(KsqlError) as err:
        call("FORMAT_TIMESTAMP", [TS, S], 1638360611123, "invalid")
    assert err.value.message == (
        "Failed to format timestamp 2021-12-01 12:10:11.123 at timeZone 'GMT' with formatter 'invalid': "
        "java.lang.IllegalArgumentException: Unknown pattern letter: i"
    )
