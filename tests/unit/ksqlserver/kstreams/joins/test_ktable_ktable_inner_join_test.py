"""Kafka Streams 3.5's KTableKTableInnerJoinTest (org.apache.kafka.streams.kstream.internals) as a KSQL
table-table `JOIN` (CREATE TABLE ... AS SELECT).

ksqlDB 0.29's TableTableJoinBuilder calls `left.join(right, joiner)` (KTableKTableInnerJoin on both sides,
merged): an update of either side joins the other side's current row and is stamped with the later of the
two rows' timestamps; with no row on the other side nothing is emitted; a deletion with a row on the other
side emits a tombstone (whether or not this side had a row); a record with a null key is skipped. The sink
gets each Change's new value (`toStream()`), so what differs between the sending / not sending old values
variants (the Change's old value) has no observable here: their new values are asserted.

Ported: testJoin / testQueryableJoin (doTestJoin: ksqlDB's CTAS result is materialized either way),
testNotSendingOldValues / testQueryableNotSendingOldValues (doTestNotSendingOldValues), testSendingOldValues
(its new values), shouldLogAndMeterSkippedRecordsDueToNullLeftKey (the null-key records of doTestJoin: no
result; the log line is Kafka Streams', not ksqlDB's processing log).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import Joins

KEYS = [0, 1, 2, 3]


def test_join(joins: Joins) -> None:
    """testJoin, testQueryableJoin (doTestJoin)."""
    t = joins.join("TABLE", "TABLE", "JOIN", sink="TABLE")
    # push two items to the primary stream. the other table is empty
    for i in range(0, 2):
        t.pipe(1, KEYS[i], "X" + str(KEYS[i]), 5 + i)
    # pass tuple with null key, it will be discarded in join process
    t.pipe(1, None, "SomeVal", 42)
    # left: X0:0 (ts: 5), X1:1 (ts: 6)
    # right:
    t.check()

    # push two items to the other stream. this should produce two items.
    for i in range(0, 2):
        t.pipe(2, KEYS[i], "Y" + str(KEYS[i]), 10 * i)
    # pass tuple with null key, it will be discarded in join process
    t.pipe(2, None, "AnotherVal", 73)
    # left: X0:0 (ts: 5), X1:1 (ts: 6)
    # right: Y0:0 (ts: 0), Y1:1 (ts: 10)
    t.expect(0, "X0+Y0", 5)
    t.expect(1, "X1+Y1", 10)
    t.check()

    # push all four items to the primary stream. this should produce two items.
    for key in KEYS:
        t.pipe(1, key, "XX" + str(key), 7)
    # left: XX0:0 (ts: 7), XX1:1 (ts: 7), XX2:2 (ts: 7), XX3:3 (ts: 7)
    # right: Y0:0 (ts: 0), Y1:1 (ts: 10)
    t.expect(0, "XX0+Y0", 7)
    t.expect(1, "XX1+Y1", 10)
    t.check()

    # push all items to the other stream. this should produce four items.
    for key in KEYS:
        t.pipe(2, key, "YY" + str(key), key * 5)
    # left: XX0:0 (ts: 7), XX1:1 (ts: 7), XX2:2 (ts: 7), XX3:3 (ts: 7)
    # right: YY0:0 (ts: 0), YY1:1 (ts: 5), YY2:2 (ts: 10), YY3:3 (ts: 15)
    t.expect(0, "XX0+YY0", 7)
    t.expect(1, "XX1+YY1", 7)
    t.expect(2, "XX2+YY2", 10)
    t.expect(3, "XX3+YY3", 15)
    t.check()

    # push all four items to the primary stream. this should produce four items.
    for key in KEYS:
        t.pipe(1, key, "XXX" + str(key), 6)
    # left: XXX0:0 (ts: 6), XXX1:1 (ts: 6), XXX2:2 (ts: 6), XXX3:3 (ts: 6)
    # right: YY0:0 (ts: 0), YY1:1 (ts: 5), YY2:2 (ts: 10), YY3:3 (ts: 15)
    t.expect(0, "XXX0+YY0", 6)
    t.expect(1, "XXX1+YY1", 6)
    t.expect(2, "XXX2+YY2", 10)
    t.expect(3, "XXX3+YY3", 15)
    t.check()

    # push two items with null to the other stream as deletes. this should produce two item.
    t.pipe(2, KEYS[0], None, 5)
    t.pipe(2, KEYS[1], None, 7)
    # left: XXX0:0 (ts: 6), XXX1:1 (ts: 6), XXX2:2 (ts: 6), XXX3:3 (ts: 6)
    # right: YY2:2 (ts: 10), YY3:3 (ts: 15)
    t.expect(0, None, 6)
    t.expect(1, None, 7)
    t.check()

    # push all four items to the primary stream. this should produce two items.
    for key in KEYS:
        t.pipe(1, key, "XXXX" + str(key), 13)
    # left: XXXX0:0 (ts: 13), XXXX1:1 (ts: 13), XXXX2:2 (ts: 13), XXXX3:3 (ts: 13)
    # right: YY2:2 (ts: 10), YY3:3 (ts: 15)
    t.expect(2, "XXXX2+YY2", 13)
    t.expect(3, "XXXX3+YY3", 15)
    t.check()

    # push fourt items to the primary stream with null. this should produce two items.
    t.pipe(1, KEYS[0], None, 0)
    t.pipe(1, KEYS[1], None, 42)
    t.pipe(1, KEYS[2], None, 5)
    t.pipe(1, KEYS[3], None, 20)
    # left:
    # right: YY2:2 (ts: 10), YY3:3 (ts: 15)
    t.expect(2, None, 10)
    t.expect(3, None, 20)
    t.check()


def test_not_sending_old_values(joins: Joins) -> None:
    """testNotSendingOldValues, testQueryableNotSendingOldValues (doTestNotSendingOldValues)."""
    t = joins.join("TABLE", "TABLE", "JOIN", sink="TABLE")
    # push two items to the primary stream. the other table is empty
    for i in range(0, 2):
        t.pipe(1, KEYS[i], "X" + str(KEYS[i]), 5 + i)
    # pass tuple with null key, it will be discarded in join process
    t.pipe(1, None, "SomeVal", 42)
    # left: X0:0 (ts: 5), X1:1 (ts: 6)
    # right:
    t.check()

    # push two items to the other stream. this should produce two items.
    for i in range(0, 2):
        t.pipe(2, KEYS[i], "Y" + str(KEYS[i]), 10 * i)
    # pass tuple with null key, it will be discarded in join process
    t.pipe(2, None, "AnotherVal", 73)
    # left: X0:0 (ts: 5), X1:1 (ts: 6)
    # right: Y0:0 (ts: 0), Y1:1 (ts: 10)
    t.check((0, "X0+Y0", 5), (1, "X1+Y1", 10))
    # push all four items to the primary stream. this should produce two items.
    for key in KEYS:
        t.pipe(1, key, "XX" + str(key), 7)
    # left: XX0:0 (ts: 7), XX1:1 (ts: 7), XX2:2 (ts: 7), XX3:3 (ts: 7)
    # right: Y0:0 (ts: 0), Y1:1 (ts: 10)
    t.check((0, "XX0+Y0", 7), (1, "XX1+Y1", 10))
    # push all items to the other stream. this should produce four items.
    for key in KEYS:
        t.pipe(2, key, "YY" + str(key), key * 5)
    # left: XX0:0 (ts: 7), XX1:1 (ts: 7), XX2:2 (ts: 7), XX3:3 (ts: 7)
    # right: YY0:0 (ts: 0), YY1:1 (ts: 5), YY2:2 (ts: 10), YY3:3 (ts: 15)
    t.check((0, "XX0+YY0", 7), (1, "XX1+YY1", 7), (2, "XX2+YY2", 10), (3, "XX3+YY3", 15))

    # push all four items to the primary stream. this should produce four items.
    for key in KEYS:
        t.pipe(1, key, "XXX" + str(key), 6)
    # left: XXX0:0 (ts: 6), XXX1:1 (ts: 6), XXX2:2 (ts: 6), XXX3:3 (ts: 6)
    # right: YY0:0 (ts: 0), YY1:1 (ts: 5), YY2:2 (ts: 10), YY3:3 (ts: 15)
    t.check((0, "XXX0+YY0", 6), (1, "XXX1+YY1", 6), (2, "XXX2+YY2", 10), (3, "XXX3+YY3", 15))

    # push two items with null to the other stream as deletes. this should produce two item.
    t.pipe(2, KEYS[0], None, 5)
    t.pipe(2, KEYS[1], None, 7)
    # left: XXX0:0 (ts: 6), XXX1:1 (ts: 6), XXX2:2 (ts: 6), XXX3:3 (ts: 6)
    # right: YY2:2 (ts: 10), YY3:3 (ts: 15)
    t.check((0, None, 6), (1, None, 7))
    # push all four items to the primary stream. this should produce two items.
    for key in KEYS:
        t.pipe(1, key, "XXXX" + str(key), 13)
    # left: XXXX0:0 (ts: 13), XXXX1:1 (ts: 13), XXXX2:2 (ts: 13), XXXX3:3 (ts: 13)
    # right: YY2:2 (ts: 10), YY3:3 (ts: 15)
    t.check((2, "XXXX2+YY2", 13), (3, "XXXX3+YY3", 15))
    # push four items to the primary stream with null. this should produce two items.
    t.pipe(1, KEYS[0], None, 0)
    t.pipe(1, KEYS[1], None, 42)
    t.pipe(1, KEYS[2], None, 5)
    t.pipe(1, KEYS[3], None, 20)
    # left:
    # right: YY2:2 (ts: 10), YY3:3 (ts: 15)
    t.check((2, None, 10), (3, None, 20))


def test_sending_old_values(joins: Joins) -> None:
    """testSendingOldValues."""
    t = joins.join("TABLE", "TABLE", "JOIN", sink="TABLE")
    # push two items to the primary stream. the other table is empty
    for i in range(0, 2):
        t.pipe(1, KEYS[i], "X" + str(KEYS[i]), 5 + i)
    # pass tuple with null key, it will be discarded in join process
    t.pipe(1, None, "SomeVal", 42)
    # left: X0:0 (ts: 5), X1:1 (ts: 6)
    # right:
    t.check()

    # push two items to the other stream. this should produce two items.
    for i in range(0, 2):
        t.pipe(2, KEYS[i], "Y" + str(KEYS[i]), 10 * i)
    # pass tuple with null key, it will be discarded in join process
    t.pipe(2, None, "AnotherVal", 73)
    # left: X0:0 (ts: 5), X1:1 (ts: 6)
    # right: Y0:0 (ts: 0), Y1:1 (ts: 10)
    t.check((0, "X0+Y0", 5), (1, "X1+Y1", 10))
    # push all four items to the primary stream. this should produce two items.
    for key in KEYS:
        t.pipe(1, key, "XX" + str(key), 7)
    # left: XX0:0 (ts: 7), XX1:1 (ts: 7), XX2:2 (ts: 7), XX3:3 (ts: 7)
    # right: Y0:0 (ts: 0), Y1:1 (ts: 10)
    t.check((0, "XX0+Y0", 7), (1, "XX1+Y1", 10))
    # push all items to the other stream. this should produce four items.
    for key in KEYS:
        t.pipe(2, key, "YY" + str(key), key * 5)
    # left: XX0:0 (ts: 7), XX1:1 (ts: 7), XX2:2 (ts: 7), XX3:3 (ts: 7)
    # right: YY0:0 (ts: 0), YY1:1 (ts: 5), YY2:2 (ts: 10), YY3:3 (ts: 15)
    t.check((0, "XX0+YY0", 7), (1, "XX1+YY1", 7), (2, "XX2+YY2", 10), (3, "XX3+YY3", 15))

    # push all four items to the primary stream. this should produce four items.
    for key in KEYS:
        t.pipe(1, key, "XXX" + str(key), 6)
    # left: XXX0:0 (ts: 6), XXX1:1 (ts: 6), XXX2:2 (ts: 6), XXX3:3 (ts: 6)
    # right: YY0:0 (ts: 0), YY1:1 (ts: 5), YY2:2 (ts: 10), YY3:3 (ts: 15)
    t.check((0, "XXX0+YY0", 6), (1, "XXX1+YY1", 6), (2, "XXX2+YY2", 10), (3, "XXX3+YY3", 15))

    # push two items with null to the other stream as deletes. this should produce two item.
    t.pipe(2, KEYS[0], None, 5)
    t.pipe(2, KEYS[1], None, 7)
    # left: XXX0:0 (ts: 6), XXX1:1 (ts: 6), XXX2:2 (ts: 6), XXX3:3 (ts: 6)
    # right: YY2:2 (ts: 10), YY3:3 (ts: 15)
    t.check((0, None, 6), (1, None, 7))
    # push all four items to the primary stream. this should produce two items.
    for key in KEYS:
        t.pipe(1, key, "XXXX" + str(key), 13)
    # left: XXXX0:0 (ts: 13), XXXX1:1 (ts: 13), XXXX2:2 (ts: 13), XXXX3:3 (ts: 13)
    # right: YY2:2 (ts: 10), YY3:3 (ts: 15)
    t.check((2, "XXXX2+YY2", 13), (3, "XXXX3+YY3", 15))
    # push four items to the primary stream with null. this should produce two items.
    t.pipe(1, KEYS[0], None, 0)
    t.pipe(1, KEYS[1], None, 42)
    t.pipe(1, KEYS[2], None, 5)
    t.pipe(1, KEYS[3], None, 20)
    # left:
    # right: YY2:2 (ts: 10), YY3:3 (ts: 15)
    t.check((2, None, 10), (3, None, 20))
