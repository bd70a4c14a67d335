"""Property defaults and lookup: server config, then request/session overrides (SET, streamsProperties)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ksqlserver.catalog.config_defaults import KSQL_CONFIG_DEFAULTS
from ksqlserver.catalog.kafka_configs import (
    CONSUMER_CONFIGS,
    INTERNAL_STREAMS_CONFIGS,
    KSQL_CONFIG_TYPES,
    PRODUCER_CONFIGS,
    STREAMS_CONFIGS,
    TOPIC_CONFIG_NAMES,
)
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

    @property
    def offset_reset_set(self) -> bool:
        """Whether auto.offset.reset was given (server config or overrides), rather than left to the
        default: a table source then starts where it says, else at the earliest offset."""
        key = normalise("auto.offset.reset")
        return any(layer.get(k) is not None for layer in (self.overrides, self.server) for k in (key, "auto.offset.reset"))


# KsqlRequestConfig.CURRENT_DEF: the per-request properties (prefix KSQL_REQUEST_CONFIG_PROPERTY_PREFIX)
REQUEST_CONFIG_NAMES = frozenset(
    {
        "request.ksql.query.pull.skip.forwarding", "request.ksql.internal.request", "request.ksql.debug.request",
        "request.ksql.query.pull.partition", "request.ksql.query.push.skip.forwarding",
        "request.ksql.query.push.continuation.token", "request.ksql.query.push.catchup.consumer.group",
    }
)  # fmt: skip

# ConsumerConfig's ValidString values of auto.offset.reset, in its order
_OFFSET_RESETS = ("latest", "earliest", "none")
STREAMS_PREFIX = "ksql.streams."  # KsqlConfig.KSQL_STREAMS_PREFIX


@dataclass(frozen=True)
class ConfigItem:
    """KsqlConfigResolver's ConfigItem: the property's name as its ConfigDef knows it, and the ConfigDef type
    (None: unresolved, a name no ConfigDef defines but that may still be passed on, such as ksql.functions.*)."""

    name: str
    type: str | None


# KsqlConfigResolver.STREAM_CONFIG_DEFS, in its search order
_STREAM_DEFS = (
    ("consumer.", CONSUMER_CONFIGS),
    ("producer.", PRODUCER_CONFIGS),
    ("", CONSUMER_CONFIGS),
    ("", PRODUCER_CONFIGS),
    ("", STREAMS_CONFIGS),
)


def resolve_property(name: str, strict: bool) -> ConfigItem | None:
    """KsqlConfigResolver.resolve: a `request.ksql.*` name against KsqlRequestConfig, a `ksql.*` one (not
    `ksql.streams.*`) against KsqlConfig (ksql.functions.* unresolved), anything else, without its
    `ksql.streams.` prefix, against the consumer, producer and Streams ConfigDefs; an unknown
    `ksql.streams.<x>` is not found, a `topic.<TopicConfig name>` is unresolved, and any other unknown name
    is unresolved unless `strict`."""
    if name.startswith("request.ksql."):
        return ConfigItem(name, "REQUEST") if name in REQUEST_CONFIG_NAMES else None
    if name.startswith("ksql.") and not name.startswith(STREAMS_PREFIX):
        if name in KSQL_CONFIG_DEFAULTS:
            return ConfigItem(name, KSQL_CONFIG_TYPES.get(name, "STRING"))
        return ConfigItem(name, None) if name.startswith("ksql.functions.") else None
    key = name.removeprefix(STREAMS_PREFIX)
    for prefix, defs in _STREAM_DEFS:
        if key.startswith(prefix):
            bare = key[len(prefix) :]
            if bare in defs:
                return ConfigItem(bare, defs[bare])
            if bare in INTERNAL_STREAMS_CONFIGS:
                return ConfigItem(bare, None)
    if name.startswith(STREAMS_PREFIX) and not any(
        name.startswith(STREAMS_PREFIX + p) for p in ("producer.", "consumer.", "topic.")
    ):
        return None  # an unknown Streams config
    if key.startswith("topic.") and key.removeprefix("topic.") in TOPIC_CONFIG_NAMES:
        return ConfigItem(key, None)
    return None if strict else ConfigItem(key, None)


def check_known_property(name: str, text: str) -> None:
    """PropertyOverrider.throwIfInvalidProperty: KsqlConfigResolver.resolve(name, strict=true) must find it."""
    if resolve_property(name, strict=True) is None:
        raise PropertyError(f"Unknown property: {name}", name)


def check_property_value(name: str, value: str) -> None:
    """PropertyOverrider.throwIfInvalidPropertyValues: KsqlConfig.cloneWithPropertyOverwrite parses the new
    value with its ConfigDef (ConfigException's message): a Kafka config's type, and auto.offset.reset's
    ValidString; a `ksql.*` setting's KsqlConfig type (KSQL_CONFIG_TYPES)."""
    item = resolve_property(name, strict=False)
    if item is not None and item.type is not None:
        parse_config_value(item.name, item.type, value)


def parse_config_value(name: str, kind: str, value: str | None) -> None:
    """ConfigDef.parseType of a string for a Kafka ConfigDef type, then the validators this engine knows."""
    if value is None:
        return
    text = value.strip()
    error = None
    if kind == "BOOLEAN" and text.lower() not in ("true", "false"):
        error = "Expected value to be either true or false"
    elif kind in _INTEGRAL:
        low, high = _INTEGRAL[kind]
        if not _JAVA_INT.fullmatch(text) or not low <= int(text) <= high:
            error = f"Not a number of type {kind}"
    elif kind == "DOUBLE" and not _is_java_double(text):
        error = "Not a number of type DOUBLE"
    elif name == "auto.offset.reset" and value not in _OFFSET_RESETS:
        error = f"String must be one of: {', '.join(_OFFSET_RESETS)}"
    if error is not None:
        raise PropertyError(f"Invalid value {value} for configuration {name}: {error}", name)


_JAVA_INT = re.compile(r"[+-]?\d+")
_INTEGRAL = {"SHORT": (-(2**15), 2**15 - 1), "INT": (-(2**31), 2**31 - 1), "LONG": (-(2**63), 2**63 - 1)}


def _is_java_double(text: str) -> bool:
    """Double.valueOf: decimal and hex floats, NaN and Infinity, an optional trailing d/f."""
    if re.fullmatch(r"[+-]?(NaN|Infinity)", text):
        return True
    body = re.sub(r"[dDfF]$", "", text)
    try:
        float(body if "x" not in body.lower() else float.fromhex(body))
    except ValueError:
        return False
    return "_" not in body and not re.fullmatch(r"[+-]?(nan|inf|infinity)", body, re.IGNORECASE)


# ---- a request's properties (KsqlRequest.getConfigOverrides: PropertiesUtil.coerceTypes) -------------------

RUN_SCRIPT = "ksql.run.script.statements"  # KsqlConstants.LEGACY_RUN_SCRIPT_STATEMENTS_CONTENT
# KsqlConfig.SSL_CONFIG_NAMES: what Kafka 3.5's SslConfigs.addClientSslSupport defines
SSL_CONFIG_NAMES = frozenset(
    {
        "ssl.protocol", "ssl.provider", "ssl.cipher.suites", "ssl.enabled.protocols", "ssl.keystore.type",
        "ssl.keystore.location", "ssl.keystore.password", "ssl.key.password", "ssl.keystore.key",
        "ssl.keystore.certificate.chain", "ssl.truststore.certificates", "ssl.truststore.type",
        "ssl.truststore.location", "ssl.truststore.password", "ssl.keymanager.algorithm",
        "ssl.trustmanager.algorithm", "ssl.endpoint.identification.algorithm", "ssl.secure.random.implementation",
        "ssl.engine.factory.class",
    }
)  # fmt: skip
# ImmutableProperties.getImmutableProperties: what LocalPropertyValidator refuses to override
IMMUTABLE_PROPERTIES = frozenset(
    {
        "bootstrap.servers", "ksql.extension.dir", "ksql.query.persistent.active.limit", "ksql.pull.queries.enable",
        "ksql.hidden.topics", "ksql.readonly.topics", "ksql.source.table.materialization.enabled",
        "ksql.headers.columns.enabled", *SSL_CONFIG_NAMES,
    }
)  # fmt: skip


class UnknownPropertyError(PropertyError):
    """LocalPropertyParser's PropertyNotFoundException (an IllegalArgumentException: ksqlDB's /ksql answers it
    as a server error)."""

    def __init__(self, name: str) -> None:
        super().__init__(f"Not recognizable as ksql, streams, consumer, or producer property: '{name}'", name)


class PropertyCoercionError(PropertyError):
    """PropertiesUtil.coerceType's KsqlException; `cause` is the parser's or validator's message."""

    def __init__(self, name: str, value: Any, cause: str) -> None:
        shown = f"[{', '.join(_java_text(v) for v in value)}]" if isinstance(value, list) else _java_text(value)
        super().__init__(f"Failed to coerce type of value '{shown}' for key '{name}'", name)
        self.cause = cause


def coerce_request_properties(properties: Mapping[str, Any]) -> None:
    """PropertiesUtil.coerceTypes(props, false) over LocalPropertyParser and LocalPropertyValidator: every name
    must resolve (strictly); its ConfigDef must parse the value; an immutable property and
    auto.offset.reset 'none' are refused."""
    for name, value in properties.items():
        text = None if value is None else _java_text(value)
        if name.lower() == RUN_SCRIPT:
            _validate(name, name, value, text)
            continue
        item = resolve_property(name, strict=True)
        if item is None:
            raise UnknownPropertyError(name)
        if item.type is not None and item.type != "REQUEST":
            try:
                parse_config_value(item.name, item.type, text)
            except PropertyError as e:
                raise PropertyCoercionError(name, value, e.message) from None
        _validate(name, item.name, value, text)


def _validate(name: str, resolved: str, value: Any, text: str | None) -> None:
    """LocalPropertyValidator.validate (over the resolved name and the value as text)."""
    if resolved in IMMUTABLE_PROPERTIES:
        raise PropertyCoercionError(name, value, f"Cannot override property '{resolved}'")
    if resolved == "auto.offset.reset" and text is not None and text.lower() == "none":
        raise PropertyCoercionError(name, value, "'none' is not valid for this property within KSQL")


def _java_text(value: Any) -> str:
    """String.valueOf of a JSON value as Jackson reads it (true, 1, 1.5, a list as its elements' text)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(_java_text(v) for v in value)
    return str(value)
