"""The batch call's results as the serialisers get them (extensions.invoke.ScalarCall._batch): plain Python
values are copied as they are, numpy scalars become Python values, exactly as `_plain` does value by
value (our plugin API's batch functions; ksqlDB's UDFs have no batch form)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ksqlserver.extensions.invoke import ScalarCall, _plain, _plain_all


def test_plain_results_are_copied_and_numpy_scalars_converted() -> None:
    plain: list[Any] = [1.5, 2, True, "x", None]
    got = _plain_all(plain)
    assert got == plain and got is not plain
    mixed: list[Any] = [np.float32(0.5), 1.0, np.int64(3), np.bool_(True), None, [1], {"a": 1}]
    got = _plain_all(mixed)
    assert got == [_plain(v) for v in mixed]
    assert [type(v) for v in got[:4]] == [float, float, int, bool]
    assert type(_plain_all([np.float64(0.25)])[0]) is float  # a float subclass is converted, not copied


def test_a_batch_function_returning_numpy_scalars_gives_python_values() -> None:
    def fn(rows: list[tuple[Any, ...]]) -> list[Any]:
        return [np.float32(r[0]) if r[0] > 0 else float(r[0]) for r in rows]

    call = ScalarCall("F", fn, True, True)
    got = call.ksql_batch([(1.0,), (None,), (-2.0,)])
    assert got == [1.0, None, -2.0] and [type(v) for v in got] == [float, type(None), float]
    assert got == [call(1.0), call(None), call(-2.0)]
