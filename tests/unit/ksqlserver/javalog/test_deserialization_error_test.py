"""ksqlDB 0.29's DeserializationErrorTest and LoggingDeserializerTest (ksqldb-serde,
io.confluent.ksql.logging.processing), as the processing log shows them.

LoggingDeserializer.deserialize logs a DeserializationError when its delegate throws, and rethrows (Kafka
Streams' deserialization handler then skips the record, LogMetricAndContinueExceptionHandler by default):
type 0, target "key" or "value" (LoggingSerdeUtil.getRecordComponent), the exception's message, its causes'
messages (LoggingSerdeUtil.getCause), the source topic, and the record's bytes in base64 only with
ksql.logging.processing.rows.include; every other struct of the message is null.

Ported: shouldBuildDeserializationError, shouldBuildDeserializationErrorWithNullRecordIfIncludeRowFalse,
shouldBuildErrorWithKeyComponent (DeserializationErrorTest); shouldThrowIfDelegateThrows, shouldLogOnException,
shouldLogExceptionForKey (LoggingDeserializerTest). Not ported: shouldSetNullRecordToNull (no null record
fails to deserialize), equals/hashCode, configure/close delegation, DelayedResult's deferred logging (a
retry path a user does not see)."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from conftest import LogEngine

SOURCE = (
    "CREATE STREAM SRC (K INT KEY, A INT, B STRING) WITH (KAFKA_TOPIC='s', PARTITIONS=1, KEY_FORMAT='KAFKA', "
    "VALUE_FORMAT='DELIMITED');"
)
BAD_VALUE = b"1,a,3"


def run(make_log: Callable[..., LogEngine], rows: bool, key: bytes, value: bytes) -> tuple[LogEngine, list[dict[str, Any]]]:
    le = make_log({"ksql.logging.processing.rows.include": str(rows).lower()})
    le.sql(SOURCE)
    le.sql("CREATE STREAM O AS SELECT * FROM SRC;")
    le.produce("s", key, value, 1)
    le.produce("s", b"\x00\x00\x00\x02", b"2,b", 2)
    return le, le.messages()


def test_should_build_deserialization_error(make_log: Callable[..., LogEngine]) -> None:
    """shouldBuildDeserializationError / shouldLogOnException: the value's error (KsqlDelimitedDeserializer's
    message, the column count mismatch its cause), the bytes in base64, the topic; the record is skipped and
    the next one goes through (shouldThrowIfDelegateThrows: the query goes on)."""
    le, [message] = run(make_log, True, b"\x00\x00\x00\x01", BAD_VALUE)
    assert message["type"] == 0
    assert [k for k, v in message.items() if v is not None] == ["type", "deserializationError"]
    error = message["deserializationError"]
    assert list(error) == ["target", "errorMessage", "recordB64", "cause", "topic"]
    assert error == {
        "target": "value",
        "errorMessage": "Error deserializing delimited",
        "recordB64": base64.b64encode(BAD_VALUE).decode(),
        "cause": ["Column count mismatch on deserialization. topic: s, expected: 2, got: 3"],
        "topic": "s",
    }
    assert [r.value for r in le.driver.records("O")] == [b"2,b"]


def test_should_build_deserialization_error_with_null_record_if_include_row_false(
    make_log: Callable[..., LogEngine],
) -> None:
    """shouldBuildDeserializationErrorWithNullRecordIfIncludeRowFalse."""
    _, [message] = run(make_log, False, b"\x00\x00\x00\x01", BAD_VALUE)
    assert message["deserializationError"]["recordB64"] is None


def test_should_build_error_with_key_component(make_log: Callable[..., LogEngine]) -> None:
    """shouldBuildErrorWithKeyComponent / shouldLogExceptionForKey: a KAFKA INT key of 3 bytes; the key's
    bytes are the record."""
    _, [message] = run(make_log, True, b"abc", b"1,a")
    error = message["deserializationError"]
    assert (error["target"], error["recordB64"], error["topic"]) == ("key", base64.b64encode(b"abc").decode(), "s")
    assert error["cause"] == ["Size of data received by IntegerDeserializer is not 4"]
