"""Join operators with Kafka Streams' (3.4, as in ksqlDB 0.29) emission rules.

Each operator takes one input event `(side, key, row, ts)` (side 0 = left, 1 = right; `row` None is a
table tombstone) and returns the events it emits as `(key, joined_row_or_None, ts)`. State lives in plain
`runtime.state` key-value stores (keys are 1-tuples of the hashable join key), opened by ksqlDB's store
names, so a changelog-backed backend holds join state too. Values put in a store are never mutated
afterwards. Null join keys never join (Kafka Streams drops such records).

- `StreamTableJoin` (KStreamKTableJoin): stream records look the table up; table updates only change it.
- `StreamStreamJoin` (KStreamKStreamJoin): windowed; each side's records kept in a segmented window store
  for before + after + grace; with GRACE PERIOD the unmatched records of an outer side wait in the shared
  outer store and are emitted once stream time passes their window plus grace (the "spurious results
  fix"), at most once per emit interval of wall-clock time; without it they are emitted at once.
- `TableTableJoin` (KTableKTable{Inner,Left,Outer}Join): primary-key joins with old-value rules.
- `ForeignKeyJoin` (KTable.join(other, foreignKeyExtractor)): subscriptions by foreign key and the
  responses' instructions, so a left update, a foreign-key change and a right update each emit what the
  subscription/response protocol emits.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ksqlserver.runtime import record_cache
from ksqlserver.runtime.operators.windows import DEFAULT_GRACE_MS, segment_interval
from ksqlserver.runtime.state.base import KeyValueStore

OpenStore = Callable[[str], KeyValueStore]  # store name -> the query's store
Clock = Callable[[], int]  # wall-clock milliseconds

Event = tuple[Any, list[Any] | None, int]
Row = list[Any]
# ForeignKeyJoin.left_rows: (tag, key, stored left row, ts, foreign key, key order) in,
# (tag, key, stored left row or None, right row or None, ts) out
LeftRow = tuple[Any, Any, Any, int, Any, Any]
LeftResult = tuple[Any, Any, Any, Row | None, int]


def hashable(key: Any) -> Any:
    """Join keys can be ARRAY or STRUCT values: state is keyed by a hashable image of them."""
    if isinstance(key, list):
        return tuple(hashable(v) for v in key)
    if isinstance(key, dict):
        return tuple((k, hashable(v)) for k, v in key.items())
    return key


_hashable = hashable


def join_grace(before_ms: int, grace_ms: int | None) -> int:
    """The grace of ksqlDB's join window: GRACE PERIOD, else `JoinWindows.of(before)`'s 24 h - 2 x before."""
    return grace_ms if grace_ms is not None else max(DEFAULT_GRACE_MS - 2 * before_ms, 0)


class StreamTableJoin:
    """Each stream record looks the table row up by key; table updates only change the state."""

    def __init__(self, kind: str, right_width: int, open_store: OpenStore) -> None:
        self.inner = kind == "INNER"
        self.nulls = [None] * right_width
        self.table = open_store("KafkaTopic_Right-Reduce")

    def process(self, side: int, key: Any, row: Row | None, ts: int) -> list[Event]:
        if key is None:
            return []
        if side == 1:
            if row is None:
                self.table.delete((_hashable(key),))
            else:
                self.table.put((_hashable(key),), row)
            return []
        assert row is not None
        match = self.table.get((_hashable(key),))
        if match is None:
            if self.inner:
                return []
            match = self.nulls
        return [(key, row + match, ts)]


class _WindowStore:
    """One side's join window store: records by key, kept in segments of `segment_interval(retention)`
    and dropped a whole segment at a time once behind the store's stream time minus its retention, as
    Kafka Streams' RocksDB window store does (so what a late record still finds matches it)."""

    def __init__(self, store: KeyValueStore, retention: int) -> None:
        self.store = store
        self.retention = retention
        self.interval = segment_interval(retention)
        self.stream_time = -1
        self.by_segment: dict[int, set[Any]] | None = None  # segment -> keys with records in it (expiry)

    def _index(self) -> dict[int, set[Any]]:
        """Built at first use, from what the store holds then (a restored store's records too)."""
        self.by_segment = {}
        for (hkey,), bucket in self.store.items():
            for t, _ in bucket:
                self.by_segment.setdefault(t // self.interval, set()).add(hkey)
                self.stream_time = max(self.stream_time, t)
        return self.by_segment

    def put(self, hkey: Any, row: Row, ts: int) -> None:
        by_segment = self.by_segment if self.by_segment is not None else self._index()
        self.stream_time = max(self.stream_time, ts)
        min_live = (self.stream_time - self.retention) // self.interval
        if ts // self.interval >= min_live:
            bucket = self.store.get((hkey,)) or []
            self.store.put((hkey,), [*bucket, (ts, row)])
            by_segment.setdefault(ts // self.interval, set()).add(hkey)
        self._drop_before(by_segment, min_live)

    def _drop_before(self, by_segment: dict[int, set[Any]], min_live: int) -> None:
        for seg in [s for s in by_segment if s < min_live]:
            for hkey in by_segment.pop(seg):
                bucket = self.store.get((hkey,))
                if bucket is None:
                    continue
                kept = [e for e in bucket if e[0] // self.interval >= min_live]
                if kept:
                    self.store.put((hkey,), kept)
                else:
                    self.store.evict((hkey,))

    def fetch(self, hkey: Any, lo: int, hi: int) -> list[tuple[int, Row]]:
        """Records of `hkey` with lo <= ts <= hi, by timestamp then arrival; never older than the store's
        stream time minus its retention (Kafka Streams clamps the lower bound, whatever the segments)."""
        lo = max(lo, self.stream_time - self.retention + 1)
        if hi < lo:
            return []
        bucket = self.store.get((hkey,)) or ()
        return sorted((e for e in bucket if lo <= e[0] <= hi), key=lambda e: e[0])


class StreamStreamJoin:
    """A windowed join of two streams (KStreamKStreamJoin), in Kafka Streams' terms: a RIGHT join is the
    right stream left-joined with the left one (so its window is seen from the right), LEFT and INNER
    are the left stream joined with the right one, FULL is an outer join of both.

    Without GRACE PERIOD an outer side emits its unmatched record at once; with GRACE PERIOD it is held
    in the shared outer store and emitted, ordered by (timestamp, side, key), once stream time passes its
    timestamp + the processing side's after-window + grace, looked at no more than once per emit interval
    (wall clock) and only while the record being processed is not out of order.
    """

    def __init__(
        self,
        kind: str,
        before_ms: int,
        after_ms: int,
        grace_ms: int | None,
        widths: tuple[int, int],
        open_store: OpenStore,
        clock: Clock | None = None,
        emit_interval_ms: int = 1000,
        key_order: Callable[[Any], Any] | None = None,
    ) -> None:
        # Kafka Streams' own sides: 0 is the stream the join was called on ("this", its isLeftSide)
        self.swap = kind == "RIGHT"
        self.outer = (kind != "INNER", kind == "FULL")  # by Kafka Streams side
        self.grace = join_grace(before_ms, grace_ms)
        # per Kafka Streams side: (before, after) of the window it looks into the other side with
        self.windows = ((before_ms, after_ms), (after_ms, before_ms))
        retention = before_ms + after_ms + self.grace
        self.nulls = ([None] * widths[0], [None] * widths[1])  # by ksqlDB side
        names = ("KSTREAM-JOINTHIS-store", "KSTREAM-JOINOTHER-store")
        # window store per Kafka Streams side
        self.stores = tuple(_WindowStore(open_store(n), retention) for n in names)
        self.spurious_fix = grace_ms is not None
        # (ts, ks side, key) -> [(key, row), ...]: held unmatched records (GRACE PERIOD given)
        self.held = open_store("KSTREAM-OUTERSHARED-store") if self.spurious_fix else None
        self.clock = clock or (lambda: 0)
        self.emit_interval = emit_interval_ms
        self.key_order = key_order or repr
        # the shared time tracker of both sides
        self.stream_time = -1
        self.min_time: int | None = None  # None: not read from the (possibly restored) outer store yet
        self.next_emit = 0

    def _joined(self, ks_side: int, row: Row, other: Row) -> Row:
        """The output row, always left columns then right ones."""
        left_first = (ks_side == 0) != self.swap
        return row + other if left_first else other + row

    def _null_joined(self, ks_side: int, row: Row) -> Row:
        sql_side = ks_side ^ self.swap
        return self._joined(ks_side, row, self.nulls[1 - sql_side])

    def process(self, side: int, key: Any, row: Row | None, ts: int) -> list[Event]:
        if key is None or row is None:
            return []
        ks = side ^ self.swap
        hkey = _hashable(key)
        before, after = self.windows[ks]
        lo, hi = max(0, ts - before), max(0, ts + after)
        self.stream_time = max(self.stream_time, ts)
        out: list[Event] = []
        if self.held is not None and self.min_time is None:
            self.min_time = min((k[0] for k, _ in self.held.items()), default=1 << 62)
        if self.held is not None and ts == self.stream_time:
            out += self._emit_closed(ks)
        matches = self.stores[1 - ks].fetch(hkey, lo, hi)
        for t, other in matches:
            if self.held is not None:
                self.held.delete((t, 1 - ks, hkey))
            out.append((key, self._joined(ks, row, other), max(ts, t)))
        if not matches and self.outer[ks]:
            if self.held is None or hi < self.stream_time:
                out.append((key, self._null_joined(ks, row), ts))
            else:
                self.min_time = ts if self.min_time is None else min(self.min_time, ts)
                bucket = self.held.get((ts, ks, hkey)) or []
                self.held.put((ts, ks, hkey), [*bucket, (key, row)])
        # the record enters its own side's window store after the join (KStreamJoinWindow forwards first)
        self.stores[ks].put(hkey, row, ts)
        return out

    def _emit_closed(self, ks: int) -> list[Event]:
        assert self.held is not None
        before, after = self.windows[ks]
        assert self.min_time is not None
        if self.min_time >= self.stream_time - before - self.grace:
            return []  # nothing held can have closed yet
        now = self.clock()
        if now < self.next_emit:
            return []
        self.next_emit = now + self.emit_interval
        self.min_time = 1 << 62
        out: list[Event] = []
        # the store's order: timestamp, then the Kafka Streams side (its right side first), then key bytes
        entries = sorted(self.held.items(), key=lambda kv: (kv[0][0], -kv[0][1], self.key_order(kv[0][2])))
        for (t, side, hkey), bucket in entries:
            self.min_time = t
            if t + after + self.grace >= self.stream_time:
                break
            for key, held_row in bucket:
                out.append((key, self._null_joined(side, held_row), t))
            self.held.delete((t, side, hkey))
        return out  # min time stays at the last record looked at, emitted or not (as Kafka Streams)


class TableTableJoin:
    """A join of two tables on the primary key (KTableKTable{Inner,Left,Outer}Join): a side's update joins
    the other side's current row; with no row there, an inner join says nothing, an outer side emits its
    row with nulls, and a deletion emits a tombstone when the side had a row before."""

    def __init__(self, kind: str, widths: tuple[int, int], open_store: OpenStore) -> None:
        self.kind = kind
        self.keeps = (kind in ("LEFT", "FULL"), kind in ("RIGHT", "FULL"))  # side whose rows survive alone
        self.nulls = ([None] * widths[0], [None] * widths[1])
        # per side: key -> (row, ts)
        self.state = (open_store("KafkaTopic_Left-Reduce"), open_store("KafkaTopic_Right-Reduce"))
        # the left side's row timestamp when it is another table join (a multi-way join): Kafka Streams reads
        # that unmaterialized join through its value getter, whose timestamp comes from the rows still there
        # (a right deletion under a left join leaves the left row's time, not the deletion's)
        self.left_ts: Callable[[tuple[Any]], int | None] | None = None

    def row_ts(self, skey: tuple[Any]) -> int | None:
        """KTableKTable{Inner,Left,Right,Outer}JoinValueGetter.get's timestamp for `skey` (None: no row): the
        later of the two rows', or the one row's where the join keeps a row alone."""
        left, right = self.state[0].get(skey), self.state[1].get(skey)
        if left is not None and right is not None:
            return max(left[1], right[1])
        alone = left if left is not None else right
        if alone is None or not self.keeps[0 if alone is left else 1]:
            return None
        return alone[1]

    def process(self, side: int, key: Any, row: Row | None, ts: int) -> list[Event]:
        if key is None:
            return []
        skey = (_hashable(key),)
        had = self.state[side].get(skey) is not None
        if row is None:
            self.state[side].delete(skey)
        else:
            kept_ts = ts if side == 1 or self.left_ts is None else self.left_ts(skey)
            self.state[side].put(skey, (row, ts if kept_ts is None else kept_ts))
        other = self.state[1 - side].get(skey)
        if other is None:
            if not self.keeps[side]:
                return []  # inner, or the non-outer side of a left/right join: no match, no output
            if row is None:
                return [(key, None, ts)] if had else []
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
    """A table-table join from a left value expression to the right table's key; results are keyed by the
    left key (Kafka Streams' foreign-key join, in one process).

    A left insert subscribes to its foreign key (an inner join answers only when the right row exists, a
    left join always), an update re-subscribes (answered even without a match, so an earlier result is
    undone), a deletion unsubscribes and emits a tombstone; a right update answers every subscriber, in
    order of their key bytes. ksqlDB's KsqlKeyExtractor wraps the foreign key in a GenericKey, so Kafka
    Streams' SubscriptionSendProcessorSupplier never sees a null foreign key: a null one is sent as a
    subscription message with null key bytes, which SubscriptionReceiveProcessorSupplier drops ("Skipping
    record due to null foreign key"). So a row with a null foreign key subscribes to nothing and answers
    nothing (nor does its deletion), a change from a foreign key to null unsubscribes the old one silently,
    and a change from null to a foreign key subscribes as any update does. Results are stamped with the
    larger of the two rows' timestamps, except those a right update causes, stamped with it.
    """

    def __init__(
        self,
        kind: str,
        right_width: int,
        fk_of: Callable[[Row], Any],
        open_store: OpenStore,
        key_order: Callable[[Any], Any] | None = None,
    ) -> None:
        self.left_join = kind == "LEFT"
        self.nulls = [None] * right_width
        self.fk_of = fk_of  # left row -> foreign key
        self.key_order = key_order or repr  # subscribers answer in order of their key bytes
        self.left = open_store("KafkaTopic_Left-Reduce")  # left key -> (key, row, ts, foreign key)
        self.right = open_store("KafkaTopic_Right-Reduce")  # right key -> (row, ts)
        # foreign key -> {left key: its order}: the subscription store, an index of `left` built at first
        # use (after any restore); a right update answers its subscribers sorted by (order, key)
        self.subscribers: dict[Any, dict[Any, Any]] | None = None
        # the left row as kept in `left`, set when nothing downstream reads some of its columns: a tuple
        # of the columns read (so the changelog carries only what a later right update needs), and its
        # inverse, the whole row with None for the others. A list in the store is a whole row.
        self.stored: Callable[[Row], tuple[Any, ...]] | None = None
        self.expand: Callable[[tuple[Any, ...]], Row] | None = None

    def _index(self) -> None:
        self.subscribers = {}
        for (lk,), (key, _, _, fk) in self.left.items():
            if fk is not None:
                self._subscribe(fk, lk, key)

    def _subscribe(self, fk: Any, hkey: Any, key: Any) -> None:
        assert self.subscribers is not None
        subs = self.subscribers.get(fk)
        if subs is None:
            self.subscribers[fk] = {hkey: self.key_order(key)}
        else:
            subs[hkey] = self.key_order(key)

    def _unsubscribe(self, fk: Any, hkey: Any, key: Any) -> None:
        assert self.subscribers is not None
        subs = self.subscribers.get(fk)
        if not subs or hkey not in subs or subs[hkey] != self.key_order(key):
            return
        del subs[hkey]
        if not subs:
            del self.subscribers[fk]

    def process(self, side: int, key: Any, row: Row | None, ts: int) -> list[Event]:
        if key is None:
            return []
        if self.subscribers is None:
            self._index()
        hkey = _hashable(key)
        if side == 1:
            return self._right(key, hkey, row, ts)
        return self._left(key, hkey, row, ts)

    def _right(self, key: Any, hkey: Any, row: Row | None, ts: int) -> list[Event]:
        if row is None:
            self.right.delete((hkey,))
        else:
            self.right.put((hkey,), (row, ts))
        out: list[Event] = []
        assert self.subscribers is not None
        for _, lk in sorted((order, lk) for lk, order in self.subscribers.get(hkey, {}).items()):
            current = self.left.get((lk,))
            if current is None:
                continue
            lkey, lrow = current[0], current[1]
            if lrow.__class__ is tuple:
                assert self.expand is not None
                lrow = self.expand(lrow)
            if row is None:
                out.append((lkey, lrow + self.nulls, ts) if self.left_join else (lkey, None, ts))
            else:
                out.append((lkey, lrow + row, ts))
        return out

    def _left(self, key: Any, hkey: Any, row: Row | None, ts: int) -> list[Event]:
        old = self.left.get((hkey,))
        new_fk = None
        if row is not None:
            fk = self.fk_of(row)
            new_fk = None if fk is None else _hashable(fk)
        if row is None:
            self.left.delete((hkey,))
        else:
            self.left.put((hkey,), (key, row if self.stored is None else self.stored(row), ts, new_fk))
        if old is not None:
            old_fk = old[3]
            if row is None:
                if old_fk is None:
                    return []  # DELETE_KEY_AND_PROPAGATE to a null foreign key: dropped on receipt
                self._unsubscribe(old_fk, hkey, key)
                return [(key, None, self._stamp(old_fk, ts))]  # delete and propagate
            if old_fk is not None and new_fk != old_fk:
                self._unsubscribe(old_fk, hkey, key)  # DELETE_KEY_NO_PROPAGATE to the old foreign key
            if new_fk is None:
                return []  # PROPAGATE_NULL_IF_NO_FK_VAL_AVAILABLE to a null foreign key: dropped on receipt
            self._subscribe(new_fk, hkey, key)
            return [self._answer(key, row, new_fk, ts, propagate_null=True)]
        if row is None or new_fk is None:
            return []
        self._subscribe(new_fk, hkey, key)
        if self.left_join:
            return [self._answer(key, row, new_fk, ts, propagate_null=True)]
        match = self.right.get((new_fk,))
        return [] if match is None else [self._answer(key, row, new_fk, ts, propagate_null=False)]

    def left_rows(self, items: Sequence[LeftRow]) -> list[LeftResult]:
        """`process(0, key, row, ts)` of each item in order, for left rows that are not deletions, with
        what the caller computed once per row: item = (tag, key, stored, ts, fk, order) where `key` is a
        non-null scalar (its own `hashable` image), `stored` the row as this operator keeps it (`stored(row)`,
        or the row itself), `fk` the hashable image of its foreign key (None: null) and `order`
        `key_order(key)`. The same state changes as `process`, without a call per store operation; each
        event comes back as (tag, key, stored, right row, ts) for the joined row `expand(stored)` + right
        row (the right row is `nulls` for a left join without a match), or (tag, key, None, None, ts)
        for a deletion."""
        if self.subscribers is None:
            self._index()
        subscribers = self.subscribers
        assert subscribers is not None
        lget, lput, rget = self.left.getter(), self.left.put, self.right.getter()
        # the left store's put inline where it is a dict write and a change noted (KeyValueStore.put_target)
        target = self.left.put_target()
        ldata, lchanges, lpart = (None, None, 0) if target is None else target
        nulls, left_join = self.nulls, self.left_join
        # the entry (and its kept columns) out of the collector's lists at once when all atomic: it lives as
        # long as its key, and every young collection until CPython untracked it walked it
        untrack = record_cache.untrack
        out: list[LeftResult] = []
        emit = out.append
        for tag, key, row, ts, fk, order in items:
            skey = (key,)
            old = lget(skey)
            value = (key, row, ts, fk)
            if untrack is not None:
                untrack(value)
            if ldata is None:
                lput(skey, value)
            else:
                ldata[skey] = value
                if lchanges is not None:
                    lchanges[skey] = lpart
            if old is not None:
                old_fk = old[3]
                if old_fk is not None and fk != old_fk:
                    self._unsubscribe(old_fk, key, key)  # (as in `_left`)
            if fk is None:
                continue  # a null foreign key: never subscribed, never answered (as in `_left`)
            subs = subscribers.get(fk)  # subscribe
            if subs is None:
                subscribers[fk] = {key: order}
            else:
                subs[key] = order
            match = rget((fk,))
            if match is None:
                if left_join:
                    emit((tag, key, row, nulls, ts))
                elif old is not None:  # an update answered without a match: the earlier result is undone
                    emit((tag, key, None, None, ts))
            else:
                mts = match[1]
                emit((tag, key, row, match[0], ts if ts >= mts else mts))
        return out

    def _stamp(self, fk: Any, ts: int) -> int:
        match = self.right.get((fk,))
        return ts if match is None else max(ts, match[1])

    def _answer(self, key: Any, row: Row, fk: Any, ts: int, propagate_null: bool) -> Event:
        match = self.right.get((fk,))
        if match is None:
            return (key, row + self.nulls, ts) if self.left_join else (key, None, ts)
        return (key, row + match[0], max(ts, match[1]))
