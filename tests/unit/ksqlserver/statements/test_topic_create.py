"""The topics CREATE statements make, as ksqlDB 0.29's TopicCreateInjector (with TopicProperties.Builder)
configures them, and KafkaTopicClientImpl.createTopic's check of a topic that exists already
(TopicValidationUtil.validateTopicProperties)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.errors import KsqlError, TopicExistsError


@pytest.fixture
def driver() -> MemoryDriver:
    d = MemoryDriver()
    d.create_topic("s", 2, 1)  # the source topic, made by someone else: no configs of its own
    return d


@pytest.fixture
def engine(driver: MemoryDriver) -> Iterator[Engine]:
    e = Engine(EngineConfig(service_id="t_", synchronous=True, processing_log=False, command_topic=False), driver)
    e.execute("CREATE STREAM S (ID INT KEY, A INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');")
    e.execute("CREATE TABLE T (ID INT PRIMARY KEY, A INT) WITH (KAFKA_TOPIC='t', PARTITIONS=2, VALUE_FORMAT='JSON');")
    yield e
    e.close()


def error(engine: Engine, sql: str) -> KsqlError:
    with pytest.raises(KsqlError) as e:
        engine.execute(sql)
    return e.value


def test_create_as_select_topic_configs(engine: Engine, driver: MemoryDriver) -> None:
    """TopicCreateInjector.injectForCreateAsSelect + createTopic: a stream's topic cleanup.policy=delete
    with the source's retention (7 days when the source topic names none), a table's compact without
    retention.ms, a windowed table's compact,delete with max(RETENTION_MS, the window's RETENTION)."""
    engine.execute("CREATE STREAM S2 AS SELECT * FROM S;")
    engine.execute("CREATE STREAM S3 WITH (RETENTION_MS=5000) AS SELECT * FROM S;")
    engine.execute("CREATE TABLE C AS SELECT ID, COUNT(*) AS N FROM S GROUP BY ID;")
    engine.execute(
        "CREATE TABLE W AS SELECT ID, COUNT(*) AS N FROM S "
        "WINDOW TUMBLING (SIZE 1 SECOND, RETENTION 10 DAYS) GROUP BY ID;"
    )
    engine.execute(
        "CREATE TABLE W2 WITH (RETENTION_MS=5000) AS SELECT ID, COUNT(*) AS N FROM S "
        "WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY ID;"
    )
    topics = driver.topics()
    assert topics["S2"].config == {"cleanup.policy": "delete", "retention.ms": "604800000"}
    assert (topics["S2"].partitions, topics["S2"].replicas) == (2, 1)  # from the source topic
    assert topics["S3"].config == {"cleanup.policy": "delete", "retention.ms": "5000"}
    assert topics["C"].config == {"cleanup.policy": "compact"}
    assert topics["W"].config == {"cleanup.policy": "compact,delete", "retention.ms": str(10 * 86_400_000)}
    assert topics["W2"].config == {"cleanup.policy": "compact,delete", "retention.ms": "5000"}


def test_create_as_select_inherits_the_source_topics_retention(driver: MemoryDriver) -> None:
    """TopicProperties.Builder.withSource: retention.ms of the primary source's topic."""
    driver.create_topic("r", 1, 1, {"retention.ms": "1234"})
    e = Engine(EngineConfig(service_id="t_", synchronous=True, processing_log=False, command_topic=False), driver)
    e.execute("CREATE STREAM R (A INT) WITH (KAFKA_TOPIC='r', VALUE_FORMAT='JSON');")
    e.execute("CREATE STREAM R2 AS SELECT * FROM R;")
    assert driver.topics()["R2"].config["retention.ms"] == "1234"
    e.close()


def test_create_source_topic_configs(engine: Engine, driver: MemoryDriver) -> None:
    """TopicCreateInjector.injectForCreateSource: a new table topic is compacted, a stream's deleted with
    RETENTION_MS (else 7 days)."""
    assert driver.topics()["t"].config == {"cleanup.policy": "compact"}
    engine.execute("CREATE STREAM N (A INT) WITH (KAFKA_TOPIC='n', PARTITIONS=3, RETENTION_MS=99, VALUE_FORMAT='JSON');")
    assert driver.topics()["n"].config == {"cleanup.policy": "delete", "retention.ms": "99"}
    assert driver.topics()["n"].partitions == 3


def test_existing_sink_topic_with_other_partitions_is_refused(engine: Engine, driver: MemoryDriver) -> None:
    """TopicValidationUtil.validateTopicProperties: also when the partition count is the one defaulted from
    the source topic (TopicProperties.Builder), and before the query is planned (TopicCreateInjector runs
    ahead of SchemaRegisterInjector), so an analysis error of the same statement does not show."""
    driver.create_topic("X", 4, 1)
    e = error(engine, "CREATE STREAM X AS SELECT * FROM S;")
    assert isinstance(e, TopicExistsError)
    assert e.message == (
        "A Kafka topic with the name 'X' already exists, with different partition/replica configuration than "
        "required. KSQL expects 2 partitions (topic has 4), 1 replication factor (topic has 1)."
    )
    e = error(engine, "CREATE STREAM X AS SELECT NOPE FROM S;")
    assert isinstance(e, TopicExistsError)
    assert engine.state.metastore.get("X") is None
    # the right count given explicitly: accepted, the topic kept
    engine.execute("CREATE STREAM X WITH (PARTITIONS=4) AS SELECT * FROM S;")
    assert driver.topics()["X"].partitions == 4


def test_existing_topic_replicas_and_retention(engine: Engine, driver: MemoryDriver) -> None:
    """TopicValidationUtil: fewer replicas than asked for, or another retention when both name one, is
    refused (the message then names the retention too); more replicas are fine."""
    driver.create_topic("Y", 2, 3)
    engine.execute("CREATE STREAM Y WITH (REPLICAS=2) AS SELECT * FROM S;")  # 3 >= 2
    driver.create_topic("Z", 2, 1, {"retention.ms": "100"})
    e = error(engine, "CREATE STREAM Z WITH (RETENTION_MS=200) AS SELECT * FROM S;")
    assert e.message == (
        "A Kafka topic with the name 'Z' already exists, with different partition/replica/retention "
        "configuration than required. KSQL expects 2 partitions (topic has 2), 1 replication factor "
        "(topic has 1), and 200 retention (topic has 100)."
    )
    driver.create_topic("V", 2, 1)
    e = error(engine, "CREATE STREAM V WITH (REPLICAS=3) AS SELECT * FROM S;")
    assert "KSQL expects 2 partitions (topic has 2), 3 replication factor (topic has 1)." in e.message


def test_create_source_with_other_partitions_than_its_topic(engine: Engine) -> None:
    """injectForCreateSource calls createTopic for an existing topic too: PARTITIONS must match it."""
    e = error(engine, "CREATE STREAM S9 (A INT) WITH (KAFKA_TOPIC='s', PARTITIONS=5, VALUE_FORMAT='JSON');")
    assert e.message.startswith("A Kafka topic with the name 's' already exists")
    assert e.to_entity()["error_code"] == 40000
    engine.execute("CREATE STREAM S8 (A INT) WITH (KAFKA_TOPIC='s', PARTITIONS=2, VALUE_FORMAT='JSON');")


def test_create_source_topic_errors_come_before_the_source_factorys(engine: Engine) -> None:
    """TopicCreateInjector runs before the engine's CreateSourceFactory: a topic that does not fit the
    WITH clause is reported before a table is found without PRIMARY KEY."""
    e = error(engine, "CREATE TABLE Q (A INT) WITH (KAFKA_TOPIC='s', PARTITIONS=5, VALUE_FORMAT='JSON');")
    assert isinstance(e, TopicExistsError)
    e = error(engine, "CREATE TABLE Q (A INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');")
    assert e.message == "Tables require a PRIMARY KEY. Please define the PRIMARY KEY."


def test_a_persistent_query_keeps_the_injected_statement(engine: Engine) -> None:
    """TopicCreateInjector.injectForCreateAsSelect -> buildPreparedStatement: SqlFormatter over the CSAS with
    withTopic(name, partitions, replicas, retention) and withCleanupPolicy, then ";" -- SHOW QUERIES'
    queryString. A windowed table states its window's RETENTION (the topic itself gets the larger one)."""
    engine.execute("CREATE STREAM S2 WITH (VALUE_FORMAT='JSON') AS SELECT ID, A FROM S WHERE A > 1;")
    engine.execute(
        "CREATE TABLE W AS SELECT ID, COUNT(*) AS C FROM S "
        "WINDOW TUMBLING (SIZE 1 SECOND, RETENTION 2 DAYS) GROUP BY ID;"
    )
    [queries] = engine.execute("SHOW QUERIES;")
    texts = {q["sinks"][0]: q["queryString"] for q in queries["queries"]}
    assert texts["S2"] == (
        "CREATE STREAM S2 WITH (CLEANUP_POLICY='delete', KAFKA_TOPIC='S2', PARTITIONS=2, REPLICAS=1, "
        "RETENTION_MS=604800000, VALUE_FORMAT='JSON') AS SELECT\n  S.ID ID,\n  S.A A\nFROM S S\n"
        "WHERE (S.A > 1)\nEMIT CHANGES;"
    )
    assert texts["W"] == (
        "CREATE TABLE W WITH (CLEANUP_POLICY='compact,delete', KAFKA_TOPIC='W', PARTITIONS=2, REPLICAS=1, "
        "RETENTION_MS=172800000) AS SELECT\n  S.ID ID,\n  COUNT(*) C\nFROM S S\n"
        "WINDOW TUMBLING ( SIZE 1 SECONDS , RETENTION 2 DAYS ) \nGROUP BY S.ID\nEMIT CHANGES;"
    )
