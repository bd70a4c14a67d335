"""ksqlDB 0.29's MetadataTimestampExtractorTest (io.confluent.ksql.execution.streams.timestamp), and the
`default.timestamp.extractor` it delegates to.

A source without a TIMESTAMP column gets TimestampExtractionPolicyFactory.create's
MetadataTimestampExtractionPolicy, built over getDefaultTimestampExtractor: the Streams config's
`default.timestamp.extractor` (settable as `ksql.streams.default.timestamp.extractor`), FailOnInvalidTimestamp
when unset. MetadataTimestampExtractor.extract(record, previousTimestamp) hands every record to it, and
TimestampExtractionPolicy.create wraps it in a LoggingTimestampExtractor: what the extractor throws is
logged ("Failed to extract timestamp from row") and the record skipped (or, with
ksql.timestamp.throw.on.invalid, the query fails); a negative timestamp it returns makes Kafka Streams'
RecordQueue drop the record. The mocks of the Java test become records with chosen timestamps."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from ksqlserver.errors import KsqlError

if TYPE_CHECKING:
    from conftest import Streams

PACKAGE = "org.apache.kafka.streams.processor."
MESSAGE = "Failed to extract timestamp from row"
FAIL_TAIL = (
    " has invalid (negative) timestamp. Possibly because a pre-0.10 producer client was used to write this "
    "record to Kafka without embedding a timestamp, or because the input topic was created before upgrading "
    "the Kafka cluster to 0.10+. Use a different TimestampExtractor to process this data."
)


def passthrough(ks: Streams, props: dict[str, str] | None = None) -> None:
    ks.sql("CREATE STREAM SRC (K STRING KEY, V INT) WITH (KAFKA_TOPIC='src', PARTITIONS=1, FORMAT='JSON');")
    ks.sql("CREATE STREAM OUT AS SELECT * FROM SRC;", props)


def extractor(name: str) -> dict[str, str]:
    return {"ksql.streams.default.timestamp.extractor": PACKAGE + name}


def test_should_call_internal_timestamp_extractor_on_extract(ks: Streams) -> None:
    """shouldCallInternalTimestampExtractorOnExtract: each record's ROWTIME is what the delegate
    (FailOnInvalidTimestamp) extracts, its metadata timestamp."""
    passthrough(ks)
    ks.produce("src", b'"a"', {"V": 1}, 17)
    ks.produce("src", b'"b"', {"V": 2}, 5)
    assert ks.records("OUT") == [("a", {"V": 1}, 17), ("b", {"V": 2}, 5)]
    assert ks.push("SELECT K, ROWTIME FROM SRC EMIT CHANGES;") == [["a", 17], ["b", 5]]


def test_a_negative_timestamp_fails_the_default_extractor(make_streams: Callable[..., Streams]) -> None:
    """FailOnInvalidTimestamp.onInvalidTimestamp throws a StreamsException naming the ConsumerRecord;
    LoggingTimestampExtractor.handleFailure logs it (the key and value in the record text) and returns -1, so
    the record is skipped and the query goes on."""
    ks = make_streams(processing_log=True)
    passthrough(ks)
    ks.produce("src", b'"a"', {"V": 1}, -1)
    ks.produce("src", b'"b"', {"V": 2}, 7)
    assert ks.records("OUT") == [("b", {"V": 2}, 7)]
    [log] = ks.processing_log()
    error = log["recordProcessingError"]
    assert error["errorMessage"] == MESSAGE
    [cause] = error["cause"]
    assert cause.startswith("Input record ConsumerRecord(topic = src, partition = 0, ")
    assert ", CreateTime = -1, " in cause
    assert cause.endswith(FAIL_TAIL)
    [listed] = ks.sql("SHOW QUERIES;")
    assert [q["state"] for q in listed["queries"]] == ["RUNNING"]


def test_a_negative_timestamp_fails_the_query_when_throw_on_invalid(make_streams: Callable[..., Streams]) -> None:
    """LoggingTimestampExtractor with failOnError (ksql.timestamp.throw.on.invalid): logged, then rethrown,
    which kills the stream thread; ksqlDB's uncaught-exception handler replaces it (REPLACE_THREAD), so the
    query stays RUNNING (QueryMetadataImpl.getQueryStatus) and the next record is not processed."""
    ks = make_streams({"ksql.timestamp.throw.on.invalid": "true"}, processing_log=True)
    passthrough(ks)
    ks.produce("src", b'"a"', {"V": 1}, -1)
    ks.produce("src", b'"b"', {"V": 2}, 7)
    assert ks.records("OUT") == []
    assert ks.processing_log()[0]["recordProcessingError"]["errorMessage"] == MESSAGE
    [listed] = ks.sql("SHOW QUERIES;")
    assert [q["state"] for q in listed["queries"]] == ["RUNNING"]


def test_log_and_skip_drops_a_negative_timestamp_silently(make_streams: Callable[..., Streams]) -> None:
    """LogAndSkipOnInvalidTimestamp.onInvalidTimestamp returns the negative timestamp (a WARN in the
    application log, nothing thrown, so nothing in the processing log): RecordQueue drops the record."""
    ks = make_streams(processing_log=True)
    passthrough(ks, extractor("LogAndSkipOnInvalidTimestamp"))
    ks.produce("src", b'"a"', {"V": 1}, -1)
    ks.produce("src", b'"b"', {"V": 2}, 7)
    assert ks.records("OUT") == [("b", {"V": 2}, 7)]
    assert ks.processing_log() == []


def test_use_partition_time_retimes_a_negative_timestamp(make_streams: Callable[..., Streams]) -> None:
    """UsePartitionTimeOnInvalidTimestamp: a negative timestamp becomes the partition time (the highest
    valid timestamp of the partition so far); with none yet it throws "Could not infer new timestamp for
    input record ... because partition time is unknown.", which is logged and the record skipped."""
    ks = make_streams(processing_log=True)
    passthrough(ks, extractor("UsePartitionTimeOnInvalidTimestamp"))
    ks.produce("src", b'"a"', {"V": 1}, -1)
    ks.produce("src", b'"b"', {"V": 2}, 30)
    ks.produce("src", b'"c"', {"V": 3}, 10)
    ks.produce("src", b'"d"', {"V": 4}, -5)
    assert ks.records("OUT") == [("b", {"V": 2}, 30), ("c", {"V": 3}, 10), ("d", {"V": 4}, 30)]
    [log] = ks.processing_log()
    [cause] = log["recordProcessingError"]["cause"]
    assert cause.startswith("Could not infer new timestamp for input record ConsumerRecord(topic = src, ")
    assert cause.endswith(" because partition time is unknown.")


def test_wallclock_extractor_uses_processing_time(ks: Streams) -> None:
    """WallclockTimestampExtractor: ROWTIME is the time the record is processed, whatever its own."""
    passthrough(ks, extractor("WallclockTimestampExtractor"))
    before = int(time.time() * 1000)
    ks.produce("src", b'"a"', {"V": 1}, 5)
    ks.produce("src", b'"b"', {"V": 2}, -1)
    after = int(time.time() * 1000)
    stamps = [ts for _, _, ts in ks.records("OUT")]
    assert len(stamps) == 2 and all(before <= ts <= after for ts in stamps)


def test_the_extractor_can_be_set_for_the_session(ks: Streams) -> None:
    """The property resolves with or without its `ksql.streams.` prefix (KsqlConfig.resolveStreamsConfig),
    and SET carries it to later queries."""
    ks.sql("CREATE STREAM SRC (K STRING KEY, V INT) WITH (KAFKA_TOPIC='src', PARTITIONS=1, FORMAT='JSON');")
    ks.sql(
        "CREATE STREAM OUT AS SELECT * FROM SRC;",
        {"default.timestamp.extractor": PACKAGE + "UsePartitionTimeOnInvalidTimestamp"},
    )
    ks.produce("src", b'"a"', {"V": 1}, 40)
    ks.produce("src", b'"b"', {"V": 2}, -1)
    assert [ts for _, _, ts in ks.records("OUT")] == [40, 40]


def test_a_timestamp_column_is_not_read_by_the_metadata_extractor(ks: Streams) -> None:
    """TimestampExtractionPolicyFactory.create: with a TIMESTAMP column the default extractor is not used
    (a column policy), so even WallclockTimestampExtractor leaves ROWTIME to the column."""
    ks.sql(
        "CREATE STREAM SRC (K STRING KEY, T BIGINT) WITH (KAFKA_TOPIC='src', PARTITIONS=1, FORMAT='JSON', "
        "TIMESTAMP='T');"
    )
    ks.sql("CREATE STREAM OUT AS SELECT * FROM SRC;", extractor("WallclockTimestampExtractor"))
    ks.produce("src", b'"a"', {"T": 123}, -1)
    assert ks.records("OUT") == [("a", {"T": 123}, 123)]


def test_an_aggregate_skips_a_record_the_extractor_refuses(make_streams: Callable[..., Streams]) -> None:
    """The source's extractor runs before the GROUP BY's repartition: a skipped record is not counted."""
    ks = make_streams(processing_log=True)
    ks.sql("CREATE STREAM SRC (K STRING KEY, G STRING) WITH (KAFKA_TOPIC='src', PARTITIONS=1, FORMAT='JSON');")
    ks.sql("CREATE TABLE CNT AS SELECT G, COUNT(*) AS N FROM SRC GROUP BY G;")
    ks.produce("src", b'"a"', {"G": "x"}, 3)
    ks.produce("src", b'"b"', {"G": "x"}, -1)
    ks.produce("src", b'"c"', {"G": "x"}, 4)
    assert ks.pull("SELECT * FROM CNT WHERE G = 'x';") == [["x", 2]]
    assert len(ks.processing_log()) == 1


def test_a_join_skips_a_stream_record_the_extractor_refuses(ks: Streams) -> None:
    """Each of a join's sources has its own extractor (SourceBuilderUtils.buildSourceConsumed)."""
    ks.sql("CREATE TABLE T (ID STRING PRIMARY KEY, NAME STRING) WITH (KAFKA_TOPIC='t', PARTITIONS=1, FORMAT='JSON');")
    ks.sql("CREATE STREAM S (ID STRING KEY, V INT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, FORMAT='JSON');")
    ks.sql("CREATE STREAM J AS SELECT S.ID, V, NAME FROM S JOIN T ON S.ID = T.ID;")
    ks.produce("t", b'"a"', {"NAME": "x"}, 1)
    ks.produce("s", b'"a"', {"V": 1}, -1)
    ks.produce("s", b'"a"', {"V": 2}, 5)
    assert ks.records("J") == [("a", {"V": 2, "NAME": "x"}, 5)]


def test_an_unknown_extractor_class_is_refused(ks: Streams) -> None:
    """ConfigDef.parseType of a CLASS value: Class.forName must find it (ConfigException's message)."""
    with pytest.raises(KsqlError) as err:
        ks.sql("SET 'ksql.streams.default.timestamp.extractor'='com.example.Nope';")
    assert err.value.message == (
        "Invalid value com.example.Nope for configuration default.timestamp.extractor: "
        "Class com.example.Nope could not be found."
    )


def test_insert_values_refuses_a_negative_rowtime(ks: Streams) -> None:
    """InsertValuesExecutor.buildRecord: the ProducerRecord constructor refuses a negative timestamp
    ("Invalid timestamp: -1. Timestamp should always be non-negative or null."), prefixed with
    createInsertFailedExceptionMessage."""
    ks.sql("CREATE STREAM SRC (K STRING KEY, V INT) WITH (KAFKA_TOPIC='src', PARTITIONS=1, FORMAT='JSON');")
    assert ks.message("INSERT INTO SRC (ROWTIME, K, V) VALUES (-1, 'a', 1);") == (
        "Failed to insert values into 'SRC'. Invalid timestamp: -1. Timestamp should always be non-negative or null."
    )
    assert ks.driver.records("src") == []


def test_insert_values_refuses_a_null_rowtime(ks: Streams) -> None:
    """GenericRecordFactory.build: `(long) values.getOrDefault(ROWTIME, clock)` unboxes the NULL the
    statement gave (a NullPointerException, JDK 17's message), which InsertValuesExecutor.buildRecord reports
    after its prefix; without ROWTIME the record is stamped with the current time."""
    ks.sql("CREATE STREAM SRC (K STRING KEY, V INT) WITH (KAFKA_TOPIC='src', PARTITIONS=1, FORMAT='JSON');")
    assert ks.message("INSERT INTO SRC (ROWTIME, K, V) VALUES (NULL, 'a', 1);") == (
        "Failed to insert values into 'SRC'. Cannot invoke \"java.lang.Long.longValue()\" because the return "
        "value of \"java.util.Map.getOrDefault(Object, Object)\" is null"
    )
    before = int(time.time() * 1000)
    ks.sql("INSERT INTO SRC (K, V) VALUES ('a', 1);")
    [rec] = ks.driver.records("src")
    assert before <= rec.timestamp <= int(time.time() * 1000)


def test_a_stream_pull_query_has_the_extractor_too(ks: Streams) -> None:
    """A pull query on a stream runs a transient Kafka Streams topology over the topic
    (EngineExecutor.executeStreamPullQuery): the same source extractor times its records."""
    ks.sql("CREATE STREAM SRC (K STRING KEY, V INT) WITH (KAFKA_TOPIC='src', PARTITIONS=1, FORMAT='JSON');")
    ks.produce("src", b'"b"', {"V": 2}, 7)
    ks.produce("src", b'"a"', {"V": 1}, -1)
    q = ks.engine.start_query("SELECT K, ROWTIME FROM SRC;", extractor("UsePartitionTimeOnInvalidTimestamp"))
    try:
        ks.engine.drain()  # the synchronous engine runs the scan when drained
        rows = []
        while not q.done:
            rows.extend(q.poll(0.2))
    finally:
        q.close()
    assert rows == [["b", 7], ["a", 7]]
