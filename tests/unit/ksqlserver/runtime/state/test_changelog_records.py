"""`_changelog.records` (the end of DurableKeyValueStore.emit in C) against the Python lines it replaces:
the same changelog records (key, value, timestamp, partition, offset, headers, topic, and the Record class)
and the same `_meta` entries, for puts, deletes, unknown and large partitions, over several emits."""

from __future__ import annotations

import random
from typing import Any

import pytest

from ksqlserver.drivers.base import Record
from ksqlserver.runtime.state import changelog
from ksqlserver.runtime.state import codec as state_codec
from ksqlserver.runtime.state.changelog import (
    DurableKeyValueStore,
    PartitionContext,
    SeqClock,
    SnapshotConfig,
)


class _IO:
    def __init__(self, partitions: int) -> None:
        self.n = partitions

    def ensure_topic(self, topic: str, partitions: int) -> None:
        return None

    def partitions(self, topic: str) -> int:
        return self.n

    def read(self, topic: str, partition: int, start: int) -> tuple[list[Record], int]:
        return [], 0

    def end_offset(self, topic: str, partition: int) -> int:
        return 0


class _FixedClock(SeqClock):
    """The same sequence numbers in both runs."""

    def take(self, n: int) -> int:
        first = self._last + 1
        self._last += max(n, 1)
        return first + 1_700_000_000_000_000_000


def _run(native: Any, seed: int, partitions: int, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    monkeypatch.setattr(changelog, "_records", native)
    monkeypatch.setattr(changelog.time, "time", lambda: 1_700_000_000.0)
    rnd = random.Random(seed)
    store = DurableKeyValueStore("q", "s")
    store.plain_values = seed % 2 == 0
    store.attach(_IO(partitions), "q-s-changelog", SnapshotConfig(None), _FixedClock())
    ctx: PartitionContext = store.ctx
    got: list[Any] = []
    for _ in range(6):
        for _ in range(rnd.randint(0, 300)):
            key = (f"k{rnd.randrange(200)}", rnd.randrange(5) * 60_000)
            ctx.partition = rnd.choice([-1, 0, 1, 2, 7, 1_000_003])
            if rnd.random() < 0.2:
                store.delete(key)
            else:
                store.put(key, [[rnd.randrange(100), rnd.random()], rnd.randrange(10**12), True])
        recs = store.emit()
        got.append([(type(r), tuple(r)) for r in recs])
        got.append(sorted(store._meta.items()))
    return got


@pytest.mark.skipif(changelog._records is None, reason="no C compiler: the Python lines run alone")
@pytest.mark.parametrize(("seed", "partitions"), [(1, 1), (2, 3), (3, 8), (4, 1)])
def test_native_records_match_the_python_lines(seed: int, partitions: int, monkeypatch: pytest.MonkeyPatch) -> None:
    native = changelog._records
    with monkeypatch.context() as m:
        fast = _run(native, seed, partitions, m)
    with monkeypatch.context() as m:
        plain = _run(None, seed, partitions, m)
    assert fast == plain
    assert sum(len(batch) for batch in fast[::2]) > 200
    assert any(r[1][1] is None for batch in fast[::2] for r in batch)  # tombstones among them


@pytest.mark.skipif(changelog._tuple_keys is None, reason="no C compiler: the Python encoders run alone")
def test_native_tuple_keys_match_the_codec() -> None:
    """`_changelog.tuple_keys` writes a batch of tuples of ASCII strings and 64-bit ints as
    codec.encode_key does, and declines (None) any batch holding another key: other value types, strings
    JSON escapes or non-ASCII, ints past 64 bits, a key that is not a tuple."""
    rnd = random.Random(9)
    alphabet = ["a", "Z", "0", " ", "-", "\x7f", "~", "{", "]", ",", ":", "'", "\"", "\\", "\n", "\x00", "é", "😀"]
    ints = [0, 1, -1, 2**31, -(2**63), 2**63 - 1, 2**63, -(2**63) - 1, 10**30]
    declined = accepted = 0
    for _ in range(3000):
        key = tuple(
            "".join(rnd.choices(alphabet, k=rnd.randrange(6))) if rnd.random() < 0.5
            else rnd.choice([*ints, rnd.randrange(-(10**15), 10**15), True, None, 1.5])
            for _ in range(rnd.randrange(4))
        )  # fmt: skip
        got = changelog._tuple_keys([key])
        if got is None:
            declined += 1
            assert any(
                not (v.__class__ is int or (v.__class__ is str and v.isascii() and '"' not in v and "\\" not in v
                     and all(ord(c) >= 0x20 for c in v)))
                or (v.__class__ is int and not -(2**63) <= v < 2**63)
                for v in key
            ), key
        else:
            accepted += 1
            assert got == [state_codec.encode_key(key)], key
    assert declined > 500 and accepted > 500
    keys = [("card-1", 1_700_000_000_000, 1_700_000_060_000), ("b", -5, 0), ()]
    assert changelog._tuple_keys(keys) == [state_codec.encode_key(k) for k in keys]
    assert changelog._tuple_keys([*keys, ("x", None)]) is None
    assert changelog._tuple_keys([*keys, ["a"]]) is None
