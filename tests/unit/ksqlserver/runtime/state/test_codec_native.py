"""The state codec's C helpers (`runtime/state/_codec.c`: `scan_tuples`, `tag_split`) against the Python
passes they replace, and the batch encoders with and without them against `codec.encode` value by value.
Not a ksqlDB class: the changelog format is this engine's own (Kafka Streams' KTableSource store
changelog carries the same information, one record per changed key per commit)."""

from __future__ import annotations

import random
from typing import Any

import orjson
import pytest

from ksqlserver.runtime.state import codec

from .test_codec_join_batches import ODD, _bytes

pytestmark = pytest.mark.skipif(codec._native is None, reason="the C helper did not build")

ATOMS: list[Any] = [None, True, False, 0, -7, 2**63 - 1, 1.5, -0.0, 1e16, 5e-324, float("nan"), float("inf"),
                    "", "x", "null", "[", "]", "],[", codec._MARK, "a\\b", 'q"', "\x00\x1f", "é", "\U0001f600",
                    "n", "nul", "{", "#t"]  # fmt: skip


def _random_value(rnd: random.Random, depth: int = 0) -> Any:
    if depth < 2 and rnd.random() < 0.3:
        return tuple(_random_value(rnd, depth + 1) for _ in range(rnd.randrange(0, 4)))
    if rnd.random() < 0.05:
        return rnd.choice([[1], {"a": 1}, b"b"])
    return rnd.choice(ATOMS)


@pytest.fixture(params=["c", "python"])
def path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "python":
        monkeypatch.setattr(codec, "_native", None)
    return str(request.param)


def test_scan_tuples_is_the_python_scan() -> None:
    rnd = random.Random(11)
    for _ in range(2000):
        values = [_random_value(rnd) for _ in range(rnd.randrange(1, 6))]
        assert codec._native.scan_tuples(values) == codec._scan_py(values), values
    assert codec._native.scan_tuples([]) is None


def test_tag_split_is_count_replace_split() -> None:
    rnd = random.Random(12)
    for _ in range(2000):
        values = [_random_value(rnd) for _ in range(rnd.randrange(1, 6))]
        batch: list[Any] = [codec._MARK] * (2 * len(values) - 1)
        batch[::2] = values
        try:
            blob = orjson.dumps(batch)
        except TypeError:
            continue
        for arrays in (blob.count(b"["), blob.count(b"[") + 1):
            for nulls in (blob.count(b"null"), blob.count(b"null") - 1):
                got = codec._native.tag_split(blob, codec._MARK_JSON, arrays, nulls)
                assert got == codec._cut_py(blob, arrays, nulls), (values, arrays, nulls)


def test_batches_are_encode_of_each(path: str) -> None:
    rnd = random.Random(13)
    for _ in range(1500):
        values = [_random_value(rnd) for _ in range(rnd.randrange(1, 6))] + rnd.sample(ODD, rnd.randrange(0, 2))
        want = _bytes(lambda vs: [codec.encode(v) for v in vs], values)
        assert _bytes(codec.encode_values, values) == want, values
        keys = [v if isinstance(v, tuple) else (v,) for v in values]
        assert _bytes(codec.encode_keys, keys) == _bytes(lambda ks: [codec.encode_key(k) for k in ks], keys), keys


def test_join_state_batch_takes_the_c_path() -> None:
    """The foreign-key join's left store value (key, kept columns, ts, foreign key) and its 1-tuple keys:
    one C walk and one C cut, the bytes `encode` writes."""
    values = [(f"tx-{i}", (f"tx-{i}", i * 0.25), 1_700_000_000_000 + i, f"user-{i % 7}") for i in range(1000)]
    assert codec._native.scan_tuples(values) == (1 + 2 * len(values), 0)
    assert codec.encode_values(values) == [codec.encode(v) for v in values]
    keys = [(f"tx-{i}",) for i in range(1000)]
    assert codec.encode_keys(keys) == [codec.encode_key(k) for k in keys]


def _emitted(native: bool, monkeypatch: pytest.MonkeyPatch) -> tuple[list[Any], dict[Any, Any]]:
    from ksqlserver.runtime.state.changelog import DurableKeyValueStore, SeqClock, SnapshotConfig

    class _IO:
        def partitions(self, topic: str) -> int:
            return 3

    class _Clock(SeqClock):
        def take(self, n: int) -> int:  # the same numbers on both runs
            first = self._last + 1
            self._last += max(n, 1)
            return first

    monkeypatch.setattr(codec, "_native", codec._native if native else None)
    monkeypatch.setattr("time.time", lambda: 1_700_000_000.0)
    s = DurableKeyValueStore("q", "KafkaTopic_Left-Reduce")
    s.attach(_IO(), "t", SnapshotConfig(), _Clock())  # type: ignore[arg-type]
    out: list[Any] = []
    for i in range(40):
        s.ctx.partition = i % 4 - 1  # -1 (unknown) goes to partition 0
        s.put((f"k{i % 13}",), (f"k{i}", (i, None), 1000 + i, f"fk{i % 5}"))
        if i % 7 == 3:
            s.delete((f"k{(i * 3) % 13}",))
        if i % 10 == 9:
            out.extend(s.emit())
    return out, dict(s._meta)


def test_changelog_records_and_meta_are_the_python_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    """`DurableKeyValueStore.emit` with `note_meta` / `changelog_records` (C): the same Records (keys,
    values, tombstones, timestamp, partitions, sequence headers, topic) and the same `_meta` as without."""
    with_c = _emitted(True, monkeypatch)
    without = _emitted(False, monkeypatch)
    assert with_c == without
    records, meta = with_c
    assert len(records) > 20 and any(r.value is None for r in records)
    assert {r.partition for r in records} == {0, 1, 2}
    assert all(type(r).__name__ == "Record" and r.headers[0][0] == "ksqlserver.seq" for r in records)
    assert [int(r.headers[0][1]) for r in records] == sorted(int(r.headers[0][1]) for r in records)
    assert all(meta[codec.decode(r.key)][0] == int(r.headers[0][1]) for r in records[-5:])


def test_note_meta_pairs_are_untracked_ints() -> None:
    """The (seq, partition) pairs hold two ints: in no reference cycle, so left out of the collector's
    lists at once (what CPython does to such a tuple at its first collection)."""
    import gc

    meta: dict[Any, Any] = {}
    codec._native.note_meta(meta, [("a",), ("b",)], 5, [0, 2])
    assert meta == {("a",): (5, 0), ("b",): (6, 2)}
    assert not any(gc.is_tracked(v) for v in meta.values())


def test_changelog_sequence_headers_are_decimal_text() -> None:
    """`changelog_records` writes each sequence number as "%lld" does (str of the int), at every digit
    count, both signs and the 64-bit ends."""
    from ksqlserver.drivers.base import Record

    firsts = [0, 1, 9, 10, 99, 100, -1, -9, -10, 2**63 - 2, -(2**63), 123456789012345678]
    firsts += [10**k + d for k in range(19) for d in (-1, 0, 1)]
    for first in firsts:
        recs = codec._native.changelog_records(Record, [b"k", b"j"], [b"v", None], 7, [0, 1], first, "h", "t")
        assert [r.headers for r in recs] == [(("h", str(first).encode()),), (("h", str(first + 1).encode()),)]
        assert [(r.key, r.value, r.timestamp, r.partition, r.topic) for r in recs] == [
            (b"k", b"v", 7, 0, "t"), (b"j", None, 7, 1, "t")
        ]
