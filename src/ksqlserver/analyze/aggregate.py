"""Analysis of aggregate queries (GROUP BY, WINDOW, HAVING) with ksqlDB's rules and messages.

The SELECT and HAVING expressions are rewritten over an *aggregate row*: the grouping values (`$K<i>`),
the aggregate results (`$A<j>`), then ROWTIME, WINDOWSTART and WINDOWEND. A column left over after the
rewrite is a non-aggregate expression that is not part of the GROUP BY, which ksqlDB rejects.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from ksqlserver.analyze.aggregate_query import AggCall, AggregateQuery, final_window
from ksqlserver.analyze.join import join_column_names
from ksqlserver.analyze.join_build import build_tree, check_join_build, qualified_expr
from ksqlserver.analyze.join_tree import JoinInfo, PartitionCount
from ksqlserver.analyze.scope import (
    KEY_TWICE_HINT,
    Projection,
    and_list,
    check_reserved,
    check_where_aggregates,
    filter_error,
    kafka_value_format_error,
    non_boolean_filter,
    qualify,
    qualify_resolved,
    source_scope,
)
from ksqlserver.catalog.column_names import AliasGenerator
from ksqlserver.catalog.metastore import MetaStore, unknown_source_message
from ksqlserver.catalog.types import BIGINT, KEY, PSEUDO_COLUMNS, VALUE, Column, LogicalSchema, SqlType
from ksqlserver.compile.compiler import Compiler
from ksqlserver.compile.scope import Scope, ScopeColumn
from ksqlserver.errors import CompileError, KsqlError, KsqlStatementError
from ksqlserver.extensions.aggregate import UdafImpl, plugin_aggregator
from ksqlserver.functions import FunctionRegistry, is_aggregate_function
from ksqlserver.functions import aggregates as udafs
from ksqlserver.sql import ast
from ksqlserver.sql.printer import sql

WINDOW_COLUMNS = ("WINDOWSTART", "WINDOWEND")


def is_aggregate(q: ast.Query, registry: FunctionRegistry | None = None) -> bool:
    """True if the query needs the aggregation planner (GROUP BY, WINDOW or an aggregate call in the SELECT;
    plugin UDAFs are known only with the engine's `registry`). HAVING alone does not: LogicalPlanner builds
    an aggregate only for a GROUP BY or the Analyzer's aggregate functions (addDummyGroupbyForUdafs, which
    looks at the SELECT items only)."""
    if q.group_by or q.window is not None:
        return True
    return any(
        isinstance(n, ast.FunctionCall) and is_aggregate_function(n.name, registry)
        for el in q.select
        if isinstance(el, ast.SelectItem)
        for n in ast.walk(el.expression)
    )


def _replace_children(e: Any, fn: Any) -> Any:
    if not dataclasses.is_dataclass(e) or isinstance(e, type):
        return e
    changes = {}
    for f in dataclasses.fields(e):
        if f.name in ("line", "column"):
            continue
        v = getattr(e, f.name)
        if isinstance(v, ast.Node):
            changes[f.name] = fn(v)
        elif isinstance(v, tuple):
            changes[f.name] = tuple(
                tuple(fn(y) if isinstance(y, ast.Node) else y for y in x)
                if isinstance(x, tuple)
                else (fn(x) if isinstance(x, ast.Node) else x)
                for x in v
            )
    return dataclasses.replace(e, **changes) if changes else e


def check_suppression(q: ast.Query, props: Any) -> None:
    """LogicalPlanner: EMIT FINAL needs `ksql.suppress.enabled` (true by default), checked before whether
    the query is a windowed aggregation."""
    enabled = props.get("ksql.suppress.enabled", "true").strip().lower() if props is not None else "true"
    if q.emit == "FINAL" and enabled == "false":
        raise KsqlStatementError(
            "Suppression is currently disabled. You can enable it by setting ksql.suppress.enabled to true"
        )


def analyze_aggregate(
    q: ast.Query,
    metastore: MetaStore,
    registry: FunctionRegistry,
    sink_name: str | None,
    props: Any = None,
    partitions: PartitionCount | None = None,
) -> AggregateQuery:
    """An aggregate query: persistent (CTAS) with a sink name, a push query without; `partitions` as for
    analyze_join."""
    return AggregateAnalyzer(metastore, registry, props, partitions).analyze(
        q, sink_name, persistent=sink_name is not None
    )

class AggregateAnalyzer:
    def __init__(
        self,
        metastore: MetaStore,
        registry: FunctionRegistry,
        config: Any = None,
        partitions: PartitionCount | None = None,
    ) -> None:
        self.metastore = metastore
        self.registry = registry
        self.config = config  # the query's properties: function settings (ksql.functions.<name>.*)
        self.partitions = partitions

    def analyze(self, q: ast.Query, sink_name: str | None = None, persistent: bool = False) -> AggregateQuery:
        # LogicalPlanner.buildPersistentLogicalPlan: a PARTITION BY node builds first, then a WINDOW without
        # GROUP BY or aggregate functions fails
        if q.window is not None and not q.group_by and not is_aggregate(
            dataclasses.replace(q, window=None, having=None), self.registry
        ):
            w = q.window
            pos = f"Line: {w.line}, Col: {w.column}: " if getattr(w, "line", None) else ""
            raise KsqlStatementError(f"{pos}WINDOW clause requires a GROUP BY clause.")
        if q.partition_by:
            raise KsqlStatementError("PARTITION BY is not supported with GROUP BY")
        if q.emit == "FINAL" and q.window is None:
            check_suppression(q, self.config)
            raise KsqlStatementError("EMIT FINAL is only supported for windowed aggregations.")
        if any(
            isinstance(n, ast.FunctionCall) and getattr(self.registry.get(n.name), "kind", "") == "TABLE"
            for el in q.select
            if isinstance(el, ast.SelectItem)
            for n in ast.walk(el.expression)
        ):
            raise KsqlStatementError("Table functions cannot be used with aggregations.")
        join: JoinInfo | None = None
        viable: list[ast.Expression] = []
        if q.joins:  # an aggregation over the rows of a join
            join, scope, viable = build_tree(q, self.metastore, self.registry, defer_build_errors=True)
            source, alias = join.leaves[0].source, join.leaves[0].alias
        else:
            found = self.metastore.get(q.from_.name)
            if found is None:
                raise KsqlStatementError(unknown_source_message(self.metastore, q.from_.name))
            source, alias = found, q.from_.effective_alias
            scope = source_scope(source, alias)
        input_is_table = join.root.is_table if join is not None else source.is_table
        if join is None and source.value_format == "KAFKA":
            raise KsqlStatementError(kafka_value_format_error([alias], "GROUP BY"))
        if q.where is not None:
            check_where_aggregates(q.where, self.registry)
            comp = Compiler(scope, self.registry, "WHERE")
            try:
                t = comp.type_of(q.where)
            except CompileError as e:
                # the WHERE is typed (FilterTypeValidator) over the source's columns, before the aggregation
                # exists: its window bounds are unknown there (ExpressionTypeManager's text)
                ref = _window_bound_ref(q.where)
                if ref is not None and "cannot be resolved" in e.message:
                    msg = f"Error in WHERE expression: Unknown column {ref}."
                    raise KsqlStatementError(msg).append_statement(sql(q.where)) from None
                raise filter_error(e, "WHERE", sql(q.where)) from None
            if t is not None and t.base != "BOOLEAN":
                raise non_boolean_filter("WHERE", sql(q.where), t)

        # --- grouping expressions ------------------------------------------------------------------
        comp = Compiler(scope, self.registry, "GROUP BY")
        group_exprs: list[ast.Expression] = []
        group_norm: list[ast.Node] = []
        grouping = list(q.group_by)
        dummy_group = not grouping and is_aggregate(q, self.registry)
        if dummy_group:
            # aggregates without GROUP BY: ksqlDB groups by a constant (one running group for the whole
            # stream); a persistent query is rejected once the aggregate rules have been checked
            grouping = [ast.IntegerLiteral(1)]
        for e in grouping:
            for n in ast.walk(e):
                if isinstance(n, ast.FunctionCall) and is_aggregate_function(n.name, self.registry):
                    raise KsqlStatementError(
                        f"GROUP BY does not support aggregate functions: {n.name} is an aggregate function."
                    )
            norm = qualify_resolved(e, scope)
            if norm in group_norm:
                raise KsqlStatementError(f"Duplicate GROUP BY expression: {sql(qualify(e, alias))}")
            if q.window is not None and _window_bound_ref(e) is not None:
                # the Analyzer resolves a windowed query's columns with the window bounds present; the
                # aggregate analysis (AggregateAnalyzer.processGroupBy) refuses them below
                group_exprs.append(e)
                group_norm.append(norm)
                continue
            try:
                comp.type_of(e)
            except CompileError as err:
                raise KsqlStatementError(err.message) from None
            group_exprs.append(e)
            group_norm.append(norm)

        # --- select items ------------------------------------------------------------------------
        items: list[tuple[str | None, ast.Expression]] = []
        for el in q.select:
            if isinstance(el, ast.AllColumns):
                items += [(c.name, ast.ColumnRef(c.name)) for c in source.schema.columns]
            elif isinstance(el, ast.StructAll):
                raise KsqlStatementError("Struct expansion is not supported with GROUP BY by this server")
            else:
                check_reserved(el.alias, el.expression, persistent)
                items.append((el.alias, el.expression))

        aggs: list[AggCall] = []
        agg_norm: list[ast.Node] = []

        call_order: list[int] = []  # every aggregate call met, as an index into aggs (repeats kept)

        def register(call: ast.FunctionCall) -> int:
            i = _register(call)
            call_order.append(i)
            return i

        def _register(call: ast.FunctionCall) -> int:
            if not call.args and call.name in udafs.AGGREGATES:
                # an aggregate called without arguments takes ksqlDB's default argument, ROWTIME; so does
                # one called with `*` (AstBuilder.visitFunctionCall gives `F(*)` no arguments): AVG(*) is
                # AVG(ROWTIME). Analysis.getDefaultArgument qualifies it by the first source's alias: over a
                # join that is the left side's ROWTIME, null in a right or full join's row without a left row
                # (so COUNT(*) over a join counts non-null left ROWTIMEs, as CountKudaf does: not every row)
                default = ast.ColumnRef("ROWTIME", alias if join is not None else None)
                call = dataclasses.replace(call, args=(default,), star=call.star and join is None)
            norm = qualify_resolved(call, scope)
            if norm in agg_norm:
                return agg_norm.index(norm)
            for a in call.args:
                for n in ast.walk(a):
                    if isinstance(n, ast.FunctionCall) and is_aggregate_function(n.name, self.registry):
                        raise KsqlStatementError(f"Aggregate functions can not be nested: {call.name}({n.name}())")
            if call.name not in udafs.AGGREGATES:
                aggs.append(self._plugin_call(call, scope))
                agg_norm.append(norm)
                return len(aggs) - 1
            c = Compiler(scope, self.registry, "SELECT")
            try:  # the variant by every argument's type; its trailing literal parameters are bound
                types = [c.type_of(a) for a in call.args]
                arity = udafs.column_count(call.name, types, call.star)
            except KsqlError as err:
                raise KsqlStatementError(err.message) from None
            cols = list(call.args[:arity])
            lits = []
            for i, a in enumerate(call.args[arity:], arity):
                if not isinstance(a, ast.Literal):
                    raise udafs.not_literal(call.name, i, sql(a))
                lits.append(getattr(a, "value", None))
            types = types[:arity]
            try:
                aggregator = udafs.build(call.name, types, lits, call.star, self.config)
            except KsqlError as err:
                raise KsqlStatementError(err.message) from None
            aggs.append(AggCall(call.name, call, cols, types, lits, aggregator))
            agg_norm.append(norm)
            return len(aggs) - 1

        windowed = q.window is not None
        if windowed and join is not None:
            # ksqlDB cannot tell which source's window bounds a windowed aggregate over a join means
            for clause, exprs in (
                ("SELECT", [el.expression for el in q.select if isinstance(el, ast.SelectItem)]),
                ("HAVING", [q.having] if q.having is not None else []),
            ):
                for e in exprs:
                    for n in ast.walk(e):
                        if isinstance(n, ast.ColumnRef) and n.source is None and n.name in WINDOW_COLUMNS:
                            raise KsqlStatementError(f"{clause} column '{n.name}' cannot be resolved.")
        if windowed:  # window bounds exist only after the aggregation: never in its inputs
            # AggregateAnalyzer's order: the projection's aggregates, WHERE, GROUP BY, HAVING
            for el in q.select:
                if isinstance(el, ast.SelectItem):
                    _check_no_window_bounds_in_aggregates(el.expression, self.registry)
            for e in [*([q.where] if q.where is not None else []), *group_exprs]:
                _check_no_window_bounds(e)
            if q.having is not None:
                _check_no_window_bounds(q.having)

        def rewrite(e: ast.Node) -> ast.Node:
            norm = qualify_resolved(e, scope)
            if norm in group_norm:
                return ast.ColumnRef(f"$K{group_norm.index(norm)}")
            if isinstance(e, ast.FunctionCall):
                if self.registry.get(e.name) is None:
                    raise KsqlStatementError(f"Can't find any functions with the name '{e.name}'")
                if is_aggregate_function(e.name, self.registry):
                    return ast.ColumnRef(f"$A{register(e)}")
            return _replace_children(e, rewrite)

        def leftovers(e: ast.Node) -> list[str]:
            return [
                n.name
                for n in ast.walk(e)
                if isinstance(n, ast.ColumnRef)
                and not n.name.startswith("$")
                and not (windowed and n.name in WINDOW_COLUMNS)
            ]

        rewritten: list[tuple[str | None, ast.Expression, ast.Expression]] = []
        bad: list[str] = []
        for a_, e in items:
            r = rewrite(e)
            if leftovers(r):
                bad.append(sql(e))
            rewritten.append((a_, e, r))  # type: ignore[arg-type]
        having = None
        having_left: list[str] = []
        if q.having is not None:
            having = rewrite(q.having)
            having_left = list(dict.fromkeys(leftovers(having)))
        if not grouping:
            raise KsqlStatementError("Aggregate queries without GROUP BY are not supported by this server")
        if not aggs:
            raise KsqlStatementError(
                "GROUP BY requires aggregate functions in either the SELECT or HAVING clause."
            )
        if bad:
            raise KsqlStatementError(
                f"Non-aggregate SELECT expression(s) not part of GROUP BY: {', '.join(bad)}\n"
                f"Either add the column(s) to the GROUP BY or remove them from the SELECT."
            )
        if having_left:
            raise KsqlStatementError(
                f"Non-aggregate HAVING expression not part of GROUP BY: {', '.join(having_left)}\n"
                "Consider switching the HAVING clause to a WHERE clause before the GROUP BY."
            )
        if dummy_group and persistent:
            raise KsqlStatementError(
                f"CREATE TABLE AS SELECT statement does not support aggregate function "
                f"[{', '.join(sql(a.call) if not a.call.star else a.name + '(ROWTIME)' for a in aggs)}] "
                f"without a GROUP BY clause."
            )
        if input_is_table:
            # SchemaKGroupedTable.aggregate: no windows, then only functions that can undo
            if q.window is not None:
                raise KsqlStatementError("Windowing not supported for table aggregations.")
            # KsqlAggregateFunction.name(): a UDAF keeps its @UdafDescription name ("collect_set")
            no_undo = list(dict.fromkeys(self._udaf_name(a.name) for a in aggs if a.aggregator.undo is None))
            if no_undo:
                raise KsqlStatementError(
                    f"The aggregation function{'s' if len(no_undo) > 1 else ''} {and_list(no_undo)} cannot be "
                    f"applied to a table source, only to a stream source."
                )

        for a in aggs:
            # AggregateNode's Prepare step selects each non-column argument (KSQL_INTERNAL_COL_<n>): a bare
            # NULL has no type, which CodeGenRunner refuses while the logical plan is built
            if any(isinstance(e, ast.NullLiteral) for e in a.args):
                raise KsqlStatementError("Invalid Select: NULL expression not supported.")
        if not input_is_table and join is None and source.window is not None:
            # SchemaKStream.groupByKey: grouping a windowed stream by its own key column keeps the windowed
            # key, which ksqlDB refuses when it builds the plan (any other grouping re-keys the stream)
            keys = source.schema.key
            if (
                len(keys) == 1
                and len(group_exprs) == 1
                and isinstance(group_exprs[0], ast.ColumnRef)
                and group_exprs[0].name == keys[0].name
            ):
                raise KsqlStatementError("Group by on windowed should always require rekey")

        if q.window is not None and q.window.kind == "SESSION" and any(a.aggregator.merge for a in aggs):
            # sessions of a plugin UDAF merge accumulators (ksqlDB's Merger): every aggregate must merge,
            # so a built-in beside it keeps its inputs (merged by concatenation, replayed for its result)
            for a in aggs:
                if a.aggregator.merge is None:
                    a.aggregator = udafs.replaying(a.aggregator)

        # --- aggregate scope and projections ---------------------------------------------------------
        gtypes = []
        for e in group_exprs:
            gtypes.append(Compiler(scope, self.registry, "GROUP BY").type_of(e))
        n_k, n_a = len(group_exprs), len(aggs)
        agg_cols = [ScopeColumn(f"$K{i}", t or SqlType("STRING"), i) for i, t in enumerate(gtypes)]
        agg_cols += [ScopeColumn(f"$A{j}", a.aggregator.type, n_k + j) for j, a in enumerate(aggs)]
        agg_cols.append(ScopeColumn("ROWTIME", BIGINT, n_k + n_a))
        if windowed:
            agg_cols.append(ScopeColumn("WINDOWSTART", BIGINT, n_k + n_a + 1))
            agg_cols.append(ScopeColumn("WINDOWEND", BIGINT, n_k + n_a + 2))
        agg_scope = Scope(agg_cols)
        if having is not None:
            # messages name the aggregates and keys as written, not their slots in the aggregate row
            slots = {f"`$A{j}`": sql(a.call) for j, a in enumerate(aggs)}
            slots.update({f"`$K{i}`": sql(g) for i, g in enumerate(group_exprs)})

            def written(text: str) -> str:
                for slot, original in slots.items():
                    text = text.replace(slot, original)
                return text

            try:
                ht = Compiler(agg_scope, self.registry, "HAVING").type_of(having)  # type: ignore[arg-type]
            except CompileError as err:
                # the rewritten aggregate row's names back to what the user wrote (join columns as ksqlDB
                # names them after the join: ALIAS_COLUMN)
                def shown(m: re.Match[str]) -> str:
                    e = aggs[int(m.group(2))].call if m.group(1) == "A" else group_exprs[int(m.group(2))]
                    return sql(e)

                def rename(text: str) -> str:
                    text = re.sub(r"`?\$([AK])(\d+)`?", shown, written(text))
                    return join_column_names(text, join) if join is not None else text

                raise filter_error(err, "HAVING", sql(having), rename) from None
            if ht is not None and ht.base != "BOOLEAN":
                raise non_boolean_filter("HAVING", written(sql(having)), ht)

        sources = [lf.source for lf in join.leaves] if join is not None else [source]
        names = AliasGenerator(c.name for src in sources for c in src.schema.columns)
        comp = Compiler(agg_scope, self.registry, "SELECT")
        projections: list[Projection] = []
        key_hits: dict[int, list[int]] = {}
        clashing: set[str] = set()
        if join is not None:  # DataSourceExtractor.isClashingColumnName: a name in more than one joined source
            counts: dict[str, int] = {}
            for lf in join.leaves:
                for c in lf.source.schema.columns:
                    counts[c.name] = counts.get(c.name, 0) + 1
            clashing = {n for n, k in counts.items() if k > 1} | {n for n, _ in PSEUDO_COLUMNS}
        for a_, e, r in rewritten:
            name = a_ or names.name_for(e)
            if a_ is None and isinstance(e, ast.ColumnRef) and e.source is not None and e.name in clashing:
                # AstSanitizer names a qualified clashing column <source>_<column> (generatedJoinColumnAlias)
                col = scope.resolve(e)
                name = f"{col.source if col is not None and col.source else e.source}_{e.name}"
            try:
                t = comp.type_of(r)
            except CompileError as err:
                raise KsqlStatementError(err.message) from None
            gi = (
                group_norm.index(qualify_resolved(e, scope))
                if qualify_resolved(e, scope) in group_norm
                else None
            )
            is_key = gi is not None
            if gi is not None:
                key_hits.setdefault(gi, []).append(len(projections))
            projections.append(Projection(name, r, t, is_key))

        key_order: list[int] = []
        for hits in key_hits.values():
            if len(hits) > 1:
                # LogicalPlanner.buildAggregateSchema: the aliases joined "a, b and c", then the hint; its
                # selectResolver names every grouping key, for a transient query too
                raise KsqlStatementError(
                    f"The projection contains a key column more than once: "
                    f"{and_list(['`' + projections[i].name + '`' for i in hits])}.{KEY_TWICE_HINT}"
                )
        if persistent:
            missing = [sql(group_exprs[i]) for i in range(n_k) if i not in key_hits]
            if missing:
                what = "grouping expression" + ("s" if len(missing) > 1 else "")
                # PlanNode.throwKeysNotIncludedError: its first line ends with a space before the line break
                raise KsqlStatementError(
                    f"Key{'s' if len(missing) > 1 else ''} missing from projection (ie, SELECT). \n"
                    f"The query used to build `{sink_name}` must include the {what} {and_list(missing)} in "
                    f"its projection (eg, SELECT {', '.join(missing)}...)."
                )
            key_order = [key_hits[i][0] for i in range(n_k)]
            if not any(not p.is_key for p in projections):
                raise KsqlStatementError("The projection contains no value columns.")
        else:
            projections = [dataclasses.replace(p, is_key=False) for p in projections]

        key_cols = [
            Column(projections[i].name, projections[i].type or SqlType("STRING"), KEY) for i in key_order
        ]
        seen: set[str] = {c.name for c in key_cols}
        val_cols = []
        for p in projections:
            if p.is_key:
                continue
            if p.name in seen:
                raise KsqlStatementError(f"Duplicate value columns found in schema: `{p.name}` {p.type}")
            seen.add(p.name)
            val_cols.append(Column(p.name, p.type or SqlType("STRING"), VALUE))
        schema = LogicalSchema(tuple(key_cols + val_cols))
        if join is not None:  # the joins' physical build (JoinNode.buildStream): after the logical plan
            check_join_build(join, self.partitions)
        # LogicalPlanner.buildJoinKey: the joined rows' key is the first viable key column the SELECT names
        # (else the first viable one); Repartitioning.repartitionNeeded groups by that key without re-keying
        by_join_key = False
        if join is not None and viable and len(group_exprs) == 1:
            projected = [qualified_expr(e, scope) for _, e in items]
            chosen = next((v for v in viable if v in projected), viable[0])
            by_join_key = qualified_expr(group_exprs[0], scope) == chosen
        return AggregateQuery(
            source=source,
            alias=alias,
            input_scope=scope,
            where=q.where,
            group_by=[(f"$K{i}", e, t) for i, (e, t) in enumerate(zip(group_exprs, gtypes, strict=True))],
            aggs=aggs,
            window=final_window(q.window, q.emit),
            having=having,  # type: ignore[arg-type]
            agg_scope=agg_scope,
            projections=projections,
            key_order=key_order,
            schema=schema,
            emit=q.emit,
            limit=q.limit,
            sink_name=sink_name,
            join=join,
            groups_by_join_key=by_join_key,
            emit_interval_ms=_emit_interval(self.config),
            required_columns=self._required_columns([e for _, e in items], q),
            call_order=tuple(call_order),
        )

    def _required_columns(self, selected: list[ast.Expression], q: ast.Query) -> tuple[str, ...]:
        """AggregateAnalyzer's required columns: every column reference but the window bounds, first
        occurrence first, over the SELECT, WHERE, GROUP BY and HAVING expressions in that order."""
        exprs = [*selected, *([q.where] if q.where is not None else []), *q.group_by]
        if q.having is not None:
            exprs.append(q.having)
        seen: dict[str, None] = {}
        for e in exprs:
            for n in ast.walk(e):
                if isinstance(n, ast.ColumnRef) and n.name not in ("WINDOWSTART", "WINDOWEND"):
                    seen.setdefault(n.name)
                elif (
                    isinstance(n, ast.FunctionCall)
                    and not n.args
                    and is_aggregate_function(n.name, self.registry)
                ):
                    seen.setdefault("ROWTIME")  # the default argument of an aggregate called without any
        return tuple(seen)

    def _udaf_name(self, name: str) -> str:
        fn = self.registry.get(name)
        return fn.error_name if fn is not None else name

    def _plugin_call(self, call: ast.FunctionCall, scope: Scope) -> AggCall:
        """A plugin UDAF call: every argument is a column argument (literals too), the overload chosen by
        argument types as for UDFs."""
        cols = list(call.args)
        c = Compiler(scope, self.registry, "SELECT")
        try:
            types = [c.type_of(a) for a in cols]
            _, impl, targets = self.registry.require(call.name).resolve(types)
        except CompileError as err:
            raise KsqlStatementError(err.message) from None
        except KsqlError as err:
            raise KsqlStatementError(err.message) from None
        assert isinstance(impl, UdafImpl)
        return AggCall(call.name, call, cols, types, [], plugin_aggregator(call.name, impl, types, targets))


_BOUNDS_HELP = (
    "can only be used in the SELECT clause of windowed aggregations and can not be passed to aggregate "
    "functions.\nSee https://github.com/confluentinc/ksql/issues/4397"
)


def _window_bound_ref(e: ast.Node) -> str | None:
    for n in ast.walk(e):
        if isinstance(n, ast.ColumnRef) and n.name in WINDOW_COLUMNS:
            return n.name
    return None


def _check_no_window_bounds(e: ast.Node) -> None:
    ref = _window_bound_ref(e)
    if ref is not None:
        raise KsqlStatementError(f"Window bounds column {ref} {_BOUNDS_HELP}")


def _check_no_window_bounds_in_aggregates(e: ast.Node, registry: FunctionRegistry) -> None:
    for n in ast.walk(e):
        if isinstance(n, ast.FunctionCall) and is_aggregate_function(n.name, registry):
            for a in n.args:
                _check_no_window_bounds(a)


_EMIT_INTERVAL = "__emit.interval.ms.kstreams.windowed.aggregation__"


def _emit_interval(props: Any) -> int:
    """Kafka Streams' internal EMIT FINAL throttle (ms of wall-clock time between looks), default 1000."""
    raw = props.get(_EMIT_INTERVAL, "") if props is not None and hasattr(props, "get") else ""
    try:
        return int(str(raw).strip()) if str(raw).strip() else 1000
    except ValueError:
        return 1000
