"""Port of ksqlDB 0.29 JsonItemsTest (io.confluent.ksql.function.udf.json.JsonItems)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from ksqlserver.catalog import types as T
from ksqlserver.catalog.types import SqlType
from ksqlserver.errors import EvaluationError
from ksqlserver.functions import default_registry

S, INT, BIG, B = T.STRING, T.INTEGER, T.BIGINT, T.BYTES


def call(name: str, types: list[SqlType | None], *args: Any) -> Any:
    return default_registry().require(name).resolve_call(types).impl(*args)





def test_items() -> None:
    """shouldExtractRecords, shouldReturnEmptyListForEmptyArray, shouldSupportJsonIntegerType, shouldReturnNullForNull."""
    out = call("JSON_ITEMS", [S], '[{"type": "AAA", "timestamp": "2022-01-27"}, '
                                  '{"type": "BBB", "timestamp": "2022-05-18"}]')
    assert [json.loads(x) for x in out] == [{"type": "AAA", "timestamp": "2022-01-27"},
                                            {"type": "BBB", "timestamp": "2022-05-18"}]
    assert call("JSON_ITEMS", [S], "[]") == []
    assert call("JSON_ITEMS", [S], "[1, 2, 3]") == ["1", "2", "3"]
    assert call("JSON_ITEMS", [S], None) is None


def test_non_array_throws() -> None:
    """shouldThrowForNonArray."""
    with pytest.raises(EvaluationError):
        call("JSON_ITEMS", [S], "abc")


def test_through_the_engine(select: Any) -> None:
    out = select("JSON_ITEMS(C) AS A, JSON_ITEMS('abc') AS X", "C STRING", {"C": "[1, 2, 3]"})
    assert out.value == {"A": ["1", "2", "3"], "X": None}
    assert out.types == {"A": "ARRAY<STRING>", "X": "ARRAY<STRING>"}
    assert out.errors
