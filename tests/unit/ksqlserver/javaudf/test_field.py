"""Port of ksqlDB 0.29 FieldTest (io.confluent.ksql.function.udf.string.Field): 1-based position of a
string among the arguments, 0 when missing or null."""

from __future__ import annotations

from typing import Any

from ksqlserver.catalog import types as T
from ksqlserver.catalog.types import SqlType
from ksqlserver.functions import default_registry

S, INT, BIG, B = T.STRING, T.INTEGER, T.BIGINT, T.BYTES


def call(name: str, types: list[SqlType | None], *args: Any) -> Any:
    return default_registry().require(name).resolve_call(types).impl(*args)


def test_field() -> None:
    """shouldFindFirstArgument, shouldFindSecondArgument, shouldFindArgumentWhenOneIsNull, shouldNotFindMissing,
    shouldNotFindIfNoArgs, shouldNotFindNull."""
    assert call("FIELD", [S, S, S], "hello", "hello", "world") == 1
    assert call("FIELD", [S, S, S], "world", "hello", "world") == 2
    assert call("FIELD", [S, S, S], "world", None, "world") == 2
    assert call("FIELD", [S, S, S], "missing", "hello", "world") == 0
    assert call("FIELD", [S], "missing") == 0
    assert call("FIELD", [S, S, S], None, None, "world") == 0


def test_through_the_engine(select: Any) -> None:
    out = select("FIELD(C, 'hello', 'world') AS A, FIELD(C) AS E", "C STRING", {"C": "world"})
    assert out.value == {"A": 2, "E": 0}
    assert out.types == {"A": "INTEGER", "E": "INTEGER"}
