"""ksqlDB 0.29's WindowStoreCacheBypassTest (io.confluent.ksql.execution.streams.materialization.ks).

KsMaterializedWindowTable reads a time-windowed store through WindowStoreCacheBypass: fetch (one key,
shouldCallUnderlyingStoreSingleKey), fetchRange (a key range, shouldCallUnderlyingStoreForRangeQuery) and
fetchAll (a table scan, shouldCallUnderlyingStoreForTableScans), each on the innermost WindowStore, below
the caching layer (getInnermostStore unwraps every WrappedStateStore). So a windowed pull query sees what
the record cache has flushed (at a commit, or when it evicts), not the updates it still holds; a
non-windowed table's store is read through its cache (CachingKeyValueStore.get). The reflection and
exception tests (shouldAvoidNonWindowStore, shouldThrowException_*) have no observable counterpart."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from conftest import Streams

CACHED = {"ksql.streams.cache.max.bytes.buffering": "10000000", "ksql.streams.commit.interval.ms": "100000"}


@pytest.fixture
def ks(ks: Streams) -> Streams:
    ks.sql("CREATE STREAM S (K STRING KEY, V INT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, FORMAT='JSON');")
    ks.sql("CREATE TABLE W AS SELECT K, COUNT(*) AS C FROM S WINDOW TUMBLING (SIZE 10 SECONDS) GROUP BY K;")
    ks.insert(
        "S",
        *({"K": k, "V": 1, "ROWTIME": ts} for k, ts in [("a", 1000), ("a", 12000), ("b", 3000), ("c", 25000)]),
    )
    return ks


def test_should_call_underlying_store_single_key(ks: Streams) -> None:
    """fetch(store, key, lower, upper): one key's windows between the bounds."""
    assert ks.pull("SELECT K, WINDOWSTART, C FROM W WHERE K = 'a';") == [["a", 0, 1], ["a", 10000, 1]]
    assert ks.pull("SELECT K, WINDOWSTART, C FROM W WHERE K = 'a' AND WINDOWSTART >= 5000;") == [["a", 10000, 1]]


def test_should_call_underlying_store_for_range_query(ks: Streams) -> None:
    """fetchRange(store, keyFrom, keyTo, lower, upper): the keys of a range."""
    rows = ks.pull("SELECT K, WINDOWSTART FROM W WHERE K >= 'b';")
    assert sorted(rows) == [["b", 0], ["c", 20000]]


def test_should_call_underlying_store_for_table_scans(ks: Streams) -> None:
    """fetchAll(store, lower, upper): every key's windows, the bounds applied."""
    assert sorted(ks.pull("SELECT K, WINDOWSTART FROM W;")) == [["a", 0], ["a", 10000], ["b", 0], ["c", 20000]]
    assert sorted(ks.pull("SELECT K FROM W WHERE WINDOWSTART = 0;")) == [["a"], ["b"]]


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


def step_without_commit(ks: Streams, rows: list[dict[str, Any]]) -> None:
    """Rows processed by every persistent query but not committed: their outputs wait in the record cache."""
    acks = ks.engine.insert_rows("S", rows)
    assert all(a["status"] == "ok" for a in acks)
    for q in ks.engine.state.persistent.values():
        q.step(0.0)


def cached_streams(make_streams: Callable[..., Streams]) -> Streams:
    ks = make_streams(CACHED)
    ks.sql("CREATE STREAM S (K STRING KEY, V INT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, FORMAT='JSON');")
    ks.sql("CREATE TABLE T AS SELECT K, COUNT(*) AS C FROM S GROUP BY K;")
    ks.sql("CREATE TABLE W AS SELECT K, COUNT(*) AS C FROM S WINDOW TUMBLING (SIZE 10 SECONDS) GROUP BY K;")
    ks.insert("S", {"K": "a", "V": 1, "ROWTIME": 1000})  # a drain ends with a commit: flushed
    step_without_commit(ks, [{"K": "a", "V": 1, "ROWTIME": 2000}, {"K": "b", "V": 1, "ROWTIME": 2000}])
    return ks


def test_a_non_windowed_store_is_read_through_its_cache(make_streams: Callable[..., Streams]) -> None:
    """KsMaterializedTable reads the key-value store through its caching layer: updates not yet committed
    are seen."""
    ks = cached_streams(make_streams)
    assert pull_now(ks, "SELECT * FROM T WHERE K = 'a';") == [["a", 2]]
    assert sorted(pull_now(ks, "SELECT * FROM T;")) == [["a", 2], ["b", 1]]


def test_committed_windows_are_seen(make_streams: Callable[..., Streams]) -> None:
    """Once the cache has flushed (the commit that ends a drain), the window store holds every update."""
    ks = cached_streams(make_streams)
    ks.engine.drain()
    assert pull_now(ks, "SELECT K, WINDOWSTART, C FROM W WHERE K = 'a';") == [["a", 0, 2]]
    assert sorted(pull_now(ks, "SELECT K, C FROM W;")) == [["a", 2], ["b", 1]]


def test_a_windowed_store_is_read_below_its_cache(make_streams: Callable[..., Streams]) -> None:
    """WindowStoreCacheBypass.fetch / fetchAll: the updates the record cache still holds are not seen; the
    last flushed count of key a's window is 1, and key b has no window yet."""
    ks = cached_streams(make_streams)
    assert pull_now(ks, "SELECT K, WINDOWSTART, C FROM W WHERE K = 'a';") == [["a", 0, 1]]
    assert pull_now(ks, "SELECT K, C FROM W;") == [["a", 1]]


def test_the_generic_aggregation_is_read_below_its_cache_too(make_streams: Callable[..., Streams]) -> None:
    """The same through the generic operator (an aggregate the generated loop does not cover, and HAVING):
    the pull query sees the window as last flushed, and every update once the drain's commit flushed it."""
    ks = make_streams(CACHED)
    ks.sql("CREATE STREAM S (K STRING KEY, V INT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, FORMAT='JSON');")
    ks.sql(
        "CREATE TABLE W AS SELECT K, COLLECT_LIST(V) AS L FROM S WINDOW TUMBLING (SIZE 10 SECONDS) GROUP BY K "
        "HAVING COUNT(*) > 0;"
    )
    ks.insert("S", {"K": "a", "V": 1, "ROWTIME": 1000})
    step_without_commit(ks, [{"K": "a", "V": 2, "ROWTIME": 2000}, {"K": "b", "V": 3, "ROWTIME": 2000}])
    assert pull_now(ks, "SELECT K, WINDOWSTART, L FROM W;") == [["a", 0, [1]]]
    ks.engine.drain()
    assert sorted(pull_now(ks, "SELECT K, WINDOWSTART, L FROM W;")) == [["a", 0, [1, 2]], ["b", 0, [3]]]


def test_having_is_applied_on_read_and_each_commit_flushes_the_store(make_streams: Callable[..., Streams]) -> None:
    """A windowed aggregate whose HAVING turns false: the sink gets a tombstone, the store keeps the row, and
    the pull query applies the HAVING filter on read (TableFilterBuilder adds it to the MaterializationInfo:
    KsMaterialization's filter transform), so the row is gone once the commit flushed the update; before,
    WindowStoreCacheBypass still reads the last flushed, passing, value. Kafka Streams' commit flushes the
    caching store whole (NamedCache.flush), updates of no output (HAVING false before and after) too: so
    does PersistentQuery.checkpoint, dirty cache or not."""
    ks = make_streams(CACHED)
    ks.sql("CREATE STREAM S (K STRING KEY, V INT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, FORMAT='JSON');")
    ks.sql("CREATE TABLE W AS SELECT K, SUM(V) AS T FROM S WINDOW TUMBLING (SIZE 10 SECONDS) GROUP BY K HAVING SUM(V) > 5;")
    ks.insert("S", {"K": "a", "V": 10, "ROWTIME": 1000})
    step_without_commit(ks, [{"K": "a", "V": -8, "ROWTIME": 2000}])
    assert pull_now(ks, "SELECT K, WINDOWSTART, T FROM W;") == [["a", 0, 10]]
    ks.engine.drain()
    assert pull_now(ks, "SELECT K, WINDOWSTART, T FROM W;") == []
    [q] = ks.engine.state.persistent.values()
    cache = q.pipeline.cache.cache
    flushes = cache.flushes
    step_without_commit(ks, [{"K": "b", "V": 1, "ROWTIME": 2000}])  # HAVING false: no output at all
    assert not cache.dirty() and cache.flushes == flushes  # no commit yet
    ks.engine.drain()
    assert cache.flushes == flushes + 1  # the commit flushed the store update all the same
    assert pull_now(ks, "SELECT K, WINDOWSTART, T FROM W;") == []
