"""The "Statement:" lines of expression errors on /query-stream (ServerUtils.handleEndpointException shows a
KsqlStatementException's getUnloggedMessage: its details, then "\\nStatement: <its statement>"), from ksqlDB 0.29.

- ExpressionTypeManager throws KsqlStatementExceptions naming the failing node (a comparison, an arithmetic).
- FilterTypeValidator wraps one from the WHERE: details "Error in WHERE expression: <its unlogged message>",
  the filter expression as the statement ("Type error in WHERE expression: ..." names the filter itself).
- A push query's errors pass through EngineExecutor.executeTransientQuery as they are.
- A pull query's are re-thrown by EngineExecutor.executeTablePullQuery: a KsqlStatementException with the
  error's unlogged message as details and the pull query as the statement (one more "Statement:" line); a
  plain KsqlException keeps its message alone.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.unit.ksqlserver.conftest import Resource


@pytest.fixture(scope="module")
def res() -> Iterator[Resource]:
    r = Resource()
    r.ok("CREATE TABLE AGG AS SELECT ROWKEY, COUNT(*) AS N FROM TEST_STREAM GROUP BY ROWKEY;")
    yield r
    r.close()


def _message(res: Resource, sql: str, statement: str | None = None) -> str:
    """The /query-stream error's message; its statementText is the exception's getSqlStatement() (the pull
    query; for an error passed through as thrown, the expression it names)."""
    r = res.post("/query-stream", {"sql": sql})
    assert r.status_code == 400, r.text
    body = r.json()
    assert body["statementText"] == (statement or sql)
    message: str = body["message"]
    return message


def test_pull_where_comparison(res: Resource) -> None:
    sql = "SELECT * FROM AGG WHERE ROWKEY = 1;"
    assert _message(res, sql) == (
        "Error in WHERE expression: Cannot compare ROWKEY (STRING) to 1 (INTEGER) with EQUAL.\n"
        "Statement: (ROWKEY = 1)\nStatement: (ROWKEY = 1)\nStatement: " + sql
    )


def test_pull_where_arithmetic(res: Resource) -> None:
    sql = "SELECT * FROM AGG WHERE N + true = 1;"
    assert _message(res, sql) == (
        "Error in WHERE expression: Error processing expression: (N + true). Unsupported arithmetic types. "
        "BIGINT BOOLEAN\nStatement: (N + true)\nStatement: ((N + true) = 1)\nStatement: " + sql
    )


def test_pull_where_not_boolean(res: Resource) -> None:
    sql = "SELECT * FROM AGG WHERE N;"
    assert _message(res, sql) == (
        "Type error in WHERE expression: Should evaluate to boolean but is N (BIGINT) instead.\n"
        "Statement: N\nStatement: " + sql
    )


def test_pull_select_arithmetic(res: Resource) -> None:
    sql = "SELECT N + true FROM AGG WHERE ROWKEY = 'a';"
    assert _message(res, sql) == (
        "Error processing expression: (N + true). Unsupported arithmetic types. BIGINT BOOLEAN\n"
        "Statement: (N + true)\nStatement: " + sql
    )


def test_pull_plain_errors_name_no_statement(res: Resource) -> None:
    """UdfIndex's unknown function is a plain KsqlException: no "Statement:" line."""
    assert _message(res, "SELECT NOFN(N) FROM AGG WHERE ROWKEY = 'a';") == "Can't find any functions with the name 'NOFN'"


def test_push_errors_keep_their_own_statements(res: Resource) -> None:
    """executeTransientQuery re-throws a KsqlStatementException unchanged: no pull-query line, and its own
    statement (the expression) as statementText (observed on ksqlDB 0.29 built from source)."""
    assert _message(res, "SELECT ROWKEY + 1 FROM TEST_STREAM EMIT CHANGES;", "(ROWKEY + 1)") == (
        "Error processing expression: (ROWKEY + 1). Unsupported arithmetic types. STRING INTEGER\n"
        "Statement: (ROWKEY + 1)"
    )
    assert _message(res, "SELECT ROWKEY FROM TEST_STREAM WHERE ROWKEY = 1 EMIT CHANGES;", "(ROWKEY = 1)") == (
        "Error in WHERE expression: Cannot compare ROWKEY (STRING) to 1 (INTEGER) with EQUAL.\n"
        "Statement: (ROWKEY = 1)\nStatement: (ROWKEY = 1)"
    )
