"""The text ksqlDB 0.29 keeps for a CREATE ... AS SELECT: the statement as its injectors re-formatted it.

SourcePropertyInjector prints the sanitised statement with SqlFormatter; TopicCreateInjector
.injectForCreateAsSelect then sets KAFKA_TOPIC, PARTITIONS, REPLICAS, RETENTION_MS
(CreateSourceAsProperties.withTopic) and CLEANUP_POLICY (withCleanupPolicy) and prints it again with a
closing semicolon. DefaultFormatInjector leaves a CREATE ... AS SELECT alone (it handles CreateSource only),
so no KEY_FORMAT/VALUE_FORMAT is added. That text is the response's statementText, the query's (SHOW
QUERIES, EXPLAIN) and the sink's (DESCRIBE EXTENDED)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig


@pytest.fixture
def driver() -> MemoryDriver:
    return MemoryDriver()


@pytest.fixture
def engine(driver: MemoryDriver) -> Iterator[Engine]:
    e = Engine(EngineConfig(service_id="k_", synchronous=True, properties={"auto.offset.reset": "earliest"}), driver)
    yield e
    e.close()


def _texts(engine: Engine, name: str, query_id: str) -> tuple[str, str, str]:
    [described] = engine.execute(f"DESCRIBE {name} EXTENDED;")
    [queries] = engine.execute("SHOW QUERIES;")
    [explained] = engine.execute(f"EXPLAIN {query_id};")
    query_string = next(q["queryString"] for q in queries["queries"] if q["id"] == query_id)
    return described["sourceDescription"]["statement"], query_string, explained["queryDescription"]["statementText"]


def test_a_csas_is_kept_with_the_topic_properties_injected(engine: Engine, driver: MemoryDriver) -> None:
    """TopicCreateInjectorTest.shouldUpdateStatementText: `CREATE STREAM x AS SELECT * FROM SOURCE;` becomes
    CREATE STREAM X WITH (CLEANUP_POLICY='delete', KAFKA_TOPIC=..., PARTITIONS=..., REPLICAS=...,
    RETENTION_MS=...) AS SELECT *\\nFROM SOURCE SOURCE\\nEMIT CHANGES; the topic's numbers come from the
    source's topic (TopicProperties.Builder.withSource), 7 days when it names no retention."""
    driver.create_topic("src", partitions=3, replicas=1, config={"retention.ms": "100"})
    engine.execute("CREATE STREAM SOURCE (A STRING) WITH (KAFKA_TOPIC='src', VALUE_FORMAT='JSON');")
    [created] = engine.execute("CREATE STREAM x AS SELECT * FROM SOURCE;")
    text = (
        "CREATE STREAM X WITH (CLEANUP_POLICY='delete', KAFKA_TOPIC='X', PARTITIONS=3, REPLICAS=1, "
        "RETENTION_MS=100) AS SELECT *\nFROM SOURCE SOURCE\nEMIT CHANGES;"
    )
    assert created["statementText"] == text
    assert _texts(engine, "X", created["commandStatus"]["queryId"]) == (text, text, text)


def test_a_ctas_is_kept_as_ksqldbs_client_integration_test_lists_it(engine: Engine, driver: MemoryDriver) -> None:
    """ClientIntegrationTest.shouldListQueries / shouldDescribeSource: a compacted table's statement still
    names the RETENTION_MS taken from the source topic (-1 there), columns qualified and aliased, GROUP BY
    qualified, EMIT CHANGES added."""
    driver.create_topic("STRUCTURED_TYPES_TOPIC", partitions=1, replicas=1, config={"retention.ms": "-1"})
    engine.execute(
        "CREATE STREAM STRUCTURED_TYPES (K STRING KEY, LONG BIGINT) "
        "WITH (KAFKA_TOPIC='STRUCTURED_TYPES_TOPIC', FORMAT='JSON');"
    )
    [created] = engine.execute(
        "CREATE TABLE AGG_TABLE AS SELECT K, LATEST_BY_OFFSET(LONG) AS LONG FROM STRUCTURED_TYPES GROUP BY K;"
    )
    text = (
        "CREATE TABLE AGG_TABLE WITH (CLEANUP_POLICY='compact', KAFKA_TOPIC='AGG_TABLE', PARTITIONS=1, "
        "REPLICAS=1, RETENTION_MS=-1) AS SELECT\n"
        "  STRUCTURED_TYPES.K K,\n"
        "  LATEST_BY_OFFSET(STRUCTURED_TYPES.LONG) LONG\n"
        "FROM STRUCTURED_TYPES STRUCTURED_TYPES\n"
        "GROUP BY STRUCTURED_TYPES.K\n"
        "EMIT CHANGES;"
    )
    assert created["statementText"] == text
    assert _texts(engine, "AGG_TABLE", created["commandStatus"]["queryId"]) == (text, text, text)


def test_given_properties_stay_and_a_windowed_table_names_its_window_retention(engine: Engine, driver: MemoryDriver) -> None:
    """withTopic overwrites KAFKA_TOPIC, PARTITIONS, REPLICAS and RETENTION_MS and keeps every other given
    property (names upper-cased); a windowed table's RETENTION_MS is the window's RETENTION
    (additionalTopicConfigs), while the topic keeps the larger of it and the topic retention."""
    driver.create_topic("r", partitions=2, replicas=1)
    engine.execute("CREATE STREAM R (ID INT KEY, A STRING) WITH (KAFKA_TOPIC='r', VALUE_FORMAT='JSON');")
    [created] = engine.execute(
        "CREATE TABLE T WITH (kafka_topic='tt', value_format='delimited', partitions=4) AS SELECT ID, COUNT(*) C "
        "FROM R WINDOW TUMBLING (SIZE 1 MINUTE, RETENTION 2 DAYS) GROUP BY ID;"
    )
    assert created["statementText"] == (
        "CREATE TABLE T WITH (CLEANUP_POLICY='compact,delete', KAFKA_TOPIC='tt', PARTITIONS=4, REPLICAS=1, "
        "RETENTION_MS=172800000, VALUE_FORMAT='delimited') AS SELECT\n"
        "  R.ID ID,\n"
        "  COUNT(*) C\n"
        "FROM R R\n"
        "WINDOW TUMBLING ( SIZE 1 MINUTES , RETENTION 2 DAYS ) \n"
        "GROUP BY R.ID\n"
        "EMIT CHANGES;"
    )
    assert driver.topic_config("tt")["retention.ms"] == str(604_800_000)
