"""ksqlDB 0.29 io.confluent.ksql.integration.WindowingIntTest on our engine.

Two batches of OrderDataProvider's rows go to a one-partition topic, at `batch0SentMs` (5001 ms into a ten
second window) and 500 ms later. The sink rows are read as the Java test reads them (the latest per key; a
time-windowed key as (key, start), the TimeWindowedDeserializer without a size; a session key as (key, start,
end)). `assertTopicsCleanedUp` counts Kafka Streams' internal topics (repartition, changelogs), which our
in-memory engine does not create: here the observable part is checked, that terminating the queries leaves
the sink topics (and the source topics) and nothing else, with the sink's cleanup policy
(TopicCreateInjector: compact for a table, compact,delete for a windowed one).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

CURRENT_MS = 1_765_000_123_456
BATCH0_SENT_MS = CURRENT_MS - CURRENT_MS % 10_000 + 5001
TEN_SEC_WINDOW_START_MS = BATCH0_SENT_MS - BATCH0_SENT_MS % 10_000
BATCH1_DELAY = 500
ORDERS_STREAM = "ORDERS"
SOURCE_TOPIC = "orders"
FIRST = "FIRST"
SECOND = "SECOND"


@pytest.fixture
def h(harness_factory: Callable[..., Any], data: Any) -> Any:
    """WindowingIntTest.before + createOrdersStream."""
    h = harness_factory()
    h.ensure_topics(SOURCE_TOPIC, ORDERS_STREAM)
    h.produce_rows(SOURCE_TOPIC, data.ORDERS, "JSON", BATCH0_SENT_MS)
    h.produce_rows(SOURCE_TOPIC, data.ORDERS, "JSON", BATCH0_SENT_MS + BATCH1_DELAY)
    h.sql(
        f"CREATE STREAM {ORDERS_STREAM} ("
        "ORDERID varchar KEY, "
        "ORDERTIME bigint, "
        "ITEMID varchar, "
        "ORDERUNITS double, "
        "PRICEARRAY array<double>, "
        "KEYVALUEMAP map<varchar, double>) "
        f"WITH (kafka_topic='{SOURCE_TOPIC}', value_format='JSON');"
    )
    h.pre_existing = h.topics()
    return h


def output_of(h: Any, name: str) -> dict[Any, tuple[Any, ...]]:
    h.drain()
    return {k: tuple(v.values()) if v is not None else None for k, v in h.unique_rows(name).items()}


def assert_topics_cleaned_up(h: Any, policy: str, *sinks: str) -> None:
    """WindowingIntTest.assertTopicsCleanedUp, without the count of internal topics (see the module)."""
    assert h.topics() - h.pre_existing >= set(sinks)
    for query in [e["id"] for e in h.sql("SHOW QUERIES;")[0]["queries"]]:
        h.sql(f"TERMINATE {query};")
    assert h.topics() - h.pre_existing == set(sinks)
    assert h.driver.topics()[FIRST].config.get("cleanup.policy") == policy


def test_should_aggregate_with_no_window(h: Any) -> None:
    """WindowingIntTest.shouldAggregateWithNoWindow (+ assertTableCanBeUsedAsSource)."""
    h.sql(
        f"CREATE TABLE {FIRST} AS "
        "SELECT ITEMID, COUNT(ITEMID), SUM(ORDERUNITS), SUM(KEYVALUEMAP['key2']/2) "
        f"FROM {ORDERS_STREAM} WHERE ITEMID = 'ITEM_1' GROUP BY ITEMID;"
    )
    expected = {"ITEM_1": (2, 20.0, 2.0)}
    assert output_of(h, FIRST) == expected
    h.sql(f"CREATE TABLE {SECOND} AS SELECT * FROM {FIRST};")
    assert output_of(h, SECOND) == expected
    assert_topics_cleaned_up(h, "compact", FIRST, SECOND)


def test_should_aggregate_tumbling_window(h: Any) -> None:
    """WindowingIntTest.shouldAggregateTumblingWindow."""
    h.sql(
        f"CREATE TABLE {FIRST} AS "
        "SELECT ITEMID, COUNT(ITEMID), SUM(ORDERUNITS), SUM(ORDERUNITS * 10)/COUNT(*) "
        f"FROM {ORDERS_STREAM} WINDOW TUMBLING (SIZE 10 SECONDS) "
        "WHERE ITEMID = 'ITEM_1' GROUP BY ITEMID;"
    )
    assert output_of(h, FIRST) == {("ITEM_1", TEN_SEC_WINDOW_START_MS): (2, 20.0, 100.0)}
    assert_topics_cleaned_up(h, "compact,delete", FIRST)


def test_should_aggregate_hopping_window(h: Any) -> None:
    """WindowingIntTest.shouldAggregateHoppingWindow."""
    h.sql(
        f"CREATE TABLE {FIRST} AS "
        "SELECT ITEMID, COUNT(ITEMID), SUM(ORDERUNITS), SUM(ORDERUNITS * 10) "
        f"FROM {ORDERS_STREAM} WINDOW HOPPING (SIZE 10 SECONDS, ADVANCE BY 5 SECONDS) "
        "WHERE ITEMID = 'ITEM_1' GROUP BY ITEMID;"
    )
    assert output_of(h, FIRST) == {
        ("ITEM_1", TEN_SEC_WINDOW_START_MS): (2, 20.0, 200.0),
        ("ITEM_1", TEN_SEC_WINDOW_START_MS + 5000): (2, 20.0, 200.0),
    }
    assert_topics_cleaned_up(h, "compact,delete", FIRST)


def test_should_aggregate_session_window(h: Any) -> None:
    """WindowingIntTest.shouldAggregateSessionWindow: mapHasItems, so only the final sessions are compared
    (the merged-away sessions' tombstones are keys of their own)."""
    h.sql(
        f"CREATE TABLE {FIRST} AS "
        "SELECT ORDERID, COUNT(*), SUM(ORDERUNITS) "
        f"FROM {ORDERS_STREAM} WINDOW SESSION (10 SECONDS) "
        "GROUP BY ORDERID;"
    )
    end = BATCH0_SENT_MS + BATCH1_DELAY
    expected = {
        ("ORDER_1", BATCH0_SENT_MS, end): (2, 20.0),
        ("ORDER_2", BATCH0_SENT_MS, end): (2, 40.0),
        ("ORDER_3", BATCH0_SENT_MS, end): (2, 60.0),
        ("ORDER_4", BATCH0_SENT_MS, end): (2, 80.0),
        ("ORDER_5", BATCH0_SENT_MS, end): (2, 100.0),
        ("ORDER_6", BATCH0_SENT_MS, end): (6, 420.0),
    }
    got = output_of(h, FIRST)
    assert {k: got.get(k) for k in expected} == expected
    assert_topics_cleaned_up(h, "compact,delete", FIRST)
