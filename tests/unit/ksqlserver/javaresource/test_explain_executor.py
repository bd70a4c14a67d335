"""Port of ksqlDB 0.29 `io.confluent.ksql.rest.server.execution.ExplainExecutorTest` (shouldExplainQueryId,
shouldExplainPersistentStatement, shouldExplainStatement, shouldExplainStatementWithStructFieldDereference,
shouldFailOnNonQueryExplain), over /ksql."""

from __future__ import annotations

from typing import Any

import pytest


def _given(res: Any, kind: str, name: str, reads: str | None = None) -> None:
    """TemporaryEngine.givenSource: a source on a topic of its own name (1 partition, RF 1)."""
    if reads is not None:
        res.ok(f"CREATE {kind} {name} AS SELECT * FROM {reads};")
        return
    res.driver.create_topic(name.strip('"'), 1, 1)
    key = "PRIMARY KEY" if kind == "TABLE" else "KEY"
    res.ok(
        f"CREATE {kind} {name} (ID STRING {key}, VAL STRING) "
        f"WITH (kafka_topic='{name.strip(chr(34))}', value_format='json');"
    )


@pytest.fixture()
def empty(make_resource: Any) -> Any:
    return make_resource(sources=False)


def test_should_explain_query_id(empty: Any) -> None:
    """ExplainExecutorTest.shouldExplainQueryId: forQueryMetadata of the running query"""
    _given(empty, "STREAM", "Y")
    empty.ok("CREATE STREAM X AS SELECT * FROM Y;")
    [query_id] = empty.persistent_ids()
    entity = empty.one(f"EXPLAIN {query_id};")
    assert entity["@type"] == "queryDescription"
    d = entity["queryDescription"]
    assert d["id"] == query_id and d["sources"] == ["Y"] and d["sinks"] == ["X"]
    assert d["queryType"] == "PERSISTENT" and d["state"] == "RUNNING"


@pytest.mark.parametrize(
    "statement", ["CREATE STREAM X AS SELECT * FROM Y;", "SELECT * FROM Y EMIT CHANGES;"]
)
def test_should_explain_statement(empty: Any, statement: str) -> None:
    """ExplainExecutorTest.shouldExplainPersistentStatement / shouldExplainStatement: the statement's text and
    sources, no host status, and no side effects"""
    _given(empty, "STREAM", "Y")
    d = empty.one("EXPLAIN " + statement)["queryDescription"]
    assert d["statementText"] == statement
    assert d["sources"] == ["Y"]
    assert d["ksqlHostQueryStatus"] == {}
    assert empty.persistent_ids() == []
    assert [s["name"] for s in empty.one("SHOW STREAMS;")["streams"]] == ["Y"]


def test_should_explain_statement_with_struct_field_dereference(empty: Any) -> None:
    """ExplainExecutorTest.shouldExplainStatementWithStructFieldDereference"""
    empty.driver.create_topic("y", 1, 1)
    empty.ok("CREATE STREAM Y (ADDRESS STRUCT<STREET STRING>) WITH (kafka_topic='y', value_format='json');")
    statement = "SELECT address->street FROM Y EMIT CHANGES;"
    d = empty.one("EXPLAIN " + statement)["queryDescription"]
    assert d["statementText"] == statement and d["sources"] == ["Y"]


def test_should_fail_on_non_query_explain(empty: Any) -> None:
    """ExplainExecutorTest.shouldFailOnNonQueryExplain"""
    assert "The provided statement does not run a ksql query" in empty.fail("Explain SHOW TOPICS;")["message"]
