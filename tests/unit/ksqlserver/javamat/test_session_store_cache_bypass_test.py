"""ksqlDB 0.29's SessionStoreCacheBypassTest (io.confluent.ksql.execution.streams.materialization.ks).

KsMaterializedSessionTable reads a session store through SessionStoreCacheBypass: fetch (one key,
shouldCallUnderlyingStoreSingleKey) and fetchRange (shouldCallUnderlyingStoreRangeQuery) on the innermost
SessionStore, below the caching layer: a session pull query sees what the record cache has flushed. A
session table has no table scan (KsMaterializedSessionTable.get(partition, ...) throws "Table scan
unsupported on session tables"), so a key range, which reads every partition as a scan, fails too."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from conftest import Streams

SCAN = "Table scan unsupported on session tables"
CACHED = {"ksql.streams.cache.max.bytes.buffering": "10000000", "ksql.streams.commit.interval.ms": "100000"}


@pytest.fixture
def ks(ks: Streams) -> Streams:
    ks.sql("CREATE STREAM S (K STRING KEY, V INT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, FORMAT='JSON');")
    ks.sql("CREATE TABLE X AS SELECT K, COUNT(*) AS C FROM S WINDOW SESSION (5 SECONDS) GROUP BY K;")
    ks.insert("S", *({"K": k, "V": 1, "ROWTIME": ts} for k, ts in [("a", 1000), ("a", 3000), ("a", 20000), ("b", 2000)]))
    return ks


def test_should_call_underlying_store_single_key(ks: Streams) -> None:
    """fetch(store, key): the key's sessions, bounds applied to their start and end."""
    assert ks.pull("SELECT K, WINDOWSTART, WINDOWEND, C FROM X WHERE K = 'a';") == [
        ["a", 1000, 3000, 2],
        ["a", 20000, 20000, 1],
    ]
    assert ks.pull("SELECT K, WINDOWSTART FROM X WHERE K = 'a' AND WINDOWEND > 5000;") == [["a", 20000]]


def test_should_call_underlying_store_for_several_keys(ks: Streams) -> None:
    """Several keys: each key's sessions (fetch per KeyConstraint)."""
    assert sorted(ks.pull("SELECT K, WINDOWSTART FROM X WHERE K IN ('a', 'b');")) == [
        ["a", 1000],
        ["a", 20000],
        ["b", 2000],
    ]


def test_a_key_range_is_a_scan_a_session_store_refuses(ks: Streams) -> None:
    """A range on the key reads all partitions: KsMaterializedSessionTable refuses the scan."""
    assert SCAN in ks.pull_error("SELECT * FROM X WHERE K > 'a';")
    assert SCAN in ks.pull_error("SELECT * FROM X;")


def pull_now(ks: Streams, sql: str) -> list[list[Any]]:
    """A pull query without draining the persistent queries first (what is stored right now)."""
    q = ks.engine.start_query(sql)
    try:
        rows: list[list[Any]] = []
        while not q.done:
            rows.extend(q.poll(0.2))
        return rows
    finally:
        q.close()


def test_a_session_store_is_read_below_its_cache(make_streams: Callable[..., Streams]) -> None:
    """SessionStoreCacheBypass.fetch: a session merged by a record not yet committed (its output still in
    the record cache) is seen as it was last flushed."""
    ks = make_streams(CACHED)
    ks.sql("CREATE STREAM S (K STRING KEY, V INT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, FORMAT='JSON');")
    ks.sql("CREATE TABLE X AS SELECT K, COUNT(*) AS C FROM S WINDOW SESSION (5 SECONDS) GROUP BY K;")
    ks.insert("S", {"K": "a", "V": 1, "ROWTIME": 1000})
    acks = ks.engine.insert_rows("S", [{"K": "a", "V": 1, "ROWTIME": 2000}])
    assert all(a["status"] == "ok" for a in acks)
    for q in ks.engine.state.persistent.values():
        q.step(0.0)
    assert pull_now(ks, "SELECT K, WINDOWSTART, WINDOWEND, C FROM X WHERE K = 'a';") == [["a", 1000, 1000, 1]]
