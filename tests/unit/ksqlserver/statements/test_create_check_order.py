"""The order of a CREATE's checks in ksqlDB 0.29 when a name already exists.

RequestValidator runs the injector chain (DefaultFormatInjector, SourcePropertyInjector, DefaultSchemaInjector,
TopicCreateInjector, SchemaRegisterInjector) before the engine plans the statement, so the topic checks
(CLEANUP_POLICY, a missing topic without PARTITIONS, a table's RETENTION_MS, an existing topic that does not
fit) come before CreateSourceFactory / EngineExecutor.maybeCreateSinkDdl refuse an existing name, with or
without IF NOT EXISTS and OR REPLACE. IF NOT EXISTS passes the name on: every later check still applies
(CreateSourceFactory's PRIMARY KEY, the query's planning), DistributingExecutor injects the statement (the
topic is made) and only then answers checkIfNotExistsResponse's warning."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.errors import KsqlError


@pytest.fixture
def driver() -> MemoryDriver:
    d = MemoryDriver()
    d.create_topic("x", partitions=1)
    return d


@pytest.fixture
def engine(driver: MemoryDriver) -> Iterator[Engine]:
    e = Engine(EngineConfig(service_id="k_", synchronous=True, properties={"auto.offset.reset": "earliest"}), driver)
    e.execute("CREATE STREAM X (A STRING) WITH (KAFKA_TOPIC='x', VALUE_FORMAT='JSON');")
    e.execute("CREATE TABLE T (ID INT PRIMARY KEY, A STRING) WITH (KAFKA_TOPIC='x', VALUE_FORMAT='JSON');")
    yield e
    e.close()


def _error(engine: Engine, sql: str) -> str:
    with pytest.raises(KsqlError) as info:
        engine.execute(sql)
    return str(info.value.message)


@pytest.mark.parametrize("create", ["CREATE STREAM", "CREATE STREAM IF NOT EXISTS", "CREATE OR REPLACE STREAM"])
def test_a_missing_topic_is_reported_before_the_existing_name(engine: Engine, create: str) -> None:
    """TopicCreateInjector.injectForCreateSource throws for a missing topic without PARTITIONS before
    CreateSourceFactory.createStreamCommand checks the name."""
    message = _error(engine, f"{create} X (A STRING) WITH (KAFKA_TOPIC='missing', VALUE_FORMAT='JSON');")
    assert message.startswith("Topic 'missing' does not exist. If you want to create a new topic")


@pytest.mark.parametrize("create", ["CREATE STREAM", "CREATE STREAM IF NOT EXISTS", "CREATE OR REPLACE STREAM"])
def test_a_topic_that_does_not_fit_is_reported_before_the_existing_name(engine: Engine, create: str) -> None:
    """TopicCreateInjector.createTopic -> KafkaTopicClientImpl.createTopic validates the existing topic
    (TopicValidationUtil) before the engine sees the statement."""
    message = _error(engine, f"{create} X (A STRING) WITH (KAFKA_TOPIC='x', PARTITIONS=3, VALUE_FORMAT='JSON');")
    assert message.startswith("A Kafka topic with the name 'x' already exists, with different partition/replica")


def test_cleanup_policy_is_refused_before_the_existing_name(engine: Engine) -> None:
    """TopicCreateInjector: CLEANUP_POLICY_PRESENT_EXCEPTION, for CREATE and CREATE ... AS SELECT alike."""
    for sql in (
        "CREATE STREAM IF NOT EXISTS X (A STRING) WITH (KAFKA_TOPIC='x', VALUE_FORMAT='JSON', CLEANUP_POLICY='delete');",
        "CREATE STREAM X WITH (CLEANUP_POLICY='delete') AS SELECT * FROM X;",
    ):
        assert "CLEANUP_POLICY" in _error(engine, sql)


def test_the_existing_name_comes_after_the_topic_checks(engine: Engine) -> None:
    """CreateSourceFactory.createStreamCommand's own message once the topic fits."""
    message = _error(engine, "CREATE STREAM X (A STRING) WITH (KAFKA_TOPIC='x', VALUE_FORMAT='JSON');")
    assert message == "Cannot add stream 'X': A stream with the same name already exists"


def test_if_not_exists_still_needs_a_primary_key(engine: Engine) -> None:
    """CreateSourceFactory.createTableCommand: the name passes with IF NOT EXISTS, the PRIMARY KEY check that
    follows it does not."""
    message = _error(engine, "CREATE TABLE IF NOT EXISTS T (A STRING) WITH (KAFKA_TOPIC='x', VALUE_FORMAT='JSON');")
    assert message == "Tables require a PRIMARY KEY. Please define the PRIMARY KEY."


def test_if_not_exists_makes_the_topic_then_warns(engine: Engine, driver: MemoryDriver) -> None:
    """DistributingExecutor.execute injects the statement (TopicCreateInjector creates the topic) before
    checkIfNotExistsResponse answers with a WarningEntity naming the statement as sent."""
    sql = "CREATE STREAM IF NOT EXISTS X (A STRING) WITH (KAFKA_TOPIC='fresh', PARTITIONS=2, VALUE_FORMAT='JSON');"
    [warning] = engine.execute(sql)
    assert warning == {
        "@type": "warning_entity",
        "statementText": sql,
        "message": "Cannot add stream `X`: A stream with the same name already exists.",
        "warnings": [],
    }
    topic = driver.topic("fresh")
    assert topic is not None and topic.partitions == 2


def test_csas_if_not_exists_is_planned_before_it_warns(engine: Engine, driver: MemoryDriver) -> None:
    """SchemaRegisterInjector plans the query in a sandbox (EngineExecutor.plan; maybeCreateSinkDdl lets IF
    NOT EXISTS through), so a query that does not plan fails even though the sink exists; one that plans
    gets the warning, its sink topic made, and no query runs."""
    assert "NOPE" in _error(engine, "CREATE STREAM IF NOT EXISTS X AS SELECT NOPE FROM X;")
    [warning] = engine.execute("CREATE STREAM IF NOT EXISTS X WITH (KAFKA_TOPIC='csas') AS SELECT * FROM X;")
    assert warning["@type"] == "warning_entity"
    assert warning["message"] == "Cannot add stream `X`: A stream with the same name already exists."
    assert driver.topic("csas") is not None
    [queries] = engine.execute("SHOW QUERIES;")
    assert queries["queries"] == []


def test_csas_if_not_exists_of_a_table_name_is_planned_as_a_stream(engine: Engine) -> None:
    """checkIfNotExistsResponse names the statement's own type for both, whatever the existing source is."""
    [warning] = engine.execute("CREATE STREAM IF NOT EXISTS T AS SELECT * FROM X;")
    assert warning["message"] == "Cannot add stream `T`: A stream with the same name already exists."


def test_without_a_command_topic_the_engine_answers_with_the_ddl_result(driver: MemoryDriver) -> None:
    """No DistributingExecutor: the engine's result is DdlCommandExec.executeCreateStream's message (the
    existing source's type)."""
    config = EngineConfig(service_id="k_", synchronous=True, command_topic=False)
    e = Engine(config, driver)
    try:
        e.execute("CREATE TABLE T (ID INT PRIMARY KEY, A STRING) WITH (KAFKA_TOPIC='x', VALUE_FORMAT='JSON');")
        [status] = e.execute("CREATE STREAM IF NOT EXISTS T (A STRING) WITH (KAFKA_TOPIC='x', VALUE_FORMAT='JSON');")
        assert status["@type"] == "currentStatus"
        assert status["commandStatus"]["message"] == "Cannot add stream T: A table with the same name already exists."
    finally:
        e.close()
