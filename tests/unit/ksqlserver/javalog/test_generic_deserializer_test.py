"""ksqlDB 0.29's GenericDeserializerTest, GenericSerializerTest and GenericRowSerDeTest (ksqldb-serde,
io.confluent.ksql.serde), where a user sees them.

GenericDeserializer turns the format's list of values into a GenericRow and refuses a list of the wrong
length (SerdeUtils.throwOnColumnCountMismatch: "Column count mismatch on deserialization. topic: <topic>,
expected: <n>, got: <m>"); GenericRowSerDe wraps the format's serde in LoggingDeserializer /
LoggingSerializer under the step's logger plus `deserializer` / `serializer`. The serializer's count check
guards ksqlDB's own rows, which always fit: nothing a user can write reaches it.

Ported: shouldThrowOnDeserializeOnColumnCountMismatch, shouldConvertListToRowWhenDeserializing,
shouldDeserializeNulls (GenericDeserializerTest); shouldWrapInLoggingSerde (GenericRowSerDeTest). Not
ported: configure/close delegation, the tracking serde's callbacks."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import LogEngine

SOURCE = (
    "CREATE STREAM SRC (K STRING KEY, A INT, B STRING) WITH (KAFKA_TOPIC='s', PARTITIONS=1, KEY_FORMAT='KAFKA', "
    "VALUE_FORMAT='DELIMITED');"
)


def test_should_throw_on_deserialize_on_column_count_mismatch(le: LogEngine) -> None:
    """Too many and too few fields: the record is refused with SerdeUtils' message (the error's cause)."""
    le.sql(SOURCE)
    le.sql("CREATE STREAM O AS SELECT * FROM SRC;")
    le.produce("s", b"k", b"1,a,3", 1)
    le.produce("s", b"k", b"1", 2)
    causes = [m["deserializationError"]["cause"] for m in le.messages()]
    assert causes == [
        ["Column count mismatch on deserialization. topic: s, expected: 2, got: 3"],
        ["Column count mismatch on deserialization. topic: s, expected: 2, got: 1"],
    ]


def test_should_convert_list_to_row_when_deserializing(le: LogEngine) -> None:
    """shouldConvertListToRowWhenDeserializing / shouldDeserializeNulls: the values become the row; a null
    value is a null row, not an error."""
    le.sql(SOURCE)
    le.sql("CREATE STREAM O AS SELECT K, B, A FROM SRC;")
    le.produce("s", b"k", b"-10,world", 1)
    le.produce("s", b"k", None, 2)
    assert [r.value for r in le.driver.records("O")][:1] == [b"world,-10"]
    assert le.log() == []


def test_should_wrap_in_logging_serde(le: LogEngine) -> None:
    """shouldWrapInLoggingSerde: a value that cannot be read is logged under the source's deserializer."""
    le.sql(SOURCE)
    le.sql("CREATE STREAM O AS SELECT * FROM SRC;")
    le.produce("s", b"k", b"x,a", 1)
    [record] = le.log()
    assert record["logger"] == "processing.CSAS_O_0.KsqlTopic.Source.deserializer"
