"""The analyser: a SELECT resolved against the metastore into typed projections and a result schema.

It applies ksqlDB's key rules: PARTITION BY sets new key columns (named after a column or struct field, or
KSQL_COL_n) and moves the old key into the value; a persistent query must project every key column once;
unaliased expressions are named KSQL_COL_0, KSQL_COL_1, ...
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from ksqlserver import ast
from ksqlserver.compiler import CompileError, Compiler, Scope, ScopeColumn
from ksqlserver.errors import KsqlStatementError
from ksqlserver.functions import FunctionRegistry, is_aggregate_function
from ksqlserver.join_spec import JoinInfo
from ksqlserver.metastore import DataSource, MetaStore
from ksqlserver.sqltext import sql
from ksqlserver.types import KEY, PSEUDO_COLUMNS, VALUE, Column, LogicalSchema, SqlType


@dataclass(frozen=True)
class Projection:
    name: str
    expression: ast.Expression
    type: SqlType | None
    is_key: bool = False


@dataclass
class AnalyzedQuery:
    """Everything the planner needs about one stateless SELECT over one source."""

    source: DataSource
    alias: str
    input_scope: (
        Scope  # the source row: key, value (and header) columns, then ROWTIME, ROWPARTITION, ROWOFFSET
    )
    where: ast.Expression | None
    key_exprs: list[tuple[str, ast.Expression, SqlType | None]]  # pre-projection key (PARTITION BY)
    repartition: bool
    projection_scope: Scope
    projections: list[Projection]
    schema: LogicalSchema
    limit: int | None = None
    sink_name: str | None = None
    warnings: list[str] = field(default_factory=list)
    join: JoinInfo | None = None

    @property
    def topics(self) -> list[str]:
        return self.join.topics if self.join else [self.source.topic]


def qualify(e: ast.Node, source: str) -> ast.Node:
    """A copy of `e` with unqualified column references qualified by `source` (for ksqlDB's messages)."""
    if isinstance(e, ast.ColumnRef):
        return e if e.source else ast.ColumnRef(e.name, source)
    if not dataclasses.is_dataclass(e):
        return e
    changes = {}
    for f in dataclasses.fields(e):
        if f.name in ("line", "column"):
            continue
        v = getattr(e, f.name)
        if isinstance(v, ast.Node):
            changes[f.name] = qualify(v, source)
        elif isinstance(v, tuple):
            changes[f.name] = tuple(qualify(x, source) if isinstance(x, ast.Node) else x for x in v)
    return dataclasses.replace(e, **changes)


def source_scope(source: DataSource, alias: str, offset: int = 0) -> Scope:
    cols = [ScopeColumn(c.name, c.type, offset + i, alias) for i, c in enumerate(source.schema.columns)]
    n = len(cols)
    cols += [ScopeColumn(name, t, offset + n + i, alias) for i, (name, t) in enumerate(PSEUDO_COLUMNS)]
    return Scope(cols)


def resolve_sources(e: ast.Node, scope: Scope) -> set[str]:
    """The aliases of the sources whose columns `e` reads."""
    out = set()
    for n in ast.walk(e):
        if isinstance(n, ast.ColumnRef):
            col = scope.resolve(n)
            if col is not None and col.source is not None:
                out.add(col.source)
    return out


def qualify_resolved(e: ast.Node, scope: Scope) -> ast.Node:
    """`e` with every column reference qualified by the alias it resolves to (for comparing expressions)."""
    if isinstance(e, ast.ColumnRef):
        col = scope.resolve(e)
        return ast.ColumnRef(e.name, col.source) if col is not None and col.source else e
    if not dataclasses.is_dataclass(e):
        return e
    changes = {}
    for f in dataclasses.fields(e):
        if f.name in ("line", "column"):
            continue
        v = getattr(e, f.name)
        if isinstance(v, ast.Node):
            changes[f.name] = qualify_resolved(v, scope)
        elif isinstance(v, tuple):
            changes[f.name] = tuple(qualify_resolved(x, scope) if isinstance(x, ast.Node) else x for x in v)
    return dataclasses.replace(e, **changes)


class _Names:
    """KSQL_COL_n generation that skips names already taken."""

    def __init__(self, taken: set[str]) -> None:
        self.taken = taken
        self.n = 0

    def next(self) -> str:
        while f"KSQL_COL_{self.n}" in self.taken:
            self.n += 1
        name = f"KSQL_COL_{self.n}"
        self.n += 1
        self.taken.add(name)
        return name


def _derived_name(e: ast.Expression) -> str | None:
    if isinstance(e, ast.ColumnRef):
        return e.name
    if isinstance(e, ast.Dereference):
        return e.field
    return None


def _check_no_aggregates(e: ast.Node, clause: str, registry: FunctionRegistry | None = None) -> None:
    for node in ast.walk(e):
        if isinstance(node, ast.FunctionCall) and is_aggregate_function(node.name, registry):
            raise KsqlStatementError(
                f"{clause} does not support aggregate functions: {node.name} is an aggregate function."
            )


def _and_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _has_table_function(q: ast.Query, registry: FunctionRegistry) -> bool:
    return any(
        isinstance(n, ast.FunctionCall) and getattr(registry.get(n.name), "kind", "") == "TABLE"
        for el in q.select
        if isinstance(el, ast.SelectItem)
        for n in ast.walk(el.expression)
    )


class Analyzer:
    def __init__(self, metastore: MetaStore, registry: FunctionRegistry) -> None:
        self.metastore = metastore
        self.registry = registry

    def analyze(
        self, q: ast.Query, sink_name: str | None = None, persistent: bool = False, new_planner: bool = False
    ) -> AnalyzedQuery:
        if q.group_by or q.window is not None or q.having is not None:
            raise KsqlStatementError("GROUP BY, WINDOW and HAVING are not supported yet by this server")
        from ksqlserver.aggregation import AggregateAnalyzer, is_aggregate  # (it imports this module)

        if persistent and not is_aggregate(q) and is_aggregate(q, self.registry):
            # a plugin UDAF without GROUP BY, which the executor's registry-free test sent here: the error
            # a built-in aggregate gets from the aggregation analysis
            AggregateAnalyzer(self.metastore, self.registry).analyze(q, sink_name, persistent)
            raise KsqlStatementError("Aggregate queries without GROUP BY are not supported by this server")
        source = self.metastore.get(q.from_.name)
        if source is None:
            pos = f"Line: {q.from_.line}, Col: {q.from_.column}: " if q.from_.line else ""
            raise KsqlStatementError(f"{pos}{q.from_.name} does not exist.")
        if q.joins:  # joins have their own analysis (join tree, key rules, ksqlDB's rejections)
            from ksqlserver.join_analysis import analyze_join

            return analyze_join(self, q, sink_name, persistent)
        alias = q.from_.effective_alias
        scope = source_scope(source, alias)
        join = None
        if source.is_table and _has_table_function(q, self.registry):
            raise KsqlStatementError("Table source is not supported with table functions")

        where = q.where
        if where is not None:
            _check_no_aggregates(where, "WHERE", self.registry)
            comp = Compiler(scope, self.registry, "WHERE")
            try:
                t = comp.type_of(where)
                if t is not None and t.base != "BOOLEAN":
                    raise CompileError(
                        f"Type error in WHERE expression: Should evaluate to boolean but is "
                        f"{sql(where)} ({t}) instead."
                    )
            except CompileError as e:
                msg = e.message
                if not msg.startswith("Type error") and "cannot be resolved" not in msg:
                    msg = "Error in WHERE expression: " + msg
                raise KsqlStatementError(msg) from None

        # --- key after PARTITION BY -------------------------------------------------------------
        taken = {c.name for c in scope.columns}
        names = _Names(set())
        key_exprs: list[tuple[str, ast.Expression, SqlType | None]] = []
        repartition = bool(q.partition_by)
        pre_value: list[Column] = []
        if repartition:
            comp = Compiler(scope, self.registry, "PARTITION BY")
            new_key_refs: set[str] = set()
            if len(q.partition_by) > 1 and any(isinstance(e, ast.NullLiteral) for e in q.partition_by):
                raise KsqlStatementError("Cannot PARTITION BY multiple columns including NULL")
            for e in q.partition_by:
                _check_no_aggregates(e, "PARTITION BY", self.registry)
                if isinstance(e, ast.NullLiteral):
                    continue
                try:
                    t = comp.type_of(e)
                except CompileError as err:
                    msg = err.message
                    if "cannot be resolved" in msg:
                        ref = msg.split("'")[1]
                        msg = f"PARTITION BY column '{ref}' cannot be resolved."
                        renamed = [
                            el
                            for el in q.select
                            if isinstance(el, ast.SelectItem)
                            and el.alias == ref
                            and isinstance(el.expression, ast.ColumnRef)
                        ]
                        if renamed:
                            msg += (
                                f" '{ref}' must be a column in the source schema since PARTITION BY is "
                                f"applied on the input."
                            )
                    raise KsqlStatementError(msg) from None
                name = _derived_name(e) or names.next()
                if isinstance(e, ast.ColumnRef):
                    new_key_refs.add(e.name)
                key_exprs.append((name, e, t))
            key_names = {n for n, _, _ in key_exprs}
            pre_value = [
                c for c in source.schema.value if c.name not in new_key_refs and c.name not in key_names
            ]
            pre_value += [Column(c.name, c.type, VALUE) for c in source.schema.key if c.name not in key_names]
            extra = [
                ScopeColumn(n, t or SqlType("STRING"), len(scope.columns) + i, None)
                for i, (n, _, t) in enumerate(key_exprs)
            ]
            proj_scope = Scope(extra + scope.columns)
        else:
            key_exprs = [(c.name, ast.ColumnRef(c.name), c.type) for c in source.schema.key]
            pre_value = list(source.schema.value)
            proj_scope = scope

        # --- projection --------------------------------------------------------------------------------
        items: list[tuple[str | None, ast.Expression]] = []
        for el in q.select:
            if isinstance(el, ast.AllColumns) and join is not None:
                sides = [(alias, source), (join.right_alias, join.right)]
                if el.source is not None:
                    sides = [s for s in sides if s[0] == el.source]
                    if not sides:
                        raise KsqlStatementError(f"'{el.source}' is not a valid stream/table name or alias.")
                for a_, src in sides:
                    items += [(f"{a_}_{c.name}", ast.ColumnRef(c.name, a_)) for c in src.schema.columns]
            elif isinstance(el, ast.AllColumns):
                if el.source is not None and el.source != alias:
                    raise KsqlStatementError(f"'{el.source}' is not a valid stream/table name or alias.")
                items += [(n, ke) for n, ke, _ in key_exprs]
                items += [(c.name, ast.ColumnRef(c.name)) for c in pre_value]
            elif isinstance(el, ast.StructAll):
                comp = Compiler(proj_scope, self.registry, "SELECT")
                st = comp.type_of(el.base)
                if st is None or st.base != "STRUCT":
                    raise KsqlStatementError(f"Can't expand a non-struct: {sql(el.base)}")
                items += [(f, ast.Dereference(el.base, f)) for f, _ in st.fields or ()]
            else:
                items.append((el.alias, el.expression))
        join_keys: list[ast.Node] = []
        if join is not None:
            on = q.joins[0].on
            assert isinstance(on, ast.Comparison)
            join_keys = [qualify_resolved(on.left, scope), qualify_resolved(on.right, scope)]
        explicit = {a for a, _ in items if a}
        sel_names = _Names(set(explicit) | {n for n in (_derived_name(e) for _, e in items) if n})
        comp = Compiler(proj_scope, self.registry, "SELECT")
        projections: list[Projection] = []
        seen: set[str] = set()
        for alias_, e in items:
            _check_no_aggregates(e, "SELECT", self.registry)
            derived = _derived_name(e)
            if join is not None and isinstance(e, ast.ColumnRef) and e.source is not None:
                derived = f"{e.source}_{e.name}"  # joined columns are prefixed with their source alias
            name = alias_ or derived or sel_names.next()
            if name in seen:
                raise KsqlStatementError(f"Duplicate value columns found in schema: `{name}`")
            seen.add(name)
            try:
                t = comp.type_of(e)
            except CompileError as err:
                raise KsqlStatementError(err.message) from None
            if t is None:
                raise KsqlStatementError(
                    "Can't infer a type of null. Please explicitly cast it to a required "
                    "type, e.g. CAST(null AS VARCHAR)."
                )
            if join is not None:  # the first projection of either join expression becomes the key
                is_key = qualify_resolved(e, scope) in join_keys and not any(p.is_key for p in projections)
            else:
                is_key = self._is_key(e, key_exprs, repartition)
            projections.append(Projection(name, e, t, is_key))
        del taken

        if persistent and sink_name is not None and join is not None:
            if not any(p.is_key for p in projections):
                texts = [sql(k) for k in join_keys]
                raise KsqlStatementError(
                    f"The query used to build `{sink_name}` must include the join expressions {texts[0]} or "
                    f"{texts[1]} in its projection (eg, SELECT {texts[0]}...)."
                )
        elif persistent and sink_name is not None and not new_planner:
            self._check_keys(projections, key_exprs, repartition, sink_name, alias)
            if not any(not p.is_key for p in projections):
                raise KsqlStatementError("The projection contains no value columns.")
        key_projs = [p for p in projections if p.is_key]
        if not new_planner:  # the old planner keeps the source's (or PARTITION BY's) key order
            order = [ke for _, ke, _ in key_exprs]
            names_order = [n for n, _, _ in key_exprs]

            def rank(p: Projection) -> int:
                if p.expression in order:
                    return order.index(p.expression)
                if isinstance(p.expression, ast.ColumnRef) and p.expression.name in names_order:
                    return names_order.index(p.expression.name)
                return len(order)

            key_projs.sort(key=rank)
        key_cols = [Column(p.name, p.type or SqlType("STRING"), KEY) for p in key_projs]
        if not persistent:
            key_cols = []
        val_cols = [
            Column(p.name, p.type or SqlType("STRING"), VALUE)
            for p in projections
            if not (p.is_key and persistent)
        ]
        schema = LogicalSchema(tuple(key_cols + val_cols))
        return AnalyzedQuery(
            join=join,
            source=source,
            alias=alias,
            input_scope=scope,
            where=where,
            key_exprs=key_exprs,
            repartition=repartition,
            projection_scope=proj_scope,
            projections=projections,
            schema=schema,
            limit=q.limit,
            sink_name=sink_name,
        )

    @staticmethod
    def _is_key(
        e: ast.Expression, key_exprs: list[tuple[str, ast.Expression, SqlType | None]], repartition: bool
    ) -> bool:
        for name, ke, _ in key_exprs:
            if e == ke:
                return True
            if isinstance(e, ast.ColumnRef) and e.name == name and not repartition:
                return True
        return False

    @staticmethod
    def _check_keys(
        projections: list[Projection],
        key_exprs: list[tuple[str, ast.Expression, SqlType | None]],
        repartition: bool,
        sink: str,
        source_alias: str,
    ) -> None:
        for name, ke, _ in key_exprs:
            hits = [
                p
                for p in projections
                if p.is_key
                and (
                    p.expression == ke
                    or (
                        not repartition
                        and isinstance(p.expression, ast.ColumnRef)
                        and p.expression.name == name
                    )
                )
            ]
            if len(hits) > 1:
                raise KsqlStatementError(
                    f"The projection contains a key column (`{name}`) more than once, "
                    f"aliased as: {_and_list([p.name for p in hits])}."
                )
        missing_any = [
            (n, ke)
            for n, ke, _ in key_exprs
            if not any(
                p.is_key
                and (
                    p.expression == ke
                    or (
                        not repartition and isinstance(p.expression, ast.ColumnRef) and p.expression.name == n
                    )
                )
                for p in projections
            )
        ]
        if missing_any:
            missing = [(n, ke) for n, ke, _ in key_exprs]  # ksqlDB names every key column
            if repartition:
                texts = [sql(qualify(ke, source_alias)) for _, ke in missing]
                what = "partitioning expression" + ("s" if len(texts) > 1 else "")
            else:
                texts = [n for n, _ in missing]
                what = "key column" + ("s" if len(texts) > 1 else "")
            raise KsqlStatementError(
                f"The query used to build `{sink}` must include the {what} "
                f"{_and_list(texts)} in its projection (eg, SELECT {', '.join(texts)}...)."
            )
