"""Kafka Streams 3.5.1's KTableFilterTest (org.apache.kafka.streams.kstream.internals), as the ksqlDB 0.29 query
that reaches KTableFilter: `CREATE TABLE ... AS SELECT * FROM <table> WHERE ...` (TableFilterBuilder:
transformValues(predicate) -> filter(present) -> mapValues). ksqlDB's source table is materialized
(SourceBuilder.buildKTable: transformValues(..., materialized) unless repartitioned later), so KTableFilter's
constructor enables sending old values (`parent.enableSendingOldValues(false)` is true through the
transformValues): that is doTestSendingOldValue's shape. An update that fails the predicate forwards a null
only when the key's old row passed; a source tombstone likewise (both null: nothing). `filter(predicate)` is
`WHERE V % 2 = 0`, `filterNot(predicate)` is `WHERE NOT (V % 2 = 0)`; the value getters are pull queries
(ROWTIME: the store's timestamp).

Ported: shouldSendOldValuesWhenEnabledOnUpStreamMaterialization (doTestSendingOldValue, ksqlDB's shape; also
shouldEnableSendOldValuesWhen...ForcedToMaterialize, whose records are the same), shouldPassThroughWithoutMaterialization
/ shouldPassThroughOnMaterialization (doTestKTable's updates, their records derived for ksqlDB's materialized
source), shouldGetValuesOnMaterialization (doTestValueGetter).
Skipped:
- shouldNotSendOldValuesWithoutMaterialization, shouldNotSendOldValuesOnMaterialization,
  shouldNotEnableSendingOldValuesIfNotAlreadyMaterializedAndNotForcedToMaterialize (doTestNotSendingOldValue):
  a source table without old values, which a ksqlDB table filter never has.
- shouldSkipNullToRepartitionWithoutMaterialization, shouldSkipNullToRepartitionOnMaterialization,
  shouldNotSkipNullIfVersionedUpstream, shouldSkipNullIfVersionedDownstream: the skipped Change(null, null)
  never reaches an aggregate's output (KTableRepartitionMap drops it either way); versioned stores are not
  used by ksqlDB 0.29.
- testTypeVariance: Java generics only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from ...conftest import pull_rows


@pytest.fixture
def ks(make: Callable[..., Any]) -> Any:
    s = make()
    s.sql("CREATE TABLE T1 (K STRING PRIMARY KEY, V INT) WITH (KAFKA_TOPIC='topic1', PARTITIONS=1, VALUE_FORMAT='JSON');")
    s.sql("CREATE TABLE T2 AS SELECT * FROM T1 WHERE V % 2 = 0;")
    s.sql("CREATE TABLE T3 AS SELECT * FROM T1 WHERE NOT (V % 2 = 0);")
    return s


def _pipe(ks: Any, records: list[tuple[str, int | None, int]]) -> None:
    for key, value, ts in records:
        ks.pipe("topic1", key, None if value is None else {"V": value}, ts)


def test_pass_through(ks: Any) -> None:
    """doTestKTable's updates through filter and filterNot with old values: a rejected row whose key never
    passed writes nothing; a delete writes a null only where the old row passed."""
    _pipe(ks, [("A", 1, 10), ("B", 2, 5), ("C", 3, 8), ("D", 4, 14), ("A", None, 18), ("B", None, 15)])
    assert ks.out("T2", "V") == [("B", 2, 5), ("D", 4, 14), ("B", None, 15)]
    assert ks.out("T3", "V") == [("A", 1, 10), ("C", 3, 8), ("A", None, 18)]


def _get(ks: Any, table: str, key: str) -> list[Any] | None:
    rows = pull_rows(ks.engine, f"SELECT V, ROWTIME FROM {table} WHERE K = '{key}';")
    assert len(rows) <= 1, rows
    return rows[0] if rows else None


def test_get_values_on_materialization(ks: Any) -> None:
    """doTestValueGetter: each table's store holds the rows that pass, with their update's timestamp."""
    _pipe(ks, [("A", 1, 5), ("B", 1, 10), ("C", 1, 15)])
    assert [_get(ks, "T2", k) for k in "ABC"] == [None, None, None]
    assert [_get(ks, "T3", k) for k in "ABC"] == [[1, 5], [1, 10], [1, 15]]
    _pipe(ks, [("A", 2, 10), ("B", 2, 5)])
    assert [_get(ks, "T2", k) for k in "ABC"] == [[2, 10], [2, 5], None]
    assert [_get(ks, "T3", k) for k in "ABC"] == [None, None, [1, 15]]
    _pipe(ks, [("A", 3, 15)])
    assert [_get(ks, "T2", k) for k in "ABC"] == [None, [2, 5], None]
    assert [_get(ks, "T3", k) for k in "ABC"] == [[3, 15], None, [1, 15]]
    _pipe(ks, [("A", None, 10), ("B", None, 20)])
    assert [_get(ks, "T2", k) for k in "ABC"] == [None, None, None]
    assert [_get(ks, "T3", k) for k in "ABC"] == [None, None, [1, 15]]


def test_sending_old_values(ks: Any) -> None:
    """doTestSendingOldValue: the source's records and the filter's, step by step."""
    ks.sql("CREATE TABLE T4 AS SELECT * FROM T1;")
    _pipe(ks, [("A", 1, 5), ("B", 1, 10), ("C", 1, 15)])
    assert ks.read("T4", "V") == [("A", 1, 5), ("B", 1, 10), ("C", 1, 15)]
    assert ks.read("T2", "V") == []
    _pipe(ks, [("A", 2, 15), ("B", 2, 8)])
    assert ks.read("T4", "V") == [("A", 2, 15), ("B", 2, 8)]
    assert ks.read("T2", "V") == [("A", 2, 15), ("B", 2, 8)]
    _pipe(ks, [("A", 3, 20)])
    assert ks.read("T4", "V") == [("A", 3, 20)]
    assert ks.read("T2", "V") == [("A", None, 20)]
    _pipe(ks, [("A", None, 10), ("B", None, 20)])
    assert ks.read("T4", "V") == [("A", None, 10), ("B", None, 20)]
    assert ks.read("T2", "V") == [("B", None, 20)]
