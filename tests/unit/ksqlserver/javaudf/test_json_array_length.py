"""Port of ksqlDB 0.29 JsonArrayLengthTest (io.confluent.ksql.function.udf.json.JsonArrayLength)."""

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


def test_length() -> None:
    """shouldReturn{Flat,Nested,Empty}ArrayLength, shouldReturnNullFor{Objects,Number,String,Null,StrNull}."""
    assert call("JSON_ARRAY_LENGTH", [S], "[1, 2, 3]") == 3
    assert call("JSON_ARRAY_LENGTH", [S], "[1, [1, [2]], 3]") == 3
    assert call("JSON_ARRAY_LENGTH", [S], "[]") == 0
    for v in ("{}", "123", '"abc"', None, "null"):
        assert call("JSON_ARRAY_LENGTH", [S], v) is None


def test_invalid_json_throws() -> None:
    """shouldThrowForInvalidJson."""
    with pytest.raises(EvaluationError):
        call("JSON_ARRAY_LENGTH", [S], "abc")


def test_through_the_engine(select: Any) -> None:
    out = select("JSON_ARRAY_LENGTH(C) AS A, JSON_ARRAY_LENGTH('abc') AS X", "C STRING", {"C": "[1, [1, [2]], 3]"})
    assert out.value == {"A": 3, "X": None}
    assert out.types == {"A": "INTEGER", "X": "INTEGER"}
    assert out.errors
