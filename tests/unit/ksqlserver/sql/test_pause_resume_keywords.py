"""PAUSE and RESUME are reserved words of ksqlDB 0.29's grammar (SqlBase.g4: lexer tokens `PAUSE`/`RESUME`,
left out of `nonReserved`), so they are no unquoted identifier; the parser's errors are the ones
SyntaxErrorValidator gives for any other reserved word (TERMINATE shown alongside), and EXPLAIN takes them as
the start of a statement (`EXPLAIN (statement | identifier)`)."""

from __future__ import annotations

import pytest

from ksqlserver.errors import KsqlParseError
from ksqlserver.extensions.names import is_valid_function_name
from ksqlserver.sql import ast
from ksqlserver.sql.parser import parse
from ksqlserver.sql.tokens import KEYWORDS, RESERVED

_HINT = (
    "\"{w}\" is a reserved keyword and it can't be used as an identifier. "
    "You can use it as an identifier by escaping it as '{w}' "
)


def _error(sql: str) -> str:
    with pytest.raises(KsqlParseError) as info:
        parse(sql)
    return str(info.value)


@pytest.mark.parametrize("word", ["PAUSE", "RESUME"])
def test_pause_and_resume_are_reserved_keywords(word: str) -> None:
    """SqlBase.g4: lexer tokens, not in nonReserved."""
    assert word in KEYWORDS and word in RESERVED


@pytest.mark.parametrize("word", ["pause", "resume", "terminate"])
def test_reserved_word_as_column_name_gets_the_escaping_hint(word: str) -> None:
    """SyntaxErrorValidator.syntaxError: the reserved-keyword message for an extraneous keyword token."""
    sql = f"CREATE STREAM s ({word} INT) WITH (kafka_topic='t', value_format='JSON');"
    assert _error(sql) == "line 1:18: Syntax Error\n" + _HINT.format(w=word)


@pytest.mark.parametrize("word", ["pause", "resume", "terminate"])
def test_reserved_word_as_source_name_is_no_viable_alternative(word: str) -> None:
    """SyntaxErrorValidator: ANTLR's "no viable alternative" as "Syntax error at or near"."""
    sql = f"CREATE STREAM {word} (x INT) WITH (kafka_topic='t', value_format='JSON');"
    assert _error(sql) == f"line 1:15: Syntax Error\nSyntax error at or near '{word}' at line 1:15"


@pytest.mark.parametrize("word", ["pause", "resume"])
def test_statement_keyword_after_a_query_is_a_missing_semicolon(word: str) -> None:
    """ANTLR's single-token insertion: PAUSE/RESUME start a statement (SqlBase.g4 statement), so the
    query before them is taken as missing its ';', as for TERMINATE."""
    sql = f"SELECT x FROM s {word} EMIT CHANGES;"
    assert _error(sql) == f"line 1:17: Syntax Error\nmissing ';' at '{word}'"


@pytest.mark.parametrize("word", ["PAUSE", "RESUME"])
def test_quoted_pause_and_resume_are_identifiers(word: str) -> None:
    """SqlBase.g4 identifier: QUOTED_IDENTIFIER / BACKQUOTED_IDENTIFIER take any word."""
    [stmt] = parse(f"CREATE STREAM `{word}` ({word.lower()}_x INT) WITH (kafka_topic='t', value_format='JSON');")
    assert isinstance(stmt, ast.CreateSource) and stmt.name == word


@pytest.mark.parametrize("word", ["PAUSE", "RESUME"])
def test_explain_takes_pause_and_resume_as_a_statement(word: str) -> None:
    """SqlBase.g4 `EXPLAIN (statement | identifier)`: a reserved word can only start the statement."""
    [stmt] = parse(f"EXPLAIN {word} q1;")
    assert isinstance(stmt, ast.Explain) and stmt.query_id is None
    assert isinstance(stmt.statement, ast.PauseResume) and stmt.statement.action == word


def test_upper_case_pause_is_no_variable_name() -> None:
    """SqlBase.g4 variableName is an IDENTIFIER; SyntaxErrorValidator.isValidVariableName lets only the
    lower-case keyword through."""
    assert _error("DEFINE PAUSE = '1';") == "line 1:8: Syntax Error\nExpecting IDENTIFIER"
    [stmt] = parse("DEFINE pause = '1';")
    assert isinstance(stmt, ast.DefineVariable)


@pytest.mark.parametrize("word", ["pause", "resume"])
def test_pause_and_resume_are_no_function_names(word: str) -> None:
    """ParserKeywordValidatorUtil: every lexer symbol is a reserved word for a plugin function."""
    assert not is_valid_function_name(word)


@pytest.mark.parametrize("word", ["PAUSE", "RESUME"])
def test_pause_all_still_parses(word: str) -> None:
    """SqlBase.g4 #pauseQuery / #resumeQuery."""
    [stmt] = parse(f"{word} ALL;")
    assert isinstance(stmt, ast.PauseResume) and stmt.query_id is None
