"""The vectorised call path of a compiled projection.

The compiler turns each call of a `batch=True` function in a SELECT into a read of a slot
(`_bget(row[-1][i])`) and records the call's argument function here. Before the projection runs over
a micro-batch, `BatchCalls.fill(rows)` evaluates each call's arguments for every row, calls the
function once for the batch, and appends the results to each row as one list (calls nested in the
arguments of later calls are already filled, since the compiler records inner calls first).

Calls of deterministic plugin functions whose arguments are all literals are recorded as constants: `fill`
evaluates each once for the micro-batch (before the batch calls, whose arguments may read them) into
`values`, which the compiled projection reads; a constant whose call fails holds `Failed`, so every row
that reads it fails as a per-row call would have.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from typing import Any

from ksqlserver.drivers.base import Record
from ksqlserver.extensions.columns import ArgumentColumns
from ksqlserver.extensions.invoke import Failed, expand
from ksqlserver.sql import ast

ArgsFn = Callable[[list[Any]], tuple[Any, ...]]
RowsFn = Callable[[Sequence[list[Any]]], list[tuple[Any, ...]]]
ConstFn = Callable[[Any], Any]  # the folded call (its argument is unused)
BatchFn = Callable[[Sequence[tuple[Any, ...]]], list[Any]]


class BatchCalls:
    def __init__(self) -> None:
        self.calls: list[tuple[ArgsFn, BatchFn]] = []
        self._slots: dict[object, int] = {}
        self._rows_fns: list[RowsFn | None] = []
        self.constants: list[ConstFn] = []
        self.values: list[Any] = []  # the constants' values for the current micro-batch
        self._const_slots: dict[object, int] = {}

    def add(
        self, args_fn: ArgsFn, batch_fn: BatchFn, key: object = None, rows_fn: RowsFn | None = None
    ) -> int:
        """A new call site; `key` (function, argument code) lets identical calls share the slot.
        `rows_fn`, when the arguments cannot fail (plain columns and literals), builds every row's
        argument tuple at once instead of `args_fn` row by row."""
        self.calls.append((args_fn, batch_fn))
        self._rows_fns.append(rows_fn)
        if key is not None:
            self._slots[key] = len(self.calls) - 1
        return len(self.calls) - 1

    def find(self, key: object) -> int | None:
        return self._slots.get(key)

    def constant(self, fn: ConstFn, key: object) -> int:
        """The slot in `values` of a folded call (identical calls share one)."""
        slot = self._const_slots.get(key)
        if slot is None:
            self.constants.append(fn)
            self.values.append(None)
            slot = self._const_slots[key] = len(self.constants) - 1
        return slot

    def __bool__(self) -> bool:
        return bool(self.calls or self.constants)

    def fill(self, rows: Sequence[list[Any]]) -> None:
        """Evaluate the constants, then append one list of call results to each row (a row whose
        arguments fail gets `Failed`)."""
        if self.constants:
            self.values[:] = [_fold(fn) for fn in self.constants]
        if not self.calls:
            return
        slots = [[None] * len(self.calls) for _ in rows]
        for row, s in zip(rows, slots, strict=True):
            row.append(s)
        for i, (args_fn, batch_fn) in enumerate(self.calls):
            rows_fn = self._rows_fns[i]
            if rows_fn is not None:
                for s, v in zip(slots, batch_fn(rows_fn(rows)), strict=True):
                    s[i] = v
                continue
            args: list[tuple[Any, ...]] = []
            where: list[int] = []
            for j, row in enumerate(rows):
                try:
                    args.append(args_fn(row))
                    where.append(j)
                except Exception as e:
                    slots[j][i] = Failed(e)
            if not args:
                continue
            for j, v in zip(where, batch_fn(args), strict=True):
                slots[j][i] = v


def _fold(fn: ConstFn) -> Any:
    try:
        return fn(None)
    except Exception as e:
        return Failed(e)


def column_rows(columns: Sequence[int], prefix: tuple[Any, ...] = (), columnar: bool = False) -> RowsFn:
    """Argument tuples of plain column reads (after literal arguments `prefix`), built by
    `operator.itemgetter` in C rather than by a generated function per row; for a columnar function
    (`columnar`) not built at all: the rows go to it as an ArgumentColumns over the same columns."""
    if columnar:
        return lambda rows: ArgumentColumns(rows, columns, prefix)  # type: ignore[return-value,arg-type]
    get = operator.itemgetter(*columns)
    if len(columns) == 1:
        return lambda rows: [(*prefix, v) for v in map(get, rows)]
    if prefix:
        return lambda rows: [prefix + t for t in map(get, rows)]
    return lambda rows: list(map(get, rows))


Evaluated = tuple[list[Any], bool, Any]  # (row, value_is_null, projected values | None)


def table_positions(projections: Sequence[Any], registry: Any) -> list[int]:
    """Columns of a SELECT with table-function calls (one output row per element)."""
    out = []
    for i, p in enumerate(projections):
        if any(
            isinstance(n, ast.FunctionCall) and getattr(registry.get(n.name), "kind", "") == "TABLE"
            for n in ast.walk(p.expression)
        ):
            out.append(i)
    return out


def defer_failures(
    tables: Sequence[int], log: Callable[[int, Exception], None], failed: list[tuple[int, Exception]]
) -> Callable[[int, Exception], None]:
    """The column-error handler of a projection with table functions: a table-function column's own failure
    (the function threw or returned null, a parameter failed) is logged now, once for the input row, as
    TableFunctionApplier logs it during the flat-map; any other column's failure waits in `failed` for
    `expand` to log it per output row (the select step after the flat-map)."""
    positions = frozenset(tables)

    def handle(i: int, e: Exception) -> None:
        if i in positions:
            log(i, e)
        else:
            failed.append((i, e))

    return handle


def evaluate_batch(
    records: Sequence[Record],
    evaluate: Callable[[Record, bool], tuple[list[Any], bool, Any] | None],
    project: Callable[[list[Any], Callable[[int, Exception], None]], list[Any]],
    batch: BatchCalls | None,
    tables: Sequence[int],
) -> list[tuple[Record, Evaluated]]:
    """(record, (row, value_is_null, projected)) for each record that passes, in order: the batch
    functions called once for the micro-batch, table-function columns expanded to one result each.
    `evaluate(rec, True)` returns the row and its column-error handler before the projection."""
    staged = [(rec, r) for rec in records if (r := evaluate(rec, True)) is not None]
    if batch:
        batch.fill([r[0] for _, r in staged if not r[1]])
    out: list[tuple[Record, Evaluated]] = []
    for rec, (row, is_null, col_error) in staged:
        if is_null:
            if not tables:  # KudtfFlatMapper.transform: a null value flat-maps to nothing
                out.append((rec, (row, True, None)))
            continue
        if tables:  # the other columns' failures are logged per output row (see `expand`)
            failed: list[tuple[int, Exception]] = []
            vals = project(row, defer_failures(tables, col_error, failed))
            out.extend((rec, (row, False, v)) for v in expand(vals, tables, col_error, failed))
        else:
            out.append((rec, (row, False, project(row, col_error))))
    return out
