"""Connector configs as ksqlDB builds them from a CREATE ... CONNECTOR's WITH clause.

`resolve` expands the shorthand of the connectors ksqlDB supports natively (today the JDBC source: `key`
becomes the ValueToKey + ExtractField$Key transforms, and `tasks.max` defaults to 1), as its
`Connectors.resolve` does. `java_map_text` prints a config the way ksqlDB's error messages show it: a
Java HashMap's `toString()`, whose order is that of the map's hash buckets.
"""

from __future__ import annotations

from collections.abc import Mapping

from ksqlserver.formats.javamap import DEFAULT_TABLE, bucket_order, java_hash, put_all_table

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


def java_hashmap_order(keys: list[str], copied: int) -> list[str]:
    """The iteration order of a `java.util.HashMap` made by copying a map of `copied` entries (its table
    pre-sized for them) and then holding `keys` (in insertion order)."""
    table = put_all_table(copied) if copied else DEFAULT_TABLE
    return [keys[i] for i in bucket_order([java_hash(k) or 0 for k in keys], table)]


def java_map_text(config: Mapping[str, str | None], copied: int) -> str:
    """`{k1=v1, k2=v2}` in a HashMap's order (see `java_hashmap_order`)."""
    order = java_hashmap_order(list(config), copied)
    return "{" + ", ".join(f"{k}={'null' if config[k] is None else config[k]}" for k in order) + "}"
