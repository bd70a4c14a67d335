"""CommandParser: a migration file split into commands (comments dropped), each checked against what the
tool refuses, its variables substituted, and parsed when the tool runs it itself (INSERT VALUES, connectors,
SET/UNSET, DEFINE/UNDEFINE, ASSERT TOPIC/SCHEMA); every other statement is sent to /ksql as text."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ksqlserver.errors import KsqlParseError
from ksqlserver.migrations import MigrationError
from ksqlserver.sql import ast
from ksqlserver.sql.parser import checked_variable_references
from ksqlserver.sql.parser import parse as parse_sql
from ksqlserver.sql.variables import check_references, substitute

_QUOTED_STRING_OR_WHITESPACE = re.compile(r"('([^']*|(''))*')|\s+")
_UNSUPPORTED = ("DESCRIBE", "EXPLAIN", "SELECT", "PRINT", "SHOW", "LIST")
# the statements the tool executes itself (CommandParser.StatementType other than STATEMENT)
_OWN = (
    ast.InsertValues, ast.CreateConnector, ast.DropConnector, ast.SetProperty, ast.UnsetProperty,
    ast.DefineVariable, ast.UndefineVariable, ast.AssertTopic, ast.AssertSchema,
)
_SYNTAX_ERROR = re.compile(r"line (\d+):(\d+): Syntax Error")


@dataclass(frozen=True)
class ParsedCommand:
    """The command text after substitution, and its statement when the tool runs it itself."""

    command: str
    statement: ast.Statement | None


def split_sql(sql: str) -> list[str]:
    """splitSql: commands through their `;`, comments removed, quoted text kept as is."""
    commands: list[str] = []
    current: list[str] = []
    index = 0
    while index < len(sql):
        ch = sql[index]
        if ch == "'":
            closing = sql.find("'", index + 1)
            _validate_token("'", closing)
            current.append(sql[index:closing + 1])
            index = closing + 1
        elif index < len(sql) - 1 and sql.startswith("--", index):
            index = sql.find("\n", index + 1) + 1
            _validate_token("\n", index - 1)
        elif index < len(sql) - 1 and sql.startswith("/*", index):
            index = sql.find("*/", index + 1) + 2
            _validate_token("*/", index - 2)
        elif ch == ";":
            current.append(";")
            commands.append("".join(current))
            current = []
            index += 1
        else:
            current.append(ch)
            index += 1
    rest = "".join(current)
    if rest.strip():
        raise MigrationError(f"Unmatched command at end of file; missing semicolon: '{rest}'")
    return commands


def _validate_token(token: str, index: int) -> None:
    if index < 0:
        raise MigrationError(f"Invalid sql - failed to find closing token '{token}'")


def to_field_type(expression: ast.Expression) -> Any:
    """toFieldType: a literal (or array / map / struct of literals) as the value the client sends."""
    if isinstance(expression, ast.NullLiteral):
        return None
    if isinstance(expression, ast.Literal):
        return expression.value
    if isinstance(expression, ast.CreateArray):
        return [to_field_type(e) for e in expression.items]
    if isinstance(expression, ast.CreateMap):
        return {to_field_type(k): to_field_type(v) for k, v in expression.entries}
    if isinstance(expression, ast.CreateStruct):
        return {name: to_field_type(v) for name, v in expression.fields}
    raise MigrationError(f"Expression type not recognized: {expression}")


def parse(sql: str, variables: Mapping[str, str]) -> ParsedCommand:
    """parse: refuse what the tool does not support, substitute variables (VariableSubstitutor), parse."""
    _validate_supported_statement_type(sql)
    try:
        refs = checked_variable_references(sql)
    except KsqlParseError as e:
        raise MigrationError(f"Failed to parse the statement. Statement: {sql}. Reason: {_logged(e)}") from None
    except RecursionError:
        raise MigrationError(
            f"Failed to parse the statement. Statement: {sql}. Reason: Error processing statement: Statement is "
            "too large to parse. This may be caused by having too many nested expressions in the statement."
        ) from None
    try:
        check_references(refs, variables, sql)
    except KsqlParseError as e:
        # ParseFailedException.getMessage: the logged text, without the unlogged " Got: '<value>'"
        reason = re.sub(r" Got: '.*'$", "", e.message, flags=re.S)
        raise MigrationError(f"Failed to parse the statement. Statement: {sql}. Reason: {reason}") from None
    substituted = substitute(sql.strip(), variables)
    try:
        [statement] = parse_sql(substituted)
    except KsqlParseError as e:
        # the second parse (of the substituted text) is not caught in Java: its ParseFailedException
        # reaches `apply` as is
        raise MigrationError(_logged(e)) from None
    text = getattr(statement, "text", None) or substituted
    return ParsedCommand(text, statement if isinstance(statement, _OWN) else None)


def _logged(error: KsqlParseError) -> str:
    """ParsingException.getMessage: a syntax error's logged text names only where it is."""
    match = _SYNTAX_ERROR.match(error.message)
    if match:
        return f"line {match.group(1)}:{match.group(2)}: Syntax error at line {match.group(1)}:{match.group(2)}"
    return error.message


def _validate_supported_statement_type(sql: str) -> None:
    tokens = [t for t in _split_keep(sql.upper()) if t]
    if tokens and tokens[0] in _UNSUPPORTED:
        raise MigrationError(f"'{tokens[0]}' statements are not supported.")
    if len(tokens) > 1 and tokens[0] == "RUN" and tokens[1] == "SCRIPT":
        raise MigrationError("'RUN SCRIPT' statements are not supported.")


def _split_keep(text: str) -> list[str]:
    """String.split on quoted strings or whitespace: what lies between the matches."""
    return _QUOTED_STRING_OR_WHITESPACE.split(text)[::4]


def preserve_case(name: str) -> str:
    return "`" + name + "`"
