"""Port of ksqlDB 0.29 JsonConcatTest (io.confluent.ksql.function.udf.json.JsonConcat): object merge
(the later object wins), array concatenation, primitives wrapped in arrays, nulls."""

from __future__ import annotations

from typing import Any

from ksqlserver.catalog import types as T
from ksqlserver.catalog.types import SqlType
from ksqlserver.functions import default_registry

S, INT, BIG, B = T.STRING, T.INTEGER, T.BIGINT, T.BYTES


def call(name: str, types: list[SqlType | None], *args: Any) -> Any:
    return default_registry().require(name).resolve_call(types).impl(*args)


def jc(*a: Any) -> Any:
    return call("JSON_CONCAT", [S] * len(a), *a)


def test_concat() -> None:
    """shouldMerge2Objects, shouldMerge2EmptyObjects, shouldOverrideWithAttrsFromTheSecondObject, shouldMerge2Arrays,
    shouldMergeNestedArrays, shouldWrapPrimitivesInArrays, shouldWrapObjectInArray, shouldMergeEmptyArrays,
    shouldMerge3Args."""
    assert jc('{"a": 1}', '{"b": 2}') == '{"a":1,"b":2}'
    assert jc("{}", "{}") == "{}"
    assert jc('{"a": {"5": 6}}', '{"a": {"3": 4}}') == '{"a":{"3":4}}'
    assert jc("[1, 2]", "[3, 4]") == "[1,2,3,4]"
    assert jc("[1, [2]]", "[[[3]], [[[4]]]]") == "[1,[2],[[3]],[[[4]]]]"
    assert jc("null", "null") == "[null,null]"
    assert jc("[1, 2]", '{"a": 1}') == '[1,2,{"a":1}]'
    assert jc("[]", "[]") == "[]"
    assert jc("1", "2", "3") == "[1,2,3]"


def test_nulls() -> None:
    """shouldReturnNullIfTheFirstArgIsNull, ...TheSecondArgIsNull, ...ArgumentIsNull, ...BothdArgsAreNull."""
    assert jc(None, "1") is None
    assert jc("1", None) is None
    assert jc(None) is None
    assert jc(None, None) is None


def test_through_the_engine(select: Any) -> None:
    out = select("JSON_CONCAT(C, '{\"b\": 2}') AS A, JSON_CONCAT('1', '2', '3') AS B", "C STRING", {"C": '{"a": 1}'})
    assert out.value == {"A": '{"a":1,"b":2}', "B": "[1,2,3]"}
    assert out.types == {"A": "STRING", "B": "STRING"}
