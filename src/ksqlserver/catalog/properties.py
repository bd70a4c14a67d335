"""Property defaults and lookup: server config, then request/session overrides (SET, streamsProperties)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ksqlserver.errors import KsqlStatementError

DEFAULTS: dict[str, str] = {
    "ksql.persistence.default.format.key": "KAFKA",
    "ksql.persistence.wrap.single.values": "",
    "ksql.output.topic.name.prefix": "",
    "ksql.streams.auto.offset.reset": "latest",
    "ksql.sink.partitions": "",
    "ksql.sink.replicas": "",
    "ksql.query.push.v2.enabled": "false",
    "ksql.extension.dir": "ext",
    "ksql.functions.substring.legacy.args": "false",
    # what KsqlConfig puts into every query's streams config (KsqlConstants.defaultCacheMaxBytesBufferingConfig,
    # and its commit.interval.ms): aggregation outputs are cached and flushed at each commit
    "ksql.streams.cache.max.bytes.buffering": "10000000",
    "ksql.streams.commit.interval.ms": "2000",
    "ksql.streams.processing.guarantee": "at_least_once",
    "ksql.logging.processing.stream.auto.create": "true",
    "ksql.logging.processing.topic.auto.create": "true",
}


class PropertyError(KsqlStatementError):
    """A property whose value does not parse; `name` is the property."""

    def __init__(self, message: str, name: str) -> None:
        super().__init__(message)
        self.name = name


def normalise(name: str) -> str:
    """Streams properties may be given bare (`auto.offset.reset`) or prefixed (`ksql.streams.`)."""
    if name.startswith("ksql.") or name.startswith("ksql_"):
        return name
    return "ksql.streams." + name


@dataclass(frozen=True)
class Properties:
    """Effective properties for one statement: defaults < server < overrides."""

    server: Mapping[str, str] = field(default_factory=dict)
    overrides: Mapping[str, Any] = field(default_factory=dict)

    def get(self, name: str, default: str = "") -> str:
        key = normalise(name)
        for layer in (self.overrides, self.server):
            for k in (key, name):
                if k in layer and layer[k] is not None:
                    return str(layer[k])
        return DEFAULTS.get(key, default) or default

    def with_overrides(self, extra: Mapping[str, Any]) -> Properties:
        merged = dict(self.overrides)
        merged.update({normalise(k): v for k, v in extra.items()})
        return Properties(self.server, merged)

    def without(self, name: str) -> Properties:
        merged = {k: v for k, v in self.overrides.items() if k not in (name, normalise(name))}
        return Properties(self.server, merged)

    @property
    def wrap_single_values(self) -> bool | None:
        v = self.get("ksql.persistence.wrap.single.values")
        return None if v == "" else v.lower() == "true"

    def long(self, name: str) -> int:
        """A LONG property (Kafka's ConfigDef message when it is not one)."""
        text = self.get(name).strip()
        try:
            return int(text)
        except ValueError:
            raise PropertyError(
                f"Invalid value {text} for configuration {name.removeprefix('ksql.streams.')}: "
                "Not a number of type LONG",
                name,
            ) from None

    @property
    def from_beginning(self) -> bool:
        return self.get("auto.offset.reset", "latest").lower() == "earliest"
