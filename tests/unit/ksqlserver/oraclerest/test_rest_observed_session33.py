"""REST answers observed on ksqlDB 0.29 built from source (/work/oracle, `diff-rest` over the scenarios in
scripts/oracle/scenarios/) that differed from ours; each test names its scenario step. Over HTTP against the
real engine on the in-memory driver (the `Resource` of tests/unit/ksqlserver/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

INTERNAL = (
    "The server encountered an internal error when processing the query. Please consult the server logs for more "
    "information."
)
DELIMITED = "application/vnd.ksqlapi.delimited.v1"


@pytest.fixture(scope="module")
def res() -> Iterator[Any]:
    from tests.unit.ksqlserver.conftest import Resource

    r = Resource(sources=False)
    r.driver.create_topic("s", 1, 1)
    r.ok("CREATE STREAM S (K STRING KEY, V INT, T STRING) WITH (kafka_topic='s', value_format='JSON');")
    r.ok("INSERT INTO S (K, V, T) VALUES ('a', 1, 'x');")
    r.ok("CREATE TABLE AGG AS SELECT K, COUNT(*) AS C FROM S GROUP BY K;")
    yield r
    r.close()


def _query_stream(res: Any, sql: str, **properties: Any) -> httpx.Response:
    body = {"sql": sql, "properties": properties}
    return httpx.post(res.server.url + "/query-stream", json=body, headers={"Accept": DELIMITED}, timeout=30)


def _query(res: Any, body: dict[str, Any], accept: str = "application/json") -> httpx.Response:
    return httpx.post(res.server.url + "/query", json=body, headers={"Accept": accept}, timeout=30)


@pytest.mark.parametrize("sql", ["SELECT IFNULL(T, 1) FROM S;", "SELECT NOSUCHFN(T) FROM S;"])
def test_stream_pull_query_planning_errors_are_internal_errors(res: Any, sql: str) -> None:
    """pull_queries.json steps 113-118 (and demo_notebook.json step 13): EngineExecutor.executeStreamPullQuery
    plans with no catch, so the planner's plain KsqlException reaches ServerUtils.handleEndpointException: 500,
    the message hidden, on /query-stream and on /query (migrated to QueryStreamHandler)."""
    for r in (_query_stream(res, sql), _query(res, {"ksql": sql}), _query(res, {"ksql": sql}, "*/*")):
        assert r.status_code == 500
        assert r.json() == {"@type": "generic_error", "error_code": 50000, "message": INTERNAL}


def test_stream_pull_query_analysis_errors_stay_statement_errors(res: Any) -> None:
    """pull_queries.json steps 107-112: the Analyzer's unknown column (KsqlEngine.analyzeQueryWithNoOutputTopic
    wraps it) and the WHERE clause's type error (a KsqlStatementException naming the expression) are 400s."""
    r = _query_stream(res, "SELECT NOPE FROM S;")
    assert r.status_code == 400 and r.json()["error_code"] == 40001
    assert r.json()["message"].startswith("Line: 1, Col: 8: SELECT column 'NOPE' cannot be resolved.")
    r = _query_stream(res, "SELECT * FROM S WHERE T = 1;")
    assert r.status_code == 400
    assert r.json()["message"] == (
        "Error in WHERE expression: Cannot compare T (STRING) to 1 (INTEGER) with EQUAL.\nStatement: (T = 1)\n"
        "Statement: (T = 1)"
    )
    assert r.json()["statementText"] == "(T = 1)"


def test_stream_pull_queries_disabled_names_the_statement(res: Any) -> None:
    """pull_queries.json step 143: KsqlEngine.createStreamPullQuery's KsqlStatementException, whose unlogged
    message ServerUtils.handleEndpointException answers, ends in the statement."""
    sql = "SELECT * FROM S;"
    r = _query(res, {"ksql": sql, "streamsProperties": {"ksql.query.pull.stream.enabled": False}})
    assert r.status_code == 400
    assert r.json()["message"] == (
        "Pull queries on streams are disabled. To create a push query on the stream, add EMIT CHANGES to the end. "
        f"To enable pull queries on streams, set the ksql.query.pull.stream.enabled config to 'true'.\nStatement: {sql}"
    )


def test_invalid_where_clause_has_two_spaces_before_the_help(res: Any) -> None:
    """pull_queries.json steps 137-138: QueryFilterNode.invalidWhereClauseException appends ". " and then
    PULL_QUERY_SYNTAX_HELP, which starts with a space."""
    off = {"ksql.query.pull.table.scan.enabled": False}
    r = _query(res, {"ksql": "SELECT * FROM AGG;", "streamsProperties": off})
    assert r.status_code == 400
    assert r.json()["message"].startswith("Missing WHERE clause.  See https://cnfl.io/queries for more info.\n")
    r = _query(res, {"ksql": "SELECT K, C FROM AGG WHERE C = 2;", "streamsProperties": off})
    assert r.json()["message"].startswith(
        "WHERE clause missing key column for disjunct: (C = 2).  See https://cnfl.io/queries for more info.\n"
    )


def test_terminate_of_an_unknown_transient_query_is_a_generic_error(res: Any) -> None:
    """server_misc.json step 40: TerminateQueryExecutor's plain KsqlException, KsqlResource's badRequest."""
    assert res.fail("TERMINATE transient_NOPE_1;") == {
        "@type": "generic_error",
        "error_code": 40000,
        "message": "Failed to terminate query with query ID: 'TRANSIENT_NOPE_1'",
    }


@pytest.mark.parametrize("body", [{"sql": "SHOW STREAMS;"}, {"ksql": ""}, {"ksql": "  "}])
def test_ksql_without_statements_answers_an_empty_list(res: Any, body: dict[str, Any]) -> None:
    """server_misc.json steps 48-49: KsqlRequest reads a missing `ksql` as "", and no statements give []."""
    r = res.post("/ksql", body)
    assert r.status_code == 200 and r.json() == []


def test_missing_creator_property_names_location_and_reference_chain(res: Any) -> None:
    """server_misc.json steps 39 and 52: Jackson's MismatchedInputException, its location the object's `}`."""
    r = httpx.post(res.server.url + "/close-query", content=b"{}", timeout=30)
    assert r.status_code == 400
    assert r.json()["message"] == (
        "Invalid JSON in request: Missing required creator property 'queryId' (index 0)\n"
        ' at [Source: (byte[])"{}"; line: 1, column: 2] (through reference chain: '
        'io.confluent.ksql.rest.entity.CloseQueryArgs["queryId"])'
    )
    body = b'{"ksql": "SELECT * FROM S;"}'
    r = httpx.post(res.server.url + "/query-stream", content=body, timeout=30)
    assert r.json()["message"] == (
        "Invalid JSON in request: Missing required creator property 'sql' (index 0)\n"
        f' at [Source: (byte[])"{body.decode()}"; line: 1, column: {len(body)}] (through reference chain: '
        'io.confluent.ksql.rest.entity.QueryStreamArgs["sql"])'
    )


def test_query_resource_prepares_variables_unsubstituted(res: Any) -> None:
    """server_misc.json steps 15 and 17: StreamedQueryResource's StatementParser prepares the request with no
    variable substitution, and AstBuilder has no visitor for a #variableLiteral."""
    for body in ({"ksql": "SELECT K, ${col} FROM S;", "sessionVariables": {"col": "V"}}, {"ksql": "SELECT ${x} FROM S;"}):
        r = _query(res, body)
        assert r.status_code == 400
        assert r.json() == {
            "@type": "statement_error",
            "error_code": 40001,
            "message": "Failed to prepare statement: not yet implemented",
            "statementText": body["ksql"],
            "entities": [],
        }


def test_query_stream_variable_error_names_the_statement(res: Any) -> None:
    """server_misc.json step 16: VariableSubstitutor's ParseFailedException; /query-stream answers its
    unlogged message, which ends in the statement."""
    sql = "SELECT K, ${col} FROM S;"
    r = httpx.post(
        res.server.url + "/query-stream", json={"sql": sql, "sessionVariables": {"col": "V"}}, timeout=30
    )
    assert r.status_code == 400
    assert r.json()["message"] == f"Illegal argument at Line: 1, Col: 11. Got: 'V'\nStatement: {sql}"


def test_if_not_exists_warning_quotes_the_name(res: Any) -> None:
    """errors.json step 27: DistributingExecutor.checkIfNotExistsResponse formats the SourceName, whose
    toString back-quotes it."""
    sql = "CREATE STREAM IF NOT EXISTS S (K STRING KEY) WITH (kafka_topic='s', value_format='JSON');"
    assert res.ok(sql) == [
        {
            "@type": "warning_entity",
            "statementText": sql,
            "message": "Cannot add stream `S`: A stream with the same name already exists.",
            "warnings": [],
        }
    ]
