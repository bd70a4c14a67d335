"""ksqlDB 0.29's TimestampExtractionPolicyFactoryTest (io.confluent.ksql.execution.streams.timestamp) and the
policy tests (LongColumn-, StringTimestamp-, TimestampColumn-, MetadataTimestampExtractionPolicyTest).

TimestampExtractionPolicyFactory.validateTimestampColumn runs for every CREATE STREAM/TABLE
(CreateSourceFactory.buildTimestampColumn) and for the WITH clause of a CREATE ... AS SELECT
(LogicalPlanner.getTimestampColumn): its refusals are statement errors, and the policy it picks decides each
record's ROWTIME, which the sink's records carry."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Streams

MISSING = "The TIMESTAMP column set in the WITH clause does not exist in the schema: '{}'"
STRING_NO_FORMAT = "A String timestamp field has been specified without also specifying the timestamp_format"
FORMAT_NOT_STRING = (
    "'TIMESTAMP_FORMAT' set in the WITH clause can only be used when the timestamp column is of type STRING."
)
WRONG_TYPE = (
    "Timestamp column, `{}`, should be LONG(INT64), TIMESTAMP, or a String with a timestamp_format specified."
)


def create(ks: Streams, columns: str, with_: str = "", kind: str = "STREAM") -> None:
    key = "K STRING KEY" if kind == "STREAM" else "K STRING PRIMARY KEY"
    extra = f", {with_}" if with_ else ""
    ks.sql(f"CREATE {kind} SRC ({key}, {columns}) WITH (KAFKA_TOPIC='src', PARTITIONS=1, FORMAT='JSON'{extra});")


@pytest.mark.parametrize("kind", ["STREAM", "TABLE"])
def test_should_create_metadata_policy_when_timestamp_field_not_provided(ks: Streams, kind: str) -> None:
    """shouldCreateMetadataPolicyWhenTimestampFieldNotProvided / MetadataTimestampExtractionPolicyTest: without
    TIMESTAMP each record keeps its own timestamp (Kafka Streams' FailOnInvalidTimestamp reads it), even with a
    TIMESTAMP_FORMAT, which alone is not checked."""
    create(ks, "V BIGINT", "TIMESTAMP_FORMAT='yyyy'", kind)
    ks.sql(f"CREATE {kind} OUT AS SELECT * FROM SRC;")
    ks.insert("SRC", {"K": "a", "V": 5, "ROWTIME": 1234})
    assert [(k, ts) for k, _, ts in ks.records("OUT")] == [("a", 1234)]


def test_should_fail_if_cant_find_timestamp_field(ks: Streams) -> None:
    """shouldFailIfCantFindTimestampField."""
    with_ = "KAFKA_TOPIC='src', PARTITIONS=1, FORMAT='JSON', TIMESTAMP='whateva'"
    assert ks.message(f"CREATE STREAM SRC (K STRING KEY, V BIGINT) WITH ({with_});") == MISSING.format("WHATEVA")


@pytest.mark.parametrize("kind", ["STREAM", "TABLE"])
def test_should_create_long_timestamp_policy_when_timestamp_field_is_of_type_long(ks: Streams, kind: str) -> None:
    """shouldCreateLongTimestampPolicyWhenTimestampFieldIsOfTypeLong / LongColumnTimestampExtractionPolicyTest:
    ROWTIME is the BIGINT column's value."""
    create(ks, "TIMESTAMP BIGINT", "TIMESTAMP='TIMESTAMP'", kind)
    ks.sql(f"CREATE {kind} OUT AS SELECT * FROM SRC;")
    ks.insert("SRC", {"K": "a", "TIMESTAMP": 99_000, "ROWTIME": 1})
    assert [ts for _, _, ts in ks.records("OUT")] == [99_000]


def test_should_create_timestamp_policy_when_timestamp_field_is_of_type_timestamp(ks: Streams) -> None:
    """shouldCreateTimestampPolicyWhenTimestampFieldIsOfTypeTimestamp /
    TimestampColumnTimestampExtractionPolicyTest: ROWTIME is the TIMESTAMP column's epoch millis."""
    create(ks, "TS TIMESTAMP", "TIMESTAMP='TS'")
    ks.sql("CREATE STREAM OUT AS SELECT * FROM SRC;")
    ks.produce("src", b'"a"', {"TS": 100_000}, 1)  # JSON TIMESTAMP: epoch millis
    assert [ts for _, _, ts in ks.records("OUT")] == [100_000]


def test_should_create_string_timestamp_policy_when_timestamp_field_is_string_type_and_format_provided(
    ks: Streams,
) -> None:
    """shouldCreateStringTimestampPolicyWhenTimestampFieldIsStringTypeAndFormatProvided /
    StringTimestampExtractionPolicyTest: ROWTIME is the column parsed with the format."""
    create(ks, "MY_STRING_FIELD STRING", "TIMESTAMP='MY_STRING_FIELD', TIMESTAMP_FORMAT='yyyy-MM-dd'")
    ks.sql("CREATE STREAM OUT AS SELECT * FROM SRC;")
    ks.insert("SRC", {"K": "a", "MY_STRING_FIELD": "1970-01-02", "ROWTIME": 1})
    assert [ts for _, _, ts in ks.records("OUT")] == [86_400_000]


@pytest.mark.parametrize("kind", ["STREAM", "TABLE"])
def test_should_fail_if_string_timestamp_type_and_format_not_supplied(ks: Streams, kind: str) -> None:
    """shouldFailIfStringTimestampTypeAndFormatNotSupplied."""
    key = "K STRING KEY" if kind == "STREAM" else "K STRING PRIMARY KEY"
    with_ = "KAFKA_TOPIC='src', PARTITIONS=1, FORMAT='JSON', TIMESTAMP='MY_STRING_FIELD'"
    msg = ks.message(f"CREATE {kind} SRC ({key}, MY_STRING_FIELD STRING) WITH ({with_});")
    assert msg == STRING_NO_FORMAT


@pytest.mark.parametrize("type_", ["BIGINT", "TIMESTAMP"])
def test_should_throw_if_long_or_timestamp_type_and_format_is_supplied(ks: Streams, type_: str) -> None:
    """shouldThrowIfLongTimestampTypeAndFormatIsSupplied, shouldThrowIfTimestampTypeAndFormatIsSupplied (a
    valid pattern here: ours, as ksqlDB's CreateSourceProperties, refuses an invalid one first)."""
    with_ = "KAFKA_TOPIC='src', PARTITIONS=1, FORMAT='JSON', TIMESTAMP='TIMESTAMP', TIMESTAMP_FORMAT='yyyy'"
    msg = ks.message(f"CREATE STREAM SRC (K STRING KEY, `TIMESTAMP` {type_}) WITH ({with_});")
    assert msg == FORMAT_NOT_STRING


@pytest.mark.parametrize(
    "type_", ["BOOLEAN", "INTEGER", "DOUBLE", "DECIMAL(4, 2)", "DATE", "TIME", "BYTES", "ARRAY<BIGINT>"]
)
def test_should_throw_if_timestamp_field_type_is_not_long_or_timestamp_or_string(ks: Streams, type_: str) -> None:
    """shouldThrowIfTimestampFieldTypeIsNotLongOrTimestampOrString: every other type."""
    with_ = "KAFKA_TOPIC='src', PARTITIONS=1, FORMAT='JSON', TIMESTAMP='BLAH'"
    msg = ks.message(f"CREATE STREAM SRC (K STRING KEY, BLAH {type_}) WITH ({with_});")
    assert msg == WRONG_TYPE.format("BLAH")


@pytest.mark.parametrize(
    ("with_", "expected"),
    [
        ("TIMESTAMP='S'", STRING_NO_FORMAT),
        ("TIMESTAMP='B', TIMESTAMP_FORMAT='yyyy'", FORMAT_NOT_STRING),
        ("TIMESTAMP='I'", WRONG_TYPE.format("I")),
        ("TIMESTAMP='NOPE'", MISSING.format("NOPE")),
    ],
)
def test_create_as_select_timestamp_column_is_validated(ks: Streams, with_: str, expected: str) -> None:
    """LogicalPlanner.getTimestampColumn runs the same validation on a CREATE ... AS SELECT's WITH clause."""
    create(ks, "S STRING, B BIGINT, I INT")
    assert expected in ks.message(f"CREATE STREAM OUT WITH ({with_}) AS SELECT * FROM SRC;")


def test_create_as_select_with_string_timestamp_and_format(ks: Streams) -> None:
    """A CREATE ... AS SELECT with a STRING timestamp column and its format is accepted."""
    create(ks, "S STRING")
    ks.sql("CREATE STREAM OUT WITH (TIMESTAMP='S', TIMESTAMP_FORMAT='yyyy') AS SELECT * FROM SRC;")
    assert ks.source("OUT").timestamp_column == "S"
