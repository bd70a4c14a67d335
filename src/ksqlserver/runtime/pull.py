"""Pull queries on tables: rows read from a table's materialised state, filtered, projected, limited.

A table row, as a pull query's WHERE and SELECT see it: key columns, WINDOWSTART and WINDOWEND (windowed
tables), value columns, then ROWTIME. A `TableView` serves those rows: an aggregate's state store
(`AggregateView`) or a table kept from its topic (`runtime/table_view.py`). The WHERE clause is analysed as
ksqlDB 0.29 analyses it (`pull_where.py`): a disjunction of key equalities reads only those keys, anything
else reads every row; the compiled predicate then decides each row. Rows go out through a bounded queue
as they are produced (`PullResult`); nothing is collected first.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Protocol

from ksqlserver.catalog.column_names import AliasGenerator
from ksqlserver.catalog.metastore import DataSource
from ksqlserver.catalog.types import BIGINT, KEY, SqlType
from ksqlserver.compile.compiler import Compiler
from ksqlserver.compile.scope import Scope, ScopeColumn
from ksqlserver.drivers.base import Record
from ksqlserver.drivers.partitioner import partition_of
from ksqlserver.errors import CompileError, KsqlStatementError
from ksqlserver.functions import FunctionRegistry
from ksqlserver.runtime.key_hash import constraint_hash, hash_set_order
from ksqlserver.runtime.operators.materialization import Materialization
from ksqlserver.runtime.operators.windows import WindowSpec, segment_interval
from ksqlserver.runtime.pipeline import ErrorHandler, json_ready
from ksqlserver.runtime.pull_where import (
    PULL_QUERY_SYNTAX_HELP,
    RANGE_SCAN,
    TABLE_SCAN,
    WINDOW_COLUMNS,
    KeyColumn,
    PullWhereError,
    WindowBounds,
    analyze_where,
    check_not_operands,
    invalid_where,
    rewrite_pull_predicate,
    rewrite_timestamps,
    unqualified,
)
from ksqlserver.sql import ast
from ksqlserver.sql.printer import sql

DISALLOWED_COLUMNS = ("ROWPARTITION", "ROWOFFSET")
Emit = Callable[[list[Any]], bool]  # puts one row out; False once the consumer is gone


DEFAULT_NODE = "http://localhost:8088/"  # ksqlDB's default listener, for engines without a REST server


class SessionScanError(KsqlStatementError):
    """A table scan of a session-windowed table: KsMaterializedSessionTable(IQv2).get(partition, ...) throws
    MaterializationException("Table scan unsupported on session tables") while the pull query runs;
    HARouting.executeOrRouteQuery wraps it in a KsqlException naming the node and executeRounds in
    "Unable to execute pull query: " + the ExecutionException's message (the cause's toString)."""

    def __init__(self, node: str) -> None:
        super().__init__(
            "Unable to execute pull query: io.confluent.ksql.util.KsqlException: Error executing query locally "
            f"at node {node}: Table scan unsupported on session tables"
        )
        self.node = node

    error_code = 50000  # PullQueryStreamWriter.outputException: Errors.ERROR_CODE_SERVER_ERROR


class PullResult:
    """A running pull query (what `engine.PushQuery` wraps): `produce(emit)` runs on its own thread and
    feeds `rows`, a bounded queue; `finished` is set when it returns. `schema` is the header's column list
    (key columns marked KEY)."""

    is_pull = True

    def __init__(
        self,
        query_id: str,
        columns: list[tuple[str, Any]],
        schema: str | None,
        produce: Callable[[Emit], None],
        capacity: int = 1000,
        start: bool = True,
    ) -> None:
        self.query_id = query_id
        self.schema = schema
        self.columns = columns
        self.rows: queue.Queue[list[Any]] = queue.Queue(maxsize=capacity)
        self.finished = threading.Event()
        self.processed = 0
        self.state = "RUNNING"
        self.error: Exception | None = None
        self._stop = threading.Event()
        self._produce = produce
        self._thread = threading.Thread(target=self._run, name=f"ksql-{query_id}", daemon=True)
        if start:
            self._thread.start()

    def begin(self) -> None:
        """Start producing (for a result created with `start=False`)."""
        self._thread.start()

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    def _emit(self, row: list[Any]) -> bool:
        while not self._stop.is_set():
            try:
                self.rows.put(row, timeout=0.1)
                self.processed += 1
                return True
            except queue.Full:
                continue
        return False

    def _run(self) -> None:
        try:
            self._produce(self._emit)
        except Exception as e:  # reported to the client as an error row, after the rows sent so far
            self.error = e
        finally:
            self.finished.set()

    def stop(self) -> None:
        self._stop.set()
        self.state = "TERMINATED"

    def drain(self) -> int:
        return 0


class TableView(Protocol):
    """A table's current rows in the pull-query row layout."""

    windowed: bool

    def rows(self) -> Iterator[list[Any]]: ...

    def lookup(self, key: tuple[Any, ...]) -> Iterator[list[Any]]: ...


def _same_key(row: list[Any], key: tuple[Any, ...]) -> bool:
    return all(a == b for a, b in zip(row, key, strict=False))


class AggregateView:
    """An aggregate's state store as table rows."""

    def __init__(self, materialization: Materialization) -> None:
        self.m = materialization
        self.windowed = materialization.window is not None
        self.window = materialization.window
        self.time_ordered = materialization.time_ordered

    def rows(self) -> Iterator[list[Any]]:
        m = self.m
        # a windowed store below its record cache (runtime/state/cache_bypass.py), else the store
        flushed = getattr(m.store, "flushed_items", None)
        entries: Iterable[tuple[Any, Any]] = m.store.items() if flushed is None else flushed()
        live_from = None
        if m.window is not None:
            entries = list(entries)
            live_from = _live_from(m.window, entries)
        for skey, state in entries:
            if live_from is not None and skey[-1 if m.window.is_session else -2] < live_from:  # type: ignore[union-attr]
                continue
            projected = m.row(skey, state)
            if projected is None:
                continue
            row = [projected[i] for i in m.key_positions]
            if self.windowed:
                row += [skey[-2], skey[-1]]
            row += [projected[i] for i in m.value_positions]
            row.append(state[1])
            yield row

    def lookup(self, key: tuple[Any, ...]) -> Iterator[list[Any]]:
        return (r for r in self.rows() if _same_key(r, key))


Lookup = tuple[tuple[Any, ...], WindowBounds | None]  # a KeyConstraint: key values, window bounds


def _passes(where_fn: Callable[[list[Any]], Any], row: list[Any], log: Callable[[Exception], None]) -> bool:
    """SelectOperator's SqlPredicate: a WHERE that fails on a row is logged and evaluates to false (the
    evaluator's default), so the row is left out and the query goes on."""
    try:
        return where_fn(row) is True
    except Exception as e:
        log(e)
        return False


def by_partition(table: DataSource, keys: list[Lookup], partitions: int) -> list[Lookup]:
    """Key lookups in the order ksqlDB runs them. One lookup: KsLocator.getMetadataForKeys, its partition
    alone. More (KsLocator.locate sends them to getMetadataForAllPartitions): every partition in ascending
    order, each with the HashSet of all the lookups (KeyConstraints, equal when key and window bounds are),
    which KeyedTableLookupOperator reads in that set's order; a key's row is only in the partition Kafka's
    default partitioner gives its serialized form. When a KeyConstraint's hash is not modelled
    (runtime/key_hash.py; a one-sided window bound hashes by identity in Java), each partition's lookups keep
    their request order."""
    part_of: dict[int, int] = {}
    distinct: list[Lookup] = []
    for lookup in keys:
        if lookup in distinct:
            continue
        key = lookup[0]
        try:
            data = table.key_serde.serialize(list(key)) if partitions > 1 else None
        except Exception:  # a key the serde refuses has no row to find: its place does not matter
            data = None
        part_of[len(distinct)] = partition_of(data, partitions) if data else 0
        distinct.append(lookup)
    if len(distinct) < 2:
        return distinct
    types = [c.type for c in table.schema.key]
    hashes = [constraint_hash(k, types, b) for k, b in distinct]
    rank = list(range(len(distinct)))  # a hash not known: request order within a partition
    if all(h is not None for h in hashes):
        rank = [0] * len(distinct)
        for i, pos in enumerate(hash_set_order([h for h in hashes if h is not None])):
            rank[pos] = i
    return [distinct[i] for i in sorted(range(len(distinct)), key=lambda i: (part_of[i], rank[i]))]


def _live_from(window: WindowSpec, entries: list[tuple[Any, Any]]) -> int | None:
    """The oldest window start (session end) a read of a windowed store returns: Kafka Streams'
    AbstractRocksDBSegmentedBytesStore.fetch reads from max(from, observedStreamTime - retentionPeriod + 1),
    where observedStreamTime is the latest window start (session end) put in the store, so windows still in a
    live segment but past the retention are not served. (Here observed over the entries present, across
    partitions.)"""
    if not entries:
        return None
    pos = -1 if window.is_session else -2
    observed = max(skey[pos] for skey, _ in entries)
    return int(observed - window.retention + 1)


def store_order(table: DataSource, rows: Iterable[list[Any]], partitions: int = 1) -> Iterator[list[Any]]:
    """A table scan's rows in the order ksqlDB's store hands them out: KsMaterializedTableIQv2 runs a
    RangeQuery with no bounds over the partition's RocksDB key-value store, whose BytewiseComparator orders
    entries by their serialized key (unsigned bytes). Rows whose key cannot be serialized keep their place
    after the others. With several partitions ksqlDB's TableScanOperator reads them one after the other, in
    ascending order (KsLocator's partition set); a row's partition is its serialized key's under Kafka's
    default partitioner."""
    n_key = len(table.schema.key)
    serialize = table.key_serde.serialize
    keyed: list[tuple[bytes, int, list[Any]]] = []
    unkeyed: list[list[Any]] = []
    for i, row in enumerate(rows):
        try:
            key = serialize(row[:n_key]) if n_key else None
        except Exception:  # order only: the row itself is still served
            key = None
        if key is None:
            unkeyed.append(row)
        else:
            keyed.append((key, i, row))
    if partitions > 1:
        keyed.sort(key=lambda entry: (partition_of(entry[0], partitions), entry[0], entry[1]))
    else:
        keyed.sort(key=lambda entry: (entry[0], entry[1]))
    for _, _, row in keyed:
        yield row
    yield from unkeyed


def window_store_order(
    table: DataSource,
    window: WindowSpec | None,
    rows: Iterable[list[Any]],
    time_ordered: bool = False,
    partitions: int = 1,
) -> Iterator[list[Any]]:
    """A windowed table scan's rows in the order of KsMaterializedWindowTable.get(partition, ...):
    WindowStoreCacheBypass.fetchAll over the RocksDB window store, which walks its segments in time order
    (a window belongs to segment start // max(retention / 2, 60 s)) and each segment by store key, the
    serialized key then the window start (WindowKeySchema.toStoreKeyBinary); EMIT FINAL's time-ordered store
    (TimeFirstWindowKeySchema) by window start, then key. With several partitions, TableScanOperator reads
    them one after the other, in ascending order: a window's partition is its key's, without the window
    (the aggregation's repartition and its windowed sink both place a key by its base bytes). Without the
    window's spec the rows keep the store's order."""
    if window is None or window.is_session:
        yield from rows
        return
    n_key = len(table.schema.key)
    serialize = table.key_serde.serialize
    interval = segment_interval(window.retention)
    keyed: list[tuple[int, int, bytes, int, list[Any]]] = []
    unkeyed: list[list[Any]] = []
    for i, row in enumerate(rows):
        start = row[n_key]
        try:
            key = serialize(row[:n_key])
        except Exception:  # order only: the row itself is still served
            key = None
        if key is None or not isinstance(start, int):
            unkeyed.append(row)
        else:
            part = partition_of(key, partitions) if partitions > 1 else 0
            if time_ordered:
                keyed.append((part, start, key, i, row))
            else:
                keyed.append((part, start // interval, key + start.to_bytes(8, "big", signed=True), i, row))
    keyed.sort(key=lambda entry: entry[:4])
    for *_, row in keyed:
        yield row
    yield from unkeyed


def window_lookup_order(table: DataSource, rows: Iterable[list[Any]]) -> list[list[Any]]:
    """A key's windows in the order the store's single-key fetch returns them: a window store's by window
    start (WindowStoreCacheBypass.fetch: segments in time order, each by start), a session store's by end,
    then start (SessionKeySchema's store key: the key, the end, the start)."""
    n_key = len(table.schema.key)
    session = table.window is not None and table.window.kind == "SESSION"

    def order(row: list[Any]) -> tuple[Any, ...]:
        start, end = row[n_key], row[n_key + 1]
        if not isinstance(start, int) or not isinstance(end, int):
            return (1,)
        return (0, end, start) if session else (0, start)

    return sorted(rows, key=order)


def table_columns(table: DataSource, windowed: bool) -> list[tuple[str, SqlType, bool]]:
    """(name, type, is key) of a table row, ROWTIME excluded."""
    cols: list[tuple[str, SqlType, bool]] = [(c.name, c.type, True) for c in table.schema.key]
    if windowed:
        cols += [("WINDOWSTART", BIGINT, True), ("WINDOWEND", BIGINT, True)]
    cols += [(c.name, c.type, False) for c in table.schema.columns if c.namespace != KEY]
    return cols


def check_clauses(q: ast.Query, limit_enabled: bool = True) -> None:
    """ksqlDB's pull-query rules (PullQueryValidator.RULES), the first broken one named (with its help
    text); `limit_enabled`: the server's ksql.query.pull.limit.clause.enabled."""
    for present, message in (
        (bool(q.joins), "Pull queries don't support JOIN clauses."),
        (q.window is not None, "Pull queries don't support WINDOW clauses."),
        (bool(q.group_by), "Pull queries don't support GROUP BY clauses."),
        (bool(q.partition_by), "Pull queries don't support PARTITION BY clauses."),
        (q.having is not None, "Pull queries don't support HAVING clauses."),
        (
            not limit_enabled and q.limit is not None,
            "LIMIT clause in pull queries is currently disabled. "
            "You can enable them by setting ksql.query.pull.limit.clause.enabled=true.",
        ),
        (
            q.limit is not None and q.limit < 0,
            "Pull queries don't support negative integers in the LIMIT clause.",
        ),
    ):
        if present:
            raise KsqlStatementError(message + PULL_QUERY_SYNTAX_HELP)
    for clause, exprs in (
        ("SELECT", [el.expression for el in q.select if isinstance(el, ast.SelectItem)]),
        ("WHERE", [q.where] if q.where is not None else []),
    ):
        bad = [
            n.name
            for e in exprs
            for n in ast.walk(e)
            if isinstance(n, ast.ColumnRef) and n.name in DISALLOWED_COLUMNS
        ]
        if bad:
            raise KsqlStatementError(
                f"Pull queries don't support the following columns in {clause} clauses: "
                f"{', '.join(f'`{n}`' for n in dict.fromkeys(bad))}\n{PULL_QUERY_SYNTAX_HELP}"
            )


def projection_items(q: ast.Query, star: Iterable[str], taken: set[str]) -> list[tuple[str, ast.Expression]]:
    """(output name, expression) of each SELECT item; unaliased expressions are named as ksqlDB's alias
    generator names them, seeded with the table's columns (`taken`)."""
    items: list[tuple[str, ast.Expression]] = []
    aliases = AliasGenerator(taken)
    for el in q.select:
        if isinstance(el, ast.AllColumns):
            items += [(name, ast.ColumnRef(name)) for name in star]
        elif isinstance(el, ast.SelectItem):
            items.append((el.alias or aliases.name_for(el.expression), el.expression))
        else:
            raise KsqlStatementError("Struct expansion is not supported in pull queries by this server")
    return items


def check_wildcards(q: ast.Query) -> None:
    """QueryProjectNode.isSelectStar: a wildcard must be the only select item."""
    if any(isinstance(el, ast.AllColumns) for el in q.select) and len(q.select) != 1:
        raise KsqlStatementError("Pull queries only support wildcards in the projects if they are the only expression")


def output_schema(columns: list[tuple[str, Any]], key_names: set[str]) -> str:
    """QueryProjectNode.selectOutputSchema as the header's text: a column is a key column when its name
    (the alias) is one of the table's key columns, WINDOWSTART or WINDOWEND (for SELECT *: the key and window
    columns); LogicalSchema.Builder refuses a name twice in the key or in the value."""
    seen: dict[bool, set[str]] = {True: set(), False: set()}
    parts = []
    for name, t in columns:
        key = name in key_names
        text = f"`{name}` {t}" + (" KEY" if key else "")
        if name in seen[key]:
            raise KsqlStatementError(f"Duplicate {'key' if key else 'value'} columns found in schema: {text}")
        seen[key].add(name)
        parts.append(text)
    return ", ".join(parts)


def where_type_error(where: ast.Expression, e: CompileError, text: str = "") -> KsqlStatementError:
    """FilterTypeValidator's error for the WHERE of a pull query (LogicalPlanner.buildQueryLogicalPlan): its
    details are "Error in WHERE expression: " and the typing error's own unlogged message (which names the
    failing comparison or arithmetic), then the filter as its statement; EngineExecutor.executeTablePullQuery
    re-throws a KsqlStatementException with those as details and the pull query `text` as the statement."""
    msg = e.message
    if "cannot be resolved" in msg or msg.startswith("Type error"):
        return KsqlStatementError(msg)
    details = f"Error in WHERE expression: {e.unlogged_message}\nStatement: {sql(where)}"
    err = KsqlStatementError(details)
    err.logged = "Error in WHERE expression"
    return err.append_statement(text) if text else err


def run_pull(
    q: ast.Query,
    table: DataSource,
    view: TableView | Materialization,
    registry: FunctionRegistry,
    query_id: str,
    scans_enabled: bool = True,
    extra_rows: Iterable[list[Any]] = (),
    interpreted: bool = True,
    range_scans_enabled: bool = True,
    partitions: int = 1,
    start: bool = True,
    node: str = DEFAULT_NODE,
    on_error: ErrorHandler | None = None,
) -> PullResult:
    """Validate, plan and start a pull query on `table`; errors ksqlDB raises before any row are raised
    here. `extra_rows` (rows other servers answered) follow the local ones. `scans_enabled` and
    `range_scans_enabled`: the request's ksql.query.pull.table.scan.enabled and
    ksql.query.pull.range.scan.enabled (QueryPlannerOptions); `partitions`: the table's partition count,
    which orders key lookups (`by_partition`); `start=False` plans and validates without running; `node`:
    this server's location, named by the error of a scan the store refuses (`SessionScanError`);
    `on_error`: the processing log, which hears a WHERE or a projection column failing on a row."""
    if isinstance(view, Materialization):
        view = AggregateView(view)
    check_clauses(q)
    cols = table_columns(table, view.windowed)
    alias = q.from_.effective_alias
    scope_cols = [ScopeColumn(n, t, i, alias) for i, (n, t, _) in enumerate(cols)]
    scope_cols.append(ScopeColumn("ROWTIME", BIGINT, len(cols), alias))
    scope = Scope(scope_cols)
    where = rewrite_timestamps(q.where) if q.where is not None else None
    where_fn = None
    lookups: list[Lookup] | None = None
    kind = TABLE_SCAN
    if where is None and not scans_enabled:  # LogicalPlanner.buildQueryLogicalPlan
        raise invalid_where("Missing WHERE clause", view.windowed)
    if where is not None:
        deferred: KsqlStatementError | None = None
        try:
            c = Compiler(scope, registry, "WHERE")
            _check_null_comparisons(where, c)
            t = c.type_of(where)
            if t is not None and t.base != "BOOLEAN":
                # FilterTypeValidator: the filter as the statement, then executeTablePullQuery's pull query
                raise KsqlStatementError(
                    f"Type error in WHERE expression: Should evaluate to boolean but is {sql(where)} ({t}) instead."
                    f"\nStatement: {sql(where)}"
                ).append_statement(q.text)
            where_fn = c.function(c.expr(where)[0], "_pull_where")
        except CompileError as e:
            err = where_type_error(q.where, e, q.text)  # type: ignore[arg-type]
            if not e.message.startswith("Invalid IN expression"):
                raise err from None
            deferred = err  # ksqlDB's type check lets IN lists through: the key check below speaks first
        keys = [KeyColumn(c.name, c.type) for c in table.schema.key]
        values = {n: t for n, t, k in cols if not k}
        plan = analyze_where(where, keys, values, view.windowed, scans_enabled, _resolver(registry))
        if deferred is not None:
            raise deferred
        check_not_operands(rewrite_pull_predicate(where), c.type_of)
        kind = plan.kind
        if plan.lookups is not None:
            bounds: list[WindowBounds | None] = list(plan.window_bounds or [None] * len(plan.lookups))
            lookups = by_partition(table, list(zip(plan.lookups, bounds, strict=True)), partitions)
    check_wildcards(q)
    items = projection_items(q, [n for n, _, _ in cols], {n for n, _, _ in cols})
    try:
        c = Compiler(scope, registry, "SELECT")
        c.interpreted = interpreted
        compiled = [c.expr(e) for _, e in items]
        project = c.projection([code for code, _ in compiled], "_pull_project")
    except CompileError as e:
        if e.unlogged is None:  # a plain KsqlException: executeTablePullQuery keeps its message alone
            raise KsqlStatementError(e.message) from None
        # a KsqlStatementException (ExpressionTypeManager's, naming its expression): executeTablePullQuery
        # re-throws one with its unlogged message as details and the pull query as the statement
        err = KsqlStatementError(e.unlogged_message)
        err.logged = e.logged_message
        raise err.append_statement(q.text) from None
    star = any(isinstance(el, ast.AllColumns) for el in q.select)
    schema = output_schema(
        [(n, t) for (n, _), (_, t) in zip(items, compiled, strict=True)],
        {n for n, _, k in cols if k} if star else {c.name for c in table.schema.key} | set(WINDOW_COLUMNS),
    )
    # PullPhysicalPlanBuilder.translateDataSourceNode: a range scan is a table scan on a windowed table or
    # with range scans disabled, and a table scan needs table scans enabled
    if kind == RANGE_SCAN and (not range_scans_enabled or view.windowed):
        kind = TABLE_SCAN
    if lookups is None and kind == TABLE_SCAN and not scans_enabled:
        raise KsqlStatementError(
            "Query requires table scan to be enabled. Table scans can be enabled by setting "
            "ksql.query.pull.table.scan.enabled=true"
        )
    readies = [json_ready(t) for _, t in compiled]
    limit = q.limit
    table_view = view

    def candidates() -> Iterator[list[Any]]:
        if lookups is None:
            if table_view.windowed and table.window is not None and table.window.kind == "SESSION":
                raise SessionScanError(node)  # a CTAS's store or a CREATE SOURCE TABLE's, alike
            if table_view.windowed:
                yield from window_store_order(
                    table,
                    getattr(table_view, "window", None),
                    table_view.rows(),
                    getattr(table_view, "time_ordered", False),
                    partitions,
                )
            else:
                yield from store_order(table, table_view.rows(), partitions)
            return
        seen: set[Any] = set()
        n_key = len(table.schema.key)
        for key, window_bounds in lookups:
            marker = repr((key, window_bounds))
            if marker in seen:
                continue
            seen.add(marker)
            if table_view.windowed:
                # KeyedWindowedTableLookupOperator: the key's windows within this constraint's bounds
                for row in window_lookup_order(table, table_view.lookup(key)):
                    if window_bounds is None or window_bounds.contains(row[n_key], row[n_key + 1]):
                        yield row
            else:
                yield from table_view.lookup(key)

    # the processing-log texts of SelectOperator's SqlPredicate (over the rewritten WHERE) and of
    # ProjectOperator's SelectValueMapper (every select expression counts, keys included)
    predicate_text = f"Error evaluating predicate {sql(rewrite_pull_predicate(where))}" if where is not None else ""
    column_texts = [
        f"Error computing expression {sql(unqualified(e))} for column {n} with index {i}"
        for i, (n, e) in enumerate(items)
    ]

    def log_predicate(e: Exception) -> None:
        if on_error is not None:
            on_error("recordProcessing", predicate_text, Record(None, None), e)

    def log_column(i: int, e: Exception) -> None:
        if on_error is not None:
            on_error("recordProcessing", column_texts[i], Record(None, None), e)

    def produce(emit: Emit) -> None:
        sent = 0
        if limit == 0:
            return
        for row in candidates():
            if where_fn is not None and not _passes(where_fn, row, log_predicate):
                continue
            out = project(row, log_column)
            if not emit([f(v) for f, v in zip(readies, out, strict=True)]):
                return
            sent += 1
            if limit is not None and sent >= limit:
                return
        for row in extra_rows:
            if not emit(row):
                return
            sent += 1
            if limit is not None and sent >= limit:
                return

    columns = [(n, t) for (n, _), (_, t) in zip(items, compiled, strict=True)]
    return PullResult(query_id, columns, schema, produce, start=start)


class NoRows:
    """A table view with no rows: what a pull query on a table nothing materialises is planned against, so
    that its own errors come first (see `statements/transient.py`)."""

    def __init__(self, windowed: bool) -> None:
        self.windowed = windowed

    def rows(self) -> Iterator[list[Any]]:
        return iter(())

    def lookup(self, key: tuple[Any, ...]) -> Iterator[list[Any]]:
        return iter(())


def _check_null_comparisons(where: ast.Expression, c: Compiler) -> None:
    """ksqlDB refuses `x = NULL` (and the other comparison operators) while type-checking WHERE."""
    for n in ast.walk(where):
        if isinstance(n, ast.Comparison) and n.op in ("=", "<>", "<", "<=", ">", ">="):
            left_null, right_null = isinstance(n.left, ast.NullLiteral), isinstance(n.right, ast.NullLiteral)
            if left_null != right_null:
                other = c.type_of(n.right if left_null else n.left)
                sides = ("NULL", str(other)) if left_null else (str(other), "NULL")
                raise CompileError(
                    f"Comparison with NULL not supported: {sides[0]} {n.op} {sides[1]}\n"
                    "Use 'IS NULL' or 'IS NOT NULL' instead."
                )


def _resolver(registry: FunctionRegistry) -> Callable[[ast.Expression, SqlType], Any]:
    """Evaluates a column-free expression (a key value in WHERE) once, at planning time."""

    def resolve(e: ast.Expression, t: SqlType) -> Any:
        if isinstance(e, ast.Literal) and not isinstance(e, ast.StringLiteral | ast.NullLiteral):
            return e.value  # type: ignore[attr-defined]
        if isinstance(e, ast.StringLiteral):
            return e.value
        try:
            c = Compiler(Scope([]), registry, "WHERE")
            fn = c.function(c.expr(e)[0], "_pull_key")
            return fn([])
        except CompileError as err:
            raise PullWhereError(err.message, sql(e)) from None

    return resolve
