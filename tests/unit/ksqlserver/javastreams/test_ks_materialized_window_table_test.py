"""ksqlDB 0.29's KsMaterializedWindowTableTest (io.confluent.ksql.execution.streams.materialization.ks).

A time-windowed table (tumbling, 10 s windows) read by key: the store is fetched from the highest lower
bound (WINDOWSTART's, or WINDOWEND's minus the size) to the lowest upper bound, and each window is kept only
if its start is within the WINDOWSTART bounds and its end (start + size) within the WINDOWEND bounds, open or
closed (shouldReturnValuesForClosedStartBounds, ...OpenStartBounds, ...ClosedEndBounds, ...OpenEndBounds,
shouldFetchWith*Bound*); no bounds is every window (shouldSupportRangeAll), in window-start order
(shouldMaintainResultOrder); an unknown key is nothing (shouldReturnEmptyIfKeyNotPresent)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Streams


@pytest.fixture
def ks(ks: Streams) -> Streams:
    ks.sql("CREATE STREAM S (K STRING KEY, V INT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, FORMAT='JSON');")
    ks.sql("CREATE TABLE W AS SELECT K, COUNT(*) AS C FROM S WINDOW TUMBLING (SIZE 10 SECONDS) GROUP BY K;")
    for k, ts in [("a", 40000), ("a", 0), ("a", 10000), ("a", 20000), ("a", 21000), ("b", 10000), ("a", 43000)]:
        ks.insert("S", {"K": k, "V": 1, "ROWTIME": ts})
    return ks


@pytest.mark.parametrize(
    ("bounds", "starts"),
    [
        ("", [0, 10000, 20000, 40000]),  # shouldSupportRangeAll / shouldMaintainResultOrder
        ("AND WINDOWSTART >= 10000 AND WINDOWSTART <= 20000", [10000, 20000]),  # closed start bounds
        ("AND WINDOWSTART > 10000 AND WINDOWSTART < 40000", [20000]),  # open start bounds
        ("AND WINDOWEND >= 20000 AND WINDOWEND <= 30000", [10000, 20000]),  # closed end bounds
        ("AND WINDOWEND > 20000 AND WINDOWEND < 50000", [20000]),  # open end bounds
        ("AND WINDOWSTART = 10000", [10000]),
        ("AND WINDOWSTART >= 10000 AND WINDOWEND <= 30000", [10000, 20000]),  # start lower, end upper
        ("AND WINDOWSTART <= 20000 AND WINDOWEND >= 30000", [20000]),  # end lower bound is the highest
        ("AND WINDOWSTART BETWEEN 5000 AND 15000", [10000]),
        ("AND WINDOWSTART > 40000", []),
    ],
)
def test_window_bounds(ks: Streams, bounds: str, starts: list[int]) -> None:
    rows = ks.pull(f"SELECT * FROM W WHERE K = 'a' {bounds};")
    assert [r[1] for r in rows] == starts
    assert all(r[2] == r[1] + 10000 for r in rows)


def test_should_return_empty_if_key_not_present(ks: Streams) -> None:
    assert ks.pull("SELECT * FROM W WHERE K = 'zz';") == []


def test_rows_carry_their_windows_and_counts(ks: Streams) -> None:
    """WindowedRow.of(schema, the windowed key, the value, its timestamp)."""
    assert ks.pull("SELECT K, WINDOWSTART, WINDOWEND, ROWTIME, C FROM W WHERE K = 'a' AND WINDOWSTART = 20000;") == [
        ["a", 20000, 30000, 21000, 2]
    ]
