"""ksqlDB 0.29 TimestampToStringTest (function/udf/datetime): TimestampToString.timestampToString(long, String[,
String zone]) formats as SimpleDateFormat does in the server's zone (UTC here: ksqlDB's tests compare with the
JVM default zone), named zones, "zz" names, nulls of format and zone, unknown zones and letters, round trip with
StringToTimestamp (shouldBehaveLikeSimpleDateFormat's expected texts computed once with a JDK in UTC)."""

from __future__ import annotations

from typing import Any

import pytest

from ksqlserver.catalog import types as T
from ksqlserver.errors import KsqlError

B, S = T.BIGINT, T.STRING
MILLIS = 1538361611123


@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        ("yyyy-MM-dd HH:mm:ss.SSS", "2018-10-01 02:40:11.123"),
        ("yyyy-MM-dd HH:mm:ss.SSSX", "2018-10-01 02:40:11.123Z"),
        ("yyyy-MM-dd HH:mm:ss.SSS X", "2018-10-01 02:40:11.123 Z"),
        ("yyyy-MM-dd HH:mm:ss.SSS z", "2018-10-01 02:40:11.123 UTC"),
        ("yyyy-MM-dd HH:mm:ss.SSS Z", "2018-10-01 02:40:11.123 +0000"),
        ("yyyy-MM-dd HH:mm:ss.SSS XX", "2018-10-01 02:40:11.123 Z"),
        ("yyyy-MM-dd HH:mm:ss.SSS zz", "2018-10-01 02:40:11.123 UTC"),
        ("yyyy-MM-dd HH:mm:ss.SSS ZZ", "2018-10-01 02:40:11.123 +0000"),
        ("yyyy-MM-dd HH:mm:ss.SSS XXX", "2018-10-01 02:40:11.123 Z"),
        ("yyyy-MM-dd HH:mm:ss.SSS zzz", "2018-10-01 02:40:11.123 UTC"),
        ("yyyy-MM-dd HH:mm:ss.SSS ZZZ", "2018-10-01 02:40:11.123 +0000"),
        ("yyyy-MM-dd HH:mm:ss", "2018-10-01 02:40:11"),
        ("yyyy-MM-dd HH:mm:ss X", "2018-10-01 02:40:11 Z"),
        ("yyyy-MM-dd HH:mm", "2018-10-01 02:40"),
        ("yyyy-MM-dd HH:mm X", "2018-10-01 02:40 Z"),
        ("yyyy-MM-dd HH", "2018-10-01 02"),
        ("yyyy-MM-dd HH X", "2018-10-01 02 Z"),
        ("yyyy-MM-dd", "2018-10-01"),
        ("yyyy-MM-dd z", "2018-10-01 UTC"),
        ("yyyy-MM", "2018-10"),
        ("yyyy", "2018"),
        ("MM", "10"),
        ("dd", "01"),
        ("HH", "02"),
        ("mm", "40"),
    ],
)
def test_like_simple_date_format(call: Any, pattern: str, text: str) -> None:
    assert call("TIMESTAMPTOSTRING", [B, S], MILLIS, pattern) == text


def test_converts(call: Any) -> None:
    # shouldConvertTimestampToString, shouldSupportEmbeddedChars, shouldWorkWithManyDifferentFormatters
    assert call("TIMESTAMPTOSTRING", [B, S], 1638360611123, "yyyy-MM-dd HH:mm:ss.SSS") == "2021-12-01 12:10:11.123"
    assert call("TIMESTAMPTOSTRING", [B, S], 1638360611123, "yyyy-MM-dd'T'HH:mm:ss.SSS'Fred'") == (
        "2021-12-01T12:10:11.123Fred"
    )
    assert call("TIMESTAMPTOSTRING", [B, S], MILLIS + 42, "yyyy-MM-dd HH:mm:ss.SSS'X42'") == (
        "2018-10-01 02:40:11.165X42"
    )


def test_time_zones(call: Any) -> None:
    # testUTCTimeZone, testPSTTimeZone, testTimeZoneInLocalTime, testTimeZoneInPacificTime, ...InUniversalTime
    ts = 1534353043000
    assert call("TIMESTAMPTOSTRING", [B, S, S], ts, "yyyy-MM-dd HH:mm:ss", "UTC") == "2018-08-15 17:10:43"
    assert call("TIMESTAMPTOSTRING", [B, S, S], ts, "yyyy-MM-dd HH:mm:ss", "America/Los_Angeles") == (
        "2018-08-15 10:10:43"
    )
    assert call("TIMESTAMPTOSTRING", [B, S], ts, "yyyy-MM-dd HH:mm:ss zz") == "2018-08-15 17:10:43 UTC"
    assert call("TIMESTAMPTOSTRING", [B, S, S], ts, "yyyy-MM-dd HH:mm:ss zz", "America/Los_Angeles") in (
        "2018-08-15 10:10:43 PDT", "2018-08-15 10:10:43 GMT-07:00"
    )
    assert call("TIMESTAMPTOSTRING", [B, S, S], ts, "yyyy-MM-dd HH:mm:ss zz", "UTC") == "2018-08-15 17:10:43 UTC"


def test_nulls(call: Any) -> None:  # testReturnNullForNullFormat, testReturnNullForNullTimeZone
    assert call("TIMESTAMPTOSTRING", [B, S], 1534353043000, None) is None
    assert call("TIMESTAMPTOSTRING", [B, S, S], 1534353043000, "yyyy-MM-dd HH:mm:ss zz", None) is None


def test_failures(call: Any) -> None:  # shouldThrowIfInvalidTimeZone, shouldThrowIfFormatInvalid
    with pytest.raises(KsqlError, match="Unknown time-zone ID: PST"):
        call("TIMESTAMPTOSTRING", [B, S, S], 1638360611123, "yyyy-MM-dd HH:mm:ss.SSS", "PST")
    with pytest.raises(KsqlError, match="Unknown pattern letter: i"):
        call("TIMESTAMPTOSTRING", [B, S], 1638360611123, "invalid")


def test_round_trips_with_string_to_timestamp(call: Any) -> None:  # shouldRoundTripWithStringToTimestamp
    pattern = "yyyy-MM-dd HH:mm:ss.SSS'Freya'"
    for idx in range(-10_000, 20_000, 7):
        text = call("TIMESTAMPTOSTRING", [B, S], MILLIS + idx, pattern)
        assert call("STRINGTOTIMESTAMP", [S, S], text, pattern) == MILLIS + idx


def test_through_the_engine(udf: Any) -> None:
    r = udf.select("TIMESTAMPTOSTRING(1534353043000, 'yyyy-MM-dd HH:mm:ss zz')",
                   "TIMESTAMPTOSTRING(X, 'yyyy-MM-dd HH:mm:ss', 'America/Los_Angeles')",
                   "TIMESTAMPTOSTRING(X, 'yyyy', 'PST')", columns="X BIGINT", row={"X": 1534353043000})
    assert r.values == ["2018-08-15 17:10:43 UTC", "2018-08-15 10:10:43", None]
    assert r.types == ["STRING"] * 3
    assert r.errors[0].endswith(
        "Failed to format timestamp 1534353043000 at timeZone 'PST' with formatter 'yyyy': Unknown time-zone ID: PST"
    )


def test_errors_name_the_millis(call: Any) -> None:
    """TimestampToString wraps failures as "Failed to format timestamp <millis> [at timeZone '<zone>'] with
    formatter ..."."""
    with pytest.raises(KsqlError) as err:
        call("TIMESTAMPTOSTRING", [B, S], 1638360611123, "invalid")
    assert err.value.message == (
        "Failed to format timestamp 1638360611123 with formatter 'invalid': java.lang.IllegalArgumentException: "
        "Unknown pattern letter: i"
    )
    with pytest.raises(KsqlError) as err:
        call("TIMESTAMPTOSTRING", [B, S, S], 1638360611123, "yyyy", "PST")
    assert err.value.message == (
        "Failed to format timestamp 1638360611123 at timeZone 'PST' with formatter 'yyyy': Unknown time-zone ID: PST"
    )
