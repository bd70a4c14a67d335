"""Kafka Streams 3.5.1's KTableAggregateTest (org.apache.kafka.streams.kstream.internals), as the ksqlDB 0.29
table aggregation that reaches KTableRepartitionMap + KTableAggregate: `SELECT ... FROM <table> GROUP BY ...`
(TableGroupByBuilder: KTable#groupBy; TableAggregateBuilder: KGroupedTable#aggregate with the UDAFs' undo
as the subtractor). MockAggregator's TOSTRING_ADDER / TOSTRING_REMOVER ("0+1-1+3") are COLLECT_LIST's add
and undo (["3"]); count() is COUNT(*).

Where ksqlDB 0.29 and Kafka Streams 3.5.1 disagree, ksqlDB's observed output wins: 3.5.1's
KTableRepartitionMap (KIP-904, not upgrading from <= 3.4) forwards an update that keeps its grouping key as
one Change(new, old), applied as one subtract-then-add, but ksqlDB 0.29's own query-validation cases (the
development corpus: average-udaf.json "average udaf with table", group-by.json "constant (table->table)",
"with aggregate arithmetic involving source field (table->table)", "on join", sum.json "sum int left join of
table") expect the subtraction and the addition as two outputs, the transient state between them included,
as in Kafka Streams <= 3.4 (testShouldSendTransientStateWhenUpgrading's expectation). So every update is
subtracted from its old group (one output), then added to its new group (another), each output timestamped
with the larger of the record's and the aggregate's timestamps (KTableAggregate).

Ported: testAggBasic, testAggRepartition (the mapper's null key: a null grouping value, which ksqlDB drops
too), testCount, testCountWithInternalStore (the same in ksqlDB), testRemoveOldBeforeAddNew,
testShouldSendTransientStateWhenUpgrading (ksqlDB's behaviour, with or without upgrade.from),
testShouldNotSendTransientStateIfNotUpgrading (inverted: ksqlDB 0.29 writes the transient state, see above).
Skipped:
- testAggOfVersionedStore, testCountOfVersionedStore: ksqlDB 0.29 never materializes a versioned store.
- testNoEqualsAndNotSameObject, testNoEqualsAndSameObject: Java object identity of keys (ksqlDB's GenericKey
  has value equality; the unchanged-key path is testShouldNotSendTransientStateIfNotUpgrading's).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

TABLE = "CREATE TABLE T1 (K STRING PRIMARY KEY, V STRING) WITH (KAFKA_TOPIC='topic1', PARTITIONS=1, VALUE_FORMAT='JSON');"


def _ks(make: Callable[..., Any], query: str, props: dict[str, str] | None = None) -> Any:
    s = make(props)
    s.sql(TABLE)
    s.sql(query)
    return s


def _pipe(ks: Any, records: list[tuple[str, str | None, int]]) -> None:
    for key, value, ts in records:
        ks.pipe("topic1", key, None if value is None else {"V": value}, ts)


def _list(agg: str) -> list[str]:
    """MockAggregator's "0+1-1+3" as the list COLLECT_LIST holds."""
    out: list[str] = []
    for part in agg.replace("-", "+-").split("+")[1:]:
        if part.startswith("-"):
            out.remove(part[1:])
        else:
            out.append(part)
    return out


def test_agg_basic(make: Any) -> None:
    """testAggBasic, grouped by its own key: an update subtracts the old value (a transient output) before it
    adds the new one (module docstring: ksqlDB 0.29 keeps the two apart)."""
    ks = _ks(make, "CREATE TABLE A AS SELECT K, COLLECT_LIST(V) AS L FROM T1 GROUP BY K;")
    _pipe(ks, [("A", "1", 10), ("B", "2", 15), ("A", "3", 20), ("B", "4", 18),
               ("C", "5", 5), ("D", "6", 25), ("B", "7", 15), ("C", "8", 10)])  # fmt: skip
    expected = [("A", "0+1", 10), ("B", "0+2", 15), ("A", "0+1-1", 20), ("A", "0+1-1+3", 20),
                ("B", "0+2-2", 18), ("B", "0+2-2+4", 18), ("C", "0+5", 5), ("D", "0+6", 25),
                ("B", "0+2-2+4-4", 18), ("B", "0+2-2+4-4+7", 18), ("C", "0+5-5", 10), ("C", "0+5-5+8", 10)]  # fmt: skip
    assert ks.out("A", "L") == [(k, _list(v), ts) for k, v, ts in expected]


def test_agg_repartition(make: Any) -> None:
    """testAggRepartition: grouped by the value; a delete subtracts, a null grouping value is skipped, a moved
    key subtracts from the old group (timestamp: the larger of the record's and the old aggregate's) and
    adds to the new one."""
    ks = _ks(make, "CREATE TABLE A AS SELECT V, COLLECT_LIST(V) AS L FROM T1 GROUP BY V;")
    for key, value, ts in [("A", "1", 10), ("A", None, 15), ("A", "1", 12), ("B", "2", 20),
                           ("null", {"V": None}, 25), ("B", "4", 23), ("NULL", {"V": None}, 24), ("B", "7", 22)]:
        ks.pipe("topic1", key, {"V": value} if isinstance(value, str) else value, ts)
    expected = [("1", "0+1", 10), ("1", "0+1-1", 15), ("1", "0+1-1+1", 15), ("2", "0+2", 20),
                ("2", "0+2-2", 23), ("4", "0+4", 23), ("4", "0+4-4", 23), ("7", "0+7", 22)]  # fmt: skip
    assert ks.out("A", "L") == [(k, _list(v), ts) for k, v, ts in expected]


def test_count(make: Any) -> None:
    """testCount / testCountWithInternalStore: COUNT(*) grouped by the value."""
    ks = _ks(make, "CREATE TABLE A AS SELECT V, COUNT(*) AS N FROM T1 GROUP BY V;")
    _pipe(ks, [("A", "green", 10), ("B", "green", 9), ("A", "blue", 12), ("C", "yellow", 15), ("D", "green", 11)])
    assert ks.out("A", "N") == [
        ("green", 1, 10),
        ("green", 2, 10),
        ("green", 1, 12),
        ("blue", 1, 12),
        ("yellow", 1, 15),
        ("green", 2, 12),
    ]


def test_remove_old_before_add_new(make: Any) -> None:
    """testRemoveOldBeforeAddNew: key "11" groups under "1" with value "1"; an update of "12" that keeps its
    group is removed before it is added again ("2", not "22"), the removal written too (ksqlDB 0.29)."""
    ks = _ks(make, "CREATE TABLE A AS SELECT SUBSTRING(K, 1, 1) AS G, COLLECT_LIST(SUBSTRING(K, 2, 1)) AS L "
                   "FROM T1 GROUP BY SUBSTRING(K, 1, 1);")  # fmt: skip
    _pipe(ks, [("11", "A", 10), ("12", "B", 8), ("11", None, 12), ("12", "C", 6)])
    assert ks.out("A", "L") == [
        ("1", ["1"], 10), ("1", ["1", "2"], 10), ("1", ["2"], 12), ("1", [], 12), ("1", ["2"], 12),
    ]  # fmt: skip


def test_transient_state_of_an_unchanged_key(make: Any) -> None:
    """testShouldNotSendTransientStateIfNotUpgrading / testShouldSendTransientStateWhenUpgrading: ksqlDB 0.29
    writes the transient 0 between the subtraction and the addition (module docstring)."""
    ks = _ks(make, "CREATE TABLE A AS SELECT K, COUNT(*) AS N FROM T1 GROUP BY K;")
    _pipe(ks, [("1", "", 8), ("1", "", 9)])
    assert ks.out("A", "N") == [("1", 1, 8), ("1", 0, 9), ("1", 1, 9)]
