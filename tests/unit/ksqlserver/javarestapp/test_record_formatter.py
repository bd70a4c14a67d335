"""Port of ksqlDB 0.29 `io.confluent.ksql.rest.server.resources.streaming.RecordFormatterTest` (ksqldb-rest-app):
how PRINT guesses each key / value format and prints each record.

`MainClassTest` mocks the two `Deserializers`; its observable assertions (the unknown-format text, rowtime,
partition, nulls, the key and value text in the line) are checked on the real formatter and through PRINT.
`DeserializersTest` runs on the key side's `Guesser` (`new Deserializers(TOPIC, srClient, true)`), with the
records the Kafka serialisers write built here by hand (`IntegerSerializer` etc. are big-endian fixed-size,
`TimeWindowedSerializer` appends the window start, `SessionWindowedSerializer` (SessionKeySchema.toBinary)
appends end then start; Confluent's serialisers frame the payload with magic byte 0 and the schema id).
The Java test's mocked registry returns one schema for any id; here the schema is registered in a
`MemoryRegistryClient` and the records carry its id. `CombinedTest` runs on `RecordFormatter`.
"""

from __future__ import annotations

import json
import random
import struct
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from ksqlserver.drivers.base import Record
from ksqlserver.formats.sr import wire
from ksqlserver.formats.sr.client import AVRO, JSON, PROTOBUF, MemoryRegistryClient, RegisteredSchema
from ksqlserver.statements.print import Guesser, RecordFormatter

NO_DATA = "¯\\_(ツ)_/¯ - no data processed"
TIME_WINDOW = (1234567890123, 1234567899999)
SESSION_WINDOW = (1534567890123, 1534567899999)


# ---- what the Kafka / Confluent serialisers write -----------------------------------------------------------


def time_windowed(key: bytes, window: tuple[int, int] = TIME_WINDOW) -> bytes:
    """TimeWindowedSerializer (WindowKeySchema.toBinary): key, then the window start."""
    return key + struct.pack(">q", window[0])


def session_windowed(key: bytes, window: tuple[int, int] = SESSION_WINDOW) -> bytes:
    """SessionWindowedSerializer (SessionKeySchema.toBinary): key, then end, then start."""
    return key + struct.pack(">qq", window[1], window[0])


AVRO_SCHEMA = json.dumps(
    {"type": "record", "name": "myrecord", "fields": [{"name": "str1", "type": "string"}]}
)
PROTOBUF_SCHEMA = 'syntax = "proto3"; message MyRecord {string str1 = 1; string str2 = 2;}'
JSON_SCHEMA = '{"str1": "string", "str2": "string"}'
SCHEMA_ID = 1


def _avro_payload() -> bytes:
    text = b"My first string"
    return bytes([len(text) << 1]) + text  # zig-zag length, then the UTF-8 bytes


def _protobuf_payload() -> bytes:
    one, two = b"My first string", b"My second string"
    # message index [0] (written as a single 0), then fields 1 and 2 (length-delimited)
    return b"\x00" + bytes([0x0A, len(one)]) + one + bytes([0x12, len(two)]) + two


SERIALIZED_AVRO_RECORD = wire.frame(SCHEMA_ID, _avro_payload())
SERIALIZED_PROTOBUF_RECORD = wire.frame(SCHEMA_ID, _protobuf_payload())
SERIALIZED_JSON_SR_RECORD = wire.frame(
    SCHEMA_ID, json.dumps({"str1": "My first string", "str2": "My second string"}, separators=(",", ":")).encode()
)

KAFKA_INT = 24
SERIALIZED_KAFKA_INT = struct.pack(">i", KAFKA_INT)
KAFKA_BIGINT = 199
SERIALIZED_KAFKA_BIGINT = struct.pack(">q", KAFKA_BIGINT)
KAFKA_DOUBLE = 24.199
SERIALIZED_KAFKA_DOUBLE = struct.pack(">d", KAFKA_DOUBLE)
KAFKA_STRING = "κόσμε"
SERIALIZED_KAFKA_STRING = KAFKA_STRING.encode()
SERIALIZED_INVALID_UTF8 = bytes([0xFF, 0xFF, *b"is invalid", 0xFF, 0xFF])

VALID_JSON = ['{"a":1}', "[10,22,44]", '"Yes this is valid json"', "24.987", "true", "null"]

_RNG = random.Random(29)


def get_bytes(size: int) -> bytes:
    return bytes(_RNG.randrange(256) for _ in range(size))


def long_equiv(value: float) -> int:
    """No way to tell a double from a long once serialised; ksqlDB leans towards the long."""
    return int(struct.unpack(">q", struct.pack(">d", value))[0])


# ---- DeserializersTest ---------------------------------------------------------------------------------------


@pytest.fixture()
def registry() -> MemoryRegistryClient:
    return MemoryRegistryClient()


@pytest.fixture()
def deserializers(registry: MemoryRegistryClient) -> Guesser:
    return Guesser(windowed=True, registry=registry)


def given_schema(registry: MemoryRegistryClient, kind: str, text: str) -> None:
    registry.register_with_id("some-topic-value", RegisteredSchema(kind, text), SCHEMA_ID)


def not_has_items(formats: list[str], *items: str) -> None:
    for item in items:
        assert item not in formats


def test_should_not_exclude_anything_on_nulls(deserializers: Guesser) -> None:
    """DeserializersTest.shouldNotExcludeAnyThingOnNulls (a null and `new Bytes(null)` are both None here)"""
    expected = list(deserializers.possible())
    deserializers.format(None)
    assert deserializers.possible() == expected


def test_should_exclude_fixed_size_formats_where_size_does_not_match(deserializers: Guesser) -> None:
    """DeserializersTest.shouldExcludeFixedSizeFormatsWhereSizeDoesNotMatch"""
    deserializers.format(get_bytes(2))
    not_has_items(
        deserializers.possible(),
        *(f"{w}({f})" if w else f for f in ("KAFKA_INT", "KAFKA_BIGINT", "KAFKA_DOUBLE")
          for w in ("", "SESSION", "TUMBLING", "HOPPING")),
    )


def test_should_exclude_session_windowed_on_invalid_windows(deserializers: Guesser) -> None:
    """DeserializersTest.shouldExcludeSessionWindowedOnInvalidWindows: SessionKeySchema.toBinary(key, 100, 99),
    an end before the start, which Kafka Streams' Window constructor refuses"""
    deserializers.format(get_bytes(4) + struct.pack(">qq", 99, 100))
    not_has_items(
        deserializers.possible(),
        "SESSION(AVRO)", "SESSION(JSON)", "SESSION(KAFKA_INT)", "SESSION(KAFKA_BIGINT)", "SESSION(KAFKA_DOUBLE)",
    )


def test_should_exclude_time_windowed_on_negative_window_start(deserializers: Guesser) -> None:
    """Kafka Streams' `Window(startMs, endMs)`: "Window startMs time cannot be negative." (what
    TimeWindowedDeserializer builds through WindowKeySchema.timeWindowForSize)"""
    deserializers.format(time_windowed(SERIALIZED_KAFKA_INT, (-5, 0)))
    not_has_items(deserializers.possible(), "HOPPING(KAFKA_INT)", "TUMBLING(KAFKA_INT)")


@pytest.mark.parametrize(
    ("kind", "schema", "name", "record"),
    [
        (AVRO, AVRO_SCHEMA, "AVRO", SERIALIZED_AVRO_RECORD),
        (PROTOBUF, PROTOBUF_SCHEMA, "PROTOBUF", SERIALIZED_PROTOBUF_RECORD),
        (JSON, JSON_SCHEMA, "JSON_SR", SERIALIZED_JSON_SR_RECORD),
    ],
)
def test_should_exclude_sr_format_without_schema(
    deserializers: Guesser, kind: str, schema: str, name: str, record: bytes
) -> None:
    """DeserializersTest.shouldExcludeAvroNoSchema / shouldExcludeProtobufNoSchema / shouldExcludeJsonSrNoSchema"""
    deserializers.format(record)
    assert name not in deserializers.possible()


SR_CASES = [
    (AVRO, AVRO_SCHEMA, "AVRO", SERIALIZED_AVRO_RECORD, '{"str1": "My first string"}'),
    (PROTOBUF, PROTOBUF_SCHEMA, "PROTOBUF", SERIALIZED_PROTOBUF_RECORD,
     'str1: "My first string" str2: "My second string"'),
    (JSON, JSON_SCHEMA, "JSON_SR", SERIALIZED_JSON_SR_RECORD,
     '{"str1":"My first string","str2":"My second string"}'),
]


@pytest.mark.parametrize(("kind", "schema", "name", "record", "text"), SR_CASES)
def test_should_format_valid_sr_record(
    registry: MemoryRegistryClient, deserializers: Guesser, kind: str, schema: str, name: str, record: bytes,
    text: str,
) -> None:
    """DeserializersTest.shouldNotExcludeAvroOnValidAvro / shouldFormatValidAvro and the PROTOBUF / JSON_SR
    twins"""
    given_schema(registry, kind, schema)
    assert deserializers.format(record) == text
    assert name in deserializers.possible()


@pytest.mark.parametrize(("kind", "schema", "name", "record", "text"), SR_CASES)
def test_should_format_valid_time_windowed_sr_record(
    registry: MemoryRegistryClient, deserializers: Guesser, kind: str, schema: str, name: str, record: bytes,
    text: str,
) -> None:
    """DeserializersTest.shouldNotExcludeTimeWindowedAvroOnValidTimeWindowedAvro /
    shouldFormatValidTimeWindowedAvro and the PROTOBUF / JSON_SR twins"""
    given_schema(registry, kind, schema)
    assert deserializers.format(time_windowed(record)) == f"[{text}@1234567890123/-]"
    formats = deserializers.possible()
    assert f"TUMBLING({name})" in formats and f"HOPPING({name})" in formats


@pytest.mark.parametrize(("kind", "schema", "name", "record", "text"), SR_CASES)
def test_should_format_valid_session_windowed_sr_record(
    registry: MemoryRegistryClient, deserializers: Guesser, kind: str, schema: str, name: str, record: bytes,
    text: str,
) -> None:
    """DeserializersTest.shouldNotExcludeSessionWindowedAvroOnValidTimeWindowedAvro /
    shouldFormatValidSessionWindowedAvro and the PROTOBUF / JSON_SR twins"""
    given_schema(registry, kind, schema)
    assert deserializers.format(session_windowed(record)) == f"[{text}@1534567890123/1534567899999]"
    assert f"SESSION({name})" in deserializers.possible()


def test_should_exclude_json_on_bad_json(deserializers: Guesser) -> None:
    """DeserializersTest.shouldExcludeJsonOnBadJson"""
    not_json = '{BAD DATA"name": "myrecord",  "type": "record"}'
    deserializers.format(not_json.encode())
    assert "JSON" not in deserializers.possible()


def test_should_format_valid_json(deserializers: Guesser) -> None:
    """DeserializersTest.shouldNotExcludeJsonOnValidJson / shouldFormatValidJson (one Deserializers for all)"""
    for text in VALID_JSON:
        assert deserializers.format(text.encode()) == text
        assert "JSON" in deserializers.possible(), text


def test_should_format_valid_time_windowed_json(deserializers: Guesser) -> None:
    """DeserializersTest.shouldNotExcludeTimeWindowedJsonOnTimeWindowedJson / shouldFormatValidTimeWindowedJson"""
    for text in VALID_JSON:
        assert deserializers.format(time_windowed(text.encode())) == f"[{text}@1234567890123/-]"
        formats = deserializers.possible()
        assert "TUMBLING(JSON)" in formats and "HOPPING(JSON)" in formats, text


def test_should_format_valid_session_windowed_json(deserializers: Guesser) -> None:
    """DeserializersTest.shouldNotExcludeSessionWindowedJsonOnTimeWindowedJson /
    shouldFormatValidSessionWindowedJson"""
    for text in VALID_JSON:
        assert deserializers.format(session_windowed(text.encode())) == f"[{text}@1534567890123/1534567899999]"
        assert "SESSION(JSON)" in deserializers.possible(), text


@pytest.mark.parametrize(
    ("name", "wrong_size"),
    [("KAFKA_INT", 5), ("KAFKA_BIGINT", 7), ("KAFKA_DOUBLE", 7)],
)
def test_should_exclude_fixed_size_format_of_wrong_size(deserializers: Guesser, name: str, wrong_size: int) -> None:
    """DeserializersTest.shouldExcludeKafkaIntIfWrongSize / shouldExcludeKafkaBigIntIfNotWriteSize /
    shouldExcludeKafkaDoubleIfNotWriteSize"""
    deserializers.format(get_bytes(wrong_size))
    assert name not in deserializers.possible()


# (format name, serialised record, its text): a DOUBLE's 8 bytes print as the BIGINT they also are
KAFKA_CASES = [
    ("KAFKA_INT", SERIALIZED_KAFKA_INT, str(KAFKA_INT)),
    ("KAFKA_BIGINT", SERIALIZED_KAFKA_BIGINT, str(KAFKA_BIGINT)),
    ("KAFKA_DOUBLE", SERIALIZED_KAFKA_DOUBLE, str(long_equiv(KAFKA_DOUBLE))),
    ("KAFKA_STRING", SERIALIZED_KAFKA_STRING, KAFKA_STRING),
]


@pytest.mark.parametrize(("name", "record", "text"), KAFKA_CASES)
def test_should_format_valid_kafka_format(deserializers: Guesser, name: str, record: bytes, text: str) -> None:
    """DeserializersTest.shouldNotExcludeKafkaIntIfWriteSize / shouldFormatValidKafkaInt, ...KafkaBigInt,
    shouldFormatValidKafkaDoubleAsBigInt, ...KafkaString"""
    assert deserializers.format(record) == text
    assert name in deserializers.possible()


@pytest.mark.parametrize(("name", "record", "text"), KAFKA_CASES)
def test_should_format_valid_time_windowed_kafka_format(
    deserializers: Guesser, name: str, record: bytes, text: str
) -> None:
    """DeserializersTest.shouldNotExcludeTimeWindowedKafkaIntIfWriteSize / shouldFormatValidTimeWindowedKafkaInt
    and the BIGINT / DOUBLE / STRING twins"""
    assert deserializers.format(time_windowed(record)) == f"[{text}@1234567890123/-]"
    formats = deserializers.possible()
    assert f"HOPPING({name})" in formats and f"TUMBLING({name})" in formats


@pytest.mark.parametrize(("name", "record", "text"), KAFKA_CASES)
def test_should_format_valid_session_windowed_kafka_format(
    deserializers: Guesser, name: str, record: bytes, text: str
) -> None:
    """DeserializersTest.shouldNotExcludeSessionWindowedKafkaIntIfWriteSize /
    shouldFormatValidSessionWindowedKafkaInt and the BIGINT / DOUBLE / STRING twins"""
    assert deserializers.format(session_windowed(record)) == f"[{text}@1534567890123/1534567899999]"
    assert f"SESSION({name})" in deserializers.possible()


def test_should_exclude_kafka_string_if_not_utf8(deserializers: Guesser) -> None:
    """DeserializersTest.shouldExcludeKafkaStringIfNotUtf8Text / shouldFallBackToUnrecognisedBytesIfEverythingElseFails
    / shouldFormatUnrecognisedBytes (Kafka's Bytes.toString)"""
    assert deserializers.format(SERIALIZED_INVALID_UTF8) == "\\xFF\\xFFis invalid\\xFF\\xFF"
    assert deserializers.possible() == []


def test_should_format_null(deserializers: Guesser) -> None:
    """DeserializersTest.shouldFormatNull"""
    assert deserializers.format(None) == "<null>"


# ---- MainClassTest ---------------------------------------------------------------------------------------------

TIMESTAMP = 1588344313111  # 1st of May 2020, 14:45:13.111 UTC


def record(key: bytes | None, value: bytes | None, timestamp: int = TIMESTAMP) -> Record:
    return Record(key, value, timestamp, 1)


def test_should_start_with_unknown_formats() -> None:
    """MainClassTest.shouldStartWithUnknownKeyFormat / shouldStartWithUnknownValueFormat"""
    formatter = RecordFormatter(None)
    assert formatter.keys.possible() == [NO_DATA]
    assert formatter.values.possible() == [NO_DATA]


def test_should_stay_with_unknown_format_if_processing_nulls() -> None:
    """MainClassTest.shouldStayWithUnknownKeyFormatIfProcessingNullKeys / ...IfProcessingNullValues"""
    formatter = RecordFormatter(None)
    formatter.format([record(None, b"the value")])
    assert formatter.keys.possible() == [NO_DATA]
    formatter = RecordFormatter(None)
    formatter.format([record(b"the key", None)])
    assert formatter.values.possible() == [NO_DATA]


def test_should_format_key_and_value() -> None:
    """MainClassTest.shouldFormat / shouldFormatNulls: the key and the value go through their Deserializers"""
    formatter = RecordFormatter(None)
    [line] = formatter.format([record(b"the key", b"the value")])
    assert "key: the key, value: the value" in line
    [line] = formatter.format([record(None, None)])
    assert "key: <null>, value: <null>" in line


def test_should_format_rowtime_and_partition() -> None:
    """MainClassTest.shouldFormatRowTime / shouldFormatPartition / shouldFormatNoRowTime"""
    [line] = RecordFormatter(None).format([record(None, None)])
    assert "rowtime: 2020/05/01 14:45:13.111 Z, " in line
    assert "partition: 1" in line
    [line] = RecordFormatter(None).format([record(None, None, timestamp=-1)])  # ConsumerRecord.NO_TIMESTAMP
    assert "rowtime: N/A, " in line


# ---- CombinedTest ----------------------------------------------------------------------------------------------


def test_should_reprocess_batch_if_likely_key_format_changes() -> None:
    """CombinedTest.shouldReprocessBatchIfLikelyKeyFormatChanges: "Die Hard" is 8 bytes (a BIGINT or DOUBLE)
    until the next key rules both out"""
    formatted = RecordFormatter(None).format(
        [record(b"Die Hard", None), record(b"Key that's clearly a string", None), record(b"", None)]
    )
    assert "Die Hard" in formatted[0]
    assert "Key that's clearly a string" in formatted[1]


def test_should_reprocess_batch_if_likely_value_format_changes() -> None:
    """CombinedTest.shouldReprocessBatchIfLikelyValueFormatChanges"""
    formatted = RecordFormatter(None).format(
        [record(None, b"Die Hard"), record(None, b"Value that's clearly a string"), record(None, b"")]
    )
    assert "Die Hard" in formatted[0]
    assert "Value that's clearly a string" in formatted[1]


# ---- the same through PRINT (what a REST client sees) -------------------------------------------------------


@pytest.fixture()
def printing(make_resource: Any) -> Iterator[Any]:
    res = make_resource(sources=False)
    res.driver.create_topic("some-topic", 1, 1)
    yield res


def print_lines(res: Any, limit: int) -> list[str]:
    r = httpx.post(
        res.server.url + "/query",
        json={"ksql": f"PRINT 'some-topic' FROM BEGINNING LIMIT {limit};", "streamsProperties": {}},
        timeout=15,
    )
    assert r.status_code == 200, r.text
    return r.text.splitlines()


def test_print_reprocesses_the_batch_when_the_format_changes(printing: Any) -> None:
    """CombinedTest.shouldReprocessBatchIfLikelyKeyFormatChanges through PRINT, with the formats lines
    TopicStreamWriter writes: the time-windowed KAFKA_INT key prints windowed"""
    printing.driver.produce(
        "some-topic",
        [
            Record(b"Die Hard", b"Die Hard", TIMESTAMP, 0),
            Record(b"Key that's clearly a string", b"Value that's clearly a string", TIMESTAMP, 0),
        ],
    )
    assert print_lines(printing, 2) == [
        "Key format: KAFKA_STRING",
        "Value format: KAFKA_STRING",
        "rowtime: 2020/05/01 14:45:13.111 Z, key: Die Hard, value: Die Hard, partition: 0",
        "rowtime: 2020/05/01 14:45:13.111 Z, key: Key that's clearly a string, "
        "value: Value that's clearly a string, partition: 0",
    ]


def test_print_time_windowed_int_key(printing: Any) -> None:
    """DeserializersTest.shouldFormatValidTimeWindowedKafkaInt through PRINT: the key formats still possible
    are the time-windowed INT ones (and what else reads the 12 bytes)"""
    printing.driver.produce("some-topic", [Record(time_windowed(SERIALIZED_KAFKA_INT), b"1", TIMESTAMP, 0)])
    lines = print_lines(printing, 1)
    assert lines[0].startswith("Key format: HOPPING(KAFKA_INT) or TUMBLING(KAFKA_INT)")
    assert lines[-1] == "rowtime: 2020/05/01 14:45:13.111 Z, key: [24@1234567890123/-], value: 1, partition: 0"
