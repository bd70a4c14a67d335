"""Port of ksqlDB 0.29 IsJsonStringTest (io.confluent.ksql.function.udf.json.IsJsonString)."""

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


def test_is_json_string() -> None:
    """shouldInterpret{Number,String,NullString,Array,Object}, shouldNotInterpret{UnquotedString,EmptyString,Null,
    StringWithSyntaxErrors}."""
    for ok in ("1", '"abc"', "null", "[1, 2, 3]", '{"1": 2}'):
        assert call("IS_JSON_STRING", [S], ok) is True
    for bad in ("abc", "", None, "{1:2]"):
        assert call("IS_JSON_STRING", [S], bad) is False


def test_through_the_engine(select: Any) -> None:
    out = select("IS_JSON_STRING(C) AS A, IS_JSON_STRING('abc') AS B, IS_JSON_STRING(D) AS N", "C STRING, D STRING",
                 {"C": "[1, 2, 3]"})
    assert out.value == {"A": True, "B": False, "N": False}
    assert out.types == {"A": "BOOLEAN", "B": "BOOLEAN", "N": "BOOLEAN"}
