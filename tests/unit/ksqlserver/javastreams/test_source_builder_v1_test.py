"""ksqlDB 0.29's SourceBuilderV1Test (io.confluent.ksql.execution.streams): stream sources (StreamSource,
WindowedStreamSource) and windowed table sources, built by SourceBuilderV1.

Each row gets the key columns (a null key, a missing column of a multi-column key, an empty or entirely null
key: nulls), ROWTIME, ROWPARTITION, ROWOFFSET and, for a windowed key, WINDOWSTART and WINDOWEND from the
window (a session key's end as written, a time window's end its start plus the size; a null windowed key,
which Time/SessionWindowedDeserializer read from no bytes, gives null key columns and bounds:
SourceBuilderUtils.windowedKeyGenerator's NULL_WINDOWED_KEY_COLUMNS). The timestamp extractor gives ROWTIME
(shouldBuildStreamWithCorrectTimestampExtractor)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import Streams


def test_should_handle_multi_key_field(ks: Streams) -> None:
    """shouldHandleMultiKeyField / shouldHandleMultiKeyFieldWithNullCol / shouldHandleMultiKeyFieldEmptyGeneric
    Key / shouldHandleMultiKeyFieldEntirelyNull / shouldHandleNullKey /
    shouldAddRowPartitionAndOffsetColumnsToNonWindowedStream."""
    ks.sql("CREATE STREAM S (K1 STRING KEY, K2 INT KEY, V STRING) WITH (KAFKA_TOPIC='s', PARTITIONS=1, FORMAT='JSON');")
    ks.produce("s", b'{"K1":"a","K2":1}', {"V": "x"}, 100)
    ks.produce("s", b'{"K1":"a","K2":null}', {"V": "y"}, 200)
    ks.produce("s", b"{}", {"V": "z"}, 300)
    ks.produce("s", None, {"V": "w"}, 400)
    ks.produce("s", b"null", {"V": "v"}, 500)
    assert ks.push("SELECT K1, K2, V, ROWTIME, ROWPARTITION, ROWOFFSET FROM S EMIT CHANGES;") == [
        ["a", 1, "x", 100, 0, 0],
        ["a", None, "y", 200, 0, 1],
        [None, None, "z", 300, 0, 2],
        [None, None, "w", 400, 0, 3],
        [None, None, "v", 500, 0, 4],
    ]


def test_should_add_pseudo_columns_and_time_windowed_row_key_columns_to_stream(ks: Streams) -> None:
    """shouldAddPseudoColumnsAndTimeWindowedRowKeyColumnsToStream / shouldReturnCorrectSchemaForWindowedSource
    Stream: a hopping key's window is its start and start + size; a record without key bytes has null key
    columns and bounds."""
    ks.sql(
        "CREATE STREAM W (K STRING KEY, V STRING) WITH (KAFKA_TOPIC='w', PARTITIONS=1, FORMAT='JSON', "
        "WINDOW_TYPE='HOPPING', WINDOW_SIZE='10 SECONDS');"
    )
    ks.produce("w", b'"a"' + (20000).to_bytes(8, "big"), {"V": "x"}, 100)
    ks.produce("w", None, {"V": "nullkey"}, 200)
    assert ks.push("SELECT K, WINDOWSTART, WINDOWEND, V, ROWTIME, ROWOFFSET FROM W EMIT CHANGES;") == [
        ["a", 20000, 30000, "x", 100, 0],
        [None, None, None, "nullkey", 200, 1],
    ]


def test_should_add_pseudo_columns_and_session_windowed_row_key_columns_to_stream(ks: Streams) -> None:
    """shouldAddPseudoColumnsAndSessionWindowedRowKeyColumnsToStream: a session key is the key, its end, then
    its start."""
    ks.sql(
        "CREATE STREAM SW (K STRING KEY, V STRING) WITH (KAFKA_TOPIC='sw', PARTITIONS=1, FORMAT='JSON', "
        "WINDOW_TYPE='SESSION');"
    )
    ks.produce("sw", b'"a"' + (30000).to_bytes(8, "big") + (20000).to_bytes(8, "big"), {"V": "x"}, 100)
    ks.produce("sw", None, {"V": "nullkey"}, 200)
    assert ks.push("SELECT K, WINDOWSTART, WINDOWEND, V FROM SW EMIT CHANGES;") == [
        ["a", 20000, 30000, "x"],
        [None, None, None, "nullkey"],
    ]


def test_windowed_table_skips_a_null_key(ks: Streams) -> None:
    """shouldAddRowTimeAndTimeWindowedRowKeyColumnsToLegacyTable's table: a windowed table source is a KTable,
    which skips the record without a key."""
    ks.sql(
        "CREATE TABLE WT (K STRING PRIMARY KEY, V STRING) WITH (KAFKA_TOPIC='wt', PARTITIONS=1, FORMAT='JSON', "
        "WINDOW_TYPE='TUMBLING', WINDOW_SIZE='1 SECOND');"
    )
    ks.produce("wt", b'"a"' + (0).to_bytes(8, "big"), {"V": "x"}, 100)
    ks.produce("wt", None, {"V": "nullkey"}, 200)
    assert ks.push("SELECT K, WINDOWSTART, WINDOWEND, V FROM WT EMIT CHANGES;") == [["a", 0, 1000, "x"]]


def test_should_build_stream_with_correct_timestamp_extractor(ks: Streams) -> None:
    """shouldBuildStreamWithCorrectTimestampExtractor: without a TIMESTAMP column ROWTIME is the record's."""
    ks.sql("CREATE STREAM S (K STRING KEY, V STRING) WITH (KAFKA_TOPIC='s', PARTITIONS=1, FORMAT='JSON');")
    ks.produce("s", b'"k"', {"V": "123"}, 789)
    assert ks.push("SELECT K, ROWTIME FROM S EMIT CHANGES;") == [["k", 789]]


def test_null_windowed_key_is_written_as_no_key(ks: Streams) -> None:
    """A row whose windowed key is null (no key bytes, or none at all: TimeWindowedDeserializer reads both as
    null) goes to a windowed sink without a key, as TimeWindowedSerializer serializes null."""
    ks.sql(
        "CREATE STREAM W (K STRING KEY, V STRING) WITH (KAFKA_TOPIC='w', PARTITIONS=1, FORMAT='JSON', "
        "WINDOW_TYPE='HOPPING', WINDOW_SIZE='10 SECONDS');"
    )
    ks.sql("CREATE STREAM O AS SELECT K, V, WINDOWSTART AS WS FROM W;")
    ks.produce("w", b'"a"' + (20000).to_bytes(8, "big"), {"V": "x"}, 100)
    ks.produce("w", None, {"V": "nullkey"}, 200)
    ks.produce("w", b"", {"V": "emptykey"}, 300)
    assert [(r.key, r.value) for r in ks.driver.records(ks.source("O").topic)] == [
        (b'"a"' + (20000).to_bytes(8, "big"), b'{"V":"x","WS":20000}'),
        (None, b'{"V":"nullkey","WS":null}'),
        (None, b'{"V":"emptykey","WS":null}'),
    ]
