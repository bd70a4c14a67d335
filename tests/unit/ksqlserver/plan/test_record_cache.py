"""Kafka Streams' record cache in front of an aggregate's store, when `cache.max.bytes.buffering` > 0.

`org.apache.kafka.streams.state.internals.NamedCache.put` keeps one entry per key and moves a dirty key
to the end ("first remove and then add so we can maintain ordering as the arrival order of the
records"); a flush (at commit; in this engine, at the end of a batch) forwards each key's latest value in
that order. With the cache off (this engine's default, and ksqlDB's test driver's) every update goes out.
"""

from __future__ import annotations

from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig

SALES = [("Aliens", 10), ("Die Hard", 12), ("Die Hard", 12), ("Godfather", 12), ("Die Hard", 24), ("Lebowski", 1)]


def _run(props: dict[str, str]) -> tuple[list[tuple[bytes | None, bytes | None]], list[list[object]]]:
    engine = Engine(EngineConfig(synchronous=True, processing_log=False, command_topic=False), MemoryDriver())
    try:
        engine.execute(
            "CREATE STREAM S (TITLE STRING, V INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);"
        )
        for title, v in SALES:  # all in the topic before the queries start: one batch
            engine.execute(f"INSERT INTO S (TITLE, V) VALUES ('{title}', {v});")
        session = {"auto.offset.reset": "earliest", **props}
        engine.execute("CREATE TABLE T AS SELECT TITLE, COUNT(*) AS N FROM S GROUP BY TITLE;", session)
        q = engine.start_query("SELECT TITLE, SUM(V) AS TOTAL FROM S GROUP BY TITLE EMIT CHANGES LIMIT 3;", session)
        engine.drain()
        rows = q.poll(0.2)
        q.close()
        return [(r.key, r.value) for r in engine.driver.records("T")], rows
    finally:
        engine.close()


def test_cached_aggregate_forwards_each_keys_latest_in_last_update_order() -> None:
    table, rows = _run({"ksql.streams.cache.max.bytes.buffering": "10000000"})
    assert table == [
        (b"Aliens", b'{"N":1}'),
        (b"Godfather", b'{"N":1}'),
        (b"Die Hard", b'{"N":3}'),
        (b"Lebowski", b'{"N":1}'),
    ]
    assert rows == [["Aliens", 10], ["Godfather", 12], ["Die Hard", 48]]


def test_without_the_cache_every_update_goes_out() -> None:
    table, rows = _run({})
    assert [k for k, _ in table] == [b"Aliens", b"Die Hard", b"Die Hard", b"Godfather", b"Die Hard", b"Lebowski"]
    assert rows == [["Aliens", 10], ["Die Hard", 12], ["Die Hard", 24]]
