"""The status of a persistent query whose stream thread died (ksqlDB 0.29, its default non-shared runtime):
QueryMetadataImpl.getQueryStatus is PAUSED for a paused query, else KsqlConstants.fromStreamsState, ERROR only
when the KafkaStreams client is in state ERROR. QueryMetadataImpl.uncaughtHandler records the QueryError,
backs off (RetryEvent) and answers REPLACE_THREAD, and Kafka Streams 3.5's KafkaStreams.replaceStreamThread
adds a new thread without leaving its state: SHOW QUERIES, SHOW QUERIES EXTENDED, DESCRIBE <sink> EXTENDED
and EXPLAIN keep showing RUNNING, and the failure is seen in queryErrors (and in the processing log). The
config ksql.query.status.running.threshold.seconds is read by nothing in 0.29."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from conftest import LogEngine, RefusingRegistry

SOURCE = "CREATE STREAM SRC (K STRING KEY, S STRING, N INT) WITH (KAFKA_TOPIC='src', PARTITIONS=1, FORMAT='JSON');"


def failed(make_log: Callable[..., LogEngine], registry: RefusingRegistry) -> LogEngine:
    """A query whose sink serializer fails (the registry refuses its schema): its thread dies."""
    le = make_log({}, registry)
    le.sql(SOURCE)
    le.sql("CREATE STREAM OUT WITH (VALUE_FORMAT='AVRO') AS SELECT * FROM SRC;")
    registry.refuse = True
    le.produce("src", b'"a"', {"S": "some", "N": 7}, 5)
    return le


def test_show_queries_lists_it_running(make_log: Callable[..., LogEngine], refusing_registry: Any) -> None:
    """ListQueriesExecutor: the RunningQuery's state and statusCount come from getQueryStatus."""
    le = failed(make_log, refusing_registry)
    [listed] = le.sql("SHOW QUERIES;")
    [query] = listed["queries"]
    assert (query["state"], query["statusCount"]) == ("RUNNING", {"RUNNING": 1})
    assert le.values("OUT") == []


def test_extended_descriptions_show_running_and_the_error(
    make_log: Callable[..., LogEngine], refusing_registry: Any
) -> None:
    """QueryDescriptionFactory: state RUNNING (no host reports ERROR) beside the queryErrors."""
    le = failed(make_log, refusing_registry)
    [query_id] = le.query_ids()
    described = le.described(query_id)
    assert described["state"] == "RUNNING"
    assert [e["type"] for e in described["queryErrors"]] == ["USER"]
    [extended] = le.sql("SHOW QUERIES EXTENDED;")
    [description] = extended["queryDescriptions"]
    assert description["state"] == "RUNNING"
    assert description["queryErrors"] == described["queryErrors"]
    [source] = le.sql("DESCRIBE OUT EXTENDED;")
    [writer] = source["sourceDescription"]["writeQueries"]
    assert writer["state"] == "RUNNING"


def test_a_paused_failed_query_is_paused(make_log: Callable[..., LogEngine], refusing_registry: Any) -> None:
    """getQueryStatus: PAUSED first, whatever KafkaStreams' state."""
    le = failed(make_log, refusing_registry)
    [query_id] = le.query_ids()
    le.sql(f"PAUSE {query_id};")
    assert le.described(query_id)["state"] == "PAUSED"
    le.sql(f"RESUME {query_id};")
    assert le.described(query_id)["state"] == "RUNNING"
