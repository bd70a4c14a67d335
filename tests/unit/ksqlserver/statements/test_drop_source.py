"""DROP STREAM|TABLE as ksqlDB 0.29: the checks and messages of TopicDeleteInjector (DELETE TOPIC),
DropSourceFactory, EngineContext.throwIfInsertQueriesExist and MetaStoreImpl's drop constraints, and the
topic and Schema Registry subjects DELETE TOPIC removes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.errors import KsqlError
from ksqlserver.formats.sr.client import MemoryRegistryClient

EARLIEST = {"ksql.streams.auto.offset.reset": "earliest"}


@pytest.fixture
def registry() -> MemoryRegistryClient:
    return MemoryRegistryClient()


@pytest.fixture
def engine(registry: MemoryRegistryClient) -> Iterator[Engine]:
    e = Engine(EngineConfig(service_id="t_", synchronous=True, processing_log=False, command_topic=False,
                            properties=EARLIEST), MemoryDriver(), registry)
    e.execute("CREATE STREAM S (ID INT KEY, A INT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, VALUE_FORMAT='JSON');")
    yield e
    e.close()


def error(engine: Engine, sql: str) -> str:
    with pytest.raises(KsqlError) as e:
        engine.execute(sql)
    return e.value.message


def test_a_source_read_by_a_create_as_select_names_the_sink_even_after_terminate(engine: Engine) -> None:
    [created] = engine.execute("CREATE STREAM T AS SELECT * FROM S;")
    expected = ("Cannot drop S.\nThe following streams and/or tables read from this source: [T].\n"
                "You need to drop them before dropping S.")
    assert error(engine, "DROP STREAM S;") == expected
    engine.execute(f"TERMINATE {created['commandStatus']['queryId']};")
    assert error(engine, "DROP STREAM S;") == expected  # the constraint belongs to T, not to its query
    engine.execute("DROP STREAM T;")
    engine.execute("DROP STREAM S;")
    assert engine.state.metastore.get("S") is None


def test_insert_queries_are_named_by_id(engine: Engine) -> None:
    engine.execute("CREATE STREAM U (ID INT KEY, A INT) WITH (KAFKA_TOPIC='u', PARTITIONS=1, VALUE_FORMAT='JSON');")
    [ins] = engine.execute("INSERT INTO U SELECT * FROM S;")
    qid = ins["commandStatus"]["queryId"]
    assert error(engine, "DROP STREAM S;") == (
        f"Cannot drop S.\nThe following queries read from this source: [{qid}].\n"
        "The following queries write into this source: [].\nYou need to terminate them before dropping S.")
    assert error(engine, "DROP STREAM U;") == (
        f"Cannot drop U.\nThe following queries read from this source: [].\n"
        f"The following queries write into this source: [{qid}].\nYou need to terminate them before dropping U.")


def test_dropping_the_sink_terminates_its_query_and_frees_its_sources(engine: Engine) -> None:
    engine.execute("CREATE TABLE C AS SELECT ID, COUNT(*) AS N FROM S GROUP BY ID;")
    engine.execute("DROP TABLE C;")
    assert engine.state.persistent == {}
    engine.execute("DROP STREAM S;")


def test_wrong_kind_in_lower_case(engine: Engine) -> None:
    assert error(engine, "DROP TABLE S;") == "Incompatible data source type is stream, but statement was DROP table"


def test_delete_topic_refusals_come_before_the_drop_checks(engine: Engine) -> None:
    engine.execute("CREATE STREAM S2 (ID INT KEY, B INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');")
    engine.execute("CREATE STREAM S3 (ID INT KEY, B INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');")
    engine.execute("CREATE STREAM T AS SELECT * FROM S;")
    assert error(engine, "DROP STREAM S DELETE TOPIC;") == (
        "Refusing to delete topic. Found other data sources (S2, S3) using topic s")
    engine.execute("CREATE SOURCE STREAM R (ID INT KEY) WITH (KAFKA_TOPIC='r', PARTITIONS=1, VALUE_FORMAT='JSON');")
    assert error(engine, "DROP TABLE R DELETE TOPIC;") == "Cannot delete topic for read-only source: R"
    assert error(engine, "DROP STREAM NOPE DELETE TOPIC;").startswith(
        "Could not find source to delete topic for: ")
    assert engine.execute("DROP STREAM IF EXISTS NOPE DELETE TOPIC;")[0]["commandStatus"]["message"] == (
        "Source `NOPE` does not exist.")
    assert "s" in engine.state.driver.topics()  # nothing deleted by a refused statement


def test_delete_topic_removes_the_topic_and_its_registry_subjects(
    engine: Engine, registry: MemoryRegistryClient
) -> None:
    engine.execute("CREATE STREAM AV (ID INT KEY, A INT) WITH (KAFKA_TOPIC='av', PARTITIONS=1, "
                   "KEY_FORMAT='AVRO', VALUE_FORMAT='AVRO');")
    engine.execute("CREATE STREAM JV (ID INT KEY, A INT) WITH (KAFKA_TOPIC='jv', PARTITIONS=1, "
                   "KEY_FORMAT='KAFKA', VALUE_FORMAT='AVRO');")
    assert {"av-key", "av-value", "jv-value"} <= set(registry.subjects())
    registry.delete_subject("jv-value")  # gone already: not an error
    engine.execute("DROP STREAM AV DELETE TOPIC;")
    engine.execute("DROP STREAM JV DELETE TOPIC;")
    assert not {"av-key", "av-value", "jv-value"} & set(registry.subjects())
    assert not {"av", "jv"} & set(engine.state.driver.topics())
    engine.execute("DROP STREAM S DELETE TOPIC;")  # JSON: no subjects to delete
    assert "s" not in engine.state.driver.topics()


def test_terminate_deletes_the_internal_topics_subjects(engine: Engine, registry: MemoryRegistryClient) -> None:
    engine.execute("CREATE STREAM AV (ID INT KEY, A INT) WITH (KAFKA_TOPIC='av', PARTITIONS=1, VALUE_FORMAT='AVRO');")
    [created] = engine.execute("CREATE TABLE BY_A WITH (FORMAT='AVRO') AS SELECT A, COUNT(*) AS N FROM AV GROUP BY A;")
    qid = created["commandStatus"]["queryId"]
    app = f"_confluent-ksql-t_query_{qid}"
    internal = f"{app}-Aggregate-Aggregate-Materialize-changelog-value"
    registry.register(internal, registry.latest("av-value").schema)  # as Kafka Streams' serde registers it
    registry.register("unrelated-changelog-value", registry.latest("av-value").schema)
    engine.execute(f"TERMINATE {qid};")
    assert internal not in registry.subjects()
    assert "unrelated-changelog-value" in registry.subjects()
    assert "BY_A-value" in registry.subjects()  # the sink's own subject stays
