"""A table kept from its topic for pull queries: the latest row of every key (tombstones delete).

ksqlDB 0.29 materialises a `CREATE SOURCE TABLE` and every table a persistent query writes (CTAS: a
projection or filter of a table, a table-table join) in a state store. Here the table's topic is that
changelog: `catch_up()` reads what was appended since the last call, up to the topic's end at that moment,
so a pull query sees every row written before it started. Windowed tables keep one row per key and window.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

from ksqlserver.catalog.metastore import DataSource
from ksqlserver.drivers.base import Record, TopicDriver, TopicTail
from ksqlserver.runtime.pipeline import ErrorHandler, row_reader


def hashable(v: Any) -> Any:
    """ARRAY, MAP and STRUCT key values as hashable images (equal values, equal images)."""
    if isinstance(v, list | tuple):
        return tuple(hashable(x) for x in v)
    if isinstance(v, dict):
        return tuple(sorted((k, hashable(x)) for k, x in v.items()))
    return v


class TopicTable:
    """Table rows [key columns, (WINDOWSTART, WINDOWEND), value columns, ROWTIME] by key."""

    def __init__(self, table: DataSource, driver: TopicDriver, on_error: ErrorHandler) -> None:
        self.table = table
        self.windowed = table.window is not None
        self._tail: TopicTail = driver.tail(table.topic)
        self._read = row_reader(table, on_error)
        self._n_key = len(table.schema.key)
        self._n_cols = len(table.schema.columns)
        self._width = table.row_width  # a longer row carries the null-value marker
        self._rows: dict[Any, list[Any]] = {}
        self._lock = threading.Lock()

    def _apply(self, records: list[Record]) -> None:
        rows = self._rows
        n_key, n_cols, width = self._n_key, self._n_cols, self._width
        for rec in records:
            row = self._read(rec)  # a windowed key's bounds follow ROWTIME, ROWPARTITION, ROWOFFSET
            if row is None:
                continue
            key = row[:n_key]
            hkey = tuple(hashable(v) for v in key)
            window = row[n_cols + 3 : n_cols + 5] if self.windowed else None
            if window is not None:
                hkey = (*hkey, *window)
            if len(row) > width:  # a tombstone
                rows.pop(hkey, None)
                continue
            out = key + (window if window is not None else []) + row[n_key:n_cols]
            out.append(row[n_cols])  # ROWTIME
            rows.pop(hkey, None)  # re-inserted last: scans show keys in the order they last changed
            rows[hkey] = out

    def catch_up(self) -> None:
        with self._lock:
            while True:
                records = self._tail.read(0.0)
                if not records:
                    return
                self._apply(records)

    def rows(self) -> Iterator[list[Any]]:
        return iter(list(self._rows.values()))

    def lookup(self, key: tuple[Any, ...]) -> Iterator[list[Any]]:
        hkey = tuple(hashable(v) for v in key)
        if not self.windowed:
            row = self._rows.get(hkey)
            return iter(() if row is None else (row,))
        n = len(hkey)
        return (r for k, r in list(self._rows.items()) if k[:n] == hkey)

    def __len__(self) -> int:
        return len(self._rows)

    def close(self) -> None:
        self._tail.close()
