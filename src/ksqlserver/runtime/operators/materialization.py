"""How a pull query reads an aggregate's state: the store, the row each entry shows, and its layout."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ksqlserver.runtime.operators.windows import WindowSpec
from ksqlserver.runtime.state.base import KeyValueStore


class Materialization:
    """An aggregate's state as a table.

    `row(store key, state)` is the projected output row of an entry (None when HAVING rejects it);
    `key_positions` are the projection indexes of the key columns in the table's key order,
    `value_positions` those of its value columns."""

    def __init__(
        self,
        store: KeyValueStore,
        row: Callable[[tuple[Any, ...], list[Any]], list[Any] | None],
        window: WindowSpec | None,
        key_positions: list[int],
        value_positions: list[int],
        time_ordered: bool = False,
    ) -> None:
        self.store = store
        # EMIT FINAL's window store is Kafka Streams' time-ordered one (KIP-825, onWindowClose): scanned by
        # window start, then key, rather than by key within each segment
        self.time_ordered = time_ordered
        self.row = row
        self.window = window
        self.key_positions = key_positions
        self.value_positions = value_positions
