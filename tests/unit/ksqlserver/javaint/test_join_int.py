"""ksqlDB 0.29 io.confluent.ksql.integration.JoinIntTest on our engine.

The Java test produces the item tables at timestamp 0 and the orders at `now` to four-partition topics, then
reads the sink's latest row per key (verifyAvailableUniqueRows), producing the orders again while the join
has not fired (consumer ordering on a real cluster); here one production is enough, in timestamp order.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

NOW = 1_765_000_000_000
ORDER_STREAM_NAME_JSON = "Orders_json"
ORDER_STREAM_NAME_AVRO = "Orders_avro"
ITEM_TABLE_NAME_JSON = "Item_json"
ITEM_TABLE_NAME_AVRO = "Item_avro"


@pytest.fixture
def h(harness_factory: Callable[..., Any], data: Any) -> Any:
    """JoinIntTest.before + createStreams (with ksql.schema.registry.url set, as the Java context is)."""
    h = harness_factory({"ksql.schema.registry.url": "http://foo:8080"})
    h.ensure_topics("ItemTopicJson", "ItemTopicAvro", "OrderTopicJson", "OrderTopicAvro", partitions=4)
    h.produce_rows("ItemTopicJson", data.ITEMS, "JSON", 0)
    h.produce_rows("ItemTopicAvro", data.ITEMS, "AVRO", 0)
    h.produce_rows("OrderTopicJson", data.ORDERS, "JSON", NOW)
    h.produce_rows("OrderTopicAvro", data.ORDERS, "AVRO", NOW)
    h.sql(
        f"CREATE STREAM {ORDER_STREAM_NAME_JSON} (ORDERID varchar KEY, ORDERTIME bigint, "
        "ITEMID varchar, ORDERUNITS double, PRICEARRAY array<double>, "
        "KEYVALUEMAP map<varchar, double>) "
        "WITH (kafka_topic='OrderTopicJson', key_format='KAFKA', value_format='JSON');"
    )
    h.sql(
        f"CREATE TABLE {ITEM_TABLE_NAME_JSON} (ID varchar PRIMARY KEY, DESCRIPTION varchar) "
        "WITH (kafka_topic='ItemTopicJson', key_format='KAFKA', value_format='JSON');"
    )
    h.sql(
        f"CREATE STREAM {ORDER_STREAM_NAME_AVRO} (ORDERID varchar KEY, ORDERTIME bigint, ITEMID varchar, "
        "ORDERUNITS double, PRICEARRAY array<double>, "
        "KEYVALUEMAP map<varchar, double>) "
        "WITH (kafka_topic='OrderTopicAvro', key_format='KAFKA', value_format='AVRO', timestamp='ORDERTIME');"
    )
    h.sql(
        f"CREATE TABLE {ITEM_TABLE_NAME_AVRO} (ID varchar PRIMARY KEY, DESCRIPTION varchar)"
        " WITH (kafka_topic='ItemTopicAvro', key_format='DELIMITED', value_format='AVRO');"
    )
    return h


def unique_rows(h: Any, name: str) -> dict[str, tuple[Any, ...]]:
    h.drain()
    return {k: tuple(v.values()) for k, v in h.unique_rows(name).items()}


def left_join_order_and_items(
    h: Any, test_stream_name: str, order_stream_name: str, item_table_name: str
) -> None:
    """JoinIntTest.shouldLeftJoinOrderAndItems."""
    h.sql(
        f"CREATE STREAM {test_stream_name} AS "
        f"SELECT {order_stream_name}.ITEMID, ORDERID, ORDERUNITS, DESCRIPTION "
        f"FROM {order_stream_name} LEFT JOIN {item_table_name} "
        f"on {order_stream_name}.ITEMID = {item_table_name}.ID "
        f"WHERE {order_stream_name}.ITEMID = 'ITEM_1' ;"
    )
    assert unique_rows(h, test_stream_name) == {"ITEM_1": ("ORDER_1", 10.0, "home cinema")}


def test_should_insert_left_join_order_and_items(h: Any) -> None:
    """JoinIntTest.shouldInsertLeftJoinOrderAndItems: a CSAS that matches nothing, then an INSERT INTO it
    with the same join."""
    common = (
        f"SELECT {ORDER_STREAM_NAME_JSON}.ITEMID, ORDERID, ORDERUNITS, DESCRIPTION "
        f"FROM {ORDER_STREAM_NAME_JSON} LEFT JOIN {ITEM_TABLE_NAME_JSON} "
        f" on {ORDER_STREAM_NAME_JSON}.ITEMID = {ITEM_TABLE_NAME_JSON}.ID "
    )
    h.sql(
        f"CREATE STREAM ORDEREDWITHDESCRIPTION AS {common}WHERE {ORDER_STREAM_NAME_JSON}.ITEMID = 'Hello' ;"
    )
    h.sql(f"INSERT INTO ORDEREDWITHDESCRIPTION {common}WHERE {ORDER_STREAM_NAME_JSON}.ITEMID = 'ITEM_1' ;")
    assert unique_rows(h, "ORDEREDWITHDESCRIPTION") == {"ITEM_1": ("ORDER_1", 10.0, "home cinema")}


def test_should_left_join_order_and_items_json(h: Any) -> None:
    """JoinIntTest.shouldLeftJoinOrderAndItemsJson."""
    left_join_order_and_items(h, "ORDERWITHDESCRIPTIONJSON", ORDER_STREAM_NAME_JSON, ITEM_TABLE_NAME_JSON)
    assert h.source("ORDERWITHDESCRIPTIONJSON").value_format == "JSON"


def test_should_left_join_order_and_items_avro(h: Any) -> None:
    """JoinIntTest.shouldLeftJoinOrderAndItemsAvro: the sink inherits AVRO (and the DELIMITED-keyed
    table's join with a KAFKA-keyed stream leaves the stream's key format)."""
    left_join_order_and_items(h, "ORDERWITHDESCRIPTIONAVRO", ORDER_STREAM_NAME_AVRO, ITEM_TABLE_NAME_AVRO)
    assert h.source("ORDERWITHDESCRIPTIONAVRO").value_format == "AVRO"


def test_should_use_time_stamp_field_from_stream(h: Any) -> None:
    """JoinIntTest.shouldUseTimeStampFieldFromStream: the join's output carries the stream's TIMESTAMP
    column (ORDERTIME 1 of ORDER_1) as ROWTIME, which the next query reads."""
    h.sql(
        "CREATE STREAM JOINED AS "
        f"SELECT {ORDER_STREAM_NAME_AVRO}.ITEMID, ORDERID, ORDERUNITS, DESCRIPTION "
        f"FROM {ORDER_STREAM_NAME_AVRO} LEFT JOIN {ITEM_TABLE_NAME_AVRO} "
        f"ON {ORDER_STREAM_NAME_AVRO}.ITEMID = {ITEM_TABLE_NAME_AVRO}.ID "
        f"WHERE {ORDER_STREAM_NAME_AVRO}.ITEMID = 'ITEM_1';"
        "CREATE STREAM OUTPUT AS "
        "SELECT ITEMID, ORDERID, DESCRIPTION, ROWTIME AS RT "
        "FROM JOINED;"
    )
    assert unique_rows(h, "OUTPUT") == {"ITEM_1": ("ORDER_1", "home cinema", 1)}
    assert [ts for _, _, ts in h.rows("OUTPUT")] == [1]
