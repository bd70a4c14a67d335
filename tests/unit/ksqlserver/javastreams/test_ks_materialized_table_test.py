"""ksqlDB 0.29's KsMaterializedTableTest (io.confluent.ksql.execution.streams.materialization.ks): a key
lookup returns the key's row, or nothing (shouldReturnEmptyIfKeyNotPresent, shouldReturnValueIfKeyPresent,
the row's ROWTIME being the value's timestamp); a full table scan returns every row in the store's order
(shouldReturnValuesFullTableScan: RocksDB's bytewise order of the serialized keys)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Streams


@pytest.fixture
def ks(ks: Streams) -> Streams:
    ks.sql("CREATE STREAM S (K STRING KEY, V INT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, FORMAT='JSON');")
    ks.sql("CREATE TABLE B AS SELECT K, COUNT(*) AS C, SUM(V) AS SV FROM S GROUP BY K;")
    for k, v, ts in [("c", 1, 100), ("a", 2, 200), ("b", 1, 300), ("B", 5, 400), ("b", 3, 500), ("aa", 4, 600)]:
        ks.insert("S", {"K": k, "V": v, "ROWTIME": ts})
    return ks


def test_should_return_empty_if_key_not_present(ks: Streams) -> None:
    assert ks.pull("SELECT * FROM B WHERE K = 'zz';") == []


def test_should_return_value_if_key_present(ks: Streams) -> None:
    assert ks.pull("SELECT K, C, SV, ROWTIME FROM B WHERE K = 'b';") == [["b", 2, 4, 500]]


def test_should_return_values_full_table_scan(ks: Streams) -> None:
    """KAFKA STRING keys in byte order: 'B' before the lower-case keys, 'a' before 'aa'."""
    assert ks.pull("SELECT * FROM B;") == [["B", 1, 5], ["a", 1, 2], ["aa", 1, 4], ["b", 2, 4], ["c", 1, 1]]
