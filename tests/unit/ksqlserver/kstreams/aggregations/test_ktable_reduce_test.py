"""Kafka Streams 3.5.1's KTableReduceTest (org.apache.kafka.streams.kstream.internals).

ksqlDB never builds KTableReduce: a table GROUP BY is KGroupedTable#aggregate (TableAggregateBuilder), whose
adder/subtractor pair is the UDAF's aggregate/undo. shouldAddAndSubtract's scenario (a set under one key:
{a}, then {b} replacing it, then deleted) is ported as that aggregate, COLLECT_LIST over a table grouped by
its key (COLLECT_SET is no table UDAF; one value per key makes the list a set): the adder and the subtractor see the old and the new value, never a null, and the result keeps the
largest timestamp (KTableAggregate, as KTableReduce: max(record, aggregate)); the store (read by a pull query)
ends with the empty set at 15. The intermediate subtraction is written as its own record (ksqlDB 0.29: see
test_ktable_aggregate_test.py)."""

from __future__ import annotations

from typing import Any

from ...conftest import pull_rows


def test_should_add_and_subtract(make: Any) -> None:
    ks = make()
    ks.sql("CREATE TABLE T1 (K STRING PRIMARY KEY, V STRING) WITH (KAFKA_TOPIC='topic1', PARTITIONS=1, VALUE_FORMAT='JSON');")
    ks.sql("CREATE TABLE A AS SELECT K, COLLECT_LIST(V) AS S FROM T1 GROUP BY K;")
    ks.pipe("topic1", "A", {"V": "a"}, 10)
    assert pull_rows(ks.engine, "SELECT S, ROWTIME FROM A WHERE K = 'A';") == [[["a"], 10]]
    ks.pipe("topic1", "A", {"V": "b"}, 15)
    assert pull_rows(ks.engine, "SELECT S, ROWTIME FROM A WHERE K = 'A';") == [[["b"], 15]]
    ks.pipe("topic1", "A", None, 12)
    assert pull_rows(ks.engine, "SELECT S, ROWTIME FROM A WHERE K = 'A';") == [[[], 15]]
    assert ks.out("A", "S") == [("A", ["a"], 10), ("A", [], 15), ("A", ["b"], 15), ("A", [], 15)]
