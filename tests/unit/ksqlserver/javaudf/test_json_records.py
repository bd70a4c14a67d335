"""Port of ksqlDB 0.29 JsonRecordsTest (io.confluent.ksql.function.udf.json.JsonRecords)."""

from __future__ import annotations

from typing import Any

import pytest

from ksqlserver.catalog import types as T
from ksqlserver.catalog.types import SqlType
from ksqlserver.errors import EvaluationError
from ksqlserver.functions import default_registry

S, INT, BIG, B = T.STRING, T.INTEGER, T.BIGINT, T.BYTES


def call(name: str, types: list[SqlType | None], *args: Any) -> Any:
    return default_registry().require(name).resolve_call(types).impl(*args)


def test_records() -> None:
    """shouldExtractRecords, shouldReturnEmptyMapForEmptyObject, shouldReturnNullForJson{Null,Array,Number},
    shouldReturnNullForNull."""
    assert call("JSON_RECORDS", [S], '{"a": "abc", "b": { "c": "a" }, "d": 1}') == {
        "a": "abc", "b": '{"c":"a"}', "d": "1"
    }
    assert call("JSON_RECORDS", [S], "{}") == {}
    for v in ("null", "[1,2,3]", "123", None):
        assert call("JSON_RECORDS", [S], v) is None


def test_invalid_json_throws() -> None:
    """shouldThrowForInvalidJson."""
    with pytest.raises(EvaluationError):
        call("JSON_RECORDS", [S], "abc")


def test_through_the_engine(select: Any) -> None:
    out = select("JSON_RECORDS(C) AS A, JSON_RECORDS('abc') AS X", "C STRING", {"C": '{"a": "abc", "b": {"c": "a"}}'})
    assert out.value == {"A": {"a": "abc", "b": '{"c":"a"}'}, "X": None}
    assert out.types == {"A": "MAP<STRING, STRING>", "X": "MAP<STRING, STRING>"}
    assert out.errors
