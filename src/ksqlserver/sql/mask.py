"""ksqlDB's QueryMask for a parsed statement: the text an error names instead of the statement as sent,
so that INSERT VALUES literals never reach a response or a log."""

from __future__ import annotations

from ksqlserver.sql import ast

MASKED_VALUE = "'[value]'"


def _quoted(name: str) -> str:
    """Name.toString(): backquoted, a backquote doubled."""
    return "`" + name.replace("`", "``") + "`"


def masked_text(statement: ast.Statement) -> str:
    """QueryMask.Visitor: an INSERT VALUES re-written with every value as '[value]' (visitInsertValues);
    any other statement's own text."""
    if not isinstance(statement, ast.InsertValues):
        return statement.text
    text = "INSERT INTO " + _quoted(statement.target)
    if statement.columns:
        text += " (" + ", ".join(_quoted(c) for c in statement.columns) + ")"
    return text + " VALUES (" + ", ".join([MASKED_VALUE] * len(statement.values)) + ");"
