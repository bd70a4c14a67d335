"""Statements over the Schema Registry formats (in-memory driver and registry): columns inferred from the
registry, schema ids and full names, the schemas CREATE and CREATE ... AS SELECT register, ksqlDB's
errors, and bad records or a registry that is down at run time (nothing lost)."""

from __future__ import annotations

import io
import json
import re
import threading
import time

import fastavro
import pytest

from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.errors import KsqlError, SchemaRegistryError, SchemaRegistryUnavailableError
from ksqlserver.formats.sr import wire
from ksqlserver.formats.sr.client import (
    AVRO,
    PROTOBUF,
    MemoryRegistryClient,
    RegisteredSchema,
    SubjectVersion,
)

EARLIEST = {"ksql.streams.auto.offset.reset": "earliest"}
TX = {"type": "record", "name": "Tx", "namespace": "com.acme", "fields": [
    {"name": "id", "type": "long"}, {"name": "amount", "type": ["null", "double"], "default": None},
    {"name": "card", "type": "string"}]}


def avro_bytes(schema_id: int, schema: dict, value: dict) -> bytes:
    out = io.BytesIO()
    fastavro.schemaless_writer(out, fastavro.parse_schema(schema), value)
    return wire.frame(schema_id, out.getvalue())


@pytest.fixture
def registry() -> MemoryRegistryClient:
    return MemoryRegistryClient()


@pytest.fixture
def driver() -> MemoryDriver:
    d = MemoryDriver()
    d.create_topic("tx", partitions=1)
    return d


@pytest.fixture
def engine(driver: MemoryDriver, registry: MemoryRegistryClient) -> Engine:
    e = Engine(EngineConfig(service_id="t_", synchronous=True, properties=EARLIEST), driver, registry)
    yield e
    e.close()


def fields(engine: Engine, name: str) -> list[tuple[str, str]]:
    [entity] = engine.execute(f"DESCRIBE {name};")
    return [(f["name"], f["schema"]["type"]) for f in entity["sourceDescription"]["fields"]]


def test_value_columns_are_inferred_upper_cased(engine: Engine, registry: MemoryRegistryClient) -> None:
    registry.register("tx-value", RegisteredSchema(AVRO, json.dumps(TX)))
    engine.execute("CREATE STREAM TXS (K STRING KEY) WITH (KAFKA_TOPIC='tx', VALUE_FORMAT='AVRO');")
    assert fields(engine, "TXS") == [("K", "STRING"), ("ID", "BIGINT"), ("AMOUNT", "DOUBLE"), ("CARD", "STRING")]


def test_schema_id_keeps_names_and_takes_the_schema_name(engine: Engine, registry: MemoryRegistryClient) -> None:
    registry.register_with_id("tx-value", RegisteredSchema(AVRO, json.dumps(TX)), 42)
    engine.execute("CREATE STREAM TXS WITH (KAFKA_TOPIC='tx', VALUE_FORMAT='AVRO', VALUE_SCHEMA_ID=42);")
    assert fields(engine, "TXS") == [("id", "BIGINT"), ("amount", "DOUBLE"), ("card", "STRING")]
    src = engine.state.metastore.get("TXS")
    assert src.value_options.extra["fullSchemaName"] == "com.acme.Tx"
    assert src.value_options.extra["schemaId"] == "42"


def test_missing_subject_is_ksqldbs_message(engine: Engine) -> None:
    with pytest.raises(KsqlError) as err:
        engine.execute("CREATE STREAM TXS WITH (KAFKA_TOPIC='tx', VALUE_FORMAT='AVRO');")
    assert "Schema for message values on topic 'tx' does not exist in the Schema Registry." in err.value.message
    assert "Subject: tx-value" in err.value.message


def test_wrong_schema_type_names_the_format_to_use(engine: Engine, registry: MemoryRegistryClient) -> None:
    registry.register("tx-value", RegisteredSchema(PROTOBUF, 'syntax = "proto3"; message A { int32 x = 1; }'))
    with pytest.raises(KsqlError) as err:
        engine.execute("CREATE STREAM TXS WITH (KAFKA_TOPIC='tx', VALUE_FORMAT='AVRO');")
    assert "Value schema is not in the expected format. You may want to set VALUE_FORMAT to 'PROTOBUF'." in (
        err.value.message
    )


def test_schema_id_needs_an_inference_format(engine: Engine) -> None:
    with pytest.raises(KsqlError, match=re.escape("VALUE_FORMAT should support schema inference when "
                                                  "VALUE_SCHEMA_ID is provided. Current format is JSON.")):
        engine.execute("CREATE STREAM TXS WITH (KAFKA_TOPIC='tx', VALUE_FORMAT='JSON', VALUE_SCHEMA_ID=1);")
    with pytest.raises(KsqlError, match="Table elements and VALUE_SCHEMA_ID cannot both exist"):
        engine.execute("CREATE STREAM TXS (A INT) WITH (KAFKA_TOPIC='tx', VALUE_FORMAT='AVRO', VALUE_SCHEMA_ID=1);")


def test_create_registers_only_a_new_subject(engine: Engine, registry: MemoryRegistryClient) -> None:
    engine.execute("CREATE STREAM A (ID INT) WITH (KAFKA_TOPIC='tx', VALUE_FORMAT='AVRO');")
    first = registry.latest("tx-value")
    assert json.loads(first.schema.schema)["name"] == "KsqlDataSourceSchema"
    engine.execute("CREATE STREAM B (OTHER STRING) WITH (KAFKA_TOPIC='tx', VALUE_FORMAT='AVRO');")
    assert registry.latest("tx-value") == first


def test_csas_registers_its_sink(engine: Engine, registry: MemoryRegistryClient, driver: MemoryDriver) -> None:
    engine.execute("CREATE STREAM SRC (K STRING KEY, AMOUNT DOUBLE) WITH (KAFKA_TOPIC='tx', VALUE_FORMAT='JSON');")
    engine.execute("CREATE STREAM OUT WITH (KEY_FORMAT='AVRO', VALUE_FORMAT='AVRO') AS SELECT * FROM SRC;")
    value = json.loads(registry.latest("OUT-value").schema.schema)
    key = json.loads(registry.latest("OUT-key").schema.schema)
    assert value["fields"] == [{"name": "AMOUNT", "type": ["null", "double"], "default": None}]
    assert key == "string"  # a single key column is unwrapped
    driver.produce("tx", [Record(b"k1", b'{"AMOUNT": 2.5}', 1)])
    engine.drain()
    [out] = driver.records("OUT")
    assert wire.split(out.key)[0] == registry.latest("OUT-key").schema_id
    assert wire.split(out.value)[0] == registry.latest("OUT-value").schema_id


def test_no_registry_configured(driver: MemoryDriver) -> None:
    e = Engine(EngineConfig(service_id="t_", synchronous=True, properties=EARLIEST), driver)
    try:
        with pytest.raises(KsqlError, match=re.escape("Cannot create topic 'tx' with format AVRO without "
                                                      "configuring 'ksql.schema.registry.url'")):
            e.execute("CREATE STREAM A (ID INT) WITH (KAFKA_TOPIC='tx', VALUE_FORMAT='AVRO');")
        with pytest.raises(KsqlError, match="KSQL is not configured to use a schema registry"):
            e.execute("CREATE STREAM A WITH (KAFKA_TOPIC='tx', VALUE_FORMAT='AVRO');")
    finally:
        e.close()


class Incompatible(MemoryRegistryClient):
    def _register(self, subject: str, schema: RegisteredSchema) -> int:
        if subject == "OUT-value":
            raise SchemaRegistryError(
                f'Schema being registered is incompatible with an earlier schema for subject "{subject}"; '
                "error code: 409", 409, 409, subject)
        return super()._register(subject, schema)


def test_incompatible_sink_schema_is_rejected(driver: MemoryDriver) -> None:
    e = Engine(EngineConfig(service_id="t_", synchronous=True, properties=EARLIEST), driver, Incompatible())
    try:
        e.execute("CREATE STREAM SRC (AMOUNT DOUBLE) WITH (KAFKA_TOPIC='tx', VALUE_FORMAT='JSON');")
        with pytest.raises(KsqlError) as err:
            e.execute("CREATE STREAM OUT WITH (VALUE_FORMAT='AVRO') AS SELECT * FROM SRC;")
        assert err.value.message.startswith(
            "Could not register schema for topic: Could not register schema for topic: Schema being registered "
            'is incompatible with an earlier schema for subject "OUT-value"')
        assert e.state.metastore.get("OUT") is None
    finally:
        e.close()


def test_bad_records_go_to_the_processing_log_and_the_rest_flows(
    engine: Engine, registry: MemoryRegistryClient, driver: MemoryDriver
) -> None:
    schema_id = registry.register("tx-value", RegisteredSchema(AVRO, json.dumps(TX)))
    engine.execute("CREATE STREAM TXS WITH (KAFKA_TOPIC='tx', VALUE_FORMAT='AVRO');")
    engine.execute("CREATE STREAM OUT WITH (VALUE_FORMAT='JSON') AS SELECT ID, CARD FROM TXS;")
    driver.produce("tx", [
        Record(None, b'{"id": 1}', 1),  # not the wire format
        Record(None, wire.frame(999, b"\x02"), 2),  # an id the registry does not know
        Record(None, avro_bytes(schema_id, TX, {"id": 7, "amount": None, "card": "c"}), 3),
    ])
    engine.drain()
    assert [json.loads(r.value) for r in driver.records("OUT")] == [{"ID": 7, "CARD": "c"}]
    errors = [json.loads(r.value)["message"]["deserializationError"] for r in driver.records("t_ksql_processing_log")]
    # KsqlConnectDeserializer's message, the converter's in its causes
    assert [e["errorMessage"] for e in errors] == ["Error deserializing message from topic: tx"] * 2
    assert errors[0]["cause"] == ["Failed to deserialize data for topic tx to Avro: ", "Unknown magic byte!"]
    assert "Error retrieving Avro value schema for id 999" in errors[1]["cause"]


class Flaky(MemoryRegistryClient):
    """Down (no answer) until `up` is set."""

    def __init__(self) -> None:
        super().__init__()
        self.up = threading.Event()

    def _fetch_by_id(self, schema_id: int) -> RegisteredSchema:
        if not self.up.is_set():
            raise SchemaRegistryUnavailableError("Schema Registry at http://x is unreachable: ConnectError")
        return super()._fetch_by_id(schema_id)

    def latest(self, subject: str) -> SubjectVersion:
        return super().latest(subject)


def test_a_registry_that_is_down_loses_nothing() -> None:
    """The query fails its batch, retries from its committed offsets, and once the registry answers the
    records flow: none was skipped as a bad record."""
    driver = MemoryDriver()
    driver.create_topic("tx", partitions=1)
    registry = Flaky()
    e = Engine(EngineConfig(service_id="t_", properties=EARLIEST, poll_timeout=0.05), driver, registry)
    try:
        schema_id = registry.register_with_id("tx-value", RegisteredSchema(AVRO, json.dumps(TX)), 5)
        registry.up.set()
        e.execute("CREATE STREAM TXS WITH (KAFKA_TOPIC='tx', VALUE_FORMAT='AVRO');")
        e.execute("CREATE STREAM OUT WITH (VALUE_FORMAT='JSON') AS SELECT ID FROM TXS;")
        registry.up.clear()
        registry._by_id.clear()  # the records' id is not cached yet: the query must ask the registry
        driver.produce("tx", [Record(None, avro_bytes(schema_id, TX, {"id": i, "amount": 1.0, "card": "c"}), i)
                              for i in range(3)])
        time.sleep(1.5)
        assert driver.records("OUT") == []
        [query] = e.state.persistent.values()
        assert query.state == "ERROR" and "unreachable" in query.error
        registry.up.set()
        deadline = time.monotonic() + 15
        while len(driver.records("OUT")) < 3 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert [json.loads(r.value)["ID"] for r in driver.records("OUT")] == [0, 1, 2]
        # no record was logged as bad; the failures are the thread's (KafkaStreamsThreadError, type 4, as
        # PersistentQueryMetadataImpl.uncaughtHandler logs them)
        logged = [json.loads(r.value)["message"] for r in driver.records("t_ksql_processing_log")]
        assert logged and {m["type"] for m in logged} == {4}
        assert [e.type for e in query.errors.errors()][:1] == ["UNKNOWN"]
    finally:
        e.close()
