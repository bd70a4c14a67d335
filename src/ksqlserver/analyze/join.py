"""Analysis of SELECTs with joins over the tree `join_build.build_tree` makes: the projection, ksqlDB's
rejections of it, and its key rules for join results.

Key rules (ksqlDB 0.29): the join criteria that are plain columns are the viable key columns and the first
one projected becomes the result key; a FULL OUTER join, or criteria that are not columns, give a
synthetic key `ROWKEY` (ROWKEY_n if a source already has a ROWKEY) that the projection must name.
Qualified columns are named `<alias>_<column>` when several sources have that column.
"""

from __future__ import annotations

import dataclasses
import re

from ksqlserver.analyze.join_build import (
    SYNTHETIC_HELP,
    build_tree,
    check_join_build,
    has_map,
    inner_synthetic_keys,
    is_pk,
    qualified_expr,
)
from ksqlserver.analyze.join_tree import JoinInfo, JoinLeaf, JoinNode, PartitionCount
from ksqlserver.analyze.scope import (
    KEY_TWICE_HINT,
    ColumnNames,
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
    joined_names,
    non_boolean_filter,
    or_list,
    rewrite_refs,
)
from ksqlserver.analyze.select import AnalyzedQuery
from ksqlserver.catalog.column_names import AliasGenerator
from ksqlserver.catalog.metastore import MetaStore
from ksqlserver.catalog.types import KEY, VALUE, Column, LogicalSchema, SqlType
from ksqlserver.compile.compiler import Compiler
from ksqlserver.compile.scope import Scope, ScopeColumn
from ksqlserver.errors import CompileError, KsqlStatementError
from ksqlserver.functions import FunctionRegistry
from ksqlserver.sql import ast
from ksqlserver.sql.printer import sql


def analyze_join(
    q: ast.Query,
    metastore: MetaStore,
    registry: FunctionRegistry,
    sink_name: str | None,
    persistent: bool,
    outer_emit_interval_ms: int = 1000,
    partitions: PartitionCount | None = None,
) -> AnalyzedQuery:
    """`partitions`: the topics' partition counts, for the co-partitioning check of the physical build (None:
    not checked)."""
    info, scope, viable = build_tree(q, metastore, registry, defer_build_errors=True)
    info = dataclasses.replace(info, outer_emit_interval_ms=outer_emit_interval_ms)
    key_name = scope.columns[info.synthetic_key].name if info.synthetic_key is not None else None
    where = q.where
    if where is not None:
        check_where_aggregates(where, registry)
        check_columns(where, scope, "WHERE")
        # typed as ksqlDB types it: over the joined row, whose columns are named <alias>_<column>
        joined_where, joined_scope = joined_names(where, scope)
        try:
            t = Compiler(joined_scope, registry, "WHERE").type_of(joined_where)
        except CompileError as e:
            raise filter_error(e, "WHERE", sql(joined_where), lambda m: join_column_names(m, info)) from None
        if t is not None and t.base != "BOOLEAN":
            raise non_boolean_filter("WHERE", sql(joined_where), t)
    counts: dict[str, int] = {}
    for leaf in info.leaves:
        for c in leaf.scope.columns:
            counts[c.name] = counts.get(c.name, 0) + 1

    def derived(e: ast.Expression) -> str | None:
        if isinstance(e, ast.ColumnRef):
            col = scope.resolve(e)
            if col is not None and col.source is not None and counts[e.name] > 1:
                return f"{col.source}_{e.name}"
        return derived_name(e)

    # --- PARTITION BY: a new key over the joined row (ksqlDB's repartition of the join's output) -----------
    key_exprs: list[tuple[str, ast.Expression, SqlType | None]] = []
    part_norm: list[ast.Expression] = []
    proj_scope = scope
    table_error: str | None = None
    if q.partition_by:
        if info.root.is_table:
            # SchemaKTable.selectKey over the join's result: its key is the joined one, named as the join
            # names it, and the PARTITION BY expressions print over the joined row's names. It refuses a
            # re-key while the physical plan is built: after the analysis and the logical plan's checks
            if info.root.foreign_key and len(info.leaves[0].source.schema.key) > 1:
                table_error = (
                    "Cannot repartition a TABLE source. If this is a join, joins on tables with multiple columns "
                    "is not yet supported."
                )
            else:
                if key_name is not None:
                    join_key = key_name
                elif info.root.foreign_key:
                    join_key = f"{info.leaves[0].alias}_{info.leaves[0].source.schema.key[0].name}"
                else:
                    projected_refs = [
                        qualified_expr(el.expression, scope) for el in q.select if isinstance(el, ast.SelectItem)
                    ]
                    star = any(isinstance(el, ast.AllColumns) for el in q.select)
                    chosen = next((v for v in viable if star or v in projected_refs), viable[0])
                    join_key = f"{chosen.source}_{chosen.name}"  # type: ignore[attr-defined]
                shown_exprs = [_joined_sql(qualified_expr(e, scope)) for e in q.partition_by]
                # Repartitioning.repartitionNeeded: PARTITION BY the join's own key column changes nothing,
                # and SchemaKTable.selectKey lets it through (the result is then shaped as any PARTITION BY's)
                no_op = len(q.partition_by) == 1 and isinstance(q.partition_by[0], ast.ColumnRef)
                if not (no_op and shown_exprs[0] == join_key):
                    table_error = (
                        "Cannot repartition a TABLE source. If this is a join, make sure that the criteria uses "
                        f"the TABLE's key column {join_key} instead of [{', '.join(shown_exprs)}]"
                    )
        if len(q.partition_by) > 1 and any(isinstance(e, ast.NullLiteral) for e in q.partition_by):
            raise KsqlStatementError("Cannot PARTITION BY multiple columns including NULL")
        pcomp = Compiler(scope, registry, "PARTITION BY")
        pnames = ColumnNames(set())
        for e in q.partition_by:
            check_no_aggregates(e, "PARTITION BY", registry)
            try:
                t = None if isinstance(e, ast.NullLiteral) else pcomp.type_of(e)
            except CompileError as err:
                msg = err.message
                if "cannot be resolved" in msg:
                    ref = msg.split("'")[1]
                    msg = f"PARTITION BY column '{ref}' cannot be resolved."
                raise KsqlStatementError(msg) from None
            if isinstance(e, ast.ColumnRef):
                col = scope.resolve(e)
                name = f"{col.source}_{e.name}" if col is not None and col.source else e.name
            else:
                name = derived_name(e) or pnames.next()
            key_exprs.append((name, e, t))
            part_norm.append(qualified_expr(e, scope))
        extra = [
            ScopeColumn(n, t or SqlType("STRING"), info.width + i, None) for i, (n, _, t) in enumerate(key_exprs)
        ]
        proj_scope = Scope(scope.columns + extra)

    foreign = info.root.foreign_key and not key_exprs
    items: list[tuple[str | None, ast.Expression]] = []
    for el in q.select:
        if isinstance(el, ast.AllColumns):
            leaves = list(info.leaves)
            if el.source is not None:
                leaves = [lf for lf in leaves if lf.alias == el.source]
                if not leaves and el.source not in {lf.source.name for lf in info.leaves}:
                    raise KsqlStatementError(f"'{el.source}' is not a valid stream/table name or alias.")
                if key_exprs:
                    # the logical planner resolves `X.*` against the PARTITION BY node, which over a join has
                    # no source name: UserRepartitionNode.resolveSelectStar throws its IllegalArgumentException
                    raise KsqlStatementError(f"Expected sourceName of Optional.empty, but was {el.source}")
                # a source's own name where the query aliased it passes the parser's check and selects
                # nothing (JoinNode.resolveSelectStar matches aliases only)
            elif key_exprs:  # the repartitioned join's schema: the new key first
                items += [(n, ke) for n, ke, _ in key_exprs if not isinstance(ke, ast.NullLiteral)]
            elif key_name is not None:
                items.append((key_name, ast.ColumnRef(key_name)))
            for lf in leaves:
                if key_exprs:  # each source's values, pseudo columns and keys, as the join's value schema
                    cols = [
                        *(c.name for c in lf.source.schema.value),
                        "ROWTIME",
                        "ROWPARTITION",
                        "ROWOFFSET",
                        *(c.name for c in lf.source.schema.key),
                    ]
                    items += [
                        (f"{lf.alias}_{n}", ast.ColumnRef(n, lf.alias))
                        for n in cols
                        if qualified_expr(ast.ColumnRef(n, lf.alias), scope) not in part_norm
                    ]
                    continue
                cols_w = list(lf.source.schema.key)
                items += [(f"{lf.alias}_{c.name}", ast.ColumnRef(c.name, lf.alias)) for c in cols_w]
                if lf.source.window is not None:  # a windowed source's bounds, as value columns
                    items += [(f"{lf.alias}_{n}", ast.ColumnRef(n, lf.alias)) for n in ("WINDOWSTART", "WINDOWEND")]
                items += [
                    (f"{lf.alias}_{c.name}", ast.ColumnRef(c.name, lf.alias)) for c in lf.source.schema.value
                ]
        elif isinstance(el, ast.StructAll):
            st = Compiler(scope, registry, "SELECT").type_of(el.base)
            if st is None or st.base != "STRUCT":
                raise KsqlStatementError(f"Can't expand a non-struct: {sql(el.base)}")
            items += [(f, ast.Dereference(el.base, f)) for f, _ in st.fields or ()]
        else:
            check_reserved(el.alias, el.expression, persistent and sink_name is not None, derived(el.expression))
            items.append((el.alias, el.expression))

    names = AliasGenerator(c.name for lf in info.leaves for c in lf.source.schema.columns)
    comp = Compiler(proj_scope, registry, "SELECT")
    projections: list[Projection] = []
    seen: set[str] = set()
    seen_keys: set[str] = set()
    key_expr: ast.Expression | None = None
    # the result key: the first viable key column (left criterion first) that the projection names
    projected = [qualified_expr(e, scope) for _, e in items]
    chosen_key = next((v for v in viable if v in projected), None)
    for alias_, e in items:
        check_no_aggregates(e, "SELECT", registry)
        name = alias_ or ((derived(e) or e.name) if isinstance(e, ast.ColumnRef) else names.unique_alias_for(e))
        try:
            t = comp.type_of(e)
        except CompileError as err:
            unknown_synthetic = next(
                (
                    n
                    for n in ast.walk(e)
                    if isinstance(n, ast.ColumnRef) and n.source is None and n.name.startswith("ROWKEY")
                    and proj_scope.resolve(n) is None
                ),
                None,
            )
            if unknown_synthetic is not None:
                # the Analyzer let a possible synthetic key through (ColumnReferenceValidator); this join has
                # none, and FinalProjectNode types its projection over the join's schema first
                # (SelectionUtil.buildProjectionSchema -> ExpressionTypeManager)
                if unknown_synthetic.name in inner_synthetic_keys(info):
                    loc = f"Line: {unknown_synthetic.line}, Col: {unknown_synthetic.column}: " if unknown_synthetic.line else ""
                    raise KsqlStatementError(f"{loc}Column '{unknown_synthetic.name}' cannot be resolved.") from None
                raise KsqlStatementError(f"Unknown column {unknown_synthetic.name}.") from None
            raise KsqlStatementError(err.message) from None
        if t is None:
            raise KsqlStatementError(
                "Can't infer a type of null. Please explicitly cast it to a required type, e.g. CAST(null AS VARCHAR)."
            )
        qe = qualified_expr(e, scope)
        if key_exprs:
            is_key = qe in part_norm
        elif key_name is not None:
            is_key = isinstance(e, ast.ColumnRef) and e.name == key_name and e.source is None
        elif foreign:  # every left key column is a key of the result (JoinNode.validateKeyPresent)
            is_key = qe in viable
        else:
            is_key = qe == chosen_key
        if is_key and key_expr is None:
            key_expr = qe
        # SelectionUtil.buildProjectionSchema: references to the join's key are key columns, apart from the
        # value columns (a transient result then holds them all as values: checked below)
        namespace = seen_keys if is_key else seen
        if name in namespace:
            kind = "key" if is_key else "value"
            raise KsqlStatementError(f"Duplicate {kind} columns found in schema: `{name}` {t}{' KEY' if is_key else ''}")
        namespace.add(name)
        projections.append(Projection(name, e, t, is_key))

    if persistent and sink_name is not None and not projections:
        # FinalProjectNode's own check comes before the output node asks for the key
        raise KsqlStatementError("The projection contains no value columns.")
    if persistent and sink_name is not None and key_exprs:
        _check_partition_keys(projections, key_exprs, part_norm, scope, sink_name)
        if not any(not p.is_key for p in projections):
            raise KsqlStatementError("The projection contains no value columns.")
    elif persistent and sink_name is not None and foreign:
        _check_foreign_keys(projections, viable, info.leaves[0], scope)
    elif persistent and sink_name is not None:
        keys = [p for p in projections if p.is_key]
        if len(keys) > 1:
            first = derived(keys[0].expression) or keys[0].name
            raise KsqlStatementError(
                f"The projection contains a key column (`{first}`) more than once, aliased as: "
                f"{and_list(sorted(p.name for p in keys))}.{KEY_TWICE_HINT}"
            )
        if not keys:
            texts = [key_name] if key_name is not None else [sql(v) for v in viable]
            raise KsqlStatementError(
                keys_missing(sink_name, "join expression", texts, require_all=False, synthetic=key_name is not None)
            )
        if not any(not p.is_key for p in projections):
            raise KsqlStatementError("The projection contains no value columns.")
    else:
        projections = [Projection(p.name, p.expression, p.type, False) for p in projections]
    if persistent and sink_name is not None:
        check_key_value_clash(projections)
    else:
        check_transient_names(projections)
    if key_exprs:  # keys in PARTITION BY order, typed as their expressions
        ranked = sorted(
            (p for p in projections if p.is_key), key=lambda p: part_norm.index(qualified_expr(p.expression, scope))
        )
        key_cols = [Column(p.name, p.type or SqlType("STRING"), KEY) for p in ranked]
    else:
        key_cols = [Column(p.name, info.root.key_type, KEY) for p in projections if p.is_key]
    if foreign:  # the left table's key columns, in its key order (SelectionUtil.buildProjectionSchema)
        ranked = sorted((p for p in projections if p.is_key), key=lambda p: viable.index(qualified_expr(p.expression, scope)))
        key_cols = [Column(p.name, p.type or SqlType("STRING"), KEY) for p in ranked]
    val_cols = [Column(p.name, p.type or SqlType("STRING"), VALUE) for p in projections if not p.is_key]
    for c in key_cols:
        if has_map(c.type):
            raise KsqlStatementError(
                "Map keys, including types that contain maps, are not supported as they may lead to unexpected "
                f"behavior due to inconsistent serialization. Key column name: `{c.name}`. Column type: {c.type}. "
                "See https://github.com/confluentinc/ksql/issues/6621 for more."
            )
    check_join_build(info, partitions)  # the physical plan: after every check of the logical plan above
    if table_error is not None:  # the repartition step is built after the joins
        raise KsqlStatementError(table_error)
    return AnalyzedQuery(
        join=info,
        source=info.leaves[0].source,
        alias=info.leaves[0].alias,
        input_scope=scope,
        where=where,
        key_exprs=key_exprs,
        repartition=bool(key_exprs),
        projection_scope=proj_scope,
        projections=projections,
        schema=LogicalSchema(tuple(key_cols + val_cols)),
        limit=q.limit,
        sink_name=sink_name,
    )


def _check_foreign_keys(projections: list[Projection], viable: list[ast.Expression], left: JoinLeaf, scope: Scope) -> None:
    """A foreign-key join's projection holds each key column of its left table exactly once (ksqlDB's
    JoinNode.validateKeyPresent and FinalProjectNode)."""
    for v in viable:
        hits = [p for p in projections if p.is_key and qualified_expr(p.expression, scope) == v]
        if len(hits) > 1:
            raise KsqlStatementError(
                f"The projection contains a key column (`{left.alias}_{v.name}`) more than once, "  # type: ignore[attr-defined]
                f"aliased as: {and_list(sorted(p.name for p in hits))}.{KEY_TWICE_HINT}"
            )
    projected = {qualified_expr(p.expression, scope) for p in projections}
    missing = [c.name for c, v in zip(left.source.schema.key, viable, strict=True) if v not in projected]
    if missing:
        what = "column" if len(missing) == 1 else "columns"
        # as ksqlDB prints them: a name that starts with the table's alias loses that prefix
        shown = [n[len(left.alias) + 1 :] if n.startswith(left.alias) else n for n in missing]
        raise KsqlStatementError(
            f"Primary key {what} missing in projection. For foreign-key table-table joins, the projection must "
            f"include all primary key columns from the left input table (`{left.alias}`). Missing {what}: "
            + ", ".join(f"`{n}`" for n in shown)
            + "."
        )


def _check_partition_keys(
    projections: list[Projection],
    key_exprs: list[tuple[str, ast.Expression, SqlType | None]],
    part_norm: list[ast.Expression],
    scope: Scope,
    sink: str,
) -> None:
    """A persistent join with PARTITION BY projects every partitioning expression exactly once."""
    for (name, ke, _), norm in zip(key_exprs, part_norm, strict=True):
        if isinstance(ke, ast.NullLiteral):
            continue
        hits = [p for p in projections if p.is_key and qualified_expr(p.expression, scope) == norm]
        if len(hits) > 1:
            raise KsqlStatementError(
                f"The projection contains a key column (`{name}`) more than once, "
                f"aliased as: {and_list(sorted(p.name for p in hits))}.{KEY_TWICE_HINT}"
            )
    missing = [
        sql(norm)
        for (_, ke, _), norm in zip(key_exprs, part_norm, strict=True)
        if not isinstance(ke, ast.NullLiteral)
        and not any(p.is_key and qualified_expr(p.expression, scope) == norm for p in projections)
    ]
    if missing:
        texts = [sql(n) for (_, ke, _), n in zip(key_exprs, part_norm, strict=True) if not isinstance(ke, ast.NullLiteral)]
        raise KsqlStatementError(keys_missing(sink, "partitioning expression", texts))


def keys_missing(sink: str, what: str, keys: list[str], require_all: bool = True, synthetic: bool = False) -> str:
    """ksqlDB's text for a persistent query whose projection lacks its key expressions
    (PlanNode.throwKeysNotIncludedError): all of them (PARTITION BY), or any one (a join's viable keys)."""
    plural = "s" if require_all and len(keys) > 1 else ""
    joined = and_list(keys) if require_all else or_list(keys)
    example = ", ".join(keys) if require_all else keys[0]
    msg = (
        f"Key{plural} missing from projection (ie, SELECT). {'See https://cnfl.io/2LV7ouS.' if synthetic else ''}\n"
        f"The query used to build `{sink}` must include the {what}{'' if len(keys) == 1 else 's'} {joined} in its "
        f"projection (eg, SELECT {example}...)."
    )
    return msg + ("\n" + SYNTHETIC_HELP.replace("ROWKEY", keys[0], 1) + " " if synthetic else "")


def _joined_sql(e: ast.Expression) -> str:
    """`e` printed over a joined row: qualified columns become `<alias>_<column>` (ksqlDB's rewrite)."""

    def rename(n: ast.ColumnRef) -> ast.Node:
        return ast.ColumnRef(f"{n.source}_{n.name}", None) if n.source else n

    return sql(rewrite_refs(e, rename))


def join_column_names(message: str, info: JoinInfo) -> str:
    """A message about expressions over a join, with qualified columns (`I1.BAR`) as ksqlDB shows them
    once the join has renamed them (`I1_BAR`)."""
    for leaf in info.leaves:
        for c in leaf.scope.columns:
            message = re.sub(
                rf"(?<![\w`.]){re.escape(leaf.alias)}\.{re.escape(c.name)}(?![\w`])", f"{leaf.alias}_{c.name}", message
            )
    return message


def join_key_format(info: JoinInfo, default_format: str) -> str:
    """The key format of a join's result (KLIP-33): the left side's, unless the left side is repartitioned
    (it joins on something other than its key) and the right side is not; with both repartitioned, the first
    source key format that is not NONE, else the default key format."""

    def preferred(n: JoinLeaf | JoinNode, expr: ast.Expression | None) -> str | None:
        if isinstance(n, JoinLeaf):
            joins_on_key = expr is None or is_pk(expr, n.scope, n.source)
            return n.source.key_format if joins_on_key and n.source.key_format != "NONE" else None
        left_expr = n.left_expr if not n.foreign_key else None
        return preferred(n.left, left_expr) or preferred(n.right, n.right_expr)

    found = preferred(info.root, None)
    if found is not None:
        return found
    return next((lf.source.key_format for lf in info.leaves if lf.source.key_format != "NONE"), default_format)
