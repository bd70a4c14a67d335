"""WRAP_SINGLE_VALUE as ksqlDB's SerdeFeaturesFactory validates and applies it (the formats' supported
features: JSON/AVRO/PROTOBUF/JSON_SR wrap and unwrap, DELIMITED and KAFKA only unwrap)."""

from __future__ import annotations

from typing import Any

import pytest

from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.errors import KsqlError


@pytest.fixture
def engine() -> Any:
    d = MemoryDriver()
    e = Engine(EngineConfig(synchronous=True, processing_log=False, command_topic=False,
                            properties={"ksql.streams.auto.offset.reset": "earliest"}), d)  # fmt: skip
    yield e, d
    e.close()


@pytest.mark.parametrize(
    ("columns", "fmt", "wrap", "message"),
    [
        ("V INT", "DELIMITED", "true", "Format 'DELIMITED' does not support 'WRAP_SINGLE_VALUE' set to 'true'."),
        ("V INT", "KAFKA", "true", "Format 'KAFKA' does not support 'WRAP_SINGLE_VALUE' set to 'true'."),
        ("V INT, W INT", "JSON", "false", "'WRAP_SINGLE_VALUE' is only valid for single-field value schemas"),
        ("V INT, W INT", "JSON", "true", "'WRAP_SINGLE_VALUE' is only valid for single-field value schemas"),
    ],
)
def test_invalid_wrapping_is_refused(engine: Any, columns: str, fmt: str, wrap: str, message: str) -> None:
    e, _ = engine
    with pytest.raises(KsqlError) as err:
        e.execute(f"CREATE STREAM S ({columns}) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='{fmt}', "
                  f"WRAP_SINGLE_VALUE={wrap}, PARTITIONS=1);")  # fmt: skip
    assert message in str(err.value)


def test_a_single_json_value_wrapped_or_not(engine: Any) -> None:
    e, d = engine
    e.execute("CREATE STREAM W (V INT) WITH (KAFKA_TOPIC='w', VALUE_FORMAT='JSON', PARTITIONS=1);")
    e.execute("CREATE STREAM U (V INT) WITH (KAFKA_TOPIC='u', VALUE_FORMAT='JSON', WRAP_SINGLE_VALUE=false, "
              "PARTITIONS=1);")  # fmt: skip
    e.execute("CREATE STREAM WO AS SELECT V FROM W;")
    e.execute("CREATE STREAM UO WITH (WRAP_SINGLE_VALUE=false) AS SELECT V FROM U;")
    # wrapped: an object; a bare 7 is not one (the processing log's). Unwrapped: the bare value.
    d.produce("w", [Record(None, b'{"V": 7}', 1), Record(None, b"7", 2)])
    d.produce("u", [Record(None, b"7", 1), Record(None, b'{"V": 7}', 2), Record(None, b"null", 3)])
    e.drain()
    assert [r.value for r in d.records("WO")] == [b'{"V":7}']
    # {"V": 7} is no INT; a JSON null is a null value, written as no bytes
    assert [r.value for r in d.records("UO")] == [b"7", None]


def test_key_delimiter(engine: Any) -> None:
    e, d = engine
    with pytest.raises(KsqlError, match="KAFKA does not support the following configs: \\[delimiter\\]"):
        e.execute("CREATE STREAM K1 (K INT KEY, V INT) WITH (KAFKA_TOPIC='k1', FORMAT='KAFKA', KEY_DELIMITER=';', "
                  "PARTITIONS=1);")  # fmt: skip
    with pytest.raises(KsqlError, match="Configuration KEY_DELIMITER is invalid"):
        e.execute("CREATE STREAM K2 (K INT KEY, V INT) WITH (KAFKA_TOPIC='k2', FORMAT='DELIMITED', "
                  "KEY_DELIMITER='ab', PARTITIONS=1);")  # fmt: skip
    e.execute("CREATE STREAM K3 (A INT KEY, B STRING KEY, V INT) WITH (KAFKA_TOPIC='k3', FORMAT='DELIMITED', "
              "KEY_DELIMITER='TAB', PARTITIONS=1);")  # fmt: skip
    e.execute("CREATE STREAM K4 AS SELECT A, B, V FROM K3;")
    d.produce("k3", [Record(b"1\tx", b"5", 1)])
    e.drain()
    assert [(r.key, r.value) for r in d.records("K4")] == [(b"1\tx", b"5")]  # the delimiter is inherited


def test_unsupported_column_types_are_worded_per_format(engine: Any) -> None:
    e, _ = engine
    with pytest.raises(KsqlError) as err:
        e.execute("CREATE STREAM T1 (K BOOLEAN KEY, V INT) WITH (KAFKA_TOPIC='t1', FORMAT='KAFKA', PARTITIONS=1);")
    assert str(err.value).endswith("reason: The 'KAFKA' format does not support type 'BOOLEAN'")  # no column
    with pytest.raises(KsqlError) as err:
        e.execute("CREATE STREAM T2 (V ARRAY<INT>) WITH (KAFKA_TOPIC='t2', VALUE_FORMAT='DELIMITED', PARTITIONS=1);")
    assert str(err.value).endswith("reason: The 'DELIMITED' format does not support type 'ARRAY', column: `V`")


@pytest.mark.parametrize(
    ("fmt", "columns", "value", "message", "cause"),
    [
        ("DELIMITED", "A INT, B INT", b"1", "Error deserializing delimited",
         "Column count mismatch on deserialization. topic: pl, expected: 2, got: 1"),
        ("KAFKA", "A INT", b"\x00\x01", "Error deserializing KAFKA message from topic: pl",
         "Size of data received by IntegerDeserializer is not 4"),
        ("JSON", "A INT", b'{"A": true}',
         "Failed to deserialize value from topic: pl. Can't convert type. sourceType: BooleanNode, "
         "requiredType: INTEGER, path: $.A", None),
    ],
)  # fmt: skip
def test_the_processing_log_words_deserialization_errors_as_ksqldb(
    fmt: str, columns: str, value: bytes, message: str, cause: str | None
) -> None:
    import json

    d = MemoryDriver()
    e = Engine(EngineConfig(service_id="pl_", synchronous=True, command_topic=False,
                            properties={"ksql.streams.auto.offset.reset": "earliest"}), d)  # fmt: skip
    try:
        e.execute(f"CREATE STREAM S ({columns}) WITH (KAFKA_TOPIC='pl', VALUE_FORMAT='{fmt}', PARTITIONS=1);")
        e.execute("CREATE STREAM O AS SELECT * FROM S;")
        d.produce("pl", [Record(None, value, 1)])
        e.drain()
        logged = [json.loads(r.value)["message"]["deserializationError"] for r in d.records("pl_ksql_processing_log")]
    finally:
        e.close()
    assert [x["errorMessage"] for x in logged] == [message]
    if cause is not None:
        assert logged[0]["cause"] == [cause]
