"""ksqlDB 0.29 StringToTimestampTest (function/udf/datetime): StringToTimestamp.stringToTimestamp(String, String[,
String zone]) -> BIGINT, parsed as SimpleDateFormat does in the server's zone (UTC here; expected millis
computed once with a JDK); a null argument is a parse failure, not a null result (shouldThrowOnNullDate,
shouldThrowOnNullDateFormat)."""

from __future__ import annotations

from typing import Any

import pytest

from ksqlserver.catalog import types as T
from ksqlserver.errors import KsqlError

S = T.STRING


@pytest.mark.parametrize(
    ("text", "pattern", "millis"),
    [
        ("2021-12-01 12:10:11.123", "yyyy-MM-dd HH:mm:ss.SSS", 1638360611123),  # shouldConvertStringToTimestamp
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
    assert call("STRINGTOTIMESTAMP", [S, S], text, pattern) == millis


def test_zones(call: Any) -> None:  # shouldSupportUTCTimeZone, shouldSupportPSTTimeZone
    assert call("STRINGTOTIMESTAMP", [S, S, S], "2018-08-15 17:10:43", "yyyy-MM-dd HH:mm:ss", "UTC") == 1534353043000
    assert call("STRINGTOTIMESTAMP", [S, S, S], "2018-08-15 10:10:43", "yyyy-MM-dd HH:mm:ss",
                "America/Los_Angeles") == 1534353043000


@pytest.mark.parametrize(
    ("text", "pattern", "message"),
    [
        ("2021-12-01 12:10:11.123", "invalid", "Unknown pattern letter: i"),  # shouldThrowIfFormatInvalid
        ("invalid", "yyyy-MM-dd'T'HH:mm:ss.SSS", "Text 'invalid' could not be parsed at index 0"),
        ("", "yyyy-MM-dd'T'HH:mm:ss.SSS", "Text '' could not be parsed at index 0"),  # shouldThrowOnEmptyString
        (None, "yyyy-MM-dd", "Failed to parse timestamp 'null' with formatter"),  # shouldThrowOnNullDate
        ("2021-12-01", None, "Failed to parse timestamp '2021-12-01' with formatter 'null'"),
    ],
)
def test_failures(call: Any, text: str | None, pattern: str | None, message: str) -> None:
    with pytest.raises(KsqlError) as err:
        call("STRINGTOTIMESTAMP", [S, S], text, pattern)
    assert message in err.value.message


def test_through_the_engine(udf: Any) -> None:
    r = udf.select("STRINGTOTIMESTAMP('2021-12-01 12:10:11.123 -0800', 'yyyy-MM-dd HH:mm:ss.SSS Z')",
                   "STRINGTOTIMESTAMP('2018-08-15 10:10:43', 'yyyy-MM-dd HH:mm:ss', 'America/Los_Angeles')",
                   "STRINGTOTIMESTAMP(CAST(NULL AS STRING), 'yyyy')")
    assert r.values == [1638389411123, 1534353043000, None]
    assert r.types == ["BIGINT"] * 3
    assert "Failed to parse timestamp 'null' with formatter 'yyyy'" in r.errors[0]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("x", None), "Failed to parse timestamp 'x' with formatter 'null': null"),
        ((None, "yyyy"), "Failed to parse timestamp 'null' with formatter 'yyyy': text"),
        ((None, "invalid"), "Failed to parse timestamp 'null' with formatter 'invalid': java.lang.IllegalArgumentException: Unknown pattern letter: i"),
        (("x", "yyyy", None), "Failed to parse timestamp 'x' at timezone 'null' with formatter 'yyyy': zoneId"),
        ((None, "yyyy", "UTC"), "Failed to parse timestamp 'null' at timezone 'UTC' with formatter 'yyyy': text"),
        ((None, "yyyy", "wow"), "Failed to parse timestamp 'null' at timezone 'wow' with formatter 'yyyy': "
                                "Unknown time-zone ID: wow"),
        (("x", None, None), "Failed to parse timestamp 'x' at timezone 'null' with formatter 'null': null"),
    ],
)
def test_null_arguments_fail_as_java_npes(call: Any, args: tuple[str | None, ...], message: str) -> None:
    """StringToTimestamp.stringToTimestamp does no null check: the formatter cache (Guava: no message), then
    ZoneId.of ("zoneId"), then DateTimeFormatter.parse ("text") throw, wrapped with Java's 'null' texts."""
    with pytest.raises(KsqlError) as err:
        call("STRINGTOTIMESTAMP", [S] * len(args), *args)
    assert err.value.message == message
