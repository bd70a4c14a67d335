"""Port of ksqlDB 0.29 SubstringTest (io.confluent.ksql.function.udf.string.Substring): one-based and
negative positions on strings and bytes, out-of-bound truncation, nulls."""

from __future__ import annotations

from typing import Any

from ksqlserver.catalog import types as T
from ksqlserver.catalog.types import SqlType
from ksqlserver.functions import default_registry

S, INT, BIG, B = T.STRING, T.INTEGER, T.BIGINT, T.BYTES


def call(name: str, types: list[SqlType | None], *args: Any) -> Any:
    return default_registry().require(name).resolve_call(types).impl(*args)


V, BV = "a test string", b"\x01\x02\x03\x04"


def sub(v: Any, *a: Any) -> Any:
    return call("SUBSTRING", [B if isinstance(v, bytes) else S, INT, INT][: len(a) + 1], v, *a)


def test_nulls() -> None:
    """shouldReturnNullOn{String,Bytes}NullValue."""
    for t, v in ((S, "some string"), (B, b"\x01")):
        assert call("SUBSTRING", [t, INT], None, 1) is None
        assert call("SUBSTRING", [t, INT, INT], None, 1, 1) is None
        assert call("SUBSTRING", [t, INT, INT], v, None, 1) is None
        assert call("SUBSTRING", [t, INT, INT], v, 1, None) is None


def test_positions() -> None:
    """shouldUseOneBasedIndexingOn{String,Bytes}, shouldExtractFromStartForPositivePositionsOn{Strings,Bytes},
    shouldExtractFromEndForNegativePositionsOn{Strings,Bytes}."""
    assert sub(V, 1, 1) == "a"
    assert sub(V, -1, 1) == "g"
    assert sub(BV, 1, 1) == b"\x01"
    assert sub(BV, -1, 1) == b"\x04"
    assert sub(V, 3) == "test string"
    assert sub(V, 3, 4) == "test"
    assert sub(BV, 3) == b"\x03\x04"
    assert sub(BV, 3, 4) == b"\x03\x04"
    assert sub(V, -6) == "string"
    assert sub(V, -6, 2) == "st"
    assert sub(BV, -3) == b"\x02\x03\x04"
    assert sub(BV, -3, 3) == b"\x02\x03\x04"


def test_out_of_bounds() -> None:
    """shouldTruncateOutOfBoundIndexesOn{Strings,Bytes}."""
    assert sub(V, 0) == V
    assert sub(V, 100) == ""
    assert sub(V, -100) == V
    assert sub(V, 3, 100) == "test string"
    assert sub(V, 3, -100) == ""
    assert sub(BV, 0) == BV
    assert sub(BV, 100) == b""
    assert sub(BV, -100) == BV
    assert sub(BV, 3, 100) == b"\x03\x04"
    assert sub(BV, 3, -100) == b""


E = "\U0001F600"  # outside the BMP: two Java chars


def test_positions_count_java_chars() -> None:
    """Beyond SubstringTest: Substring.substring indexes the Java String, so an emoji takes two positions; a
    cut through it leaves a lone surrogate (which then fails to serialize, as in ksqlDB)."""
    assert sub(E + "abc", 3) == "abc"
    assert sub("a" + E + "b", 2, 2) == E
    assert sub("a" + E + "b", -1) == "b"
    assert sub("a" + E + "b", 2, 1) == "\ud83d"


def test_through_the_engine(select: Any) -> None:
    out = select("SUBSTRING(C, -6, 2) AS A, SUBSTRING(C, 0) AS Z, SUBSTRING(TO_BYTES('AQIDBA==', 'base64'), -3) AS B",
                 "C STRING", {"C": V})
    assert out.value == {"A": "st", "Z": V, "B": "AgME"}
    assert out.types == {"A": "STRING", "Z": "STRING", "B": "BYTES"}
