"""ksqlDB 0.29 ReservedInternalTopicsTest (ksqldb-common, util): ReservedInternalTopics.isHidden /
removeHiddenTopics as SHOW TOPICS filters topics (and SHOW ALL TOPICS does not), isReadOnly as INSERT INTO
... SELECT (DistributingExecutor) and INSERT VALUES (InsertValuesExecutor) refuse a read-only sink topic, and
the command and processing-log topic names. configsTopic (_confluent-ksql-default__configs) is not created by
this engine."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.errors import KsqlError

CONFIG = {
    "ksql.hidden.topics": "prefix_.*,literal,.*_suffix",
    "ksql.readonly.topics": "ro_prefix_.*,ro_literal,.*_suffix_ro",
}
HIDDEN = ["_confluent-ksql-_test", "prefix_", "_suffix", "prefix_topic", "topic_suffix", "literal"]
READ_ONLY = ["default_ksql_processing_log", "_confluent-ksql-_test", "ro_prefix_", "_suffix_ro",
             "ro_prefix_topic", "topic_suffix_ro", "ro_literal"]  # fmt: skip
NOT_HIDDEN = ["default_ksql_processing_log", "topic_prefix_", "_suffix_topic"]
NOT_READ_ONLY = ["topic_prefix_", "_suffix_topic"]
OTHERS = ["prefix_name", "tt", "name1", "suffix", "p_suffix"]
TOPICS = sorted({*HIDDEN, *READ_ONLY, *NOT_HIDDEN, *OTHERS, "src"} - {"default_ksql_processing_log"})


@pytest.fixture
def engine() -> Iterator[Engine]:
    d = MemoryDriver()
    for t in TOPICS:
        d.create_topic(t, partitions=1)
    e = Engine(EngineConfig(service_id="default_", synchronous=True, properties=CONFIG), d)
    e.execute("CREATE STREAM SRC (K STRING KEY, V INT) WITH (KAFKA_TOPIC='src', VALUE_FORMAT='JSON');")
    yield e
    e.close()


def _listed(engine: Engine, sql: str = "SHOW TOPICS;") -> set[str]:
    [entity] = engine.execute(sql)
    return {t["name"] for t in entity["topics"]}


def test_should_return_true_on_all_hidden_topics(engine: Engine) -> None:
    listed = _listed(engine)
    assert not listed & set(HIDDEN)
    assert set(HIDDEN) - {"_confluent-ksql-_test"} <= _listed(engine, "SHOW ALL TOPICS;")


def test_should_return_false_on_non_hidden_topics(engine: Engine) -> None:
    assert set(NOT_HIDDEN) <= _listed(engine)


def test_should_remove_all_hidden_topics(engine: Engine) -> None:
    """shouldRemoveAllHiddenTopics: of prefix_name, literal, tt, name1, suffix, p_suffix."""
    assert _listed(engine) & {"prefix_name", "literal", "tt", "name1", "suffix", "p_suffix"} == {
        "tt",
        "name1",
        "suffix",
    }


def _sink(engine: Engine, topic: str) -> str:
    name = "S_" + "".join(c if c.isalnum() else "_" for c in topic).upper()
    engine.execute(
        f"CREATE STREAM {name} (K STRING KEY, V INT) WITH (KAFKA_TOPIC='{topic}', VALUE_FORMAT='JSON', PARTITIONS=1);"
    )
    return name


@pytest.mark.parametrize("topic", READ_ONLY)
def test_should_return_true_on_all_read_only_topics(engine: Engine, topic: str) -> None:
    sink = _sink(engine, topic)
    with pytest.raises(KsqlError) as err:
        engine.execute(f"INSERT INTO {sink} SELECT * FROM SRC;")
    assert err.value.message == f"Cannot insert into read-only topic: {topic}"
    with pytest.raises(KsqlError) as err:
        engine.execute(f"INSERT INTO {sink} (K, V) VALUES ('a', 1);")
    assert err.value.message == f"Cannot insert values into read-only topic: {topic}"


@pytest.mark.parametrize("topic", NOT_READ_ONLY)
def test_should_return_false_on_non_read_only_topics(engine: Engine, topic: str) -> None:
    sink = _sink(engine, topic)
    engine.execute(f"INSERT INTO {sink} SELECT * FROM SRC;")
    engine.execute(f"INSERT INTO {sink} (K, V) VALUES ('a', 1);")


def test_should_return_command_and_processing_log_topics(engine: Engine) -> None:
    """shouldReturnCommandTopic / shouldReturnProcessingLogTopic: `_confluent-ksql-<service id>_command_topic`
    (hidden) and `<service id>ksql_processing_log` (listed)."""
    assert "_confluent-ksql-default__command_topic" in _listed(engine, "SHOW ALL TOPICS;")
    assert "_confluent-ksql-default__command_topic" not in _listed(engine)
    assert "default_ksql_processing_log" in _listed(engine)
