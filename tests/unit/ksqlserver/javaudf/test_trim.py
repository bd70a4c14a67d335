"""Port of ksqlDB 0.29 TrimTest (io.confluent.ksql.function.udf.string.Trim)."""

from __future__ import annotations

from typing import Any

from ksqlserver.catalog import types as T
from ksqlserver.catalog.types import SqlType
from ksqlserver.functions import default_registry

S, INT, BIG, B = T.STRING, T.INTEGER, T.BIGINT, T.BYTES


def call(name: str, types: list[SqlType | None], *args: Any) -> Any:
    return default_registry().require(name).resolve_call(types).impl(*args)


def test_trim() -> None:
    """shouldRemoveLeadingWhitespace, shouldRemoveTrailingWhitespace, shouldReturnNullForNullInput,
    shouldReturnEmptyForEmptyInput, shouldReturnEmptyForWhitespaceInput."""
    assert call("TRIM", [S], " \t Foo Bar") == "Foo Bar"
    assert call("TRIM", [S], "Foo Bar \t ") == "Foo Bar"
    assert call("TRIM", [S], None) is None
    assert call("TRIM", [S], "") == ""
    assert call("TRIM", [S], " \t ") == ""


def test_through_the_engine(select: Any) -> None:
    out = select("TRIM(C) AS A", "C STRING", {"C": " \t Foo Bar \t "})
    assert out.value == {"A": "Foo Bar"}
    assert out.types == {"A": "STRING"}
