"""Port of ksqlDB 0.29 UCaseTest (io.confluent.ksql.function.udf.string.UCase)."""

from __future__ import annotations

from typing import Any

from ksqlserver.catalog import types as T
from ksqlserver.catalog.types import SqlType
from ksqlserver.functions import default_registry

S, INT, BIG, B = T.STRING, T.INTEGER, T.BIGINT, T.BYTES


def call(name: str, types: list[SqlType | None], *args: Any) -> Any:
    return default_registry().require(name).resolve_call(types).impl(*args)


def test_ucase() -> None:
    """shouldConvertToUpperCase, shouldRetainUpperCaseInput, shouldReturnNullForNullInput,
    shouldReturnEmptyForEmptyInput."""
    assert call("UCASE", [S], "FoO bAr") == "FOO BAR"
    assert call("UCASE", [S], "FOO") == "FOO"
    assert call("UCASE", [S], None) is None
    assert call("UCASE", [S], "") == ""


def test_through_the_engine(select: Any) -> None:
    out = select("UCASE(C) AS A", "C STRING", {"C": "FoO bAr"})
    assert out.value == {"A": "FOO BAR"}
    assert out.types == {"A": "STRING"}
