"""ksqlDB 0.29's DefaultFormatInjectorTest (ksqldb-engine/src/test/java/io/confluent/ksql/format/
DefaultFormatInjectorTest.java): DefaultFormatInjector.injectForCreateStatement adds the KEY_FORMAT and
VALUE_FORMAT a CREATE STREAM/TABLE lacks, from ksql.persistence.default.format.key|value (server config
or session override), KAFKA when no key default is set; it leaves a statement naming both (or FORMAT)
as written, and refuses a missing value format without a default. Seen as the response's statementText."""

from __future__ import annotations

from collections.abc import Callable

from .conftest import Sr

KEY_DEFAULT = "ksql.persistence.default.format.key"
VALUE_DEFAULT = "ksql.persistence.default.format.value"


def create(props: str) -> str:
    sep = ", " if props else ""
    return f"CREATE STREAM `source` (`k` STRING KEY, `v` STRING) WITH (KAFKA_TOPIC='some_topic'{sep}{props});"


def make(make_sr: Callable[..., Sr], **config: str) -> Sr:
    return make_sr(registry=False, topics=("some_topic",), **config)


def test_should_inject_missing_key_format(make_sr: Callable[..., Sr]) -> None:
    """shouldInjectMissingKeyFormat"""
    sr = make(make_sr, **{KEY_DEFAULT: "KAFKA"})
    assert "KEY_FORMAT='KAFKA'" in sr.text(create("VALUE_FORMAT='JSON'"))


def test_should_inject_missing_value_format(make_sr: Callable[..., Sr]) -> None:
    """shouldInjectMissingValueFormat"""
    sr = make(make_sr, **{VALUE_DEFAULT: "JSON"})
    assert "VALUE_FORMAT='JSON'" in sr.text(create("KEY_FORMAT='KAFKA'"))


def test_should_inject_missing_key_and_value_format(make_sr: Callable[..., Sr]) -> None:
    """shouldInjectMissingKeyAndValueFormat"""
    sr = make(make_sr, **{KEY_DEFAULT: "KAFKA", VALUE_DEFAULT: "JSON"})
    text = sr.text(create(""))
    assert "KEY_FORMAT='KAFKA'" in text
    assert "VALUE_FORMAT='JSON'" in text


def test_should_handle_explicit_key_and_value_format(make_sr: Callable[..., Sr]) -> None:
    """shouldHandleExplicitKeyAndValueFormat: the statement as written."""
    sr = make(make_sr)
    sql = create("KEY_FORMAT='KAFKA', VALUE_FORMAT='JSON'")
    assert sr.text(sql) == sql


def test_should_handle_explicit_format(make_sr: Callable[..., Sr]) -> None:
    """shouldHandleExplicitFormat: FORMAT names both; nothing is added (SourcePropertyInjector, next in
    Injectors.DEFAULT, re-formats every CREATE: the properties in order)."""
    sr = make(make_sr)
    text = sr.text(create("FORMAT='KAFKA'"))
    assert "KEY_FORMAT" not in text and "VALUE_FORMAT" not in text
    assert text == "CREATE STREAM `source` (`k` STRING KEY, `v` STRING) WITH (FORMAT='KAFKA', KAFKA_TOPIC='some_topic');"


def test_should_default_to_kafka_if_no_explicit_default_key_format(make_sr: Callable[..., Sr]) -> None:
    """shouldDefaultToKafkaIfNoExplicitDefaultKeyFormat"""
    sr = make(make_sr)
    assert "KEY_FORMAT='KAFKA'" in sr.text(create("VALUE_FORMAT='JSON'"))


def test_should_throw_if_missing_default_value_format_config(make_sr: Callable[..., Sr]) -> None:
    """shouldThrowIfMissingDefaultValueFormatConfig"""
    sr = make(make_sr)
    message = sr.message(create("KEY_FORMAT='KAFKA'"))
    assert "Statement is missing the 'VALUE_FORMAT' property from the WITH clause." in message
    assert f"Either provide one or set a default via the '{VALUE_DEFAULT}' config." in message


def test_should_inject_using_config_overrides(make_sr: Callable[..., Sr]) -> None:
    """shouldInjectUsingConfigOverrides: the session's override of the default"""
    sr = make(make_sr)
    assert "VALUE_FORMAT='JSON'" in sr.text(create("KEY_FORMAT='KAFKA'"), {VALUE_DEFAULT: "JSON"})
