"""ksqlDB 0.29 PartialStringToTimestampParserTest (ksqldb-common, util/timestamp): PartialStringToTimestampParser
.parse / parseToTimestamp as users reach it: a STRING cast to TIMESTAMP (SqlTimeTypes.parseTimestamp) and a
string compared with ROWTIME in a WHERE (StatementRewriteForMagicPseudoTimestamp), which share the parser.
The expected instants are the Java test's `fullParse` of the completed text (UTC)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from .conftest import Exec

HELP = (
    "Required format is: \"yyyy-MM-dd'T'HH:mm:ss.SSS\", with an optional numeric 4-digit timezone, "
    "for example: '2020-05-26T23:59:58.000' or with tz: '2020-05-26T23:59:58.000+0200'. "
    "A trailing 'Z' instead of tz indicates the zero UTC offset. "
    'Partials are also supported, for example "2020-05-26"'
)


def _full(text: str) -> int:
    """The Java test's fullParse: DATE_TIME_PATTERN + "X" (here always +0000)."""
    return int(datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%f%z").timestamp() * 1000)


CASES = [
    ("shouldParseYear", "2017", "2017-01-01T00:00:00.000+0000"),
    ("shouldParseYearMonth", "2020-02", "2020-02-01T00:00:00.000+0000"),
    ("shouldParseFullDate", "2020-01-02", "2020-01-02T00:00:00.000+0000"),
    ("shouldParseFullDate", "2020-01-02T", "2020-01-02T00:00:00.000+0000"),
    ("shouldParseFullDate", "2020-01-02TZ", "2020-01-02T00:00:00.000+0000"),
    ("shouldParseDateWithHour", "2020-12-02T13", "2020-12-02T13:00:00.000+0000"),
    ("shouldParseDateWithHour", "2020-12-02T13Z", "2020-12-02T13:00:00.000+0000"),
    ("shouldParseDateWithHourMinute", "2020-12-02T13:59", "2020-12-02T13:59:00.000+0000"),
    ("shouldParseDateWithHourMinute", "2020-12-02T13:59Z", "2020-12-02T13:59:00.000+0000"),
    ("shouldParseDateWithHourMinuteSecond", "2020-12-02T13:59:58", "2020-12-02T13:59:58.000+0000"),
    ("shouldParseDateWithHourMinuteSecond", "2020-12-02T13:59:58Z", "2020-12-02T13:59:58.000+0000"),
    ("shouldParseFullDateTime", "2020-12-02T13:59:58.123", "2020-12-02T13:59:58.123+0000"),
    ("shouldParseFullDateTime", "2020-12-02T13:59:58.123Z", "2020-12-02T13:59:58.123+0000"),
]
MILLIS = [
    ("shouldParseDateTimeWithPositiveTimezones", "2017-11-13T23:59:58.999+0100", 1510613998999),
    ("shouldParseDateTimeWithNegativeTimezones", "2017-11-13T23:59:58.999-0100", 1510621198999),
    ("shouldParseToTimestamp", "2017-11-13T23:59:58", 1510617598000),
    ("shouldParseToTimestamp", "2017-11-13T23:59:58.999-0100", 1510621198999),
]
ALL = [(n, t, _full(f)) for n, t, f in CASES] + MILLIS


@pytest.mark.parametrize(("name", "text", "expected"), ALL)
def test_cast(ex: Exec, name: str, text: str, expected: int) -> None:
    """parse / parseToTimestamp through CAST(... AS TIMESTAMP)."""
    sel = ex.select(f"CAST('{text}' AS TIMESTAMP)")
    assert (sel.value, sel.type, sel.errors) == (expected, "TIMESTAMP", [])


@pytest.mark.parametrize(("name", "text", "expected"), ALL)
def test_rowtime_bound(ex: Exec, name: str, text: str, expected: int) -> None:
    """parse through the ROWTIME rewrite: only the record at exactly that instant passes `ROWTIME = '<text>'`
    and BETWEEN the text and itself."""
    ex.topic("s")
    ex.run("CREATE STREAM S (K STRING KEY, V BIGINT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');")
    ex.produce("s", [(b"k", {"V": ts}, ts) for ts in (expected - 1, expected, expected + 1)])
    assert ex.push(f"SELECT V FROM S WHERE ROWTIME = '{text}' EMIT CHANGES;") == [[expected]]
    assert ex.push(f"SELECT V FROM S WHERE ROWTIME BETWEEN '{text}' AND '{text}' EMIT CHANGES;") == [
        [expected]
    ]


@pytest.mark.parametrize(
    ("name", "text", "cause"),
    [
        ("shouldThrowOnIncorrectlyFormattedDateTime", "2017-1-1", "Text '2017-1-1T00:00:00.000' could not be parsed at index 6"),
        (
            "shouldThrowOnTimezoneParseError / shouldIncludeRequiredFormatInErrorMessage",
            "2017-01-01T00:00:00.000+foo",
            "Failed to parse timezone '+foo': Invalid ID for ZoneOffset, invalid format: +foo",
        ),
    ],
)  # fmt: skip
def test_errors(ex: Exec, name: str, text: str, cause: str) -> None:
    """The KsqlException's message: the text, the cause, then the help with the required format; a
    statement's rewrite refuses it, a cast logs it and gives null."""
    expected = f"Failed to parse timestamp '{text}': {cause}\n{HELP}"
    ex.topic("s")
    ex.run("CREATE STREAM S (K STRING KEY, V BIGINT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');")
    assert ex.error(f"CREATE STREAM O AS SELECT V FROM S WHERE ROWTIME > '{text}';") == expected
    sel = ex.select(f"CAST('{text}' AS TIMESTAMP)")
    assert sel.value is None
    assert sel.errors == [f"Error processing TIMESTAMP\n{expected}"]


def test_end_of_day(ex: Exec) -> None:
    """StringToTimestampParser's formatter resolves in ResolverStyle.SMART, which reads 24:00 as midnight of
    the next day (and refuses any other hour 24), in a cast and in the ROWTIME rewrite alike."""
    midnight = int(datetime(2020, 1, 2, tzinfo=UTC).timestamp() * 1000)
    assert ex.select("CAST('2020-01-01T24:00' AS TIMESTAMP)").value == midnight
    ex.topic("s")
    ex.run("CREATE STREAM S (K STRING KEY, V BIGINT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');")
    ex.produce("s", [(b"k", {"V": midnight}, midnight)])
    assert ex.push("SELECT V FROM S WHERE ROWTIME = '2020-01-01T24' EMIT CHANGES;") == [[midnight]]
    message = ex.error("CREATE STREAM O AS SELECT V FROM S WHERE ROWTIME > '2020-01-01T24:00:01';")
    assert message.startswith(
        "Failed to parse timestamp '2020-01-01T24:00:01': Text '2020-01-01T24:00:01.000' could not be parsed: "
        "Invalid value for HourOfDay (valid values 0 - 23): 24\n"
    )
