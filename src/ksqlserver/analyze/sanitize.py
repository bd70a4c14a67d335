"""A query as ksqlDB's AstSanitizer leaves it, for printing it the way ksqlDB re-formats statements.

AstSanitizer qualifies each column reference with the alias of the one source that has the column (names
no source has stay as written, e.g. WINDOWSTART of a windowed aggregate), aliases every source (by its own
name when not aliased) and gives each unaliased projection its name: a column's name (a join column whose
name clashes between sources gets the SOURCE_NAME form), else ColumnNames.columnAliasGenerator's next name.
"""

from __future__ import annotations

import dataclasses

from ksqlserver.analyze.scope import qualify_resolved, source_scope
from ksqlserver.catalog.column_names import AliasGenerator
from ksqlserver.catalog.metastore import DataSource, MetaStore
from ksqlserver.compile.scope import Scope
from ksqlserver.errors import KsqlStatementError
from ksqlserver.sql import ast


def sanitize_query(q: ast.Query, metastore: MetaStore) -> ast.Query | None:
    """The sanitised copy of `q`; None when a source is unknown (the statement fails before this matters)."""
    sources: list[tuple[str, DataSource]] = []
    for src in (q.from_, *(j.source for j in q.joins)):
        ds = metastore.get(src.name)
        if ds is None:
            return None
        sources.append((src.effective_alias, ds))
    scope = Scope([c for alias, ds in sources for c in source_scope(ds, alias).columns])
    counts: dict[str, int] = {}
    for _, ds in sources:
        for c in ds.schema.columns:
            counts[c.name] = counts.get(c.name, 0) + 1

    def fix(e: ast.Expression) -> ast.Expression:
        return qualify_resolved(e, scope)  # type: ignore[return-value]

    aliases = AliasGenerator(c.name for _, ds in sources for c in ds.schema.columns)
    select: list[ast.SelectElement] = []
    for item in q.select:
        if isinstance(item, ast.SelectItem):
            e = fix(item.expression)
            alias = item.alias
            if alias is None:
                if isinstance(e, ast.ColumnRef):
                    clash = e.source is not None and len(sources) > 1 and counts.get(e.name, 0) > 1
                    alias = f"{e.source}_{e.name}" if clash else e.name
                else:
                    alias = aliases.unique_alias_for(e)
            select.append(dataclasses.replace(item, expression=e, alias=alias))
        elif isinstance(item, ast.StructAll):
            select.append(dataclasses.replace(item, base=fix(item.base)))
        else:
            select.append(item)
    joins = tuple(
        dataclasses.replace(j, source=_aliased(j.source), on=fix(j.on)) for j in q.joins
    )
    return dataclasses.replace(
        q,
        select=tuple(select),
        from_=_aliased(q.from_),
        joins=joins,
        where=fix(q.where) if q.where is not None else None,
        group_by=tuple(fix(e) for e in q.group_by),
        partition_by=tuple(fix(e) for e in q.partition_by),
        having=fix(q.having) if q.having is not None else None,
    )


def _aliased(src: ast.AliasedSource) -> ast.AliasedSource:
    return src if src.alias is not None else dataclasses.replace(src, alias=src.name)


def check_lambdas(q: ast.Query, metastore: MetaStore) -> None:
    """AstSanitizer.visitLambdaExpression, run as the statement is prepared: a lambda's argument may not be
    named as a column of any of the query's sources, nor reuse an argument of a lambda it is nested in
    (SanitizerContext.addLambdaArgs). Unknown sources are left to the analysis, which names them first."""
    columns: set[str] = set()
    for src in (q.from_, *(j.source for j in q.joins)):
        ds = metastore.get(src.name)
        if ds is None:
            return
        columns |= {c.name for c in ds.schema.columns}

    def visit(node: ast.Node, outer: frozenset[str]) -> None:
        if isinstance(node, ast.Lambda):
            for arg in node.params:
                if arg in columns:
                    raise KsqlStatementError(f"Lambda function argument can't be a column name: {arg}")
            if outer & set(node.params):
                raise KsqlStatementError("Reusing lambda arguments in nested lambda is not allowed")
            visit(node.body, outer | set(node.params))
            return
        for child in ast.children(node):
            visit(child, outer)

    for part in (*q.select, *(j.on for j in q.joins), q.where, *q.group_by, *q.partition_by, q.having):
        if part is not None:
            visit(part, frozenset())
