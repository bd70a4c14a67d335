"""Connector configs as ksqlDB builds them from a CREATE ... CONNECTOR's WITH clause.

`resolve` expands the shorthand of the connectors ksqlDB supports natively (today the JDBC source: `key`
becomes the ValueToKey + ExtractField$Key transforms, and `tasks.max` defaults to 1), as its
`Connectors.resolve` does. `java_map_text` prints a config the way ksqlDB's error messages show it: a
Java HashMap's `toString()`, whose order is that of the map's hash buckets.
"""

from __future__ import annotations

from collections.abc import Mapping

CONNECTOR_CLASS = "connector.class"
JDBC_SOURCE_CLASS = "io.confluent.connect.jdbc.JdbcSourceConnector"

_VALUE_TO_KEY = "org.apache.kafka.connect.transforms.ValueToKey"
_EXTRACT_KEY = "org.apache.kafka.connect.transforms.ExtractField$Key"


def supported(connector_class: str | None) -> bool:
    """Whether ksqlDB knows the connector class (its `Connectors.from` finds it): only those have their
    topics and ksqlDB sources listed by DESCRIBE CONNECTOR."""
    return connector_class == JDBC_SOURCE_CLASS


def resolve(config: Mapping[str, str | None]) -> dict[str, str | None]:
    """The config a natively supported connector's shorthand stands for; others unchanged."""
    resolved = dict(config)
    if resolved.get(CONNECTOR_CLASS) != JDBC_SOURCE_CLASS:
        return resolved
    key = resolved.pop("key", None)
    if key is not None:
        ours = "ksqlCreateKey,ksqlExtractString"
        existing = resolved.get("transforms")
        resolved["transforms"] = f"{existing},{ours}" if existing is not None else ours
        resolved["transforms.ksqlCreateKey.type"] = _VALUE_TO_KEY
        resolved["transforms.ksqlCreateKey.fields"] = key
        resolved["transforms.ksqlExtractString.type"] = _EXTRACT_KEY
        resolved["transforms.ksqlExtractString.field"] = key
    resolved.setdefault("tasks.max", "1")
    return resolved


def java_string_hash(text: str) -> int:
    """Java's `String.hashCode()` (over UTF-16 code units), as a signed 32-bit int."""
    h = 0
    data = text.encode("utf-16-be")
    for i in range(0, len(data), 2):
        h = (31 * h + ((data[i] << 8) | data[i + 1])) & 0xFFFFFFFF
    return h - (1 << 32) if h & 0x80000000 else h


def _table_size(n: int) -> int:
    size = 1
    while size < n:
        size <<= 1
    return max(size, 1)


def java_hashmap_order(keys: list[str], copied: int) -> list[str]:
    """The iteration order of a `java.util.HashMap` made by copying a map of `copied` entries (its table
    pre-sized for them) and then holding `keys` (in insertion order): bucket by bucket, and within a
    bucket in insertion order (the table doubles past 3/4 full, which keeps that order)."""
    capacity = _table_size(int(copied / 0.75 + 1.0)) if copied else 16
    while len(keys) > capacity * 0.75:
        capacity <<= 1

    def bucket(key: str) -> int:
        h = java_string_hash(key) & 0xFFFFFFFF
        return (h ^ (h >> 16)) & (capacity - 1)

    position = {k: i for i, k in enumerate(keys)}
    return sorted(keys, key=lambda k: (bucket(k), position[k]))


def java_map_text(config: Mapping[str, str | None], copied: int) -> str:
    """`{k1=v1, k2=v2}` in a HashMap's order (see `java_hashmap_order`)."""
    order = java_hashmap_order(list(config), copied)
    return "{" + ", ".join(f"{k}={'null' if config[k] is None else config[k]}" for k in order) + "}"
