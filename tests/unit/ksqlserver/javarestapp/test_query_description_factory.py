"""Port of ksqlDB 0.29 `io.confluent.ksql.rest.entity.QueryDescriptionFactoryTest` (ksqldb-rest-app): the
queryDescription EXPLAIN <query id> returns for a persistent query, and the one SHOW QUERIES EXTENDED lists for a
running push (transient) query.

The Java test builds QueryMetadata by hand (mocked topology, "execution plan", sources s1/s2, overrides
{k2: v2}); here the queries are real: a CREATE STREAM AS SELECT over two sources' join (persistent, key k0)
and a push query over /query-stream (transient), with an override given in the request."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

PERSISTENT_SQL = (
    "CREATE STREAM SINK AS SELECT S1.`k0` AS `k0`, S1.`field1`, S2.`field2` FROM S1 JOIN S2 WITHIN 1 SECOND "
    "GRACE PERIOD 1 SECOND ON S1.`k0` = S2.`k0`;"
)


class App:
    def __init__(self, rest: Any, server: Any) -> None:
        self.rest, self.server = rest, server

    def explain(self, query_id: str) -> dict[str, Any]:
        [entity] = self.rest.ok(self.server, f"EXPLAIN {query_id};")
        assert entity["@type"] == "queryDescription"
        description: dict[str, Any] = entity["queryDescription"]
        return description

    def queries(self) -> list[dict[str, Any]]:
        [entity] = self.rest.ok(self.server, "SHOW QUERIES;")
        queries: list[dict[str, Any]] = entity["queries"]
        return queries


@pytest.fixture(scope="module")
def app(rest_module: Any) -> Iterator[App]:
    rest = rest_module
    _, driver, server = rest.start()
    for topic in ("s1", "s2"):
        driver.create_topic(topic, 1, 1)
    rest.ok(
        server,
        "CREATE STREAM S1 (`k0` STRING KEY, `field1` INTEGER) WITH (kafka_topic='s1', value_format='json');"
        "CREATE STREAM S2 (`k0` STRING KEY, `field2` STRING) WITH (kafka_topic='s2', value_format='json');",
    )
    rest.ok(server, PERSISTENT_SQL, streamsProperties={"ksql.streams.num.stream.threads": "1"})
    yield App(rest, server)


@pytest.fixture(scope="module")
def persistent(app: App) -> dict[str, Any]:
    [query] = [q for q in app.queries() if q["queryType"] == "PERSISTENT"]
    return app.explain(query["id"])


def test_persistent_query_description(persistent: dict[str, Any]) -> None:
    """QueryDescriptionFactoryTest.shouldHaveQueryIdForPersistentQuery / shouldExposeExecutionPlan /
    shouldExposeSources / shouldExposeStatementText / shouldExposeTopology / shouldReportPersistentQueriesStatus /
    shouldHavePersistentQueryTypePersistentQueryDescription"""
    assert persistent["id"].startswith("CSAS_SINK_")
    # the text TopicCreateInjector / the formatter left: the WITH clause filled in
    assert persistent["statementText"].startswith("CREATE STREAM SINK WITH (CLEANUP_POLICY='delete', KAFKA_TOPIC=")
    assert sorted(persistent["sources"]) == ["S1", "S2"]
    assert persistent["sinks"] == ["SINK"]
    assert persistent["executionPlan"]
    assert persistent["topology"]  # Kafka Streams' TopologyDescription text there: ours is not modelled
    assert persistent["state"] == "RUNNING"
    assert persistent["queryType"] == "PERSISTENT"


def test_should_expose_overridden_properties(persistent: dict[str, Any]) -> None:
    """QueryDescriptionFactoryTest.shouldExposeOverriddenProperties"""
    assert persistent["overriddenProperties"] == {"ksql.streams.num.stream.threads": "1"}


def test_should_expose_all_fields_for_persistent_queries(persistent: dict[str, Any]) -> None:
    """QueryDescriptionFactoryTest.shouldExposeAllFieldsForPersistentQueries: the key column with type KEY"""
    assert persistent["fields"] == [
        {"name": "k0", "schema": {"type": "STRING", "fields": None, "memberSchema": None}, "type": "KEY"},
        {"name": "field1", "schema": {"type": "INTEGER", "fields": None, "memberSchema": None}},
        {"name": "field2", "schema": {"type": "STRING", "fields": None, "memberSchema": None}},
    ]


def _transient(app: App, select: str) -> dict[str, Any]:
    """The description SHOW QUERIES EXTENDED gives a push query while it runs (then closed with /close-query):
    ExplainExecutor explains persistent queries only, ListQueriesExecutor describes every live query."""
    before = {q["id"] for q in app.queries()}
    body = {"sql": select, "properties": {"ksql.streams.num.stream.threads": "1"}}
    done = threading.Event()

    def run() -> None:
        with httpx.Client(http2=True, http1=False, timeout=30) as client:
            client.post(app.server.url + "/query-stream", content=json.dumps(body).encode())
        done.set()

    threading.Thread(target=run, daemon=True).start()
    queries = app.rest.eventually(app.queries, lambda qs: len(qs) > len(before))
    [query] = [q for q in queries if q["id"] not in before]
    try:
        [entity] = app.rest.ok(app.server, "SHOW QUERIES EXTENDED;")
        [description] = [d for d in entity["queryDescriptions"] if d["id"] == query["id"]]
        result: dict[str, Any] = description
        return result
    finally:
        with httpx.Client(http2=True, http1=False, timeout=30) as client:
            client.post(app.server.url + "/close-query", json={"queryId": query["id"]})
        done.wait(15)


def test_transient_query_description(app: App) -> None:
    """QueryDescriptionFactoryTest.shouldHaveQueryIdForTransientQuery / shouldExposeStatementText /
    shouldHavePushQueryTypeTransientQueryDescription /
    shouldExposeValueFieldsForTransientQueries (no KEY type) / shouldExposeOverriddenProperties"""
    select = "SELECT `field1`, `k0` AS `field2` FROM S1 EMIT CHANGES;"
    d = _transient(app, select)
    assert d["id"].startswith("transient_S1_")
    assert d["statementText"] == select
    assert d["queryType"] == "PUSH"
    assert d["state"] == "RUNNING"  # ListQueriesExecutor gives every live query this host's status
    assert d["sources"] == ["S1"]
    assert d["overriddenProperties"] == {"ksql.streams.num.stream.threads": "1"}
    assert d["fields"] == [
        {"name": "field1", "schema": {"type": "INTEGER", "fields": None, "memberSchema": None}},
        {"name": "field2", "schema": {"type": "STRING", "fields": None, "memberSchema": None}},
    ]


def test_should_handle_rowtime_in_value_schema_for_transient_query(app: App) -> None:
    """QueryDescriptionFactoryTest.shouldHandleRowTimeInValueSchemaForTransientQuery /
    shouldHandleRowKeyInValueSchemaForTransientQuery"""
    d = _transient(app, "SELECT `field1`, ROWTIME, `k0` AS ROWKEY FROM S1 EMIT CHANGES;")
    assert [(f["name"], f["schema"]["type"], f.get("type")) for f in d["fields"]] == [
        ("field1", "INTEGER", None),
        ("ROWTIME", "BIGINT", None),
        ("ROWKEY", "STRING", None),
    ]


def test_should_not_report_transient_queries_status(app: App) -> None:
    """QueryDescriptionFactoryTest.shouldNotReportTransientQueriesStatus: with no host status (ExplainExecutor's
    description of a statement) the state is null"""
    [entity] = app.rest.ok(app.server, "EXPLAIN SELECT `field1` FROM S1 EMIT CHANGES;")
    d = entity["queryDescription"]
    assert d["ksqlHostQueryStatus"] == {}
    assert d["state"] is None
    assert d["queryType"] == "PUSH"
