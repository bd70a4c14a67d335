"""ksqlDB 0.29 LocalPropertyParserTest, LocalPropertyValidatorTest and DenyListPropertyValidatorTest
(ksqldb-common, properties): a /ksql request's streamsProperties as KsqlResource reads them:
KsqlRequest.getConfigOverrides (PropertiesUtil.coerceTypes over LocalPropertyParser: KsqlConfigResolver
.resolve(name, strict), ConfigItem.parseValue, then LocalPropertyValidator on the resolved name), then
DenyListPropertyValidator.validateAll. An unknown name (PropertyNotFoundException, an
IllegalArgumentException) is a 500 statement error; a refused value (PropertiesUtil's KsqlException with the
cause) a 400 whose message ErrorMessageUtil.buildErrorMessage builds.

Not ported: the mock interactions (which resolver or validator is called). The validator's made-up names
("immutable-1") would be unknown properties to the resolver before the validator sees them; the real
immutable properties (ImmutableProperties) stand in for them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

Make = Callable[..., Any]


def _error(rest: Any, properties: dict[str, Any], status: int = 400) -> dict[str, Any]:
    r = rest.ksql("LIST STREAMS;", properties)
    assert r.status_code == status, r.text
    body: dict[str, Any] = r.json()
    return body


def test_should_throw_if_resolver_fails_to_resolve(make_rest: Make) -> None:
    """shouldThrowIfResolverFailsToResolve: PropertyNotFoundException's message, as a server error."""
    body = _error(make_rest(), {"ksql.unknown": "100"}, 500)
    assert body == {
        "@type": "statement_error",
        "error_code": 50000,
        "message": "Not recognizable as ksql, streams, consumer, or producer property: 'ksql.unknown'",
        "statementText": "LIST STREAMS;",
        "entities": [],
    }


@pytest.mark.parametrize(
    ("name", "properties"),
    [
        ("shouldCallResolverForOtherProperties", {"ksql.output.topic.name.prefix": "100"}),
        ("shouldCallValidatorWithParsedValue", {"linger.ms": "100"}),
        ("shouldNotCallResolverForRunScriptConstant", {"ksql.run.script.statements": "100"}),
        ("shouldNotThrowOnConfigurableProp", {"ksql.streams.commit.interval.ms": 10}),
        ("shouldNotThrowOnOtherOffsetReset", {"auto.offset.reset": "earliest"}),
        ("shouldNotThrowOnAllowedProp", {"ksql.functions.some_udf.some.prop": "v1", "fetch.min.bytes": "2"}),
    ],
)
def test_accepted(make_rest: Make, name: str, properties: dict[str, Any]) -> None:
    r = make_rest().ksql("LIST STREAMS;", properties)
    assert r.status_code == 200, r.text


@pytest.mark.parametrize(
    ("name", "key", "value", "cause"),
    [
        ("shouldThrowOnImmutableProp", "ksql.hidden.topics", "anything", "Cannot override property 'ksql.hidden.topics'"),
        ("shouldThrowOnImmutableProp (SSL_CONFIG_NAMES)", "ssl.truststore.location", "x",
         "Cannot override property 'ssl.truststore.location'"),
        ("shouldThrowOnImmutableProp (the resolved name)", "ksql.streams.bootstrap.servers", "x",
         "Cannot override property 'bootstrap.servers'"),
        ("shouldThrowOnNoneOffsetReset", "auto.offset.reset", "none", "'none' is not valid for this property within KSQL"),
        ("shouldThrowOnNoneOffsetReset (consumer. prefix)", "consumer.auto.offset.reset", "none",
         "'none' is not valid for this property within KSQL"),
        ("shouldCallValidatorForRunScriptConstant", "ksql.run.script.statements", "x", None),
    ],
)  # fmt: skip
def test_validator(make_rest: Make, name: str, key: str, value: str, cause: str | None) -> None:
    """LocalPropertyValidator's IllegalArgumentException inside PropertiesUtil's KsqlException."""
    if cause is None:  # the run-script property is validated, but nothing refuses it
        assert make_rest().ksql("LIST STREAMS;", {key: value}).status_code == 200
        return
    body = _error(make_rest(), {key: value})
    assert body == {
        "@type": "generic_error",
        "error_code": 40000,
        "message": f"Failed to coerce type of value '{value}' for key '{key}'\nCaused by: {cause}",
    }


@pytest.mark.parametrize(
    ("key", "value", "cause"),
    [
        # ErrorMessageUtil wraps the cause line at 80 characters (a tab after the break)
        ("linger.ms", "abc", "Invalid value abc for configuration linger.ms: Not a number of type\n\tLONG"),
        (
            "producer.linger.ms",
            "1.5",
            "Invalid value 1.5 for configuration linger.ms: Not a number of type\n\tLONG",
        ),
    ],
)
def test_should_throw_if_value_does_not_parse(make_rest: Make, key: str, value: str, cause: str) -> None:
    """ConfigItem.Resolved.parseValue's ConfigException inside PropertiesUtil's KsqlException."""
    body = _error(make_rest(), {key: value})
    assert body["message"] == f"Failed to coerce type of value '{value}' for key '{key}'\nCaused by: {cause}"


@pytest.mark.parametrize("key", ["foo", "consumer.custom.interceptor.config", "ksql.streams.nope"])
def test_unknown_streams_names_are_not_recognizable(make_rest: Make, key: str) -> None:
    """resolve(name, strict=true) finds no Kafka config either: PropertyNotFoundException."""
    body = _error(make_rest(), {key: "x"}, 500)
    assert body["message"] == f"Not recognizable as ksql, streams, consumer, or producer property: '{key}'"


def test_should_throw_if_parser_throws(make_rest: Make) -> None:
    """shouldThrowIfValidatorThrows' counterpart for ConfigItem.parseValue: the ConfigDef's message, wrapped
    at 80 characters by ErrorMessageUtil (WordUtils.wrap with a tab after each break)."""
    body = _error(make_rest(), {"auto.offset.reset": "NONE"})
    assert body["message"] == (
        "Failed to coerce type of value 'NONE' for key 'auto.offset.reset'\n"
        "Caused by: Invalid value NONE for configuration auto.offset.reset: String must\n"
        "\tbe one of: latest, earliest, none"
    )


def test_should_throw_on_deny_listed_property(make_rest: Make) -> None:
    """shouldThrowOnDenyListedProperty: every denied property named, in the deny list's order."""
    rest = make_rest(denied=("fetch.min.bytes", "linger.ms"))
    body = _error(rest, {"fetch.min.bytes": "1", "max.poll.records": "2", "linger.ms": "3"})
    assert body == {
        "@type": "generic_error",
        "error_code": 40000,
        "message": "One or more properties overrides set locally are prohibited by the KSQL server "
        "(use UNSET to reset their default value): [fetch.min.bytes, linger.ms]",
    }


def test_should_throw_on_ksql_service_id_property(make_rest: Make) -> None:
    body = _error(make_rest(), {"ksql.service.id": "v1"})
    assert body["message"] == (
        "One or more properties overrides set locally are prohibited by the KSQL server "
        "(use UNSET to reset their default value): [ksql.service.id]"
    )


def test_coercion_comes_before_the_deny_list(make_rest: Make) -> None:
    """KsqlResource coerces the overrides before DenyListPropertyValidator sees them."""
    body = _error(make_rest(), {"ksql.service.id": "v1", "auto.offset.reset": "none"})
    assert body["message"].startswith("Failed to coerce type of value 'none' for key 'auto.offset.reset'")


def test_query_endpoint_coerces_too(make_rest: Make) -> None:
    """StreamedQueryResource reads KsqlRequest.getConfigOverrides as well: a refused value is a 400."""
    rest = make_rest()
    body = {"ksql": "SELECT * FROM X EMIT CHANGES;", "streamsProperties": {"auto.offset.reset": "none"}}
    r = httpx.post(rest.server.url + "/query", json=body, timeout=30)
    assert r.status_code == 400
    assert r.json()["message"] == (
        "Failed to coerce type of value 'none' for key 'auto.offset.reset'\n"
        "Caused by: 'none' is not valid for this property within KSQL"
    )
