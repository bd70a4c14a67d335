"""ksqlDB 0.29's LoggingTimestampExtractorTest (io.confluent.ksql.execution.streams.timestamp).

LoggingTimestampExtractor.handleFailure logs a RecordProcessingError "Failed to extract timestamp from row"
whose cause is the failure, and (ksql.timestamp.throw.on.invalid false, the default) returns -1, a timestamp
Kafka Streams skips the record for: the query goes on with the next record."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import Streams

MESSAGE = "Failed to extract timestamp from row"


def timestamped(make_streams: Callable[..., Streams]) -> Streams:
    ks = make_streams(processing_log=True)
    ks.sql(
        "CREATE STREAM SRC (K STRING KEY, TS STRING, N BIGINT) WITH (KAFKA_TOPIC='src', PARTITIONS=1, "
        "FORMAT='JSON', TIMESTAMP='TS', TIMESTAMP_FORMAT='yyyy-MM-dd');"
    )
    ks.sql("CREATE STREAM OUT AS SELECT * FROM SRC;")
    return ks


def test_should_log_exceptions_and_not_fail_on_extract_from_row(make_streams: Callable[..., Streams]) -> None:
    """shouldLogExceptionsAndNotFailOnExtractFromRow / ...FromRecord: the bad record is logged with the
    message and its cause, and skipped; the records around it go through."""
    ks = timestamped(make_streams)
    ks.produce("src", b'"a"', {"TS": "1970-01-02", "N": 1}, 5)
    ks.produce("src", b'"b"', {"TS": "not a date", "N": 2}, 6)
    ks.produce("src", b'"c"', {"TS": "1970-01-03", "N": 3}, 7)
    assert [(k, ts) for k, _, ts in ks.records("OUT")] == [("a", 86_400_000), ("c", 172_800_000)]
    [log] = ks.processing_log()
    assert log["type"] == 1
    error = log["recordProcessingError"]
    assert error["errorMessage"] == MESSAGE
    assert error["cause"] == ["Text 'not a date' could not be parsed at index 0"]


def test_should_log_exceptions_and_not_fail_on_extract_from_record_with_null_key_and_value(
    make_streams: Callable[..., Streams],
) -> None:
    """shouldLogExceptionsAndNotFailOnExtractFromRecordWithNullKeyAndValue: a record without key or value
    cannot give its timestamp column: logged and skipped."""
    ks = timestamped(make_streams)
    ks.produce("src", None, None, 5)
    ks.produce("src", b'"c"', {"TS": "1970-01-03", "N": 3}, 7)
    assert [k for k, _, _ in ks.records("OUT")] == ["c"]
    [log] = ks.processing_log()
    assert log["recordProcessingError"]["errorMessage"] == MESSAGE


def test_a_null_string_timestamp_is_logged(make_streams: Callable[..., Streams]) -> None:
    """StringTimestampExtractor hands a null column to DateTimeFormatter.parse, whose
    requireNonNull(text, "text") fails: the cause is "text"."""
    ks = timestamped(make_streams)
    ks.produce("src", b'"a"', {"TS": None, "N": 1}, 5)
    assert ks.records("OUT") == []
    [log] = ks.processing_log()
    assert log["recordProcessingError"]["errorMessage"] == MESSAGE
    assert log["recordProcessingError"]["cause"] == ["text"]


def test_should_log_exceptions_and_fail_on_extract_from_row(make_streams: Callable[..., Streams]) -> None:
    """shouldLogExceptionsAndFailOnExtractFromRow / ...FromRecord: with ksql.timestamp.throw.on.invalid the
    failure is logged and then thrown: the query stops at that record (Kafka Streams' thread dies), so the
    next record never reaches the sink."""
    ks = make_streams({"ksql.timestamp.throw.on.invalid": "true"}, processing_log=True)
    ks.sql(
        "CREATE STREAM SRC (K STRING KEY, TS STRING) WITH (KAFKA_TOPIC='src', PARTITIONS=1, FORMAT='JSON', "
        "TIMESTAMP='TS', TIMESTAMP_FORMAT='yyyy-MM-dd');"
    )
    ks.sql("CREATE STREAM OUT AS SELECT * FROM SRC;")
    ks.produce("src", b'"b"', {"TS": "not a date"}, 6)
    ks.produce("src", b'"c"', {"TS": "1970-01-03"}, 7)
    # the record's error, then the thread's (PersistentQueryMetadataImpl.uncaughtHandler logs a
    # KafkaStreamsThreadError, type 4)
    logged = ks.processing_log()
    assert [m["type"] for m in logged] == [1, 4]
    assert logged[0]["recordProcessingError"]["errorMessage"] == MESSAGE
    assert ks.records("OUT") == []


def test_the_failed_query_stays_running_with_its_error(make_streams: Callable[..., Streams]) -> None:
    """KafkaStreams' RecordQueue.updateHead wraps the rethrown failure in a StreamsException ("Fatal user code
    error in TimestampExtractor callback for record ..."): the query's thread dies and the query stops
    writing, though SHOW QUERIES and EXPLAIN still list it RUNNING (QueryMetadataImpl's uncaught handler
    answers REPLACE_THREAD, so KafkaStreams never enters ERROR) with the failure in its queryErrors; without
    the property the same record is skipped and the query goes on."""
    ks = make_streams({"ksql.timestamp.throw.on.invalid": "true"}, processing_log=True)
    ks.sql(
        "CREATE STREAM SRC (K STRING KEY, TS STRING) WITH (KAFKA_TOPIC='src', PARTITIONS=1, FORMAT='JSON', "
        "TIMESTAMP='TS', TIMESTAMP_FORMAT='yyyy-MM-dd');"
    )
    ks.sql("CREATE STREAM OUT AS SELECT * FROM SRC;")
    ks.sql("CREATE STREAM OUT2 WITH (PARTITIONS=1) AS SELECT * FROM SRC;", {"ksql.timestamp.throw.on.invalid": "false"})
    ks.produce("src", b'"b"', {"TS": "not a date"}, 6)
    ks.produce("src", b'"c"', {"TS": "1970-01-03"}, 7)
    [listed] = ks.sql("SHOW QUERIES;")
    states = {q["sinks"][0]: q["state"] for q in listed["queries"]}
    assert states == {"OUT": "RUNNING", "OUT2": "RUNNING"}
    failed = next(q["id"] for q in listed["queries"] if q["sinks"] == ["OUT"])
    [explained] = ks.sql(f"EXPLAIN {failed};")
    assert explained["queryDescription"]["state"] == "RUNNING"
    assert explained["queryDescription"]["queryErrors"][0]["type"] == "UNKNOWN"
    assert ks.records("OUT") == []
    assert [k for k, _, _ in ks.records("OUT2")] == ["c"]
