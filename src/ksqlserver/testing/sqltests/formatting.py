"""The test-only statements as ksqlDB's SqlFormatter prints them (in failure messages)."""

from __future__ import annotations

from ksqlserver.sql import ast
from ksqlserver.sql.formatter import column_def, escape, expression, properties


def format_assert(st: ast.Statement) -> str:
    """SqlFormatter.visitAssertValues / visitAssertTombstone / formatAssertSource."""
    if isinstance(st, ast.AssertValues | ast.AssertTombstone):
        ins = st.statement
        head = "ASSERT VALUES " if isinstance(st, ast.AssertValues) else "ASSERT NULL VALUES "
        cols = "(" + ", ".join(escape(c) for c in ins.columns) + ") " if ins.columns else ""
        word = "VALUES " if isinstance(st, ast.AssertValues) else "KEY "
        return f"{head}{escape(ins.target)} {cols}{word}(" + ", ".join(expression(v) for v in ins.values) + ")"
    assert isinstance(st, ast.AssertSource)
    cs = st.statement
    text = f"ASSERT {cs.kind} {escape(cs.name)}"
    if cs.columns:
        text += " (" + ", ".join(column_def(c) for c in cs.columns) + ")"
    props = properties(cs.properties)
    if props:
        text += f" WITH ({props})"
    return text + ";"
