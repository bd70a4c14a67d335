"""Kafka Streams 3.5.1's SessionWindowedKStreamImplTest (org.apache.kafka.streams.kstream.internals), as ksqlDB
0.29 session aggregations: `SessionWindows.ofInactivityGapWithNoGrace(500)` is `WINDOW SESSION (500
MILLISECONDS, GRACE PERIOD 0 MILLISECONDS)`, count() COUNT(*), the reducer and the TOSTRING_ADDER aggregator
with its "+" merger COLLECT_LIST (merged sessions' lists concatenated in store order, then the new value),
EMIT CHANGES or EMIT FINAL with the emit interval 0 as the Java test sets it.

Ported: shouldCountSessionWindowedWithCachingDisabled, shouldCountSessionWindowedWithCachingEnabled (the
records are the same with commit interval 0), shouldReduceWindowed, shouldAggregateSessionWindowed,
shouldMaterializeCount / shouldMaterializeReduced / shouldMaterializeAggregated as ksqlDB reads the store:
a pull query fetches one key (KsMaterializedSessionTable.get: SessionStore#fetch(key)), which reads no
session ending before the store's stream time (the largest session end, 600) - retention (gap + grace =
500) + 1 (AbstractRocksDBSegmentedBytesStore.getActualFrom); the Java test's fetch("1", "2") is a key-range
fetch, which has no such bound, and ksqlDB never makes it.
Skipped: shouldThrowNullPointerOn* (Java API null checks).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from ...conftest import pull_rows

DATA = [("1", "1", 10), ("1", "2", 15), ("1", "3", 600), ("2", "1", 600), ("2", "2", 599)]


@pytest.fixture(params=["CHANGES", "FINAL"])
def emit(request: pytest.FixtureRequest) -> str:
    return request.param


def _ks(make: Callable[..., Any], emit: str, props: dict[str, str] | None = None) -> Any:
    s = make(props)
    s.sql("CREATE STREAM S1 (K STRING KEY, V STRING) WITH (KAFKA_TOPIC='input', PARTITIONS=1, VALUE_FORMAT='JSON');")
    s.sql("CREATE TABLE T1 AS SELECT K, COUNT(*) AS N, COLLECT_LIST(V) AS L FROM S1 "
          f"WINDOW SESSION (500 MILLISECONDS, GRACE PERIOD 0 MILLISECONDS) GROUP BY K EMIT {emit};")  # fmt: skip
    for key, value, ts in DATA:
        s.pipe("input", key, {"V": value}, ts)
    return s


@pytest.mark.parametrize("cache", ["0", "10000000"], ids=["nocache", "cache"])
def test_count_reduce_aggregate_session_windowed(make: Any, emit: str, cache: str) -> None:
    """shouldCountSessionWindowed* / shouldReduceWindowed / shouldAggregateSessionWindowed."""
    ks = _ks(make, emit, {"ksql.streams.cache.max.bytes.buffering": cache})
    rows = [(k, None if v is None else (v["N"], v["L"]), ts) for k, v, ts in ks.out("T1")]
    if emit == "FINAL":
        assert rows == [(("1", 10, 15), (2, ["1", "2"]), 15)]
        return
    assert rows == [
        (("1", 10, 10), (1, ["1"]), 10),
        (("1", 10, 10), None, 10),
        (("1", 10, 15), (2, ["1", "2"]), 15),
        (("1", 600, 600), (1, ["3"]), 600),
        (("2", 600, 600), (1, ["1"]), 600),
        (("2", 600, 600), None, 600),
        (("2", 599, 600), (2, ["1", "2"]), 600),
    ]


def test_materialized_sessions(make: Any) -> None:
    """shouldMaterializeCount / shouldMaterializeReduced / shouldMaterializeAggregated, as a pull query
    reads them (module docstring): [10,15] has left the fetchable range."""
    ks = _ks(make, "CHANGES")
    sql = "SELECT K, WINDOWSTART, WINDOWEND, N, L FROM T1 WHERE K = '{}';"
    assert pull_rows(ks.engine, sql.format("1")) == [["1", 600, 600, 1, ["3"]]]
    assert pull_rows(ks.engine, sql.format("2")) == [["2", 599, 600, 2, ["1", "2"]]]
