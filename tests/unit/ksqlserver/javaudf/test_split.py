"""Port of ksqlDB 0.29 SplitTest (io.confluent.ksql.function.udf.string.Split): strings and bytes, empty
and multi-byte delimiters, delimiters at the edges and in contiguous positions."""

from __future__ import annotations

from typing import Any

from ksqlserver.catalog import types as T
from ksqlserver.catalog.types import SqlType
from ksqlserver.functions import default_registry

S, INT, BIG, B = T.STRING, T.INTEGER, T.BIGINT, T.BYTES


def call(name: str, types: list[SqlType | None], *args: Any) -> Any:
    return default_registry().require(name).resolve_call(types).impl(*args)


def sp(v: Any, d: Any) -> Any:
    t = B if isinstance(v, bytes) or isinstance(d, bytes) else S
    return call("SPLIT", [t, t], v, d)


def test_nulls() -> None:
    """shouldReturnNullOnAnyNullParametersOnSplit{String,Bytes}."""
    assert call("SPLIT", [S, S], None, "") is None
    assert call("SPLIT", [S, S], "", None) is None
    assert call("SPLIT", [S, S], None, None) is None
    assert call("SPLIT", [B, B], None, b"") is None
    assert call("SPLIT", [B, B], b"", None) is None
    assert call("SPLIT", [B, B], None, None) is None


def test_not_found_and_empty_delimiter() -> None:
    """shouldReturnOriginal{String,Bytes}OnNotFoundDelimiter, shouldSplitAll{Characters,Bytes}ByGivenAnEmptyDelimiter."""
    assert sp("", ".") == [""]
    assert sp("x-y", ".") == ["x-y"]
    assert sp(b"", b".") == [b""]
    assert sp(b"x-y", b".") == [b"x-y"]
    assert sp("", "") == [""]
    assert sp("x-y", "") == ["x", "-", "y"]
    assert sp(b"", b"") == [b""]
    assert sp(b"x-y", b"") == [b"x", b"-", b"y"]


def test_split_by_delimiter() -> None:
    """shouldSplit{String,Bytes}ByGivenDelimiter, shouldSplitBytesByGivenMultipleBytesDelimiter."""
    assert sp("x-y", "-") == ["x", "y"]
    assert sp("x-y", "x") == ["", "-y"]
    assert sp("x-y", "y") == ["x-", ""]
    assert sp("a.b.c.d", ".") == ["a", "b", "c", "d"]
    assert sp(b"x-y", b"-") == [b"x", b"y"]
    assert sp(b"x-y", b"x") == [b"", b"-y"]
    assert sp(b"x-y", b"y") == [b"x-", b""]
    assert sp(b"a.b.c.d", b".") == [b"a", b"b", b"c", b"d"]
    assert sp(b"a--b", b"--") == [b"a", b"b"]
    assert sp(b"$-a--b", b"$-") == [b"", b"a--b"]
    assert sp(b"a--b$-", b"$-") == [b"a--b", b""]


def test_edges_and_contiguous() -> None:
    """shouldSplitAndAddEmptySpacesIfDelimiter{String,Bytes}IsFoundAtTheBeginningOrEnd, ...InContiguousPositions."""
    for conv in (str, str.encode):
        def c(s: str, conv: Any = conv) -> Any:
            return conv(s)
        assert sp(c("$A"), c("$")) == [c(""), c("A")]
        assert sp(c("$A$B"), c("$")) == [c(""), c("A"), c("B")]
        assert sp(c("A$"), c("$")) == [c("A"), c("")]
        assert sp(c("A$B$"), c("$")) == [c("A"), c("B"), c("")]
        assert sp(c("$A$B$"), c("$")) == [c(""), c("A"), c("B"), c("")]
        assert sp(c("A||A"), c("|")) == [c("A"), c(""), c("A")]
        assert sp(c("z||A||z"), c("|")) == [c("z"), c(""), c("A"), c(""), c("z")]
        assert sp(c("||A||A"), c("|")) == [c(""), c(""), c("A"), c(""), c("A")]
        assert sp(c("A||A||"), c("|")) == [c("A"), c(""), c("A"), c(""), c("")]


def test_through_the_engine(select: Any) -> None:
    out = select("SPLIT(C, '|') AS A, SPLIT(C, '') AS E, SPLIT(TO_BYTES(C, 'utf8'), TO_BYTES('|', 'utf8')) AS B",
                 "C STRING", {"C": "A||"})
    assert out.value == {"A": ["A", "", ""], "E": ["A", "|", "|"], "B": ["QQ==", "", ""]}
    assert out.types == {"A": "ARRAY<STRING>", "E": "ARRAY<STRING>", "B": "ARRAY<BYTES>"}
