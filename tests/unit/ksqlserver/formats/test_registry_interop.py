"""ksqlserver's HTTP registry client and its AVRO / JSON_SR serdes against the project's schema registry
(in process, memory store) and against confluent-kafka's own serializers, which nobody here wrote:
records they write are read by the engine's serdes, and the engine's records are read by them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal

import pytest
from confluent_kafka.schema_registry import Schema, SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
from confluent_kafka.schema_registry.json_schema import JSONDeserializer, JSONSerializer
from confluent_kafka.serialization import MessageField, SerializationContext

from ksqlserver.catalog.types import Column, parse_type
from ksqlserver.errors import SchemaRegistryError, SchemaRegistryUnavailableError
from ksqlserver.formats import SerdeOptions, get_format
from ksqlserver.formats.sr import wire
from ksqlserver.formats.sr.client import AVRO, HttpRegistryClient, RegisteredSchema
from schemaregistry.config import RegistryConfig
from schemaregistry.kafkastore import MemoryStore
from schemaregistry.registry import Registry
from schemaregistry.server import RegistryServer

TX = {"type": "record", "name": "Tx", "namespace": "io.fraudlab", "fields": [
    {"name": "id", "type": "long"}, {"name": "amount", "type": "double"},
    {"name": "card", "type": ["null", "string"], "default": None}]}
COLUMNS = [Column("ID", parse_type("BIGINT")), Column("AMOUNT", parse_type("DOUBLE")),
           Column("CARD", parse_type("STRING"))]


@pytest.fixture
def server() -> Iterator[RegistryServer]:
    srv = RegistryServer(Registry(RegistryConfig(port=0), MemoryStore()))
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture
def client(server: RegistryServer) -> Iterator[HttpRegistryClient]:
    c = HttpRegistryClient(server.url)
    yield c
    c.close()


def engine_serde(fmt: str, client: HttpRegistryClient, topic: str, cols: list[Column] = COLUMNS) -> object:
    return get_format(fmt).serde(cols, SerdeOptions(topic=topic, registry=client), False)


def test_http_client_registers_fetches_and_caches(client: HttpRegistryClient) -> None:
    schema = RegisteredSchema(AVRO, json.dumps(TX))
    first = client.register("tx-value", schema)
    assert client.register("tx-value", schema) == first
    assert client.latest("tx-value").schema_id == first
    requests = client.requests
    assert json.loads(client.schema_by_id(first).schema)["name"] == "Tx"
    assert client.requests == requests  # known from the registration
    with pytest.raises(SchemaRegistryError) as err:
        client.latest("none-value")
    assert err.value.registry_code == 40401 and err.value.status == 404
    with pytest.raises(SchemaRegistryError) as err:
        client.schema_by_id(12345)
    assert err.value.registry_code == 40403


def test_a_registry_that_is_down_is_unavailable_not_missing() -> None:
    c = HttpRegistryClient("http://127.0.0.1:9", timeout=1.0)
    try:
        with pytest.raises(SchemaRegistryUnavailableError, match="is unreachable"):
            c.schema_by_id(1)
    finally:
        c.close()


def test_confluent_avro_records_are_read_by_the_engine(server: RegistryServer, client: HttpRegistryClient) -> None:
    confluent = SchemaRegistryClient({"url": server.url})
    serializer = AvroSerializer(confluent, json.dumps(TX))
    ctx = SerializationContext("tx", MessageField.VALUE)
    data = serializer({"id": 7, "amount": 12.5, "card": None}, ctx)
    serde = engine_serde("AVRO", client, "tx")
    assert serde.deserialize(data) == [7, 12.5, None]  # type: ignore[attr-defined]


def test_engine_avro_records_are_read_by_confluent(server: RegistryServer, client: HttpRegistryClient) -> None:
    cols = [*COLUMNS, Column("PRICE", parse_type("DECIMAL(6, 2)")), Column("TAGS", parse_type("MAP<STRING, INT>"))]
    serde = engine_serde("AVRO", client, "out", cols)
    data = serde.serialize([1, 2.5, "c", Decimal("10.50"), {"a": 1}])  # type: ignore[attr-defined]
    confluent = SchemaRegistryClient({"url": server.url})
    got = AvroDeserializer(confluent)(data, SerializationContext("out", MessageField.VALUE))
    assert got["ID"] == 1 and got["AMOUNT"] == 2.5 and got["CARD"] == "c" and got["PRICE"] == Decimal("10.50")
    assert got["TAGS"] == [{"key": "a", "value": 1}]  # ksqlDB writes maps as MapEntry arrays
    registered = confluent.get_latest_version("out-value")
    assert registered.schema_id == wire.split(data)[0]
    assert json.loads(registered.schema.schema_str)["name"] == "KsqlDataSourceSchema"


def test_json_sr_both_ways(server: RegistryServer, client: HttpRegistryClient) -> None:
    confluent = SchemaRegistryClient({"url": server.url})
    schema = json.dumps({"type": "object", "properties": {"ID": {"type": "integer"}, "AMOUNT": {"type": "number"},
                                                           "CARD": {"type": "string"}}})
    data = JSONSerializer(schema, confluent)({"ID": 3, "AMOUNT": 1.5, "CARD": "x"},
                                            SerializationContext("j", MessageField.VALUE))
    assert engine_serde("JSON_SR", client, "j").deserialize(data) == [3, 1.5, "x"]  # type: ignore[attr-defined]
    out = engine_serde("JSON_SR", client, "jout").serialize([4, 2.0, None])  # type: ignore[attr-defined]
    latest = confluent.get_latest_version("jout-value").schema
    got = JSONDeserializer(Schema(latest.schema_str, "JSON"), schema_registry_client=confluent)(
        out, SerializationContext("jout", MessageField.VALUE))
    assert got == {"ID": 4, "AMOUNT": 2.0, "CARD": None}
