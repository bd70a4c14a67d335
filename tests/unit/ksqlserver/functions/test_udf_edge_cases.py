"""Edge cases of built-in functions checked against ksqlDB 0.29's own function semantics (nulls, empty
input, surrogate pairs, overflow, formats): one test per behaviour that the engine got wrong before."""

from __future__ import annotations

from typing import Any

import pytest

from ksqlserver.catalog import types as T
from ksqlserver.catalog.types import SqlType
from ksqlserver.errors import EvaluationError
from ksqlserver.functions import default_registry

S, INT, BIG, D, B = T.STRING, T.INTEGER, T.BIGINT, T.DOUBLE, T.BYTES


def call(name: str, types: list[SqlType | None], *args: Any) -> Any:
    return default_registry().require(name).resolve_call(types).impl(*args)


def test_chr_of_an_escaped_surrogate_pair_is_one_supplementary_character() -> None:
    out = call("CHR", [S], "\\ud800\\udc01")
    assert out == "\U00010001"
    assert out.encode("utf-8")  # a lone-surrogate string could not be serialized


def test_time_parsers_are_case_insensitive() -> None:
    assert call("PARSE_TIME", [S, S], "12:01:05 aM", "hh:mm:ss a") == 65000
    assert call("PARSE_TIMESTAMP", [S, S], "01-DEC-2021 10 pM", "dd-MMM-yyyy hh a") == 1638396000000
    assert call("STRINGTODATE", [S, S], "01-dEc-2021", "dd-MMM-yyyy") == 18962


def test_z_field_parses_zone_abbreviations_but_a_zone_argument_does_not() -> None:
    assert call("PARSE_TIMESTAMP", [S, S], "2021-12-01 12:10:11.123 PST", "yyyy-MM-dd HH:mm:ss.SSS z") == (
        1638389411123
    )
    assert call("STRINGTOTIMESTAMP", [S, S], "2021-08-01 PDT", "yyyy-MM-dd z") == 1627801200000
    assert call("PARSE_TIMESTAMP", [S, S], "2021-12-01 UTC", "yyyy-MM-dd z") == 1638316800000
    with pytest.raises(EvaluationError, match="PST"):
        call("PARSE_TIMESTAMP", [S, S, S], "2021-12-01", "yyyy-MM-dd", "PST")


def test_decimal_results_have_no_negative_zero() -> None:
    from decimal import Decimal

    from ksqlserver.catalog.casts import decimal_of_double
    from ksqlserver.compile.helpers import dec_op

    assert str(call("ROUND", [T.decimal(7, 2), INT], Decimal("-12345.67"), -5)) == "0.00"
    assert str(call("TRUNC", [T.decimal(7, 2), INT], Decimal("-12345.67"), -5)) == "0.00"
    assert str(call("ROUND", [T.decimal(2, 1)], Decimal("-0.4"))) == "0"
    assert str(call("CEIL", [T.decimal(2, 1)], Decimal("-0.4"))) == "0.0"
    assert str(dec_op("*", 3, 1)(Decimal("-0.5"), Decimal("0"))) == "0.0"
    assert str(decimal_of_double(-0.0, 2, 1)) == "0.0"


@pytest.mark.parametrize(
    "fn", ["URL_EXTRACT_HOST", "URL_EXTRACT_PATH", "URL_EXTRACT_PROTOCOL", "URL_EXTRACT_FRAGMENT",
           "URL_EXTRACT_QUERY", "URL_EXTRACT_PORT"],
)
def test_url_with_a_bracket_in_its_path_is_invalid(fn: str) -> None:
    with pytest.raises(EvaluationError, match=r"URL input has invalid syntax: http://257\.1/bogus/\[url"):
        call(fn, [S], "http://257.1/bogus/[url")


def test_url_brackets_are_legal_around_an_ipv6_host_and_in_query_or_fragment() -> None:
    assert call("URL_EXTRACT_HOST", [S], "http://[::1]:8080/x") == "[::1]"
    assert call("URL_EXTRACT_PORT", [S], "http://[::1]:8080/x") == 8080
    assert call("URL_EXTRACT_QUERY", [S], "http://h/x?a=[1]") == "a=[1]"
    assert call("URL_EXTRACT_FRAGMENT", [S], "http://h/x#[1]") == "[1]"


TS = 1638360611123  # 2021-12-01T12:10:11.123Z, a Wednesday


@pytest.mark.parametrize(
    ("pattern", "tz", "expected"),
    [
        ("x", "America/Los_Angeles", "-08"),
        ("xxx", "UTC", "+00:00"),
        ("X", "Asia/Kolkata", "+0530"),
        ("ZZZZ", "America/Los_Angeles", "GMT-08:00"),
        ("ZZZZ", "UTC", "GMT"),
        ("ZZZZZ", "America/Los_Angeles", "-08:00"),
        ("O", "America/Los_Angeles", "GMT-8"),
        ("VV", "America/Los_Angeles", "America/Los_Angeles"),
        ("MMMMM EEEEE", "UTC", "D W"),
        ("K k h H", "UTC", "0 12 12 12"),
        ("n A", "UTC", "123000000 43811123"),
        ("QQQ QQQQ G", "UTC", "Q4 4th quarter AD"),
        ("e D w W", "UTC", "4 335 49 1"),
        ("[yyyy-MM-dd]", "UTC", "2021-12-01"),
    ],
)
def test_format_timestamp_prints_datetimeformatter_letters(pattern: str, tz: str, expected: str) -> None:
    assert call("FORMAT_TIMESTAMP", [T.TIMESTAMP, S, S], TS, pattern, tz) == expected


def test_week_based_fields_follow_us_weeks() -> None:
    # Sunday 2021-12-26 opens week 1 of 2022 with Sunday-first weeks holding January 1st
    assert call("TIMESTAMPTOSTRING", [BIG, S, S], 1640520000000, "YYYY-ww e", "UTC") == "2022-01 1"


def test_a_lone_surrogate_is_written_escaped() -> None:
    """CHR of a surrogate code point is a lone UTF-16 half; Jackson's UTF8JsonGenerator writes it as a
    \\uD800 escape (it used to fail the serializer here, logged and skipped; a serializer failure now
    fails the query, as in ksqlDB)."""
    import json

    from ksqlserver.drivers.base import Record
    from ksqlserver.drivers.memory import MemoryDriver
    from ksqlserver.engine import Engine, EngineConfig

    d = MemoryDriver()
    d.create_topic("s", partitions=1)
    e = Engine(EngineConfig(service_id="fn_", synchronous=True,
                            properties={"ksql.streams.auto.offset.reset": "earliest"}), d)
    try:
        e.execute("CREATE STREAM S (ID STRING KEY, N INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');")
        e.execute("CREATE STREAM O AS SELECT ID, CHR(N) AS C FROM S;")
        d.produce("s", [Record(b"a", b'{"N": 55296}', 100), Record(b"b", b'{"N": 75}', 101)])
        e.drain()
        assert [r.value for r in d.records("O")] == [b'{"C":"\\uD800"}', b'{"C":"K"}']
        assert [json.loads(r.value) for r in d.records("O")] == [{"C": "\ud800"}, {"C": "K"}]
        assert d.records("fn_ksql_processing_log") == []
    finally:
        e.close()


def test_two_letter_fields_are_two_digits_so_adjacent_numbers_split() -> None:
    assert call("PARSE_TIMESTAMP", [S, S], "20211201121011", "yyyyMMddHHmmss") == 1638360611000
    with pytest.raises(EvaluationError):
        call("PARSE_TIMESTAMP", [S, S], "2021-1-01", "yyyy-MM-dd")  # DateTimeFormatter is strict
    assert call("PARSE_DATE", [S, S], "2021-1-01", "yyyy-MM-dd") == 18628  # java.text is lenient


def test_clock_hours_are_range_checked() -> None:
    with pytest.raises(EvaluationError):
        call("PARSE_TIMESTAMP", [S, S], "2021-12-01 00:10 AM", "yyyy-MM-dd hh:mm a")
    assert call("PARSE_TIMESTAMP", [S, S], "2021-12-01 11:10 pm", "yyyy-MM-dd K:mm a") == 1638400200000
    assert call("PARSE_TIMESTAMP", [S, S], "2021-12-01 24:10", "yyyy-MM-dd kk:mm") == 1638317400000


def test_format_errors_name_the_java_field_and_zone() -> None:
    with pytest.raises(EvaluationError, match=r"'yyyy-MM-dd HH:mm': Unsupported field: HourOfDay$"):
        call("FORMAT_DATE", [T.DATE, S], 16383, "yyyy-MM-dd HH:mm")
    with pytest.raises(EvaluationError, match=r"'yyyy HHmmss': Unsupported field: YearOfEra$"):
        call("FORMAT_TIME", [T.TIME, S], 65000, "yyyy HHmmss")
    with pytest.raises(EvaluationError, match=r"formatter 'invalid': java.lang.IllegalArgumentException: Unknown pattern letter: i$"):
        call("FORMAT_DATE", [T.DATE, S], 16383, "invalid")
    with pytest.raises((EvaluationError, ValueError), match=r"Unknown time-zone ID: PST"):
        call("FORMAT_TIMESTAMP", [T.TIMESTAMP, S, S], TS, "yyyy", "PST")


def test_parse_errors_say_where_parsing_stopped() -> None:
    def failure(text: str, pattern: str) -> str:
        with pytest.raises(EvaluationError) as err:
            call("PARSE_TIMESTAMP", [S, S], text, pattern)
        return str(err.value)

    assert failure("invalid", "yyyy-MM-dd'T'HH:mm:ss.SSS").endswith("Text 'invalid' could not be parsed at index 0")
    assert failure("", "yyyy-MM-dd").endswith("Text '' could not be parsed at index 0")
    assert failure("2021-1x-01", "yyyy-MM-dd").endswith("could not be parsed at index 5")
    assert failure("2021-12-01x", "yyyy-MM-dd").endswith("unparsed text found at index 10")
    assert failure("2021-12-01", "invalid").endswith("Unknown pattern letter: i")


def test_optional_sections_parse_when_present() -> None:
    pattern = "yyyy-MM-dd'T'HH:mm:ss[.SSS][XXX]"
    assert call("PARSE_TIMESTAMP", [S, S], "2021-12-01T12:10:11", pattern) == 1638360611000
    assert call("PARSE_TIMESTAMP", [S, S], "2021-12-01T12:10:11.500+01:00", pattern) == 1638357011500


def test_a_fraction_pattern_takes_exactly_its_digits() -> None:
    assert call("PARSE_TIMESTAMP", [S, S], "2021-12-01 12:10:11.1", "yyyy-MM-dd HH:mm:ss.S") == 1638360611100
    with pytest.raises(EvaluationError, match="could not be parsed at index 20"):
        call("PARSE_TIMESTAMP", [S, S], "2021-12-01 12:10:11.1", "yyyy-MM-dd HH:mm:ss.SSS")
