"""ksqlDB 0.29's SqlTimeTypesTest (ksqldb-engine-common, io.confluent.ksql.schema.ksql): SqlTimeTypes parses
strings for CAST(... AS TIMESTAMP/TIME/DATE) and formats them for CAST(... AS STRING) (CastEvaluator); its
KsqlExceptions are processing-log errors. TIME and DATE values are written as JSON numbers (milliseconds of
the day, days since the epoch), TIMESTAMPs as epoch milliseconds."""

from __future__ import annotations

from typing import Any

TIME_HELP = (
    "\nRequired format is: \"HH:mm:ss.SSS\", for example: '01:34:20.123' or '01:34:20'. "
    "Partials are also supported, for example '01:34'"
)
DATE_HELP = "\nRequired format is: \"yyyy-MM-dd\", for example '2020-05-26'. Partials are also supported, for example '2020-05'"


def test_parse_timestamp(t: Any) -> None:
    """SqlTimeTypesTest.shouldParseTimestamp: local (UTC) and with an offset."""
    s = t.select("CAST('2019-03-17T10:00:00' AS TIMESTAMP)", "CAST('2019-03-17T03:00-0700' AS TIMESTAMP)")
    assert s.values == [1552816800000, 1552816800000]
    assert s.types == ["TIMESTAMP", "TIMESTAMP"]


def test_not_parse_timestamp(t: Any) -> None:
    """SqlTimeTypesTest.shouldNotParseTimestamp: 'abc' and '2019-03-17 03:00' are refused."""
    s = t.select("CAST('abc' AS TIMESTAMP)", "CAST('2019-03-17 03:00' AS TIMESTAMP)")
    assert s.values == [None, None]
    assert [e.split("\n")[1] for e in s.errors] == [
        "Failed to parse timestamp 'abc': Text 'abc-01-01T00:00:00.000' could not be parsed at index 0",
        "Failed to parse timestamp '2019-03-17 03:00': Text '2019-03-17 03:00T00:00:00.000' could not be parsed "
        "at index 10",
    ]


def test_format_timestamp(t: Any) -> None:
    """SqlTimeTypesTest.shouldFormatTimestamp: yyyy-MM-dd'T'HH:mm:ss.SSS in UTC."""
    assert t.select("CAST(FROM_UNIXTIME(1552816800000) AS STRING)").value == "2019-03-17T10:00:00.000"


def test_parse_time(t: Any) -> None:
    """SqlTimeTypesTest.shouldParseTime: LocalTime.parse, milliseconds of the day."""
    s = t.select("CAST('10:00:00' AS TIME)", "CAST('10:00' AS TIME)", "CAST('10:00:00.001' AS TIME)")
    assert s.values == [36000000, 36000000, 36000001]
    assert s.types == ["TIME"] * 3


def test_not_parse_time(t: Any) -> None:
    """SqlTimeTypesTest.shouldNotParseTime: the message carries the required format."""
    s = t.select("CAST('foo' AS TIME)")
    assert s.value is None
    assert s.errors == [
        "Error processing TIME\nFailed to parse time 'foo': Text 'foo' could not be parsed at index 0" + TIME_HELP
    ]


def test_format_time(t: Any) -> None:
    """SqlTimeTypesTest.shouldFormatTime: LocalTime.ofSecondOfDay, so milliseconds are dropped."""
    s = t.select("CAST(CAST('00:00:01' AS TIME) AS STRING)", "CAST(CAST('00:00:01.005' AS TIME) AS STRING)")
    assert s.values == ["00:00:01", "00:00:01"]


def test_parse_date(t: Any) -> None:
    """SqlTimeTypesTest.shouldParseDate: partial dates are completed (1990 -> 1990-01-01)."""
    s = t.select("CAST('1990' AS DATE)", "CAST('1990-01' AS DATE)", "CAST('1990-01-01' AS DATE)")
    assert s.values == [7305, 7305, 7305]  # 631152000000 ms
    assert s.types == ["DATE"] * 3


def test_not_parse_date(t: Any) -> None:
    """SqlTimeTypesTest.shouldNotParseDate: the message carries the required format."""
    s = t.select("CAST('foo' AS DATE)")
    assert s.value is None
    assert s.errors == [
        "Error processing DATE\nFailed to parse date 'foo': Text 'foo-01-01' could not be parsed at index 0" + DATE_HELP
    ]


def test_format_date(t: Any) -> None:
    """SqlTimeTypesTest.shouldFormatDate: days since the epoch as yyyy-MM-dd."""
    assert t.select("CAST(FROM_DAYS(10) AS STRING)").value == "1970-01-11"
    # 864000000 - 10 ms is inside day 9: TIMESTAMP -> DATE keeps the day (SqlTimeTypes.timestampToDate)
    assert t.select("CAST(CAST(FROM_UNIXTIME(864000000 - 10) AS DATE) AS STRING)").value == "1970-01-10"


def test_literal_coercion(t: Any) -> None:
    """SqlTimeTypes through the LAX literal coercion (DefaultSqlValueCoercer STRING -> TIME/DATE/TIMESTAMP)."""
    s = t.select(
        "ARRAY[CAST('10:00' AS TIME), '10:00:00.001']",
        "ARRAY[FROM_DAYS(0), '1990']",
        "ARRAY[FROM_UNIXTIME(0), '2019-03-17T03:00-0700']",
    )
    assert s.values == [[36000000, 36000001], [0, 7305], [0, 1552816800000]]
    assert "Failed to parse time 'foo'" in t.refuse("ARRAY[CAST('10:00' AS TIME), 'foo']")
