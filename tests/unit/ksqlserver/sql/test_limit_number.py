"""LIMIT (and PRINT's INTERVAL/SAMPLE) take SqlBase.g4's `number`, so a decimal or floating-point value
parses; ksqlDB 0.29's AstBuilder then asks ParserUtil.processIntegerNumber for an int, which throws
"Value must be integer for command: LIMIT" (KsqlException), and DefaultKsqlParser.prepare words it
"Failed to prepare statement: ...". An integer beyond INT is a LongLiteral (ParserUtil.visitIntegerLiteral)
that processIntegerNumber casts to IntegerLiteral: JDK 17's ClassCastException text."""

from __future__ import annotations

import pytest

from ksqlserver.errors import KsqlParseError
from ksqlserver.sql import ast
from ksqlserver.sql.parser import parse

NOT_INTEGER = "Failed to prepare statement: Value must be integer for command: {}"


def _error(sql: str) -> KsqlParseError:
    with pytest.raises(KsqlParseError) as info:
        parse(sql)
    return info.value


@pytest.mark.parametrize("value", ["1.5", "1e3", "-1.5", "2.0", ".5"])
@pytest.mark.parametrize("emit", [" EMIT CHANGES", ""])
def test_non_integer_limit(value: str, emit: str) -> None:
    """ParserUtil.processIntegerNumber: only an IntegerLiteralContext is an int (push and pull queries)."""
    sql = f"SELECT * FROM s{emit} LIMIT {value};"
    e = _error(sql)
    assert e.message == NOT_INTEGER.format("LIMIT")
    assert e.statement_text == sql


def test_negative_integer_limit_parses() -> None:
    """SqlBase.g4 `MINUS? INTEGER_VALUE`: the parser takes -1 (a validator refuses it later)."""
    [q] = parse("SELECT * FROM s EMIT CHANGES LIMIT -1;")
    assert isinstance(q, ast.Query) and q.limit == -1


def test_limit_beyond_int_is_a_class_cast() -> None:
    """ParserUtil.visitIntegerLiteral makes 99999999999 a LongLiteral; processIntegerNumber's cast to
    IntegerLiteral fails with JDK 17's ClassCastException message."""
    tree = "io.confluent.ksql.execution.expression.tree."
    assert _error("SELECT * FROM s EMIT CHANGES LIMIT 99999999999;").message == (
        f"Failed to prepare statement: class {tree}LongLiteral cannot be cast to class {tree}IntegerLiteral "
        f"({tree}LongLiteral and {tree}IntegerLiteral are in unnamed module of loader 'app')"
    )


def test_limit_beyond_long_is_an_invalid_numeric_literal() -> None:
    """ParserUtil.visitIntegerLiteral: Long.parseLong fails, a ParsingException (its unlogged details)."""
    assert _error("SELECT * FROM s EMIT CHANGES LIMIT 99999999999999999999999;").message == (
        "Failed to prepare statement: line 1:37: Invalid numeric literal: 99999999999999999999999"
    )


@pytest.mark.parametrize(
    ("sql", "command"),
    [
        ("PRINT t INTERVAL 2.5;", "INTERVAL"),
        ("PRINT t SAMPLE 1e1;", "INTERVAL"),  # AstBuilder.visitPrintTopic names both INTERVAL
        ("PRINT t FROM BEGINNING LIMIT 0.5;", "LIMIT"),
    ],
)
def test_print_numbers_must_be_integers(sql: str, command: str) -> None:
    """AstBuilder.visitPrintTopic: processIntegerNumber(intervalContext.number(), "INTERVAL") and getLimit."""
    assert _error(sql).message == NOT_INTEGER.format(command)


def test_print_integer_interval_and_limit() -> None:
    [p] = parse("PRINT t INTERVAL 2 LIMIT 3;")
    assert isinstance(p, ast.PrintTopic) and (p.interval, p.limit) == (2, 3)


def test_syntax_errors_come_before_the_limit_check() -> None:
    """ANTLR parses the whole statement before AstBuilder runs."""
    assert _error("SELECT * FROM s EMIT CHANGES LIMIT 1.5 x;").message == "line 1:40: Syntax Error\nExpecting ';'"


def test_limit_check_comes_before_the_query_precondition() -> None:
    """AstBuilder.visitQuery reads the LIMIT before it builds the Query, whose constructor refuses GROUP BY
    with PARTITION BY."""
    sql = "SELECT * FROM s GROUP BY a PARTITION BY b EMIT CHANGES LIMIT 1.5;"
    assert _error(sql).message == NOT_INTEGER.format("LIMIT")
