"""Port of ksqlDB 0.29 `io.confluent.ksql.topic.SourceTopicsExtractorTest` (shouldExtractTopicFromSimpleSelect,
shouldExtractPrimaryTopicFromJoinSelect, shouldExtractJoinTopicsFromJoinSelect, shouldFailIfSourceTopicNotInMetastore).

SourceTopicsExtractor finds a query's source topics and its primary (left-most) one. TopicCreateInjector
uses the primary topic to default a CREATE ... AS SELECT sink's partitions and replicas, so that is what a
user sees: the sink topic of a join takes the left source topic's partitions and replicas (the two topics
here have the same partitions, as a join needs, and different replication). A source that is not in the
metastore fails the statement with "<NAME> does not exist."."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def n(nodes: Any) -> Any:
    nodes.driver.create_topic("topic1", 2, 2)
    nodes.driver.create_topic("topic2", 2, 3)
    nodes.sql("CREATE STREAM S1 (ROWKEY STRING KEY, F1 STRING) WITH (KAFKA_TOPIC='topic1', VALUE_FORMAT='JSON');")
    nodes.sql("CREATE STREAM S2 (ROWKEY STRING KEY, F1 STRING) WITH (KAFKA_TOPIC='topic2', VALUE_FORMAT='JSON');")
    return nodes


def _topic(n: Any, name: str) -> tuple[int, int]:
    info = n.driver.topics()[name]
    return info.partitions, info.replicas


def test_should_extract_topic_from_simple_select(n: Any) -> None:
    """shouldExtractTopicFromSimpleSelect: the sink topic copies topic1's partitions and replicas."""
    n.sql("CREATE STREAM O AS SELECT * FROM S1;")
    assert _topic(n, "O") == (2, 2)


def test_should_extract_primary_topic_from_join_select(n: Any) -> None:
    """shouldExtractPrimaryTopicFromJoinSelect: the left source's topic is the primary one."""
    n.sql("CREATE STREAM J1 AS SELECT * FROM S1 A JOIN S2 B WITHIN 1 HOUR ON A.F1 = B.F1;")
    n.sql("CREATE STREAM J2 AS SELECT * FROM S2 B JOIN S1 A WITHIN 1 HOUR ON A.F1 = B.F1;")
    assert _topic(n, "J1") == (2, 2)
    assert _topic(n, "J2") == (2, 3)


def test_should_extract_join_topics_from_join_select(n: Any) -> None:
    """shouldExtractJoinTopicsFromJoinSelect: both topics are read by the join; a WITH clause's PARTITIONS
    overrides the primary topic's, the replicas still come from it."""
    [created] = n.sql("CREATE STREAM J WITH (PARTITIONS=4) AS SELECT A.ROWKEY, B.F1 FROM S1 A JOIN S2 B "
                      "WITHIN 1 HOUR ON A.ROWKEY = B.ROWKEY;")  # fmt: skip
    assert _topic(n, "J") == (4, 2)
    [entity] = n.sql(f"EXPLAIN {created['commandStatus']['queryId']};")
    assert sorted(entity["queryDescription"]["sources"]) == ["S1", "S2"]


def test_should_fail_if_source_topic_not_in_metastore(n: Any) -> None:
    """shouldFailIfSourceTopicNotInMetastore: the message names the missing source."""
    n.sql("DROP STREAM S1;")
    assert n.fails("CREATE STREAM O AS SELECT * FROM S1;").endswith("S1 does not exist.")
