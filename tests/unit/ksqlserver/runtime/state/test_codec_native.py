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
