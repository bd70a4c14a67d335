"""Statements printed as ksqlDB's SqlFormatter.formatSql prints them.

ksqlDB re-formats a CREATE ... AS SELECT (and a CREATE STREAM/TABLE) after parsing and sanitising it, and
that text is what it appends as "Statement: ..." to an error raised while the statement's query is built
(KsqlEngine.execute). The query given here should already be sanitised (analyze.sanitize: columns
qualified, every projection aliased, every source aliased), as ksqlDB's AstSanitizer leaves it.
"""

from __future__ import annotations

import dataclasses

from ksqlserver.errors import KsqlError
from ksqlserver.sql import ast
from ksqlserver.sql.printer import _type, sql
from ksqlserver.sql.tokens import RESERVED, Kind, tokenize

_UNIT_NAMES = {
    "MILLISECOND": "MILLISECONDS",
    "SECOND": "SECONDS",
    "MINUTE": "MINUTES",
    "HOUR": "HOURS",
    "DAY": "DAYS",
}
_JOIN_NAMES = {"INNER": "INNER", "LEFT": "LEFT OUTER", "RIGHT": "RIGHT OUTER", "FULL": "FULL OUTER"}


def needs_quotes(name: str) -> bool:
    """IdentifierUtil.needsQuotes: quoted unless the grammar's identifier rule reads the whole name (an
    unreserved word, a quoted or digit identifier, a variable) and it is upper case."""
    if not name or name != name.upper():
        return True
    try:
        tokens = tokenize(name)
    except KsqlError:
        return True
    if len(tokens) != 2:  # the identifier and EOF
        return True
    tok = tokens[0]
    if tok.kind in (Kind.DIGIT_IDENT, Kind.QUOTED_IDENT, Kind.VARIABLE):
        # the grammar's identifier rule takes these whole too: a name that is itself quoted (`` `A` ``)
        # is written as it is (IdentifierUtilTest.shouldNotNeedBackQuotes)
        return False
    return tok.kind is not Kind.IDENT or tok.value in RESERVED or tok.text != name


def escape(name: str) -> str:
    return f"`{name}`" if needs_quotes(name) else name


def expression(e: ast.Node) -> str:
    """ExpressionFormatter with FormatOptions.of(IdentifierUtil::needsQuotes)."""
    return sql(e, escape)


def _duration(d: ast.Duration) -> str:
    return f"{d.value} {_UNIT_NAMES[d.unit]}"


def _window(w: ast.WindowClause) -> str:
    """KsqlWindowExpression.toString of each window kind."""
    tail = (f" , RETENTION {_duration(w.retention)}" if w.retention else "") + (
        f" , GRACE PERIOD {_duration(w.grace)}" if w.grace else ""
    )
    if w.kind == "TUMBLING":
        return f" TUMBLING ( SIZE {_duration(w.size)}{tail} ) "
    if w.kind == "HOPPING":
        assert w.advance is not None
        return f" HOPPING ( SIZE {_duration(w.size)} , ADVANCE BY {_duration(w.advance)}{tail} ) "
    return f" SESSION ( {_duration(w.size)}{tail} ) "


def _within(w: ast.WithinClause) -> str:
    """WithinExpression.toString."""
    if w.before == w.after:
        text = f" WITHIN {_duration(w.before)}"
    else:
        text = f" WITHIN ({_duration(w.before)}, {_duration(w.after)})"
    if w.grace is not None:
        text += f" GRACE PERIOD {_duration(w.grace)}"
    return text


def _relation(src: ast.AliasedSource) -> str:
    """SqlFormatter.visitAliasedRelation; an unaliased source is aliased by its own name, as
    AstBuilder.visitAliasedRelation gives every relation an alias (its bare-Table "TABLE x" branch is never
    reached from parsed text)."""
    return f"{escape(src.name)} {escape(src.alias or src.name)}"


def _select_item(item: ast.SelectElement) -> str:
    if isinstance(item, ast.AllColumns):
        return (f"{escape(item.source)}." if item.source else "") + "*"
    if isinstance(item, ast.StructAll):
        return f"{expression(item.base)}->*"
    text = expression(item.expression)
    return f"{text} {escape(item.alias)}" if item.alias is not None else text


def query(q: ast.Query) -> str:
    """SqlFormatter's visitQuery (indent 0), every clause on its own line."""
    lines = []
    if len(q.select) > 1:
        lines.append("SELECT" + ",".join("\n  " + _select_item(i) for i in q.select))
    else:
        lines.append("SELECT " + _select_item(q.select[0]))
    from_ = "FROM " + _relation(q.from_)
    for j in q.joins:
        from_ += f"\n{_JOIN_NAMES[j.kind]} JOIN {_relation(j.source)}"
        from_ += (_within(j.within) if j.within is not None else "") + f" ON ({expression(j.on)})"
    lines.append(from_)
    if q.window is not None:
        lines.append("WINDOW" + _window(q.window))
    if q.where is not None:
        lines.append("WHERE " + expression(q.where))
    if q.group_by:
        lines.append("GROUP BY " + ", ".join(expression(e) for e in q.group_by))
    if q.partition_by:
        lines.append("PARTITION BY " + ", ".join(expression(e) for e in q.partition_by))
    if q.having is not None:
        lines.append("HAVING " + expression(q.having))
    if q.emit is not None:
        lines.append(f"EMIT {q.emit}")
    if q.limit is not None:
        lines.append(f"LIMIT {q.limit}")
    return "\n".join(lines)


def properties(props: dict[str, ast.PropertyValue]) -> str:
    """PropertiesConfig.toString: NAME=literal, in name order."""
    return ", ".join(f"{k}={_literal(v)}" for k, v in sorted(props.items()))


def _literal(v: ast.PropertyValue) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None:
        return "null"
    if isinstance(v, str):
        return sql(ast.StringLiteral(v))
    if isinstance(v, float):
        return sql(ast.DoubleLiteral(v))
    return str(v)


def _with(props: dict[str, ast.PropertyValue]) -> str:
    text = properties(props)
    return f" WITH ({text})" if text else ""


def column_def(c: ast.ColumnDef) -> str:
    if c.constraint in ("PRIMARY KEY", "KEY"):
        post = f" {c.constraint}"
    elif c.constraint == "HEADER" or c.header_key is not None:
        post = f" HEADER('{c.header_key}')"
    elif c.constraint == "HEADERS":
        post = " HEADERS"
    else:
        post = ""
    return f"{escape(c.name)} {_type(c.type, escape)}{post}"


def statement(st: ast.Statement) -> str:
    """SqlFormatter.formatSql for the statements whose text ksqlDB re-formats; others keep their text."""
    if isinstance(st, ast.CreateAsSelect):
        # AstBuilder.visitQuery: a persistent query's refinement defaults to CHANGES
        if st.query.emit is None:
            st = dataclasses.replace(st, query=dataclasses.replace(st.query, emit="CHANGES"))
        head = "CREATE " + ("OR REPLACE " if st.or_replace else "") + f"{st.kind} "
        head += ("IF NOT EXISTS " if st.if_not_exists else "") + escape(st.name)
        return f"{head}{_with(st.properties)} AS {query(st.query)}"
    if isinstance(st, ast.CreateSource):
        return create_source(st, [column_def(c) for c in st.columns], st.properties)
    return st.text  # INSERT INTO and the rest: no injector rewrites them, so their text stays as written


def drop_source(st: ast.DropSource) -> str:
    """SqlFormatter.visitDrop (DROP STREAM / DROP TABLE)."""
    text = f"DROP {st.kind} " + ("IF EXISTS " if st.if_exists else "") + escape(st.name)
    return text + (" DELETE TOPIC" if st.delete_topic else "")


def create_source(st: ast.CreateSource, columns: list[str], props: dict[str, ast.PropertyValue]) -> str:
    """SqlFormatter's visitCreateStream/visitCreateTable with the table elements (already printed) and the
    WITH properties an injector gave the statement."""
    head = "CREATE " + ("OR REPLACE " if st.or_replace else "") + ("SOURCE " if st.is_source else "")
    head += f"{st.kind} " + ("IF NOT EXISTS " if st.if_not_exists else "") + escape(st.name)
    cols = ", ".join(columns)
    return head + (f" ({cols})" if cols else "") + _with(props) + ";"
