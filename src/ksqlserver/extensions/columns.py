"""The columnar form of a batch function's micro-batch (`@udf(..., batch=True, columnar=True)`).

Where every argument of a batch call is a literal or a plain column read, the engine already holds the
arguments: they are columns of its decoded rows. A function that declares `columnar=True` (and
`null_in_null_out=False`) gets them as an `ArgumentColumns` instead of a list of argument tuples: a
read-only sequence of those same tuples, built only when asked for, plus column-wise readers
(`literal`, `values`, `column`) that go straight from the engine's rows to, say, one `numpy.fromiter`,
with no tuple kept per row. It stays a `Sequence[tuple]`, so code written for the row API works on it
unchanged; calls the engine makes one row at a time (outside a projection, and the retry of a failed
batch row by row) still pass plain lists of tuples.
"""

from __future__ import annotations

import operator
from collections.abc import Iterator, Sequence
from itertools import chain
from typing import Any, overload


class ArgumentColumns(Sequence[tuple[Any, ...]]):
    """The argument tuples of a micro-batch (`prefix` literals, then `columns` of each of `rows`)."""

    __slots__ = ("_columns", "_get", "_prefix", "_rows")

    def __init__(self, rows: Sequence[Sequence[Any]], columns: Sequence[int], prefix: tuple[Any, ...] = ()) -> None:
        if not columns:
            raise ValueError("ArgumentColumns needs at least one column argument")
        self._rows = rows
        self._columns = tuple(columns)
        self._prefix = prefix
        self._get = operator.itemgetter(*self._columns)

    @property
    def width(self) -> int:
        """How many arguments each call has."""
        return len(self._prefix) + len(self._columns)

    def is_literal(self, arg: int) -> bool:
        """Whether argument `arg` is a literal (the same value in every row)."""
        return 0 <= arg < len(self._prefix)

    def literal(self, arg: int) -> Any:
        """The value of literal argument `arg` (see `is_literal`)."""
        if not self.is_literal(arg):
            raise IndexError(f"argument {arg} is not a literal")
        return self._prefix[arg]

    def values(self, start: int = 0, stop: int | None = None) -> Iterator[Any]:
        """The values of arguments `start` .. `stop - 1` row after row (row-major), e.g. for
        `numpy.fromiter(..., count=len(batch) * (stop - start))`; literal arguments are repeated."""
        stop = self.width if stop is None else stop
        if not 0 <= start <= stop <= self.width:
            raise IndexError(f"arguments {start}..{stop} of {self.width}")
        p = len(self._prefix)
        literals = self._prefix[start:min(stop, p)]
        cols = self._columns[max(start - p, 0):max(stop - p, 0)]
        if not cols:
            return chain.from_iterable(literals for _ in self._rows)
        get = operator.itemgetter(*cols)
        if literals:
            if len(cols) == 1:
                return chain.from_iterable((*literals, v) for v in map(get, self._rows))
            return chain.from_iterable(literals + t for t in map(get, self._rows))
        if len(cols) == 1:
            return map(get, self._rows)
        return chain.from_iterable(map(get, self._rows))

    def column(self, arg: int) -> list[Any]:
        """Argument `arg`'s value in each row."""
        if self.is_literal(arg):
            return [self._prefix[arg]] * len(self._rows)
        if not 0 <= arg < self.width:
            raise IndexError(f"argument {arg} of {self.width}")
        return list(map(operator.itemgetter(self._columns[arg - len(self._prefix)]), self._rows))

    def tuples(self) -> list[tuple[Any, ...]]:
        """Every row's argument tuple (what the row API would have been handed)."""
        get, prefix = self._get, self._prefix
        if len(self._columns) == 1:
            return [(*prefix, v) for v in map(get, self._rows)]
        if prefix:
            return [prefix + t for t in map(get, self._rows)]
        return list(map(get, self._rows))

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, i: int) -> tuple[Any, ...]: ...

    @overload
    def __getitem__(self, i: slice) -> list[tuple[Any, ...]]: ...

    def __getitem__(self, i: int | slice) -> tuple[Any, ...] | list[tuple[Any, ...]]:
        if isinstance(i, slice):
            return ArgumentColumns(self._rows[i], self._columns, self._prefix).tuples()
        got = self._get(self._rows[i])
        return (*self._prefix, got) if len(self._columns) == 1 else self._prefix + got

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return iter(self.tuples())

    def __repr__(self) -> str:
        return f"ArgumentColumns({len(self)} rows, {self.width} arguments)"
