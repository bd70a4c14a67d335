"""ksqlDB's JsonSerdeUtilsTest (io.confluent.ksql.serde.json): how the JSON deserializer converts a JSON node
to a column's type (JsonSerdeUtils.toBoolean/toInteger/toLong/toDouble/toTime/toDate/toTimestamp): numbers
between numeric types, numeric strings, the TIME range, and the messages of what cannot convert, which never
hold the value read (it may be personal data).

The conversions are ported on the JSON serde of a single unwrapped column (the engine's own, as
GenericSerdeFactory builds it for a source) and one of them end to end: a record of a JSON stream that
cannot be read is logged to the processing log with that message. readJsonSR is the JSON_SR reader of
ksql.json_sr.converter.deserializer.enabled=false (KsqlJsonDeserializer)."""

from __future__ import annotations

from typing import Any

import pytest

TIME_RANGE = "Time values must use number of milliseconds greater than 0 and less than 86400000."


def _read(make_serde: Any, sql_type: str, data: bytes) -> Any:
    [value] = make_serde("JSON", f"V {sql_type}", wrap=False).deserialize(data)
    return value


@pytest.mark.parametrize(
    ("sql_type", "data", "expected"),
    [
        ("BOOLEAN", b"true", True),  # shouldConvertToBooleanCorrectly
        ("INT", b"1", 1),  # shouldConvertToIntCorrectly
        ("INT", b"1", 1),  # shouldConvertLongToIntCorrectly (a long node)
        ("INT", b"1.0", 1),  # shouldConvertDoubleToIntCorrectly
        ("INT", b'"1"', 1),  # shouldConvertStringToIntCorrectly
        ("BIGINT", b"1", 1),  # shouldConvertToLongCorrectly, shouldConvertIntToLongCorrectly
        ("BIGINT", b"1.0", 1),  # shouldConvertDoubleToLongCorrectly
        ("BIGINT", b'"1"', 1),  # shouldConvertStringToLongCorrectly
        ("DOUBLE", b"1.0", 1.0),  # shouldConvertToDoubleCorrectly
        ("DOUBLE", b"1", 1.0),  # shouldConvertIntToDoubleCorrectly, shouldConvertLongToDoubleCorrectly
        ("DOUBLE", b'"1.0"', 1.0),  # shouldConvertStringToDoubleCorrectly
        ("TIME", b"100", 100),  # shouldConvertIntToTimeCorrectly
        ("TIME", b'"100"', 100),  # shouldConvertStringToTimeCorrectly
        ("DATE", b"10", 10),  # shouldConvertIntToDateCorrectly: 864000000 ms, day 10
        ("DATE", b'"10"', 10),  # shouldConvertStringToDateCorrectly
        ("TIMESTAMP", b"100", 100),  # shouldConvertLongToTimestampCorrectly
        ("TIMESTAMP", b'"100"', 100),  # shouldConvertStringToTimestampCorrectly
    ],
)  # fmt: skip
def test_should_convert(make_serde: Any, sql_type: str, data: bytes, expected: Any) -> None:
    value = _read(make_serde, sql_type, data)
    assert value == expected and type(value) is type(expected)


@pytest.mark.parametrize(
    ("sql_type", "data", "message"),
    [
        ("BOOLEAN", b"1", "Can't convert type. sourceType: IntNode, requiredType: BOOLEAN"),
        ("INT", b'"1!"', "Can't coerce string to type. targetType: INTEGER"),
        ("INT", b"true", "Can't convert type. sourceType: BooleanNode, requiredType: INTEGER"),
        ("BIGINT", b'"1!"', "Can't coerce string to type. targetType: BIGINT"),
        ("DOUBLE", b'"1!::"', "Can't coerce string to type. targetType: DOUBLE"),
        ("DOUBLE", b"true", "Can't convert type. sourceType: BooleanNode, requiredType: DOUBLE"),
        ("TIME", b"3000000000", TIME_RANGE),  # shouldNotConvertOverflowNumberToTime
        ("TIME", b"-5", TIME_RANGE),  # shouldNotConvertNegativeNumberToTime
        ("TIME", b'"3000000000"', TIME_RANGE),  # shouldNotConvertOverflowStringToTime
        ("TIME", b'"-5"', TIME_RANGE),  # shouldNotConvertNegativeStringToTime
        ("TIME", b'"ha"', "Can't coerce string to type. targetType: TIME"),
        ("TIME", b"false", "Can't convert type. sourceType: BooleanNode, requiredType: TIME"),
        ("DATE", b'"ha"', "Can't coerce string to type. targetType: DATE"),
        ("DATE", b"false", "Can't convert type. sourceType: BooleanNode, requiredType: DATE"),
        ("TIMESTAMP", b'"ha"', "Can't coerce string to type. targetType: TIMESTAMP"),
        ("TIMESTAMP", b"false", "Can't convert type. sourceType: BooleanNode, requiredType: TIMESTAMP"),
    ],
)  # fmt: skip
def test_should_not_convert(make_serde: Any, sql_type: str, data: bytes, message: str) -> None:
    """shouldFailWhenConverting*, shouldNotConvertIncorrectStringTo*, shouldNotConvert*ToTime: the message
    (with the path of the node, $ for an unwrapped value)"""
    with pytest.raises(Exception) as err:
        _read(make_serde, sql_type, data)
    assert str(err.value) == f"{message}, path: $"


@pytest.mark.parametrize("sql_type", ["BOOLEAN", "INT", "BIGINT", "DOUBLE"])
def test_should_not_include_value_in_exception(make_serde: Any, sql_type: str) -> None:
    """shouldNotIncludeValueInExceptionWhenFailingTo{Boolean,Integer,Long,Double}"""
    with pytest.raises(Exception) as err:
        _read(make_serde, sql_type, b'"personal info: do not log me"')
    assert "personal info" not in str(err.value)


def test_the_processing_log_holds_the_conversion_message_not_the_value(fmt: Any) -> None:
    """shouldNotIncludeValueInExceptionWhenFailingToInteger, end to end: the processing log (rows not
    included) words the failure without the value"""
    fmt.topic("t")
    fmt.sql("CREATE STREAM S (V INT) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON');")
    fmt.sql("CREATE STREAM O AS SELECT * FROM S;")
    fmt.produce("t", b'{"V": "personal info: do not log me"}')
    [err] = fmt.deserialization_errors()
    assert err["errorMessage"] == (
        "Failed to deserialize value from topic: t. Can't coerce string to type. targetType: INTEGER, path: $.V"
    )
    assert err["recordB64"] is None
    assert "personal info" not in str(err)


def test_json_sr_reads_after_the_magic_byte_and_schema_id(make_fmt: Any) -> None:
    """shouldSetCorrectOffsetWithMagicByte: a JSON_SR value is read from after its five-byte prefix"""
    fmt = make_fmt()
    fmt.topic("t")
    fmt.register("t-value", '{"type": "object", "properties": {"V": {"type": "integer"}}}', "JSON", schema_id=1)
    fmt.sql("CREATE STREAM S WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON_SR');")
    fmt.sql("CREATE STREAM O WITH (VALUE_FORMAT='JSON') AS SELECT * FROM S;")
    fmt.produce("t", b"\x00\x00\x00\x00\x01" + b'{"V": 5}')
    assert fmt.values("O") == [b'{"V":5}']


def test_should_throw_on_standard_json_conversion(make_fmt: Any) -> None:
    """shouldThrowOnStandardJsonConversion: JSON without the magic byte read as JSON_SR fails (with the
    converter of ksql.json_sr.converter.deserializer.enabled=true, the default: KsqlConnectDeserializer's
    message, Confluent's "Unknown magic byte!" its last cause)"""
    fmt = make_fmt()
    fmt.topic("t")
    fmt.register("t-value", '{"type": "object", "properties": {"V": {"type": "integer"}}}', "JSON", schema_id=1)
    fmt.sql("CREATE STREAM S WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON_SR');")
    fmt.sql("CREATE STREAM O WITH (VALUE_FORMAT='JSON') AS SELECT * FROM S;")
    fmt.produce("t", b'{"V": 5}')
    assert fmt.values("O") == []
    [err] = fmt.deserialization_errors()
    assert err["errorMessage"] == "Error deserializing message from topic: t"  # KsqlConnectDeserializer
    assert err["cause"][-1] == "Unknown magic byte!"


def test_should_throw_on_standard_json_conversion_without_the_converter(fmt: Any) -> None:
    """shouldThrowOnStandardJsonConversion, readJsonSR's own message (the converter disabled):
    KsqlJsonDeserializer's "Failed to deserialize value from topic: t. " before it"""
    off = {"ksql.json_sr.converter.deserializer.enabled": "false"}
    fmt.topic("t")
    fmt.register("t-value", '{"type": "object", "properties": {"V": {"type": "integer"}}}', "JSON", schema_id=1)
    fmt.sql("CREATE STREAM S WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON_SR');", off)
    fmt.sql("CREATE STREAM O WITH (VALUE_FORMAT='JSON') AS SELECT * FROM S;", off)
    fmt.produce("t", b'{"V": 5}')
    fmt.produce("t", b"\x00\x00\x00\x00\x01" + b'{"V": 5}')  # shouldSetCorrectOffsetWithMagicByte
    assert fmt.values("O") == [b'{"V":5}']
    [err] = fmt.deserialization_errors()
    message = (
        "Got unexpected JSON serialization format that did not start with the magic byte. If this stream was "
        "not serialized using the JsonSchemaConverter, then make sure the stream is declared with JSON format "
        "(not JSON_SR)."
    )
    assert err["errorMessage"] == f"Failed to deserialize value from topic: t. {message}"
    assert err["cause"] == [message]
