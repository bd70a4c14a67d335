"""Port of ksqlDB 0.29 `io.confluent.ksql.planner.plan.KsqlBareOutputNodeTest` (shouldCreateCorrectSchema,
shouldBuildSourceNode, shouldBuildTransformNode, shouldBuildFilterNode).

KsqlBareOutputNode is the output of a transient query: `SELECT col0, col2, col3 FROM test1 WHERE col0 > 100
EMIT CHANGES` over MetaStoreFixture's TEST1. Its schema is the projection with the key column as a value
column; the rows are the filtered, projected records. The Java test also reads the Kafka Streams topology
(source on `test1` -> transform -> WhereFilter -> Project): a user sees that in EXPLAIN's `topology`, Kafka
Streams' TopologyDescription text."""

from __future__ import annotations

from typing import Any

import pytest

SIMPLE_SELECT_WITH_FILTER = "SELECT col0, col2, col3 FROM test1 WHERE col0 > 100 EMIT CHANGES;"


@pytest.fixture
def n(nodes: Any) -> Any:
    nodes.sql("CREATE STREAM TEST1 (COL0 BIGINT KEY, COL1 STRING, COL2 STRING, COL3 DOUBLE, COL4 ARRAY<DOUBLE>, "
              "COL5 MAP<STRING, DOUBLE>) WITH (KAFKA_TOPIC='test1', VALUE_FORMAT='JSON', PARTITIONS=1);")  # fmt: skip
    return nodes


def test_should_create_correct_schema(n: Any) -> None:
    """shouldCreateCorrectSchema: COL0 BIGINT, COL2 STRING, COL3 DOUBLE, all value columns."""
    q = n.query(SIMPLE_SELECT_WITH_FILTER)
    try:
        assert q.columns == [("COL0", "BIGINT"), ("COL2", "STRING"), ("COL3", "DOUBLE")]
    finally:
        q.close()


def test_should_build_filter_and_project(n: Any) -> None:
    """shouldBuildFilterNode / shouldBuildTransformNode: records of `test1` pass WhereFilter, then Project."""
    q = n.query(SIMPLE_SELECT_WITH_FILTER)
    try:
        n.insert("TEST1", {"COL0": 100, "COL1": "a", "COL2": "b", "COL3": 1.5},
                 {"COL0": 101, "COL1": "c", "COL2": "d", "COL3": 2.5})  # fmt: skip
        assert q.poll(0.1) == [[101, "d", 2.5]]
    finally:
        q.close()


def test_explain_names_the_source_topic(n: Any) -> None:
    """shouldBuildSourceNode: the query reads topic `test1` (EXPLAIN's sources)."""
    [entity] = n.sql(f"EXPLAIN {SIMPLE_SELECT_WITH_FILTER}")
    assert entity["queryDescription"]["sources"] == ["TEST1"]
    assert entity["queryDescription"]["queryType"] == "PUSH"


def test_explain_topology_is_kafka_streams_description(n: Any) -> None:
    """shouldBuildSourceNode / shouldBuildTransformNode / shouldBuildFilterNode: the topology's processors
    in order, as TopologyDescription prints them."""
    [entity] = n.sql(f"EXPLAIN {SIMPLE_SELECT_WITH_FILTER}")
    topology = entity["queryDescription"]["topology"]
    assert "Source: KSTREAM-SOURCE-0000000000 (topics: [test1])" in topology
    assert "--> KSTREAM-TRANSFORMVALUES-0000000001" in topology
    assert "Processor: WhereFilter (stores: [])" in topology
    assert "Processor: Project (stores: [])" in topology
