"""The original demo's central statements as written, with the unchanged `ksql-python-ng` client, on real
Kafka and the stack's schema registry: `create_stream_as(..., value_format='AVRO')`, `describe` and
`SELECT ... LIMIT` on the AVRO stream; the registered schema and the records are Confluent's (read back
with confluent-kafka's own AvroDeserializer); a bad record goes to the processing log, the rest flows."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from confluent_kafka import Consumer, Producer, TopicPartition
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer
from confluent_kafka.serialization import MessageField, SerializationContext
from ksql.utils import get_stream_info

from ksql import KSQLAPI
from tests.integration.ksql.test_client_compat import (
    EARLIEST,
    SOURCE_COLUMNS,
    V_COLUMNS,
    create_topic,
    produce_lines,
    rows_of,
)

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def avro_demo(
    ksql_url: str, bootstrap_servers: str, seed_dir: Path
) -> Iterator[tuple[KSQLAPI, str, str, list[str]]]:
    path = seed_dir / "creditcard_extended.csv"
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    suffix = uuid.uuid4().hex[:8].upper()
    source, preprocessed = f"CREDITCARDFRAUD_SOURCE_{suffix}", f"CREDITCARDFRAUD_PREPROCESSED_{suffix}"
    create_topic(bootstrap_servers, source.lower())
    client = KSQLAPI(ksql_url)
    assert client.create_stream(
        table_name=source, columns_type=SOURCE_COLUMNS, topic=source.lower(), value_format="DELIMITED"
    )
    # the original demo's statement, as written
    assert client.create_stream_as(
        table_name=preprocessed,
        select_columns=["Id", "Time", *V_COLUMNS, "Amount", "Class"],
        src_table=source,
        kafka_topic=preprocessed.lower(),
        value_format="AVRO",
        conditions="Class IS NOT NULL",
        partition_by="Id",
    )
    produce_lines(bootstrap_servers, source.lower(), lines)
    yield client, source, preprocessed, lines


def _records(bootstrap: str, topic: str, want: int, timeout_s: float = 60.0) -> list[Any]:
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": f"t-{uuid.uuid4().hex}",
                         "enable.auto.commit": False})
    consumer.assign([TopicPartition(topic, 0, 0)])
    out: list[Any] = []
    deadline = time.monotonic() + timeout_s
    try:
        while len(out) < want and time.monotonic() < deadline:
            msg = consumer.poll(0.5)
            if msg is not None and not msg.error():
                out.append(msg)
    finally:
        consumer.close()
    return out


def test_describe_shows_avro_and_the_columns(avro_demo: tuple[KSQLAPI, str, str, list[str]]) -> None:
    client, _, preprocessed, _ = avro_demo
    info = get_stream_info(client, preprocessed)
    assert info is not None and info["valueFormat"] == "AVRO" and info["keyFormat"] == "KAFKA"
    assert [f["name"] for f in info["fields"]][:3] == ["ID", "TIME", "V1"]
    assert [f["name"] for f in info["fields"]][-2:] == ["AMOUNT", "CLASS"]


def test_select_limit_on_the_avro_stream(avro_demo: tuple[KSQLAPI, str, str, list[str]]) -> None:
    client, _, preprocessed, _ = avro_demo
    chunks = list(client.query(f"SELECT Id, Amount, Class FROM {preprocessed} EMIT CHANGES LIMIT 4",
                               stream_properties=EARLIEST))
    rows = rows_of(chunks)
    assert [r[0] for r in rows] == [1, 2, 3, 5]  # row 4 has no Class: filtered out
    assert [r[2] for r in rows] == ["0", "0", "0", "0"]


def test_registered_schema_and_records_are_confluents(
    avro_demo: tuple[KSQLAPI, str, str, list[str]], bootstrap_servers: str, schema_registry_url: str
) -> None:
    _, _, preprocessed, lines = avro_demo
    topic = preprocessed.lower()
    latest = requests.get(f"{schema_registry_url}/subjects/{topic}-value/versions/latest", timeout=10).json()
    schema = json.loads(latest["schema"])
    assert schema["name"] == "KsqlDataSourceSchema" and schema["namespace"] == "io.confluent.ksql.avro_schemas"
    assert schema["fields"][0] == {"name": "TIME", "type": ["null", "int"], "default": None}
    records = _records(bootstrap_servers, topic, 9)
    assert len(records) == 9
    deserialize = AvroDeserializer(SchemaRegistryClient({"url": schema_registry_url}))
    first = deserialize(records[0].value(), SerializationContext(topic, MessageField.VALUE))
    assert first["AMOUNT"] == float(lines[0].split(",")[-2]) and first["CLASS"] == "0"
    assert int.from_bytes(records[0].key(), "big") == 1  # PARTITION BY Id: the KAFKA key


def test_bad_avro_record_goes_to_the_processing_log(
    ksql_url: str, bootstrap_servers: str, schema_registry_url: str
) -> None:
    client = KSQLAPI(ksql_url)
    name = f"AVRO_IN_{uuid.uuid4().hex[:8].upper()}"
    topic = name.lower()
    create_topic(bootstrap_servers, topic)
    schema = {"type": "record", "name": "Tx", "fields": [{"name": "id", "type": "long"}]}
    sid = requests.post(f"{schema_registry_url}/subjects/{topic}-value/versions",
                        json={"schema": json.dumps(schema)}, timeout=10).json()["id"]
    client.ksql(f"CREATE STREAM {name} WITH (KAFKA_TOPIC='{topic}', VALUE_FORMAT='AVRO');")
    client.ksql(f"CREATE STREAM {name}_OUT WITH (VALUE_FORMAT='JSON') AS SELECT ID FROM {name};",
                stream_properties=EARLIEST)
    producer = Producer({"bootstrap.servers": bootstrap_servers})
    producer.produce(topic, value=b'{"id": 1}')  # plain JSON: no magic byte
    producer.produce(topic, value=b"\x00" + sid.to_bytes(4, "big") + b"\x0e")  # id 7, zig-zag
    assert producer.flush(30) == 0
    [out] = _records(bootstrap_servers, f"{name}_OUT", 1)
    assert json.loads(out.value()) == {"ID": 7}
    log = _records(bootstrap_servers, "default_ksql_processing_log", 10_000, timeout_s=10)
    messages = [json.loads(m.value())["message"] for m in log]
    assert any(
        m["deserializationError"] and "Unknown magic byte!" in m["deserializationError"]["cause"]
        and m["deserializationError"]["topic"] == topic
        for m in messages
    )
