"""ksqlDB 0.29 RandomTest (function/udf/math): shouldReturnDistinctValueEachInvocation; Random.random() is a
new value in [0, 1) at each call."""

from __future__ import annotations

from typing import Any


def test_distinct_values_each_invocation(call: Any) -> None:
    outputs = {call("RANDOM", []) for _ in range(1000)}
    assert len(outputs) == 1000
    assert all(0.0 <= v < 1.0 for v in outputs)


def test_through_the_engine(udf: Any) -> None:
    r = udf.select("RANDOM()", "RANDOM()")
    assert r.types == ["DOUBLE", "DOUBLE"]
    assert r.values[0] != r.values[1] and all(0.0 <= v < 1.0 for v in r.values)
