"""The batch encoders write a whole batch with one orjson call and cut it into items: the cuts must give
`encode_key` / `encode_plain`'s bytes for every item, whatever the items hold (brackets and the separator
inside strings, empty tuples, single items), on randomized batches too."""

from __future__ import annotations

import random
from typing import Any

import pytest

from ksqlserver.runtime.state import codec

ODD_STRINGS = ["", "],[", "]", "[", "a]b", "\x00~", ',"\\u0000~"', ',"\x00~",', "null", "n", "{", "é", "\u2028"]


def _outcome(fn: Any, v: Any) -> Any:
    try:
        return fn(v)
    except Exception as e:
        return type(e).__name__


def _key(rnd: random.Random) -> tuple[Any, ...]:
    parts: list[Any] = [rnd.choice(["card-1", "k", *ODD_STRINGS])]
    parts += [rnd.choice([0, -1, 2**62, 17]) for _ in range(rnd.randint(0, 2))]
    if rnd.random() < 0.05:
        parts.append(rnd.choice([None, True, 1.5, ("n",)]))
    return tuple(parts) if rnd.random() > 0.02 else ()


def _value(rnd: random.Random) -> Any:
    accs: list[Any] = [rnd.randint(0, 9), rnd.choice([0.0, -0.0, 1.25, 1e300])]
    if rnd.random() < 0.1:
        accs.append(rnd.choice(ODD_STRINGS))
    if rnd.random() < 0.03:
        accs.append(rnd.choice([None, float("nan"), {"A": 1}]))
    return [accs, rnd.randint(0, 2**40), rnd.random() < 0.5] if rnd.random() > 0.05 else rnd.choice(ODD_STRINGS)


@pytest.mark.parametrize("seed", range(6))
def test_batches_give_the_item_by_item_bytes(seed: int) -> None:
    rnd = random.Random(seed)
    for size in (1, 2, 3, 50):
        keys = [_key(rnd) for _ in range(size)]
        values = [_value(rnd) for _ in range(size)]
        want_keys = [_outcome(codec.encode_key, k) for k in keys]
        want_values = [_outcome(codec.encode_plain, v) for v in values]
        assert _outcome(codec.encode_keys, keys) == want_keys
        assert _outcome(codec.encode_plain_values, values) == want_values


@pytest.mark.parametrize("s", ODD_STRINGS)
def test_a_string_holding_a_cut_mark_alone_and_in_company(s: str) -> None:
    keys: list[Any] = [(s,), ("a", 1, 2), (s, 3), ()]
    assert codec.encode_keys(keys) == [codec.encode_key(k) for k in keys]
    values: list[Any] = [[[1, s], 2, True], s, [[0, 0.5], 1, False], [s, s], [[1, s, 2], 3, True], [0, s, s, 1]]
    assert codec.encode_plain_values(values) == [codec.encode_plain(v) for v in values]
    assert codec.encode_keys([]) == [] and codec.encode_plain_values([]) == []
