"""Over a real broker, a stream joined on a value column is re-keyed through ksqlDB's repartition topic: each
join key's stream records land in the partition where the table keeps that key, and the join reads them
there (not from the source stream)."""

from __future__ import annotations

import json
import time
import uuid

from confluent_kafka import Consumer

from ksqlserver.drivers.base import Record
from ksqlserver.drivers.kafka import KafkaDriver
from ksqlserver.engine import Engine, EngineConfig

ROWS = 300
CARDS = [f"c{k}" for k in range(10)]


def _read_all(bootstrap: str, topic: str, expected: int, timeout_s: float = 90.0) -> list:
    c = Consumer(
        {
            "bootstrap.servers": bootstrap,
            "group.id": f"reader-{uuid.uuid4().hex}",
            "auto.offset.reset": "earliest",
            "enable.auto.commit": False,
        }
    )
    c.subscribe([topic])
    out: list = []
    deadline = time.monotonic() + timeout_s
    try:
        while len(out) < expected and time.monotonic() < deadline:
            out += [m for m in c.consume(num_messages=1000, timeout=0.5) if m.error() is None]
    finally:
        c.close()
    return out


def test_stream_table_join_on_a_value_column_goes_through_the_repartition_topic(bootstrap_servers: str) -> None:
    suffix = uuid.uuid4().hex[:8]
    tx, cards, sink = f"jtx_{suffix}", f"jcards_{suffix}", f"ENRICHED_{suffix.upper()}"
    service_id = f"jr_{suffix}_"
    driver = KafkaDriver(bootstrap_servers)
    driver.create_topic(tx, partitions=3)
    driver.create_topic(cards, partitions=3)
    # both topics written by the producer's murmur2 partitioner, as a Java client would
    driver.produce(cards, [Record(c.encode(), json.dumps({"OWNER": f"o{c}"}).encode(), 10) for c in CARDS])
    driver.produce(
        tx,
        [Record(f"t{i}".encode(), json.dumps({"CARD": CARDS[i % 10], "AMOUNT": i}).encode(), 1_000 + i)
         for i in range(ROWS)],
    )  # fmt: skip
    engine = Engine(
        EngineConfig(service_id=service_id, properties={"ksql.streams.auto.offset.reset": "earliest"}), driver
    )
    try:
        engine.execute(
            f"CREATE STREAM TX (ID STRING KEY, CARD STRING, AMOUNT INT) WITH (KAFKA_TOPIC='{tx}', VALUE_FORMAT='JSON');"
        )
        engine.execute(
            f"CREATE TABLE CARDS (CARD STRING PRIMARY KEY, OWNER STRING) "
            f"WITH (KAFKA_TOPIC='{cards}', VALUE_FORMAT='JSON');"
        )
        [created] = engine.execute(
            f"CREATE STREAM {sink} AS SELECT T.CARD, T.ID, C.OWNER, T.AMOUNT "
            f"FROM TX T JOIN CARDS C ON T.CARD = C.CARD;"
        )
        query_id = created["commandStatus"]["queryId"]
        internal = f"_confluent-ksql-{service_id}query_{query_id}-Join-repartition"

        out = _read_all(bootstrap_servers, sink, ROWS)
        assert len(out) == ROWS
        for m in out:
            value = json.loads(m.value())
            i = value["AMOUNT"]
            assert m.key() == CARDS[i % 10].encode()
            assert value == {"ID": f"t{i}", "OWNER": f"o{CARDS[i % 10]}", "AMOUNT": i}
            assert not m.headers()  # the stage's original-key header stays internal

        info = driver.topic(internal)
        assert info is not None and info.partitions == 3
        table_partition = {m.key(): m.partition() for m in _read_all(bootstrap_servers, cards, len(CARDS))}
        staged = _read_all(bootstrap_servers, internal, ROWS)
        assert len(staged) == ROWS
        for m in staged:  # each stream record in the partition where the table keeps its card
            assert m.partition() == table_partition[m.key()]
        assert len(set(table_partition.values())) > 1  # the cards are spread over several partitions

        group = f"_confluent-ksql-{service_id}query_{query_id}"
        deadline = time.monotonic() + 30
        while driver.committed(group, internal) != ROWS and time.monotonic() < deadline:
            time.sleep(0.5)
        assert driver.committed(group, internal) == ROWS
        assert driver.committed(group, tx) is None  # the join never read the source stream

        engine.execute(f"TERMINATE {query_id};")
        deadline = time.monotonic() + 30
        while driver.topic(internal) is not None and time.monotonic() < deadline:
            time.sleep(0.5)
        assert driver.topic(internal) is None
    finally:
        engine.close()
