"""Grouping the rows of a join (ksqlDB 0.29): AggregateNode groups the joined stream with
SchemaKStream.groupBy, which re-keys only when Repartitioning.repartitionNeeded says so: not for a single key
column grouped by alone. The joined rows' key column is LogicalPlanner.buildJoinKey's: the first viable key
column (a plain-column join criterion) that the SELECT names, else the first one (`A_K`). Grouping by it is a
groupByKey (no `Aggregate-GroupBy` step or repartition topic; the windowed store's name in Kafka Streams'
retention error is the grouped stream's, `Aggregate-Prepare`); any other column re-keys. A source with more
than one key column always re-keys (`schema.key().size() != 1`)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.errors import KsqlError


@pytest.fixture(scope="module")
def engine() -> Iterator[Engine]:
    e = Engine(EngineConfig(service_id="t_", synchronous=True, command_topic=False, properties={}), MemoryDriver())
    e.execute(
        "CREATE STREAM A (K STRING KEY, V INT) WITH (KAFKA_TOPIC='a', PARTITIONS=1, FORMAT='JSON');"
        "CREATE TABLE B (K STRING PRIMARY KEY, W INT) WITH (KAFKA_TOPIC='b', PARTITIONS=1, FORMAT='JSON');"
        "CREATE STREAM M (K1 STRING KEY, K2 STRING KEY, V INT) WITH (KAFKA_TOPIC='m', PARTITIONS=1, FORMAT='JSON');"
    )
    yield e
    e.close()


def _topology(e: Engine, statement: str) -> str:
    [entity] = e.execute(f"EXPLAIN {statement}")
    topology: str = entity["queryDescription"]["topology"]
    return topology


def test_grouping_by_the_join_key_does_not_repartition(engine: Engine) -> None:
    """buildJoinKey picks A_K (named by the SELECT); GROUP BY A.K is that key: groupByKey."""
    topology = _topology(engine, "CREATE TABLE C1 AS SELECT A.K, COUNT(*) AS N FROM A JOIN B ON A.K = B.K GROUP BY A.K;")
    assert "Aggregate-GroupBy" not in topology and "repartition" not in topology
    assert "Processor: Aggregate-Prepare (stores: [])\n      --> KSTREAM-AGGREGATE-" in topology


def test_the_right_key_named_by_the_select_is_the_join_key(engine: Engine) -> None:
    """The first viable key column the projection names is B.K: B_K is the key, and grouping by it too."""
    topology = _topology(engine, "CREATE TABLE C2 AS SELECT B.K, COUNT(*) AS N FROM A JOIN B ON A.K = B.K GROUP BY B.K;")
    assert "Aggregate-GroupBy" not in topology


def test_grouping_by_a_value_column_of_a_join_repartitions(engine: Engine) -> None:
    topology = _topology(engine, "CREATE TABLE C3 AS SELECT V, COUNT(*) AS N FROM A JOIN B ON A.K = B.K GROUP BY V;")
    assert "Aggregate-GroupBy-repartition" in topology


def test_a_source_of_two_key_columns_always_repartitions(engine: Engine) -> None:
    """Repartitioning.repartitionNeeded: `schema.key().size() != 1` needs a repartition."""
    topology = _topology(engine, "CREATE TABLE C4 AS SELECT K1, K2, COUNT(*) AS N FROM M GROUP BY K1, K2;")
    assert "Aggregate-GroupBy-repartition" in topology


def test_the_window_store_of_a_join_grouped_by_key_is_named_after_prepare(engine: Engine) -> None:
    """TimeWindowedKStreamImpl.materialize names the grouped stream: the Prepare projection under groupByKey."""
    with pytest.raises(KsqlError) as e:
        engine.execute(
            "CREATE TABLE C5 AS SELECT A.K, COUNT(*) AS N FROM A JOIN B ON A.K = B.K "
            "WINDOW TUMBLING (SIZE 1 HOUR, RETENTION 1 MINUTE) GROUP BY A.K;"
        )
    assert e.value.message.startswith("The retention period of the window store Aggregate-Prepare must be")
