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
from ksqlserver.sql.ast.nodes import children


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


def check_lambdas(q: ast.Query, metastore: MetaStore, enabled: bool) -> None:
    """AstSanitizer's checks of a query's lambdas, run by EngineContext.prepare (whose wrapping makes
    "Exception while preparing statement: ..." of each): lambdas must be enabled (`enabled`: the server's
    ksql.lambdas.enabled), no argument may be named like a column of the query's sources, and a nested
    lambda may not reuse an enclosing lambda's argument. A query with an unknown source is left to
    DataSourceExtractor's error."""
    columns: set[str] = set()
    for src in (q.from_, *(j.source for j in q.joins)):
        ds = metastore.get(src.name)
        if ds is None:
            return
        columns.update(c.name for c in ds.schema.columns)

    def fail(message: str) -> None:
        raise KsqlStatementError(f"Exception while preparing statement: {message}")

    def visit(node: ast.Node, args: frozenset[str]) -> None:
        if isinstance(node, ast.Lambda):
            if not enabled:
                fail("Lambdas are not enabled at this time.")
            for param in node.params:
                if param in columns:
                    fail(f"Lambda function argument can't be a column name: {param}")
            if args & set(node.params):  # SanitizerContext.addLambdaArgs
                fail("Reusing lambda arguments in nested lambda is not allowed")
            visit(node.body, args | set(node.params))
            return
        for child in children(node):
            visit(child, args)

    visit(q, frozenset())
