"""docs/developer-guide/ksqldb-reference/select-push-query.md: its "Examples" (ROWTIME bounds as epoch
millis and as ISO-8601 strings, time zones, partial date strings, LIMIT, STRUCT output) and the WINDOW
examples as push queries, over records of our own."""

from __future__ import annotations

from typing import Any

from .conftest import Docs

# 1510923225000 is 2017-11-17T12:53:45Z
STAMPS = [1510923224999, 1510923225000, 1510923226500, 1510923228000, 1510923228001, 1510935825000]


def _pageviews(h: Docs) -> None:
    h.ensure_topics("pv")
    h.sql("CREATE STREAM pageviews (pageid STRING KEY, v1 INT, v2 STRING) "
          "WITH (kafka_topic='pv', value_format='JSON');")  # fmt: skip
    for i, ts in enumerate(STAMPS):
        h.produce("pv", f"p{i}", {"V1": i, "V2": f"s{i}"}, ts)
    h.drain()


def test_rowtime_bounds(docs: Any) -> None:
    """"Examples": ROWTIME between two epoch-millis values (both inclusive). The page calls the bounds
    '2017-11-17T04:53:45' / '04:53:48' "equivalent", but "If no timezone is specified within the
    datestring, then timestamps are interpreted in the UTC time zone" (PartialStringToTimestampParser's
    default zone +0000), so the equivalent strings are 12:53:45 / 12:53:48; the page's strings select
    nothing from these records."""
    h = docs()
    _pageviews(h)
    inside = [["p1", 1, "s1"], ["p2", 2, "s2"], ["p3", 3, "s3"]]
    assert h.push("SELECT * FROM pageviews WHERE ROWTIME >= 1510923225000 AND ROWTIME <= 1510923228000 "
                  "EMIT CHANGES;") == inside  # fmt: skip
    assert h.push("SELECT * FROM pageviews WHERE ROWTIME >= '2017-11-17T12:53:45' AND "
                  "ROWTIME <= '2017-11-17T12:53:48' EMIT CHANGES;") == inside  # fmt: skip
    assert h.push("SELECT * FROM pageviews WHERE ROWTIME >= '2017-11-17T04:53:45' AND "
                  "ROWTIME <= '2017-11-17T04:53:48' EMIT CHANGES;") == []  # fmt: skip


def test_rowtime_strings_with_time_zone_and_partials(docs: Any) -> None:
    """"You can specify time zones within the datestring" (-0330: Newfoundland), and "If the datestring is
    inexact, the rest of the timestamp is assumed to be padded with 0s"."""
    h = docs()
    _pageviews(h)
    assert h.push("SELECT pageid FROM pageviews WHERE ROWTIME = '2017-11-17T09:23:45-0330' "
                  "EMIT CHANGES;") == [["p1"]]  # fmt: skip
    assert h.push("SELECT pageid FROM pageviews WHERE ROWTIME = '2017-11-17T12:53:45.000' "
                  "EMIT CHANGES;") == [["p1"]]  # fmt: skip
    assert h.push("SELECT pageid FROM pageviews WHERE ROWTIME >= '2017-11-17T12:53' AND "
                  "ROWTIME < '2017-11-17T12:54' EMIT CHANGES;") == [["p0"], ["p1"], ["p2"], ["p3"], ["p4"]]
    assert h.push("SELECT pageid FROM pageviews WHERE ROWTIME > '2017-11-17T16' EMIT CHANGES;") == [["p5"]]


def test_limit_and_struct_output(docs: Any) -> None:
    """"Once the limit is reached, the query terminates" (LIMIT 5 of 6 records), and "STRUCT output"."""
    h = docs()
    _pageviews(h)
    assert h.push("SELECT * FROM pageviews EMIT CHANGES LIMIT 5;") == [
        [f"p{i}", i, f"s{i}"] for i in range(5)
    ]
    assert h.push("SELECT STRUCT(f1 := v1, f2 := v2) FROM pageviews EMIT CHANGES LIMIT 2;") == [
        [{"F1": 0, "F2": "s0"}], [{"F1": 1, "F2": "s1"}]
    ]  # fmt: skip


def test_window_push_queries(docs: Any) -> None:
    """"WINDOW": the TUMBLING, HOPPING and SESSION examples as push queries, with WINDOWSTART and WINDOWEND
    in the projection. A session merged away is a tombstone row of the push query (its key columns and
    window bounds, nulls elsewhere): QueryBuilder.buildTransientQueryQueue passes the aggregation table's
    tombstones to the queue, and QueryStreamWriter writes them with TombstoneFactory."""
    h = docs()
    h.ensure_topics("orders")
    h.sql("CREATE STREAM orders (id STRING KEY, item_id STRING, quantity INT) "
          "WITH (kafka_topic='orders', value_format='JSON');")  # fmt: skip
    for n, (q, ts) in enumerate([(1, 1_000), (2, 12_000), (4, 21_000)]):
        h.produce("orders", f"o{n}", {"ITEM_ID": "i", "QUANTITY": q}, ts)
    select = "SELECT windowstart, windowend, item_id, SUM(quantity) FROM orders WINDOW "
    assert h.push(select + "TUMBLING (SIZE 20 SECONDS) GROUP BY item_id EMIT CHANGES;") == [
        [0, 20_000, "i", 1], [0, 20_000, "i", 3], [20_000, 40_000, "i", 4],
    ]  # fmt: skip
    assert h.push(select + "HOPPING (SIZE 20 SECONDS, ADVANCE BY 5 SECONDS) GROUP BY item_id "
                  "EMIT CHANGES;") == [
        [0, 20_000, "i", 1],
        [0, 20_000, "i", 3], [5_000, 25_000, "i", 2], [10_000, 30_000, "i", 2],
        [5_000, 25_000, "i", 6], [10_000, 30_000, "i", 6], [15_000, 35_000, "i", 4], [20_000, 40_000, "i", 4],
    ]  # fmt: skip
    rows = h.push(select + "SESSION (20 SECONDS) GROUP BY item_id EMIT CHANGES;")
    assert [(r, getattr(r, "tombstone", False)) for r in rows] == [
        ([1_000, 1_000, "i", 1], False), ([1_000, 1_000, "i", None], True),
        ([1_000, 12_000, "i", 3], False), ([1_000, 12_000, "i", None], True),
        ([1_000, 21_000, "i", 7], False),
    ]  # fmt: skip
