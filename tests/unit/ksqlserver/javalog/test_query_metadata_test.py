"""ksqlDB 0.29's QueryMetadataTest (ksqldb-engine, io.confluent.ksql.util), its query-error cases:
QueryMetadataImpl.uncaughtHandler classifies what stopped the query's thread and keeps a QueryError
(timestamp, errorMessage: the stack trace, type) in a TimeBoundedQueue that `EXPLAIN <id>` and SHOW QUERIES
EXTENDED show as `queryErrors`.

Ported: shouldNotifyQueryStateListenerOnError, shouldNotifyQueryStateListenerOnErrorEvenIfClassifierFails,
shouldEvictBasedOnTime (the listener's notification is what the queue then shows), and the RetryEvent
back-off (shouldRetryEventRestartAndIncrementBackoffTime, shouldRetryEventRestartAndNotExceedBackoffMaxTime:
how long a query failed by a record waits before its restart). Not ported: the Kafka Streams lifecycle
(start, close, cleanUp) and the query logger's calls, which a user does not see."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ksqlserver.runtime.query import RetryBackoff
from ksqlserver.runtime.query_errors import SYSTEM, UNKNOWN, USER, QueryError, QueryErrors

if TYPE_CHECKING:
    from conftest import LogEngine

SOURCE = (
    "CREATE STREAM SRC (K STRING KEY, TS STRING) WITH (KAFKA_TOPIC='src', PARTITIONS=1, FORMAT='JSON', "
    "TIMESTAMP='TS', TIMESTAMP_FORMAT='yyyy-MM-dd');"
)
FAILING = {"ksql.timestamp.throw.on.invalid": "true"}


def failed_query(le: LogEngine) -> str:
    """A query whose thread dies: a timestamp that cannot be parsed with ksql.timestamp.throw.on.invalid."""
    le.sql(SOURCE)
    le.sql("CREATE STREAM OUT AS SELECT * FROM SRC;", FAILING)
    le.produce("src", b'"b"', {"TS": "not a date"}, 6)
    return le.query_ids()[0]


def test_should_notify_query_state_listener_on_error() -> None:
    """shouldNotifyQueryStateListenerOnError: the classifier's type is the error's."""
    errors = QueryErrors(lambda e: USER)
    errors.record(RuntimeError("oops"))
    assert [e.type for e in errors.errors()] == [USER]


def test_should_notify_query_state_listener_on_error_even_if_classifier_fails() -> None:
    """shouldNotifyQueryStateListenerOnErrorEvenIfClassifierFails: the error is kept, as UNKNOWN."""

    def broken(e: object) -> str:
        raise RuntimeError("bar")

    errors = QueryErrors(broken)
    errors.record(RuntimeError("foo"))
    [error] = errors.errors()
    assert error.type == UNKNOWN
    assert error.error_message.startswith("java.lang.RuntimeException: foo")


def test_should_evict_based_on_time() -> None:
    """shouldEvictBasedOnTime: a queue with no duration keeps nothing."""
    errors = QueryErrors(capacity=1, duration_ms=0)
    errors.record(RuntimeError("test"))
    assert errors.errors() == []


def test_the_queue_keeps_the_last_errors_of_the_last_hour() -> None:
    """TimeBoundedQueue(Duration.ofHours(1), ksql.query.error.max.queue.size): an EvictingQueue drops the
    oldest past its capacity; an error an hour old is gone."""
    now = [1_000_000_000]
    errors = QueryErrors(capacity=2, clock=lambda: now[0])
    for text in ("a", "b", "c"):
        errors.record(RuntimeError(text))
        now[0] += 1000
    assert [e.error_message.split("\n")[0] for e in errors.errors()] == [
        "java.lang.RuntimeException: b",
        "java.lang.RuntimeException: c",
    ]
    now[0] += 3_600_000
    assert errors.errors() == []


def test_query_errors_in_explain_and_show_queries_extended(le: LogEngine) -> None:
    """The failed query's QueryDescription lists its QueryError: the StreamsException Kafka Streams'
    RecordQueue.updateHead throws, caused by the formatter's DateTimeParseException, classified UNKNOWN (no
    user-error classifier knows either); the stack trace lists the exception and its causes."""
    query_id = failed_query(le)
    [error] = le.described(query_id)["queryErrors"]
    assert list(error) == ["timestamp", "errorMessage", "type"]  # QueryError's creator order
    assert error["type"] == UNKNOWN
    assert isinstance(error["timestamp"], int) and error["timestamp"] > 0
    lines = error["errorMessage"].splitlines()
    assert lines[0].startswith(
        "org.apache.kafka.streams.errors.StreamsException: Fatal user code error in TimestampExtractor callback"
    )
    assert lines[-1] == "Caused by: java.time.format.DateTimeParseException: Text 'not a date' could not be parsed at index 0"
    [extended] = le.sql("SHOW QUERIES EXTENDED;")
    [described] = extended["queryDescriptions"]
    assert described["queryErrors"] == [error]


def test_a_running_query_has_no_errors(le: LogEngine) -> None:
    """A query that did not fail shows an empty list, as does EXPLAIN of a statement (no query runs)."""
    le.sql(SOURCE)
    le.sql("CREATE STREAM OUT AS SELECT * FROM SRC;")
    le.produce("src", b'"b"', {"TS": "not a date"}, 6)
    assert le.described(le.query_ids()[0])["queryErrors"] == []
    [explained] = le.sql("EXPLAIN SELECT * FROM SRC EMIT CHANGES;")
    assert explained["queryDescription"]["queryErrors"] == []


def test_the_queue_size_is_configured(make_log: Callable[..., LogEngine]) -> None:
    """ksql.query.error.max.queue.size 0: QueryMetadataImpl keeps no error (an EvictingQueue of 0)."""
    le = make_log({"ksql.query.error.max.queue.size": "0"})
    assert le.described(failed_query(le))["queryErrors"] == []


def test_query_error_json() -> None:
    """QueryError's JSON: timestamp, errorMessage, type."""
    assert QueryError(5, "m", SYSTEM).to_json() == {"timestamp": 5, "errorMessage": "m", "type": "SYSTEM"}


def test_retry_event_backs_off() -> None:
    """shouldRetryEventRestartAndIncrementBackoffTime / ...NotExceedBackoffMaxTime: each wait doubles the
    last (the first is twice ksql.query.retry.backoff.initial.ms), up to ksql.query.retry.backoff.max.ms."""
    backoff = RetryBackoff(100, 700)
    assert [backoff.next_ms() for _ in range(5)] == [200, 400, 700, 700, 700]
    assert backoff.retries == 5


def test_the_backoff_is_configured(make_log: Callable[..., LogEngine]) -> None:
    """The query's retry waits come from its properties (RetryEvent's base and maximum)."""
    le = make_log({"ksql.query.retry.backoff.initial.ms": "10", "ksql.query.retry.backoff.max.ms": "30"})
    le.sql(SOURCE)
    le.sql("CREATE STREAM OUT AS SELECT * FROM SRC;")
    [query] = le.engine.state.persistent.values()
    assert [query.retry_backoff.next_ms() for _ in range(3)] == [20, 30, 30]
