"""The join tree of a query's FROM clause, built as ksqlDB builds it (`build_tree`): the sources and their
aliases, the ON criteria and which side each names, the WITHIN windows and grace periods, key types and
foreign keys, and ksqlDB's rejections of a join's shape (unknown or repeated sources, a missing or
misplaced WITHIN, incompatible windows, criteria that are not one equality between two sources). `join.py` analyses the SELECT over the tree it returns."""

from __future__ import annotations

from ksqlserver.analyze.join_tree import JoinInfo, JoinLeaf, JoinNode, JoinWindow, PartitionCount
from ksqlserver.analyze.scope import (
    kafka_value_format_error,
    or_list,
    qualify_resolved,
    rewrite_refs,
    source_scope,
)
from ksqlserver.catalog.metastore import DataSource, MetaStore, unknown_source_message
from ksqlserver.catalog.types import PSEUDO_COLUMNS, WINDOW_BOUNDS, SqlType
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
SYNTHETIC_HELP = (
    "ROWKEY was added as a synthetic key column because the join criteria did not match any source column. "
    "This expression must be included in the projection and may be aliased."
)


def has_map(t: SqlType | None) -> bool:
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
                # AmbiguousColumnException: the qualified names sorted, GrammaticalJoiner.or
                could = or_list(sorted(f"{c.source}.{c.name}" for c in hits))
                raise KsqlStatementError(
                    f"Exception while preparing statement: {pos}Column '{n.name}' is ambiguous. Could be {could}."
                )
            out.add(hits[0].source)
    return out


def qualified_expr(e: ast.Expression, scope: Scope) -> ast.Expression:
    q = qualify_resolved(e, scope)
    assert isinstance(q, ast.Expression)
    return q


def _check_window(j: ast.Join, left: JoinLeaf | JoinNode, right: JoinLeaf) -> tuple[JoinWindow | None, str | None]:
    """The join's window, and the error ksqlDB gives when it builds the join (JoinNode's joiners) for a
    missing or misplaced WITHIN."""
    stream_stream = not left.is_table and not right.is_table
    if stream_stream and j.within is None:
        return None, (
            "Stream-Stream joins must have a WITHIN clause specified. None was provided. To learn about how to "
            "specify a WITHIN clause with a stream-stream join, please visit: "
            "https://docs.confluent.io/current/ksql/docs/syntax-reference.html#create-stream-as-select"
        )
    if not stream_stream and j.within is not None:
        if left.is_table:
            return None, (
                "A window definition was provided for a Table-Table join. These joins are not windowed. Please "
                "drop the window definition (i.e. the WITHIN clause) and try to execute your Table-Table join "
                "again."
            )
        return None, (
            "A window definition was provided for a Stream-Table join. These joins are not windowed. Please drop "
            "the window definition (ie. the WITHIN clause) and try to execute your join again."
        )
    if j.within is None:
        return None, None
    w = j.within
    return JoinWindow(w.before.millis, w.after.millis, None if w.grace is None else w.grace.millis), None


def _window_compat(left: JoinLeaf, right: JoinLeaf) -> None:
    """The Analyzer's check of two joined sources' windowing."""
    lw, rw = left.source.window, right.source.window
    if (lw is None) != (rw is None):
        shown = [(s.alias, s.source.window) for s in (left, right)]
        lines = [f"`{n}` is {w.kind} windowed" if w else f"`{n}` is not windowed" for n, w in shown]
        raise KsqlStatementError("Can not join windowed source to non-windowed source.\n" + "\n".join(lines))
    if lw is None or rw is None:
        return
    if (lw.kind == "SESSION") != (rw.kind == "SESSION"):
        raise KsqlStatementError(
            f"Incompatible windowed sources.\nLeft source: {lw.kind}\nRight source: {rw.kind}\n"
            "Session windowed sources can only be joined to other session windowed sources, and may still not "
            "result in expected behaviour as session bounds must be an exact match for the join to work\n"
            "Hopping and tumbling windowed sources can only be joined to other hopping and tumbling windowed "
            "sources"
        )


# key formats whose serde infers schemas from the Schema Registry (ksqlDB's SerdeFeature.SCHEMA_INFERENCE)
_INFERRING_KEY_FORMATS = frozenset({"AVRO", "PROTOBUF", "JSON_SR"})


def _windowed_repartition(left: JoinLeaf | JoinNode, right: JoinLeaf, right_key: bool, left_key: bool) -> None:
    """Windowed sources cannot be repartitioned implicitly (ksqlDB's SchemaKStream/SchemaKTable.selectKey).

    Each side of the join is re-keyed (PreJoinRepartitionNode) when it joins on something other than its
    key, or when its key format differs from the join's (the left source's, window included). With a key
    format that infers schemas from the registry both sides are always repartitioned (to avoid schema-id
    misses): a stream allows that forced repartition of a windowed key (only a change of key is refused),
    a table does not, and says why."""
    first = left if isinstance(left, JoinLeaf) else None
    lw = first.source.window if first is not None else None
    rw = right.source.window
    if lw is None or rw is None:
        return
    assert first is not None
    forced = first.source.key_format.upper() in _INFERRING_KEY_FORMATS
    for side, on_key in ((first, left_key), (right, right_key)):
        change = side.source.window != lw or side.source.key_format.upper() != first.source.key_format.upper()
        if on_key and not change and not forced:
            continue
        if side.is_table:
            if not on_key:
                continue  # refused as a repartition of a TABLE (checked with the join criteria)
            extra = (
                " As a result, ksqlDB does not support joins on windowed sources with Schema-Registry-enabled "
                "key formats (AVRO, JSON_SR, PROTOBUF) at this time. Please repartition your sources to use a "
                "different key format before performing the join."
                if forced
                else ""
            )
        elif on_key and forced:
            continue
        else:
            extra = ""
        raise KsqlStatementError(
            "Implicit repartitioning of windowed sources is not supported. "
            "See https://github.com/confluentinc/ksql/issues/4385." + extra
        )


def _windowed_nway(root: JoinNode) -> None:
    """`_windowed_repartition` over a whole n-way tree of windowed sources: every source that joins on
    something other than its key, or whose key format (window included) is not the join's, is re-keyed,
    and so is an inner join result whose key is not the criterion (JoinNode.resolveKeyFormats,
    PreJoinRepartitionNode.setKeyFormat, SchemaKStream/SchemaKTable.selectKey)."""

    def fmt(leaf: JoinLeaf) -> tuple[str, object]:
        return leaf.source.key_format.upper(), leaf.source.window

    def preferred(n: JoinLeaf | JoinNode, on_key: bool) -> tuple[str, object] | None:
        if isinstance(n, JoinLeaf):
            return fmt(n) if on_key else None
        if not on_key:
            return None
        return preferred(n.left, n.left_keyed or _is_key_of(n.left_expr, n.left, None)) or preferred(
            n.right, is_pk(n.right_expr, n.right.scope, n.right.source)
        )

    leaves = _node_leaves(root)
    found = preferred(root, True)
    if found is None:
        found = next((fmt(lf) for lf in leaves if lf.source.key_format.upper() != "NONE"), None)
    if found is None:
        return
    forced = found[0] in _INFERRING_KEY_FORMATS
    refused = (
        "Implicit repartitioning of windowed sources is not supported. "
        "See https://github.com/confluentinc/ksql/issues/4385."
    )

    def check_leaf(leaf: JoinLeaf, on_key: bool) -> None:
        if leaf.source.window is None or (on_key and not forced and fmt(leaf) == found):
            return
        if leaf.is_table:
            if on_key:  # a change of key is refused as a TABLE repartition, with the criteria
                extra = (
                    " As a result, ksqlDB does not support joins on windowed sources with Schema-Registry-enabled "
                    "key formats (AVRO, JSON_SR, PROTOBUF) at this time. Please repartition your sources to use a "
                    "different key format before performing the join."
                    if forced
                    else ""
                )
                raise KsqlStatementError(refused + extra)
            return
        if not on_key or not forced:
            raise KsqlStatementError(refused)

    def walk(n: JoinNode) -> None:
        if n.foreign_key:
            return
        if isinstance(n.left, JoinLeaf):
            check_leaf(n.left, _is_key_of(n.left_expr, n.left, None))
        elif n.left_keyed:
            walk(n.left)
        else:  # the joined stream so far is re-keyed: its key is windowed
            raise KsqlStatementError(refused)
        check_leaf(n.right, is_pk(n.right_expr, n.right.scope, n.right.source))

    walk(root)


def is_pk(e: ast.Expression, leaf_scope: Scope, source: DataSource) -> bool:
    if not isinstance(e, ast.ColumnRef) or len(source.schema.key) != 1:
        return False
    return e.name == source.schema.key[0].name


def _is_key_of(e: ast.Expression, node: JoinLeaf | JoinNode, key_expr: ast.Expression | None) -> bool:
    """ksqlDB's joinOnNonKeyAttribute, negated: `e` is a plain column that is the (single) key of the
    source it names (for a join result: of the source the column belongs to), or the join's key."""
    if isinstance(node, JoinLeaf):
        return is_pk(e, node.scope, node.source)
    if not isinstance(e, ast.ColumnRef):
        return False
    leaf = _leaf_of(node, e)
    return leaf is not None and is_pk(e, leaf.scope, leaf.source)


def _leaf_of(node: JoinLeaf | JoinNode, e: ast.ColumnRef) -> JoinLeaf | None:
    """The source a criterion's column names: by its qualifier, else the one source that has the column
    (LogicalPlanner.joinOnNonKeyAttribute)."""
    leaves = _node_leaves(node)
    if e.source is None:
        owners = [lf for lf in leaves if any(c.name == e.name for c in lf.source.schema.columns)]
        return owners[0] if len(owners) == 1 else None
    return next((lf for lf in leaves if lf.alias == e.source), None)


_ON = "JOIN ON"


def _prepare_checks(q: ast.Query, aliases: list[str], scopes: dict[str, Scope]) -> None:
    """What ksqlDB finds while preparing a join statement, before analysing it: qualifiers that name no
    source (the parser), then unqualified columns that several sources have (the sanitizer)."""
    exprs: list[ast.Node] = [el.expression for el in q.select if isinstance(el, ast.SelectItem)]
    exprs += [el.base for el in q.select if isinstance(el, ast.StructAll)]
    joins = [j.on for j in q.joins]
    rest: list[ast.Node] = [
        *([q.where] if q.where is not None else []),
        *q.group_by,
        *q.partition_by,
        *([q.having] if q.having is not None else []),
    ]
    for e in [*exprs, *joins, *rest]:
        for n in ast.walk(e):
            if isinstance(n, ast.ColumnRef) and n.source is not None and n.source not in aliases:
                raise KsqlStatementError(
                    f"Failed to prepare statement: '{n.source}' is not a valid stream/table name or alias."
                )
    for e in [*exprs, *joins, *rest]:
        for n in ast.walk(e):
            if isinstance(n, ast.ColumnRef) and n.source is None:
                owners = [a for a in aliases if any(c.name == n.name for c in scopes[a].columns)]
                if len(owners) > 1:
                    pos = f"Line: {n.line}, Col: {n.column}: " if getattr(n, "line", None) else ""
                    could = or_list(sorted(f"{a}.{n.name}" for a in owners))
                    raise KsqlStatementError(
                        f"Exception while preparing statement: {pos}Column '{n.name}' is ambiguous. "
                        f"Could be {could}."
                    )


def _criteria(
    j: ast.Join, scope: Scope, new_alias: str, aliases: list[str], registered: list[JoinLeaf]
) -> tuple[str, ast.Expression, str, ast.Expression]:
    """The Analyzer's checks of one JOIN's criteria: (left alias, left side, right alias, right side) as
    written in the ON clause. `registered`: the sources the Analyzer has met so far, this JOIN's included."""
    on = j.on
    if not isinstance(on, ast.Comparison):
        # Analyzer.visitJoinedSource: any AND / OR of two equalities (the operator is not looked at)
        if (
            isinstance(on, ast.LogicalBinary)
            and all(isinstance(x, ast.Comparison) and x.op == "=" for x in (on.left, on.right))
        ):
            raise KsqlStatementError(
                f"Invalid join condition: joins on multiple conditions are not yet supported. Got {sql(on)}."
            )
        raise KsqlStatementError(f"Unsupported join expression: {sql(on)}")
    if on.op != "=":
        raise KsqlStatementError("Only equality join criteria is supported.")
    _check_unique_aliases(registered)
    found = []
    for side in (on.left, on.right):
        srcs = _side_sources(side, scope, on)
        if len(srcs) != 1:
            raise KsqlStatementError(
                f"Invalid comparison expression '{sql(side)}' in join '{sql(on)}'. Each side of the join "
                f"comparision must contain references from exactly one source."
            )
        found.append(srcs.pop())
    if found[0] == found[1]:
        raise KsqlStatementError(
            "Each side of the join must reference exactly one source and not the same source. "
            f"Left side references `{found[0]}` and right references `{found[1]}`"
        )
    if new_alias not in found:
        raise KsqlStatementError(
            f"A join criteria is expected to reference the source (`{new_alias}`) in the FROM clause, instead "
            f"the right source references `{found[1]}` and the left source references `{found[0]}`"
        )
    return found[0], on.left, found[1], on.right



def _check_unique_aliases(registered: list[JoinLeaf]) -> None:
    """Analysis.getFromSourceSchemas collects the sources by alias (Collectors.toMap): two sources under one
    alias fail there with Java's duplicate-key text, naming the two sources' schemas as the join sees them
    (LogicalSchema.withPseudoAndKeyColsInValue)."""
    seen: dict[str, JoinLeaf] = {}
    for leaf in registered:
        first = seen.get(leaf.alias)
        if first is not None:
            raise KsqlStatementError(
                f"Duplicate key `{leaf.alias}` (attempted merging values {_join_schema_text(first.source)} and "
                f"{_join_schema_text(leaf.source)})"
            )
        seen[leaf.alias] = leaf


def _join_schema_text(source: DataSource) -> str:
    """LogicalSchema.toString of withPseudoAndKeyColsInValue: keys, values, headers (then again as values),
    the pseudo columns, the keys as values, and a windowed source's bounds."""
    schema = source.schema
    cols = [c.describe() for c in schema.key]
    cols += [c.describe() for c in schema.value_only]
    cols += [c.describe() for c in schema.headers]
    cols += [f"`{c.name}` {c.type}" for c in schema.headers]
    cols += [f"`{n}` {t}" for n, t in PSEUDO_COLUMNS]
    cols += [f"`{c.name}` {c.type}" for c in schema.key]
    if source.window is not None:
        cols += [f"`{n}` {t}" for n, t in WINDOW_BOUNDS]
    return ", ".join(cols)


Criterion = tuple[str, ast.Expression, str, ast.Expression]  # (left alias, its expression, right alias, ...)


def _analyse_joins(q: ast.Query, metastore: MetaStore) -> tuple[list[JoinLeaf], list[ScopeColumn], list[Criterion]]:
    """What ksqlDB's Analyzer checks of the joins (visitJoinedSource, visitAliasedRelation): the sources, each
    JOIN's criteria and the windowing of the two sources it names; the leaves, the joined row's columns and
    the criteria."""
    first = metastore.get(q.from_.name)
    if first is None:
        raise KsqlStatementError(unknown_source_message(metastore, q.from_.name))
    alias = q.from_.effective_alias
    leaves = [JoinLeaf(first, alias, 0, source_scope(first, alias))]
    cols = list(source_scope(first, alias).columns)
    for j in q.joins:
        right = metastore.get(j.source.name)
        if right is None:
            raise KsqlStatementError(unknown_source_message(metastore, j.source.name))
        r_alias = j.source.effective_alias
        r_leaf = JoinLeaf(right, r_alias, len(cols), source_scope(right, r_alias))
        leaves.append(r_leaf)
        cols += list(source_scope(right, r_alias, r_leaf.offset).columns)
    aliases = [lf.alias for lf in leaves]
    by_alias = {lf.alias: lf for lf in leaves}
    _prepare_checks(q, aliases, {lf.alias: lf.scope for lf in leaves})

    # --- analysis: each JOIN's criteria, and the windowing of the two sources it names ---------------------
    criteria: list[Criterion] = []
    for i, (j, r_leaf) in enumerate(zip(q.joins, leaves[1:], strict=True)):
        # Analyzer.visitAliasedRelation registers each joined source as it reaches it, after the
        # previous JOIN's criteria were checked: a source met twice is refused there
        if any(leaf.source.name == r_leaf.source.name for leaf in leaves[: i + 1]):
            name = r_leaf.source.name
            if i > 0:
                raise KsqlStatementError(
                    f"N-way joins do not support multiple occurrences of the same source. Source: '{name}'."
                )
            raise KsqlStatementError(f"Can not join '{name}' to '{name}': self joins are not yet supported.")
        visible = Scope([c for c in cols if c.source in aliases[: aliases.index(r_leaf.alias) + 1]])
        la, le, ra, re = _criteria(j, visible, r_leaf.alias, aliases, leaves[: i + 2])
        _window_compat(by_alias[la], by_alias[ra])
        criteria.append((la, le, ra, re))
    kafka = [lf.alias for lf in leaves if lf.source.value_format.upper() == "KAFKA"]
    if kafka:
        raise KsqlStatementError(kafka_value_format_error(kafka, "JOIN"))
    return leaves, cols, criteria


def joined_scope(q: ast.Query, metastore: MetaStore) -> Scope:
    """The joined row's columns after the Analyzer's checks of the joins (no join planned)."""
    return Scope(_analyse_joins(q, metastore)[1])


def build_tree(
    q: ast.Query, metastore: MetaStore, registry: FunctionRegistry, defer_build_errors: bool = False
) -> tuple[JoinInfo, Scope, list[ast.Expression]]:
    """The join tree of `q`, the scope of the joined row and the viable key expressions (qualified).

    As ksqlDB: every JOIN is analysed first (its sources, its criteria, the windowing of the two sources
    it names), then the tree is planned left-deep in FROM order (join order, key columns, types, foreign
    keys, windows). `defer_build_errors`: errors ksqlDB finds only when it builds the joins (a missing or
    misplaced WITHIN, a windowed side re-keyed, a RIGHT stream-table join, and the co-partitioning of each join's
    sides) are left in the result's `build_steps` for the caller to check (check_join_build) after its own
    checks, instead of being raised here (where partition counts are not checked)."""
    leaves, cols, criteria = _analyse_joins(q, metastore)
    first, alias = leaves[0].source, leaves[0].alias
    by_alias = {lf.alias: lf for lf in leaves}
    full_scope = Scope(cols)

    # --- planning: the left-deep tree in FROM order ---------------------------------------------------------
    node: JoinLeaf | JoinNode = leaves[0]
    viable: list[ast.Expression] = []
    equiv: list[ast.Expression] = []  # the expressions equal to the current join key (ksqlDB's JoinTree)
    # what ksqlDB finds only when it builds the joins, after the whole logical plan: each join checks its
    # partition counts (JoinNode.buildStream), then its WITHIN before building its sides, its type after
    built: list[tuple[JoinNode, str | None]] = []
    side_errors: list[str] = []  # re-keying a side that cannot be (windowed sources)
    type_errors: list[str] = []
    for j, r_leaf, (la, le, ra, re) in zip(q.joins, leaves[1:], criteria, strict=True):
        right = r_leaf.source
        flipped = ra != r_leaf.alias  # the ON clause names the new source first
        l_expr, r_expr = (re, le) if flipped else (le, re)
        l_src = la if not flipped else ra
        left_scope = Scope(cols[: r_leaf.offset])
        shown = " = ".join(sql(qualified_expr(x, full_scope)) for x in (j.on.left, j.on.right))  # type: ignore[attr-defined]
        got = f"Got {by_alias[l_src].source.name} {_SHOWN_KIND[j.kind]} {right.name}."
        if node.is_table and not right.is_table:
            raise KsqlStatementError(
                f"Invalid join order: table-stream joins are not supported; only stream-table joins. {got}"
            )
        if not node.is_table and right.is_table and j.kind == "FULL":
            raise KsqlStatementError(f"Invalid join type: full-outer join not supported for stream-table join. {got}")
        if not node.is_table and right.is_table and j.kind == "RIGHT":
            # LogicalPlanner.verifyJoin lets it through; StreamToTableJoiner refuses it when building
            type_errors.append(f"Invalid join type encountered: {_SHOWN_KIND[j.kind]}")
        r_pk = is_pk(r_expr, r_leaf.scope, right)
        l_pk = _is_key_of(l_expr, node, None)
        foreign = False
        if right.is_table and not node.is_table and not r_pk:
            raise KsqlStatementError(
                f"Invalid join condition: stream-table joins require to join on the table's primary key. "
                f"Got {shown}."
            )
        try:
            l_type = Compiler(left_scope, registry, "JOIN").type_of(l_expr)
            r_type = Compiler(r_leaf.scope, registry, "JOIN").type_of(_unqualify(r_expr))
        except CompileError as e:
            raise KsqlStatementError(e.message) from None
        if right.is_table and node.is_table:
            if not r_pk:
                raise KsqlStatementError(
                    "Invalid join condition: table-table joins require to join on the primary key of the right "
                    f"input table. Got {shown}."
                )
            foreign = not l_pk
            if foreign:
                if j.kind == "FULL":
                    raise KsqlStatementError(
                        f"Invalid join type: full-outer join not supported for foreign-key table-table join. {got}"
                    )
                if not isinstance(node, JoinLeaf):
                    raise KsqlStatementError(
                        "Invalid join condition: foreign-key table-table joins are not supported as part of "
                        f"n-way joins. Got {shown}."
                    )
        if l_type is not None and r_type is not None and l_type != r_type and not (node.is_table and right.is_table):
            # only table-table joins compare the criteria's types (LogicalPlanner.verifyJoin); other joins
            # find the mismatch in the join schema of the two (re-keyed) sides (JoinParamsFactory.createSchema)
            raise KsqlStatementError(f"Invalid join. Key types differ: {l_type} vs {r_type}")
        if l_type is None or r_type is None or l_type != r_type:
            texts = [
                f"{sql(qualified_expr(x, full_scope))}{{{t}}}"
                for x, t in (
                    (j.on.left, l_type if j.on.left is l_expr else r_type),  # type: ignore[attr-defined]
                    (j.on.right, r_type if j.on.right is r_expr else l_type),  # type: ignore[attr-defined]
                )
            ]
            raise KsqlStatementError(f"Invalid join condition: types don't match. Got {texts[0]} = {texts[1]}.")
        if foreign and right.window is not None:
            raise KsqlStatementError("Foreign-key table-table joins are not supported on windowed tables.")
        if foreign and j.kind == "RIGHT":
            raise KsqlStatementError("RIGHT OUTER JOIN on a foreign key is not supported")
        if node.is_table and not foreign and not l_pk:
            key = node.source.schema.key if isinstance(node, JoinLeaf) else ()
            raise KsqlStatementError(
                "Cannot repartition a TABLE source. If this is a join, make sure that the criteria uses the "
                f"TABLE's key column {key[0].name if key else 'ROWKEY'} instead of [{sql(_unqualify(l_expr))}]"
            )
        if isinstance(node, JoinNode) and node.is_table and not foreign:
            # a joined table is keyed by its join's key: criteria outside its equivalence set (any column
            # after a FULL OUTER join, whose key is synthetic) would repartition it (LogicalPlanner's
            # prepareSourceForJoin, SchemaKTable.selectKey)
            l_qual = qualified_expr(l_expr, Scope(cols[: r_leaf.offset]))
            # a foreign-key join's result is keyed by its left table's key (Repartitioning.repartitionNeeded)
            fk_key = node.foreign_key and isinstance(node.left, JoinLeaf) and l_pk and _leaf_of(node, l_qual) is node.left  # type: ignore[arg-type]
            if l_qual not in equiv and not fk_key:
                raise KsqlStatementError(
                    "Cannot repartition a TABLE source. If this is a join, make sure that the criteria uses the "
                    f"TABLE's key column {_node_key_name(node)} instead of [{_joined_name(l_qual)}]"
                )
        if not foreign:
            try:  # the sides are re-keyed when the joins are built (PreJoinRepartitionNode.buildStream)
                _windowed_repartition(node, r_leaf, r_pk, l_pk)
            except KsqlStatementError as e:
                side_errors.append(e.message)
        window, within_error = _check_window(j, node, r_leaf)
        if has_map(l_type):
            name = f"{l_expr.source}_{l_expr.name}" if isinstance(l_expr, ast.ColumnRef) else "ROWKEY"
            raise KsqlStatementError(
                "Map keys, including types that contain maps, are not supported as they may lead to unexpected "
                f"behavior due to inconsistent serialization. Key column name: `{name}`. Column type: {l_type}. "
                "See https://github.com/confluentinc/ksql/issues/6621 for more."
            )
        left_keyed = isinstance(node, JoinNode) and qualified_expr(l_expr, Scope(cols[: r_leaf.offset])) in equiv
        node = JoinNode(
            node, r_leaf, j.kind, l_expr, _unqualify(r_expr), l_type, window, left_scope, foreign, left_keyed
        )
        built.append((node, within_error))
        scope_now = Scope(cols[: r_leaf.offset + r_leaf.width])
        pair = [qualified_expr(x, scope_now) for x in (l_expr, r_expr)]
        if j.kind == "FULL":  # either side may be null: the key equals neither criterion
            equiv = []
        else:
            equiv = pair + ([e for e in equiv if e not in pair] if any(e in equiv for e in pair) else [])
        if foreign:  # a foreign-key join's result is keyed by the left table's key
            viable = [qualified_expr(ast.ColumnRef(c.name, alias), scope_now) for c in first.schema.key]
        else:
            ordered = [*viable, pair[0], pair[1]]
            viable = [
                e for i, e in enumerate(ordered) if isinstance(e, ast.ColumnRef) and e in equiv and e not in ordered[:i]
            ]
    assert isinstance(node, JoinNode)
    if len(leaves) > 2 and any(lf.source.window is not None for lf in leaves) and not side_errors:
        try:
            _windowed_nway(node)
        except KsqlStatementError as e:
            side_errors.append(e.message)
    synthetic = None
    if not viable:
        synthetic = len(cols)
        taken = {c.name for c in cols}
        name, n = "ROWKEY", 0
        while name in taken:
            n += 1
            name = f"ROWKEY_{n}"
        cols.append(ScopeColumn(name, node.key_type, synthetic, None))
    steps: list[JoinNode | str] = []
    for n, within_error in reversed(built):  # the root join is built first
        if not n.foreign_key:
            steps.append(n)
        if within_error is not None:
            steps.append(within_error)
    steps += [*side_errors, *type_errors]
    info = JoinInfo(node, tuple(leaves), synthetic, build_steps=tuple(steps))
    if not defer_build_errors:
        check_join_build(info, None)
    return info, Scope(cols), viable


def check_join_build(info: JoinInfo, partitions: PartitionCount | None) -> None:
    """Raise the first error ksqlDB meets building the joins' physical plan: each join's co-partitioning
    (JoinNode.ensureMatchingPartitionCounts, skipped for foreign-key joins and when `partitions` is None),
    its WITHIN (the joiners), then the re-keyed sides and join types."""
    for step in info.build_steps:
        if isinstance(step, str):
            raise KsqlStatementError(step)
        if partitions is not None:
            _check_copartitioned(step, partitions)


def _check_copartitioned(n: JoinNode, partitions: PartitionCount) -> None:
    """JoinNode.ensureMatchingPartitionCounts: a join's partition count is its right-most source's
    (JoinNode.getPartitions), a side is named by its left-most source (getSourceName)."""
    lp, rp = _partitions(n.left, partitions), _partitions(n.right, partitions)
    if lp == rp:
        return
    # the message concatenates SourceNames, whose toString (FormatOptions.none()) back-quotes every name
    ln, rn = f"`{_leftmost(n.left)}`", f"`{n.right.alias}`"
    raise KsqlStatementError(
        f"Can't join {ln} with {rn} since the number of partitions don't match. {ln} partitions = {lp}; "
        f"{rn} partitions = {rp}. Please repartition either one so that the number of partitions match."
    )


def _partitions(n: JoinLeaf | JoinNode, partitions: PartitionCount) -> int:
    return partitions(n.source.topic) if isinstance(n, JoinLeaf) else _partitions(n.right, partitions)


def _leftmost(n: JoinLeaf | JoinNode) -> str:
    return n.alias if isinstance(n, JoinLeaf) else _leftmost(n.left)


def _node_leaves(node: JoinLeaf | JoinNode) -> list[JoinLeaf]:
    return [node] if isinstance(node, JoinLeaf) else [*_node_leaves(node.left), node.right]


def _synthetic_name(leaves: list[JoinLeaf]) -> str:
    """ksqlDB's ColumnNames.generateSyntheticJoinKey over the sources' columns: ROWKEY, else ROWKEY_n."""
    taken = {c.name for lf in leaves for c in lf.source.schema.columns}
    name, n = "ROWKEY", 0
    while name in taken:
        n += 1
        name = f"ROWKEY_{n}"
    return name


def inner_synthetic_keys(info: JoinInfo) -> set[str]:
    """The synthetic key names of the joins nested in the tree (not the final one): a later join re-keys
    their result, which moves the key into the value (so it types), but JoinNode.validateColumns only
    accepts the final join's synthetic key (FinalProjectNode.validateProjection reports the others)."""
    out: set[str] = set()
    node = info.root.left
    while isinstance(node, JoinNode):
        if node.kind == "FULL" or not isinstance(node.left_expr, ast.ColumnRef):
            out.add(_synthetic_name(_node_leaves(node)))
        node = node.left
    return out


def _node_key_name(node: JoinNode) -> str:
    """The key column of an inner join node's result: synthetic after FULL OUTER, else the left criterion's
    column as the join names it (`<alias>_<column>`)."""
    if node.kind == "FULL" or not isinstance(node.left_expr, ast.ColumnRef):
        return _synthetic_name(_node_leaves(node))
    return _joined_name(node.left_expr)


def _joined_name(e: ast.Expression) -> str:
    """An expression over a joined row as ksqlDB prints it there: qualified columns become `<alias>_<col>`."""
    if isinstance(e, ast.ColumnRef) and e.source:
        return f"{e.source}_{e.name}"
    return sql(_unqualify(e))


def _unqualify(e: ast.Expression) -> ast.Expression:
    """`e` with every column reference's qualifier dropped (MAP and STRUCT constructors included)."""
    return rewrite_refs(e, lambda r: ast.ColumnRef(r.name, None))  # type: ignore[return-value]
