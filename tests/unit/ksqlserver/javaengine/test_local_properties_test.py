"""Port of ksqlDB 0.29 `io.confluent.ksql.properties.LocalPropertiesTest`: what a session's SET / UNSET accept.
LocalProperties is the CLI's copy of its session's properties; the server checks the same names
(PropertyOverrider over KsqlConfigResolver, strict). Ported: shouldNotAllowUnknown{,Consumer,Producer,Streams,
Ksql}PropertyToBeSet, shouldOverrideInitialValue / shouldUnsetOverriddenValue / shouldSetNewValue (a SET
value reaches the session's properties, an UNSET takes it away). The mocked parser's calls are not
observable."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.mark.parametrize(
    "name",
    [
        "some.unknown.prop",
        "consumer.some.unknown.prop",
        "producer.some.unknown.prop",
        "ksql.streams.some.unknown.prop",
        "ksql.some.unknown.prop",
    ],
)
def test_should_not_allow_unknown_property_to_be_set(ksql: Any, name: str) -> None:
    """shouldNotAllowUnknown*PropertyToBeSet: PropertyOverrider.throwIfInvalidProperty's message."""
    assert ksql.fails(f"SET '{name}'='some.value';") == f"Unknown property: {name}"
    assert ksql.fails(f"UNSET '{name}';") == f"Unknown property: {name}"


def _listed(entities: list[dict[str, Any]]) -> dict[str, str]:
    return {p["name"]: p["value"] for p in entities[-1]["properties"]}


def test_should_set_override_and_unset(ksql: Any) -> None:
    """shouldSetNewValue / shouldOverrideInitialValue / shouldUnsetOverriddenValue over one request's session:
    a SET changes what SHOW PROPERTIES says, a second SET overrides it, UNSET restores the server's value."""
    name = "ksql.streams.auto.offset.reset"
    assert _listed(ksql.run(f"SET '{name}'='earliest'; SHOW PROPERTIES;"))[name] == "earliest"
    assert _listed(ksql.run(f"SET '{name}'='earliest'; SET '{name}'='latest'; SHOW PROPERTIES;"))[name] == "latest"
    # the server sets none: after UNSET it is not listed (SHOW PROPERTIES lists the set Streams properties)
    assert name not in _listed(ksql.run(f"SET '{name}'='earliest'; UNSET '{name}'; SHOW PROPERTIES;"))


def test_should_throw_if_parser_throws(ksql: Any) -> None:
    """shouldThrowIfParserThrows / shouldThrowInInitialPropsInvalid: a value the property's ConfigDef cannot
    parse is refused with ConfigDef's message."""
    assert ksql.fails("SET 'ksql.streams.num.stream.threads'='many';") == (
        "Invalid value many for configuration num.stream.threads: Not a number of type INT"
    )
