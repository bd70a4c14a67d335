"""The WHERE clause of a pull query on a table, analysed as ksqlDB 0.29 does (its query filter node).

The predicate is rewritten (string datetimes compared with ROWTIME/WINDOWSTART/WINDOWEND become epoch
millis, column references lose their qualifier, BETWEEN becomes two comparisons, IN becomes ORed
equalities), put in disjunctive normal form by LogicRewriter's rules (NOTs pushed down, quirks included)
and split into disjuncts; messages print that rewritten form. Each disjunct is validated: with table scans disabled
(`ksql.query.pull.table.scan.enabled=false`) it must bound every key column, and ksqlDB's messages
say what is missing; with them enabled (the default) anything else becomes a table scan. The disjuncts'
key constraints then give the plan: key lookups (every key column pinned with `=`; on a windowed table
each with its disjunct's window bounds), a range scan or a table scan (`WherePlan`); key values are resolved and strictly coerced to the key columns' types here, so
a wrong literal fails as ksqlDB fails.

The caller still applies the whole predicate to every candidate row: a lookup only narrows the rows read.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ksqlserver.catalog.sqltime import SqlTimeError, parse_timestamp
from ksqlserver.catalog.types import BIGINT, SqlType
from ksqlserver.errors import KsqlError, KsqlStatementError
from ksqlserver.sql import ast
from ksqlserver.sql.printer import sql

PULL_QUERY_SYNTAX_HELP = (
    " See https://cnfl.io/queries for more info.\nAdd EMIT CHANGES if you intended to issue a push query."
)
TIME_COLUMNS = ("ROWTIME", "WINDOWSTART", "WINDOWEND")
WINDOW_COLUMNS = ("WINDOWSTART", "WINDOWEND")
_WINDOW_OPS = ("=", ">", ">=", "<", "<=")
_JAVA_OPS = {"=": "EQUAL", ">": "GREATER_THAN", ">=": "GREATER_THAN_OR_EQUAL", "<": "LESS_THAN",
             "<=": "LESS_THAN_OR_EQUAL", "<>": "NOT_EQUAL", "IS DISTINCT FROM": "IS_DISTINCT_FROM",
             "IS NOT DISTINCT FROM": "IS_NOT_DISTINCT_FROM"}  # fmt: skip


class PullWhereError(KsqlStatementError):
    """A WHERE clause ksqlDB refuses for a pull query; carries the offending expression text."""

    def __init__(self, message: str, expression: str = "") -> None:
        super().__init__(message)
        self.expression = expression


def invalid_where(msg: str, windowed: bool) -> PullWhereError:
    """ksqlDB's long explanation of what a pull query's WHERE clause may hold."""
    extra = (
        "\n - (optionally) limits the time bounds of the windowed table.\n\t Bounds on [WINDOWSTART, "
        "WINDOWEND] are supported\n\t Supported operators are [EQUAL, GREATER_THAN, "
        "GREATER_THAN_OR_EQUAL, LESS_THAN, LESS_THAN_OR_EQUAL]"
        if windowed
        else ""
    )
    # QueryFilterNode.invalidWhereClauseException: msg + ". " + PULL_QUERY_SYNTAX_HELP, whose own text starts
    # with a space (two spaces after the period, observed on ksqlDB 0.29 built from source)
    return PullWhereError(
        f"{msg}. {PULL_QUERY_SYNTAX_HELP}\nPull queries require a WHERE clause that:\n"
        " - includes a key equality expression, e.g. `SELECT * FROM X WHERE <key-column> = Y;`.\n"
        " - in the case of a multi-column key, is a conjunction of equality expressions that cover all "
        "key columns.\n"
        " - to support range expressions, e.g.,  SELECT * FROM X WHERE <key-column> < Y;`, range scans "
        "need to be enabled by setting ksql.query.pull.range.scan.enabled=true"
        f"{extra}\nIf more flexible queries are needed, , table scans can be enabled by setting "
        "ksql.query.pull.table.scan.enabled=true."
    )


# ---- rewrites ------------------------------------------------------------------------------------------


def parse_partial_timestamp(text: str) -> int:
    """Epoch millis of a possibly partial datetime ('2020-02-23', '2020-02-23T23:45',
    '2020-02-23T22:45:12.000-0100'), UTC by default: ksqlDB's rewrite and its casts share one
    PartialStringToTimestampParser, and so do ours (catalog.sqltime.parse_timestamp)."""
    try:
        return parse_timestamp(text)
    except SqlTimeError as e:
        raise PullWhereError(e.message) from None


def _time_ref(e: ast.Expression) -> bool:
    return isinstance(e, ast.ColumnRef) and e.name in TIME_COLUMNS


def _as_millis(e: ast.Expression) -> ast.Expression:
    return ast.LongLiteral(parse_partial_timestamp(e.value)) if isinstance(e, ast.StringLiteral) else e


def rewrite_timestamps(e: ast.Expression) -> ast.Expression:
    """String literals compared with ROWTIME, WINDOWSTART or WINDOWEND as epoch millis (ksqlDB's "magic
    pseudo timestamp" rewrite, which every query's WHERE gets). StatementRewriteForMagicPseudoTimestamp runs
    as an ExpressionTreeRewriter: comparisons and BETWEENs at any depth are rewritten (inside CASE, function
    arguments, lambdas), and a comparison it leaves alone is descended into."""
    if isinstance(e, ast.Comparison):
        if _time_ref(e.left) and isinstance(e.right, ast.StringLiteral):
            return ast.Comparison(e.op, e.left, _as_millis(e.right))
        if _time_ref(e.right) and isinstance(e.left, ast.StringLiteral):
            return ast.Comparison(e.op, _as_millis(e.left), e.right)
    if isinstance(e, ast.Between) and _time_ref(e.value):
        lower, upper = _as_millis(e.lower), _as_millis(e.upper)
        if lower is not e.lower or upper is not e.upper:
            return ast.Between(e.value, lower, upper, e.negated)
    return _map_children(e, rewrite_timestamps)


def _map_children(e: Any, fn: Callable[[Any], Any]) -> Any:
    """`e` with `fn` applied to each child node (in tuples too), unchanged when no child changed."""
    if not isinstance(e, ast.Node):
        return e
    changes: dict[str, Any] = {}
    for f in dataclasses.fields(e):
        if f.name in ("line", "column"):
            continue
        v = getattr(e, f.name)
        if isinstance(v, ast.Node):
            new = fn(v)
        elif isinstance(v, tuple) and any(isinstance(x, ast.Node | tuple) for x in v):
            new = tuple(
                tuple(fn(y) if isinstance(y, ast.Node) else y for y in x) if isinstance(x, tuple)
                else (fn(x) if isinstance(x, ast.Node) else x)
                for x in v
            )
        else:
            continue
        if not _same(new, v):
            changes[f.name] = new
    return dataclasses.replace(e, **changes) if changes else e


def _same(a: Any, b: Any) -> bool:
    """The same objects, element by element in tuples (the rewrite returns a node itself when unchanged)."""
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return a is b


def _java_tree(e: ast.Expression) -> ast.Expression:
    """The WHERE QueryFilterNode receives. Column references are unqualified (KsqlEngine's RewrittenAnalysis
    with QueryExecutionUtil.ColumnReferenceRewriter), and NOT BETWEEN, NOT IN, NOT LIKE and IS NOT DISTINCT
    FROM are a NotExpression over the positive predicate, as AstBuilder builds them (IS NOT NULL stays its
    own node)."""
    e = _map_children(e, _java_tree)
    if isinstance(e, ast.ColumnRef) and e.source is not None:
        return dataclasses.replace(e, source=None)
    if isinstance(e, ast.Between | ast.InList | ast.Like) and e.negated:
        return ast.Not(dataclasses.replace(e, negated=False))
    if isinstance(e, ast.Comparison) and e.op == "IS NOT DISTINCT FROM":
        return ast.Not(ast.Comparison("IS DISTINCT FROM", e.left, e.right))
    return e


def unqualified(e: Any) -> Any:
    """`e` with its column references unqualified (QueryExecutionUtil.ColumnReferenceRewriter)."""
    if isinstance(e, ast.ColumnRef) and e.source is not None:
        return dataclasses.replace(e, source=None)
    return _map_children(e, unqualified)


def _rewrite_between(e: Any) -> Any:
    """PullQueryRewriter.rewriteBetweenPredicates: `v BETWEEN a AND b` -> `(v >= a) AND (v <= b)`, at any
    depth (a rewritten predicate's own operands are left as they are)."""
    if isinstance(e, ast.Between):
        return ast.LogicalBinary(
            "AND", ast.Comparison(">=", e.value, e.lower), ast.Comparison("<=", e.value, e.upper)
        )
    return _map_children(e, _rewrite_between)


def _rewrite_in(e: Any) -> Any:
    """PullQueryRewriter.rewriteInPredicates: `v IN (a, b, c)` -> `(v = a) OR ((v = b) OR (v = c))`."""
    if isinstance(e, ast.InList) and e.items:
        out: ast.Expression = ast.Comparison("=", e.value, e.items[-1])
        for item in reversed(e.items[:-1]):
            out = ast.LogicalBinary("OR", ast.Comparison("=", e.value, item), out)
        return out
    return _map_children(e, _rewrite_in)


class _Negation:
    """LogicRewriter.NotPropagatorContext: one flag shared by the whole rewrite."""

    negated = False


def _push_nots(e: Any, ctx: _Negation) -> Any:
    """LogicRewriter.NotPropagator run by ExpressionTreeRewriter. A column reference, boolean literal or
    comparison under an odd number of NOTs gets one NOT; AND/OR swap under a NOT (De Morgan), restoring the
    flag after each side; a NOT flips the flag and is dropped. Any other node (IS NULL, LIKE, a function
    call, ...) is not a term: the rewrite descends into its children with the flag as it is, which is how
    `NOT (X IS NULL)` becomes `((NOT X) IS NULL)` in ksqlDB; a NOT met there flips the flag for the
    siblings that follow, as in Java."""
    if isinstance(e, ast.ColumnRef | ast.BooleanLiteral | ast.Comparison):
        if ctx.negated:
            return ast.Not(e)
        return _map_children(e, lambda c: _push_nots(c, ctx))
    if isinstance(e, ast.LogicalBinary):
        negated = ctx.negated
        left = _push_nots(e.left, ctx)
        ctx.negated = negated
        right = _push_nots(e.right, ctx)
        ctx.negated = negated
        op = ("OR" if e.op == "AND" else "AND") if negated else e.op
        return ast.LogicalBinary(op, left, right)
    if isinstance(e, ast.Not):
        ctx.negated = not ctx.negated
        return _push_nots(e.operand, ctx)
    return _map_children(e, lambda c: _push_nots(c, ctx))


def _distribute(e: Any) -> Any:
    """LogicRewriter's DistributiveLawApplierConjunctionOverDisjunction: AND distributed over OR, left
    operand first; a node that is not an AND/OR over an AND/OR is descended into."""
    if not isinstance(e, ast.LogicalBinary) or not (
        isinstance(e.left, ast.LogicalBinary) or isinstance(e.right, ast.LogicalBinary)
    ):
        return _map_children(e, _distribute)
    left, right = _distribute(e.left), _distribute(e.right)
    if e.op == "AND":
        if isinstance(left, ast.LogicalBinary) and left.op == "OR":
            return ast.LogicalBinary(
                "OR",
                _distribute(ast.LogicalBinary("AND", left.left, right)),
                _distribute(ast.LogicalBinary("AND", left.right, right)),
            )
        if isinstance(right, ast.LogicalBinary) and right.op == "OR":
            return ast.LogicalBinary(
                "OR",
                _distribute(ast.LogicalBinary("AND", left, right.left)),
                _distribute(ast.LogicalBinary("AND", left, right.right)),
            )
    return ast.LogicalBinary(e.op, left, right)


def rewrite_negations(e: ast.Expression) -> ast.Expression:
    """LogicRewriter.rewriteNegations."""
    return _push_nots(e, _Negation())  # type: ignore[no-any-return]


def rewrite_dnf(e: ast.Expression) -> ast.Expression:
    """LogicRewriter.rewriteDNF: NOTs pushed down, then AND distributed over OR."""
    return _distribute(rewrite_negations(e))  # type: ignore[no-any-return]


def rewrite_pull_predicate(where: ast.Expression) -> ast.Expression:
    """PullQueryRewriter.rewrite after the pseudo-timestamp rewrite: BETWEEN, then IN, then DNF. ksqlDB
    both validates and evaluates this form; here it is validated (its text is in the messages), and the
    query's own WHERE is evaluated, which means the same for every predicate that passes validation."""
    return rewrite_dnf(_rewrite_in(_rewrite_between(_java_tree(where))))


def check_not_operands(rewritten: ast.Expression, type_of: Callable[[ast.Expression], SqlType | None]) -> None:
    """TermCompiler.visitNotExpression over the rewritten predicate ksqlDB compiles: a NOT pushed onto a
    non-BOOLEAN column (`NOT (X LIKE 'a%')` becomes `((NOT X) LIKE 'a%')`, which a table scan lets through
    validation) fails the query."""
    for node in reversed(list(ast.walk(rewritten))):  # descendants before their ancestors, as it compiles
        if isinstance(node, ast.Not):
            try:
                t = type_of(node.operand)
            except KsqlError:
                continue
            if t is not None and t.base != "BOOLEAN":
                raise PullWhereError(f"Not expression expects a boolean value.  Actual {t}", sql(rewritten))


def extract_disjuncts(dnf: ast.Expression) -> list[ast.Expression]:
    """LogicRewriter.DisjunctExtractor: the operands of the top OR chain (an AND is one disjunct)."""
    if isinstance(dnf, ast.LogicalBinary) and dnf.op == "OR":
        return extract_disjuncts(dnf.left) + extract_disjuncts(dnf.right)
    return [dnf]


def disjuncts(where: ast.Expression) -> list[ast.Expression]:
    """QueryFilterNode's disjuncts: LogicRewriter.extractDisjuncts(PullQueryRewriter.rewrite(where))."""
    return extract_disjuncts(rewrite_dnf(rewrite_pull_predicate(where)))


def _conjuncts(e: ast.Expression) -> list[ast.Expression]:
    if isinstance(e, ast.LogicalBinary) and e.op == "AND":
        return _conjuncts(e.left) + _conjuncts(e.right)
    return [e]


# ---- analysis ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyColumn:
    name: str
    type: SqlType


KEY_LOOKUP, RANGE_SCAN, TABLE_SCAN = "KEY_LOOKUP", "RANGE_SCAN", "TABLE_SCAN"
_RANGE_OPS = ("<", "<=", ">", ">=")
# ksqlDB's class of a LIKE pattern that is not a literal (its "non-string pattern" message names it)
_JAVA_TREE = "io.confluent.ksql.execution.expression.tree."
_JAVA_NODE = {"ColumnRef": "UnqualifiedColumnReferenceExp", "FunctionCall": "FunctionCall",
              "ArithmeticBinary": "ArithmeticBinaryExpression", "Cast": "Cast",
              "SearchedCase": "SearchedCaseExpression", "SimpleCase": "SimpleCaseExpression",
              "Dereference": "DereferenceExpression", "Subscript": "SubscriptExpression"}  # fmt: skip


@dataclass
class WherePlan:
    """PullPhysicalPlanBuilder.getPlanType over QueryFilterNode's lookup constraints: `kind` is KEY_LOOKUP
    (`lookups`: one key tuple per disjunct, in disjunct order; `window_bounds` theirs on a windowed table), RANGE_SCAN (one disjunct bounding a STRING or
    BYTES key with <, <=, > or >=) or TABLE_SCAN; a scan reads every row (`lookups` None)."""

    lookups: list[tuple[Any, ...]] | None
    kind: str = TABLE_SCAN
    # a windowed table's lookups: each disjunct's window bounds, aligned with `lookups`
    window_bounds: list[WindowBounds] | None = None


def _column_side(c: ast.Comparison) -> tuple[ast.ColumnRef | None, ast.Expression]:
    if isinstance(c.right, ast.ColumnRef):
        return c.right, c.left
    if isinstance(c.left, ast.ColumnRef):
        return c.left, c.right
    return None, c.right


def _has_column(e: ast.Expression) -> bool:
    return any(isinstance(n, ast.ColumnRef) for n in ast.walk(e))


Resolver = Callable[[ast.Expression, SqlType], Any]  # a column-free expression -> value of that type


def analyze_where(
    where: ast.Expression,
    keys: Sequence[KeyColumn],
    columns: dict[str, SqlType],
    windowed: bool,
    scans_enabled: bool,
    resolve: Resolver,
) -> WherePlan:
    """ksqlDB 0.29's QueryFilterNode for a table pull query's (already type-checked) WHERE: validation
    (validateWhereClauseAndCheckTableScan, which stops at the first disjunct needing a table scan), then, only
    when no scan is needed, each disjunct's key constraint (KeyValueExtractor) and window bounds
    (WindowBoundsExtractor). `columns`: the value columns and their types."""
    key_index = {k.name: i for i, k in enumerate(keys)}
    parts = disjuncts(where)
    if any(_validate(d, keys, key_index, columns, windowed, scans_enabled) for d in parts):
        return WherePlan(None, TABLE_SCAN)
    constraints: list[tuple[str, tuple[Any, ...]] | None] = []
    bounds: list[WindowBounds] = []
    for d in parts:
        constraints.append(_key_constraint(d, keys, key_index, resolve))
        if windowed:
            bounds.append(_window_bounds(d, resolve))
    if any(c is None for c in constraints):
        return WherePlan(None, TABLE_SCAN)
    ops = [c[0] for c in constraints if c is not None]
    if all(op == "=" for op in ops):
        return WherePlan([c[1] for c in constraints if c is not None], KEY_LOOKUP, bounds if windowed else None)
    if len(ops) == 1:
        return WherePlan(None, RANGE_SCAN)
    return WherePlan(None, TABLE_SCAN)


def _column_text(name: str) -> str:
    """ColumnName.toString(): always back-quoted."""
    return f"`{name}`"


def _validate(
    d: ast.Expression,
    keys: Sequence[KeyColumn],
    key_index: dict[str, int],
    columns: dict[str, SqlType],
    windowed: bool,
    scans_enabled: bool,
) -> bool:
    """QueryFilterNode.Validator over one disjunct: True when it needs a table scan; raises what ksqlDB
    raises for it."""
    seen: set[int] = set()
    keyed = False
    scan = False

    def scan_or(err: PullWhereError) -> None:
        nonlocal scan
        if not scans_enabled:
            raise err
        scan = True

    for c in _conjuncts(d):
        if isinstance(c, ast.Like):
            _validate_like(c, keys, columns, windowed, scan_or)
            continue
        if not isinstance(c, ast.Comparison):
            raise invalid_where(f"Unsupported expression in WHERE clause: {sql(c)}", False)
        column, other = _column_side(c)
        if column is None:
            scan_or(invalid_where("A comparison must directly reference a key column", windowed))
            continue
        if _has_column(other):
            scan_or(
                invalid_where(
                    "A comparison must be between a key column and a resolvable expression", windowed
                )
            )
            continue
        if column.name in WINDOW_COLUMNS:
            if c.op not in _WINDOW_OPS:
                raise invalid_where(
                    f"Unsupported {_column_text(column.name)} bounds: {_JAVA_OPS.get(c.op, c.op)}", True
                )
            if not windowed:
                raise invalid_where("Cannot use WINDOWSTART/WINDOWEND on non-windowed source", False)
            continue
        if column.name in key_index:
            if c.op in ("<>", "IS DISTINCT FROM", "IS NOT DISTINCT FROM"):
                key_text = ", ".join(f"`{k.name}` {k.type} KEY" for k in keys)
                scan_or(invalid_where(f"Bound on key columns '[{key_text}]' must currently be '='", windowed))
            i = key_index[column.name]
            if i in seen and not scans_enabled:
                raise invalid_where(
                    "A comparison condition on the key column cannot be combined with other comparisons such "
                    "as an IN predicate",
                    windowed,
                )
            seen.add(i)
            keyed = True
        elif column.name not in columns and column.name != "ROWTIME":
            raise invalid_where(f"Bound on non-existent column {_column_text(column.name)}", windowed)
    if scan:
        return True
    if not keyed:
        scan_or(invalid_where(f"WHERE clause missing key column for disjunct: {sql(d)}", windowed))
        return True
    if len(seen) != len(keys):
        names = ", ".join(f"`{keys[i].name}`" for i in sorted(seen))
        expected = ", ".join(f"`{k.name}` {k.type} KEY" for k in keys)
        scan_or(
            invalid_where(
                f"Multi-column sources must specify every key in the WHERE clause. Specified: [{names}] "
                f"Expected: [{expected}]",
                windowed,
            )
        )
        return True
    return False


def _validate_like(
    c: ast.Like,
    keys: Sequence[KeyColumn],
    columns: dict[str, SqlType],
    windowed: bool,
    scan_or: Callable[[PullWhereError], None],
) -> None:
    """Validator.visitLikePredicate: a LIKE on a column needs a STRING column and a literal pattern."""
    if not isinstance(c.value, ast.ColumnRef):
        scan_or(invalid_where("Like condition must be between strings", windowed))
        return
    name = c.value.name
    types = {**{k.name: k.type for k in keys}, **columns}
    if name not in types:
        raise invalid_where(f"Like condition on non-existent column {_column_text(name)}", windowed)
    if types[name].base != "STRING":
        raise invalid_where(
            f"The column type for Like condition must be VARCHAR. The column type is {types[name].base}",
            windowed,
        )
    if not isinstance(c.pattern, ast.StringLiteral | ast.NullLiteral):
        kind = type(c.pattern).__name__
        raise invalid_where(
            f"Like condition on non-string pattern {_JAVA_TREE}{_JAVA_NODE.get(kind, kind)}", windowed
        )


Bound = tuple[int, bool]  # (epoch millis, inclusive)


@dataclass(frozen=True)
class WindowRange:
    """QueryFilterNode.WindowBounds.WindowRange: a bound column's `=`, upper and lower bounds."""

    equal: int | None = None
    upper: Bound | None = None
    lower: Bound | None = None

    def contains(self, value: int) -> bool:
        """getMergedRange().contains(value): every bound set holds."""
        if self.equal is not None and value != self.equal:
            return False
        if self.upper is not None and not (value < self.upper[0] or (self.upper[1] and value == self.upper[0])):
            return False
        return self.lower is None or value > self.lower[0] or (self.lower[1] and value == self.lower[0])


@dataclass(frozen=True)
class WindowBounds:
    """QueryFilterNode.WindowBounds of one disjunct: part of its KeyConstraint's identity (two disjuncts of
    one key with other bounds are two lookups), and the windows that lookup reads."""

    start: WindowRange = WindowRange()
    end: WindowRange = WindowRange()

    def contains(self, start: Any, end: Any) -> bool:
        if not isinstance(start, int) or not isinstance(end, int):
            return True
        return self.start.contains(start) and self.end.contains(end)


def _window_bounds(d: ast.Expression, resolve: Resolver) -> WindowBounds:
    """WindowBoundsExtractor over one disjunct: one bound of each kind per column, `=` alone, each
    resolving to a BIGINT (asInstant)."""
    seen: dict[tuple[str, str], str] = {}
    ranges: dict[str, dict[str, Any]] = {"WINDOWSTART": {}, "WINDOWEND": {}}
    for c in _conjuncts(d):
        if not isinstance(c, ast.Comparison):
            continue
        column, other = _column_side(c)
        if column is None or column.name not in WINDOW_COLUMNS:
            continue
        inverted = isinstance(c.right, ast.ColumnRef)
        kind = {"<": "LESS_THAN", "<=": "LESS_THAN", ">": "GREATER_THAN", ">=": "GREATER_THAN"}.get(
            c.op, "EQUAL"
        )
        if inverted and kind != "EQUAL":
            kind = "GREATER_THAN" if kind == "LESS_THAN" else "LESS_THAN"
        if isinstance(other, ast.IntegerLiteral | ast.LongLiteral):
            value: int | None = other.value
        elif isinstance(other, ast.StringLiteral):
            value = parse_partial_timestamp(other.value)
        else:
            value = _window_bound_value(other, resolve)
        if (column.name, kind) in seen:
            raise invalid_where(f"Duplicate {_column_text(column.name)} bounds on: {kind}", True)
        seen[(column.name, kind)] = sql(c)
        if (column.name, "EQUAL") in seen and len([k for k in seen if k[0] == column.name]) > 1:
            raise invalid_where(
                f"`{sql(c)}` cannot be combined with other {_column_text(column.name)} bounds", True
            )
        if value is not None:
            inclusive = c.op in ("<=", ">=")
            ranges[column.name][{"EQUAL": "equal", "LESS_THAN": "upper", "GREATER_THAN": "lower"}[kind]] = (
                value if kind == "EQUAL" else (value, inclusive)
            )
    return WindowBounds(WindowRange(**ranges["WINDOWSTART"]), WindowRange(**ranges["WINDOWEND"]))


def _window_bound_value(e: ast.Expression, resolve: Resolver) -> int | None:
    """asInstant: any other expression goes through GenericExpressionResolver as a BIGINT (strict
    coercion); failing that, ksqlDB's message."""
    try:
        value = resolve(e, BIGINT)
    except KsqlStatementError:
        value = None
        ok = False
    else:
        ok = value is None or coerce_strict(value, BIGINT)[0]
    if not ok:
        raise invalid_where(
            "Window bounds must resolve to an INT, BIGINT, or STRING containing a datetime.", True
        )
    return None if value is None else int(value)


def _key_constraint(
    d: ast.Expression, keys: Sequence[KeyColumn], key_index: dict[str, int], resolve: Resolver
) -> tuple[str, tuple[Any, ...]] | None:
    """KeyValueExtractor.getLookupConstraint: (operator, key values) of a disjunct, the most selective
    comparison per key column (an `=` wins, else the first); None for a NonKeyConstraint. A single key
    column bounded by a range operator is a range constraint only when it is a STRING or BYTES."""
    values: dict[int, Any] = {}
    ops: dict[int, str] = {}
    for c in _conjuncts(d):
        if not isinstance(c, ast.Comparison):
            continue
        column, other = _column_side(c)
        if column is None or column.name not in key_index:
            continue
        i = key_index[column.name]
        value = resolve_key(other, keys[i], c, resolve)
        if ops.get(i) == "=":
            continue
        if c.op == "=" or i not in ops:
            values[i], ops[i] = value, c.op
    if not ops:
        return None
    key = tuple(values.get(i) for i in range(len(keys)))
    if len(ops) > 1:
        return ("=", key) if all(op == "=" for op in ops.values()) else None
    op = ops.get(0)
    if op == "=":
        return op, key
    if op in _RANGE_OPS and keys[0].type.base in ("STRING", "BYTES"):
        return op, key
    return None


def resolve_key(e: ast.Expression, key: KeyColumn, hint: ast.Expression, resolve: Resolver) -> Any:
    value = None if isinstance(e, ast.NullLiteral) else resolve(e, key.type)
    if value is None:
        raise KsqlStatementError(f"Primary key columns can not be NULL: {sql(hint)}")
    ok, coerced = coerce_strict(value, key.type)
    if not ok:
        shown = value if not isinstance(value, bool) else str(value).lower()
        raise KsqlStatementError(
            f"'{shown}' can not be converted to the type of the key column: {key.name} {key.type} KEY"
        )
    return coerced


def coerce_strict(value: Any, t: SqlType) -> tuple[bool, Any]:
    """ksqlDB's strict value coercion: the same type, or a widening of a number (INT -> BIGINT -> DECIMAL
    or DOUBLE)."""
    b = t.base
    if isinstance(value, bool):
        return b == "BOOLEAN", value
    if isinstance(value, int):
        if b in ("INTEGER", "BIGINT"):
            return True, value
        if b == "DOUBLE":
            return True, float(value)
        if b == "DECIMAL":
            return True, Decimal(value)
        return False, value
    if isinstance(value, Decimal):
        if b == "DECIMAL":
            return True, value
        return (True, float(value)) if b == "DOUBLE" else (False, value)
    if isinstance(value, float):
        return b == "DOUBLE", value
    if isinstance(value, str):
        return b == "STRING", value
    if isinstance(value, bytes | bytearray):
        return b == "BYTES", value
    if isinstance(value, list):
        return b == "ARRAY", value
    if isinstance(value, dict):
        return b in ("MAP", "STRUCT"), value
    return True, value
