"""ksqlDB 0.29's SerdeFeaturesFactoryTest (ksqldb-engine/src/test/java/io/confluent/ksql/serde/
SerdeFeaturesFactoryTest.java), seen in what the serde features do to records and formats:

- buildValueFeatures: WRAP_SINGLE_VALUE before ksql.persistence.wrap.single.values, the config only for a
  single value column of a format that can (un)wrap, and its two refusals (validateExplicitValueWrapping);
- buildKeyFeatures / buildInternal: a single key column is unwrapped where the format supports both
  wrapping and unwrapping (JSON), not where it supports one (PROTOBUF only wraps, KAFKA only unwraps);
- sanitizeKeyFormat / buildInternal: the key format of a query's internal (repartition, changelog) topics
  becomes JSON when KAFKA/NONE/DELIMITED cannot hold the re-keyed columns. The in-memory driver keeps no
  internal topics, so what is checked is the sink's key as GROUP BY produced it through the re-keying: the
  sink's own key format is the one inherited or named (LogicalPlanner.getSinkKeyFormat), never sanitized.

Records are written as JSON by the test and read back as bytes."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from ksqlserver.drivers.base import Record

from .conftest import Sr

WRAP_CONFIG = "ksql.persistence.wrap.single.values"


@pytest.fixture
def srs(make_sr: Callable[..., Sr]) -> Sr:
    return make_sr(topics=("in",))


def make(make_sr: Callable[..., Sr], **config: str) -> Sr:
    sr = make_sr(topics=("in",), **config)
    return sr


def given_input(sr: Sr, value: dict[str, Any], key: bytes = b"k", columns: str = "F0 BIGINT, F1 DOUBLE") -> None:
    sr.execute(f"CREATE STREAM IN_S (ROWKEY STRING KEY, {columns}) WITH (KAFKA_TOPIC='in', FORMAT='JSON');")
    sr.driver.produce("in", [Record(b'"' + key + b'"', json.dumps(value).encode(), 1)])


def output(sr: Sr, sql: str, properties: dict[str, str] | None = None) -> Record:
    sr.execute(sql, properties)
    sr.engine.drain()
    [rec] = sr.driver.records("OUT")
    return rec


# --- value wrapping --------------------------------------------------------------------------------------


def test_should_get_single_value_wrapping_from_properties_before_config(make_sr: Callable[..., Sr]) -> None:
    """shouldGetSingleValueWrappingFromPropertiesBeforeConfig"""
    sr = make(make_sr, **{WRAP_CONFIG: "true"})
    given_input(sr, {"F0": 1, "F1": 2.5})
    rec = output(sr, "CREATE STREAM OUT WITH (VALUE_FORMAT='JSON', WRAP_SINGLE_VALUE=false) AS SELECT ROWKEY, F0 "
                     "FROM IN_S;")
    assert rec.value == b"1"


def test_should_get_single_value_wrapping_from_config(make_sr: Callable[..., Sr]) -> None:
    """shouldGetSingleValueWrappingFromConfig"""
    sr = make(make_sr, **{WRAP_CONFIG: "false"})
    given_input(sr, {"F0": 1, "F1": 2.5})
    rec = output(sr, "CREATE STREAM OUT WITH (VALUE_FORMAT='JSON') AS SELECT ROWKEY, F0 FROM IN_S;")
    assert rec.value == b"1"


def test_should_default_to_no_single_value_wrapping_if_no_explicit_and_no_config_default(srs: Sr) -> None:
    """shouldDefaultToNoSingleValueWrappingIfNoExplicitAndNoConfigDefault: wrapped, as JSON writes a
    value without either feature."""
    given_input(srs, {"F0": 1, "F1": 2.5})
    rec = output(srs, "CREATE STREAM OUT WITH (VALUE_FORMAT='JSON') AS SELECT ROWKEY, F0 FROM IN_S;")
    assert json.loads(rec.value) == {"F0": 1}


def test_should_not_get_single_value_wrapping_from_default_config_if_format_does_not_support_it(
    make_sr: Callable[..., Sr]
) -> None:
    """shouldNotGetSingleValueWrappingFromDefaultConfigIfFormatDoesNotSupportIt: KAFKA values are never
    wrapped, whatever the config."""
    sr = make(make_sr, **{WRAP_CONFIG: "true"})
    given_input(sr, {"F0": 1, "F1": 2.5})
    rec = output(sr, "CREATE STREAM OUT WITH (VALUE_FORMAT='KAFKA') AS SELECT ROWKEY, F0 FROM IN_S;")
    assert rec.value == (1).to_bytes(8, "big")


def test_should_not_get_single_value_wrapping_from_config_for_multi_fields(make_sr: Callable[..., Sr]) -> None:
    """shouldNotGetSingleValueWrappingFromConfigForMultiFields"""
    sr = make(make_sr, **{WRAP_CONFIG: "false"})
    given_input(sr, {"F0": 1, "F1": 2.5})
    rec = output(sr, "CREATE STREAM OUT WITH (VALUE_FORMAT='JSON') AS SELECT ROWKEY, F0, F1 FROM IN_S;")
    assert json.loads(rec.value) == {"F0": 1, "F1": 2.5}


def test_should_throw_if_wrap_single_value_present_for_multi_field(srs: Sr) -> None:
    """shouldThrowIfWrapSingleValuePresentForMultiField"""
    message = srs.message("CREATE STREAM S (K STRING KEY, F0 BIGINT, F1 DOUBLE) WITH (KAFKA_TOPIC='in', "
                          "FORMAT='JSON', WRAP_SINGLE_VALUE=true);")
    assert "'WRAP_SINGLE_VALUE' is only valid for single-field value schemas" in message


def test_should_throw_if_wrap_single_value_present_for_format_that_does_not_support_it(srs: Sr) -> None:
    """shouldThrowIfWrapSingleValuePresentForFormatThatDoesNotSupportIt: the format is checked first."""
    message = srs.message("CREATE STREAM S (K STRING KEY, F0 BIGINT, F1 DOUBLE) WITH (KAFKA_TOPIC='in', "
                          "KEY_FORMAT='KAFKA', VALUE_FORMAT='PROTOBUF', WRAP_SINGLE_VALUE=false);")
    assert "Format 'PROTOBUF' does not support 'WRAP_SINGLE_VALUE' set to 'false'." in message


# --- key wrapping ------------------------------------------------------------------------------------------


def test_should_set_unwrapped_keys_if_key_format_supports_both_wrapping_and_unwrapping(srs: Sr) -> None:
    """shouldSetUnwrappedKeysIfKeyFormatSupportsBothWrappingAndUnwrapping: a JSON key is the bare value."""
    given_input(srs, {"F0": 1, "F1": 2.5})
    rec = output(srs, "CREATE STREAM OUT WITH (KEY_FORMAT='JSON', VALUE_FORMAT='JSON') AS SELECT * FROM IN_S;")
    assert rec.key == b'"k"'
    assert srs.source("OUT").key_features == ("UNWRAP_SINGLES",)


def test_should_not_set_unwrapped_keys_if_key_format_supports_only_wrapping(srs: Sr) -> None:
    """shouldNotSetUnwrappedKeysIfKeyFormatsSupportsOnlyWrapping: a PROTOBUF key is a message."""
    given_input(srs, {"F0": 1, "F1": 2.5})
    output(srs, "CREATE STREAM OUT WITH (KEY_FORMAT='PROTOBUF', VALUE_FORMAT='JSON') AS SELECT * FROM IN_S;")
    assert srs.source("OUT").key_features == ()
    assert "message" in srs.registered("OUT-key").schema


def test_should_not_set_unwrapped_keys_if_key_format_supports_only_unwrapping(srs: Sr) -> None:
    """shouldNotSetUnwrappedKeysIfKeyFormatsSupportsOnlyUnwrapping: KAFKA keys carry no feature."""
    given_input(srs, {"F0": 1, "F1": 2.5})
    rec = output(srs, "CREATE STREAM OUT WITH (KEY_FORMAT='KAFKA', VALUE_FORMAT='JSON') AS SELECT * FROM IN_S;")
    assert rec.key == b"k"
    assert srs.source("OUT").key_features == ()


# --- sanitizeKeyFormat (internal topics) -------------------------------------------------------------------


def group_by_output(srs: Sr, fmt: str, columns: str, group_by: str, value: dict[str, Any],
                    sink_key_format: str | None = "JSON") -> bytes | None:
    key = "" if fmt == "NONE" else "ROWKEY STRING KEY, "
    srs.execute(f"CREATE STREAM S2 ({key}{columns}) WITH (KAFKA_TOPIC='in', KEY_FORMAT='{fmt}', "
                "VALUE_FORMAT='JSON');")
    w = f" WITH (KEY_FORMAT='{sink_key_format}')" if sink_key_format else ""
    srs.execute(f"CREATE TABLE OUT{w} AS SELECT {group_by}, COUNT(*) AS N FROM S2 GROUP BY {group_by};")
    in_key = {"NONE": None, "AVRO": None, "JSON": b'"k"'}.get(fmt, b"k")
    srs.driver.produce("in", [Record(in_key, json.dumps(value).encode(), 1)])
    srs.engine.drain()
    [rec] = srs.driver.records("OUT")
    return rec.key


@pytest.mark.parametrize("fmt", ["KAFKA", "NONE", "AVRO"])
def test_should_rekey_multicol_keys_through_a_sanitized_internal_format(srs: Sr, fmt: str) -> None:
    """shouldConvertFormatForMulticolKeysWhenSanitizingFromKafkaFormat / ...FromNoneFormat /
    shouldNotConvertFormatWhenSanitizingFromOtherFormats / shouldRemoveUnapplicableKeyWrappingWhen
    SanitizingMulticolKey: GROUP BY two columns re-keys through a key format that holds both."""
    key = group_by_output(srs, fmt, "A INT, B BOOLEAN", "A, B", {"A": 1, "B": True})
    assert key == b'{"A":1,"B":true}'


@pytest.mark.parametrize("fmt", ["KAFKA", "DELIMITED", "NONE"])
def test_should_rekey_single_non_primitive_key(srs: Sr, fmt: str) -> None:
    """shouldConvertKafkaFormatForSingleKeyWithNonPrimitiveType / shouldConvertDelimitedFormatForSingleKey
    WithNonPrimitiveType / shouldConvertNoneFormatForSingleKeyWithNonPrimitiveType: JSON, unwrapped."""
    key = group_by_output(srs, fmt, "A STRUCT<X INT>", "A", {"A": {"X": 1}})
    assert key == b'{"X":1}'


def test_should_rekey_single_unsupported_primitive_key(srs: Sr) -> None:
    """shouldConvertKafkaFormatForSingleKeyWithUnsupportedPrimitiveType (BOOLEAN)"""
    assert group_by_output(srs, "KAFKA", "B BOOLEAN", "B", {"B": True}) == b"true"


def test_should_rekey_delimited_multicol_key_with_non_primitive_type(srs: Sr) -> None:
    """shouldConvertDelimitedFormatForMultiColKeyWithNonPrimitiveType"""
    key = group_by_output(srs, "DELIMITED", "A STRUCT<X INT>, B INT", "A, B", {"A": {"X": 1}, "B": 2})
    assert key == b'{"A":{"X":1},"B":2}'


@pytest.mark.parametrize("group_by,expected", [("A, B", b"1,true"), ("A", b"1")], ids=["multicol", "single"])
def test_should_not_convert_delimited_format_for_primitive_types(srs: Sr, group_by: str, expected: bytes) -> None:
    """shouldNotConvertDelimitedFormatForMulticolKeysWithPrimitiveTypes / ...ForSingleKeyWithPrimitiveType:
    the sink inherits DELIMITED."""
    key = group_by_output(srs, "DELIMITED", "A INT, B BOOLEAN", group_by, {"A": 1, "B": True}, None)
    assert key == expected
    assert srs.source("OUT").key_format == "DELIMITED"


@pytest.mark.parametrize("fmt,expected", [("KAFKA", (1).to_bytes(4, "big")), ("JSON", b"1")])
def test_should_not_convert_format_with_single_column_and_supported_primitive_type(
    srs: Sr, fmt: str, expected: bytes
) -> None:
    """shouldNotConvertFormatWhenSanitizingWithSingleColumnAndSupportedPrimitiveType /
    shouldAddKeyWrappingWhenSanitizing (a JSON key of one column is unwrapped)"""
    key = group_by_output(srs, fmt, "A INT", "A", {"A": 1}, None)
    assert key == expected
    assert key_format_of(srs, "OUT") == (fmt, ("UNWRAP_SINGLES",) if fmt == "JSON" else ())


def test_sink_key_format_is_not_sanitized(srs: Sr) -> None:
    """LogicalPlanner.getSinkKeyFormat: the sink keeps the inherited KAFKA, which cannot hold two
    columns (the serde's refusal), though the internal topics were sanitized."""
    srs.execute("CREATE STREAM S2 (ROWKEY STRING KEY, A INT, B INT) WITH (KAFKA_TOPIC='in', KEY_FORMAT='KAFKA', "
                "VALUE_FORMAT='JSON');")
    message = srs.message("CREATE TABLE OUT AS SELECT A, B, COUNT(*) AS N FROM S2 GROUP BY A, B;")
    assert message.startswith("Key format does not support schema.\nformat: KAFKA\n")


def key_format_of(sr: Sr, name: str) -> tuple[str, tuple[str, ...]]:
    src = sr.source(name)
    return src.key_format, src.key_features
