"""The record cache in running queries: properties, defaults, flushing at commits and drains, eviction."""

from __future__ import annotations

from typing import Any

import pytest

from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.errors import KsqlStatementError
from ksqlserver.runtime.query import PersistentQuery

EARLIEST = {"ksql.streams.auto.offset.reset": "earliest"}
SOURCE = "CREATE STREAM TX (K STRING KEY, X INT) WITH (KAFKA_TOPIC='tx', VALUE_FORMAT='DELIMITED');"
COUNTS = "CREATE TABLE C AS SELECT K, COUNT(*) AS N, SUM(X) AS S FROM TX GROUP BY K EMIT CHANGES;"
SESSIONS = (
    "CREATE TABLE SS AS SELECT K, COUNT(*) AS N FROM TX WINDOW SESSION (10 SECONDS) GROUP BY K EMIT CHANGES;"
)


def engine(props: dict[str, str], synchronous: bool = True, fast: bool = True) -> tuple[Engine, MemoryDriver]:
    d = MemoryDriver()
    d.create_topic("tx", partitions=1)
    config = EngineConfig(service_id="rc_", synchronous=synchronous, properties={**EARLIEST, **props},
                          fast_paths=fast, processing_log=False, command_topic=False)  # fmt: skip
    e = Engine(config, d)
    e.execute(SOURCE)
    return e, d


def outputs(d: MemoryDriver, topic: str) -> list[tuple[Any, Any, int]]:
    return [(r.key, r.value, r.timestamp) for r in d.records(topic)]


def only_query(e: Engine) -> PersistentQuery:
    (q,) = e.state.persistent.values()
    return q


@pytest.mark.parametrize("fast", [True, False])
def test_a_key_updated_n_times_in_one_interval_outputs_once_with_the_cache_and_n_times_without(fast: bool) -> None:
    """CachingKeyValueStore over NamedCache: N updates of one key between two flushes reach the sink once,
    with the latest value and its timestamp (TimestampedCacheFlushListener: the value's timestamp); with
    cache.max.bytes.buffering 0, one output per update."""
    n = 7
    for cache, expected in (("10000000", 1), ("0", n)):
        e, d = engine({"cache.max.bytes.buffering": cache}, fast=fast)
        try:
            e.execute(COUNTS)
            d.produce("tx", [Record(b"a", str(i).encode(), 1000 + i, 0, i) for i in range(n)])
            e.drain()
            got = outputs(d, "C")
            assert len(got) == expected, cache
            assert got[-1] == (b"a", f"{n},{sum(range(n))}".encode(), 1000 + n - 1)
            assert only_query(e).pipeline.fast_path is fast
        finally:
            e.close()


@pytest.mark.parametrize("fast", [True, False])
def test_a_session_created_and_extended_within_one_interval_leaves_no_tombstone(fast: bool) -> None:
    """KStreamSessionWindowAggregate removes the sessions a record merges; CachingSessionStore's flush forwards
    nothing for a session whose new and last flushed values are both null, and SessionCacheFlushListener
    stamps the session with its end."""
    e, d = engine({"ksql.streams.cache.max.bytes.buffering": "10000000"}, fast=fast)
    try:
        e.execute(SESSIONS)
        d.produce("tx", [Record(b"a", b"1", ts, 0, i) for i, ts in enumerate((0, 4000, 8000))])
        e.drain()
        ((key, value, ts),) = outputs(d, "SS")
        assert value == b"3" and ts == 8000
        assert key.endswith((8000).to_bytes(8, "big") + (0).to_bytes(8, "big"))  # end, then start
        # the flushed session is extended in the next interval: its tombstone goes out, then the new session
        d.produce("tx", [Record(b"a", b"1", 12000, 0, 3)])
        e.drain()
        (tomb, row) = outputs(d, "SS")[1:]
        assert tomb[0] == key and tomb[1] is None and tomb[2] == 8000
        assert row[1] == b"4" and row[2] == 12000
    finally:
        e.close()
    e, d = engine({"cache.max.bytes.buffering": "0"}, fast=fast)
    try:
        e.execute(SESSIONS)
        d.produce("tx", [Record(b"a", b"1", ts, 0, i) for i, ts in enumerate((0, 4000, 8000))])
        e.drain()
        assert [v for _, v, _ in outputs(d, "SS")] == [b"1", None, b"2", None, b"3"]
    finally:
        e.close()


def test_eviction_by_size_forwards_before_the_flush() -> None:
    """ThreadCache.maybeEvict: with a budget of a few entries, cold keys push dirty entries out while the
    drain runs, each such eviction flushing the cache (a hot key's latest value with it): more outputs than
    keys before any flush, fewer than updates."""
    e, d = engine({"cache.max.bytes.buffering": "400"})
    try:
        e.execute(COUNTS)
        cold = [f"k{i}".encode() for i in range(20)]
        # every other record updates the hot key; each cold key comes back only after 19 others
        d.produce("tx", [Record(b"hot" if i % 2 == 0 else cold[(i // 2) % 20], b"1", i, 0, i) for i in range(200)])
        q = only_query(e)
        q.step()  # one batch: the evictions' outputs are delivered, the rest waits for a flush
        evicted = outputs(d, "C")
        assert 20 < len(evicted) < 200
        assert 1 < sum(1 for k, _, _ in evicted if k == b"hot") < 100
        assert q.cache_dirty()
        e.drain()
        got = outputs(d, "C")
        assert len(got) < 200
        latest = {k: v for k, v, _ in got}
        assert latest == {b"hot": b"100,100", **{k: b"5,5" for k in cold}}
    finally:
        e.close()


def test_defaults_are_ksqldbs_for_a_threaded_engine_and_zero_for_a_synchronous_one() -> None:
    """KsqlConfig puts cache.max.bytes.buffering = KsqlConstants.defaultCacheMaxBytesBufferingConfig
    (10,000,000) and commit.interval.ms 2000 into every query's streams config; a synchronous engine runs as
    ksqlDB's TestExecutor does, with 0, unless told otherwise."""
    e, _ = engine({}, synchronous=False)
    try:
        e.execute(COUNTS)
        q = only_query(e)
        assert q.pipeline.cache is not None and q.pipeline.cache.cache is not None
        assert q.pipeline.cache.cache.max_bytes == 10_000_000
        assert q.commit_interval == 2.0 and q.timed_flush
    finally:
        e.close()
    e, _ = engine({})
    try:
        e.execute(COUNTS)
        q = only_query(e)
        assert q.pipeline.cache is not None and q.pipeline.cache.cache is None
        assert not q.timed_flush
    finally:
        e.close()


def test_a_request_property_or_set_turns_the_cache_on_or_off() -> None:
    """The request's streamsProperties (and SET) override the server's: bare or ksql.streams.-prefixed."""
    e, _ = engine({"ksql.streams.cache.max.bytes.buffering": "0", "ksql.streams.commit.interval.ms": "500"})
    try:
        e.execute(COUNTS.replace("TABLE C", "TABLE C1"), {"cache.max.bytes.buffering": "1000"})
        e.execute("SET 'ksql.streams.cache.max.bytes.buffering'='2000';" + COUNTS.replace("TABLE C", "TABLE C2"))
        e.execute(COUNTS.replace("TABLE C", "TABLE C3"))
        caches = {q.sink.name: q.pipeline.cache.cache for q in e.state.persistent.values()}  # type: ignore[union-attr]
        assert {n: 0 if c is None else c.max_bytes for n, c in caches.items()} == {"C1": 1000, "C2": 2000, "C3": 0}
        assert {q.commit_interval for q in e.state.persistent.values()} == {0.5}
    finally:
        e.close()


def test_a_bad_value_is_rejected_with_kafkas_config_message() -> None:
    """ConfigDef.parseType: a LONG property that is not a number."""
    e, _ = engine({})
    try:
        with pytest.raises(KsqlStatementError) as info:
            e.execute(COUNTS, {"cache.max.bytes.buffering": "lots"})
        assert info.value.message == (
            "Invalid value lots for configuration cache.max.bytes.buffering: Not a number of type LONG"
        )
    finally:
        e.close()


def test_a_running_query_flushes_at_each_commit_interval() -> None:
    """Kafka Streams flushes the caches when it commits (commit.interval.ms): a step past the interval
    forwards what waits; an idle step before it commits nothing."""
    e, d = engine({"cache.max.bytes.buffering": "10000000"})
    try:
        e.execute(COUNTS)
        q = only_query(e)
        q.use_cache(10_000_000, 3600.0, timed=True)
        d.produce("tx", [Record(b"a", b"1", i, 0, i) for i in range(5)])
        q.step()
        q.step()  # idle, inside the interval: the cached output waits
        assert outputs(d, "C") == [] and q.cache_dirty()
        q.commit_interval = 0.0
        q.step()  # idle, past the interval: the commit flushes
        assert outputs(d, "C") == [(b"a", b"5,5", 4)] and not q.cache_dirty()
        q.commit_interval = 3600.0
        d.produce("tx", [Record(b"a", b"1", 9, 0, 5)])
        q.step()
        q.stop()  # the final commit flushes too
        assert outputs(d, "C")[-1] == (b"a", b"6,6", 9)
    finally:
        e.close()


def test_having_that_stops_passing_before_the_flush_shows_nothing() -> None:
    """The flushed value is filtered downstream of the cache (ksqlDB's HAVING is a table filter after the
    aggregate): a group that passed and stopped passing between two flushes was never shown, so nothing goes
    out; a group shown before gets its tombstone."""
    e, d = engine({"cache.max.bytes.buffering": "10000000"})
    try:
        e.execute("CREATE TABLE H AS SELECT K, SUM(X) AS S FROM TX GROUP BY K HAVING SUM(X) < 3 EMIT CHANGES;")
        d.produce("tx", [Record(b"a", b"1", 1, 0, 0), Record(b"a", b"5", 2, 0, 1), Record(b"b", b"1", 3, 0, 2)])
        e.drain()
        assert outputs(d, "H") == [(b"b", b"1", 3)]
        d.produce("tx", [Record(b"b", b"5", 4, 0, 3)])
        e.drain()
        assert outputs(d, "H")[-1] == (b"b", None, 4)
    finally:
        e.close()


def test_a_push_query_aggregation_shows_the_latest_row_per_key_at_each_flush() -> None:
    """A transient SELECT ... GROUP BY ... EMIT CHANGES runs with the same cache (ksqlDB gives transient
    queries the same streams config)."""
    e, d = engine({"cache.max.bytes.buffering": "10000000"})
    try:
        pq = e.start_query("SELECT K, COUNT(*) AS N FROM TX GROUP BY K EMIT CHANGES;")
        d.produce("tx", [Record(b"a", b"1", i, 0, i) for i in range(4)] + [Record(b"b", b"1", 9, 0, 4)])
        e.drain()
        assert pq.poll(0.1) == [["a", 4], ["b", 1]]
        pq.close()
    finally:
        e.close()


def test_a_rewind_drops_the_cached_outputs() -> None:
    """The consumer goes back to the committed offsets (a restart, a lost assignment): the records since are
    read again, so their cached outputs are dropped rather than written twice (Kafka Streams closes the task
    dirty, its cache with it)."""
    e, d = engine({"cache.max.bytes.buffering": "10000000"})
    try:
        e.execute(COUNTS)
        q = only_query(e)
        d.produce("tx", [Record(b"a", b"1", i, 0, i) for i in range(3)])
        q.step()
        assert q.cache_dirty()
        q._rewound("restarted")
        assert not q.cache_dirty()
        q.stop()
        assert outputs(d, "C") == []
    finally:
        e.close()
