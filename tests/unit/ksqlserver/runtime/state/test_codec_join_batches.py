"""The batch encoders of changelog records (one orjson call per emit) against `codec.encode`, value by
value: the same bytes for every batch, whatever it holds, and the same error for a value none can write."""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

import pytest

from ksqlserver.runtime.state import codec

ODD: list[Any] = [
    ("null", ("x", None)),  # a string holding null: the null count no longer matches
    ("a", (float("nan"),)),
    ("a", (float("inf"), 1), float("-inf")),
    ("a[", (1,)),  # a bracket in a string: the bracket count no longer matches
    ("]", ()),
    (codec._MARK, 1),  # the marker between values, as a value's string
    ('q"uote', "back\\slash", "\x00ctl", "é\u2028", "\U0001f600"),
    ((1, (2,)),),  # a tuple in a tuple in a tuple
    ([1, 2], 3),  # a list
    ({"A": 1}, 2),
    (Decimal("1.50"), b"\x00"),
    ("k", (Decimal("2.5"), 1)),  # an item orjson cannot write as `encode` does, inside the nested tuple
    ("k", ([1],), None),  # a list inside the nested tuple
    (None, (None, None), None),  # only nulls: counted by type
    (True, False, None, 0, -0.0, 1e16, 5e-324, 2**63 - 1, -(2**63)),
    ((),),
    ("k", ("k", None, 1.5), 17, None),
    ("k", ("k", 1.5), 17, "fk"),
    [1, 2],
    5,
]


def _bytes(encode: Any, values: list[Any]) -> list[bytes] | type:
    try:
        return list(encode(values))
    except Exception as e:
        return type(e)


def test_encode_values_is_encode_of_each() -> None:
    rnd = random.Random(7)
    plain = [("k", (f"k{i}", i * 0.5, None), i, f"u{i % 3}") for i in range(50)]
    assert codec._tuples_in_one_call(plain) is not None  # the batch path itself is exercised
    for _ in range(300):
        batch = rnd.sample(plain, rnd.randrange(1, 10)) + rnd.sample(ODD, rnd.randrange(0, 3))
        rnd.shuffle(batch)
        assert _bytes(codec.encode_values, batch) == _bytes(lambda vs: [codec.encode(v) for v in vs], batch), batch
    for v in ODD:
        assert codec.encode_values([v]) == [codec.encode(v)]


def test_encode_values_raises_as_encode_does() -> None:
    for bad in [(1 << 70,), ("\ud800",), (object(),)]:
        with pytest.raises(Exception) as fast:
            codec.encode_values([("k", (1.0,), 1, "f"), bad])
        with pytest.raises(Exception) as slow:
            codec.encode(bad)
        assert type(fast.value) is type(slow.value)


def test_encode_keys_is_encode_of_each() -> None:
    rnd = random.Random(8)
    strings = ["tx-1", "", "é", "\U0001f600", "a\"b", "a\\b", "\n", "\x7f", "\u2028", "%s", "null", "[x]"]
    others: list[Any] = [("a", 1), (1,), (None,), (1.5,), ((1,),), ("\ud800",)]
    for _ in range(300):
        keys = [(rnd.choice(strings),) for _ in range(rnd.randrange(1, 8))]
        if rnd.random() < 0.3:
            keys.append(rnd.choice(others))
        want = _bytes(lambda ks: [codec.encode(k) for k in ks], keys)
        assert _bytes(codec.encode_keys, keys) == want, keys
    clean = [(f"tx-{i}",) for i in range(20)]
    assert codec._str_keys(clean) == [codec.encode(k) for k in clean]
    assert codec._str_keys([("a\"b",)]) is None  # escaped: the template would be wrong
