"""A SELECT over one source resolved against the metastore into typed projections and a result schema.

It applies ksqlDB's key rules: PARTITION BY sets new key columns (named after a column or struct field, or
KSQL_COL_n) and moves the old key into the value; a persistent query must project every key column once;
unaliased expressions are named KSQL_COL_0, KSQL_COL_1, ...
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ksqlserver.analyze.join_tree import JoinInfo
from ksqlserver.analyze.scope import (
    KEY_TWICE_HINT,
    Projection,
    and_list,
    check_columns,
    check_key_value_clash,
    check_no_aggregates,
    check_reserved,
    check_transient_names,
    check_where_aggregates,
    derived_name,
    filter_error,
    qualify,
    source_scope,
)
from ksqlserver.catalog.column_names import AliasGenerator
from ksqlserver.catalog.metastore import DataSource, MetaStore, unknown_source_message
from ksqlserver.catalog.types import KEY, VALUE, Column, LogicalSchema, SqlType
from ksqlserver.compile.compiler import Compiler
from ksqlserver.compile.scope import Scope, ScopeColumn
from ksqlserver.errors import CompileError, KsqlStatementError
from ksqlserver.functions import FunctionRegistry
from ksqlserver.sql import ast
from ksqlserver.sql.printer import sql


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


def _has_table_function(q: ast.Query, registry: FunctionRegistry) -> bool:
    return any(
        isinstance(n, ast.FunctionCall) and getattr(registry.get(n.name), "kind", "") == "TABLE"
        for el in q.select
        if isinstance(el, ast.SelectItem)
        for n in ast.walk(el.expression)
    )


def analyze_select(
    q: ast.Query,
    metastore: MetaStore,
    registry: FunctionRegistry,
    sink_name: str | None = None,
    persistent: bool = False,
    new_planner: bool = False,
) -> AnalyzedQuery:
    """A stateless SELECT over one source (no join, no aggregation)."""
    source = metastore.get(q.from_.name)
    if source is None:
        raise KsqlStatementError(unknown_source_message(metastore, q.from_.name))
    alias = q.from_.effective_alias
    # a push query over a windowed table sees the window bounds (a persistent query keeps them in its key)
    windowed_view = source.window is not None and not persistent and sink_name is None
    scope = source_scope(source, alias)
    if source.is_table and _has_table_function(q, registry):
        raise KsqlStatementError("Table source is not supported with table functions")

    _check_column_references(q, scope)
    where = q.where
    if where is not None:
        check_where_aggregates(where, registry)
        comp = Compiler(scope, registry, "WHERE")
        try:
            t = comp.type_of(where)
            if t is not None and t.base != "BOOLEAN":
                raise CompileError(
                    f"Type error in WHERE expression: Should evaluate to boolean but is "
                    f"{sql(where)} ({t}) instead."
                )
        except CompileError as e:
            raise filter_error(e, "WHERE", sql(where)) from None

    # --- key after PARTITION BY -------------------------------------------------------------
    names = AliasGenerator(c.name for c in source.schema.columns)  # PartitionByParamsFactory's names
    key_exprs: list[tuple[str, ast.Expression, SqlType | None]] = []
    repartition = bool(q.partition_by)
    pre_value: list[Column] = []
    if repartition:
        comp = Compiler(scope, registry, "PARTITION BY")
        new_key_refs: set[str] = set()
        if len(q.partition_by) > 1 and any(isinstance(e, ast.NullLiteral) for e in q.partition_by):
            raise KsqlStatementError("Cannot PARTITION BY multiple columns including NULL")
        for e in q.partition_by:
            check_no_aggregates(e, "PARTITION BY", registry)
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
            name = names.name_for(e)
            if any(n == name for n, _, _ in key_exprs):
                # PartitionByParamsFactory.buildSchema: the re-keyed schema cannot hold one key column twice
                raise KsqlStatementError(f"Duplicate key columns found in schema: `{name}` {t} KEY")
            if isinstance(e, ast.ColumnRef):
                new_key_refs.add(e.name)
            key_exprs.append((name, e, t))
        key_names = {n for n, _, _ in key_exprs}
        pre_value = [c for c in source.schema.value if c.name not in new_key_refs and c.name not in key_names]
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
        if isinstance(el, ast.AllColumns):
            if el.source is not None and el.source != alias:
                raise KsqlStatementError(f"'{el.source}' is not a valid stream/table name or alias.")
            items += [(n, ke) for n, ke, _ in key_exprs]
            if windowed_view and not repartition:
                items += [(n, ast.ColumnRef(n)) for n in ("WINDOWSTART", "WINDOWEND")]
            items += [(c.name, ast.ColumnRef(c.name)) for c in pre_value]
        elif isinstance(el, ast.StructAll):
            comp = Compiler(proj_scope, registry, "SELECT")
            st = comp.type_of(el.base)
            if st is None or st.base != "STRUCT":
                raise KsqlStatementError(f"Can't expand a non-struct: {sql(el.base)}")
            items += [(f, ast.Dereference(el.base, f)) for f, _ in st.fields or ()]
        else:
            check_reserved(el.alias, el.expression, persistent and sink_name is not None)
            items.append((el.alias, el.expression))
    aliases = AliasGenerator(c.name for c in source.schema.columns)
    comp = Compiler(proj_scope, registry, "SELECT")
    projections: list[Projection] = []
    seen: set[str] = set()
    seen_keys: set[str] = set()
    seen_values: set[str] = set()
    for alias_, e in items:
        check_no_aggregates(e, "SELECT", registry)
        name = alias_ or aliases.name_for(e)
        try:
            t = comp.type_of(e)
        except CompileError as err:
            # ExpressionTypeManager's KsqlStatementException reaches the caller as thrown: its own statement
            # (the failing sub-expression) and getMessage() stay
            out = KsqlStatementError(err.message)
            out.unlogged, out.logged, out.unlogged_statement = err.unlogged, err.logged, err.unlogged_statement
            raise out from None
        if t is None:
            raise KsqlStatementError(
                "Can't infer a type of null. Please explicitly cast it to a required "
                "type, e.g. CAST(null AS VARCHAR)."
            )
        if new_planner:
            if name in seen:
                raise KsqlStatementError(f"Duplicate value columns found in schema: `{name}` {t}")
            seen.add(name)
        if repartition:
            # the analysis compares expressions qualified by the source (`A.V` is `V`): a selected PARTITION
            # BY expression is that key, however its columns are written
            qualified = qualify(e, alias)
            e = next((ke for _, ke, _ in key_exprs if qualify(ke, alias) == qualified), e)
        is_key = _is_key(e, key_exprs, repartition)
        if not new_planner:
            # SelectionUtil.buildProjectionSchema: a reference to a key column is a key column of the
            # projection, anything else a value column; each namespace refuses a name twice
            namespace = seen_keys if is_key else seen_values
            if name in namespace:
                kind = "key" if is_key else "value"
                raise KsqlStatementError(
                    f"Duplicate {kind} columns found in schema: `{name}` {t}{' KEY' if is_key else ''}"
                )
            namespace.add(name)
        projections.append(Projection(name, e, t, is_key))

    if persistent and sink_name is not None and not new_planner:
        _check_keys(projections, key_exprs, repartition, sink_name, alias)
        check_key_value_clash(projections)
    elif not new_planner:
        check_transient_names(projections)
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
    if source.is_table and repartition:
        _check_table_repartition(source, q.partition_by)
    elif repartition and source.window is not None and _repartition_needed(source, q.partition_by):
        # SchemaKStream.selectKey: a windowed key is not re-keyed
        raise KsqlStatementError(
            "Implicit repartitioning of windowed sources is not supported. "
            "See https://github.com/confluentinc/ksql/issues/4385."
        )
    return AnalyzedQuery(
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


def _repartition_needed(source: DataSource, partition_by: tuple[ast.Expression, ...]) -> bool:
    """ksqlDB's Repartitioning.repartitionNeeded: only partitioning by the single existing key column keeps
    the records where they are."""
    key = source.schema.key
    if len(key) != 1 or len(partition_by) != 1:
        return True
    e = partition_by[0]
    return not (isinstance(e, ast.ColumnRef) and e.name == key[0].name)


def _check_table_repartition(source: DataSource, partition_by: tuple[ast.Expression, ...]) -> None:
    """A TABLE is re-keyed only by its own key (SchemaKTable.selectKey): anything else is refused when the
    physical plan is built, after the analysis."""
    key = source.schema.key
    same_key = (
        len(key) == 1
        and len(partition_by) == 1
        and isinstance(partition_by[0], ast.ColumnRef)
        and partition_by[0].name == key[0].name
    )
    if same_key:
        return
    if len(key) > 1:
        raise KsqlStatementError(
            "Cannot repartition a TABLE source. If this is a join, joins on tables with multiple columns is not "
            "yet supported."
        )
    raise KsqlStatementError(
        "Cannot repartition a TABLE source. If this is a join, make sure that the criteria uses the TABLE's key "
        f"column {key[0].name if key else 'ROWKEY'} instead of [{', '.join(sql(e) for e in partition_by)}]"
    )


def _check_column_references(q: ast.Query, scope: Scope) -> None:
    """Unknown columns, clause by clause in ksqlDB's order, before anything is typed."""
    if q.where is not None:
        check_columns(q.where, scope, "WHERE")
    for e in q.partition_by:
        check_columns(
            e, scope, "PARTITION BY", "must be a column in the source schema since PARTITION BY is applied on the input."
        )
    key_names = {derived_name(e) for e in q.partition_by}  # PARTITION BY's new key columns (projected)
    extra = [ScopeColumn(n, SqlType("STRING"), -1) for n in key_names if n]
    select_scope = Scope(extra + scope.columns)
    for el in q.select:
        if isinstance(el, ast.SelectItem):
            check_columns(el.expression, select_scope, "SELECT")


def _is_key(
    e: ast.Expression, key_exprs: list[tuple[str, ast.Expression, SqlType | None]], repartition: bool
) -> bool:
    for name, ke, _ in key_exprs:
        if e == ke:
            return True
        if isinstance(e, ast.ColumnRef) and e.name == name and not repartition:
            return True
    return False


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
                or (not repartition and isinstance(p.expression, ast.ColumnRef) and p.expression.name == name)
            )
        ]
        if len(hits) > 1:
            raise KsqlStatementError(
                f"The projection contains a key column (`{name}`) more than once, "
                f"aliased as: {and_list(sorted(p.name for p in hits))}.{KEY_TWICE_HINT}"
            )
    if not any(not p.is_key for p in projections):  # FinalProjectNode, before the output node's key check
        raise KsqlStatementError("The projection contains no value columns.")
    missing_any = [
        (n, ke)
        for n, ke, _ in key_exprs
        if not any(
            p.is_key
            and (
                p.expression == ke
                or (not repartition and isinstance(p.expression, ast.ColumnRef) and p.expression.name == n)
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
        # ksqlDB's first line ends with a space before the line break
        raise KsqlStatementError(
            f"Key{'s' if len(texts) > 1 else ''} missing from projection (ie, SELECT). \n"
            f"The query used to build `{sink}` must include the {what} "
            f"{and_list(texts)} in its projection (eg, SELECT {', '.join(texts)}...)."
        )
