"""Port of ksqlDB 0.29 JsonArrayContainsTest (io.confluent.ksql.function.udf.json.JsonArrayContains):
top-level elements only, JSON number kinds matched to the value's type (INT/BIGINT vs DOUBLE), null."""

from __future__ import annotations

from typing import Any

from ksqlserver.catalog import types as T
from ksqlserver.catalog.types import SqlType
from ksqlserver.functions import default_registry

S, INT, BIG, B = T.STRING, T.INTEGER, T.BIGINT, T.BYTES


def call(name: str, types: list[SqlType | None], *args: Any) -> Any:
    return default_registry().require(name).resolve_call(types).impl(*args)


D = T.DOUBLE


def has(js: str, t: SqlType | None, v: Any) -> Any:
    return call("JSON_ARRAY_CONTAINS", [S, t], js, v)


def test_empty_and_null_arrays() -> None:
    """shouldReturnFalseOnEmptyArray, shouldNotFindValuesInNullArray."""
    for t, v in ((T.BOOLEAN, True), (T.BOOLEAN, False), (S, None), (D, 1.0), (INT, 100), (S, "abc"), (S, "")):
        assert has("[]", t, v) is False
    assert has("[null]", S, None) is True
    for t, v in ((S, "null"), (T.BOOLEAN, True), (T.BOOLEAN, False), (D, 1.0), (INT, 100), (S, "abc"), (S, "")):
        assert has("[null]", t, v) is False


def test_integers_and_longs() -> None:
    """shouldFindIntegersInJsonArray, shouldFindLongsInJsonArray (an INT never matches 1.0, nested values skipped)."""
    js = '[2147483647, {"ab":null }, -2147483648, 1, 2, 3, null, [4], 4]'
    for v in (2147483647, -2147483648, 1, 2, 3):
        assert has(js, INT, v) is True
    assert has("5", INT, 5) is False
    assert has(js, INT, 5) is False
    assert has("[1]", BIG, 1) is True
    assert has("[1111111111111111]", BIG, 1111111111111111) is True
    assert has("[[222222222222222], 33333]", BIG, 33333) is True
    assert has('[{}, "abc", null, 1]', BIG, 1) is True
    assert has("[[222222222222222], 33333]", BIG, 222222222222222) is False
    assert has('[{}, "abc", null, [1]]', BIG, 1) is False
    assert has('[{}, "abc", null, {"1":1}]', BIG, 1) is False
    assert has("[1]", D, 1.0) is False


def test_doubles_strings_booleans() -> None:
    """shouldFindDoublesInJsonArray, shouldFindStringsInJsonArray, shouldFindBooleansInJsonArray,
    shouldHandleNullsInJsonArray."""
    assert has("[-1.0, 2.0, 3.0]", D, 2.0) is True
    assert has("[1.0, -2.0, 3.0]", D, -2.0) is True
    assert has("[1.0, 2.0, 1.6E3]", D, 1600.0) is True
    assert has("[1.0, 2.0, -1.6E3]", D, -1600.0) is True
    assert has('[{}, "abc", null, -2.0]', D, -2.0) is True
    assert has("[[2.0], 3.0]", D, 2.0) is False
    assert has('["abc"]', S, "abc") is True
    assert has('["cbda", "abc"]', S, "abc") is True
    assert has('[{}, "abc", null, 1]', S, "abc") is True
    assert has('[""]', S, "") is True
    assert has('[""]', S, None) is False
    assert has("[1,2,3]", S, "1") is False
    assert has("[null]", S, "") is False
    assert has('["abc", "dba"]', S, "abd") is False
    assert has("[false, false, true, false]", T.BOOLEAN, True) is True
    assert has("[true, true, false]", T.BOOLEAN, False) is True
    assert has("[true, true]", T.BOOLEAN, False) is False
    assert has("[false, false]", T.BOOLEAN, True) is False
    assert has("[false, false, true, false]", T.BOOLEAN, None) is False


def test_streaming_stops_at_a_token_jackson_rejects() -> None:
    """Beyond JsonArrayContainsTest: JsonArrayContains walks Jackson's streaming parser and returns false on its
    IOException, so a match before a malformed element counts but a malformed element itself never matches
    (a leading zero, '1.', a literal running into letters)."""
    assert has("[1, x]", INT, 1) is True
    assert has("[x, 1]", INT, 1) is False
    assert has("[01]", INT, 0) is False
    assert has("[1.]", INT, 1) is False
    assert has("[truex]", T.BOOLEAN, True) is False
    assert has("[0, 1e]", INT, 0) is True


def test_through_the_engine(select: Any) -> None:
    out = select("JSON_ARRAY_CONTAINS(C, 2) AS A, JSON_ARRAY_CONTAINS(C, 2.0) AS DEC, "
                 "JSON_ARRAY_CONTAINS(C, CAST(2 AS DOUBLE)) AS DBL, JSON_ARRAY_CONTAINS('[2.5]', 2.5e0) AS E",
                 "C STRING", {"C": "[1, 2]"})
    # a DECIMAL is neither an integer nor a Double (JsonArrayContains.TOKEN_COMPAT)
    assert out.value == {"A": True, "DEC": False, "DBL": False, "E": True}
    assert out.types == {"A": "BOOLEAN", "DEC": "BOOLEAN", "DBL": "BOOLEAN", "E": "BOOLEAN"}
