"""Row encoding: the orjson paths write exactly the bytes of the generic encoder (`dumps_bytes`)."""

from __future__ import annotations

import datetime as dt
import random
import struct
from decimal import Decimal
from typing import Any

import pytest

from ksqlserver.server.formats import Delimited, JsonArray, StreamedRows
from ksqlserver.server.jsonout import dumps_bytes, dumps_row, dumps_row_lines

TRICKY: list[list[Any]] = [
    ["tx-1", 1.5, 2, None, True, False],
    ["a],[b", 3.0, -0.0, 0.0],
    [],
    [[1], [2.5, 1e-7]],
    ["x", 5e-5, 0.0001, 9.999999999999999e-05, 1e-4, 1e16, 1e22, -3e-300, 5e-324],
    ["nan", float("nan"), float("inf"), float("-inf")],
    ["é\n\x01\u2028\"\\", "e-", "0.00001e-5", "null"],
    [{"a": [1e-7, 2.0], "b": None}],
    [2**70, -(2**63), 2**63 - 1],
    [Decimal("1.10"), 1.5],
    [dt.datetime(2020, 1, 1, 2, 3, 4, 5000), dt.date(2020, 1, 2)],
    [b"xy", {1, 2}],
    [(3, 4)],
]


def _generic(values: Any) -> bytes | str:
    try:
        return dumps_bytes(values)
    except Exception as exc:
        return repr(exc)


def _fast(values: Any) -> bytes | str:
    try:
        return dumps_row(values)
    except Exception as exc:
        return repr(exc)


@pytest.mark.parametrize("row", TRICKY)
def test_dumps_row_writes_the_generic_bytes(row: list[Any]) -> None:
    assert _fast(row) == _generic(row)


def test_a_lone_surrogate_fails_as_the_generic_encoder_does() -> None:
    assert _fast(["\ud800"]) == _generic(["\ud800"]) and "UnicodeEncodeError" in str(_fast(["\ud800"]))


def test_dumps_row_over_random_doubles_of_every_magnitude() -> None:
    rng = random.Random(11)
    rows = []
    for _ in range(2000):
        row: list[Any] = ["k"]
        for _ in range(8):
            if rng.random() < 0.5:
                row.append(struct.unpack("d", struct.pack("Q", rng.getrandbits(64)))[0])
            else:
                row.append(rng.choice([-1, 1]) * 10 ** rng.uniform(-12, 20))
        rows.append(row)
    assert [dumps_row(r) for r in rows] == [dumps_bytes(r) for r in rows]
    assert dumps_row_lines(rows) == b"".join(dumps_bytes(r) + b"\n" for r in rows)


@pytest.mark.parametrize("fmt", [Delimited(), JsonArray(), StreamedRows()])
def test_a_batch_is_the_rows_one_by_one(fmt: Any) -> None:
    flat = [r for r in TRICKY if all(not isinstance(v, list | dict | tuple | set) for v in r)]
    batches = [TRICKY[:2], flat, [["a", 1e-5], ["b", 2.0], ["c", 2e-9, None]], [["q", 1.0]], TRICKY]
    for batch in batches:
        encodable = [r for r in batch if not isinstance(_generic(r), str)]
        assert fmt.rows(encodable) == b"".join(map(fmt.row, encodable))


def test_rest_rows_write_time_as_api_json_mapper_does() -> None:
    """ApiJsonMapper.TimeSerializer -> SqlTimeTypes.formatTime: LocalTime.ofSecondOfDay(ms / 1000).toString(),
    so a TIME in a REST row keeps whole seconds and drops zero seconds (ClientIntegrationTest's rows)."""
    from ksqlserver.catalog.types import SqlType
    from ksqlserver.runtime.pipeline import json_ready

    ready = json_ready(SqlType("TIME"))
    assert [ready(ms) for ms in (0, 1, 999, 1_000, 3_723_456, 86_399_999)] == [
        "00:00", "00:00", "00:00", "00:00:01", "01:02:03", "23:59:59",
    ]  # fmt: skip
