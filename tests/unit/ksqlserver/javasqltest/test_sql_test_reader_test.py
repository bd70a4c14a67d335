"""Port of ksqlDB 0.29 `io.confluent.ksql.tools.test.parser.SqlTestReaderTest` (ksqldb-testing-tool):
SqlTestReader yields directives, engine statements and asserts in file order (shouldParseBasicTest,
shouldHandleMultilineStatements, shouldReadDirectivesAtEnd, shouldIgnoreComments, shouldThrowOnInvalidStatement,
shouldReadRunScript)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ksqlserver.sql import ast
from ksqlserver.sql.mask import masked_text
from ksqlserver.testing.sqltests.directives import DirectiveType, TestDirective
from ksqlserver.testing.sqltests.errors import TestParsingError
from ksqlserver.testing.sqltests.reader import TestStatement, read_statements

TEST1 = TestStatement(directive=TestDirective(DirectiveType.TEST, "test1"))


def _engine_text(st: TestStatement) -> str:
    assert st.engine is not None, f"unexpected statement {st}"
    return masked_text(st.engine)


def test_should_parse_basic_test() -> None:
    """shouldParseBasicTest"""
    contents = (
        "--@test: test1\n"
        "CREATE STREAM foo (id INT KEY, col1 INT) WITH (kafka_topic='a', value_format='json');\n"
        "CREATE STREAM bar AS SELECT * FROM foo;\n"
        "INSERT INTO foo (id, col1) VALUES (1, 1);\n"
        "ASSERT VALUES bar (id, col1) VALUES (1, 1);\n"
    )
    sts = read_statements(contents)
    assert sts[0] == TEST1
    assert "CREATE STREAM foo" in _engine_text(sts[1])
    assert "CREATE STREAM bar" in _engine_text(sts[2])
    assert "INSERT INTO" in _engine_text(sts[3])
    assert isinstance(sts[4].assertion, ast.AssertValues)
    assert len(sts) == 5


def test_should_handle_multiline_statements() -> None:
    """shouldHandleMultilineStatements"""
    contents = (
        "--@test: test1\n"
        "CREATE STREAM foo (id INT KEY, col1 INT) WITH (kafka_topic='a', value_format='json');"
        "CREATE STREAM bar (id INT KEY, col1 INT) WITH (kafka_topic='b', value_format='json');"
    )
    sts = read_statements(contents)
    assert sts[0] == TEST1
    assert "CREATE STREAM foo" in _engine_text(sts[1])
    assert "CREATE STREAM bar" in _engine_text(sts[2])
    assert len(sts) == 3


def test_should_read_directives_at_end() -> None:
    """shouldReadDirectivesAtEnd"""
    contents = (
        "--@test: test1\n"
        "CREATE STREAM foo (id INT KEY, col1 INT) WITH (kafka_topic='a', value_format='json');\n"
        "--@foo: bar\n"
    )
    sts = read_statements(contents)
    assert sts[0] == TEST1
    assert "CREATE STREAM foo" in _engine_text(sts[1])
    assert sts[2] == TestStatement(directive=TestDirective(DirectiveType.UNKNOWN, "bar"))
    assert len(sts) == 3


def test_should_ignore_comments() -> None:
    """shouldIgnoreComments"""
    contents = (
        "--@test: test1\n"
        "--foo\n"
        "CREATE STREAM foo (id INT KEY, col1 INT) WITH (kafka_topic='a', value_format='json');\n"
        "--bar\n"
    )
    sts = read_statements(contents)
    assert sts[0] == TEST1
    assert "CREATE STREAM foo" in _engine_text(sts[1])
    assert len(sts) == 2


def test_should_throw_on_invalid_statement() -> None:
    """shouldThrowOnInvalidStatement: the reader's ParsingException (message and unlogged details)."""
    with pytest.raises(TestParsingError) as e:
        read_statements("CREATE foo;\n")
    assert e.value.message == "line 1:8: Syntax error at line 1:8"
    assert e.value.details.startswith("line 1:8: ")


def test_should_read_run_script(tmp_path: Path) -> None:
    """shouldReadRunScript"""
    script = tmp_path / "script.sql"
    script.write_text(
        "CREATE STREAM foo (id INT KEY, col1 INT) WITH (kafka_topic='a', value_format='json');\n"
        "CREATE STREAM bar (id INT KEY, col1 INT) WITH (kafka_topic='b', value_format='json');"
    )
    sts = read_statements(f"--@test: test1\nRUN SCRIPT '{script}';")
    assert sts[0] == TEST1
    assert "CREATE STREAM foo" in _engine_text(sts[1])
    assert "CREATE STREAM bar" in _engine_text(sts[2])
    assert len(sts) == 3


def test_directive_and_assert_locations() -> None:
    """ParserUtil.getLocation: a directive at its comment, ASSERT VALUES at its source name
    (AstBuilder.visitAssertValues), ASSERT STREAM at its first token."""
    sts = read_statements("--@test: t\n  ASSERT VALUES foo (a) VALUES (1);\nASSERT STREAM foo;\n")
    assert sts[0].directive is not None and sts[0].directive.location == "Line: 1, Col: 1"
    assert sts[1].assertion is not None and (sts[1].assertion.line, sts[1].assertion.column) == (2, 17)
    assert sts[2].assertion is not None and (sts[2].assertion.line, sts[2].assertion.column) == (3, 1)
