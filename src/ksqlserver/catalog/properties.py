"""Property defaults and lookup: server config, then request/session overrides (SET, streamsProperties)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ksqlserver.catalog.config_defaults import KSQL_CONFIG_DEFAULTS
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


def check_known_property(name: str, text: str) -> None:
    """PropertyOverrider.throwIfInvalidProperty over KsqlConfigResolver.resolve(name, strict=true): a
    `request.ksql.*` name must be a KsqlRequestConfig one and a `ksql.*` name (not `ksql.streams.*`) a
    KsqlConfig one or `ksql.functions.*`. Streams, consumer and producer names are not checked here:
    this engine has no copy of those ConfigDefs."""
    if name.startswith("request.ksql."):
        known = name in REQUEST_CONFIG_NAMES
    elif name.startswith("ksql.") and not name.startswith("ksql.streams."):
        known = name in KSQL_CONFIG_DEFAULTS or name.startswith("ksql.functions.")
    else:
        known = True
    if not known:
        raise PropertyError(f"Unknown property: {name}", name)


def check_property_value(name: str, value: str) -> None:
    """PropertyOverrider.throwIfInvalidPropertyValues: KsqlConfig.cloneWithPropertyOverwrite parses the new
    value with its ConfigDef (ConfigException's message). Only auto.offset.reset's ValidString is checked."""
    key = name.removeprefix("ksql.streams.").removeprefix("consumer.")
    if key == "auto.offset.reset" and value not in _OFFSET_RESETS:
        raise PropertyError(
            f"Invalid value {value} for configuration auto.offset.reset: "
            f"String must be one of: {', '.join(_OFFSET_RESETS)}",
            name,
        )


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


def resolved_property_name(name: str) -> str | None:
    """KsqlConfigResolver.resolve(name, strict=true)'s ConfigItem.getPropertyName, None when it finds nothing.
    Streams, consumer and producer names cannot be checked here (no copy of their ConfigDefs): they resolve
    to the name without its ksql.streams. and consumer./producer. prefixes."""
    try:
        check_known_property(name, "")
    except PropertyError:
        return None
    if name.startswith("request.ksql.") or (name.startswith("ksql.") and not name.startswith("ksql.streams.")):
        return name
    key = name.removeprefix("ksql.streams.")
    if key.startswith("topic."):
        return key
    for prefix in ("consumer.", "producer."):
        if key.startswith(prefix):
            return key[len(prefix) :]
    return key


def coerce_request_properties(properties: Mapping[str, Any]) -> None:
    """PropertiesUtil.coerceTypes(props, false) over LocalPropertyParser and LocalPropertyValidator: every name
    must resolve; an immutable property, auto.offset.reset 'none' and a value its ConfigDef refuses fail."""
    for name, value in properties.items():
        text = None if value is None else _java_text(value)
        if name.lower() == RUN_SCRIPT:
            _validate(name, name, value, text)
            continue
        resolved = resolved_property_name(name)
        if resolved is None:
            raise UnknownPropertyError(name)
        if resolved == "auto.offset.reset" and text is not None:
            try:
                check_property_value(resolved, text)
            except PropertyError as e:
                raise PropertyCoercionError(name, value, e.message) from None
        _validate(name, resolved, value, text)


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
