"""docs/developer-guide/joins/join-streams-and-tables.md: the semantics tables of stream-stream,
stream-table, primary-key table-table and foreign-key table-table joins, each row of a table produced as
one record (all records of one key, in timestamp order; the table's timestamps as seconds), and the
output-timestamp rules of concepts/time-and-windows-in-ksqldb-queries.md ("Timestamps for aggregations
and joins")."""

from __future__ import annotations

from typing import Any

import pytest

from ksqlserver.errors import KsqlError

from .conftest import NO_EMIT_INTERVAL, Step

LEFT_STREAM = "CREATE STREAM L (K STRING KEY, V STRING) WITH (KAFKA_TOPIC='left', VALUE_FORMAT='JSON');"
RIGHT_STREAM = "CREATE STREAM R (K STRING KEY, V STRING) WITH (KAFKA_TOPIC='right', VALUE_FORMAT='JSON');"
LEFT_TABLE = "CREATE TABLE L (K STRING PRIMARY KEY, V STRING) WITH (KAFKA_TOPIC='left', VALUE_FORMAT='JSON');"
RIGHT_TABLE = "CREATE TABLE R (K STRING PRIMARY KEY, V STRING) WITH (KAFKA_TOPIC='right', VALUE_FORMAT='JSON');"
# the key column of each join type's result: the left key, the right key, the synthetic ROWKEY
KEY = {"INNER": "L.K", "LEFT": "L.K", "RIGHT": "R.K", "FULL OUTER": "ROWKEY"}
TOMBSTONE = "tombstone"


def _steps(rows: list[tuple[int, str, str | None]]) -> list[Step]:
    """A docs table's input column as records of key "k": a letter is {"V": letter}; None a null value;
    TOMBSTONE a table tombstone (also a null value: the docs tell them apart only in words)."""
    return [
        (s * 1000, "left" if side == "L" else "right", "k", None if v in (None, TOMBSTONE) else {"V": v})
        for s, side, v in rows
    ]


def _by_second(got: dict[int, list[Any]]) -> dict[int, list[Any]]:
    return {ts // 1000: rows for ts, rows in got.items()}


def _pair(_key: Any, value: Any) -> Any:
    return None if value is None else (value["LV"], value["RV"])


# "Semantics of Stream-Stream Joins": each row a new record, one key, window 15 s, grace 5 s
SS_INPUT = [
    (1, "L", None), (2, "R", None), (3, "L", "A"), (4, "R", "a"), (5, "L", "B"), (6, "R", "b"),
    (7, "L", None), (8, "R", None), (9, "L", "C"), (10, "R", "c"), (11, "R", None), (12, "L", None),
    (13, "R", None), (14, "R", "d"), (15, "L", "D"), (40, "L", "E"), (60, "L", "F"), (80, "R", "f"),
    (100, "L", "G"),
]  # fmt: skip
SS_MATCHES = {
    4: [("A", "a")],
    5: [("B", "a")],
    6: [("A", "b"), ("B", "b")],
    9: [("C", "a"), ("C", "b")],
    10: [("A", "c"), ("B", "c"), ("C", "c")],
    14: [("A", "d"), ("B", "d"), ("C", "d")],
    15: [("D", "a"), ("D", "b"), ("D", "c"), ("D", "d")],
}
# the null-padded results of the records that never matched, by the record that emits them
SS_UNMATCHED = {
    "INNER": {},
    "LEFT": {80: [("E", None)], 100: [("F", None)]},
    "RIGHT": {},
    "FULL OUTER": {80: [("E", None)], 100: [("F", None)]},
}


@pytest.mark.parametrize("kind", ["INNER", "LEFT", "RIGHT", "FULL OUTER"])
def test_semantics_of_stream_stream_joins(docs: Any, kind: str) -> None:
    """"Semantics of Stream-Stream Joins" (WITHIN 15 SECONDS GRACE PERIOD 5 SECONDS): null values trigger
    nothing and every match is emitted at once, as the table shows. The rows 40-100 (the null-padded
    results of E, F and f) follow Kafka Streams 3.5's KStreamKStreamJoin, whose spurious-results fix holds
    an unmatched record in the shared outer store until stream time passes its timestamp + the window's
    after + grace, and looks at the store only when a record arrives and stream time is more than
    max(before, after) + grace past the oldest held record (`emitNonJoinedOuterRecords`):
    E (40) is emitted by f at 80 (the table says by F at 60, where 40 + 15 + 5 is not yet past 60), F (60)
    by G at 100 (the table: by f at 80), and f (80) is not emitted by G at 100 (80 + 15 + 5 is not past
    100; the table shows [null, f] there). The table's RIGHT JOIN column at 80 reads [F, null], which a
    right join (the right stream left-joined with the left one) cannot emit; the source emits nothing there.
    """
    h = docs(NO_EMIT_INTERVAL)
    h.ensure_topics("left", "right")
    h.sql(LEFT_STREAM)
    h.sql(RIGHT_STREAM)
    h.sql(f"CREATE STREAM J AS SELECT {KEY[kind]} AS K, L.V AS LV, R.V AS RV FROM L {kind} JOIN R "
          "WITHIN 15 SECONDS GRACE PERIOD 5 SECONDS ON L.K = R.K;")  # fmt: skip
    got = _by_second(h.steps("J", _steps(SS_INPUT), _pair))
    assert got == {**SS_MATCHES, **SS_UNMATCHED[kind]}


def test_stream_stream_left_join_without_grace_emits_eagerly(docs: Any) -> None:
    """The table's note: "If you don't specify a grace period, left/outer join results are emitted eagerly":
    without GRACE PERIOD (KStreamKStreamJoin without the spurious-results fix, JoinWindows.of) an
    unmatched left record is null-padded at once, and a later match is emitted as well."""
    h = docs(NO_EMIT_INTERVAL)
    h.ensure_topics("left", "right")
    h.sql(LEFT_STREAM)
    h.sql(RIGHT_STREAM)
    h.sql("CREATE STREAM J AS SELECT L.K AS K, L.V AS LV, R.V AS RV FROM L LEFT JOIN R WITHIN 15 SECONDS "
          "ON L.K = R.K;")  # fmt: skip
    got = _by_second(h.steps("J", _steps([(3, "L", "A"), (4, "R", "a"), (40, "L", "E")]), _pair))
    assert got == {3: [("A", None)], 4: [("A", "a")], 40: [("E", None)]}


def test_stream_stream_join_output_timestamp(docs: Any) -> None:
    """concepts/time-and-windows-in-ksqldb-queries.md, "Timestamps for aggregations and joins": a
    stream-stream join result has max(left.ts, right.ts) (KStreamKStreamJoin forwards with the larger)."""
    h = docs(NO_EMIT_INTERVAL)
    h.ensure_topics("left", "right")
    h.sql(LEFT_STREAM)
    h.sql(RIGHT_STREAM)
    h.sql("CREATE STREAM J AS SELECT L.K AS K, L.V AS LV, R.V AS RV FROM L JOIN R WITHIN 15 SECONDS "
          "ON L.K = R.K;")  # fmt: skip
    h.steps("J", [(5000, "left", "k", {"V": "A"}), (2000, "right", "k", {"V": "a"})], _pair)
    assert [(v["LV"], v["RV"], ts) for _, v, ts in h.stamped("J")] == [("A", "a", 5000)]


# "Semantics of Stream-Table Joins"
ST_INPUT = [
    (1, "L", None), (2, "R", TOMBSTONE), (3, "L", "A"), (4, "R", "a"), (5, "L", "B"), (6, "R", "b"),
    (7, "L", None), (8, "R", TOMBSTONE), (9, "L", "C"), (10, "R", "c"), (11, "R", None), (12, "L", None),
    (13, "R", None), (14, "R", "d"), (15, "L", "D"),
]  # fmt: skip
ST_OUTPUT = {
    "INNER": {5: [("B", "a")], 15: [("D", "d")]},
    "LEFT": {3: [("A", None)], 5: [("B", "a")], 9: [("C", None)], 15: [("D", "d")]},
}


@pytest.mark.parametrize("kind", ["INNER", "LEFT"])
def test_semantics_of_stream_table_joins(docs: Any, kind: str) -> None:
    """"Semantics of Stream-Table Joins": only stream records trigger the join (KStreamKTableJoin); table
    records (and tombstones, and the table's null values, which are tombstones too) only change the
    table side."""
    h = docs()
    h.ensure_topics("left", "right")
    h.sql(LEFT_STREAM)
    h.sql(RIGHT_TABLE)
    h.sql(f"CREATE STREAM J AS SELECT L.K AS K, L.V AS LV, R.V AS RV FROM L {kind} JOIN R ON L.K = R.K;")
    assert _by_second(h.steps("J", _steps(ST_INPUT), _pair)) == ST_OUTPUT[kind]


def test_stream_table_join_output_timestamp(docs: Any) -> None:
    """"Timestamps for aggregations and joins": a stream-table join result has the stream record's
    timestamp (KStreamKTableJoinProcessor forwards the stream record)."""
    h = docs()
    h.ensure_topics("left", "right")
    h.sql(LEFT_STREAM)
    h.sql(RIGHT_TABLE)
    h.sql("CREATE STREAM J AS SELECT L.K AS K, L.V AS LV, R.V AS RV FROM L JOIN R ON L.K = R.K;")
    h.steps("J", [(9000, "right", "k", {"V": "a"}), (5000, "left", "k", {"V": "A"})], _pair)
    assert [(v["LV"], v["RV"], ts) for _, v, ts in h.stamped("J")] == [("A", "a", 5000)]


# "Semantics of Primary-Key Table-Table Joins"
TT_INPUT = [
    (1, "L", TOMBSTONE), (2, "R", TOMBSTONE), (3, "L", "A"), (4, "R", "a"), (5, "L", "B"), (6, "R", "b"),
    (7, "L", TOMBSTONE), (8, "R", TOMBSTONE), (9, "L", "C"), (10, "R", "c"), (11, "R", TOMBSTONE),
    (12, "L", TOMBSTONE), (13, "R", TOMBSTONE), (14, "R", "d"), (15, "L", "D"),
]  # fmt: skip
TT_OUTPUT: dict[str, dict[int, list[Any]]] = {
    "INNER": {4: [("A", "a")], 5: [("B", "a")], 6: [("B", "b")], 7: [None], 10: [("C", "c")], 11: [None],
              15: [("D", "d")]},
    "LEFT": {3: [("A", None)], 4: [("A", "a")], 5: [("B", "a")], 6: [("B", "b")], 7: [None],
             9: [("C", None)], 10: [("C", "c")], 11: [("C", None)], 12: [None], 15: [("D", "d")]},
    "RIGHT": {4: [("A", "a")], 5: [("B", "a")], 6: [("B", "b")], 7: [(None, "b")], 8: [None],
              10: [("C", "c")], 11: [None], 14: [(None, "d")], 15: [("D", "d")]},
    "FULL OUTER": {3: [("A", None)], 4: [("A", "a")], 5: [("B", "a")], 6: [("B", "b")], 7: [(None, "b")],
                   8: [None], 9: [("C", None)], 10: [("C", "c")], 11: [("C", None)], 12: [None],
                   14: [(None, "d")], 15: [("D", "d")]},
}  # fmt: skip


@pytest.mark.parametrize("kind", ["INNER", "LEFT", "RIGHT", "FULL OUTER"])
def test_semantics_of_primary_key_table_table_joins(docs: Any, kind: str) -> None:
    """"Semantics of Primary-Key Table-Table Joins" (KTableKTable{Inner,Left,Outer}Join): a tombstone
    is forwarded only where a join result existed; a RIGHT join is the right table left-joined."""
    h = docs()
    h.ensure_topics("left", "right")
    h.sql(LEFT_TABLE)
    h.sql(RIGHT_TABLE)
    h.sql(f"CREATE TABLE J AS SELECT {KEY[kind]} AS K, L.V AS LV, R.V AS RV FROM L {kind} JOIN R "
          "ON L.K = R.K;")  # fmt: skip
    assert _by_second(h.steps("J", _steps(TT_INPUT), _pair)) == TT_OUTPUT[kind]


# "Semantics of Foreign-Key Table-Table Joins": (second, side, primary key, value: (fk, n) / m / None)
FK_INPUT: list[tuple[int, str, str, Any]] = [
    (1, "L", "A", None), (2, "R", "a", None), (3, "L", "A", ("a", 1)), (4, "R", "a", 10), (5, "R", "a", 11),
    (6, "L", "A", ("a", 2)), (7, "L", "B", ("a", 3)), (8, "R", "a", 12), (9, "R", "c", 13),
    (10, "L", "C", ("c", 4)), (11, "L", "C", None), (12, "R", "c", None), (13, "R", "a", None),
    (14, "L", "B", None),
]  # fmt: skip
FK_OUTPUT: dict[str, dict[int, list[Any]]] = {
    "INNER": {4: [("A", "a", 1, "a", 10)], 5: [("A", "a", 1, "a", 11)], 6: [("A", "a", 2, "a", 11)],
              7: [("B", "a", 3, "a", 11)], 8: [("A", "a", 2, "a", 12), ("B", "a", 3, "a", 12)],
              10: [("C", "c", 4, "c", 13)], 11: [("C", None)], 13: [("A", None), ("B", None)],
              14: [("B", None)]},
    "LEFT": {3: [("A", "a", 1, None, None)], 4: [("A", "a", 1, "a", 10)], 5: [("A", "a", 1, "a", 11)],
             6: [("A", "a", 2, "a", 11)], 7: [("B", "a", 3, "a", 11)],
             8: [("A", "a", 2, "a", 12), ("B", "a", 3, "a", 12)], 10: [("C", "c", 4, "c", 13)],
             11: [("C", None)], 13: [("A", "a", 2, None, None), ("B", "a", 3, None, None)],
             14: [("B", None)]},
}  # fmt: skip


@pytest.mark.parametrize("kind", ["INNER", "LEFT"])
def test_semantics_of_foreign_key_table_table_joins(docs: Any, kind: str) -> None:
    """"Semantics of Foreign-Key Table-Table Joins" ([primary key, foreign key, value] on the left,
    [primary key, value] on the right). One difference with the table, where the source wins: the INNER
    JOIN's row 14 (B's tombstone, B's result already deleted at 13) shows no output, but Kafka Streams 3.5
    forwards one: SubscriptionSendProcessorSupplier sends DELETE_KEY_AND_PROPAGATE for a deleted left row
    with an old value, the subscription side answers it with a null foreign value, and
    ResponseJoinProcessorSupplier forwards a null result for it whatever was emitted before."""
    h = docs()
    h.ensure_topics("left", "right")
    h.sql("CREATE TABLE L (ID STRING PRIMARY KEY, FK STRING, N INT) WITH (KAFKA_TOPIC='left', "
          "VALUE_FORMAT='JSON');")  # fmt: skip
    h.sql("CREATE TABLE R (ID STRING PRIMARY KEY, M INT) WITH (KAFKA_TOPIC='right', VALUE_FORMAT='JSON');")
    h.sql(f"CREATE TABLE J AS SELECT L.ID AS ID, L.FK AS FK, L.N AS N, R.ID AS RID, R.M AS M FROM L "
          f"{kind} JOIN R ON L.FK = R.ID;")  # fmt: skip
    steps: list[Step] = []
    for s, side, key, v in FK_INPUT:
        if side == "L":
            steps.append((s * 1000, "left", key, None if v is None else {"FK": v[0], "N": v[1]}))
        else:
            steps.append((s * 1000, "right", key, None if v is None else {"M": v}))

    def row(key: Any, value: Any) -> Any:
        return (key, None) if value is None else (key, value["FK"], value["N"], value["RID"], value["M"])

    assert _by_second(h.steps("J", steps, row)) == FK_OUTPUT[kind]


def test_table_table_join_output_timestamp(docs: Any) -> None:
    """"Timestamps for aggregations and joins": a table-table join result has max(left.ts, right.ts)
    (KTableKTableInnerJoin forwards with the larger of the record's and the other side's timestamp)."""
    h = docs()
    h.ensure_topics("left", "right")
    h.sql(LEFT_TABLE)
    h.sql(RIGHT_TABLE)
    h.sql("CREATE TABLE J AS SELECT L.K AS K, L.V AS LV, R.V AS RV FROM L JOIN R ON L.K = R.K;")
    h.steps("J", [(9000, "right", "k", {"V": "a"}), (5000, "left", "k", {"V": "A"})], _pair)
    assert [(v["LV"], v["RV"], ts) for _, v, ts in h.stamped("J")] == [("A", "a", 9000)]


def test_stream_stream_stream_join(docs: Any) -> None:
    """"JOIN Clause" and select-push-query.md's "WITHIN and GRACE PERIOD": shipped_orders holds the orders
    paid within 1 hour of the order and shipped within 2 hours of the order-payment result (the second
    join looks at the first one's result, timestamped max(order, payment)). o1: paid at 0:30, shipped at
    2:00 (2:00 - 0:30 is within 2 hours); o2: paid more than an hour after; o3: shipped 3 hours after."""
    h = docs(NO_EMIT_INTERVAL)
    h.ensure_topics("orders", "payments", "shipments")
    h.sql("CREATE STREAM orders (id STRING KEY, itemid STRING) WITH (KAFKA_TOPIC='orders', VALUE_FORMAT='JSON');")
    h.sql("CREATE STREAM payments (id STRING KEY, amount INT) WITH (KAFKA_TOPIC='payments', "
          "VALUE_FORMAT='JSON');")  # fmt: skip
    h.sql("CREATE STREAM shipments (id STRING KEY, wh STRING) WITH (KAFKA_TOPIC='shipments', "
          "VALUE_FORMAT='JSON');")  # fmt: skip
    h.sql("CREATE STREAM shipped_orders AS SELECT o.id as orderId, o.itemid as itemId, s.id as shipmentId, "
          "p.id as paymentId FROM orders o "
          "INNER JOIN payments p WITHIN 1 HOURS GRACE PERIOD 15 MINUTES ON p.id = o.id "
          "INNER JOIN shipments s WITHIN 2 HOURS GRACE PERIOD 15 MINUTES ON s.id = o.id;")
    hour, minute = 3_600_000, 60_000
    for topic, key, value, ts in [
        ("orders", "o1", {"ITEMID": "i1"}, 0), ("payments", "o1", {"AMOUNT": 5}, 30 * minute),
        ("shipments", "o1", {"WH": "w"}, 2 * hour), ("orders", "o2", {"ITEMID": "i2"}, 3 * hour),
        ("payments", "o2", {"AMOUNT": 5}, 4 * hour + 1), ("orders", "o3", {"ITEMID": "i3"}, 10 * hour),
        ("payments", "o3", {"AMOUNT": 5}, 10 * hour), ("shipments", "o3", {"WH": "w"}, 13 * hour),
    ]:  # fmt: skip
        h.produce(topic, key, value, ts)
    h.drain()
    assert h.stamped("SHIPPED_ORDERS") == [
        ("o1", {"ITEMID": "i1", "SHIPMENTID": "o1", "PAYMENTID": "o1"}, 2 * hour)
    ]


PLANNED = "Could not determine output schema for query due to error: "  # SchemaRegisterInjector's wrapper


def test_n_way_join_with_full_outer_stream_table_step_is_refused(docs: Any) -> None:
    """"Limitations of N-Way Joins": a FULL OUTER join of the A-B stream result with table C fails. The
    page quotes an older message ("Join between invalid operands requested: left type: KTABLE, right type:
    KSTREAM"); ksqlDB 0.29 refuses it earlier, in LogicalPlanner.verifyStreamTableJoin, whose message
    the test asserts."""
    h = docs()
    h.ensure_topics("a", "b", "c")
    h.sql("CREATE STREAM A (id STRING KEY, x INT) WITH (KAFKA_TOPIC='a', VALUE_FORMAT='JSON');")
    h.sql("CREATE STREAM B (product_id STRING KEY, y INT) WITH (KAFKA_TOPIC='b', VALUE_FORMAT='JSON');")
    h.sql("CREATE TABLE C (purchased_id STRING PRIMARY KEY, z INT) WITH (KAFKA_TOPIC='c', VALUE_FORMAT='JSON');")
    with pytest.raises(KsqlError) as err:
        h.sql("CREATE STREAM joined AS SELECT * FROM A JOIN B WITHIN 10 SECONDS ON A.id = B.product_id "
              "FULL OUTER JOIN C ON A.id = C.purchased_id;")  # fmt: skip
    assert err.value.message == PLANNED + (
        "Invalid join type: full-outer join not supported for stream-table join. Got A [FULL] OUTER JOIN C."
    )
