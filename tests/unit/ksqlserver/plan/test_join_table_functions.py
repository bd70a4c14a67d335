"""Table functions over a join's result: one output row per element, as ksqlDB's FlatMap step after the join.

ksqlDB's `io.confluent.ksql.planner.LogicalPlanner.buildQueryLogicalPlan` builds the join, then the filter,
then `buildFlatMapNode` (a `FlatMapNode`) when the SELECT has table functions, then the projection; so
`EXPLODE(table.list)` in a stream-table join gives one row per element, none for a null or empty list.
"""

from __future__ import annotations

from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig

EARLIEST = {"auto.offset.reset": "earliest"}


def _engine() -> Engine:
    return Engine(
        EngineConfig(synchronous=True, processing_log=False, command_topic=False), MemoryDriver()
    )


def _setup(engine: Engine) -> None:
    engine.execute(
        "CREATE TABLE T (K VARCHAR PRIMARY KEY, L ARRAY<INT>) WITH (KAFKA_TOPIC='t', FORMAT='JSON', PARTITIONS=1);"
    )
    engine.execute(
        "CREATE STREAM S (G VARCHAR KEY, ID INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);"
    )


def _feed(engine: Engine) -> None:
    engine.execute("INSERT INTO T (K, L) VALUES ('a', ARRAY[1, 2]);")
    engine.drain()
    engine.execute("INSERT INTO S (G, ID) VALUES ('a', 1);")
    engine.execute("INSERT INTO S (G, ID) VALUES ('b', 2);")  # no table row: EXPLODE(null) gives no row
    engine.drain()


def test_persistent_join_explodes_the_table_side() -> None:
    engine = _engine()
    try:
        _setup(engine)
        engine.execute(
            "CREATE STREAM J AS SELECT S.G, S.ID, EXPLODE(T.L) AS M FROM S LEFT JOIN T ON S.G = T.K;", EARLIEST
        )
        engine.execute(
            "CREATE STREAM N AS SELECT S.ID, EXPLODE(T.L) AS M FROM S LEFT JOIN T ON S.G = T.K PARTITION BY NULL;",
            EARLIEST,
        )
        _feed(engine)
        j = [(r.key, r.value) for r in engine.driver.records("J")]
        assert j == [(b"a", b'{"ID":1,"M":1}'), (b"a", b'{"ID":1,"M":2}')]
        n = [(r.key, r.value) for r in engine.driver.records("N")]
        assert n == [(None, b'{"ID":1,"M":1}'), (None, b'{"ID":1,"M":2}')]
    finally:
        engine.close()


def test_push_query_over_a_join_explodes_the_table_side() -> None:
    engine = _engine()
    try:
        _setup(engine)
        _feed(engine)
        q = engine.start_query(
            "SELECT S.G, S.ID, EXPLODE(T.L) AS M FROM S LEFT JOIN T ON S.G = T.K EMIT CHANGES LIMIT 2;", EARLIEST
        )
        engine.drain()
        rows = q.poll(0.1)
        q.close()
        assert rows == [["a", 1, 1], ["a", 1, 2]]
    finally:
        engine.close()
