"""docs/tutorials/materialized.md: the calls table's rows (as Debezium change events, the row under
`after`) aggregated by support_view and lifetime_view, and the two pull queries' results the page shows.
The tutorial reads the topic as Avro with an inferred schema; here the same change events are JSON with
the `after` STRUCT declared, which reaches the same aggregation."""

from __future__ import annotations

from typing import Any

from .conftest import pull

CALLS = [("michael", "purchase", 540), ("michael", "help", 224), ("colin", "help", 802),
         ("derek", "purchase", 10204), ("derek", "help", 600), ("colin", "refund", 105),
         ("michael", "help", 2030), ("colin", "purchase", 800), ("derek", "help", 2514),
         ("derek", "refund", 325)]  # fmt: skip


def test_query_the_materialized_views(docs: Any) -> None:
    """"Query the materialized views": derek called for 3 distinct reasons, last "refund"; michael called
    3 times for 46 minutes ((540 + 224 + 2030) / 60 in INTEGER arithmetic)."""
    h = docs()
    topic = "call-center-db.call-center.calls"
    h.ensure_topics(topic)
    h.sql(f"CREATE STREAM calls (after STRUCT<name STRING, reason STRING, duration_seconds INT>) "
          f"WITH (kafka_topic = '{topic}', value_format = 'json');")  # fmt: skip
    h.sql("CREATE TABLE support_view AS SELECT after->name AS name, count_distinct(after->reason) AS "
          "distinct_reasons, latest_by_offset(after->reason) AS last_reason FROM calls GROUP BY after->name "
          "EMIT CHANGES;")  # fmt: skip
    h.sql("CREATE TABLE lifetime_view AS SELECT after->name AS name, count(after->reason) AS total_calls, "
          "(sum(after->duration_seconds) / 60) as minutes_engaged FROM calls GROUP BY after->name "
          "EMIT CHANGES;")  # fmt: skip
    for n, (name, reason, seconds) in enumerate(CALLS):
        after = {"NAME": name, "REASON": reason, "DURATION_SECONDS": seconds}
        h.produce(topic, None, {"BEFORE": None, "AFTER": after}, 1000 + n)
    assert pull(h, "SELECT name, distinct_reasons, last_reason FROM support_view WHERE name = 'derek';") == [
        ["derek", 3, "refund"]
    ]
    assert pull(h, "SELECT name, total_calls, minutes_engaged FROM lifetime_view WHERE name = 'michael';") == [
        ["michael", 3, 46]
    ]
