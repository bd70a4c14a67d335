"""Pull queries on materialised aggregate tables: rows read from the aggregate's state store.

The table row a pull query sees is the sink's: key columns, WINDOWSTART and WINDOWEND (windowed tables),
value columns, then ROWTIME. WHERE (key lookups, ranges, window bounds) and the projection are compiled
once over that row and applied to a snapshot of the store; the result ends by itself.
"""

from __future__ import annotations

import queue
import threading
from typing import Any

from ksqlserver.catalog.metastore import DataSource
from ksqlserver.catalog.types import BIGINT, KEY
from ksqlserver.compile.compiler import Compiler
from ksqlserver.compile.scope import Scope, ScopeColumn
from ksqlserver.errors import CompileError, KsqlStatementError
from ksqlserver.functions import FunctionRegistry
from ksqlserver.runtime.operators.materialization import Materialization
from ksqlserver.runtime.pipeline import json_ready
from ksqlserver.sql import ast


class PullResult:
    """What `engine.PushQuery` wraps: the rows of a finished pull query, their columns and the response
    header's schema text."""

    is_pull = True

    def __init__(self, query_id: str, columns: list[tuple[str, Any]], rows: list[list[Any]], schema: str):
        self.query_id = query_id
        self.schema: str | None = schema
        self.columns = columns
        self.rows: queue.Queue[list[Any]] = queue.Queue()
        for r in rows:
            self.rows.put(r)
        self.finished = threading.Event()
        self.finished.set()
        self.processed = len(rows)
        self.state = "RUNNING"

    def stop(self) -> None:
        self.state = "TERMINATED"

    def drain(self) -> int:
        return 0


def run_pull(
    q: ast.Query,
    table: DataSource,
    materialization: Materialization,
    registry: FunctionRegistry,
    query_id: str,
) -> PullResult:
    for present, clause in (
        (q.joins, "JOIN"),
        (q.window is not None, "WINDOW"),
        (q.group_by, "GROUP BY"),
        (q.partition_by, "PARTITION BY"),
    ):
        if present:  # ksqlDB names the first unsupported clause
            raise KsqlStatementError(f"Pull queries don't support {clause} clauses.")
    windowed = materialization.window is not None
    keys = list(table.schema.key)
    values = [c for c in table.schema.columns if c.namespace != KEY]
    cols: list[tuple[str, Any, bool]] = [(c.name, c.type, True) for c in keys]
    if windowed:
        cols += [("WINDOWSTART", BIGINT, True), ("WINDOWEND", BIGINT, True)]
    cols += [(c.name, c.type, False) for c in values]
    scope_cols = [ScopeColumn(n, t, i, q.from_.effective_alias) for i, (n, t, _) in enumerate(cols)]
    scope_cols.append(ScopeColumn("ROWTIME", BIGINT, len(cols), q.from_.effective_alias))
    scope = Scope(scope_cols)
    try:
        where_fn = None
        if q.where is not None:
            c = Compiler(scope, registry, "WHERE")
            where_fn = c.function(c.expr(q.where)[0], "_pull_where")
        items: list[tuple[str, ast.Expression]] = []
        for el in q.select:
            if isinstance(el, ast.AllColumns):
                items += [(n, ast.ColumnRef(n)) for n, _, _ in cols]
            elif isinstance(el, ast.SelectItem):
                name = el.alias or (el.expression.name if isinstance(el.expression, ast.ColumnRef) else None)
                items.append((name or f"KSQL_COL_{len(items)}", el.expression))
            else:
                raise KsqlStatementError("Struct expansion is not supported in pull queries by this server")
        c = Compiler(scope, registry, "SELECT")
        compiled = [c.expr(e) for _, e in items]
        project = c.projection([code for code, _ in compiled], "_pull_project")
    except CompileError as e:
        raise KsqlStatementError(e.message) from None
    key_pos = materialization.key_positions
    val_pos = materialization.value_positions
    readies = [json_ready(t) for _, t in compiled]
    rows = []
    for skey, state in materialization.store.items():
        projected = materialization.row(skey, state)
        if projected is None:
            continue
        row = [projected[i] for i in key_pos]
        if windowed:
            row += [skey[-2], skey[-1]]
        row += [projected[i] for i in val_pos]
        row.append(state[1])
        if where_fn is not None and where_fn(row) is not True:
            continue
        out = project(row, lambda i, e: None)
        rows.append([f(v) for f, v in zip(readies, out, strict=True)])
    key_names = {n for n, _, k in cols if k}
    schema = ", ".join(
        f"`{n}` {t}" + (" KEY" if isinstance(e, ast.ColumnRef) and e.name in key_names else "")
        for (n, e), (_, t) in zip(items, compiled, strict=True)
    )
    return PullResult(
        query_id, [(n, t) for (n, _), (_, t) in zip(items, compiled, strict=True)], rows, schema
    )
