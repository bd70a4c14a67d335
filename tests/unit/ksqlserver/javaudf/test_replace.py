"""Port of ksqlDB 0.29 ReplaceTest (io.confluent.ksql.function.udf.string.Replace)."""

from __future__ import annotations

from typing import Any

from ksqlserver.catalog import types as T
from ksqlserver.catalog.types import SqlType
from ksqlserver.functions import default_registry

S, INT, BIG, B = T.STRING, T.INTEGER, T.BIGINT, T.BYTES


def call(name: str, types: list[SqlType | None], *args: Any) -> Any:
    return default_registry().require(name).resolve_call(types).impl(*args)


def test_replace() -> None:
    """shouldHandleNull, shouldReplace (an empty target inserts between every char)."""
    assert call("REPLACE", [S, S, S], None, "foo", "bar") is None
    assert call("REPLACE", [S, S, S], "foo", None, "bar") is None
    assert call("REPLACE", [S, S, S], "foo", "bar", None) is None
    assert call("REPLACE", [S, S, S], "foobar", "foo", "bar") == "barbar"
    assert call("REPLACE", [S, S, S], "foobar", "fooo", "bar") == "foobar"
    assert call("REPLACE", [S, S, S], "foobar", "o", "") == "fbar"
    assert call("REPLACE", [S, S, S], "abc", "", "n") == "nanbncn"


def test_through_the_engine(select: Any) -> None:
    out = select("REPLACE(C, '', 'n') AS A, REPLACE(C, 'b', NULL) AS X", "C STRING", {"C": "abc"})
    assert out.value == {"A": "nanbncn", "X": None}
    assert out.types == {"A": "STRING", "X": "STRING"}
