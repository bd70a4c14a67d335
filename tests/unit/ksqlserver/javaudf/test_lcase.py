"""Port of ksqlDB 0.29 LCaseTest (io.confluent.ksql.function.udf.string.LCase)."""

from __future__ import annotations

from typing import Any

from ksqlserver.catalog import types as T
from ksqlserver.catalog.types import SqlType
from ksqlserver.functions import default_registry

S, INT, BIG, B = T.STRING, T.INTEGER, T.BIGINT, T.BYTES


def call(name: str, types: list[SqlType | None], *args: Any) -> Any:
    return default_registry().require(name).resolve_call(types).impl(*args)


def test_lcase() -> None:
    """shouldConvertToLowerCase, shouldRetainLowerCaseInput, shouldReturnNullForNullInput,
    shouldReturnEmptyForEmptyInput."""
    assert call("LCASE", [S], "FoO bAr") == "foo bar"
    assert call("LCASE", [S], "foo") == "foo"
    assert call("LCASE", [S], None) is None
    assert call("LCASE", [S], "") == ""


def test_through_the_engine(select: Any) -> None:
    out = select("LCASE(C) AS A", "C STRING", {"C": "FoO bAr"})
    assert out.value == {"A": "foo bar"}
    assert out.types == {"A": "STRING"}
