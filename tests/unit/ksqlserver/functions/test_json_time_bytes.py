"""JSON, date/time, bytes, URL and geo functions with ksqlDB 0.29's semantics."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

import pytest

from ksqlserver.catalog import types as T
from ksqlserver.errors import EvaluationError
from ksqlserver.functions import default_registry
from ksqlserver.functions.paramtypes import IntervalArg

S, INT, L, D, B, BY = T.STRING, T.INTEGER, T.BIGINT, T.DOUBLE, T.BOOLEAN, T.BYTES
DAYS, HOURS, MINUTES = IntervalArg("DAY"), IntervalArg("HOUR"), IntervalArg("MINUTE")


def call(name: str, types: list[Any], *args: Any) -> Any:
    return default_registry().require(name).resolve_call(types).impl(*args)


DOC = '{"a": {"b": [1, {"c": "x"}], "n": null}, "d": 1.50, "e": 1e3}'


def test_extractjsonfield() -> None:
    assert call("EXTRACTJSONFIELD", [S, S], DOC, "$.a.b[1].c") == "x"
    assert call("EXTRACTJSONFIELD", [S, S], DOC, "$.a.b[1]") == '{"c":"x"}'
    assert call("EXTRACTJSONFIELD", [S, S], DOC, "$.d") == "1.50"
    assert call("EXTRACTJSONFIELD", [S, S], DOC, "$.e") == "1E+3"  # JsonNode.toString of a BigDecimal
    assert call("EXTRACTJSONFIELD", [S, S], DOC, "$.a.n") == "null"  # a JSON null node, not a missing one
    assert call("EXTRACTJSONFIELD", [S, S], DOC, "$.a.b[7]") is None
    assert call("EXTRACTJSONFIELD", [S, S], DOC, '$["a"]["b"][0]') == "1"
    with pytest.raises(EvaluationError, match="Invalid JSON path"):  # JsonPathTokenizer: double quotes only
        call("EXTRACTJSONFIELD", [S, S], DOC, "$['a']['b'][0]")
    assert call("EXTRACTJSONFIELD", [S, S], '{"a": 1} trailing', "$.a") == "1"


def test_json_predicates_and_shapes() -> None:
    assert call("IS_JSON_STRING", [S], '[1, "a"]') is True
    assert call("IS_JSON_STRING", [S], "") is False and call("IS_JSON_STRING", [S], None) is False
    assert call("IS_JSON_STRING", [S], "{bad") is False
    assert call("JSON_ARRAY_LENGTH", [S], "[1, [2, 3]]") == 2
    assert call("JSON_ARRAY_LENGTH", [S], '{"a": 1}') is None
    assert call("JSON_KEYS", [S], '{"b": 1, "a": {"c": 2}}') == ["b", "a"]
    assert call("JSON_KEYS", [S], "[1]") is None
    assert call("JSON_RECORDS", [S], '{"a": "x", "b": [1, 2], "c": null}') == {"a": "x", "b": "[1,2]", "c": "null"}
    assert call("JSON_ITEMS", [S], '[{"a": 1}, 2, "s"]') == ['{"a":1}', "2", '"s"']
    with pytest.raises(EvaluationError, match="Invalid JSON format"):
        call("JSON_ITEMS", [S], '{"a": 1}')


def test_json_concat() -> None:
    assert call("JSON_CONCAT", [S, S], '{"a": 1}', '{"b": 2, "a": 3}') == '{"a":3,"b":2}'
    assert call("JSON_CONCAT", [S, S], "[1, 2]", "[3]") == "[1,2,3]"
    assert call("JSON_CONCAT", [S, S], '{"a": 1}', "[3]") == '[{"a":1},3]'
    assert call("JSON_CONCAT", [S, S], "1e3", "2") == "[1000,2]"  # written with plain decimals
    assert call("JSON_CONCAT", [S, S], "[1]", None) is None
    assert call("JSON_CONCAT", [S, S], "[1]", "") is None


def test_json_array_contains_compares_like_jackson_tokens() -> None:
    assert call("JSON_ARRAY_CONTAINS", [S, INT], "[1, 2, 3]", 2) is True
    assert call("JSON_ARRAY_CONTAINS", [S, L], "[1, 2, 3]", 4) is False
    assert call("JSON_ARRAY_CONTAINS", [S, D], "[1.0, 2]", 1.0) is True
    assert call("JSON_ARRAY_CONTAINS", [S, D], "[1, 2]", 1.0) is False  # an int token is not a double
    assert call("JSON_ARRAY_CONTAINS", [S, B], "[1, true]", True) is True
    assert call("JSON_ARRAY_CONTAINS", [S, INT], "[true]", 1) is False
    assert call("JSON_ARRAY_CONTAINS", [S, S], '[["a"], "b"]', "a") is False  # nested values are skipped
    assert call("JSON_ARRAY_CONTAINS", [S, S], '[null]', None) is True
    assert call("JSON_ARRAY_CONTAINS", [S, INT], '{"a": 1}', 1) is False
    assert call("JSON_ARRAY_CONTAINS", [S, INT], "[1, 2, oops", 1) is True  # found before the bad token


def test_to_json_string_sorts_structs_and_maps() -> None:
    st = T.struct([("Z", INT), ("A", T.TIMESTAMP)])
    assert call("TO_JSON_STRING", [st], {"Z": 1, "A": 0}) == '{"A":"1970-01-01T00:00:00.000","Z":1}'
    m = T.map_of(S, T.array(D))
    assert call("TO_JSON_STRING", [m], {"b": [1.5, None], "a": [math.nan]}) == '{"a":["NaN"],"b":[1.5,null]}'
    assert call("TO_JSON_STRING", [T.decimal(5, 2)], Decimal("1.50")) == "1.50"
    assert call("TO_JSON_STRING", [BY], b"!") == '"IQ=="'
    assert call("TO_JSON_STRING", [S], "é\u0001") == '"é\\u0001"'
    assert call("TO_JSON_STRING", [INT], None) == "null"


def test_date_and_time_arithmetic_with_time_units() -> None:
    assert call("DATEADD", [DAYS, INT, T.DATE], "DAY", 3, 10) == 13
    assert call("DATEADD", [HOURS, INT, T.DATE], "HOUR", -1, 0) == 0  # Java's toDays truncates to zero
    assert call("DATESUB", [DAYS, INT, T.DATE], "DAY", 3, 10) == 7
    assert call("TIMEADD", [HOURS, INT, T.TIME], "HOUR", 25, 0) == 3_600_000  # wraps around midnight
    assert call("TIMESUB", [MINUTES, INT, T.TIME], "MINUTE", 1, 0) == 86_340_000
    assert call("TIMESTAMPADD", [HOURS, INT, T.TIMESTAMP], "HOUR", 2, 1000) == 7_201_000
    assert call("TIMESTAMPSUB", [DAYS, INT, T.TIMESTAMP], "DAY", 1, 0) == -86_400_000
    assert call("DATEADD", [DAYS, INT, T.DATE], "DAY", None, 10) is None


def test_date_and_time_conversions() -> None:
    assert call("FROM_DAYS", [INT], 19000) == 19000
    assert call("UNIX_DATE", [T.DATE], 19000) == 19000
    assert call("UNIX_TIMESTAMP", [T.TIMESTAMP], 5) == 5 and call("UNIX_TIMESTAMP", []) > 1_600_000_000_000
    assert call("FROM_UNIXTIME", [L], 1000) == 1000
    assert call("FORMAT_DATE", [T.DATE, S], 1, "yyyy-MM-dd") == "1970-01-02"
    assert call("PARSE_DATE", [S, S], "1970-01-03", "yyyy-MM-dd") == 2
    with pytest.raises(EvaluationError, match="Date format contains time field"):
        call("PARSE_DATE", [S, S], "1970-01-03 10", "yyyy-MM-dd HH")
    assert call("FORMAT_TIME", [T.TIME, S], 3_723_000, "HH:mm:ss") == "01:02:03"
    assert call("PARSE_TIME", [S, S], "01:02:03", "HH:mm:ss") == 3_723_000
    with pytest.raises(EvaluationError, match="Time format contains date field"):
        call("PARSE_TIME", [S, S], "2020 01:02", "yyyy HH:mm")
    with pytest.raises(EvaluationError, match="Failed to format date 1970-01-02 with formatter 'HH'"):
        call("FORMAT_DATE", [T.DATE, S], 1, "HH")  # a LocalDate has no hours
    with pytest.raises(EvaluationError, match="Failed to format time 01:02:03 with formatter"):
        call("FORMAT_TIME", [T.TIME, S], 3_723_000, "yyyy")
    assert call("FORMAT_TIMESTAMP", [T.TIMESTAMP, S, S], 0, "yyyy-MM-dd HH:mm", "America/New_York") == "1969-12-31 19:00"
    assert call("PARSE_TIMESTAMP", [S, S, S], "1970-01-01 01:00", "yyyy-MM-dd HH:mm", "Europe/Paris") == 0
    assert call("DATETOSTRING", [INT, S], 18000, "yyyy-MM-dd") == "2019-04-14"
    assert call("STRINGTODATE", [S, S], "2019-04-14", "yyyy-MM-dd") == 18000
    assert call("CONVERT_TZ", [T.TIMESTAMP, S, S], 0, "UTC", "Asia/Kolkata") == 19_800_000
    with pytest.raises(EvaluationError, match="Invalid time zone"):
        call("CONVERT_TZ", [T.TIMESTAMP, S, S], 0, "UTC", "Nowhere/Else")


def test_bytes_conversions() -> None:
    assert call("INT_FROM_BYTES", [BY], b"\x00\x00\x01\x00") == 256
    assert call("INT_FROM_BYTES", [BY, S], b"\x00\x01\x00\x00", "LITTLE_ENDIAN") == 256
    assert call("BIGINT_FROM_BYTES", [BY], b"\xff" * 8) == -1
    assert call("DOUBLE_FROM_BYTES", [BY], b"\x3f\xf0" + b"\x00" * 6) == 1.0
    assert call("INT_FROM_BYTES", [BY, S], None, "BIG_ENDIAN") is None
    with pytest.raises(EvaluationError, match="Number of bytes must be equal to 4, but found 3"):
        call("INT_FROM_BYTES", [BY], b"abc")
    with pytest.raises(EvaluationError, match="Unknown byte order 'middle'"):
        call("INT_FROM_BYTES", [BY, S], b"abcd", "middle")
    assert call("TO_BYTES", [S, S], "0aFF", "hex") == b"\x0a\xff"
    assert call("FROM_BYTES", [BY, S], b"\x0a\xff", "hex") == "0AFF"  # printHexBinary is upper case
    assert call("TO_BYTES", [S, S], "IQ", "base64") == b"!"
    assert call("FROM_BYTES", [BY, S], b"\xff", "utf8") == "\ufffd"
    with pytest.raises(EvaluationError, match="Unknown encoding type 'ebcdic'"):
        call("TO_BYTES", [S, S], "x", "ebcdic")
    with pytest.raises(EvaluationError, match="hexBinary needs to be even-length"):
        call("TO_BYTES", [S, S], "abc", "hex")


def test_encode() -> None:
    assert call("ENCODE", [S, S, S], "Hello", "ascii", "hex") == "48656c6c6f"
    assert call("ENCODE", [S, S, S], "0x48656c6c6f", "hex", "utf8") == "Hello"
    assert call("ENCODE", [S, S, S], "X'48'", "hex", "ascii") == "H"
    assert call("ENCODE", [S, S, S], "SGVsbG8", "base64", "utf8") == "Hello"  # lenient padding
    assert call("ENCODE", [S, S, S], "é", "utf8", "ascii") == "\ufffd\ufffd"
    with pytest.raises(EvaluationError, match="Supported input and output encodings are: hex, utf8, ascii and base64"):
        call("ENCODE", [S, S, S], "x", "utf8", "utf8")


def test_urls() -> None:
    url = "http://user@www.example.com:8080/a/b?x=1&flag&y=2#frag"
    assert call("URL_EXTRACT_HOST", [S], url) == "www.example.com"
    assert call("URL_EXTRACT_PORT", [S], url) == 8080
    assert call("URL_EXTRACT_PORT", [S], "http://a.com/") is None
    assert call("URL_EXTRACT_PATH", [S], url) == "/a/b"
    assert call("URL_EXTRACT_QUERY", [S], url) == "x=1&flag&y=2"
    assert call("URL_EXTRACT_FRAGMENT", [S], url) == "frag"
    assert call("URL_EXTRACT_PROTOCOL", [S], url) == "http"
    assert call("URL_EXTRACT_PARAMETER", [S, S], url, "y") == "2"
    assert call("URL_EXTRACT_PARAMETER", [S, S], url, "flag") == ""  # present without a value
    assert call("URL_EXTRACT_PARAMETER", [S, S], url, "z") is None
    assert call("URL_ENCODE_PARAM", [S], "a b&c~*") == "a+b%26c%7E*"
    assert call("URL_DECODE_PARAM", [S], "a+b%26c") == "a b&c"
    # java.net.URI: components decoded, case kept, bad syntax an error (the query makes it null)
    assert call("URL_EXTRACT_QUERY", [S], "http://a/p?q=%41%20b") == "q=A b"
    assert call("URL_EXTRACT_PARAMETER", [S, S], "http://a/p?q=%41", "q") == "A"
    assert call("URL_EXTRACT_HOST", [S], "HTTP://Example.COM/x") == "Example.COM"
    assert call("URL_EXTRACT_PROTOCOL", [S], "HTTP://Example.COM/x") == "HTTP"
    assert call("URL_EXTRACT_PATH", [S], "mailto:someone@example.com") is None
    assert call("URL_EXTRACT_PATH", [S], "http://a.com") == ""
    with pytest.raises(EvaluationError, match="URL input has invalid syntax: http://a b"):
        call("URL_EXTRACT_HOST", [S], "http://a b")


def test_geo_distance() -> None:
    km = call("GEO_DISTANCE", [D, D, D, D], 37.4439, -122.1663, 51.5072, -0.1276)
    assert km == pytest.approx(8634.6, abs=1)
    miles = call("GEO_DISTANCE", [D, D, D, D, S], 37.4439, -122.1663, 51.5072, -0.1276, "MI")
    assert miles == pytest.approx(km * 3959 / 6371)
    with pytest.raises(EvaluationError, match="valid latitude values"):
        call("GEO_DISTANCE", [D, D, D, D], 91.0, 0.0, 0.0, 0.0)
    with pytest.raises(EvaluationError, match="must be one of mi, mile, miles, km, kilometer, kilometers, kilometre or kilometres"):
        call("GEO_DISTANCE", [D, D, D, D, S], 1.0, 0.0, 0.0, 0.0, "parsec")


def test_to_json_string_words_a_time_as_java_localtime() -> None:
    # ksqlDB's SqlTimeTypes.formatTime: whole seconds, and no seconds at all when they are 0
    assert call("TO_JSON_STRING", [T.TIME], (13 * 3600 + 25 * 60) * 1000) == '"13:25"'
    assert call("TO_JSON_STRING", [T.TIME], (13 * 3600 + 25 * 60 + 7) * 1000 + 123) == '"13:25:07"'


def test_a_day_past_the_months_end_is_its_last_day_as_javas_smart_resolver_reads_it() -> None:
    # PARSE_TIMESTAMP (DateTimeFormatter, SMART): 2021-06-31 -> 2021-06-30 (1625055519446 ms). PARSE_DATE is
    # ParseDate's FastDateFormat over a lenient GregorianCalendar: days and months roll over instead
    # (2020-02-31 -> 2020-03-02, 2021-02-32 -> 2021-03-04, 2021-13-01 -> 2022-01-01)
    assert call("PARSE_TIMESTAMP", [S, S], "2021-06-31 12:18:39.446", "yyyy-MM-dd HH:mm:ss.SSS") == 1625055519446
    assert call("PARSE_DATE", [S, S], "2020-02-31", "yyyy-MM-dd") == 18323
    assert call("PARSE_DATE", [S, S], "2021-02-32", "yyyy-MM-dd") == 18690
    assert call("PARSE_DATE", [S, S], "2021-13-01", "yyyy-MM-dd") == 18993
