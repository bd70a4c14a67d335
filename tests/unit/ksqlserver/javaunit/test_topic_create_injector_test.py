"""ksqlDB 0.29's TopicCreateInjectorTest and TopicPropertiesTest (ksqldb-engine, io.confluent.ksql.topic): the
sink topic a statement creates: its name, partitions, replicas, cleanup policy and retention."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:  # the fixture's helper (conftest is not importable under --import-mode=importlib)
    from conftest import Ksql

_WEEK = "604800000"  # TopicProperties.DEFAULT_RETENTION_IN_MS: a source topic without retention.ms


@pytest.fixture
def src(make_ksql: Callable[..., Ksql]) -> Ksql:
    """SOURCE over a topic of 3 partitions, 2 replicas and retention.ms 5000."""
    k = make_ksql()
    k.engine.driver.create_topic("source", partitions=3, replicas=2, config={"retention.ms": "5000"})
    k.execute("CREATE STREAM SOURCE (K INT KEY, V INT) WITH (KAFKA_TOPIC='source', VALUE_FORMAT='JSON');")
    k.engine.driver.create_topic("plain", partitions=2)
    k.execute("CREATE STREAM PLAIN (K INT KEY, V INT) WITH (KAFKA_TOPIC='plain', VALUE_FORMAT='JSON');")
    return k


def _topic(k: Ksql, name: str) -> tuple[int, int, dict[str, str]]:
    info = k.engine.driver.topics()[name]
    return info.partitions, info.replicas, {c: str(v) for c, v in info.config.items()}


def test_generated_name_and_source_properties(src: Ksql) -> None:
    """shouldGenerateName / TopicPropertiesTest: the sink's name, the source topic's partitions, replicas and
    retention (shouldCreateMissingTopic: a stream's topic is cleanup.policy=delete with retention.ms)."""
    src.execute("CREATE STREAM x AS SELECT * FROM SOURCE;")
    assert src.source("X").topic == "X"
    assert _topic(src, "X") == (3, 2, {"cleanup.policy": "delete", "retention.ms": "5000"})


def test_default_retention(src: Ksql) -> None:
    """TopicProperties.Builder.withSource: a source topic without retention.ms gives the default week."""
    src.execute("CREATE STREAM x AS SELECT * FROM PLAIN;")
    assert _topic(src, "X") == (2, 1, {"cleanup.policy": "delete", "retention.ms": _WEEK})


def test_with_clause_wins(src: Ksql) -> None:
    """shouldPreferWithClauseToSourcePartitions / ...Replicas / ...Retention / shouldUseNameFromWithClause."""
    src.execute(
        "CREATE STREAM x WITH (kafka_topic='topic', partitions=4, replicas=1, retention_ms=100) AS "
        "SELECT * FROM SOURCE;"
    )
    assert _topic(src, "topic") == (4, 1, {"cleanup.policy": "delete", "retention.ms": "100"})


def test_partial_with_clause(src: Ksql) -> None:
    """shouldPreferSourceRetentionToWithClause: what the WITH clause leaves out comes from the source."""
    src.execute("CREATE STREAM x WITH (kafka_topic='topic', partitions=1) AS SELECT * FROM SOURCE;")
    assert _topic(src, "topic") == (1, 2, {"cleanup.policy": "delete", "retention.ms": "5000"})


@pytest.mark.parametrize("where", ["overrides", "config"])
def test_name_prefix(make_ksql: Callable[..., Ksql], where: str) -> None:
    """shouldGenerateNameWithCorrectPrefixFromOverrides / ...FromConfig (ksql.output.topic.name.prefix)."""
    prefix = {"ksql.output.topic.name.prefix": "prefix-"}
    k = make_ksql(**(prefix if where == "config" else {}))
    k.execute("CREATE STREAM x AS SELECT * FROM TEST1;", properties=prefix if where == "overrides" else None)
    assert k.source("X").topic == "prefix-X"
    assert "prefix-X" in k.engine.driver.topics()


def test_table_cleanup_policy(src: Ksql) -> None:
    """shouldHaveCleanupPolicyCompactCtas / shouldCreateMissingTopicWithCompactCleanupPolicyForNonWindowed
    Tables: compact, and no retention.ms."""
    src.execute("CREATE TABLE x AS SELECT K, COUNT(*) AS C FROM SOURCE GROUP BY K;")
    assert _topic(src, "X") == (3, 2, {"cleanup.policy": "compact"})


@pytest.mark.parametrize(
    ("with_", "window", "retention"),
    [
        # shouldCreateMissingTopicWithCompactAndDeleteCleanupPolicyForWindowedTables: the source's retention
        ("", "SIZE 10 SECONDS", "5000"),
        # shouldCreateMissingTopicWithSpecifiedRetentionForWindowedTables: max(source, window retention)
        ("", "SIZE 10 SECONDS, RETENTION 4 DAYS", str(4 * 86_400_000)),
        # shouldCreateMissingTopicWithLargerRetentionForWindowedTables: max(WITH retention_ms, RETENTION)
        (", retention_ms=432000000", "SIZE 10 SECONDS, RETENTION 4 DAYS", "432000000"),
    ],
)
def test_windowed_table_topic(src: Ksql, with_: str, window: str, retention: str) -> None:
    """TopicCreateInjector.injectForCreateAsSelect over a windowed aggregation."""
    src.execute(
        f"CREATE TABLE x WITH (kafka_topic='topic'{with_}) AS SELECT K, COUNT(*) AS C FROM SOURCE "
        f"WINDOW TUMBLING ({window}) GROUP BY K;"
    )
    assert _topic(src, "topic")[2] == {"cleanup.policy": "compact,delete", "retention.ms": retention}


def test_create_missing_topic(src: Ksql) -> None:
    """shouldHaveCleanupPolicyDeleteCreateStream / shouldHaveCleanupPolicyCompactCreateTable: a CREATE with
    PARTITIONS makes its topic (a stream's keeps the default retention, a table's is compacted)."""
    src.execute("CREATE STREAM s (FOO VARCHAR) WITH (kafka_topic='foo', value_format='JSON', partitions=1);")
    assert _topic(src, "foo") == (1, 1, {"cleanup.policy": "delete", "retention.ms": _WEEK})
    src.execute(
        "CREATE TABLE t (ID INT PRIMARY KEY, FOO VARCHAR) WITH (kafka_topic='bar', value_format='JSON', "
        "partitions=2, replicas=1);"
    )
    assert _topic(src, "bar") == (2, 1, {"cleanup.policy": "compact"})


def test_missing_topic_without_partitions(src: Ksql) -> None:
    """shouldHaveSuperUsefulErrorMessageIfCreateWithNoPartitions (through the REST server's injectors the
    DefaultFormatInjector, which runs first, has added the KEY_FORMAT the example shows)."""
    msg = src.message("CREATE STREAM foo (FOO STRING) WITH (value_format='json', kafka_topic='doesntexist');")
    assert msg.startswith(
        "Topic 'doesntexist' does not exist. If you want to create a new topic for the stream/table please "
        "re-run the statement providing the required 'PARTITIONS' configuration in the WITH clause (and "
        "optionally 'REPLICAS'). For example: CREATE STREAM FOO (FOO STRING) WITH (KAFKA_TOPIC='doesntexist', "
        "KEY_FORMAT='KAFKA', PARTITIONS=2, VALUE_FORMAT='JSON');"
    )


@pytest.mark.parametrize(
    "sql",
    [
        # shouldThrowIfRetentionConfigPresentInCreateTable
        "CREATE TABLE foo_bar (FOO STRING PRIMARY KEY, BAR STRING) WITH (kafka_topic='doesntexist', "
        "partitions=2, format='json', retention_ms=30000);",
        # shouldThrowIfRetentionConfigPresentInCreateTableAs
        "CREATE TABLE foo_bar WITH (kafka_topic='doesntexist', partitions=2, format='json', retention_ms=30000) "
        "AS SELECT * FROM TEST2;",
    ],
)
def test_retention_on_table(src: Ksql, sql: str) -> None:
    """TopicCreateInjector.throwIfRetentionPresentForTable."""
    assert (
        "Invalid config variable in the WITH clause: RETENTION_MS. Non-windowed tables do not support "
        "retention." in src.message(sql)
    )


@pytest.mark.parametrize(
    "sql",
    [
        "CREATE TABLE foo_bar (FOO STRING PRIMARY KEY, BAR STRING) WITH (kafka_topic='foo', partitions=1, "
        "value_format='json', cleanup_policy='whatever');",
        "CREATE TABLE foo_bar WITH (kafka_topic='foo', partitions=1, cleanup_policy='whatever') AS "
        "SELECT * FROM TEST2;",
        "CREATE STREAM x (FOO VARCHAR) WITH (kafka_topic='foo', partitions=1, value_format='json', "
        "cleanup_policy='whatever');",
        "CREATE STREAM x WITH (kafka_topic='topic', partitions=1, cleanup_policy='whatever') AS "
        "SELECT * FROM TEST1;",
    ],
)
def test_cleanup_policy_in_with_clause(src: Ksql, sql: str) -> None:
    """shouldThrowIfCleanupPolicyPresentIn*: CLEANUP_POLICY_PRESENT_EXCEPTION."""
    assert (
        "Invalid config variable in the WITH clause: CLEANUP_POLICY.\nThe CLEANUP_POLICY config is "
        "automatically inferred based on the type of source (STREAM or TABLE).\nUsers can't set the "
        "CLEANUP_POLICY config manually." in src.message(sql)
    )


def test_join_uses_left_source_topic(src: Ksql) -> None:
    """shouldIdentifyAndUseCorrectSourceInJoin: a join's sink takes the left (primary) source's topic."""
    src.engine.driver.create_topic("tbl", partitions=3, config={"retention.ms": "7"})
    src.execute("CREATE TABLE T (K INT PRIMARY KEY, W INT) WITH (KAFKA_TOPIC='tbl', VALUE_FORMAT='JSON');")
    src.execute("CREATE STREAM x AS SELECT S.K, V, W FROM SOURCE S JOIN T ON S.K = T.K;")
    assert _topic(src, "X") == (3, 2, {"cleanup.policy": "delete", "retention.ms": "5000"})
