"""The final `;` of a request and the parse errors of /ksql, /query and /query-stream, from ksqlDB 0.29's source.

SqlBase.g4: `statements: (singleStatement)* EOF` and `singleStatement: statement ';'`, so every statement, the
last one too, ends with its `;`: without it ANTLR's single-token insertion reports "missing ';' at '<EOF>'" and
SyntaxErrorValidator throws (observed on the real server: `SHOW STREAMS` -> "line 1:13: Syntax Error\\nmissing
';' at '<EOF>'"). DefaultKsqlParser.parse turns the ParsingException into a ParseFailedException naming the
failed line, `sql.split(System.lineSeparator())[line - 1]`; KsqlResource (/ksql) answers its raw unlogged details,
ServerUtils.handleEndpointException (/query-stream) its unlogged message (details + "\\nStatement: <line>"),
StreamedQueryResource.parseStatement (/query) ErrorMessageUtil.buildErrorMessage of it (the unlogged message,
then the ParsingException's own message as "Caused by: ...") with the whole request as statementText.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from ksqlserver.errors import KsqlParseError
from ksqlserver.sql.parser import parse
from tests.unit.ksqlserver.conftest import Resource


@pytest.fixture(scope="module")
def res() -> Iterator[Resource]:
    r = Resource()
    yield r
    r.close()


def _answers(res: Resource, sql: str) -> dict[str, tuple[int, Any]]:
    """The status and body of each endpoint for one request."""
    out = {}
    for path, body in (("/ksql", {"ksql": sql}), ("/query", {"ksql": sql}), ("/query-stream", {"sql": sql})):
        r = res.post(path, body)
        out[path] = (r.status_code, r.json())
    return out


@pytest.mark.parametrize(
    ("sql", "where"),
    [
        ("SHOW STREAMS", "1:13"),
        ("select * from TEST_STREAM emit changes", "1:39"),
        ("SHOW STREAMS;\nSHOW TABLES", "2:12"),
        ("SELECT * FROM TEST_TABLE WHERE ROWKEY = 'a'  ", "1:46"),
    ],
)
def test_the_parser_wants_the_last_semicolon(sql: str, where: str) -> None:
    """SqlBase.g4 singleStatement = statement ';': the error stands at the EOF token (after trailing blanks)."""
    with pytest.raises(KsqlParseError) as e:
        parse(sql)
    assert e.value.message == f"line {where}: Syntax Error\nmissing ';' at '<EOF>'"
    assert e.value.logged_message == f"line {where}: Syntax error at line {where}"  # ParsingException.getMessage
    assert [s.text for s in parse(sql.rstrip() + ";")][-1].endswith(";")


def test_missing_semicolon_on_each_endpoint(res: Resource) -> None:
    """KsqlResource: Errors.badStatement(getRawUnloggedDetails(), failedLine); QueryStreamHandler:
    getUnloggedMessage(); StreamedQueryResource: Errors.badStatement(e, ksql) -> buildErrorMessage."""
    answers = _answers(res, "SHOW STREAMS")
    detail = "line 1:13: Syntax Error\nmissing ';' at '<EOF>'"
    assert answers["/ksql"] == (400, {
        "@type": "statement_error", "error_code": 40001, "message": detail, "statementText": "SHOW STREAMS",
        "entities": [],
    })
    assert answers["/query-stream"] == (400, {
        "@type": "statement_error", "error_code": 40001, "message": detail + "\nStatement: SHOW STREAMS",
        "statementText": "SHOW STREAMS", "entities": [],
    })
    assert answers["/query"] == (400, {
        "@type": "statement_error", "error_code": 40001,
        "message": detail + "\nStatement: SHOW STREAMS\nCaused by: line 1:13: Syntax error at line 1:13",
        "statementText": "SHOW STREAMS", "entities": [],
    })


def test_query_names_the_whole_request_and_the_failed_line(res: Resource) -> None:
    """The failed line is the request's line of the error; /query's statementText is the request itself."""
    sql = "SELECT * FROM TEST_STREAM\nEMIT CHANGES"
    answers = _answers(res, sql)
    status, body = answers["/query"]
    assert status == 400 and body["statementText"] == sql
    assert body["message"] == (
        "line 2:13: Syntax Error\nmissing ';' at '<EOF>'\nStatement: EMIT CHANGES\n"
        "Caused by: line 2:13: Syntax error at line 2:13"
    )
    assert answers["/query-stream"][1]["statementText"] == "EMIT CHANGES"


def test_an_error_past_the_last_line_is_the_failed_line_lookup(res: Resource) -> None:
    """`SHOW STREAMS\\n`: the EOF is on line 2, Java's split drops the trailing empty string, and
    `[1]` of a one-element array throws an ArrayIndexOutOfBoundsException that DefaultKsqlParser.parse does
    not catch: KsqlResource -> Errors.serverErrorForStatement(e, request) (500, statement_error);
    StreamedQueryResource does not catch it either -> OldApiUtils.mapException (500, KsqlErrorMessage);
    QueryStreamHandler -> ServerUtils.handleEndpointException's internal error."""
    sql = "SHOW STREAMS\n\n"
    answers = _answers(res, sql)
    assert answers["/ksql"] == (500, {
        "@type": "statement_error", "error_code": 50000, "message": "Index 2 out of bounds for length 1",
        "statementText": sql, "entities": [],
    })
    assert answers["/query"] == (500, {
        "@type": "generic_error", "error_code": 50000, "message": "Index 2 out of bounds for length 1",
    })
    assert answers["/query-stream"] == (500, {
        "@type": "generic_error", "error_code": 50000,
        "message": "The server encountered an internal error when processing the query. "
                   "Please consult the server logs for more information.",
    })
    # an error on a line that exists is an ordinary syntax error
    assert _answers(res, "SHOW STREAMS;\nSHOW TABLES")["/ksql"][0] == 400


def test_positioned_and_unpositioned_ast_builder_errors(res: Resource) -> None:
    """DefaultKsqlParser.prepare: a ParsingException (here an out-of-range literal) becomes a ParseFailedException
    with unlogged details and the statement, caused by the ParsingException; any other exception (here
    GroupBy's duplicate check, a KsqlException) one with its message only, so no "Statement:" line and no
    cause beyond what the message already says."""
    sql = "SELECT 12345678901234567890 FROM TEST_STREAM EMIT CHANGES;"
    answers = _answers(res, sql)
    detail = "Failed to prepare statement: line 1:9: Invalid numeric literal: 12345678901234567890"
    assert answers["/ksql"][1]["message"] == detail
    assert answers["/query-stream"][1]["message"] == f"{detail}\nStatement: {sql}"
    assert answers["/query"][1]["message"] == f"{detail}\nStatement: {sql}\nCaused by: line 1:9: Syntax error at line 1:9"

    sql = "SELECT * FROM TEST_STREAM GROUP BY S2_F1, S2_F1 EMIT CHANGES;"
    answers = _answers(res, sql)
    for path in ("/ksql", "/query", "/query-stream"):
        assert answers[path][1]["message"] == "Failed to prepare statement: Duplicate GROUP BY expression: S2_F1"


def test_more_than_one_statement_on_the_query_endpoints(res: Resource) -> None:
    """QueryEndpoint.createStatement: a KsqlStatementException(message, request) -> its unlogged message names the
    request; StatementParser.parseSingleStatement (/query): an IllegalArgumentException, its message alone."""
    sql = "SHOW STREAMS;SHOW TABLES;"
    answers = _answers(res, sql)
    message = "Expected exactly one KSQL statement; found 2 instead"
    assert answers["/query"][1]["message"] == message
    assert answers["/query-stream"][1]["message"] == f"{message}\nStatement: {sql}"
    assert answers["/query"][1]["statementText"] == answers["/query-stream"][1]["statementText"] == sql


def test_variables_do_not_hide_the_missing_semicolon(res: Resource) -> None:
    """KsqlResource parses the whole request (KsqlEngine.parse) before DEFINE runs: the error is the request's,
    at its EOF (past trailing blanks), naming the request's line."""
    body = res.fail("DEFINE x = 'TEST_STREAM'; DESCRIBE ${x}  ")
    assert body["message"] == "line 1:42: Syntax Error\nmissing ';' at '<EOF>'"
    assert body["statementText"] == "DEFINE x = 'TEST_STREAM'; DESCRIBE ${x}  "


@pytest.mark.parametrize(("sql", "where"), [(";", "1:1"), ("SHOW TOPICS;;", "1:13"), ("SHOW TOPICS; ;\nSHOW TABLES;", "1:14")])
def test_an_empty_statement_is_an_unknown_statement(res: Resource, sql: str, where: str) -> None:
    """`statements: (singleStatement)* EOF` has no empty statement: ANTLR reports the stray ';' as extraneous,
    expecting EOF or a statement's first keyword, which SyntaxErrorValidator words as an unknown statement
    (observed on ksqlDB 0.29 built from source: `SHOW TOPICS;;` -> "line 1:13: Syntax Error\nUnknown statement
    ';'\nDid you mean 'SET'?")."""
    body = res.fail(sql)
    assert body["message"] == f"line {where}: Syntax Error\nUnknown statement ';'\nDid you mean 'SET'?"
    assert body["statementText"] == sql.split("\n")[0]
