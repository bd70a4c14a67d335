"""MAP functions (keys are strings, as ksqlDB's map functions declare) and SPLIT_TO_MAP / ENTRIES."""

from __future__ import annotations

from typing import Any

from ksqlserver.errors import EvaluationError
from ksqlserver.formats.javamap import hashmap_order, put_all_table, table_size_for
from ksqlserver.functions.registry import FunctionRegistry, V, udf
from ksqlserver.functions.udafs.common import utf16_key


def as_map(keys: list[str], values: list[Any]) -> dict[str, Any]:
    # AsMap: a HashMap(keys.size()), iterated in HashMap order (formats/javamap.py)
    out = {k: (values[i] if i < len(values) else None) for i, k in enumerate(keys)}
    return hashmap_order(out, table_size_for(len(keys)))


def map_keys(m: dict[str, Any]) -> list[str]:
    return list(m)


def map_values(m: dict[str, Any]) -> list[Any]:
    return list(m.values())


def map_union(m1: dict[str, Any] | None, m2: dict[str, Any] | None) -> dict[str, Any] | None:
    if m1 is None and m2 is None:
        return None
    # MapUnion: putAll of each input into a new HashMap(), whose table the first non-empty one sizes
    first = len(m1) if m1 else len(m2 or {})
    return hashmap_order({**(m1 or {}), **(m2 or {})}, put_all_table(first))


def entries(m: dict[str, Any] | None, sort: bool | None) -> list[dict[str, Any]] | None:
    if sort is None:  # a primitive boolean parameter in ksqlDB
        raise EvaluationError("Cannot pass NULL to the BOOLEAN parameter of ENTRIES")
    if m is None:
        return None
    if sort and len(m) > 1 and None in m:  # Entry.comparingByKey calls compareTo on a null key
        raise EvaluationError("java.lang.NullPointerException", "ENTRIES")
    # Entry.comparingByKey: String.compareTo, by UTF-16 code unit
    items = sorted(m.items(), key=lambda kv: utf16_key(kv[0])) if sort and len(m) > 1 else m.items()
    return [{"K": k, "V": v} for k, v in items]


def split_to_map(s: str, entry_delim: str, kv_delim: str) -> dict[str, str] | None:
    if not entry_delim or not kv_delim or entry_delim == kv_delim:
        return None
    out: dict[str, str] = {}
    for entry in s.split(entry_delim):
        if not entry or kv_delim not in entry:
            continue
        parts = entry.split(kv_delim)
        out[parts[0]] = parts[1]
    return hashmap_order(out)  # SplitToMap: Collectors.toMap, a HashMap()


def register(r: FunctionRegistry) -> None:
    udf(r, "AS_MAP", "MAP",
        "Construct a list based on some inputs",
        V(["ARRAY<VARCHAR> keys", "ARRAY<T> values"], "MAP<VARCHAR, T>", as_map),
    )
    udf(r, "MAP_KEYS", "MAP",
        "Returns an array of all the keys from the specified map, or NULL if the input map is NULL.",
        V(["MAP<VARCHAR, T> input"], "ARRAY<VARCHAR>", map_keys),
        author="", java_name="map_keys",
    )
    udf(r, "MAP_VALUES", "MAP",
        "Returns an array of all the values from the specified map, or NULL if the input map is NULL.",
        V(["MAP<VARCHAR, T> input"], "ARRAY<T>", map_values),
        author="", java_name="map_values",
    )
    udf(r, "MAP_UNION", "MAP",
        "Returns a new map containing the union of all entries from both input maps. If a key is present "
        "in both input maps then the value from map2 is the one which appears in the result. Returns NULL "
        "if all of the input maps are NULL.",
        V(
            ["MAP<VARCHAR, T> map1", "MAP<VARCHAR, T> map2"], "MAP<VARCHAR, T>", map_union,
            docs=["first map to union", "second map to union"],
            nino=False,
        ),
        author="", java_name="map_union",
    )
    udf(r, "ENTRIES", "MAP",
        "Construct an array from the entries in a map.The array can be optionally sorted on the keys.",
        V(
            ["MAP<VARCHAR, INT> map", "BOOLEAN sorted"], "ARRAY<STRUCT<K VARCHAR, V INT>>", entries,
            docs=["The map to create entries from", "If true then the resulting entries are sorted by key"],
            nino=False,
        ),
        V(
            ["MAP<VARCHAR, BIGINT> map", "BOOLEAN sorted"], "ARRAY<STRUCT<K VARCHAR, V BIGINT>>", entries,
            docs=["The map to create entries from", "If true then the resulting entries are sorted by key"],
            nino=False,
        ),
        V(
            ["MAP<VARCHAR, DOUBLE> map", "BOOLEAN sorted"], "ARRAY<STRUCT<K VARCHAR, V DOUBLE>>", entries,
            docs=["The map to create entries from", "If true then the resulting entries are sorted by key"],
            nino=False,
        ),
        V(
            ["MAP<VARCHAR, BOOLEAN> map", "BOOLEAN sorted"], "ARRAY<STRUCT<K VARCHAR, V BOOLEAN>>", entries,
            docs=["The map to create entries from", "If true then the resulting entries are sorted by key"],
            nino=False,
        ),
        V(
            ["MAP<VARCHAR, VARCHAR> map", "BOOLEAN sorted"], "ARRAY<STRUCT<K VARCHAR, V VARCHAR>>", entries,
            docs=["The map to create entries from", "If true then the resulting entries are sorted by key"],
            nino=False,
        ),
    )
    udf(r, "SPLIT_TO_MAP", "STRING",
        "Splits a string into key-value pairs and creates a map from them. The 'entryDelimiter' splits "
        "the string into key-value pairs which are then split by 'kvDelimiter'. If the same key is "
        "present multiple times in the input, the latest value for that key is returned. Returns NULL if "
        "the input text or either of the delimiters is NULL.",
        V(
            ["VARCHAR input", "VARCHAR entryDelimiter", "VARCHAR kvDelimiter"],
            "MAP<VARCHAR, VARCHAR>",
            split_to_map,
            docs=[
                "Separator string and values to join",
                "Separator string and values to join",
                "Separator string and values to join",
            ],
        ),
        author="", java_name="split_to_map",
    )
