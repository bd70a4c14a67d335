"""Port of ksqlDB 0.29 JsonKeysTest (io.confluent.ksql.function.udf.json.JsonKeys)."""

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


def test_keys() -> None:
    """shouldReturnObjectKeys, shouldReturnKeysForEmptyObject, shouldReturnNullFor{Array,Number,Null,String}."""
    assert call("JSON_KEYS", [S], '{"a": "abc", "b": { "c": "a" }, "d": 1}') == ["a", "b", "d"]
    assert call("JSON_KEYS", [S], "{}") == []
    for v in ("[]", "123", "null", '"abc"'):
        assert call("JSON_KEYS", [S], v) is None


def test_invalid_json_throws() -> None:
    """shouldReturnNullForInvalidJson (expects KsqlFunctionException despite its name)."""
    with pytest.raises(EvaluationError):
        call("JSON_KEYS", [S], "abc")


def test_through_the_engine(select: Any) -> None:
    out = select("JSON_KEYS(C) AS A, JSON_KEYS('abc') AS X", "C STRING", {"C": '{"a": "abc", "b": {"c": "a"}, "d": 1}'})
    assert out.value == {"A": ["a", "b", "d"], "X": None}
    assert out.types == {"A": "ARRAY<STRING>", "X": "ARRAY<STRING>"}
    assert out.errors
