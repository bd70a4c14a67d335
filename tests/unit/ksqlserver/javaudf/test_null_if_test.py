"""ksqlDB 0.29 NullIfTest (function/udf/nulls): NullIf.nullIf(T expr1, T expr2) returns null when expr1 is null
or equals expr2, else expr1 (case-sensitive)."""

from __future__ import annotations

from typing import Any

from ksqlserver.catalog import types as T

S = T.STRING


def test_null_if(call: Any) -> None:
    assert call("NULLIF", [S, S], None, None) is None  # shouldReturnNullIfBothValuesAreNulls
    assert call("NULLIF", [S, S], None, "a") is None  # shouldReturnNullIfValue1IsNull
    assert call("NULLIF", [S, S], "a", "a") is None  # shouldReturnNullIfBothValuesAreEqual
    assert call("NULLIF", [S, S], "a", "b") == "a"  # shouldReturnValue1IfBothValuesAreNonEqual
    assert call("NULLIF", [S, S], "a", None) == "a"  # shouldReturnValue1IfValue1IsNotNullAndValue2IsNull
    assert call("NULLIF", [S, S], "a", "A") == "a"  # shouldReturnValue1CaseSensitive


def test_through_the_engine(udf: Any) -> None:
    r = udf.select("NULLIF('a', 'a')", "NULLIF('a', 'A')", "NULLIF('a', CAST(NULL AS STRING))", "NULLIF(X, 1)",
                   row={"X": 1})
    assert r.values == [None, "a", "a", None]
    assert r.types == ["STRING", "STRING", "STRING", "INTEGER"]
