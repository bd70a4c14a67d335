"""What every query analysis shares: the scope of a source row, qualified expressions, projection names.

`source_scope` lays a source's row out as the compiled code reads it (key, value and header columns, then
ROWTIME, ROWPARTITION, ROWOFFSET); `qualify`/`qualify_resolved` make expressions comparable and printable
the way ksqlDB names them in messages; `ColumnNames` hands out ksqlDB's generated names KSQL_COL_n.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass

from ksqlserver.catalog.metastore import DataSource
from ksqlserver.catalog.types import PSEUDO_COLUMNS, WINDOW_BOUNDS, SqlType
from ksqlserver.compile.compiler import unknown_column
from ksqlserver.compile.scope import Scope, ScopeColumn
from ksqlserver.errors import CompileError, KsqlError, KsqlStatementError
from ksqlserver.functions import FunctionRegistry, is_aggregate_function
from ksqlserver.sql import ast
from ksqlserver.sql.printer import sql


@dataclass(frozen=True)
class Projection:
    name: str
    expression: ast.Expression
    type: SqlType | None
    is_key: bool = False


def qualify(e: ast.Node, source: str) -> ast.Node:
    """A copy of `e` with unqualified column references qualified by `source` (for ksqlDB's messages)."""
    return rewrite_refs(e, lambda ref: ref if ref.source else ast.ColumnRef(ref.name, source))


def rewrite_nodes(e: ast.Node, replace: Callable[[ast.Node], ast.Node | None]) -> ast.Node:
    """`e` with each node `replace` answers for (not None) replaced by that answer, visited in field order
    (pre-order, left to right), everywhere ksqlDB's ExpressionTreeRewriter reaches: every child expression,
    including the (key, value) entries of MAP(...) and the field values of STRUCT(...), which sit in
    nested tuples."""
    new = replace(e)
    if new is not None:
        return new
    if not dataclasses.is_dataclass(e):
        return e

    def each(v: object) -> object:
        if isinstance(v, ast.Node):
            return rewrite_nodes(v, replace)
        if isinstance(v, tuple):
            return tuple(each(x) for x in v)
        return v

    changes = {}
    for f in dataclasses.fields(e):
        if f.name in ("line", "column"):
            continue
        v = getattr(e, f.name)
        if isinstance(v, ast.Node | tuple):
            changes[f.name] = each(v)
    return dataclasses.replace(e, **changes)


def rewrite_refs(e: ast.Node, ref: Callable[[ast.ColumnRef], ast.Node]) -> ast.Node:
    """`e` with each column reference replaced by `ref`'s answer (see `rewrite_nodes`)."""
    return rewrite_nodes(e, lambda n: ref(n) if isinstance(n, ast.ColumnRef) else None)


def source_scope(source: DataSource, alias: str, offset: int = 0) -> Scope:
    """The source row's columns, then the pseudo columns and, for a windowed source, WINDOWSTART and
    WINDOWEND (runtime.pipeline.row_reader lays them out there)."""
    cols = [ScopeColumn(c.name, c.type, offset + i, alias) for i, c in enumerate(source.schema.columns)]
    n = len(cols)
    cols += [ScopeColumn(name, t, offset + n + i, alias) for i, (name, t) in enumerate(PSEUDO_COLUMNS)]
    if source.window is not None:  # a windowed source's rows carry their window bounds
        n = len(cols)
        cols += [ScopeColumn(name, t, offset + n + i, alias) for i, (name, t) in enumerate(WINDOW_BOUNDS)]
    return Scope(cols)


def qualify_resolved(e: ast.Node, scope: Scope) -> ast.Node:
    """`e` with every column reference qualified by the alias it resolves to (for comparing expressions)."""

    def ref(r: ast.ColumnRef) -> ast.Node:
        col = scope.resolve(r)
        return ast.ColumnRef(r.name, col.source) if col is not None and col.source else r

    return rewrite_refs(e, ref)


class ColumnNames:
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


def derived_name(e: ast.Expression) -> str | None:
    """The name ksqlDB gives an unaliased projection of a column (its name) or a struct field (the field)."""
    if isinstance(e, ast.ColumnRef):
        return e.name
    if isinstance(e, ast.Dereference):
        return e.field
    return None


def check_no_aggregates(e: ast.Node, clause: str, registry: FunctionRegistry | None = None) -> None:
    for node in ast.walk(e):
        if isinstance(node, ast.FunctionCall) and is_aggregate_function(node.name, registry):
            raise KsqlStatementError(
                f"{clause} does not support aggregate functions: {node.name} is an aggregate function."
            )


def check_where_aggregates(where: ast.Node, registry: FunctionRegistry | None = None) -> None:
    """An aggregate call in WHERE. ksqlDB 0.29 has no analysis check for it: FilterTypeValidator types the call
    as an aggregate, then the filter's code generation (CodeGenRunner.buildCodeGenFromParseTree, "Invalid
    Predicate: ...") looks it up as a scalar function and fails in InternalFunctionRegistry.getUdfFactory."""
    for node in ast.walk(where):
        if isinstance(node, ast.FunctionCall) and is_aggregate_function(node.name, registry):
            raise KsqlStatementError(f"Invalid Predicate: Can't find any functions with the name '{node.name}'.")


def and_list(items: list[str]) -> str:
    """`a`, `a and b`, `a, b and c`: how ksqlDB lists names in its messages (GrammaticalJoiner.and)."""
    return _grammatical(items, " and ")


def or_list(items: list[str]) -> str:
    """`a`, `a or b`, `a, b or c` (GrammaticalJoiner.or)."""
    return _grammatical(items, " or ")


def _grammatical(items: list[str], last: str) -> str:
    return last.join([", ".join(items[:-1]), items[-1]]) if len(items) > 1 else "".join(items)


# the second sentence of ksqlDB's "key column more than once" errors (FinalProjectNode.build,
# LogicalPlanner.buildAggregateSchema); AsValue.NAME is a FunctionName, whose toString quotes it in backticks
KEY_TWICE_HINT = (
    "\nEach key column must only be in the projection once. If you intended to copy the key into the value, "
    "then consider using the `AS_VALUE` function to indicate which key reference should be copied."
)


SYSTEM_COLUMNS = ("ROWTIME", "ROWPARTITION", "ROWOFFSET", "WINDOWSTART", "WINDOWEND")


def check_reserved(alias: str | None, e: ast.Expression, persistent: bool, derived: str | None = None) -> None:
    """ksqlDB's rule for system column names in a projection: an alias may not name one, and a persistent
    query may not project one under its own name (alias it, or leave it out). `derived`: the name an
    unaliased expression gets (joins prefix qualified columns)."""
    name = alias if alias is not None else (derived or derived_name(e))
    if name is None or name.upper() not in SYSTEM_COLUMNS:
        return
    own = isinstance(e, ast.ColumnRef) and e.name.upper() == name.upper()
    if not own:
        raise KsqlStatementError(
            f"`{name.upper()}` is a reserved column name. You cannot use it as an alias for a column."
        )
    if persistent:
        raise KsqlStatementError(
            f"Reserved column name in select: `{name.upper()}`. Please remove or alias the column."
        )


def check_columns(e: ast.Node, scope: Scope, clause: str, suffix: str = "") -> None:
    """ksqlDB's column reference check, run on every clause before any expression is typed: the first
    reference `scope` cannot resolve fails with "Line: L, Col: C: <clause> column 'X' cannot be
    resolved." (`suffix` follows it, e.g. PARTITION BY's reminder that it applies to the input)."""
    for node in ast.walk(e):
        if isinstance(node, ast.ColumnRef) and scope.resolve(node) is None:
            message = unknown_column(clause, node)
            if suffix:
                message = message[:-1] + f". '{sql(node)}' {suffix}"
            raise KsqlStatementError(message)


def joined_names(e: ast.Node, scope: Scope) -> tuple[ast.Node, Scope]:
    """`e` and `scope` with every column named `<alias>_<column>`, as ksqlDB names a join's columns in the
    expressions it types after the join (and in their error messages)."""
    renamed = Scope(
        [ScopeColumn(f"{c.source}_{c.name}" if c.source else c.name, c.type, c.index) for c in scope.columns]
    )

    def rename(node: ast.Node) -> ast.Node:
        if isinstance(node, ast.ColumnRef):
            col = scope.resolve(node)
            if col is not None and col.source:
                return ast.ColumnRef(f"{col.source}_{col.name}", line=node.line, column=node.column)
            return node
        if not dataclasses.is_dataclass(node):
            return node
        changes = {}
        for f in dataclasses.fields(node):
            if f.name in ("line", "column"):
                continue
            v = getattr(node, f.name)
            if isinstance(v, ast.Node):
                changes[f.name] = rename(v)
            elif isinstance(v, tuple):
                changes[f.name] = tuple(rename(x) if isinstance(x, ast.Node) else x for x in v)
        return dataclasses.replace(node, **changes)

    return rename(e), renamed


def check_qualifiers(q: ast.Query) -> None:
    """ksqlDB's statement builder refuses a qualifier (`x.col`, `x.*`) naming no source or alias of the
    statement, before anything is looked up in the catalog (so the error is a preparation error)."""
    relations = [q.from_, *(j.source for j in q.joins)]
    known = {r.name for r in relations} | {r.effective_alias for r in relations}
    qualifiers: list[str] = []
    for el in q.select:
        if isinstance(el, ast.AllColumns) and el.source is not None:
            qualifiers.append(el.source)
    nodes: list[ast.Node] = [el for el in q.select if not isinstance(el, ast.AllColumns)]
    nodes += [j.on for j in q.joins] + [*q.group_by, *q.partition_by]
    nodes += [e for e in (q.where, q.having) if e is not None]
    for node in nodes:
        qualifiers += [n.source for n in ast.walk(node) if isinstance(n, ast.ColumnRef) and n.source is not None]
    for name in qualifiers:
        if name not in known:
            raise KsqlStatementError(f"Failed to prepare statement: '{name}' is not a valid stream/table name or alias.")


def non_boolean_filter(clause: str, text: str, type_: object) -> KsqlStatementError:
    """FilterTypeValidator.validateFilterExpression's refusal of a filter that is no BOOLEAN: getMessage()
    leaves the expression out, the unlogged details name it, and the statement is the expression."""
    msg = f"Type error in {clause} expression: Should evaluate to boolean but is {text} ({type_}) instead."
    error = KsqlStatementError(msg, text).append_statement(text)
    error.logged = f"Type error in {clause} expression: Should evaluate to boolean but is ({type_}) instead."
    return error


def filter_error(
    e: CompileError, clause: str, text: str, rename: Callable[[str], str] = lambda m: m
) -> KsqlError:
    """A WHERE/HAVING expression that does not type, as ksqlDB's FilterTypeValidator reports it: "Error in
    <clause> expression: " before the typing error (whose own statement, the failing comparison or
    arithmetic, stays in the detailed message), then the filter expression as the statement. `rename` maps
    the analysis's internal names back to the ones ksqlDB prints."""
    msg = rename(e.message)
    if e.codegen or "cannot be resolved" in msg:
        return KsqlStatementError(msg)
    # FilterTypeValidator's KsqlStatementException names the filter expression (getSqlStatement()), and its
    # raw unlogged details are what KsqlResource answers where nothing wraps it (INSERT INTO ... SELECT)
    if msg.startswith("Type error"):
        error = KsqlStatementError(msg, rename(text)).append_statement(rename(text))
        # FilterTypeValidator's getMessage() leaves the expression out: "... but is (STRING) instead."
        m = re.fullmatch(r"(.* but is) .* (\([^()]*\) instead\.)", msg, re.DOTALL)
        if m is not None:
            error.logged = f"{m.group(1)} {m.group(2)}"
        return error
    details = f"Error in {clause} expression: {rename(e.unlogged_message)}"
    error = KsqlStatementError(details, rename(text)).append_statement(rename(text), details)
    error.logged = f"Error in {clause} expression"  # FilterTypeValidator's getMessage(): no details
    return error


def kafka_value_format_error(aliases: list[str], operation: str) -> str:
    """Analyzer.validate's refusal of sources with KAFKA values in a JOIN or GROUP BY: the sources' aliases
    in FROM order, then the limitation's explanation."""
    return (
        f"Source(s) {', '.join(aliases)} are using the 'KAFKA' value format. This format does not yet support "
        f"{operation}.\nThe KAFKA format is primarily intended for use as a key format. It can be used as a value "
        "format, but can not be used in any operation that requires a repartition or changelog topic.\n"
        "Removing this limitation requires enhancements to the core of KSQL. This will come in a future release. "
        "Until then, avoid using the KAFKA format for values.\nIf you have an existing topic with KAFKA formatted "
        "values you can duplicate the data and serialize using Avro or JSON with a statement such as: \n\n"
        "'CREATE STREAM <new-stream-name> WITH(VALUE_FORMAT='Avro') AS SELECT * FROM "
        "<existing-kafka-formated-stream-name>;'\nFor more info see https://github.com/confluentinc/ksql/issues/3060"
    )


def check_key_value_clash(projections: list[Projection]) -> None:
    """KsqlStructuredDataOutputNode.validate: the sink's value columns (key references left out) must not
    take a key column's name."""
    keys = {p.name for p in projections if p.is_key}
    clashes = list(dict.fromkeys(p.name for p in projections if not p.is_key and p.name in keys))
    if clashes:
        raise KsqlStatementError(
            "Value columns clash with key columns: " + ", ".join(f"`{n}`" for n in clashes)
        )


def check_transient_names(projections: list[Projection]) -> None:
    """FinalProjectNode of a transient query: every projected column, key references too, is a value
    column of its result; the first name seen twice is refused (as the later column)."""
    names: set[str] = set()
    for p in projections:
        if p.name in names:
            raise KsqlStatementError(f"Duplicate value columns found in schema: `{p.name}` {p.type}")
        names.add(p.name)
