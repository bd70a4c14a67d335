"""Ports of ksqlDB 0.29's pull-query operator tests (io.confluent.ksql.execution.pull.operators):
KeyedTableLookupOperatorTest, KeyedWindowedTableLookupOperatorTest, TableScanOperatorTest and
WindowedTableScanOperatorTest.

The Java tests hand the operators mocked partition locations and materializations and read the rows back
in order. Here the tables are real and the order is the one those locations give: KsLocator groups a
lookup's keys by partition (Kafka's default partitioner over the serialized key), partitions in the order
their first key was asked for, keys in request order; a table scan reads partition after partition,
ascending; a key's windows come back ascending by window start. With 4 partitions the STRING keys used here
fall in partitions a: 0, b: 0, c: 2, d: 1, e: 2. Row counts (`getReturnedRowCount`) have no other observable effect than the rows returned; `shouldCancel` (the operator
stops once its query is cancelled) is not ported."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from ksqlserver.drivers.base import Record

OFF = {"ksql.query.pull.table.scan.enabled": False}


@pytest.fixture
def p(make_pull: Callable[..., Any]) -> Any:
    p = make_pull(tables=False)
    p.execute("CREATE SOURCE TABLE T4 (K STRING PRIMARY KEY, V INT) "
              "WITH (KAFKA_TOPIC='t4', VALUE_FORMAT='JSON', PARTITIONS=4);")  # fmt: skip
    p.produce("T4", [([k], [i], 10) for i, k in enumerate("abcde")])
    p.execute("CREATE STREAM S4 (K STRING KEY, V INT) WITH (KAFKA_TOPIC='s4', VALUE_FORMAT='JSON', PARTITIONS=4);")
    p.execute("CREATE TABLE A4 AS SELECT K, COUNT(*) AS CNT FROM S4 GROUP BY K;")
    p.execute("CREATE TABLE W4 AS SELECT K, COUNT(*) AS CNT FROM S4 WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY K;")
    for k, ts in (("c", 3000), ("a", 1000), ("c", 1000), ("e", 2000), ("b", 0), ("d", 5000), ("c", 2000)):
        p.engine.driver.produce("s4", [Record(k.encode(), json.dumps({"V": 1}).encode(), ts)])
        p.engine.drain()
    return p


def _keys(rows: list[list[Any]]) -> list[Any]:
    return [r[0] for r in rows]


@pytest.mark.parametrize("table", ["T4", "A4"])
def test_should_lookup_rows_for_single_and_multiple_keys(p: Any, table: str) -> None:
    """KeyedTableLookupOperatorTest.shouldLookupRowsForSingleKey / shouldLookupRowsForMultipleKeys: more than
    one key is looked up in every partition, ascending, each reading the HashSet of all the KeyConstraints
    in its iteration order (KsLocator.locate -> getMetadataForAllPartitions; changed from request order by
    partition); a key without a row adds none."""
    rows = p.rows(f"SELECT * FROM {table} WHERE K IN ('c', 'a', 'e', 'x', 'b', 'd');", OFF)
    assert _keys(rows) == ["b", "a", "d", "c", "e"]
    assert _keys(p.rows(f"SELECT * FROM {table} WHERE K = 'd' OR K = 'a' OR K = 'b';", OFF)) == ["b", "a", "d"]


def test_should_lookup_rows_for_range_key(p: Any) -> None:
    """KeyedTableLookupOperatorTest.shouldLookupRowsForRangeKeySinglePartition / ...MultiplePartitions: a range
    over a STRING key reads every partition."""
    assert sorted(_keys(p.rows("SELECT * FROM T4 WHERE K <= 'c';", OFF))) == ["a", "b", "c"]


def test_should_lookup_rows_for_windowed_keys(p: Any) -> None:
    """KeyedWindowedTableLookupOperatorTest.shouldLookupRowsForSingleKey / shouldLookupRowsForMultipleKey:
    each key's windows, ascending by start (key c's windows arrived as 3000, 1000, 2000); the keys by
    partition, then in the HashSet order of their KeyConstraints (KsLocator.locate)."""
    rows = p.rows("SELECT K, WINDOWSTART FROM W4 WHERE K IN ('c', 'a');", OFF)
    assert rows == [["a", 1000], ["c", 1000], ["c", 2000], ["c", 3000]]
    bounded = p.rows("SELECT K, WINDOWSTART FROM W4 WHERE K = 'c' AND WINDOWSTART >= 2000;", OFF)
    assert bounded == [["c", 2000], ["c", 3000]]


@pytest.mark.parametrize("table", ["T4", "A4"])
def test_should_lookup_rows_for_table_scan(p: Any, table: str) -> None:
    """TableScanOperatorTest.shouldLookupRowsForTableScan: partitions in ascending order (0: a, b; 1: d;
    2: c, e; 3: none)."""
    assert _keys(p.rows(f"SELECT * FROM {table};")) == ["a", "b", "d", "c", "e"]


def test_should_lookup_rows_for_windowed_table_scan(p: Any) -> None:
    """WindowedTableScanOperatorTest.shouldLookupRowsForTableScan: every window of every key."""
    rows = p.rows("SELECT K, WINDOWSTART FROM W4;")
    assert sorted(rows) == [["a", 1000], ["b", 0], ["c", 1000], ["c", 2000], ["c", 3000], ["d", 5000], ["e", 2000]]

