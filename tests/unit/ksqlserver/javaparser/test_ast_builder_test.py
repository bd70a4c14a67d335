"""ksqlDB 0.29's AstBuilderTest (ksqldb-parser, io.confluent.ksql.parser): the cases not already ported in
tests/unit/ksqlserver/analyze/test_ksqldb_analysis_rules.py (LIMIT in CREATE ... AS SELECT, header column
types, unknown qualifiers, lambdas out of place). AstBuilder's KsqlExceptions reach the client as
DefaultKsqlParser.prepare words them: "Failed to prepare statement: <message>"."""

from __future__ import annotations

import pytest

from ksqlserver.errors import KsqlParseError
from ksqlserver.sql import ast
from ksqlserver.sql.parser import parse


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # shouldThrowOnNoSubjectOrId
        ("ASSERT SCHEMA TIMEOUT 10 SECONDS;", "ASSERT SCHEMA statements much include a subject name or an id"),
        ("ASSERT SCHEMA ID FALSE TIMEOUT 10 SECONDS;", "ID must be an integer"),  # shouldThrowOnNonIntegerId
        ("ASSERT SCHEMA ID 'x';", "ID must be an integer"),
    ],
)
def test_assert_schema_refused(text: str, message: str) -> None:
    """AstBuilderTest.shouldThrowOnNoSubjectOrId / shouldThrowOnNonIntegerId (AstBuilder.visitAssertSchema)."""
    with pytest.raises(KsqlParseError) as info:
        parse(text)
    assert info.value.message == f"Failed to prepare statement: {message}"


def test_build_assert_schema() -> None:
    """AstBuilderTest.shouldBuildAssertNotExistsSchemaWithIdAndSubject and its siblings."""
    [st] = parse("ASSERT NOT EXISTS SCHEMA SUBJECT 'a-b-c' ID 33;")
    assert isinstance(st, ast.AssertSchema)
    assert (st.subject, st.schema_id, st.exists, st.timeout) == ("a-b-c", 33, False, None)


def test_not_build_lambda_function_not_last_arguments() -> None:
    """AstBuilderTest.shouldNotBuildLambdaFunctionNotLastArguments."""
    with pytest.raises(KsqlParseError) as info:
        parse("SELECT TRANSFORM_ARRAY(X => X + 5, Col4) FROM TEST1;")
    assert "Syntax error at or near '=>' at line 1:26" in info.value.message
    assert info.value.message.startswith("line 1:26: Syntax Error")
