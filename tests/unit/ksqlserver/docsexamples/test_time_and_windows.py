"""docs/concepts/time-and-windows-in-ksqldb-queries.md: the "Window emission" example (its input and
output tables), and what the "Hopping window", "Session window", "Out-of-order events" and "Window final
results" sections state, run as the section's queries over records that show it. The windowed sink's
records are read as (key, window start) for time windows and (key, start, end) for sessions."""

from __future__ import annotations

from typing import Any

from .conftest import Docs

MINUTE = 60_000
NOON = 12 * 60 * MINUTE
# the windowed aggregation's emit interval (StreamsConfig.InternalConfig.
# EMIT_INTERVAL_MS_KSTREAMS_WINDOWED_AGGREGATION, 1000 ms of wall-clock time between two looks for closed
# windows): 0, so that each record looks as a server receiving the records over time would
FINAL_EVERY_RECORD = {"ksql.streams.__emit.interval.ms.kstreams.windowed.aggregation__": "0"}
ORDERS = ("CREATE STREAM ORDERS (ORDERID STRING KEY, ITEM_ID STRING, QUANTITY INT) "
          "WITH (KAFKA_TOPIC='orders', VALUE_FORMAT='JSON');")  # fmt: skip


def _orders(h: Docs) -> None:
    h.ensure_topics("orders")
    h.sql(ORDERS)


def _quantity(h: Docs, records: list[tuple[int, int]]) -> None:
    """Orders of item "i": (quantity, timestamp)."""
    for n, (q, ts) in enumerate(records):
        h.produce("orders", f"o{n}", {"ITEM_ID": "i", "QUANTITY": q}, ts)
    h.drain()


def test_window_emission_example(docs: Any) -> None:
    """"Window emission": the six orders of the input table, counted per five-minute tumbling window
    (GRACE PERIOD 1 minute), emit the six rows of the output table, message 5 (12:04:00, after 12:05:30)
    still counted in the 12:00 window because its grace has not passed. One difference, where the source
    wins: the table gives message 6 (zip code 98041) a count of 2, but it is the first order of its zip
    code, and ksqlDB counts per GROUP BY key (KStreamWindowAggregate keeps one aggregate per key and
    window): 1."""
    h = docs()
    h.ensure_topics("orders")
    h.sql("CREATE STREAM ORDERS (ORDERID STRING KEY, ORDER_ZIPCODE STRING) "
          "WITH (KAFKA_TOPIC='orders', VALUE_FORMAT='JSON');")  # fmt: skip
    h.sql("CREATE TABLE EMITTED AS SELECT order_zipcode, from_unixtime(WINDOWSTART) as Window_Start, "
          "from_unixtime(WINDOWEND) as Window_End, from_unixtime(max(ROWTIME)) as Window_Emit, "
          "count(orderId) as number_of_orders FROM orders "
          "WINDOW TUMBLING (SIZE 5 minute, GRACE PERIOD 1 minute) GROUP BY order_zipcode EMIT CHANGES;")
    orders = [
        ("100_1", "94041", NOON + 2000), ("100_2", "94041", NOON + MINUTE + 23_000),
        ("100_3", "94041", NOON + 3 * MINUTE), ("100_4", "94041", NOON + 5 * MINUTE + 30_000),
        ("100_5", "94041", NOON + 4 * MINUTE), ("100_6", "98041", NOON + 6 * MINUTE + 10_000),
    ]  # fmt: skip
    for oid, zipcode, ts in orders:
        h.produce("orders", oid, {"ORDER_ZIPCODE": zipcode}, ts)
    h.drain()
    five = 5 * MINUTE
    expected = [
        ("94041", NOON, NOON + five, NOON + 2000, 1),
        ("94041", NOON, NOON + five, NOON + MINUTE + 23_000, 2),
        ("94041", NOON, NOON + five, NOON + 3 * MINUTE, 3),
        ("94041", NOON + five, NOON + 2 * five, NOON + 5 * MINUTE + 30_000, 1),
        ("94041", NOON, NOON + five, NOON + 4 * MINUTE, 4),
        ("98041", NOON + five, NOON + 2 * five, NOON + 6 * MINUTE + 10_000, 1),
    ]
    got = [
        (k[0], v["WINDOW_START"], v["WINDOW_END"], v["WINDOW_EMIT"], v["NUMBER_OF_ORDERS"])
        for k, v, _ in h.stamped("EMITTED")
    ]
    assert got == expected
    # "ROWTIME: time the current update of the window was updated": max(ROWTIME) is the record's timestamp
    assert [ts for _, _, ts in h.stamped("EMITTED")] == [row[3] for row in expected]


def test_hopping_window_record_in_several_windows(docs: Any) -> None:
    """"Hopping window": a record belongs to every window whose [start, end) holds its timestamp
    (TimeWindows.windowsFor), and each of them is updated, in window-start order; select-push-query.md's
    `WINDOW HOPPING (SIZE 20 SECONDS, ADVANCE BY 5 SECONDS)` example."""
    h = docs()
    _orders(h)
    h.sql("CREATE TABLE T AS SELECT item_id, windowstart AS WS, windowend AS WE, SUM(quantity) AS Q "
          "FROM orders WINDOW HOPPING (SIZE 20 SECONDS, ADVANCE BY 5 SECONDS) GROUP BY item_id "
          "EMIT CHANGES;")  # fmt: skip
    _quantity(h, [(2, 12_000), (3, 21_000)])
    got = [(k, v["WS"], v["WE"], v["Q"], ts) for k, v, ts in h.stamped("T")]
    assert got == [
        (("i", 0), 0, 20_000, 2, 12_000),
        (("i", 5_000), 5_000, 25_000, 2, 12_000),
        (("i", 10_000), 10_000, 30_000, 2, 12_000),
        (("i", 5_000), 5_000, 25_000, 5, 21_000),
        (("i", 10_000), 10_000, 30_000, 5, 21_000),
        (("i", 15_000), 15_000, 35_000, 3, 21_000),
        (("i", 20_000), 20_000, 40_000, 3, 21_000),
    ]


def test_tumbling_window_end_is_exclusive(docs: Any) -> None:
    """"Tumbling window": "start time is inclusive, but the end time is exclusive": a record at exactly
    the end of a window starts the next one."""
    h = docs()
    _orders(h)
    h.sql("CREATE TABLE T AS SELECT item_id, windowstart AS WS, windowend AS WE, SUM(quantity) AS Q "
          "FROM orders WINDOW TUMBLING (SIZE 20 SECONDS) GROUP BY item_id EMIT CHANGES;")  # fmt: skip
    _quantity(h, [(1, 0), (2, 19_999), (4, 20_000)])
    got = [(v["WS"], v["WE"], v["Q"]) for _, v, _ in h.stamped("T")]
    assert got == [(0, 20_000, 1), (0, 20_000, 3), (20_000, 40_000, 4)]


def test_session_windows_merge(docs: Any) -> None:
    """"Session window": a record within the inactivity gap of a session merges into it, else it starts
    a new one; a session of one record starts and ends at its ROWTIME, a longer one at its oldest and
    newest records' ROWTIMEs (both inclusive). KStreamSessionWindowAggregate forwards a tombstone for each
    session a record merges (at that session's end) before the merged session (at its end); an
    out-of-order record (40 s) between two sessions merges with the one it reaches."""
    h = docs()
    _orders(h)
    h.sql("CREATE TABLE T AS SELECT item_id, windowstart AS WS, windowend AS WE, SUM(quantity) AS Q "
          "FROM orders WINDOW SESSION (20 SECONDS) GROUP BY item_id EMIT CHANGES;")  # fmt: skip
    _quantity(h, [(1, 1_000), (2, 15_000), (4, 60_000), (8, 40_000), (16, 100_000)])
    got = [(k, None if v is None else (v["WS"], v["WE"], v["Q"]), ts) for k, v, ts in h.stamped("T")]
    assert got == [
        (("i", 1_000, 1_000), (1_000, 1_000, 1), 1_000),
        (("i", 1_000, 1_000), None, 1_000),
        (("i", 1_000, 15_000), (1_000, 15_000, 3), 15_000),
        (("i", 60_000, 60_000), (60_000, 60_000, 4), 60_000),
        (("i", 60_000, 60_000), None, 60_000),
        (("i", 40_000, 60_000), (40_000, 60_000, 12), 60_000),
        (("i", 100_000, 100_000), (100_000, 100_000, 16), 100_000),
    ]


def test_out_of_order_events_within_and_after_grace(docs: Any) -> None:
    """"Out-of-order events": a record of a window whose grace has not passed is still aggregated; "Events
    that arrive after the grace period has passed are called late and aren't included in the aggregation
    result" (KStreamWindowAggregate drops a record whose window end + grace <= stream time)."""
    h = docs()
    _orders(h)
    h.sql("CREATE TABLE T AS SELECT item_id, windowstart AS WS, SUM(quantity) AS Q FROM orders "
          "WINDOW TUMBLING (SIZE 1 HOUR, GRACE PERIOD 2 HOURS) GROUP BY item_id EMIT CHANGES;")  # fmt: skip
    hour = 60 * MINUTE
    # stream time 2:59:59: the first hour's window is open; at 3:00:00 it has closed
    _quantity(h, [(1, 0), (2, 3 * hour - 1000), (4, 30 * MINUTE), (8, 3 * hour), (16, 45 * MINUTE)])
    got = [(v["WS"], v["Q"]) for _, v, _ in h.stamped("T")]
    assert got == [(0, 1), (2 * hour, 2), (0, 5), (3 * hour, 8)]


def test_window_final_results(docs: Any) -> None:
    """"Window final results" and select-push-query.md's EMIT FINAL: only each window's final result, once
    the window has closed (end + grace <= stream time: KStreamWindowAggregate with
    EmitStrategy.onWindowClose), with the window's latest record timestamp; a record of a closed window is
    dropped."""
    h = docs(FINAL_EVERY_RECORD)
    _orders(h)
    h.sql("CREATE TABLE T AS SELECT item_id, windowstart AS WS, windowend AS WE, SUM(quantity) AS Q "
          "FROM orders WINDOW TUMBLING (SIZE 20 SECONDS, GRACE PERIOD 10 SECONDS) GROUP BY item_id "
          "EMIT FINAL;")  # fmt: skip
    emitted: dict[int, list[Any]] = {}
    records = [(1, 1_000), (2, 15_000), (4, 25_000), (8, 29_999), (16, 30_000), (32, 19_000), (64, 50_000),
               (128, 45_000)]  # fmt: skip
    seen = 0
    for n, (q, ts) in enumerate(records):
        h.produce("orders", f"o{n}", {"ITEM_ID": "i", "QUANTITY": q}, ts)
        h.drain()
        got = h.stamped("T")[seen:]
        seen += len(got)
        if got:
            emitted[ts] = [(v["WS"], v["WE"], v["Q"], t) for _, v, t in got]
    assert emitted == {30_000: [(0, 20_000, 3, 15_000)], 50_000: [(20_000, 40_000, 28, 30_000)]}
