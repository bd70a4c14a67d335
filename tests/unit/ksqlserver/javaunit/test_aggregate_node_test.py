"""ksqlDB 0.29's AggregateNodeTest (ksqldb-engine, io.confluent.ksql.planner.plan): an aggregation's output
schema and the internal topics its topology uses (a repartition topic only when grouping by something
other than the key), observed through the sink and the broker's topics."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the fixture's helper (conftest is not importable under --import-mode=importlib)
    from conftest import Ksql


def _repartition_topics(ksql: Ksql) -> list[str]:
    """The internal topics on the broker (this engine keeps its changelogs in its state stores)."""
    return sorted(t for t in ksql.engine.driver.topics() if t.endswith("-repartition"))


def test_aggregate_schema(ksql: Ksql) -> None:
    """shouldBuildCorrectAggregateSchema: the value holds the aggregates as KSQL_COL_n, the key the grouping
    column (the sink drops the value copy of the key the AggregateNode keeps)."""
    ksql.execute(
        "CREATE TABLE OUT AS SELECT col0, sum(col3), count(col3) FROM test1 WINDOW TUMBLING (size 2 second) "
        "WHERE col0 > 100 GROUP BY col0 EMIT CHANGES;"
    )
    assert ksql.schema("OUT") == "`COL0` BIGINT PRIMARY KEY, `KSQL_COL_0` DOUBLE, `KSQL_COL_1` BIGINT"
    assert ksql.source("OUT").window is not None


def test_group_by_key_needs_no_repartition(make_ksql: Callable[..., Ksql]) -> None:
    """shouldHaveOneSubTopologyIfGroupByKey: grouping by the key re-keys nothing (over two partitions)."""
    ksql = make_ksql(partitions={"test1": 2})
    ksql.execute(
        "CREATE TABLE OUT AS SELECT col0, sum(col3), count(col3) FROM test1 WINDOW TUMBLING (size 2 second) "
        "WHERE col0 > 100 GROUP BY col0 EMIT CHANGES;"
    )
    assert _repartition_topics(ksql) == []


def test_group_by_value_repartitions(make_ksql: Callable[..., Ksql]) -> None:
    """shouldHaveTwoSubTopologies / shouldHaveSourceNodeForSecondSubtopolgyWithKsqlNameForRepartition /
    shouldHaveSinkNodeWithSameTopicAsSecondSource: the re-keyed rows go through Aggregate-GroupBy-repartition,
    with the source's partition count."""
    ksql = make_ksql(partitions={"test1": 2})
    ksql.execute(
        "CREATE TABLE OUT AS SELECT col1, sum(col3), count(col3) FROM test1 WINDOW TUMBLING (size 2 second) "
        "GROUP BY col1 EMIT CHANGES;"
    )
    assert _repartition_topics(ksql) == [
        "_confluent-ksql-default_query_CTAS_OUT_0-Aggregate-GroupBy-repartition"
    ]
    assert ksql.engine.driver.topics()[_repartition_topics(ksql)[0]].partitions == 2


def test_multi_column_group_by(ksql: Ksql) -> None:
    """shouldUseConsistentOrderInPreAggSelectMapper / shouldUseConsistentOrderInPostAggSelectMapper (a KAFKA key
    holds one column only, so the sink's key format is JSON)."""
    ksql.execute(
        "CREATE TABLE OUT WITH (KEY_FORMAT='JSON') AS SELECT col0, col1, col2, sum(col3), count(col3), "
        "max(col3) FROM test1 "
        "GROUP BY col0, col1, col2 EMIT CHANGES;"
    )
    assert ksql.schema("OUT") == (
        "`COL0` BIGINT PRIMARY KEY, `COL1` STRING PRIMARY KEY, `COL2` STRING PRIMARY KEY, "
        "`KSQL_COL_0` DOUBLE, `KSQL_COL_1` BIGINT, `KSQL_COL_2` DOUBLE"
    )
    assert ksql.source("OUT").key_format == "JSON"
