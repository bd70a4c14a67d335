"""Each persistent KSQL query of a finished pipeline run, replayed on its own input: records/s.

The pipeline's queries run while their input trickles in, so their rate in the run is the rate of their
input. What a user's query costs is measured here: after the notebooks, each persistent query of the
server (`SHOW QUERIES`) runs again, the same statement (same SQL, functions, formats, server), into a fresh
sink over the full input topic the pipeline left behind, from the earliest offset; records/s counts its
input records from the statement until the sink holds as many records as the pipeline's own sink. The
benchmark that measures the same kind of query is named beside it (`benchmark`).
"""

from __future__ import annotations

import contextlib
import re
import time
import uuid
from typing import Any

import httpx
from confluent_kafka import Consumer, TopicPartition

_SINK = re.compile(r"^\s*CREATE\s+(STREAM|TABLE)\s+(?:IF\s+NOT\s+EXISTS\s+)?([`\w]+)", re.IGNORECASE)
_TOPIC = re.compile(r"KAFKA_TOPIC\s*=\s*'[^']*'", re.IGNORECASE)
_FROM = re.compile(r"\bFROM\s+([`\w]+)", re.IGNORECASE)
# SHOW QUERIES' queryString is the statement as the injectors left it (TopicCreateInjector adds CLEANUP_POLICY),
# which ksqlDB refuses in a CREATE ... AS SELECT sent again ("Invalid config variable in the WITH clause")
_CLEANUP = re.compile(r"CLEANUP_POLICY\s*=\s*'[^']*'\s*,\s*", re.IGNORECASE)


def benchmark_for(sql: str) -> str:
    """The benchmark measuring this kind of query."""
    upper = sql.upper()
    if "ANOMALY_SCORE" in upper:
        return "ksql_udf_scoring"
    if "WINDOW" in upper:
        return "ksql_windowed"
    if re.search(r"\bJOIN\b", upper):
        return "ksql_join"
    if "GROUP BY" in upper:
        return "ksql_windowed"
    return "ksql_throughput"


def ksql(url: str, statement: str, properties: dict[str, str] | None = None) -> list[dict[str, Any]]:
    response = httpx.post(url + "/ksql", json={"ksql": statement, "streamsProperties": properties or {}},
                          timeout=120)  # fmt: skip
    response.raise_for_status()
    return list(response.json())


def topic_records(consumer: Consumer, topic: str) -> int:
    """Records in `topic` (high minus low watermarks over its partitions); 0 when it does not exist."""
    meta = consumer.list_topics(topic, timeout=10).topics.get(topic)
    if meta is None or meta.error is not None:
        return 0
    total = 0
    for p in meta.partitions:
        low, high = consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=10, cached=False)
        total += high - low
    return total


def replay(url: str, consumer: Consumer, query: dict[str, Any], timeout_s: float) -> dict[str, Any] | None:
    """One persistent query again into a fresh sink: its rate, or None when it is not a CSAS/CTAS."""
    sql = query.get("queryString") or ""
    sink_match, source_match = _SINK.match(sql), _FROM.search(sql)
    sinks = query.get("sinkKafkaTopics") or []
    if sink_match is None or source_match is None or not sinks:
        return None
    kind, name = sink_match.group(1).upper(), sink_match.group(2)
    source = source_match.group(1)
    described = ksql(url, f"DESCRIBE {source};")[0].get("sourceDescription", {})
    inputs = topic_records(consumer, described.get("topic", ""))
    expected = topic_records(consumer, sinks[0])
    new = f"REPLAY_{uuid.uuid4().hex[:8].upper()}"
    statement = _CLEANUP.sub("", _SINK.sub(f"CREATE {kind} {new}", sql, count=1), count=1)
    topic = new.lower()
    statement = _TOPIC.sub(f"KAFKA_TOPIC='{topic}'", statement, count=1) if _TOPIC.search(statement) else statement
    start = time.perf_counter()
    try:
        ksql(url, statement, {"ksql.streams.auto.offset.reset": "earliest"})
    except httpx.HTTPStatusError as exc:  # one query the server refuses to replay does not lose the run's figures
        return {"query": query.get("id"), "sink": name, "benchmark": benchmark_for(sql),
                "error": f"{exc.response.status_code}: {exc.response.text[:300]}"}
    seen, deadline = 0, time.monotonic() + timeout_s
    changed, last = time.monotonic(), 0
    # a query whose output count differs from the pipeline's sink (a table's updates, a filter on state)
    # stops making progress: 20 s without a new record ends the wait (reported incomplete)
    while seen < expected and time.monotonic() < deadline and time.monotonic() - changed < 20:
        time.sleep(0.05)
        seen = topic_records(consumer, topic)
        if seen != last:
            changed, last = time.monotonic(), seen
    seconds = time.perf_counter() - start
    with contextlib.suppress(httpx.HTTPError):
        ksql(url, f"DROP {kind} {new} DELETE TOPIC;")
    done = seen >= expected
    return {
        "query": query.get("id"),
        "sink": name,
        "benchmark": benchmark_for(sql),
        "input_records": inputs,
        "output_records": seen,
        "seconds": round(seconds, 3),
        "complete": done,
        "records_per_s": round(inputs / seconds, 1) if done and seconds > 0 else None,
    }


def query_rates(url: str, bootstrap: str, timeout_s: float = 600.0) -> list[dict[str, Any]]:
    """Every persistent query of the server at `url`, replayed one at a time."""
    queries = ksql(url, "SHOW QUERIES;")[0].get("queries", [])
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": f"replay-{uuid.uuid4().hex[:8]}"})
    try:
        results = [replay(url, consumer, q, timeout_s) for q in queries if q.get("queryType") == "PERSISTENT"]
    finally:
        consumer.close()
    return [r for r in results if r is not None]
