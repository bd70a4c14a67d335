"""The session index compacts the heap entries of merged-away sessions: what it answers must not change,
and its heap must stay bounded by the live sessions, not by the records seen."""

from __future__ import annotations

import random

import pytest

from ksqlserver.runtime.operators.windows import SessionIndex


class _NeverCompacts(SessionIndex):
    __slots__ = ()

    def _compact(self) -> None:
        return None


def _merge(index: SessionIndex, key: str, ts: int, gap: int, log: list[object]) -> None:
    """What the aggregation does per record: merge the sessions within the gap into one."""
    found = index.overlapping(key, ts - gap, ts + gap)
    log.append(("found", key, ts, found))
    start, end = ts, ts
    for s, e in found:
        index.remove(key, s, e)
        start, end = min(start, s), max(end, e)
    index.add(key, start, end)


@pytest.mark.parametrize("final", [False, True])
def test_compaction_changes_no_answer_and_bounds_the_heap(final: bool) -> None:
    """The heap holds a guard per key (not an entry per session added), so it stays bounded by the keys
    even without compaction; compacting changes no answer. Expiry is checked against a plain scan of
    every live session: what `expire_through` returns (by end, then start), and `oldest_end`."""
    rnd = random.Random(3)
    compacting, reference = SessionIndex(final), _NeverCompacts(final)
    logs: list[list[object]] = [[], []]
    ts = 0
    for i in range(20_000):
        ts += rnd.randint(0, 20)
        t = ts - rnd.choice([0, 0, 0, 5, 50, 400])  # some out of order
        key = f"k{rnd.randrange(50)}"
        upper = ts - rnd.choice([100_000, 2_000, 300])
        for index, log in zip((compacting, reference), logs, strict=True):
            _merge(index, key, t, 30, log)
            if i % 97 == 0:
                want = sorted((e, s, k) for k, ss in index.by_key.items() for s, e in ss if e <= upper)
                got = index.expire_through(upper)
                assert sorted(got) == want and [x[:2] for x in got] == [x[:2] for x in want]
                log.append(("expired", sorted(got)))  # ties (same end and start) in either order
            if final and i % 31 == 0:
                log.append(("closed", index.unemitted_through(ts - 500)))
            live_ends = [e for ss in index.by_key.values() for _, e in ss]
            if i % 13 == 0:
                assert index.oldest_end() == (min(live_ends) if live_ends else None)
    assert logs[0] == logs[1]
    assert len(compacting) == len(reference) and compacting.oldest_end() == reference.oldest_end()
    assert compacting.heap_size() <= 2 * 50 + 1025
    if final:  # EMIT FINAL's heap keeps an entry per session added: compaction bounds it by the live ones
        assert compacting._unemitted is not None and len(compacting._unemitted) <= 2 * len(compacting) + 1025
    assert reference.heap_size() < 20_000  # the generic merge's remove-then-add: one entry per record


def test_answers_match_a_plain_list_scan() -> None:
    """`overlapping`, `add` and `remove` take shortcuts for a key's latest session: on random operations
    (in and out of time order, sessions removed from the middle, removals of unknown sessions) they answer
    as a scan of a sorted list does."""
    rnd = random.Random(5)
    index = SessionIndex()
    plain: dict[str, list[tuple[int, int]]] = {}
    ts = 0
    for _ in range(20_000):
        ts += rnd.randint(0, 30)
        key = f"k{rnd.randrange(8)}"
        t = ts - rnd.choice([0, 0, 0, 10, 40, 200, 1000])
        lo, hi = t - rnd.choice([0, 15, 30]), t + rnd.choice([0, 15, 30])
        want = [(s, e) for s, e in sorted(plain.get(key, [])) if e >= lo and s <= hi]
        assert index.overlapping(key, lo, hi) == want
        op = rnd.random()
        if op < 0.5 and want:  # merge what was found into one session
            for s, e in want:
                index.remove(key, s, e)
                plain[key].remove((s, e))
            start, end = min(t, want[0][0]), max(t, max(e for _, e in want))
        elif op < 0.55:  # a session the index does not hold: nothing changes
            index.remove(key, t, t + 1)
            continue
        else:
            start, end = t, t + rnd.choice([0, 5])
            if any(e >= start and s <= end for s, e in plain.get(key, [])):
                continue  # the index holds sessions that do not overlap
        index.add(key, start, end)
        plain.setdefault(key, []).append((start, end))
        assert index.live(key, start, end)
    assert len(index) == sum(len(v) for v in plain.values())
