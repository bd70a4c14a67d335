"""docs/tutorials/etl.md and docs/tutorials/event-driven-microservice.md: their KSQL over the records they
put in (the Debezium connectors of etl.md are not run: their Avro records are written as the connectors'
AvroConverter writes them, the schemas registered under the topics' value subjects first), and the
documented effects - the rows of shipped_orders the Elasticsearch index shows, the anomaly row and the
PossibleAnomaly Avro schema the microservice compiles."""

from __future__ import annotations

import decimal
import io
import json
from typing import Any

import fastavro

from ksqlserver.drivers.base import Record
from ksqlserver.formats.sr import wire
from ksqlserver.formats.sr.client import AVRO, RegisteredSchema

from .conftest import Docs


def _opt(t: str) -> list[str]:
    return ["null", t]


CUSTOMERS = {"type": "record", "name": "Value", "namespace": "customers.public.customers", "fields": [
    {"name": "id", "type": "string"}, {"name": "name", "type": _opt("string"), "default": None},
    {"name": "age", "type": _opt("int"), "default": None}, {"name": "__deleted", "type": _opt("string"), "default": None},
]}  # fmt: skip
ORDERS = {"type": "record", "name": "orders", "fields": [
    {"name": n, "type": _opt(t), "default": None}
    for n, t in [("_id", "string"), ("customer_id", "string"), ("order_id", "string"), ("price", "double"),
                 ("currency", "string"), ("ts", "string")]
]}  # fmt: skip
SHIPMENTS = {"type": "record", "name": "shipments", "fields": [
    {"name": n, "type": _opt("string"), "default": None} for n in ["_id", "order_id", "shipment_id", "origin", "ts"]
]}  # fmt: skip
CUSTOMER_ROWS = [("5", "fred", 34), ("7", "sue", 25), ("2", "bill", 51)]
ORDER_ROWS = [("2", "13", 50.50, "usd", "2020-04-03T11:20:00"), ("7", "29", 15.00, "aud", "2020-04-02T12:36:00"),
              ("5", "17", 25.25, "eur", "2020-04-02T17:22:00"), ("5", "15", 13.75, "usd", "2020-04-03T02:55:00"),
              ("7", "22", 29.71, "aud", "2020-04-04T00:12:00")]  # fmt: skip
SHIPMENT_ROWS = [("17", "75", "texas", "2020-04-04T19:20:00"), ("22", "71", "iowa", "2020-04-04T12:25:00"),
                 ("29", "89", "california", "2020-04-05T13:21:00"), ("13", "92", "maine", "2020-04-04T06:13:00"),
                 ("15", "95", "florida", "2020-04-04T01:13:00")]  # fmt: skip

ETL = [
    "SET 'auto.offset.reset' = 'earliest';",
    "CREATE STREAM customers WITH (\n    kafka_topic = 'customers.public.customers',\n    value_format = 'avro'\n);",
    "CREATE STREAM orders WITH (\n    kafka_topic = 'my-replica-set.logistics.orders',\n    value_format = 'avro',\n"
    "    timestamp = 'ts',\n    timestamp_format = 'yyyy-MM-dd''T''HH:mm:ss'\n);",
    "CREATE STREAM shipments WITH (\n    kafka_topic = 'my-replica-set.logistics.shipments',\n    value_format = 'avro',\n"
    "    timestamp = 'ts',\n    timestamp_format = 'yyyy-MM-dd''T''HH:mm:ss'\n);",
    "CREATE TABLE customers_by_key AS\n    SELECT id,\n           latest_by_offset(name) AS name,\n"
    "           latest_by_offset(age) AS age\n    FROM customers\n    GROUP BY id\n    EMIT CHANGES;",
    "CREATE STREAM enriched_orders AS\n    SELECT o.order_id,\n           o.price,\n           o.currency,\n"
    "           c.id AS customer_id,\n           c.name AS customer_name,\n           c.age AS customer_age\n"
    "    FROM orders AS o\n    LEFT JOIN customers_by_key c\n    ON o.customer_id = c.id\n    EMIT CHANGES;",
    "CREATE STREAM shipped_orders WITH (\n    kafka_topic = 'shipped_orders'\n)   AS\n    SELECT o.order_id,\n"
    "           s.shipment_id,\n           o.customer_id,\n           o.customer_name,\n           o.customer_age,\n"
    "           s.origin,\n           o.price,\n           o.currency\n    FROM enriched_orders AS o\n"
    "    INNER JOIN shipments s\n    WITHIN 7 DAYS\n    ON s.order_id = o.order_id\n    EMIT CHANGES;",
]  # fmt: skip


class Avro:
    """Writes Avro records as Confluent's AvroConverter does (the schema registered under <topic>-value)."""

    def __init__(self, h: Docs, topic: str, schema: dict[str, Any]) -> None:
        self.h, self.topic, self.parsed = h, topic, fastavro.parse_schema(schema)
        self.schema_id = h.registry.register(f"{topic}-value", RegisteredSchema(AVRO, json.dumps(schema)))
        h.ensure_topics(topic)

    def write(self, rows: list[dict[str, Any]], ts: int) -> None:
        records = []
        for row in rows:
            out = io.BytesIO()
            fastavro.schemaless_writer(out, self.parsed, row)
            records.append(Record(None, wire.frame(self.schema_id, out.getvalue()), ts))
        self.h.driver.produce(self.topic, records)


def _decode(h: Docs, data: bytes) -> Any:
    schema_id, payload = wire.split(data)
    parsed = fastavro.parse_schema(json.loads(h.registry.schema_by_id(schema_id).schema))
    return fastavro.schemaless_reader(io.BytesIO(bytes(payload)), parsed)


def test_etl_pipeline(docs: Any) -> None:
    """etl.md: customers from Postgres (ExtractNewRecordState adds __deleted), orders and shipments from
    MongoDB (with their _id); the streams' inferred columns; customers_by_key keyed by ID; enriched_orders
    keyed by the join column (CUSTOMER_ID); shipped_orders keyed by O_ORDER_ID (the stream-stream join on
    value columns keys by the left side's qualified name, as the page's documents show) with the seven
    value columns. The Elasticsearch documents are the sink's records: _id the key, _source the value; the
    page's _source also holds O_ORDER_ID, which 0.29 keeps in the key only (the source wins).

    The MongoDB records arrive once the queries run, as the connectors stream them: Kafka Streams orders a
    join's inputs by their extracted timestamps, and the orders' 2020 `ts` would otherwise come before the
    customers' capture time (see the report: the in-memory driver orders by production)."""
    h = docs()
    Avro(h, "customers.public.customers", CUSTOMERS).write(
        [{"id": i, "name": n, "age": a, "__deleted": "false"} for i, n, a in CUSTOMER_ROWS], 1_585_000_000_000
    )
    orders = Avro(h, "my-replica-set.logistics.orders", ORDERS)
    shipments = Avro(h, "my-replica-set.logistics.shipments", SHIPMENTS)
    for sql in ETL:
        h.sql(sql)
        h.drain()
    orders.write([{"_id": f"o{i}", "customer_id": c, "order_id": o, "price": p, "currency": cur, "ts": ts}
                  for i, (c, o, p, cur, ts) in enumerate(ORDER_ROWS)], 1_586_000_000_000)  # fmt: skip
    shipments.write([{"_id": f"s{i}", "order_id": o, "shipment_id": s, "origin": g, "ts": ts}
                     for i, (o, s, g, ts) in enumerate(SHIPMENT_ROWS)], 1_586_000_000_000)  # fmt: skip
    h.drain()

    def columns(name: str) -> tuple[list[str], list[str]]:
        schema = h.source(name).schema
        return [c.name for c in schema.key], [c.name for c in schema.value_only]

    assert columns("CUSTOMERS") == ([], ["ID", "NAME", "AGE", "__DELETED"])
    assert columns("ORDERS") == ([], ["_ID", "CUSTOMER_ID", "ORDER_ID", "PRICE", "CURRENCY", "TS"])
    assert columns("CUSTOMERS_BY_KEY") == (["ID"], ["NAME", "AGE"])
    assert columns("ENRICHED_ORDERS") == (["CUSTOMER_ID"], ["ORDER_ID", "PRICE", "CURRENCY", "CUSTOMER_NAME",
                                                             "CUSTOMER_AGE"])  # fmt: skip
    assert columns("SHIPPED_ORDERS") == (["O_ORDER_ID"], ["SHIPMENT_ID", "CUSTOMER_ID", "CUSTOMER_NAME", "CUSTOMER_AGE",
                                                          "ORIGIN", "PRICE", "CURRENCY"])  # fmt: skip
    documents = {r.key.decode(): _decode(h, r.value) for r in h.records("shipped_orders")}
    assert documents == {
        "22": {"SHIPMENT_ID": "71", "CUSTOMER_ID": "7", "CUSTOMER_NAME": "sue", "CUSTOMER_AGE": 25, "ORIGIN": "iowa",
               "PRICE": 29.71, "CURRENCY": "aud"},
        "17": {"SHIPMENT_ID": "75", "CUSTOMER_ID": "5", "CUSTOMER_NAME": "fred", "CUSTOMER_AGE": 34,
               "ORIGIN": "texas", "PRICE": 25.25, "CURRENCY": "eur"},
        "29": {"SHIPMENT_ID": "89", "CUSTOMER_ID": "7", "CUSTOMER_NAME": "sue", "CUSTOMER_AGE": 25,
               "ORIGIN": "california", "PRICE": 15.0, "CURRENCY": "aud"},
        "13": {"SHIPMENT_ID": "92", "CUSTOMER_ID": "2", "CUSTOMER_NAME": "bill", "CUSTOMER_AGE": 51,
               "ORIGIN": "maine", "PRICE": 50.5, "CURRENCY": "usd"},
        "15": {"SHIPMENT_ID": "95", "CUSTOMER_ID": "5", "CUSTOMER_NAME": "fred", "CUSTOMER_AGE": 34,
               "ORIGIN": "florida", "PRICE": 13.75, "CURRENCY": "usd"},
    }  # fmt: skip
    assert len(h.records("shipped_orders")) == 5
    # each shipment's ROWTIME is the later of the two sides' (the join result's timestamp)
    times = {r.key.decode(): r.timestamp for r in h.records("shipped_orders")}
    assert times["22"] == 1_586_003_100_000  # 2020-04-04T12:25:00Z, the shipment


TRANSACTIONS = [
    ("michael@example.com", "358579699410099", "f88c5ebb-699c-4a7b-b544-45b30681cc39", "2020-04-22T03:19:58", "50.25"),
    ("derek@example.com", "352642227248344", "0cf100ca-993c-427f-9ea5-e892ef350363", "2020-04-22T12:50:30", "18.97"),
    ("colin@example.com", "373913272311617", "de9831c0-7cf1-4ebf-881d-0415edec0d6b", "2020-04-22T09:45:15", "12.50"),
    ("michael@example.com", "358579699410099", "044530c0-b15d-4648-8f05-940acc321eb7", "2020-04-22T03:19:54", "103.43"),
    ("derek@example.com", "352642227248344", "5d916e65-1af3-4142-9fd3-302dd55c512f", "2020-04-22T12:50:25", "3200.80"),
    ("derek@example.com", "352642227248344", "d7d47fdb-75e9-46c0-93f6-d42ff1432eea", "2020-04-22T12:51:55", "154.32"),
    ("michael@example.com", "358579699410099", "c5719d20-8d4a-47d4-8cd3-52ed784c89dc", "2020-04-22T03:19:32", "78.73"),
    ("colin@example.com", "373913272311617", "2360d53e-3fad-4e9a-b306-b166b7ca4f64", "2020-04-22T09:45:35", "234.65"),
    ("colin@example.com", "373913272311617", "de9831c0-7cf1-4ebf-881d-0415edec0d6b", "2020-04-22T09:44:03", "150.00"),
]  # fmt: skip


def test_event_driven_microservice(docs: Any) -> None:
    """event-driven-microservice.md: the transactions stream (8 partitions, Avro, event time from the
    `timestamp` column), its nine inserts, and possible_anomalies: only michael's card has three attempts in
    one 30-second window, so the push query shows one row (window 1587525570000-1587525600000, total
    232.41); the page's tx_ids order depends on which partitions the tx_id keys hash to, so they are
    compared as a set. The value schema is the PossibleAnomaly record the microservice compiles, with the
    backticked lower-case field names its getters use."""
    h = docs()
    h.sql("SET 'auto.offset.reset' = 'earliest';")
    h.sql("CREATE STREAM transactions (\n    tx_id VARCHAR KEY,\n    email_address VARCHAR,\n    card_number VARCHAR,\n"
          "    timestamp VARCHAR,\n    amount DECIMAL(12, 2)\n) WITH (\n    kafka_topic = 'transactions',\n"
          "    partitions = 8,\n    value_format = 'avro',\n    timestamp = 'timestamp',\n"
          "    timestamp_format = 'yyyy-MM-dd''T''HH:mm:ss'\n);")  # fmt: skip
    for email, card, tx, ts, amount in TRANSACTIONS:
        h.sql(f"INSERT INTO transactions (\n    email_address, card_number, tx_id, timestamp, amount\n) VALUES (\n"
              f"    '{email}',\n    '{card}',\n    '{tx}',\n    '{ts}',\n    {amount}\n);")  # fmt: skip
    h.sql("CREATE TABLE possible_anomalies WITH (\n    kafka_topic = 'possible_anomalies',\n"
          "    VALUE_AVRO_SCHEMA_FULL_NAME = 'io.ksqldb.tutorial.PossibleAnomaly'\n)   AS\n"
          "    SELECT card_number AS `card_number_key`,\n           as_value(card_number) AS `card_number`,\n"
          "           latest_by_offset(email_address) AS `email_address`,\n           count(*) AS `n_attempts`,\n"
          "           sum(amount) AS `total_amount`,\n           collect_list(tx_id) AS `tx_ids`,\n"
          "           WINDOWSTART as `start_boundary`,\n           WINDOWEND as `end_boundary`\n"
          "    FROM transactions\n    WINDOW TUMBLING (SIZE 30 SECONDS, RETENTION 1000 DAYS)\n    GROUP BY card_number\n"
          "    HAVING count(*) >= 3\n    EMIT CHANGES;")  # fmt: skip
    h.drain()
    q = h.engine.start_query("SELECT * FROM possible_anomalies EMIT CHANGES;")
    try:
        assert [name for name, _ in q.columns] == [
            "card_number_key", "WINDOWSTART", "WINDOWEND", "card_number", "email_address", "n_attempts",
            "total_amount", "tx_ids", "start_boundary", "end_boundary"]  # fmt: skip
        h.drain()
        rows = q.poll(0.1)
    finally:
        q.close()
    assert len(rows) == 1
    (row,) = rows
    assert row[:7] == ["358579699410099", 1587525570000, 1587525600000, "358579699410099", "michael@example.com", 3,
                       decimal.Decimal("232.41")]  # fmt: skip
    assert sorted(row[7]) == ["044530c0-b15d-4648-8f05-940acc321eb7", "c5719d20-8d4a-47d4-8cd3-52ed784c89dc",
                              "f88c5ebb-699c-4a7b-b544-45b30681cc39"]  # fmt: skip
    assert row[8:] == [1587525570000, 1587525600000]
    schema = json.loads(h.registry.latest("possible_anomalies-value").schema.schema)
    assert (schema["namespace"], schema["name"]) == ("io.ksqldb.tutorial", "PossibleAnomaly")
    assert [f["name"] for f in schema["fields"]] == ["card_number", "email_address", "n_attempts", "total_amount",
                                                     "tx_ids", "start_boundary", "end_boundary"]  # fmt: skip
    (rec,) = h.records("possible_anomalies")
    value = _decode(h, rec.value)
    assert (value["card_number"], value["n_attempts"], value["total_amount"]) == (
        "358579699410099", 3, decimal.Decimal("232.41"))
