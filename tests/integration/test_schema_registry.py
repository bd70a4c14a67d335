"""The stack's schema registry against the real broker, through confluent-kafka's own registry client
and serializers (Avro, Protobuf, JSON Schema): wire format, `_schemas` records, restart survival,
a registry that is down, and `fraudlab ingest --format avro`."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests
from confluent_kafka import Consumer, Producer, TopicPartition
from confluent_kafka.schema_registry import Schema, SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
from confluent_kafka.schema_registry.error import SchemaRegistryError
from confluent_kafka.schema_registry.json_schema import JSONDeserializer, JSONSerializer
from confluent_kafka.schema_registry.protobuf import ProtobufDeserializer, ProtobufSerializer
from confluent_kafka.serialization import MessageField, SerializationContext

from fraudlab.kafka import KafkaConfig
from fraudlab.registry import RegistrySettings, RegistryUnavailableError, registry_client
from fraudlab.registry.ingest import ingest_avro
from fraudlab.stack.ports import free_ports

TX = {"type": "record", "name": "Tx", "namespace": "io.fraudlab.test",
      "fields": [{"name": "amount", "type": "double"}, {"name": "card", "type": "string"}]}


def consume_all(bootstrap: str, topic: str, expected: int, timeout_s: float = 30.0) -> list:  # type: ignore[type-arg]
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": f"t-{uuid.uuid4().hex}",
                         "auto.offset.reset": "earliest", "enable.auto.commit": False})
    consumer.assign([TopicPartition(topic, 0, -2)])
    out = []
    deadline = time.monotonic() + timeout_s
    while len(out) < expected and time.monotonic() < deadline:
        msg = consumer.poll(0.5)
        if msg is not None and not msg.error():
            out.append(msg)
    consumer.close()
    return out


def produce(bootstrap: str, topic: str, values: list[bytes]) -> None:
    producer = Producer({"bootstrap.servers": bootstrap})
    for v in values:
        producer.produce(topic, value=v)
    assert producer.flush(30) == 0


def test_avro_serializer_round_trip_through_kafka(
    schema_registry_url: str, bootstrap_servers: str, topic_name: str
) -> None:
    client = SchemaRegistryClient({"url": schema_registry_url})
    serializer = AvroSerializer(client, json.dumps(TX))
    ctx = SerializationContext(topic_name, MessageField.VALUE)
    rows = [{"amount": 12.5, "card": "4111"}, {"amount": 0.0, "card": ""}]
    produce(bootstrap_servers, topic_name, [serializer(r, ctx) for r in rows])
    schema_id = client.get_latest_version(f"{topic_name}-value").schema_id
    messages = consume_all(bootstrap_servers, topic_name, 2)
    assert [m.value()[0] for m in messages] == [0, 0]  # magic byte
    assert {int.from_bytes(m.value()[1:5], "big") for m in messages} == {schema_id}
    deserializer = AvroDeserializer(SchemaRegistryClient({"url": schema_registry_url}))
    assert [deserializer(m.value(), ctx) for m in messages] == rows


def test_schemas_topic_holds_confluents_records(
    schema_registry_url: str, bootstrap_servers: str, topic_name: str
) -> None:
    client = SchemaRegistryClient({"url": schema_registry_url})
    schema_id = client.register_schema(f"{topic_name}-value", Schema(json.dumps(TX), "AVRO"))
    ours = []
    for msg in consume_all(bootstrap_servers, "_schemas", 10_000, timeout_s=10):
        key = json.loads(msg.key())
        if key.get("subject") == f"{topic_name}-value":
            ours.append((key, json.loads(msg.value())))
    assert ours == [(
        {"keytype": "SCHEMA", "subject": f"{topic_name}-value", "version": 1, "magic": 1},
        {"subject": f"{topic_name}-value", "version": 1, "id": schema_id,
         "schema": json.dumps(TX, separators=(",", ":")), "deleted": False},
    )]


def _compile_proto_class(tmp_path: Path, package: str):  # type: ignore[no-untyped-def]
    """A generated message class, as an application would have it (protoc via grpcio-tools)."""
    name = f"payment_{uuid.uuid4().hex[:8]}"
    (tmp_path / f"{name}.proto").write_text(
        f'syntax = "proto3";\npackage {package};\n'
        "message Payment { string id = 1; double amount = 2; repeated string tags = 3; }\n"
    )
    # protoc in a child process: grpc_tools' in-process compiler can crash beside the loaded protobuf runtime
    done = subprocess.run(
        [sys.executable, "-m", "grpc_tools.protoc", f"-I{tmp_path}", f"--python_out={tmp_path}", f"{name}.proto"],
        capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, done.stderr
    sys.path.insert(0, str(tmp_path))
    try:
        return importlib.import_module(f"{name}_pb2").Payment
    finally:
        sys.path.remove(str(tmp_path))


def test_protobuf_serializer_round_trip(
    schema_registry_url: str, bootstrap_servers: str, topic_name: str, tmp_path: Path
) -> None:
    payment_cls = _compile_proto_class(tmp_path, f"t{uuid.uuid4().hex[:6]}")
    client = SchemaRegistryClient({"url": schema_registry_url})
    serializer = ProtobufSerializer(payment_cls, client, {"use.deprecated.format": False})
    ctx = SerializationContext(topic_name, MessageField.VALUE)
    sent = payment_cls(id="p1", amount=9.75, tags=["a", "b"])
    produce(bootstrap_servers, topic_name, [serializer(sent, ctx)])
    registered = client.get_latest_version(f"{topic_name}-value")
    assert registered.schema.schema_type == "PROTOBUF"
    assert "message Payment {" in registered.schema.schema_str  # stored as .proto text
    [msg] = consume_all(bootstrap_servers, topic_name, 1)
    assert int.from_bytes(msg.value()[1:5], "big") == registered.schema_id
    got = ProtobufDeserializer(payment_cls, {"use.deprecated.format": False})(msg.value(), ctx)
    assert (got.id, got.amount, list(got.tags)) == ("p1", 9.75, ["a", "b"])


def test_json_serializer_round_trip_and_validation(
    schema_registry_url: str, bootstrap_servers: str, topic_name: str
) -> None:
    schema = json.dumps({"$schema": "http://json-schema.org/draft-07/schema#", "title": "Tx", "type": "object",
                         "properties": {"amount": {"type": "number"}, "card": {"type": "string"}},
                         "required": ["amount"]})
    client = SchemaRegistryClient({"url": schema_registry_url})
    serializer = JSONSerializer(schema, client)
    ctx = SerializationContext(topic_name, MessageField.VALUE)
    produce(bootstrap_servers, topic_name, [serializer({"amount": 3.5, "card": "x"}, ctx)])
    with pytest.raises(Exception, match="amount"):
        serializer({"card": "no amount"}, ctx)
    [msg] = consume_all(bootstrap_servers, topic_name, 1)
    assert JSONDeserializer(None, schema_registry_client=client)(msg.value(), ctx) == {"amount": 3.5, "card": "x"}
    assert client.get_latest_version(f"{topic_name}-value").schema.schema_type == "JSON"


def test_incompatible_schema_is_409_with_confluents_message(schema_registry_url: str, topic_name: str) -> None:
    client = SchemaRegistryClient({"url": schema_registry_url})
    subject = f"{topic_name}-value"
    client.register_schema(subject, Schema(json.dumps(TX), "AVRO"))
    changed = {**TX, "fields": [*TX["fields"], {"name": "country", "type": "string"}]}
    with pytest.raises(SchemaRegistryError) as err:
        client.register_schema(subject, Schema(json.dumps(changed), "AVRO"))
    assert (err.value.http_status_code, err.value.error_code) == (409, 409)
    assert f'incompatible with an earlier schema for subject "{subject}"' in err.value.error_message
    assert client.get_versions(subject) == [1]


def _start_registry(bootstrap: str, port: int, topic: str, log: Path) -> subprocess.Popen:  # type: ignore[type-arg]
    proc = subprocess.Popen(
        [sys.executable, "-m", "schemaregistry", "--bootstrap-servers", bootstrap,
         "--listen", f"127.0.0.1:{port}", "--topic", topic],
        stdout=log.open("a"), stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/subjects", timeout=1).status_code == 200:
                return proc
        except requests.RequestException:
            pass
        assert proc.poll() is None, log.read_text()[-2000:]
        time.sleep(0.2)
    proc.kill()
    pytest.fail(f"the registry did not answer within 60 s: {log.read_text()[-2000:]}")


def test_state_survives_a_restart(bootstrap_servers: str, tmp_path: Path) -> None:
    (port,) = free_ports(1)
    topic = f"_schemas_{uuid.uuid4().hex[:8]}"
    url = f"http://127.0.0.1:{port}"
    proc = _start_registry(bootstrap_servers, port, topic, tmp_path / "registry.log")
    try:
        client = SchemaRegistryClient({"url": url})
        first = client.register_schema("a-value", Schema(json.dumps(TX), "AVRO"))
        client.register_schema("b-value", Schema('"string"', "AVRO"))
        client.set_compatibility("a-value", "FULL")
        client.delete_subject("b-value")
    finally:
        proc.terminate()
        assert proc.wait(30) == 0
    proc = _start_registry(bootstrap_servers, port, topic, tmp_path / "registry.log")
    try:
        client = SchemaRegistryClient({"url": url})
        assert client.get_subjects() == ["a-value"]
        assert client.get_latest_version("a-value").schema_id == first
        assert json.loads(client.get_schema(first).schema_str) == TX
        assert client.get_compatibility("a-value") == "FULL"
        assert client.get_versions("b-value", deleted=True) == [1]
        assert client.register_schema("c-value", Schema('"long"', "AVRO")) == first + 2  # ids never reused
    finally:
        proc.terminate()
        proc.wait(30)


def test_registry_down_is_a_clear_error() -> None:
    (port,) = free_ports(1)
    with pytest.raises(RegistryUnavailableError, match=f"127.0.0.1:{port} does not answer"):
        registry_client(RegistrySettings(f"http://127.0.0.1:{port}"))


def test_ingest_avro_produces_registered_records(
    schema_registry_url: str, bootstrap_servers: str, topic_name: str, tmp_path: Path
) -> None:
    from fraudlab.connect.schema import KAGGLE_COLUMNS

    csv = tmp_path / "tx.csv"
    lines = [",".join(KAGGLE_COLUMNS)]
    for i in range(50):
        lines.append(",".join([str(float(i)), *(f"{0.01 * k:.2f}" for k in range(28)), "12.5", str(i % 2)]))
    csv.write_text("\n".join(lines) + "\n")
    kafka = KafkaConfig(bootstrap_servers=bootstrap_servers, schema_registry_url=schema_registry_url)
    report = ingest_avro(csv, topic_name, kafka, RegistrySettings(schema_registry_url), progress=False)
    assert (report.rows, report.ingested) == (50, 50)
    client = SchemaRegistryClient({"url": schema_registry_url})
    schema = json.loads(client.get_latest_version(f"{topic_name}-value").schema.schema_str)
    assert [f["name"] for f in schema["fields"]] == list(KAGGLE_COLUMNS)
    assert {f["name"]: f["type"] for f in schema["fields"]}["Class"] == "int"
    messages = consume_all(bootstrap_servers, topic_name, 50)
    decode = AvroDeserializer(client)
    ctx = SerializationContext(topic_name, MessageField.VALUE)
    rows = [decode(m.value(), ctx) for m in messages]
    assert len(rows) == 50 and rows[3]["Time"] == 3.0 and rows[3]["Class"] == 1 and rows[3]["V2"] == 0.01
