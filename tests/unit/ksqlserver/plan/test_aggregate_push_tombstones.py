"""A push query's aggregation shows its table's tombstones, as ksqlDB 0.29's
QueryBuilder.buildTransientQueryQueue (a KTable result: `ktable.toStream()`, filtered only with
excludeTombstones, which /query and /query-stream do not set) and QueryStreamWriter.buildRow /
TombstoneFactory (a null value: a tombstone row with the value columns named as key columns set) do: a
session merged away and a row HAVING no longer passes. Over the generated fast loops and the generic
operators, with and without the record cache (Kafka Streams' caching: a row never flushed is withdrawn
silently, NamedCache/CachingKeyValueStore's null-over-null)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig

STREAM = ("CREATE STREAM orders (id STRING KEY, item_id STRING, quantity INT) "
          "WITH (kafka_topic='orders', value_format='JSON');")  # fmt: skip
CACHED = {"ksql.streams.cache.max.bytes.buffering": "10000000", "ksql.streams.commit.interval.ms": "2000"}


@pytest.fixture(params=[True, False], ids=["fast", "generic"])
def make(request: pytest.FixtureRequest) -> Iterator[Any]:
    made: list[Engine] = []

    def build(props: dict[str, str] | None = None) -> tuple[Engine, MemoryDriver]:
        d = MemoryDriver()
        properties = {"ksql.streams.auto.offset.reset": "earliest", **(props or {})}
        e = Engine(EngineConfig(synchronous=True, properties=properties, fast_paths=request.param), d)
        made.append(e)
        d.create_topic("orders", partitions=1)
        e.execute(STREAM)
        return e, d

    yield build
    for e in made:
        e.close()


def _steps(e: Engine, d: MemoryDriver, sql: str, records: list[tuple[int, int]]) -> list[list[Any]]:
    """Per record (quantity, timestamp) of item "i": the push query's rows as (row, tombstone?)."""
    q = e.start_query(sql)
    try:
        out = []
        for n, (quantity, ts) in enumerate(records):
            value = json.dumps({"ITEM_ID": "i", "QUANTITY": quantity}).encode()
            d.produce("orders", [Record(f"o{n}".encode(), value, ts)])
            e.drain()
            out.append([(row, getattr(row, "tombstone", False)) for row in q.poll(0.05)])
        return out
    finally:
        q.close()


@pytest.mark.parametrize("props", [None, CACHED], ids=["uncached", "cached"])
def test_session_merge_shows_the_merged_away_session_as_a_tombstone(make: Any, props: Any) -> None:
    """KStreamSessionWindowAggregate forwards a null for each session a record merges: the push query shows
    it with the grouping column and the window bounds its projection names, nulls elsewhere (an aliased
    window bound is not a key column's name: null)."""
    e, d = make(props)
    sql = ("SELECT windowstart, windowend AS we, item_id, SUM(quantity) AS total FROM orders "
           "WINDOW SESSION (20 SECONDS) GROUP BY item_id EMIT CHANGES;")  # fmt: skip
    assert _steps(e, d, sql, [(1, 1_000), (2, 12_000)]) == [
        [([1_000, 1_000, "i", 1], False)],
        [([1_000, None, "i", None], True), ([1_000, 12_000, "i", 3], False)],
    ]


@pytest.mark.parametrize("props", [None, CACHED], ids=["uncached", "cached"])
def test_having_that_stops_passing_shows_a_tombstone(make: Any, props: Any) -> None:
    """KTableFilter (HAVING) forwards a null for a key whose row passed before and no longer does."""
    e, d = make(props)
    sql = "SELECT item_id, COUNT(*) AS n FROM orders GROUP BY item_id HAVING COUNT(*) < 2 EMIT CHANGES;"
    assert _steps(e, d, sql, [(1, 1_000), (1, 2_000), (1, 3_000)]) == [
        [(["i", 1], False)],
        [(["i", None], True)],
        [],
    ]


def test_key_aliased_in_the_projection_is_the_tombstone_key(make: Any) -> None:
    """LogicalPlanner.buildAggregateSchema names the key as its projection's alias, so the aliased column
    carries the key in the tombstone; a grouping expression's projection too."""
    e, d = make()
    sql = ("SELECT item_id AS x, ABS(quantity) AS q, COUNT(*) AS n FROM orders GROUP BY item_id, ABS(quantity) "
           "HAVING COUNT(*) < 2 EMIT CHANGES;")  # fmt: skip
    assert _steps(e, d, sql, [(-3, 1_000), (3, 2_000)]) == [
        [(["i", 3, 1], False)],
        [(["i", 3, None], True)],
    ]
