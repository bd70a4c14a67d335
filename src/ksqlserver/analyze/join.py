"""Analysis of SELECTs with joins: the join tree, ksqlDB's rejections, and its key rules for join results.

Key rules (ksqlDB 0.29): the join criteria that are plain columns are the viable key columns and the first
one projected becomes the result key; a FULL OUTER join, or criteria that are not columns, give a
synthetic key `ROWKEY` (ROWKEY_n if a source already has a ROWKEY) that the projection must name.
Qualified columns are named `<alias>_<column>` when several sources have that column.
"""

from __future__ import annotations

import dataclasses

from ksqlserver.analyze.join_tree import JoinInfo, JoinLeaf, JoinNode, JoinWindow
from ksqlserver.analyze.scope import (
    ColumnNames,
    Projection,
    and_list,
    check_columns,
    check_no_aggregates,
    derived_name,
    joined_names,
    qualify,
    qualify_resolved,
    source_scope,
)
from ksqlserver.analyze.select import AnalyzedQuery
from ksqlserver.catalog.metastore import DataSource, MetaStore
from ksqlserver.catalog.types import KEY, VALUE, Column, LogicalSchema, SqlType
from ksqlserver.compile.compiler import Compiler
from ksqlserver.compile.scope import Scope, ScopeColumn
from ksqlserver.errors import CompileError, KsqlStatementError
from ksqlserver.functions import FunctionRegistry
from ksqlserver.sql import ast
from ksqlserver.sql.printer import sql

_SHOWN_KIND = {
    "INNER": "[INNER] JOIN",
    "LEFT": "LEFT [OUTER] JOIN",
    "RIGHT": "RIGHT [OUTER] JOIN",
    "FULL": "[FULL] OUTER JOIN",
}
_SYNTHETIC_HELP = (
    "ROWKEY was added as a synthetic key column because the join criteria did not match any source column. "
    "This expression must be included in the projection and may be aliased."
)


def _has_map(t: SqlType | None) -> bool:
    return t is not None and "MAP<" in str(t)


def _side_sources(e: ast.Node, scope: Scope, on: ast.Expression) -> set[str]:
    out = set()
    for n in ast.walk(e):
        if isinstance(n, ast.ColumnRef):
            if n.source is not None and not any(c.source == n.source for c in scope.columns):
                raise KsqlStatementError(f"'{n.source}' is not a valid stream/table name or alias.")
            hits = [
                c for c in scope.columns if c.name == n.name and (n.source is None or c.source == n.source)
            ]
            if not hits:
                pos = f"Line: {n.line}, Col: {n.column}: " if getattr(n, "line", None) else ""
                raise KsqlStatementError(f"{pos}JOIN ON column '{sql(n)}' cannot be resolved.")
            if len({c.source for c in hits}) > 1:
                pos = f"Line: {n.line}, Col: {n.column}: " if getattr(n, "line", None) else ""
                could = " or ".join(f"{c.source}.{c.name}" for c in hits)
                raise KsqlStatementError(f"{pos}Column '{n.name}' is ambiguous. Could be {could}.")
            out.add(hits[0].source)
    return out


def _qualified(e: ast.Expression, scope: Scope) -> ast.Expression:
    q = qualify_resolved(e, scope)
    assert isinstance(q, ast.Expression)
    return q


def _check_window(j: ast.Join, left: JoinLeaf | JoinNode, right: JoinLeaf) -> JoinWindow | None:
    stream_stream = not left.is_table and not right.is_table
    if stream_stream and j.within is None:
        raise KsqlStatementError(
            "Stream-Stream joins must have a WITHIN clause specified. None was provided. To learn about how to "
            "specify a WITHIN clause with a stream-stream join, please visit: "
            "https://docs.confluent.io/current/ksql/docs/syntax-reference.html#create-stream-as-select"
        )
    if not stream_stream and j.within is not None:
        what = "Table-Table" if left.is_table else "Stream-Table"
        raise KsqlStatementError(
            f"A window definition was provided for a {what} join. These joins are not windowed. Please drop "
            f"the window definition (ie. the WITHIN clause) and try to resubmit your query."
        )
    if j.within is None:
        return None
    w = j.within
    return JoinWindow(w.before.millis, w.after.millis, None if w.grace is None else w.grace.millis)


def _check_windowed(leaves: list[JoinLeaf], right: JoinLeaf, right_key: bool, left_key: bool) -> None:
    left = leaves[0]
    lw, rw = left.source.window, right.source.window
    if lw is None and rw is None:
        return
    if (lw is None) != (rw is None):
        shown = [(s.source.name, s.source.window) for s in (left, right)]
        lines = [f"`{n}` is {w.kind} windowed" if w else f"`{n}` is not windowed" for n, w in shown]
        raise KsqlStatementError("Can not join windowed source to non-windowed source.\n" + "\n".join(lines))
    assert lw is not None and rw is not None
    if (lw.kind == "SESSION") != (rw.kind == "SESSION"):
        raise KsqlStatementError(
            f"Incompatible windowed sources.\nLeft source: {lw.kind}\nRight source: {rw.kind}\n"
            "Session windowed sources can only be joined to other session windowed sources, and may still not "
            "result in expected behaviour as session bounds must be an exact match for the join to work\n"
            "Hopping and tumbling windowed sources can only be joined to other hopping and tumbling windowed "
            "sources"
        )
    if not (right_key and left_key) or (lw.size_ms != rw.size_ms):
        raise KsqlStatementError(
            "Implicit repartitioning of windowed sources is not supported. "
            "See https://github.com/confluentinc/ksql/issues/4385."
        )


def _is_pk(e: ast.Expression, leaf_scope: Scope, source: DataSource) -> bool:
    if not isinstance(e, ast.ColumnRef) or len(source.schema.key) != 1:
        return False
    return e.name == source.schema.key[0].name


def build_tree(
    q: ast.Query, metastore: MetaStore, registry: FunctionRegistry
) -> tuple[JoinInfo, Scope, list[ast.Expression]]:
    """The join tree of `q`, the scope of the joined row and the viable key expressions (qualified)."""
    first = metastore.get(q.from_.name)
    if first is None:
        pos = f"Line: {q.from_.line}, Col: {q.from_.column}: " if q.from_.line else ""
        raise KsqlStatementError(f"{pos}{q.from_.name} does not exist.")
    alias = q.from_.effective_alias
    leaves = [JoinLeaf(first, alias, 0, source_scope(first, alias))]
    node: JoinLeaf | JoinNode = leaves[0]
    cols = list(source_scope(first, alias).columns)
    viable: list[ast.Expression] = []
    for j in q.joins:
        right = metastore.get(j.source.name)
        if right is None:
            pos = f"Line: {j.source.line}, Col: {j.source.column}: " if j.source.line else ""
            raise KsqlStatementError(f"{pos}{j.source.name} does not exist.")
        if any(leaf.source.name == right.name for leaf in leaves):
            raise KsqlStatementError(
                f"Can not join '{leaves[0].source.name}' to '{right.name}': self joins are not yet supported."
            )
        r_alias = j.source.effective_alias
        offset = len(cols)
        r_leaf = JoinLeaf(right, r_alias, offset, source_scope(right, r_alias))
        left_name = leaves[0].source.name if len(leaves) == 1 else leaves[-1].source.name
        got = f"Got {left_name} {_SHOWN_KIND[j.kind]} {right.name}."
        if node.is_table and not right.is_table:
            raise KsqlStatementError(
                f"Invalid join order: table-stream joins are not supported; only stream-table joins. {got}"
            )
        if not node.is_table and right.is_table and j.kind in ("RIGHT", "FULL"):
            kind = "right" if j.kind == "RIGHT" else "full-outer"
            raise KsqlStatementError(
                f"Invalid join type: {kind} join not supported for stream-table join. {got}"
            )
        kafka = [s.source.name for s in (*leaves, r_leaf) if s.source.value_format.upper() == "KAFKA"]
        if kafka:
            raise KsqlStatementError(
                f"Source(s) {', '.join(kafka)} are using the 'KAFKA' value format. This format does not yet "
                f"support JOIN."
            )
        window = _check_window(j, node, r_leaf)
        right_cols = list(source_scope(right, r_alias, offset).columns)
        scope = Scope(cols + right_cols)
        on = j.on
        if isinstance(on, ast.LogicalBinary) and on.op == "AND":
            raise KsqlStatementError(
                f"Invalid join condition: joins on multiple conditions are not yet supported. Got {sql(on)}."
            )
        if not isinstance(on, ast.Comparison) or on.op != "=":
            raise KsqlStatementError(
                f"Unsupported join expression: {sql(on)}. Only equality joins are supported."
            )
        sides = []
        for side in (on.left, on.right):
            srcs = _side_sources(side, scope, on)
            if len(srcs) != 1:
                raise KsqlStatementError(
                    f"Invalid comparison expression '{sql(side)}' in join '{sql(on)}'. Each side of the join "
                    f"comparision must contain references from exactly one source."
                )
            sides.append((srcs.pop(), side))
        r_side = [e for a_, e in sides if a_ == r_alias]
        l_side = [e for a_, e in sides if a_ != r_alias]
        shown = " = ".join(sql(_qualified(s, scope)) for s in (on.left, on.right))
        if len(r_side) != 1 or len(l_side) != 1:
            raise KsqlStatementError(
                f"Invalid join condition: the join criteria must reference both sides of the join. Got {shown}."
            )
        l_expr, r_expr = l_side[0], r_side[0]
        left_scope = Scope(cols)
        try:
            l_type = Compiler(left_scope, registry, "JOIN").type_of(l_expr)
            r_type = Compiler(r_leaf.scope, registry, "JOIN").type_of(_unqualify(r_expr))
        except CompileError as e:
            raise KsqlStatementError(e.message) from None
        if l_type is None or r_type is None or l_type != r_type:
            texts = [
                f"{sql(_qualified(s, scope))}{{{t}}}"
                for s, t in (
                    (on.left, l_type if on.left is l_expr else r_type),
                    (on.right, r_type if on.right is r_expr else l_type),
                )
            ]
            raise KsqlStatementError(
                f"Invalid join condition: types don't match. Got {texts[0]} = {texts[1]}."
            )
        r_pk = _is_pk(r_expr, r_leaf.scope, right)
        l_pk = isinstance(node, JoinLeaf) and _is_pk(l_expr, node.scope, node.source)
        foreign = False
        if right.is_table and not node.is_table and not r_pk:
            raise KsqlStatementError(
                f"Invalid join condition: stream-table joins require to join on the table's primary key. "
                f"Got {sql(_qualified(on.left, scope))} = {sql(_qualified(on.right, scope))}."
            )
        if right.is_table and node.is_table:
            if not r_pk:
                raise KsqlStatementError(
                    "Invalid join condition: table-table joins require to join on the primary key of the right "
                    f"input table. Got {shown}."
                )
            foreign = isinstance(node, JoinLeaf) and not l_pk
            if foreign and j.kind not in ("INNER", "LEFT"):
                raise KsqlStatementError(
                    f"Invalid join type: {j.kind.lower()}-outer join not supported for foreign-key table-table "
                    f"join. {got}"
                )
        if isinstance(node, JoinLeaf):
            _check_windowed(leaves, r_leaf, r_pk, l_pk)
        if _has_map(l_type):
            name = f"{l_expr.source}_{l_expr.name}" if isinstance(l_expr, ast.ColumnRef) else "ROWKEY"
            raise KsqlStatementError(
                "Map keys, including types that contain maps, are not supported as they may lead to unexpected "
                f"behavior due to inconsistent serialization. Key column name: `{name}`. Column type: {l_type}. "
                "See https://github.com/confluentinc/ksql/issues/6621 for more."
            )
        node = JoinNode(node, r_leaf, j.kind, l_expr, _unqualify(r_expr), l_type, window, left_scope, foreign)
        leaves.append(r_leaf)
        cols += right_cols
        if foreign:
            viable = [_qualified(ast.ColumnRef(c.name, alias), Scope(cols)) for c in first.schema.key]
        elif j.kind == "FULL":
            viable = []
        else:
            viable = [_qualified(e, Scope(cols)) for e in (on.left, on.right) if isinstance(e, ast.ColumnRef)]
    assert isinstance(node, JoinNode)
    synthetic = None
    if not viable:
        synthetic = len(cols)
        taken = {c.name for c in cols}
        name, n = "ROWKEY", 0
        while name in taken:
            n += 1
            name = f"ROWKEY_{n}"
        cols.append(ScopeColumn(name, node.key_type, synthetic, None))
    return JoinInfo(node, tuple(leaves), synthetic), Scope(cols), viable


def _unqualify(e: ast.Expression) -> ast.Expression:
    out = qualify(e, "")
    assert isinstance(out, ast.Expression)
    return _strip(out)


def _strip(e: ast.Node) -> ast.Expression:
    """`e` with the empty qualifiers `qualify(e, "")` leaves removed."""
    if isinstance(e, ast.ColumnRef):
        return ast.ColumnRef(e.name, None)
    if not dataclasses.is_dataclass(e):
        return e  # type: ignore[return-value]
    changes = {}
    for f in dataclasses.fields(e):
        if f.name in ("line", "column"):
            continue
        v = getattr(e, f.name)
        if isinstance(v, ast.Node):
            changes[f.name] = _strip(v)
        elif isinstance(v, tuple):
            changes[f.name] = tuple(_strip(x) if isinstance(x, ast.Node) else x for x in v)
    return dataclasses.replace(e, **changes)  # type: ignore[return-value]


def analyze_join(
    q: ast.Query, metastore: MetaStore, registry: FunctionRegistry, sink_name: str | None, persistent: bool
) -> AnalyzedQuery:
    info, scope, viable = build_tree(q, metastore, registry)
    key_name = scope.columns[info.synthetic_key].name if info.synthetic_key is not None else None
    where = q.where
    if where is not None:
        check_no_aggregates(where, "WHERE", registry)
        check_columns(where, scope, "WHERE")
        # typed as ksqlDB types it: over the joined row, whose columns are named <alias>_<column>
        joined_where, joined_scope = joined_names(where, scope)
        try:
            t = Compiler(joined_scope, registry, "WHERE").type_of(joined_where)
        except CompileError as e:
            msg = e.message
            if not (e.codegen or msg.startswith("Type error") or "cannot be resolved" in msg):
                msg = "Error in WHERE expression: " + msg
            raise KsqlStatementError(msg) from None
        if t is not None and t.base != "BOOLEAN":
            raise KsqlStatementError(
                f"Type error in WHERE expression: Should evaluate to boolean but is {sql(joined_where)} ({t}) "
                "instead."
            )
    if q.partition_by:
        raise KsqlStatementError("PARTITION BY of a join is not supported yet by this server")

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

    items: list[tuple[str | None, ast.Expression]] = []
    for el in q.select:
        if isinstance(el, ast.AllColumns):
            leaves = list(info.leaves)
            if el.source is not None:
                leaves = [lf for lf in leaves if lf.alias == el.source]
                if not leaves:
                    raise KsqlStatementError(f"'{el.source}' is not a valid stream/table name or alias.")
            elif key_name is not None:
                items.append((key_name, ast.ColumnRef(key_name)))
            for lf in leaves:
                items += [
                    (f"{lf.alias}_{c.name}", ast.ColumnRef(c.name, lf.alias))
                    for c in lf.source.schema.columns
                ]
        elif isinstance(el, ast.StructAll):
            st = Compiler(scope, registry, "SELECT").type_of(el.base)
            if st is None or st.base != "STRUCT":
                raise KsqlStatementError(f"Can't expand a non-struct: {sql(el.base)}")
            items += [(f, ast.Dereference(el.base, f)) for f, _ in st.fields or ()]
        else:
            items.append((el.alias, el.expression))

    explicit = {a for a, _ in items if a}
    names = ColumnNames(set(explicit) | {n for n in (derived(e) for _, e in items) if n})
    comp = Compiler(scope, registry, "SELECT")
    projections: list[Projection] = []
    seen: set[str] = set()
    key_expr: ast.Expression | None = None
    for alias_, e in items:
        check_no_aggregates(e, "SELECT", registry)
        name = alias_ or derived(e) or names.next()
        if name in seen:
            raise KsqlStatementError(f"Duplicate value columns found in schema: `{name}`")
        seen.add(name)
        try:
            t = comp.type_of(e)
        except CompileError as err:
            raise KsqlStatementError(err.message) from None
        if t is None:
            raise KsqlStatementError(
                "Can't infer a type of null. Please explicitly cast it to a required type, e.g. CAST(null AS VARCHAR)."
            )
        qe = _qualified(e, scope)
        if key_name is not None:
            is_key = isinstance(e, ast.ColumnRef) and e.name == key_name and e.source is None
        else:
            is_key = qe in viable and (key_expr is None or qe == key_expr)
        if is_key and key_expr is None:
            key_expr = qe
        projections.append(Projection(name, e, t, is_key))

    if persistent and sink_name is not None:
        keys = [p for p in projections if p.is_key]
        if len(keys) > 1:
            first = derived(keys[0].expression) or keys[0].name
            raise KsqlStatementError(
                f"The projection contains a key column (`{first}`) more than once, aliased as: "
                f"{and_list(sorted(p.name for p in keys))}."
            )
        if not keys:
            if key_name is not None:
                msg = (
                    f"The query used to build `{sink_name}` must include the join expression {key_name} in its "
                    f"projection (eg, SELECT {key_name}...).\n{_SYNTHETIC_HELP}"
                )
                if info.kind != "FULL":
                    msg = "Key missing from projection (ie, SELECT). See https://cnfl.io/2LV7ouS.\n" + msg
                raise KsqlStatementError(msg)
            texts = [sql(v) for v in viable]
            what = "expressions" if len(texts) > 1 else "expression"
            raise KsqlStatementError(
                f"The query used to build `{sink_name}` must include the join {what} {' or '.join(texts)} in its "
                f"projection (eg, SELECT {texts[0]}...)."
            )
        if not any(not p.is_key for p in projections):
            raise KsqlStatementError("The projection contains no value columns.")
    else:
        projections = [Projection(p.name, p.expression, p.type, False) for p in projections]
    key_cols = [Column(p.name, info.root.key_type, KEY) for p in projections if p.is_key]
    val_cols = [Column(p.name, p.type or SqlType("STRING"), VALUE) for p in projections if not p.is_key]
    for c in key_cols:
        if _has_map(c.type):
            raise KsqlStatementError(
                "Map keys, including types that contain maps, are not supported as they may lead to unexpected "
                f"behavior due to inconsistent serialization. Key column name: `{c.name}`. Column type: {c.type}. "
                "See https://github.com/confluentinc/ksql/issues/6621 for more."
            )
    return AnalyzedQuery(
        join=info,
        source=info.leaves[0].source,
        alias=info.leaves[0].alias,
        input_scope=scope,
        where=where,
        key_exprs=[],
        repartition=False,
        projection_scope=scope,
        projections=projections,
        schema=LogicalSchema(tuple(key_cols + val_cols)),
        limit=q.limit,
        sink_name=sink_name,
    )
