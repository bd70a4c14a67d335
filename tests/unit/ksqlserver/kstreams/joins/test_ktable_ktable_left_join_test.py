"""Kafka Streams 3.5's KTableKTableLeftJoinTest (org.apache.kafka.streams.kstream.internals) as a KSQL
table-table `LEFT JOIN` (CREATE TABLE ... AS SELECT).

ksqlDB 0.29's TableTableJoinBuilder calls `left.leftJoin(right, joiner)`: KTableImpl.doJoin makes the left
table send old values, KTableKTableLeftJoin joins a left update with the right row or nulls (stamped with
the later timestamp, the left one alone when the right row is missing) and a left deletion emits a
tombstone when the left row existed; KTableKTableRightJoin joins a right update with an existing left row
only. The sink gets each Change's new value (`toStream()`), so the old values that tell
testNotSendingOldValue from testSendingOldValue apart have no observable: their new values are asserted.

Ported: testJoin, testNotSendingOldValue, testSendingOldValue (new values), shouldLogAndMeterSkippedRecordsDue
ToNullLeftKey (the null-key records of testJoin: no result); and KTableKTableLeftJoinValueGetter's
timestamps, as a multi-way join reads an unmaterialized left join.
Skipped:
- shouldNotThrowIllegalStateExceptionWhenMultiCacheEvictions: random input into a record cache with no
  assertion but "does not throw" (ksqlDB's statements run without the record cache here).
"""

from __future__ import annotations

import json
import struct
from typing import TYPE_CHECKING

from ksqlserver.drivers.base import Record

if TYPE_CHECKING:
    from conftest import Joins

KEYS = [0, 1, 2, 3]


def test_join(joins: Joins) -> None:
    """testJoin."""
    t = joins.join("TABLE", "TABLE", "LEFT JOIN", sink="TABLE")
    # push two items to the primary stream. the other table is empty
    for i in range(0, 2):
        t.pipe(1, KEYS[i], "X" + str(KEYS[i]), 5 + i)
    # pass tuple with null key, it will be discarded in join process
    t.pipe(1, None, "SomeVal", 42)
    # left: X0:0 (ts: 5), X1:1 (ts: 6)
    # right:
    t.expect(0, "X0+null", 5)
    t.expect(1, "X1+null", 6)
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

    # push all four items to the primary stream. this should produce four items.
    for key in KEYS:
        t.pipe(1, key, "XX" + str(key), 7)
    # left: XX0:0 (ts: 7), XX1:1 (ts: 7), XX2:2 (ts: 7), XX3:3 (ts: 7)
    # right: Y0:0 (ts: 0), Y1:1 (ts: 10)
    t.expect(0, "XX0+Y0", 7)
    t.expect(1, "XX1+Y1", 10)
    t.expect(2, "XX2+null", 7)
    t.expect(3, "XX3+null", 7)
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
    t.expect(0, "XXX0+null", 6)
    t.expect(1, "XXX1+null", 7)
    t.check()

    # push all four items to the primary stream. this should produce four items.
    for key in KEYS:
        t.pipe(1, key, "XXXX" + str(key), 13)
    # left: XXXX0:0 (ts: 13), XXXX1:1 (ts: 13), XXXX2:2 (ts: 13), XXXX3:3 (ts: 13)
    # right: YY2:2 (ts: 10), YY3:3 (ts: 15)
    t.expect(0, "XXXX0+null", 13)
    t.expect(1, "XXXX1+null", 13)
    t.expect(2, "XXXX2+YY2", 13)
    t.expect(3, "XXXX3+YY3", 15)
    t.check()

    # push three items to the primary stream with null. this should produce four items.
    t.pipe(1, KEYS[0], None, 0)
    t.pipe(1, KEYS[1], None, 42)
    t.pipe(1, KEYS[2], None, 5)
    t.pipe(1, KEYS[3], None, 20)
    # left:
    # right: YY2:2 (ts: 10), YY3:3 (ts: 15)
    t.expect(0, None, 0)
    t.expect(1, None, 42)
    t.expect(2, None, 10)
    t.expect(3, None, 20)
    t.check()


def test_not_sending_old_value(joins: Joins) -> None:
    """testNotSendingOldValue."""
    t = joins.join("TABLE", "TABLE", "LEFT JOIN", sink="TABLE")
    # push two items to the primary stream. the other table is empty
    for i in range(0, 2):
        t.pipe(1, KEYS[i], "X" + str(KEYS[i]), 5 + i)
    # pass tuple with null key, it will be discarded in join process
    t.pipe(1, None, "SomeVal", 42)
    # left: X0:0 (ts: 5), X1:1 (ts: 6)
    # right:
    t.check((0, "X0+null", 5), (1, "X1+null", 6))

    # push two items to the other stream. this should produce two items.
    for i in range(0, 2):
        t.pipe(2, KEYS[i], "Y" + str(KEYS[i]), 10 * i)
    # pass tuple with null key, it will be discarded in join process
    t.pipe(2, None, "AnotherVal", 73)
    # left: X0:0 (ts: 5), X1:1 (ts: 6)
    # right: Y0:0 (ts: 0), Y1:1 (ts: 10)
    t.check((0, "X0+Y0", 5), (1, "X1+Y1", 10))

    # push all four items to the primary stream. this should produce four items.
    for key in KEYS:
        t.pipe(1, key, "XX" + str(key), 7)
    # left: XX0:0 (ts: 7), XX1:1 (ts: 7), XX2:2 (ts: 7), XX3:3 (ts: 7)
    # right: Y0:0 (ts: 0), Y1:1 (ts: 10)
    t.check((0, "XX0+Y0", 7), (1, "XX1+Y1", 10), (2, "XX2+null", 7), (3, "XX3+null", 7))

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
    t.check((0, "XXX0+null", 6), (1, "XXX1+null", 7))

    # push all four items to the primary stream. this should produce four items.
    for key in KEYS:
        t.pipe(1, key, "XXXX" + str(key), 13)
    # left: XXXX0:0 (ts: 13), XXXX1:1 (ts: 13), XXXX2:2 (ts: 13), XXXX3:3 (ts: 13)
    # right: YY2:2 (ts: 10), YY3:3 (ts: 15)
    t.check((0, "XXXX0+null", 13), (1, "XXXX1+null", 13), (2, "XXXX2+YY2", 13), (3, "XXXX3+YY3", 15))

    # push four items to the primary stream with null. this should produce four items.
    t.pipe(1, KEYS[0], None, 0)
    t.pipe(1, KEYS[1], None, 42)
    t.pipe(1, KEYS[2], None, 5)
    t.pipe(1, KEYS[3], None, 20)
    # left:
    # right: YY2:2 (ts: 10), YY3:3 (ts: 15)
    t.check((0, None, 0), (1, None, 42), (2, None, 10), (3, None, 20))


def test_sending_old_value(joins: Joins) -> None:
    """testSendingOldValue."""
    t = joins.join("TABLE", "TABLE", "LEFT JOIN", sink="TABLE")
    # push two items to the primary stream. the other table is empty
    for i in range(0, 2):
        t.pipe(1, KEYS[i], "X" + str(KEYS[i]), 5 + i)
    # pass tuple with null key, it will be discarded in join process
    t.pipe(1, None, "SomeVal", 42)
    # left: X0:0 (ts: 5), X1:1 (ts: 6)
    # right:
    t.check((0, "X0+null", 5), (1, "X1+null", 6))

    # push two items to the other stream. this should produce two items.
    for i in range(0, 2):
        t.pipe(2, KEYS[i], "Y" + str(KEYS[i]), 10 * i)
    # pass tuple with null key, it will be discarded in join process
    t.pipe(2, None, "AnotherVal", 73)
    # left: X0:0 (ts: 5), X1:1 (ts: 6)
    # right: Y0:0 (ts: 0), Y1:1 (ts: 10)
    t.check((0, "X0+Y0", 5), (1, "X1+Y1", 10))

    # push all four items to the primary stream. this should produce four items.
    for key in KEYS:
        t.pipe(1, key, "XX" + str(key), 7)
    # left: XX0:0 (ts: 7), XX1:1 (ts: 7), XX2:2 (ts: 7), XX3:3 (ts: 7)
    # right: Y0:0 (ts: 0), Y1:1 (ts: 10)
    t.check((0, "XX0+Y0", 7), (1, "XX1+Y1", 10), (2, "XX2+null", 7), (3, "XX3+null", 7))

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
    t.check((0, "XXX0+null", 6), (1, "XXX1+null", 7))

    # push all four items to the primary stream. this should produce four items.
    for key in KEYS:
        t.pipe(1, key, "XXXX" + str(key), 13)
    # left: XXXX0:0 (ts: 13), XXXX1:1 (ts: 13), XXXX2:2 (ts: 13), XXXX3:3 (ts: 13)
    # right: YY2:2 (ts: 10), YY3:3 (ts: 15)
    t.check((0, "XXXX0+null", 13), (1, "XXXX1+null", 13), (2, "XXXX2+YY2", 13), (3, "XXXX3+YY3", 15))
    # push four items to the primary stream with null. this should produce four items.
    t.pipe(1, KEYS[0], None, 0)
    t.pipe(1, KEYS[1], None, 42)
    t.pipe(1, KEYS[2], None, 5)
    t.pipe(1, KEYS[3], None, 20)
    # left:
    # right: YY2:2 (ts: 10), YY3:3 (ts: 15)
    t.check((0, None, 0), (1, None, 42), (2, None, 10), (3, None, 20))


def test_multi_way_join_reads_the_left_join_through_its_value_getter(joins: Joins) -> None:
    """KTableKTableLeftJoin.KTableKTableLeftJoinValueGetter: in `T1 LEFT JOIN T2 ... JOIN T3` the left join's
    result is not materialized (ksqlDB's TableTableJoinBuilder chains the KTables), so T3's update reads it
    through the value getter, whose timestamp is the rows' still there: T2's deletion at 8 leaves T1's row
    at 3, and T3's row at 5 joins with it at max(5, 3) = 5. Our multi-way join used to keep the left join's
    event time (8)."""
    e, d = joins.engine, joins.driver
    for name in ("NW1", "NW2", "NW3"):
        e.execute(
            f"CREATE TABLE {name} (K INT PRIMARY KEY, V STRING) "
            f"WITH (KAFKA_TOPIC='{name.lower()}', PARTITIONS=1, VALUE_FORMAT='JSON', KEY_FORMAT='KAFKA');"
        )
    e.execute(
        "CREATE TABLE NWJ AS SELECT NW1.K AS K, NW1.V AS V1, NW2.V AS V2, NW3.V AS V3 "
        "FROM NW1 LEFT JOIN NW2 ON NW1.K = NW2.K JOIN NW3 ON NW1.K = NW3.K;"
    )
    for topic, value, ts in (("nw1", "A", 3), ("nw2", "a", 4), ("nw2", None, 8), ("nw3", "x", 5)):
        data = None if value is None else json.dumps({"V": value}).encode()
        d.produce(topic, [Record(struct.pack(">i", 0), data, ts)])
        e.drain()
    out = [(json.loads(r.value), r.timestamp) for r in d.records(e.state.metastore.require("NWJ").topic)]
    assert out == [({"V1": "A", "V2": None, "V3": "x"}, 5)]
    # T1's update then joins at its own time against the others' rows: max(6, 5)
    d.produce("nw1", [Record(struct.pack(">i", 0), json.dumps({"V": "B"}).encode(), 6)])
    e.drain()
    last = d.records(e.state.metastore.require("NWJ").topic)[-1]
    assert (json.loads(last.value), last.timestamp) == ({"V1": "B", "V2": None, "V3": "x"}, 6)
