"""ksqlDB 0.29 io.confluent.ksql.integration.StreamsSelectAndProjectIntTest on our engine.

OrderDataProvider's rows go to a JSON and an AVRO topic with the producer's clock (here NOW + the row's
index, so the last ORDER_6 record's timestamp is known); the Java `verifyAvailableRows(topic, n, ...)` waits
for n rows, here the sink holds exactly n. `timestamp_format` is parsed in the server's zone, UTC here.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from ksqlserver.drivers.base import Record

NOW = 1_765_000_000_000
JSON_STREAM_NAME = "orders_json"
AVRO_STREAM_NAME = "orders_avro"
AVRO_TIMESTAMP_STREAM_NAME = "orders_timestamp_avro"
INTERMEDIATE = "INT_1"
RESULT = "OUTPUT_1"
COLUMNS = (
    "ORDERID STRING KEY, ORDERTIME BIGINT, ITEMID STRING, ORDERUNITS DOUBLE, TIMESTAMP STRING, "
    "PRICEARRAY ARRAY<DOUBLE>, KEYVALUEMAP MAP<STRING, DOUBLE>"
)
# the timestamp of the last ORDER_6 row (index 7) in either topic
LAST_ORDER_6_TS = NOW + 7
BOTH = pytest.mark.parametrize("stream, fmt", [(JSON_STREAM_NAME, "JSON"), (AVRO_STREAM_NAME, "AVRO")])


@pytest.fixture
def h(harness_factory: Callable[..., Any], data: Any) -> Any:
    """StreamsSelectAndProjectIntTest.before + createOrdersStream."""
    h = harness_factory({"ksql.schema.registry.url": "http://foo:8080"})
    h.ensure_topics("json", "avro")
    for topic, fmt in (("json", "JSON"), ("avro", "AVRO")):
        clock = itertools.count(NOW)
        h.produce_rows(topic, data.ORDERS, fmt, lambda c=clock: next(c))
    h.sql(f"CREATE STREAM {JSON_STREAM_NAME} ({COLUMNS}) WITH (kafka_topic='json', value_format='JSON');")
    h.sql(f"CREATE STREAM {AVRO_STREAM_NAME} ({COLUMNS}) WITH (kafka_topic='avro', value_format='AVRO');")
    h.sql(
        f"CREATE STREAM {AVRO_TIMESTAMP_STREAM_NAME} ({COLUMNS}) WITH (kafka_topic='avro', value_format='AVRO', "
        "timestamp='timestamp', timestamp_format='yyyy-MM-dd');"
    )
    return h


def rows(h: Any, name: str) -> list[tuple[Any, tuple[Any, ...], int]]:
    h.drain()
    columns = [c.name for c in h.source(name).schema.value_only]
    return [(k, tuple(v.get(c) for c in columns), ts) for k, v, ts in h.rows(name)]


def final_data(data: Any) -> dict[str, tuple[Any, ...]]:
    return data.ORDERS.final_data()


@BOTH
def test_timestamp_column_selection(h: Any, stream: str, fmt: str) -> None:
    """StreamsSelectAndProjectIntTest.testTimestampColumnSelection{Json,Avro}: the first sink is stamped with
    its RTIME column, which the second reads as ROWTIME."""
    h.sql(
        f"CREATE STREAM {INTERMEDIATE} WITH (timestamp='RTIME') AS SELECT ORDERTIME, "
        "ROWTIME+10000 AS RTIME, ROWTIME+100 AS RT100, ORDERID, ITEMID "
        f"FROM {stream} WHERE ORDERUNITS > 20 AND ITEMID = 'ITEM_8'; "
        f"CREATE STREAM {RESULT} AS SELECT ORDERTIME, "
        "ROWTIME AS NEWRTIME, RTIME, RT100, ORDERID, ITEMID "
        f"FROM {INTERMEDIATE} ;"
    )
    ts = LAST_ORDER_6_TS
    assert rows(h, RESULT) == [("ORDER_6", (8, ts + 10000, ts + 10000, ts + 100, "ITEM_8"), ts + 10000)]
    assert h.source(RESULT).value_format == fmt


@BOTH
def test_select_project_key_timestamp(h: Any, stream: str, fmt: str) -> None:
    """StreamsSelectAndProjectIntTest.testSelectProjectKeyTimestamp{Json,Avro}."""
    h.sql(
        f"CREATE STREAM {RESULT} AS SELECT ORDERID, ORDERTIME, ROWTIME AS RTIME, ITEMID "
        f"FROM {stream} WHERE ORDERUNITS > 20 AND ITEMID = 'ITEM_8';"
    )
    ((key, value, _),) = rows(h, RESULT)
    assert key == "ORDER_6"
    assert value == (8, LAST_ORDER_6_TS, "ITEM_8")


@BOTH
def test_select_project(h: Any, stream: str, fmt: str) -> None:
    """StreamsSelectAndProjectIntTest.testSelectProject{Json,Avro}."""
    h.sql(
        f"CREATE STREAM {RESULT} AS SELECT ORDERID, ORDERTIME, ITEMID, ORDERUNITS, PRICEARRAY FROM {stream};"
    )
    got = rows(h, RESULT)
    assert len(got) == 8
    assert got[0][1][1] == "ITEM_1"


def test_select_project_avro_json(h: Any) -> None:
    """StreamsSelectAndProjectIntTest.testSelectProjectAvroJson."""
    h.sql(
        f"CREATE STREAM {RESULT} WITH ( value_format = 'JSON') AS SELECT "
        f"ORDERID, ORDERTIME, ITEMID, ORDERUNITS, PRICEARRAY FROM {AVRO_STREAM_NAME};"
    )
    got = rows(h, RESULT)
    assert h.source(RESULT).value_format == "JSON"
    assert len(got) == 8
    assert got[0][1][1] == "ITEM_1"


@BOTH
def test_select_star(h: Any, data: Any, stream: str, fmt: str) -> None:
    """StreamsSelectAndProjectIntTest.testSelectStar{Json,Avro}."""
    h.sql(f"CREATE STREAM {RESULT} AS SELECT * FROM {stream};")
    assert {k: v for k, v, _ in rows(h, RESULT)} == final_data(data)


def select_with_filter(h: Any, stream: str) -> None:
    """StreamsSelectAndProjectIntTest.testSelectWithFilter."""
    h.sql(f"CREATE STREAM {RESULT} AS SELECT * FROM {stream} WHERE ORDERUNITS > 40;")
    assert [k for k, _, _ in rows(h, RESULT)] == ["ORDER_5", "ORDER_6", "ORDER_6", "ORDER_6"]


@BOTH
def test_select_with_filter(h: Any, stream: str, fmt: str) -> None:
    """StreamsSelectAndProjectIntTest.testSelectWithFilter{Json,Avro}."""
    select_with_filter(h, stream)


@BOTH
def test_should_skip_bad_data(h: Any, stream: str, fmt: str) -> None:
    """StreamsSelectAndProjectIntTest.shouldSkipBadData / shouldSkipBadDataAvro: a record the value format
    cannot read, written to the intermediate sink, is skipped by the query reading it."""
    h.sql(f"CREATE STREAM {INTERMEDIATE} AS SELECT * FROM {stream};")
    h.driver.produce(INTERMEDIATE, [Record(b"bad", f"something that is not {fmt.lower()}".encode(), NOW)])
    select_with_filter(h, INTERMEDIATE)


def test_should_use_string_timestamp_with_format(h: Any) -> None:
    """StreamsSelectAndProjectIntTest.shouldUseStringTimestampWithFormat."""
    h.sql(
        f"CREATE STREAM {INTERMEDIATE} WITH (timestamp='TIMESTAMP', timestamp_format='yyyy-MM-dd') AS"
        f" SELECT ORDERTIME, ORDERID, TIMESTAMP FROM {AVRO_STREAM_NAME} WHERE ITEMID='ITEM_6';"
        f" CREATE STREAM {RESULT} AS"
        f" SELECT ORDERTIME, ORDERID, TIMESTAMP from {INTERMEDIATE};"
    )
    ((_, _, ts),) = rows(h, RESULT)
    assert ts == int(datetime(2018, 1, 6, tzinfo=UTC).timestamp() * 1000)


def test_should_use_timestamp_extracted_from_ddl_statement(h: Any) -> None:
    """StreamsSelectAndProjectIntTest.shouldUseTimestampExtractedFromDDLStatement."""
    h.sql(
        f"CREATE STREAM {RESULT} WITH(timestamp='ordertime')"
        f" AS SELECT ORDERID, ORDERTIME FROM {AVRO_TIMESTAMP_STREAM_NAME}"
        " WHERE ITEMID='ITEM_4';"
    )
    ((_, _, ts),) = rows(h, RESULT)
    assert ts == 4


def given_stream_exists(h: Any, select_columns: str, source: str) -> None:
    h.sql(
        f"CREATE STREAM {RESULT} AS SELECT {select_columns} FROM {source} WHERE ITEMID = 'will not find me';"
    )


@BOTH
def test_insert_into(h: Any, stream: str, fmt: str) -> None:
    """StreamsSelectAndProjectIntTest.testInsertInto{Json,Avro}."""
    given_stream_exists(h, "ORDERID, ORDERTIME, ITEMID, ORDERUNITS, PRICEARRAY", stream)
    h.sql(f"INSERT INTO {RESULT} SELECT ORDERID, ORDERTIME, ITEMID, ORDERUNITS, PRICEARRAY FROM {stream};")
    got = rows(h, RESULT)
    assert len(got) == 8
    assert got[0][1][1] == "ITEM_1"


@BOTH
def test_insert_select_star(h: Any, data: Any, stream: str, fmt: str) -> None:
    """StreamsSelectAndProjectIntTest.testInsertSelectStar{Json,Avro}."""
    given_stream_exists(h, "*", stream)
    h.sql(f"INSERT INTO {RESULT} SELECT * FROM {stream};")
    assert {k: v for k, v, _ in rows(h, RESULT)} == final_data(data)


@BOTH
def test_insert_select_with_filter(h: Any, stream: str, fmt: str) -> None:
    """StreamsSelectAndProjectIntTest.testInsertSelectWithFilter{Json,Avro}."""
    given_stream_exists(h, "*", stream)
    h.sql(f"INSERT INTO {RESULT} SELECT * FROM {stream} WHERE ORDERUNITS > 40;")
    assert len(rows(h, RESULT)) == 4
