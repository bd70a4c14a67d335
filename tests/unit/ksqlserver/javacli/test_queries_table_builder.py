"""Port of ksqlDB 0.29 `io.confluent.ksql.cli.console.table.builder.QueriesTableBuilderTest` (ksqldb-cli):
SHOW QUERIES' table (headers, status counts, the query text on one line)."""

from __future__ import annotations

from typing import Any

from ksqlserver.console.render import TABLES

HEADERS = ["Query ID", "Query Type", "Status", "Sink Name", "Sink Kafka Topic", "Query String"]


def _queries(text: str, sink: str, query_id: str, kind: str) -> dict[str, Any]:
    query = {
        "queryString": text,
        "sinks": [sink],
        "sinkKafkaTopics": [sink],
        "id": query_id,
        "statusCount": {"RUNNING": 1},
        "queryType": kind,
    }
    return {"@type": "queries", "statementText": None, "queries": [query]}


def test_should_build_queries_table() -> None:
    table = TABLES["queries"](_queries("select * from test_stream emit changes", "SINK", "0", "PUSH"))
    assert table.headers == HEADERS
    assert table.rows == [["0", "PUSH", "RUNNING:1", "SINK", "SINK", "select * from test_stream emit changes"]]


def test_should_build_queries_table_with_newlines() -> None:
    entity = _queries("CREATE STREAM S2 AS SELECT *\nFROM S1\nEMIT CHANGES;", "S2", "CSAS_S2_0", "PERSISTENT")
    table = TABLES["queries"](entity)
    assert table.headers == HEADERS
    assert table.rows == [
        ["CSAS_S2_0", "PERSISTENT", "RUNNING:1", "S2", "S2", "CREATE STREAM S2 AS SELECT * FROM S1 EMIT CHANGES;"]
    ]
