"""EXPLAIN <CST_ query id>: a CREATE SOURCE TABLE runs a CREATE_SOURCE persistent query (EngineExecutor.
sourceTablePlan), which ksqlDB 0.29's ExplainExecutor.explainQuery finds among the engine's persistent queries
and QueryDescriptionFactory.forQueryMetadata describes: no sink, so no window type (getResultTopic empty) and
no sinks; the table's own schema, key columns included (QueryBuilder's CREATE_SOURCE case); the consumer group
QueryApplicationId.build gives. SHOW QUERIES EXTENDED (ListQueriesExecutor, getAllLiveQueries) lists it too."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.errors import KsqlError

SOURCE_TABLE = (
    "CREATE SOURCE TABLE T1 (F0 BIGINT PRIMARY KEY, F1 DOUBLE, F2 BOOLEAN) "
    "WITH (KAFKA_TOPIC='t1', PARTITIONS=1, VALUE_FORMAT='JSON');"
)


@pytest.fixture
def engine() -> Iterator[Engine]:
    e = Engine(EngineConfig(service_id="t_", processing_log=False, command_topic=False), MemoryDriver())
    e.execute("CREATE STREAM S (ID INT KEY, V INT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, VALUE_FORMAT='JSON');")
    yield e
    e.close()


def test_explain_source_table_query(engine: Engine) -> None:
    """ExplainExecutor.explainQuery -> QueryDescriptionFactory.forQueryMetadata over the CREATE_SOURCE query."""
    [created] = engine.execute(SOURCE_TABLE)
    query_id = created["commandStatus"]["queryId"]
    assert query_id == "CST_T1_0"
    [e] = engine.execute(f"EXPLAIN {query_id};")
    assert e["@type"] == "queryDescription" and e["statementText"] == f"EXPLAIN {query_id};"
    d = e["queryDescription"]
    assert d["id"] == "CST_T1_0"
    assert d["statementText"] == created["statementText"]  # the statement as SHOW QUERIES lists it
    assert d["windowType"] is None and d["sources"] == ["T1"] and d["sinks"] == []
    assert [(f["name"], f["schema"]["type"], f.get("type")) for f in d["fields"]] == [
        ("F0", "BIGINT", "KEY"), ("F1", "DOUBLE", None), ("F2", "BOOLEAN", None)
    ]  # fmt: skip
    assert d["queryType"] == "PERSISTENT" and d["state"] == "RUNNING"
    assert d["consumerGroupId"] == "_confluent-ksql-t_query_CST_T1_0"
    assert "PROJECT" in d["executionPlan"] and "SINK" not in d["executionPlan"]


def test_explain_source_table_query_id_is_case_insensitive(engine: Engine) -> None:
    """QueryId.equals compares ids case-insensitively; the parser upper-cases an unquoted one anyway."""
    engine.execute(SOURCE_TABLE)
    [e] = engine.execute("EXPLAIN `cst_t1_0`;")
    assert e["queryDescription"]["id"] == "CST_T1_0"


def test_terminated_source_table_query_is_unknown(engine: Engine) -> None:
    """After TERMINATE the query is gone: ExplainExecutor.explainQuery's "does not exist" message."""
    engine.execute(SOURCE_TABLE)
    engine.execute("TERMINATE ALL;")  # TERMINATE CST_T1_0 is refused (ValidatedCommandFactory)
    with pytest.raises(KsqlError) as info:
        engine.execute("EXPLAIN CST_T1_0;")
    assert info.value.message == (
        "Query with id:CST_T1_0 does not exist, use SHOW QUERIES to view the full set of queries."
    )


def test_show_queries_extended_lists_the_source_table_query(engine: Engine) -> None:
    """ListQueriesExecutor.executeExtended describes every live query, the CREATE_SOURCE one included, in
    the order SHOW QUERIES lists them."""
    engine.execute("CREATE STREAM S2 AS SELECT * FROM S;")
    engine.execute(SOURCE_TABLE)
    [listed] = engine.execute("SHOW QUERIES;")
    [e] = engine.execute("SHOW QUERIES EXTENDED;")
    described = e["queryDescriptions"]
    assert [d["id"] for d in described] == [q["id"] for q in listed["queries"]] == ["CSAS_S2_0", "CST_T1_1"]
    assert described[1]["sinks"] == [] and described[1]["fields"][0]["name"] == "F0"
