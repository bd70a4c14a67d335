"""ksqlDB 0.29's KsMaterializedSessionTableTest (io.confluent.ksql.execution.streams.materialization.ks).

A session table read by key: every session of the key (SessionStoreCacheBypass.fetch), kept when its start
is within the WINDOWSTART bounds and its end within the WINDOWEND bounds, open or closed; the row's ROWTIME
is the session's end (WindowedRow.of(..., wnd.end())). Sessions of key a (5 s gap): [0, 0], [10000, 10000],
[20000, 21000], [40000, 43000]."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Streams


@pytest.fixture
def ks(ks: Streams) -> Streams:
    ks.sql("CREATE STREAM S (K STRING KEY, V INT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, FORMAT='JSON');")
    ks.sql("CREATE TABLE SS AS SELECT K, COUNT(*) AS C FROM S WINDOW SESSION (5 SECONDS) GROUP BY K;")
    for k, ts in [("a", 40000), ("a", 0), ("a", 10000), ("a", 20000), ("a", 21000), ("b", 10000), ("a", 43000)]:
        ks.insert("S", {"K": k, "V": 1, "ROWTIME": ts})
    return ks


@pytest.mark.parametrize(
    ("bounds", "sessions"),
    [
        ("", [(0, 0), (10000, 10000), (20000, 21000), (40000, 43000)]),  # shouldReturnAllSessionsForRangeAll
        ("AND WINDOWSTART >= 20000", [(20000, 21000), (40000, 43000)]),  # ...StartsAtLowerBoundIfLowerStartBoundClosed
        ("AND WINDOWSTART > 20000", [(40000, 43000)]),  # shouldIgnoreSessionsThatStartAtLowerBoundIfLowerBoundOpen
        ("AND WINDOWSTART <= 20000", [(0, 0), (10000, 10000), (20000, 21000)]),  # ...StartsAtUpperBoundIfUpperBoundClosed
        ("AND WINDOWSTART < 20000", [(0, 0), (10000, 10000)]),  # shouldIgnoreSessionsThatStartAtUpperBoundIfUpperBoundOpen
        ("AND WINDOWSTART > 5000 AND WINDOWSTART < 30000", [(10000, 10000), (20000, 21000)]),  # ...StartsBetweenBounds
        ("AND WINDOWEND >= 21000", [(20000, 21000), (40000, 43000)]),  # ...EndsAtLowerBoundIfLowerStartBoundClosed
        ("AND WINDOWEND > 21000", [(40000, 43000)]),  # shouldIgnoreSessionsThatEndAtLowerBoundIfLowerBoundOpen
        ("AND WINDOWEND <= 21000", [(0, 0), (10000, 10000), (20000, 21000)]),  # ...EndsAtUpperBoundIfUpperBoundClosed
        ("AND WINDOWEND < 21000", [(0, 0), (10000, 10000)]),  # shouldIgnoreSessionsThatEndAtUpperBoundIfUpperBoundOpen
        ("AND WINDOWEND > 5000 AND WINDOWEND < 30000", [(10000, 10000), (20000, 21000)]),  # ...EndsBetweenBounds
        ("AND WINDOWEND < 0", []),  # shouldIgnoreSessionsThatFinishBeforeLowerBound's converse
        ("AND WINDOWSTART > 43000", []),  # shouldIgnoreSessionsThatStartAfterUpperBound
    ],
)
def test_session_bounds(ks: Streams, bounds: str, sessions: list[tuple[int, int]]) -> None:
    """shouldReturnMultipleSessions and the bound cases, in the store's order (end, then start)."""
    assert [(r[1], r[2]) for r in ks.pull(f"SELECT * FROM SS WHERE K = 'a' {bounds};")] == sessions


def test_should_return_empty_if_key_not_present(ks: Streams) -> None:
    assert ks.pull("SELECT * FROM SS WHERE K = 'zz';") == []


def test_row_time_is_the_session_end(ks: Streams) -> None:
    assert ks.pull("SELECT K, WINDOWSTART, WINDOWEND, ROWTIME, C FROM SS WHERE K = 'a' AND WINDOWSTART = 20000;") == [
        ["a", 20000, 21000, 21000, 2]
    ]
