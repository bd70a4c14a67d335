"""Port of ksqlDB 0.29 `io.confluent.ksql.config.ConfigItemTest` through what reaches a user: a resolved
property's value is parsed by its ConfigDef (shouldParseResolvedValue, shouldValidateParsedValue,
shouldThrowIfCanNotCoerceParsedValue: SET and request properties), an unresolved one passes through
(shouldPassThroughUnresolvedValueOnParse: `ksql.functions.*`), and a password is listed as `[hidden]`
(shouldObfuscatePasswordsOnResolveToString: SHOW PROPERTIES). `ksql.*` settings are parsed with
KsqlConfig.CURRENT_DEF's types (KsqlConfig.cloneWithPropertyOverwrite / PropertiesUtil.coerceTypes)."""

from __future__ import annotations

from typing import Any

import pytest

from ksqlserver.catalog.properties import PropertyCoercionError, coerce_request_properties


def test_should_parse_resolved_value(ksql: Any) -> None:
    """shouldParseResolvedValue / shouldValidateParsedValue: values their ConfigDef parses are accepted."""
    assert ksql.run("SET 'send.buffer.bytes'='101';") == []
    assert ksql.run("SET 'ksql.query.pull.table.scan.enabled'='TRUE';") == []


def test_should_throw_if_can_not_coerce_parsed_value(ksql: Any) -> None:
    """shouldThrowIfCanNotCoerceParsedValue: ConfigDef.parseType's ConfigException message."""
    assert ksql.fails("SET 'send.buffer.bytes'='not a number';") == (
        "Invalid value not a number for configuration send.buffer.bytes: Not a number of type INT"
    )


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("ksql.query.pull.table.scan.enabled", "abc", "Expected value to be either true or false"),
        ("ksql.query.pull.max.allowed.offset.lag", "1.5", "Not a number of type LONG"),
        ("ksql.suppress.buffer.size.bytes", "x", "Not a number of type LONG"),
        ("ksql.internal.topic.replicas", "70000", "Not a number of type SHORT"),
    ],
)
def test_ksql_config_types(ksql: Any, name: str, value: str, message: str) -> None:
    """KsqlConfig's own settings: cloneWithPropertyOverwrite parses them with CURRENT_DEF."""
    assert ksql.fails(f"SET '{name}'='{value}';") == f"Invalid value {value} for configuration {name}: {message}"


def test_request_properties_are_coerced_with_ksql_types() -> None:
    """PropertiesUtil.coerceTypes -> LocalPropertyParser -> ConfigItem.parseValue for a `ksql.*` request
    property."""
    with pytest.raises(PropertyCoercionError) as e:
        coerce_request_properties({"ksql.query.pull.table.scan.enabled": "abc"})
    assert e.value.message == "Failed to coerce type of value 'abc' for key 'ksql.query.pull.table.scan.enabled'"
    coerce_request_properties({"ksql.query.pull.table.scan.enabled": True, "ksql.internal.topic.replicas": 3})


def test_ksql_streams_prefixed_ksql_config_is_a_streams_name(ksql: Any) -> None:
    """KsqlConfigResolver.resolve: a `ksql.streams.` name is looked up among the Streams configs (without the
    prefix), even KsqlConfig's own ksql.streams.shutdown.timeout.ms."""
    assert ksql.fails("SET 'ksql.streams.shutdown.timeout.ms'='1';") == (
        "Unknown property: ksql.streams.shutdown.timeout.ms"
    )


def test_should_pass_through_unresolved_value(ksql: Any) -> None:
    """shouldPassThroughUnresolvedValueOnParse: a `ksql.functions.*` setting resolves to no ConfigDef."""
    assert ksql.run("SET 'ksql.functions.substring.legacy.args'='anything';") == []


def test_should_obfuscate_passwords(ksql: Any) -> None:
    """shouldObfuscatePasswordsOnResolveToString: SHOW PROPERTIES lists a password as [hidden]."""
    listed = ksql.properties({"ksql.streams.ssl.keystore.password": "Sensitive"})
    assert listed["ksql.streams.ssl.keystore.password"] == "[hidden]"
