"""Join operators with Kafka Streams' (3.x, as in ksqlDB 0.29) emission rules.

Each operator takes one input event `(side, key, row, ts)` (side 0 = left, 1 = right; `row` None is a
table tombstone) and returns the events it emits as `(key, joined_row_or_None, ts)`. State lives in plain
`runtime.state` key-value stores (keys are 1-tuples of the join key), opened by ksqlDB's store names, so
a changelog-backed backend holds join state too. Values put in a store are never mutated afterwards.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ksqlserver.runtime.operators.windows import DEFAULT_GRACE_MS  # also Kafka Streams' JoinWindows.of grace
from ksqlserver.runtime.state.base import KeyValueStore

OpenStore = Callable[[str], KeyValueStore]  # store name -> the query's store

Event = tuple[Any, list[Any] | None, int]
Row = list[Any]


def _hashable(key: Any) -> Any:
    """Join keys can be ARRAY or STRUCT values: state is keyed by a hashable image of them."""
    if isinstance(key, list):
        return tuple(_hashable(v) for v in key)
    if isinstance(key, dict):
        return tuple((k, _hashable(v)) for k, v in key.items())
    return key


class StreamTableJoin:
    """Each stream record looks the table row up by key; table updates only change the state."""

    def __init__(self, kind: str, right_width: int, open_store: OpenStore) -> None:
        self.inner = kind == "INNER"
        self.nulls = [None] * right_width
        self.table = open_store("KafkaTopic_Right-Reduce")

    def process(self, side: int, key: Any, row: Row | None, ts: int) -> list[Event]:
        if side == 1:
            if row is None:
                self.table.delete((_hashable(key),))
            elif key is not None:
                self.table.put((_hashable(key),), row)
            return []
        assert row is not None
        match = self.table.get((_hashable(key),)) if key is not None else None
        if match is None:
            if self.inner:
                return []
            match = self.nulls
        return [(key, row + match, ts)]


class StreamStreamJoin:
    """A windowed join of two streams (KStreamKStreamJoin).

    Without GRACE PERIOD a left/outer side emits its unmatched record at once (the "spurious" results of
    JoinWindows.of); with GRACE PERIOD it is held in an outer store and emitted, in timestamp order, once
    stream time passes its window end plus the grace period, unless a match arrives first.
    """

    def __init__(
        self,
        kind: str,
        before_ms: int,
        after_ms: int,
        grace_ms: int | None,
        widths: tuple[int, int],
        open_store: OpenStore,
    ) -> None:
        self.outer_side = (kind in ("LEFT", "FULL"), kind in ("RIGHT", "FULL"))
        self.before, self.after = before_ms, after_ms
        self.grace = DEFAULT_GRACE_MS if grace_ms is None else grace_ms
        self.retention = before_ms + after_ms + self.grace
        self.nulls = ([None] * widths[0], [None] * widths[1])
        # per side: join key -> [(ts, row), ...] (the records of the window store, in arrival order)
        self.stores = (open_store("KSTREAM-JOINTHIS-store"), open_store("KSTREAM-JOINOTHER-store"))
        self.store_time = [-1, -1]
        self.stream_time = -1
        # (ts, side, key) -> (key, row): held unmatched records (GRACE PERIOD given)
        self.held = open_store("KSTREAM-OUTERSHARED-store") if grace_ms is not None else None

    def _joined(self, side: int, row: Row, other: Row) -> Row:
        return row + other if side == 0 else other + row

    def _emit_closed(self) -> list[Event]:
        assert self.held is not None
        out: list[Event] = []
        for hk, (key, row) in sorted(self.held.items(), key=lambda kv: (kv[0][0], -kv[0][1], repr(kv[0][2]))):
            ts, side, _ = hk
            lookback = self.after if side == 0 else self.before
            if ts + lookback + self.grace >= self.stream_time:
                continue
            self.held.delete(hk)
            out.append((key, self._joined(side, row, self.nulls[1 - side]), ts))
        return out

    def process(self, side: int, key: Any, row: Row | None, ts: int) -> list[Event]:
        if key is None or row is None:
            return []
        hkey = _hashable(key)
        # the side's window store (KStreamJoinWindow) keeps what is within its retention
        self.store_time[side] = max(self.store_time[side], ts)
        if ts >= self.store_time[side] - self.retention:
            bucket = [*(self.stores[side].get((hkey,)) or ()), (ts, row)]
            if len(bucket) > 64:
                floor = self.store_time[side] - self.retention
                bucket = [e for e in bucket if e[0] >= floor]
            self.stores[side].put((hkey,), bucket)
        if side == 0:
            lo, hi = max(0, ts - self.before), max(0, ts + self.after)
        else:
            lo, hi = max(0, ts - self.after), max(0, ts + self.before)
        self.stream_time = max(self.stream_time, ts)
        out: list[Event] = []
        if self.held is not None and ts == self.stream_time:
            out += self._emit_closed()
        other_floor = self.store_time[1 - side] - self.retention
        matches = sorted(
            (e for e in self.stores[1 - side].get((hkey,)) or () if lo <= e[0] <= hi and e[0] >= other_floor),
            key=lambda e: e[0],
        )
        for t, other in matches:
            out.append((key, self._joined(side, row, other), max(ts, t)))
            if self.held is not None:
                self.held.delete((t, 1 - side, hkey))
        if not matches and self.outer_side[side]:
            if self.held is None or hi < self.stream_time:
                out.append((key, self._joined(side, row, self.nulls[1 - side]), ts))
            else:
                self.held.put((ts, side, hkey), (key, row))
        return out


class TableTableJoin:
    """A join of two tables on the primary key (KTableKTable{Inner,Left,Outer}Join, no old values)."""

    def __init__(self, kind: str, widths: tuple[int, int], open_store: OpenStore) -> None:
        self.keeps = (kind in ("LEFT", "FULL"), kind in ("RIGHT", "FULL"))  # side whose rows survive alone
        self.nulls = ([None] * widths[0], [None] * widths[1])
        # per side: key -> (row, ts)
        self.state = (open_store("KafkaTopic_Left-Reduce"), open_store("KafkaTopic_Right-Reduce"))

    def process(self, side: int, key: Any, row: Row | None, ts: int) -> list[Event]:
        if key is None:
            return []
        skey = (_hashable(key),)
        if row is None:
            self.state[side].delete(skey)
        else:
            self.state[side].put(skey, (row, ts))
        other = self.state[1 - side].get(skey)
        if other is None:
            if row is None or not self.keeps[side]:
                return []
            return [(key, self._joined(side, row, self.nulls[1 - side]), ts)]
        o_row, o_ts = other
        out_ts = max(ts, o_ts)
        if row is not None:
            return [(key, self._joined(side, row, o_row), out_ts)]
        if self.keeps[1 - side]:
            return [(key, self._joined(side, self.nulls[side], o_row), out_ts)]
        return [(key, None, out_ts)]

    @staticmethod
    def _joined(side: int, row: Row, other: Row) -> Row:
        return row + other if side == 0 else other + row


class ForeignKeyJoin:
    """A table-table join from a left value column to the right table's key; results keyed by the left key."""

    def __init__(self, kind: str, right_width: int, fk_of: Any, open_store: OpenStore) -> None:
        self.left_join = kind == "LEFT"
        self.nulls = [None] * right_width
        self.fk_of = fk_of  # left row -> foreign key
        self.left = open_store("KafkaTopic_Left-Reduce")  # left key -> (key, row, foreign key)
        self.right = open_store("KafkaTopic_Right-Reduce")  # right key -> row
        # foreign key -> left keys referring to it: an index rebuilt from `left` (not state of its own)
        self.by_fk: dict[Any, set[Any]] = {}
        for (lk,), (_, _, fk) in self.left.items():
            self.by_fk.setdefault(fk, set()).add(lk)

    def _result(self, key: Any, row: Row, fk: Any, ts: int) -> Event:
        match = self.right.get((fk,)) if fk is not None else None
        if match is None:
            return (key, row + self.nulls, ts) if self.left_join else (key, None, ts)
        return (key, row + match, ts)

    def process(self, side: int, key: Any, row: Row | None, ts: int) -> list[Event]:
        if key is None:
            return []
        hkey = _hashable(key)
        if side == 1:
            if row is None:
                self.right.delete((hkey,))
            else:
                self.right.put((hkey,), row)
            lefts = [self.left.get((lk,)) for lk in self.by_fk.get(hkey, ())]
            return [self._result(k, r, fk, ts) for k, r, fk in (e for e in lefts if e is not None)]
        old = self.left.get((hkey,))
        if old is not None:
            self.left.delete((hkey,))
            self.by_fk.get(old[2], set()).discard(hkey)
        if row is None:
            return [] if old is None else [(key, None, ts)]
        fk = _hashable(self.fk_of(row))
        self.left.put((hkey,), (key, row, fk))
        self.by_fk.setdefault(fk, set()).add(hkey)
        return [self._result(key, row, fk, ts)]
