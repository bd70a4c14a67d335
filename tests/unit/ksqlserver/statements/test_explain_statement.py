"""EXPLAIN <statement> as ksqlDB 0.29's ExplainExecutor answers it: the statement (a push query, CREATE ...
AS SELECT or INSERT INTO ... SELECT) planned in a sandbox, described by QueryDescriptionFactory
(QueryDescriptionEntity, `queryDescription`), with no side effect; any other statement is refused with
"The provided statement does not run a ksql query", and errors name the EXPLAIN statement."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from ksqlserver.config import ServerConfig
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.errors import KsqlError
from ksqlserver.server import BackgroundServer


@pytest.fixture
def driver() -> MemoryDriver:
    return MemoryDriver()


@pytest.fixture
def engine(driver: MemoryDriver) -> Iterator[Engine]:
    e = Engine(EngineConfig(service_id="t_", processing_log=False, command_topic=False), driver)
    e.execute("CREATE STREAM S (ID INT KEY, V INT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, VALUE_FORMAT='JSON');")
    yield e
    e.close()


def test_explain_create_as_select_plans_without_running(engine: Engine, driver: MemoryDriver) -> None:
    """ExplainExecutor.explainStatement: the sandbox's query id (the next one, not taken), statementText
    the text after "EXPLAIN ", the sink's schema and window type, no host status (state null)."""
    sql = "CREATE TABLE W AS SELECT ID, COUNT(*) AS C FROM S WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY ID;"
    [e] = engine.execute("EXPLAIN " + sql)
    assert e["@type"] == "queryDescription" and e["statementText"] == "EXPLAIN " + sql
    d = e["queryDescription"]
    assert d["id"] == "CTAS_W_0" and d["statementText"] == sql
    assert d["windowType"] == "TUMBLING" and d["sources"] == ["S"] and d["sinks"] == ["W"]
    assert [f["name"] for f in d["fields"]] == ["ID", "C"] and d["fields"][0]["type"] == "KEY"
    assert d["queryType"] == "PERSISTENT" and d["state"] is None and d["ksqlHostQueryStatus"] == {}
    assert "AGGREGATE" in d["executionPlan"]
    # the topology is Kafka Streams' description (plan/topology.py), no longer the plan outline
    assert d["topology"].startswith("Topologies:\n   Sub-topology: 0\n") and "KSTREAM-AGGREGATE-" in d["topology"]
    assert d["consumerGroupId"] == "_confluent-ksql-t_query_CTAS_W_0"
    # nothing happened: no topic, no source, no query, no id taken
    assert set(driver.topics()) == {"s"} and engine.state.metastore.get("W") is None
    assert not engine.state.persistent
    [created] = engine.execute(sql)
    assert created["commandStatus"]["queryId"] == "CTAS_W_0"


def test_explain_push_query_and_insert_into(engine: Engine) -> None:
    [e] = engine.execute("EXPLAIN SELECT ID, V FROM S EMIT CHANGES;")
    d = e["queryDescription"]
    assert d["id"].startswith("transient_S_") and d["queryType"] == "PUSH" and d["sinks"] == []
    assert d["statementText"] == "SELECT ID, V FROM S EMIT CHANGES;"
    assert not engine.state.transient
    [e] = engine.execute("EXPLAIN INSERT INTO S SELECT * FROM S;")
    d = e["queryDescription"]
    assert d["id"] == "INSERTQUERY_0" and d["sinks"] == ["S"] and d["queryType"] == "PERSISTENT"
    assert not engine.state.persistent


def test_explain_errors_name_the_explain_statement(engine: Engine) -> None:
    sql = "EXPLAIN CREATE STREAM X (A INT) WITH (KAFKA_TOPIC='x', PARTITIONS=1, VALUE_FORMAT='JSON');"
    with pytest.raises(KsqlError) as e:
        engine.execute(sql)
    assert e.value.message == "The provided statement does not run a ksql query"
    assert e.value.to_entity()["statementText"] == sql
    with pytest.raises(KsqlError) as e:
        engine.execute("EXPLAIN CREATE STREAM T AS SELECT NOPE FROM S;")
    assert e.value.message == "Line: 1, Col: 35: SELECT column 'NOPE' cannot be resolved."
    assert e.value.error_code == 40001


def test_explain_through_the_ksql_endpoint(engine: Engine) -> None:
    with BackgroundServer(engine, ServerConfig(host="127.0.0.1", port=0)) as server:
        r = httpx.post(server.url + "/ksql", json={"ksql": "EXPLAIN CREATE STREAM T AS SELECT * FROM S;"}, timeout=10)
        assert r.status_code == 200
        [entity] = r.json()
        assert entity["@type"] == "queryDescription" and entity["queryDescription"]["id"] == "CSAS_T_0"


def test_explain_pull_query_is_planned_as_a_push_query(engine: Engine) -> None:
    """ExplainExecutor.explainStatement sends any Query to sandbox.executeTransientQuery: a pull query (no
    EMIT CHANGES) is analysed with the pull rules (QueryAnalyzer.analyze: PullQueryValidator), then planned
    and described as a transient query, PUSH type, nothing run. Its fields are the transient query's schema:
    the key column (KEY) before the projection (observed on ksqlDB 0.29 built from source, same statements:
    [ID KEY, ID, C] and [ID KEY, V])."""
    engine.execute("CREATE TABLE T AS SELECT ID, COUNT(*) AS C FROM S GROUP BY ID;")
    for sql, source, fields in (
        ("SELECT * FROM T WHERE ID = 1;", "T", ["ID", "ID", "C"]),
        ("SELECT V FROM S;", "S", ["ID", "V"]),
    ):
        [e] = engine.execute("EXPLAIN " + sql)
        d = e["queryDescription"]
        assert d["id"].startswith(f"transient_{source}_") and d["queryType"] == "PUSH" and d["sinks"] == []
        assert d["statementText"] == sql and [f["name"] for f in d["fields"]] == fields
        assert d["fields"][0]["type"] == "KEY" and all("type" not in f for f in d["fields"][1:])
        assert d["sources"] == [source] and d["state"] is None
    assert not engine.state.transient


def test_explain_pull_query_keeps_the_pull_rules(engine: Engine) -> None:
    """PullQueryValidator's messages (with PULL_QUERY_SYNTAX_HELP), re-thrown naming the EXPLAIN."""
    with pytest.raises(KsqlError) as info:
        engine.execute("EXPLAIN SELECT ID, COUNT(*) FROM S GROUP BY ID;")
    assert info.value.message.startswith("Pull queries don't support GROUP BY clauses.")
    assert "Add EMIT CHANGES if you intended to issue a push query." in info.value.message
