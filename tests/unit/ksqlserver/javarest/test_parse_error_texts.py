"""What /ksql and /query-stream answer for a statement that does not parse, or names an unknown source
(ksqlDB 0.29).

- DefaultKsqlParser.parse turns SyntaxErrorValidator's ParsingException into ParseFailedException(
  e.getMessage(), e.getUnloggedDetails(), failedLine, e): the statement text is the *line* of the request
  the error is on (`sql.split(System.lineSeparator())[e.getLineNumber() - 1]`), not the whole statement.
- KsqlResource.handleKsqlStatements answers a Problem.STATEMENT KsqlStatementException with
  Errors.badStatement(e.getRawUnloggedDetails(), e.getSqlStatement()): "line L:C: Syntax Error\\n" and
  SyntaxErrorValidator's detail (empty for a long "expecting" list, getExpectations), no "Statement:" suffix.
- ServerUtils.handleEndpointException (/query-stream) answers with getUnloggedMessage(): a
  ParseFailedException built with unlogged details gets KsqlStatementException.buildMessage's
  "\\nStatement: <failed line>"; EngineContext.prepare wraps DataSourceExtractor's "NOPE does not exist." in
  KsqlStatementException(message, sql, cause), whose unloggedDetails are null, so no suffix there.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(scope="module")
def server(rest_module: Any) -> Iterator[tuple[Any, Any]]:
    _, _, srv = rest_module.start()
    rest_module.ok(srv, "CREATE STREAM S (A INT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, FORMAT='JSON');")
    yield rest_module, srv


def _ksql_error(server: tuple[Any, Any], sql: str) -> dict[str, Any]:
    rest, srv = server
    r = rest.ksql(srv, sql)
    assert r.status_code == 400, r.text
    body: dict[str, Any] = r.json()
    return body


def _stream_error(server: tuple[Any, Any], sql: str) -> dict[str, Any]:
    rest, srv = server
    r = rest.client_query(srv, sql)
    assert r.status == 400 and r.error is not None
    body: dict[str, Any] = r.error
    return body


def test_ksql_long_expecting_list_gives_an_empty_detail(server: tuple[Any, Any]) -> None:
    """KsqlResource: badStatement(getRawUnloggedDetails(), getSqlStatement())."""
    body = _ksql_error(server, "select * from;")
    assert (body["error_code"], body["message"], body["statementText"]) == (
        40001, "line 1:14: Syntax Error\n", "select * from;"
    )


def test_ksql_no_viable_alternative(server: tuple[Any, Any]) -> None:
    """SyntaxErrorValidator.syntaxError: a NoViableAltException's "Syntax error at or near ..." detail."""
    body = _ksql_error(server, "CREATE STREAM;")
    assert body["message"] == "line 1:14: Syntax Error\nSyntax error at or near ';' at line 1:14"
    assert body["statementText"] == "CREATE STREAM;"


def test_ksql_statement_text_is_the_failed_line(server: tuple[Any, Any]) -> None:
    """DefaultKsqlParser.parse: failedLine of the whole request, the line numbers counting from its start."""
    sql = "CREATE STREAM X1 (A INT) WITH (KAFKA_TOPIC='x1', PARTITIONS=1, FORMAT='JSON');\nCREATE STREAM X\n AS SELECT FROM S;"
    body = _ksql_error(server, sql)
    assert body["message"].startswith("line 3:12: Syntax Error\n")
    assert body["statementText"] == " AS SELECT FROM S;"


def test_query_stream_syntax_error_names_the_failed_line(server: tuple[Any, Any]) -> None:
    """ServerUtils.handleEndpointException: getUnloggedMessage, the unlogged details + "\\nStatement: " +
    the failed line, which is also the statementText."""
    body = _stream_error(server, "select *\nfrom;")
    assert body["message"] == "line 2:5: Syntax Error\n\nStatement: from;"
    assert body["statementText"] == "from;"


def test_query_stream_unknown_source_has_no_statement_suffix(server: tuple[Any, Any]) -> None:
    """EngineContext.prepare: KsqlStatementException("Exception while preparing statement: " + message, sql,
    e) keeps no unlogged details, so getUnloggedMessage is the message itself."""
    body = _stream_error(server, "select * from NOPE emit changes;")
    assert body["message"] == "Exception while preparing statement: NOPE does not exist."
    assert body["statementText"] == "select * from NOPE emit changes;"
