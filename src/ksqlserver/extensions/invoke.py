"""Callables the compiled query holds for plugin functions: per-row calls and the batched call.

`ScalarCall(*args)` is the per-record path. For `batch=True` functions it also has `ksql_batch(rows)`:
the compiled projection evaluates the argument tuples of a whole micro-batch, calls this once, and
scatters the results back. Both paths give the same values: a null argument gives null (when the
function is null-in-null-out), and a batch that raises is retried row by row so only the failing
rows become null, exactly as per-record calls would.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from ksqlserver.extensions.columns import ArgumentColumns

log = logging.getLogger("ksqlserver.extensions")


class ScalarCall:
    """A per-row call of a plugin function (`batch` says whether `fn` takes a list of tuples)."""

    def __init__(
        self,
        name: str,
        fn: Callable[..., Any],
        batch: bool,
        null_in_null_out: bool,
        deterministic: bool = False,
        columnar: bool = False,
    ) -> None:
        self.name = name
        self.fn = fn
        self.batch = batch
        self.nino = null_in_null_out
        # the compiler folds calls with literal arguments of a deterministic function (one call per batch)
        self.ksql_deterministic = deterministic
        if batch:
            self.ksql_batch = self._batch
            # the compiler hands `_batch` an ArgumentColumns where it can (extensions/columns.py); a
            # null-in-null-out function's nulls are looked for row by row, so it gets the tuples
            self.ksql_columnar = columnar and not null_in_null_out

    def __call__(self, *args: Any) -> Any:
        if self.nino and None in args:
            return None
        if self.batch:
            out = self.fn([args])
            if len(out) != 1:
                raise ValueError(f"{self.name} returned {len(out)} results for 1 row")
            return _plain(out[0])
        return self.fn(*args)

    def _batch(self, rows: Sequence[tuple[Any, ...]]) -> list[Any]:
        """One result per argument tuple (None for null arguments and for rows whose call fails). `rows`
        may be an ArgumentColumns (a columnar function): handed on as it is, and read as tuples only
        when the batch fails and is retried row by row."""
        n = len(rows)
        if self.nino:
            live = [i for i in range(n) if None not in rows[i]]
            args = rows if len(live) == n else [rows[i] for i in live]
        else:
            live = list(range(n))
            args = rows
        out: list[Any] = [None] * n
        if not live:
            return out
        try:
            results = self.fn(args if type(args) is ArgumentColumns else list(args))
            if len(results) != len(live):
                raise ValueError(f"{self.name} returned {len(results)} results for {len(live)} rows")
            values = results.tolist() if hasattr(results, "tolist") else _plain_all(results)
        except Exception as e:  # find the failing rows: each becomes null, the others keep their value
            log.debug("batch call of %s failed (%s); calling row by row", self.name, e)
            values = []
            for a in args:
                try:
                    values.append(_plain(self.fn([a])[0]))
                except Exception:
                    values.append(None)
        if len(live) == n:
            return list(values)
        for i, v in zip(live, values, strict=True):
            out[i] = v
        return out


# result types `_plain` returns unchanged (bool is an int; numpy's float64 is a float subclass, so the
# check is on exact types)
_PLAIN = frozenset({float, int, bool, str, type(None)})


def _plain_all(results: Sequence[Any]) -> list[Any]:
    """`_plain` of each result; a batch of plain Python values (the usual case: `ndarray.tolist()` in the
    function) is copied as it is, its types checked by one C-level pass rather than a call per value."""
    if _PLAIN.issuperset(map(type, results)):
        return list(results)
    return [_plain(v) for v in results]


def _plain(v: Any) -> Any:
    """numpy scalars as Python values (the serialisers expect float, int, bool, str)."""
    return v.item() if hasattr(v, "item") and not isinstance(v, (list, dict, str, bytes)) else v


class TableCall:
    """A per-row call of a table function: a list of values (empty for a null argument)."""

    def __init__(self, name: str, fn: Callable[..., Any], null_in_null_out: bool) -> None:
        self.name = name
        self.fn = fn
        self.nino = null_in_null_out

    def __call__(self, *args: Any) -> list[Any]:
        if self.nino and None in args:
            return []
        # TableFunctionApplier.apply: a failure or a null result is logged with its own message and gives
        # no elements (the column's expression fails, which leaves the row's list empty)
        try:
            out = self.fn(*args)
        except Exception as e:
            raise TableFunctionFailure(f"Table function {self.name} threw an exception", e) from e
        if out is None:
            raise TableFunctionFailure(
                f"Table function {self.name} returned null. This is invalid. Table functions should always "
                "return a valid list.",
                None,
            )
        return list(out)


class TableFunctionFailure(Exception):
    """A table function that raised or returned null: the processing log gets `processing_message` (and the
    function's own error as the cause), not the column's message."""

    def __init__(self, message: str, cause: Exception | None) -> None:
        super().__init__(message)
        self.processing_message = message
        self.cause = cause


class Failed:
    """An argument tuple whose evaluation raised: `value_of` re-raises it inside the projection, so the
    column becomes null and the error is reported for that record, as on the per-record path."""

    __slots__ = ("error",)

    def __init__(self, error: Exception) -> None:
        self.error = error


def value_of(v: Any) -> Any:
    if type(v) is Failed:
        raise v.error
    return v


class Elements:
    """A column whose expression holds table-function calls: their lists for one input row, and the
    expression per output row (`fn` of the lists' elements there, null past a list's end), evaluated
    once `expand` knows how many rows the whole SELECT gives. A failing element is null."""

    __slots__ = ("fn", "lists")

    def __init__(self, fn: Callable[..., Any], lists: Sequence[Sequence[Any] | None]) -> None:
        self.fn = fn
        self.lists = [x or () for x in lists]

    def __len__(self) -> int:
        return max((len(x) for x in self.lists), default=0)

    def __getitem__(self, i: int) -> Any:
        return self.at(i)

    def at(self, i: int, on_error: Callable[[Exception], None] | None = None) -> Any:
        """The expression for output row `i`; a failure is null, reported to `on_error`."""
        try:
            return self.fn(*(x[i] if i < len(x) else None for x in self.lists))
        except Exception as e:
            if on_error is not None:
                on_error(e)
            return None


def expand(
    vals: list[Any],
    positions: Sequence[int],
    on_error: Callable[[int, Exception], None] | None = None,
    failed: Sequence[tuple[int, Exception]] = (),
) -> list[list[Any]]:
    """ksqlDB's table-function output: one row per element, as many as the longest list of any table
    function of the SELECT; shorter lists give nulls; other columns repeat. No elements, no rows.

    In ksqlDB the select step runs after the flat-map, once per output row: a failing column is logged
    for every output row, row after row, column after column (SelectValueMapper). So `on_error(position,
    exception)` hears a column computed over the elements as it fails for each row, and the failures of
    the other columns (`failed`, computed once here) again for each row, in column order."""
    lists = [vals[p] or [] for p in positions]
    n = max((len(x) for x in lists), default=0)
    by_column = dict(zip(positions, lists, strict=True))
    order = sorted(set(positions) | {i for i, _ in failed}) if on_error is not None else list(positions)
    rows = []
    for i in range(n):
        row = list(vals)
        for p in order:
            items = by_column.get(p)
            if items is None:
                for j, e in failed:
                    if j == p and on_error is not None:
                        on_error(p, e)
            elif type(items) is Elements:
                row[p] = items.at(i, None if on_error is None else lambda e, _p=p: on_error(_p, e))
            else:
                row[p] = items[i] if i < len(items) else None
        rows.append(row)
    return rows
