"""Port of ksqlDB 0.29 SplitToMapTest (io.confluent.ksql.function.udf.string.SplitToMap)."""

from __future__ import annotations

from typing import Any

from ksqlserver.catalog import types as T
from ksqlserver.catalog.types import SqlType
from ksqlserver.functions import default_registry

S, INT, BIG, B = T.STRING, T.INTEGER, T.BIGINT, T.BYTES


def call(name: str, types: list[SqlType | None], *args: Any) -> Any:
    return default_registry().require(name).resolve_call(types).impl(*args)


def stm(*a: Any) -> Any:
    return call("SPLIT_TO_MAP", [S, S, S], *a)


def test_split_to_map() -> None:
    """shouldSplitStringByGivenDelimiterChars, shouldSplitStringGivenMultiCharDelimiters,
    shouldSplitStringWithOnlyOneEntry, shouldRetainWhitespacebetweenDelimiters, shouldDropEmptyEntriesFromSplit,
    shouldDropEntriesWithoutKeyAndValue, shouldReturnEmptyFor{InputWithoutDelimiters,EmptyInput},
    shouldKeepLatestValueForDuplicateKey."""
    assert stm("foo=apple;bar=cherry", ";", "=") == {"foo": "apple", "bar": "cherry"}
    assert stm("foo:=apple||bar:=cherry", "||", ":=") == {"foo": "apple", "bar": "cherry"}
    assert stm("foo=apple", ";", "=") == {"foo": "apple"}
    assert stm("foo :=\tapple || bar:=cherry", "||", ":=") == {"foo ": "\tapple ", " bar": "cherry"}
    assert stm("/foo:=apple//bar:=cherry/", "/", ":=") == {"foo": "apple", "bar": "cherry"}
    assert stm("foo:=apple/cherry", "/", ":=") == {"foo": "apple"}
    assert stm("cherry", "/", ":=") == {}
    assert stm("", "/", ":=") == {}
    assert stm("/foo:=apple/foo:=cherry/", "/", ":=") == {"foo": "cherry"}


def test_nulls() -> None:
    """shouldReturnNullOnNullInputString, ...OnSameDelimiterChars, ...On{Empty,Null}{Entry,Value}Delimiter."""
    assert stm(None, "/", ":=") is None
    assert stm("foo:=apple/bar:=cherry", "/", "/") is None
    assert stm("foo:=apple/bar:=cherry", "", ":=") is None
    assert stm("foo:=apple/bar:=cherry", None, ":=") is None
    assert stm("foo:=apple/bar:=cherry", "/", "") is None
    assert stm("foo:=apple/bar:=cherry", "/", None) is None


def test_through_the_engine(select: Any) -> None:
    out = select("SPLIT_TO_MAP(C, '/', ':=') AS A, SPLIT_TO_MAP(C, '/', '/') AS X", "C STRING",
                 {"C": "/foo:=apple/foo:=cherry/"})
    assert out.value == {"A": {"foo": "cherry"}, "X": None}
    assert out.types == {"A": "MAP<STRING, STRING>", "X": "MAP<STRING, STRING>"}
