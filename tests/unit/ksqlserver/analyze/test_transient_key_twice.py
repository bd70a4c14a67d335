"""A push query's aggregation may not project a grouping key twice either: ksqlDB 0.29's
LogicalPlanner.buildAggregateSchema names each grouping key with its selectResolver, which throws when
the key's expression is projected more than once, for persistent and transient queries alike."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.errors import KsqlError


@pytest.fixture
def engine() -> Iterator[Engine]:
    d = MemoryDriver()
    d.create_topic("orders", partitions=1)
    e = Engine(EngineConfig(synchronous=True), d)
    e.execute("CREATE STREAM orders (id STRING KEY, item_id STRING, quantity INT) "
              "WITH (kafka_topic='orders', value_format='JSON');")  # fmt: skip
    yield e
    e.close()


def test_push_query_projecting_a_key_twice_is_refused(engine: Engine) -> None:
    with pytest.raises(KsqlError) as err:
        engine.start_query("SELECT item_id, item_id AS x, COUNT(*) FROM orders GROUP BY item_id EMIT CHANGES;")
    assert err.value.message == (
        "The projection contains a key column more than once: `ITEM_ID` and `X`.\n"
        "Each key column must only be in the projection once. If you intended to copy the key into the "
        "value, then consider using the `AS_VALUE` function to indicate which key reference should be copied."
    )


def test_push_query_projecting_a_key_once_or_not_at_all_runs(engine: Engine) -> None:
    for sql in ["SELECT item_id AS x, COUNT(*) FROM orders GROUP BY item_id EMIT CHANGES;",
                "SELECT COUNT(*) FROM orders GROUP BY item_id EMIT CHANGES;",
                "SELECT AS_VALUE(item_id) AS v, item_id, COUNT(*) FROM orders GROUP BY item_id EMIT CHANGES;"]:
        engine.start_query(sql).close()
