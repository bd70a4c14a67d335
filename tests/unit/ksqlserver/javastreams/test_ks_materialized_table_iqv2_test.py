"""ksqlDB 0.29's KsMaterializedTableIQv2Test (io.confluent.ksql.execution.streams.materialization.ks): the
range queries over a non-windowed table's key (shouldReturnValuesLowerBound, shouldReturnValuesUpperBound,
shouldReturnValuesBothBound, shouldReturnEmptyIfRangeNotPresent), in key order; the key lookup and full
scan cases are KsMaterializedTableTest's."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Streams


@pytest.fixture
def ks(ks: Streams) -> Streams:
    ks.sql("CREATE STREAM S (K STRING KEY, V INT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, FORMAT='JSON');")
    ks.sql("CREATE TABLE B AS SELECT K, SUM(V) AS SV FROM S GROUP BY K;")
    for k, v, ts in [("c", 1, 100), ("a", 2, 200), ("b", 1, 300), ("d", 5, 400), ("aa", 4, 600)]:
        ks.insert("S", {"K": k, "V": v, "ROWTIME": ts})
    return ks


@pytest.mark.parametrize(
    ("where", "keys"),
    [
        ("K > 'a'", ["aa", "b", "c", "d"]),  # shouldReturnValuesLowerBound
        ("K >= 'b'", ["b", "c", "d"]),
        ("K < 'b'", ["a", "aa"]),  # shouldReturnValuesUpperBound
        ("K <= 'b'", ["a", "aa", "b"]),
        ("K >= 'aa' AND K < 'd'", ["aa", "b", "c"]),  # shouldReturnValuesBothBound
        ("K > 'x'", []),  # shouldReturnEmptyIfRangeNotPresent
    ],
)
def test_range_queries(ks: Streams, where: str, keys: list[str]) -> None:
    assert [r[0] for r in ks.pull(f"SELECT * FROM B WHERE {where};")] == keys
