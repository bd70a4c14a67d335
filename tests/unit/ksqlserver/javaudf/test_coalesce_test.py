"""ksqlDB 0.29 CoalesceTest (function/udf/nulls): shouldReturnNullForNullOnly, shouldReturnNullForNullOthers,
shouldReturnNullForEmptyOthers, shouldReturnFirstNonNullEntity; Coalesce.coalesce(T first, T... others)."""

from __future__ import annotations

from typing import Any

from ksqlserver.catalog import types as T


def test_null_only_and_null_or_empty_others(call: Any) -> None:
    assert call("COALESCE", [T.STRING], None) is None
    assert call("COALESCE", [T.STRING, T.STRING], None, None) is None
    assert call("COALESCE", [T.DOUBLE, T.DOUBLE], None, None) is None


def test_first_non_null_entity(call: Any) -> None:
    assert call("COALESCE", [T.INTEGER, T.INTEGER, T.INTEGER], 1, 2, 3) == 1
    assert call("COALESCE", [T.STRING] * 5, None, "a", "b", "c", "d") == "a"
    arr = T.array(T.INTEGER)
    assert call("COALESCE", [arr, arr, arr], None, [], None) == []
    assert call("COALESCE", [T.DOUBLE] * 3, None, None, 1.0) == 1.0


def test_through_the_engine(udf: Any) -> None:
    r = udf.select("COALESCE(X, 2, 3)", "COALESCE(CAST(NULL AS STRING), 'a', 'b')", "COALESCE(X)",
                   "COALESCE(CAST(NULL AS ARRAY<INT>), SLICE(ARRAY[1], 2, 1), CAST(NULL AS ARRAY<INT>))")
    assert r.values == [2, "a", None, []]
    assert r.types == ["INTEGER", "STRING", "INTEGER", "ARRAY<INTEGER>"]
