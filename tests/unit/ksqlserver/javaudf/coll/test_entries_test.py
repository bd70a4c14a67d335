"""ksqlDB 0.29 EntriesTest (io.confluent.ksql.function.udf.array), ported: Entries.entries{Int,BigInt,
Double,Boolean,String} (a STRUCT<K, V> per map entry, sorted by key when asked; null map: null)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest

from ksqlserver.catalog import types as T
from ksqlserver.functions import default_registry

VALUES: dict[str, tuple[T.SqlType, Callable[[int], Any]]] = {
    "Int": (T.INTEGER, lambda i: i),
    "BigInt": (T.BIGINT, lambda i: i),
    "Double": (T.DOUBLE, float),
    "Boolean": (T.BOOLEAN, lambda i: i % 2 == 0),
    "String": (T.STRING, str),
}


def entries(vt: T.SqlType, m: Any, sort: Any) -> Any:
    return default_registry().require("ENTRIES").resolve_call([T.map_of(T.STRING, vt), T.BOOLEAN]).impl(m, sort)


def create_map(value: Callable[[int], Any]) -> dict[str, Any]:
    return {str(uuid.uuid4()): value(i) for i in range(20)}


@pytest.mark.parametrize("kind", list(VALUES))
def test_should_compute_entries(kind: str) -> None:
    """shouldCompute{Int,BigInt,Double,Boolean,String}Entries."""
    vt, value = VALUES[kind]
    m = create_map(value)
    out = entries(vt, m, False)
    assert len(out) == len(m)
    for s in out:
        assert m.get(s["K"]) is not None and m[s["K"]] == s["V"]


@pytest.mark.parametrize("kind", list(VALUES))
def test_should_compute_entries_sorted(kind: str) -> None:
    """shouldCompute{Int,BigInt,Double,Boolean,String}EntriesSorted."""
    vt, value = VALUES[kind]
    m = create_map(value)
    assert entries(vt, m, True) == [{"K": k, "V": v} for k, v in sorted(m.items())]


@pytest.mark.parametrize("kind", list(VALUES))
def test_should_return_null_list_for_null_map(kind: str) -> None:
    assert entries(VALUES[kind][0], None, False) is None


def test_sorted_keys_compare_by_utf16_code_unit() -> None:
    """Comparator.comparing(Entry::getKey): String.compareTo, a surrogate pair below U+E000-U+FFFF."""
    out = entries(T.INTEGER, {"\uffff": 1, "\U0001f600": 2, "a": 3}, True)
    assert [s["K"] for s in out] == ["a", "\U0001f600", "\uffff"]


def test_through_the_engine(sql: Any) -> None:
    out = sql.select(
        "ENTRIES(M, TRUE)", "ENTRIES(MAP('b' := 2.5E0, 'a' := 1.5E0), TRUE)", "ENTRIES(N, FALSE)",
        "ENTRIES(MAP('x' := CAST(1 AS BIGINT)), FALSE)",
        columns="M MAP<STRING, INT>, N MAP<STRING, STRING>", row={"M": {"b": 2, "a": 1}, "N": None},
    )
    assert out == [
        [{"K": "a", "V": 1}, {"K": "b", "V": 2}], [{"K": "a", "V": 1.5}, {"K": "b", "V": 2.5}], None,
        [{"K": "x", "V": 1}],
    ]
    assert sql.types == [
        "ARRAY<STRUCT<`K` STRING, `V` INTEGER>>", "ARRAY<STRUCT<`K` STRING, `V` DOUBLE>>",
        "ARRAY<STRUCT<`K` STRING, `V` STRING>>", "ARRAY<STRUCT<`K` STRING, `V` BIGINT>>",
    ]


def test_a_null_key_fails_the_sort(sql: Any) -> None:
    """Entry.comparingByKey dereferences a null key (NullPointerException): the row's value is null and the
    processing log has the error; unsorted, or with a single entry, nothing is compared."""
    out = sql.select(
        "ENTRIES(AS_MAP(ARRAY[CAST(NULL AS STRING), 'a'], ARRAY[1, 2]), TRUE)",
        "ENTRIES(AS_MAP(ARRAY[CAST(NULL AS STRING), 'a'], ARRAY[1, 2]), FALSE)",
        "ENTRIES(AS_MAP(ARRAY[CAST(NULL AS STRING)], ARRAY[1]), TRUE)",
    )
    assert out == [None, [{"K": None, "V": 1}, {"K": "a", "V": 2}], [{"K": None, "V": 1}]]
    assert len(sql.log) == 1 and sql.log[0].endswith("for column C0 with index 0\njava.lang.NullPointerException")
