"""Which error a statement with several faults gets: ksqlDB 0.29 prepares every statement (EngineContext.prepare:
AstSanitizer, whose DataSourceExtractor refuses an unknown FROM / JOIN source) before anything looks at its type
or plans it. KsqlResource: RequestValidator.validate calls ctx.prepare before the statement's validator (the
/query-only check of a SELECT among them); QueryEndpoint.createStatement (/query-stream) and StatementParser
(/query) before "Neither a query nor a print statement" / "not supported for this resource"; LogicalPlanner
(which refuses a WINDOW without GROUP BY) runs only after. EngineContext.prepare wraps DataSourceExtractor's
KsqlException as "Exception while preparing statement: <name> does not exist." (a KsqlStatementException
without unlogged details, so no "Statement:" line on any endpoint).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.unit.ksqlserver.conftest import Resource

MISSING = "Exception while preparing statement: NOPE does not exist."


@pytest.fixture(scope="module")
def res() -> Iterator[Resource]:
    r = Resource()
    yield r
    r.close()


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM NOPE WINDOW TUMBLING (SIZE 1 SECOND) EMIT CHANGES;",
        "CREATE STREAM X AS SELECT * FROM NOPE WINDOW TUMBLING (SIZE 1 SECOND);",
        "INSERT INTO TEST_STREAM SELECT * FROM NOPE WINDOW TUMBLING (SIZE 1 SECOND);",
        "SELECT * FROM TEST_STREAM S JOIN NOPE N WITHIN 1 SECOND ON S.ROWKEY = N.X WINDOW TUMBLING (SIZE 1 SECOND) "
        "EMIT CHANGES;",
    ],
)
def test_an_unknown_source_comes_before_everything_else(res: Resource, sql: str) -> None:
    for path, body in (("/ksql", {"ksql": sql}), ("/query", {"ksql": sql}), ("/query-stream", {"sql": sql})):
        r = res.post(path, body)
        assert r.status_code == 400, (path, r.text)
        entity = r.json()
        assert (entity["error_code"], entity["message"], entity["statementText"]) == (40001, MISSING, sql), path


def test_the_window_check_speaks_once_the_source_exists(res: Resource) -> None:
    """LogicalPlanner.buildPersistentLogicalPlan: "WINDOW clause requires a GROUP BY clause." at the window
    expression (its TUMBLING), raised while SchemaRegisterInjector plans the CSAS in its sandbox, so the REST
    message carries its prefix (observed on ksqlDB 0.29's REST server, built from source)."""
    body = res.fail("CREATE STREAM X AS SELECT * FROM TEST_STREAM WINDOW TUMBLING (SIZE 1 SECOND);")
    assert body["message"] == (
        "Could not determine output schema for query due to error: Line: 1, Col: 53: WINDOW clause requires a "
        "GROUP BY clause."
    )


def test_a_known_source_select_on_ksql_is_sent_to_query(res: Resource) -> None:
    """Once prepared, RequestValidator's QUERY_ENDPOINT validator refuses a SELECT on /ksql (40002)."""
    body = res.fail("SELECT * FROM TEST_STREAM EMIT CHANGES;")
    assert body["error_code"] == 40002
