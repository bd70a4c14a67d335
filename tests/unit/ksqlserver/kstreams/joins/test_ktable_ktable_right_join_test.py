"""Kafka Streams 3.5's KTableKTableRightJoinTest (org.apache.kafka.streams.kstream.internals) as a KSQL
table-table `RIGHT JOIN` (CREATE TABLE ... AS SELECT).

ksqlDB 0.29 has RIGHT JOIN (since 0.26): TableTableJoinBuilder builds it as `right.leftJoin(left, joiner)`,
with the sides' schemas swapped, so KTableKTableLeftJoin runs on the right table and KTableKTableRightJoin
(the class of the Java test) on the left one. KTableKTableLeftJoinTest.testJoin, mirrored (its table1 is the
right source here, its table2 the left one, and its "table1+table2" results read "L_V+R_V" the other way
round), shows the same records through the RIGHT JOIN.

Ported: shouldLogAndMeterSkippedRecordsDueToNullLeftKeyWithBuiltInMetricsVersionLatest (a left-table record
with a null key: no result; the log line is Kafka Streams', not ksqlDB's processing log), plus the mirrored
KTableKTableLeftJoinTest.testJoin.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import Joins

KEYS = [0, 1, 2, 3]
RIGHT = "R.K AS K, L.V AS L_V, R.V AS R_V"


def test_should_log_and_meter_skipped_records_due_to_null_left_key(joins: Joins) -> None:
    """shouldLogAndMeterSkippedRecordsDueToNullLeftKeyWithBuiltInMetricsVersionLatest: KTableKTableRightJoin
    skips a left-table record with a null key."""
    t = joins.join("TABLE", "TABLE", "RIGHT JOIN", sink="TABLE", select=RIGHT)
    t.pipe(2, 0, "r0", 0)
    t.check((0, "null+r0", 0))
    t.pipe(1, None, "new", 0)
    t.check()
    t.pipe(1, 0, "l0", 1)
    t.check((0, "l0+r0", 1))


def test_mirrored_left_join_test_join(joins: Joins) -> None:
    """KTableKTableLeftJoinTest.testJoin with the tables swapped, through RIGHT JOIN."""
    t = joins.join("TABLE", "TABLE", "RIGHT JOIN", sink="TABLE", select=RIGHT)
    # push two items to the primary stream. the other table is empty
    for i in range(0, 2):
        t.pipe(2, KEYS[i], "X" + str(KEYS[i]), 5 + i)
    # pass tuple with null key, it will be discarded in join process
    t.pipe(2, None, "SomeVal", 42)
    # left: X0:0 (ts: 5), X1:1 (ts: 6)
    # right:
    t.expect(0, "null+X0", 5)
    t.expect(1, "null+X1", 6)
    t.check()

    # push two items to the other stream. this should produce two items.
    for i in range(0, 2):
        t.pipe(1, KEYS[i], "Y" + str(KEYS[i]), 10 * i)
    # pass tuple with null key, it will be discarded in join process
    t.pipe(1, None, "AnotherVal", 73)
    # left: X0:0 (ts: 5), X1:1 (ts: 6)
    # right: Y0:0 (ts: 0), Y1:1 (ts: 10)
    t.expect(0, "Y0+X0", 5)
    t.expect(1, "Y1+X1", 10)
    t.check()

    # push all four items to the primary stream. this should produce four items.
    for key in KEYS:
        t.pipe(2, key, "XX" + str(key), 7)
    # left: XX0:0 (ts: 7), XX1:1 (ts: 7), XX2:2 (ts: 7), XX3:3 (ts: 7)
    # right: Y0:0 (ts: 0), Y1:1 (ts: 10)
    t.expect(0, "Y0+XX0", 7)
    t.expect(1, "Y1+XX1", 10)
    t.expect(2, "null+XX2", 7)
    t.expect(3, "null+XX3", 7)
    t.check()

    # push all items to the other stream. this should produce four items.
    for key in KEYS:
        t.pipe(1, key, "YY" + str(key), key * 5)
    # left: XX0:0 (ts: 7), XX1:1 (ts: 7), XX2:2 (ts: 7), XX3:3 (ts: 7)
    # right: YY0:0 (ts: 0), YY1:1 (ts: 5), YY2:2 (ts: 10), YY3:3 (ts: 15)
    t.expect(0, "YY0+XX0", 7)
    t.expect(1, "YY1+XX1", 7)
    t.expect(2, "YY2+XX2", 10)
    t.expect(3, "YY3+XX3", 15)
    t.check()

    # push all four items to the primary stream. this should produce four items.
    for key in KEYS:
        t.pipe(2, key, "XXX" + str(key), 6)
    # left: XXX0:0 (ts: 6), XXX1:1 (ts: 6), XXX2:2 (ts: 6), XXX3:3 (ts: 6)
    # right: YY0:0 (ts: 0), YY1:1 (ts: 5), YY2:2 (ts: 10), YY3:3 (ts: 15)
    t.expect(0, "YY0+XXX0", 6)
    t.expect(1, "YY1+XXX1", 6)
    t.expect(2, "YY2+XXX2", 10)
    t.expect(3, "YY3+XXX3", 15)
    t.check()

    # push two items with null to the other stream as deletes. this should produce two item.
    t.pipe(1, KEYS[0], None, 5)
    t.pipe(1, KEYS[1], None, 7)
    # left: XXX0:0 (ts: 6), XXX1:1 (ts: 6), XXX2:2 (ts: 6), XXX3:3 (ts: 6)
    # right: YY2:2 (ts: 10), YY3:3 (ts: 15)
    t.expect(0, "null+XXX0", 6)
    t.expect(1, "null+XXX1", 7)
    t.check()

    # push all four items to the primary stream. this should produce four items.
    for key in KEYS:
        t.pipe(2, key, "XXXX" + str(key), 13)
    # left: XXXX0:0 (ts: 13), XXXX1:1 (ts: 13), XXXX2:2 (ts: 13), XXXX3:3 (ts: 13)
    # right: YY2:2 (ts: 10), YY3:3 (ts: 15)
    t.expect(0, "null+XXXX0", 13)
    t.expect(1, "null+XXXX1", 13)
    t.expect(2, "YY2+XXXX2", 13)
    t.expect(3, "YY3+XXXX3", 15)
    t.check()

    # push three items to the primary stream with null. this should produce four items.
    t.pipe(2, KEYS[0], None, 0)
    t.pipe(2, KEYS[1], None, 42)
    t.pipe(2, KEYS[2], None, 5)
    t.pipe(2, KEYS[3], None, 20)
    # left:
    # right: YY2:2 (ts: 10), YY3:3 (ts: 15)
    t.expect(0, None, 0)
    t.expect(1, None, 42)
    t.expect(2, None, 10)
    t.expect(3, None, 20)
    t.check()
