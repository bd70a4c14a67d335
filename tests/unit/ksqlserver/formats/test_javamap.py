"""Map values in java.util.HashMap's iteration order, as ksqlDB 0.29 builds them.

Every expected order below was printed by OpenJDK 17's HashMap (keySet / toString) for the same keys put in
the same order. ksqlDB's producers: KsqlJsonDeserializer.enforceKeyAndValueTypeForMap (HashMap(size)),
ConnectDataTranslator.toKsqlMap (HashMap()), MapBuilder for MAP(...) (HashMap(size)), AsMap (HashMap(size)),
MapUnion (putAll into HashMap()), SplitToMap and Transform/Filter (Collectors.toMap: HashMap()),
JsonRecords (HashMap(size)). Serializers (JsonConverter, Jackson) and Map.toString follow that order."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.formats.javamap import hashmap_order, java_hash, put_all_table, table_size_for
from ksqlserver.functions.maps import as_map, map_union, split_to_map

# "e", "c", "a": their order differs between a 4-slot table (HashMap(3)) and the default 16 slots
ECA = {"e": 1, "c": 2, "a": 3}

WORDS = [
    "banana",
    "apple",
    "cherry",
    "date",
    "elderberry",
    "fig",
    "grape",
    "kiwi",
    "lemon",
    "mango",
    "nectarine",
    "orange",
    "papaya",
    "quince",
    "raspberry",
    "strawberry",
    "tangerine",
    "ugli",
    "vanilla",
    "watermelon",
    "xigua",
    "yam",
    "zucchini",
    "Aa",
    "BB",
    "éclair",
    "日本",
    "x",
    "y",
    "z",
]
# new HashMap<>() of all 30 words put in order (a resize from 32 to 64 slots; "Aa" and "BB" collide)
JAVA_30 = [
    "date",
    "papaya",
    "Aa",
    "BB",
    "cherry",
    "kiwi",
    "fig",
    "éclair",
    "zucchini",
    "elderberry",
    "apple",
    "lemon",
    "watermelon",
    "quince",
    "vanilla",
    "banana",
    "raspberry",
    "nectarine",
    "tangerine",
    "yam",
    "strawberry",
    "grape",
    "日本",
    "xigua",
    "mango",
    "orange",
    "x",
    "ugli",
    "y",
    "z",
]


def test_string_hash_code() -> None:
    """String.hashCode over UTF-16 units, Integer.hashCode, Boolean.hashCode, a null key hashing to 0."""
    assert java_hash("hello") == 99162322
    assert java_hash("Aa") == java_hash("BB") == 2112
    assert java_hash(-1) == 0xFFFFFFFF and java_hash(True) == 1231 and java_hash(None) == 0


def test_orders_follow_the_table_the_map_was_built_with() -> None:
    """HashMap(3) -> [e, a, c]; new HashMap() -> [a, c, e]; putAll({e}) then putAll({c, a}) -> [e, a, c]."""
    assert list(hashmap_order(ECA, table_size_for(3))) == ["e", "a", "c"]
    assert list(hashmap_order(ECA)) == ["a", "c", "e"]
    assert list(hashmap_order(ECA, put_all_table(1))) == ["e", "a", "c"]


def test_resizes_and_collisions_keep_put_order_within_a_bucket() -> None:
    entries = {w: i for i, w in enumerate(WORDS)}
    assert list(hashmap_order(entries)) == JAVA_30
    assert list(hashmap_order(entries, table_size_for(30))) == JAVA_30
    assert hashmap_order({"b": 1, "a": 2}) == {"a": 2, "b": 1}


def test_map_functions() -> None:
    """AsMap (HashMap(keys.size())), MapUnion (putAll into HashMap()), SplitToMap (Collectors.toMap)."""
    assert list(as_map(["e", "c", "a"], [1, 2, 3])) == ["e", "a", "c"]
    assert list(map_union({"e": 1}, {"c": 2, "a": 3}) or {}) == ["e", "a", "c"]
    assert list(split_to_map("e=1,c=2,a=3", ",", "=") or {}) == ["a", "c", "e"]


@pytest.fixture
def engine() -> Iterator[tuple[Engine, MemoryDriver]]:
    d = MemoryDriver()
    e = Engine(
        EngineConfig(service_id="k_", synchronous=True, properties={"auto.offset.reset": "earliest"}), d
    )
    yield e, d
    e.close()


def test_a_sink_writes_maps_in_hashmap_order(engine: tuple[Engine, MemoryDriver]) -> None:
    """A map read from JSON (HashMap(size)), MAP(...) (MapBuilder: HashMap(size)), TRANSFORM of a map
    (Collectors.toMap) in the sink's JSON, with MAP_KEYS and CAST to STRING in the same order."""
    e, d = engine
    e.execute(
        "CREATE STREAM R (M MAP<STRING, INT>) WITH (KAFKA_TOPIC='r', VALUE_FORMAT='JSON', PARTITIONS=1);"
    )
    e.execute(
        "CREATE STREAM O AS SELECT M, MAP('e' := 1, 'c' := 2, 'a' := 3) AS C, "
        "TRANSFORM(M, (k, v) => k, (k, v) => v + 1) AS T, MAP_KEYS(M) AS K, CAST(M AS STRING) AS S FROM R;"
    )
    d.produce("r", [Record(None, b'{"M": {"e": 1, "c": 2, "a": 3}}', 1)])
    e.drain()
    [out] = d.records("O")
    text = (out.value or b"").decode()
    assert text == (
        '{"M":{"e":1,"a":3,"c":2},"C":{"e":1,"a":3,"c":2},"T":{"a":4,"c":3,"e":2},'
        '"K":["e","a","c"],"S":"{e=1, a=3, c=2}"}'
    )
    assert list(json.loads(text, object_pairs_hook=lambda kv: dict(kv))["M"]) == ["e", "a", "c"]
