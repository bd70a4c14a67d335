"""ksqlDB 0.29 ConfigValidatorsTest (ksqldb-common, configdef): the validators of the WITH clause's
properties, as CREATE statements show them (CreateSourceProperties.from words a ConfigException with
"property" for "configuration"; EngineContext.prepare adds "Failed to prepare statement: "):
enumValues (WINDOW_TYPE from CreateConfigs; the PROTOBUF_NULLABLE_REPRESENTATION pair from
CommonCreateConfigs: case-insensitive, null listed as valid) and parses (WINDOW_SIZE, DurationParser).

Not ported: validUrl, validRegex, mapWithDoubleValue / mapWithIntKeyDoubleValue and the
"validator should only be used with ..." programming errors, which guard server configuration
(KsqlRestConfig, ksql.hidden.topics) this engine's server does not validate."""

from __future__ import annotations

import pytest

from .conftest import Exec


def _create(ex: Exec, with_clause: str, value_format: str = "JSON") -> str:
    ex.topic("t")
    return f"CREATE STREAM S (K STRING KEY, V INT) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='{value_format}', {with_clause});"


def test_should_fail_if_value_not_in_enum(ex: Exec) -> None:
    assert ex.error(_create(ex, "WINDOW_TYPE='NotValid'")) == (
        "Failed to prepare statement: Invalid value NotValid for property WINDOW_TYPE: "
        "String must be one of: SESSION, HOPPING, TUMBLING, null"
    )


@pytest.mark.parametrize(
    "value", ["TUMBLING", "tumbling", "Tumbling"], ids=["valid", "lower case", "mixed case"]
)
def test_should_not_throw_if_a_valid_enum_value(ex: Exec, value: str) -> None:
    """shouldNotThrowIfAValidEnumValue / ...InDifferentCase."""
    ex.run(_create(ex, f"WINDOW_TYPE='{value}', WINDOW_SIZE='1 SECOND'"))


def test_should_not_throw_if_enum_value_is_null(ex: Exec) -> None:
    """shouldNotThrowIfEnumValueIsNull: no WINDOW_TYPE at all is a plain stream."""
    ex.topic("t")
    ex.run("CREATE STREAM S (K STRING KEY, V INT) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON');")
    assert ex.engine.state.metastore.require("S").window is None


@pytest.mark.parametrize("prefix", ["KEY", "VALUE"])
def test_protobuf_nullable_representation_enum(ex: Exec, prefix: str) -> None:
    """enumValues(ProtobufNullableConfigValues): checked while the properties are built, before any format
    check (a JSON stream gets the enum's message, not the protobuf-only one)."""
    name = f"{prefix}_PROTOBUF_NULLABLE_REPRESENTATION"
    assert ex.error(_create(ex, f"{name}='nope'")) == (
        f"Failed to prepare statement: Invalid value nope for property {name}: "
        "String must be one of: OPTIONAL, WRAPPER, null"
    )


def test_protobuf_nullable_representation_any_case(ex: Exec) -> None:
    ex.run(_create(ex, "VALUE_PROTOBUF_NULLABLE_REPRESENTATION='wrapper'", "PROTOBUF_NOSR"))


def test_should_throw_if_parser_throws(ex: Exec) -> None:
    """shouldThrowIfParserThrows: "Configuration <name> is invalid: <the parser's message>"."""
    assert ex.error(_create(ex, "WINDOW_TYPE='HOPPING', WINDOW_SIZE='10'")) == (
        "Failed to prepare statement: Configuration WINDOW_SIZE is invalid: Invalid duration: '10'. "
        "Expected 2 tokens, got: 1"
    )


def test_should_pass_strings_to_parser(ex: Exec) -> None:
    """shouldPassStringsToParser: a valid WINDOW_SIZE is parsed (and used)."""
    ex.run(_create(ex, "WINDOW_TYPE='HOPPING', WINDOW_SIZE='10 SECONDS'"))
    window = ex.engine.state.metastore.require("S").window
    assert window is not None and window.kind == "HOPPING"
