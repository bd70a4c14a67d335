"""The REST API in process (memory store) through confluent-kafka's own SchemaRegistryClient and raw
HTTP: ids, versions, errors with Confluent's codes, deletes, config, mode, and the `_schemas` records."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import requests
from confluent_kafka.schema_registry import Schema, SchemaReference, SchemaRegistryClient
from confluent_kafka.schema_registry.error import SchemaRegistryError

from schemaregistry.config import RegistryConfig
from schemaregistry.kafkastore import MemoryStore
from schemaregistry.registry import Registry
from schemaregistry.server import RegistryServer

V1 = json.dumps({"type": "record", "name": "Tx", "fields": [{"name": "amount", "type": "double"}]})
V2 = json.dumps({"type": "record", "name": "Tx", "fields": [
    {"name": "amount", "type": "double"}, {"name": "card", "type": "string", "default": ""}]})
BAD = json.dumps({"type": "record", "name": "Tx", "fields": [
    {"name": "amount", "type": "double"}, {"name": "card", "type": "string"}]})


@pytest.fixture
def server() -> Iterator[RegistryServer]:
    srv = RegistryServer(Registry(RegistryConfig(port=0), MemoryStore()))
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture
def client(server: RegistryServer) -> SchemaRegistryClient:
    return SchemaRegistryClient({"url": server.url})


def error_of(call) -> tuple[int, int, str]:  # type: ignore[no-untyped-def]
    with pytest.raises(SchemaRegistryError) as err:
        call()
    return err.value.http_status_code, err.value.error_code, err.value.error_message


def test_register_fetch_and_same_id_across_subjects(client: SchemaRegistryClient) -> None:
    first = client.register_schema("tx-value", Schema(V1, "AVRO"))
    assert client.register_schema("tx-value", Schema(V1, "AVRO")) == first  # idempotent
    assert client.register_schema("other-value", Schema(V1, "AVRO")) == first  # same text, same id
    second = client.register_schema("tx-value", Schema(V2, "AVRO"))
    assert second == first + 1
    assert json.loads(client.get_schema(first).schema_str) == json.loads(V1)
    latest = client.get_latest_version("tx-value")
    assert (latest.version, latest.schema_id) == (2, second)
    assert client.get_version("tx-value", 1).schema_id == first
    assert client.get_versions("tx-value") == [1, 2]
    assert client.get_subjects() == ["other-value", "tx-value"]
    assert sorted(client.get_subjects_by_schema_id(first)) == ["other-value", "tx-value"]
    found = client.lookup_schema("tx-value", Schema(V2, "AVRO"))
    assert (found.version, found.schema_id) == (2, second)


def test_errors_carry_confluent_codes(client: SchemaRegistryClient) -> None:
    client.register_schema("tx-value", Schema(V1, "AVRO"))
    assert error_of(lambda: client.get_latest_version("nope")) == (404, 40401, "Subject 'nope' not found.")
    assert error_of(lambda: client.get_version("tx-value", 7)) == (404, 40402, "Version 7 not found.")
    assert error_of(lambda: client.get_schema(999)) == (404, 40403, "Schema 999 not found")
    status, code, message = error_of(lambda: client.register_schema("tx-value", Schema("{oops", "AVRO")))
    assert (status, code) == (422, 42201) and message.startswith("Invalid schema {oops")
    status, code, message = error_of(lambda: client.register_schema("tx-value", Schema(BAD, "AVRO")))
    assert (status, code) == (409, 409)
    assert message.startswith('Schema being registered is incompatible with an earlier schema for subject "tx-value"')
    assert "READER_FIELD_MISSING_DEFAULT_VALUE" in message and "{compatibility: 'BACKWARD'}" in message
    assert not client.test_compatibility("tx-value", Schema(BAD, "AVRO"))
    assert client.test_compatibility("tx-value", Schema(V2, "AVRO"))
    assert error_of(lambda: client.get_compatibility("tx-value"))[1] == 40408


def test_raw_http_paths_and_content_type(server: RegistryServer) -> None:
    url = server.url
    ct = {"Content-Type": "application/vnd.schemaregistry.v1+json"}
    resp = requests.post(f"{url}/subjects/raw-value/versions", data=json.dumps({"schema": V1}), headers=ct)
    assert resp.status_code == 200 and resp.headers["Content-Type"] == "application/vnd.schemaregistry.v1+json"
    schema_id = resp.json()["id"]
    assert requests.get(f"{url}/schemas/ids/{schema_id}/schema").json() == json.loads(V1)
    assert requests.get(f"{url}/subjects/raw-value/versions/latest/schema").json() == json.loads(V1)
    assert requests.get(f"{url}/schemas/ids/{schema_id}/versions").json() == [{"subject": "raw-value", "version": 1}]
    assert requests.get(f"{url}/schemas/types").json() == ["AVRO", "JSON", "PROTOBUF"]
    bad = requests.get(f"{url}/subjects/raw-value/versions/zero")
    assert bad.status_code == 422 and bad.json()["error_code"] == 42202
    assert requests.get(f"{url}/no/such/path").status_code == 404
    garbled = requests.post(f"{url}/subjects/raw-value/versions", data="{", headers=ct)
    assert garbled.status_code == 400
    assert requests.put(f"{url}/config", json={"compatibility": "sideways"}).json()["error_code"] == 42203
    assert requests.put(f"{url}/mode", json={"mode": "BROKEN"}).json()["error_code"] == 42204


def test_soft_and_hard_deletes(client: SchemaRegistryClient) -> None:
    first = client.register_schema("tx-value", Schema(V1, "AVRO"))
    client.register_schema("tx-value", Schema(V2, "AVRO"))
    assert error_of(lambda: client.delete_version("tx-value", 1, permanent=True))[1] == 40407
    assert client.delete_version("tx-value", 1) == 1
    assert client.get_versions("tx-value") == [2]
    assert error_of(lambda: client.delete_version("tx-value", 1))[1] == 40406
    assert client.delete_version("tx-value", 1, permanent=True) == 1
    assert error_of(lambda: client.delete_subject("tx-value", permanent=True))[1] == 40405
    assert client.delete_subject("tx-value") == [2]
    assert client.get_subjects() == []
    assert error_of(lambda: client.delete_subject("tx-value"))[1] == 40404
    assert client.delete_subject("tx-value", permanent=True) == [2]
    assert error_of(lambda: client.get_versions("tx-value"))[1] == 40401
    # the text keeps its id after it was deleted everywhere
    assert client.register_schema("again-value", Schema(V1, "AVRO")) == first


def test_config_levels_and_readonly_mode(client: SchemaRegistryClient) -> None:
    client.register_schema("tx-value", Schema(V1, "AVRO"))
    client.set_compatibility("tx-value", "NONE")
    assert client.get_compatibility("tx-value") == "NONE"
    assert client.register_schema("tx-value", Schema(BAD, "AVRO")) > 0
    assert client.get_compatibility() == "BACKWARD"
    client.set_compatibility(level="FULL")
    assert client.get_compatibility() == "FULL"
    client.update_mode("tx-value", "READONLY")
    status, code, _ = error_of(lambda: client.register_schema("tx-value", Schema(V2, "AVRO")))
    assert (status, code) == (422, 42205)
    assert client.get_mode("tx-value") == "READONLY"


def test_references_resolve_and_block_deletes(client: SchemaRegistryClient) -> None:
    card = json.dumps({"type": "record", "name": "Card", "namespace": "x", "fields": [{"name": "n", "type": "string"}]})
    client.register_schema("card", Schema(card, "AVRO"))
    tx = json.dumps({"type": "record", "name": "Tx", "namespace": "x", "fields": [{"name": "card", "type": "x.Card"}]})
    refs = [SchemaReference("x.Card", "card", 1)]
    tx_id = client.register_schema("tx-value", Schema(tx, "AVRO", refs))
    fetched = client.get_schema(tx_id)
    assert [(r.name, r.subject, r.version) for r in fetched.references] == [("x.Card", "card", 1)]
    assert client.get_referenced_by("card", 1) == [tx_id]
    assert error_of(lambda: client.delete_subject("card"))[1] == 42206
    missing = [SchemaReference("x.Card", "card", 9)]
    assert error_of(lambda: client.register_schema("t2", Schema(tx, "AVRO", missing)))[1] == 42201


def test_state_replays_from_the_records_in_confluents_layout() -> None:
    store = MemoryStore()
    registry = Registry(RegistryConfig(), store)
    registry.start()
    from schemaregistry.registry import SchemaRequest

    registry.register("tx-value", SchemaRequest(V1))
    registry.set_config("tx-value", {"compatibility": "FULL"})
    registry.delete_subject("tx-value")
    keys = [json.loads(k) for k, _ in store.log]
    assert keys[0] == {"keytype": "SCHEMA", "subject": "tx-value", "version": 1, "magic": 1}
    assert json.loads(store.log[0][1]) == {  # type: ignore[arg-type]
        "subject": "tx-value", "version": 1, "id": 1, "schema": json.dumps(json.loads(V1), separators=(",", ":")),
        "deleted": False,
    }
    assert keys[1] == {"keytype": "CONFIG", "subject": "tx-value", "magic": 0}
    assert keys[2] == {"keytype": "DELETE_SUBJECT", "subject": "tx-value", "magic": 0}
    replayed = Registry(RegistryConfig(), store)
    replayed.start()
    assert replayed.subjects() == [] and replayed.subjects(include_deleted=True) == ["tx-value"]
    assert replayed.get_config("tx-value") == {"compatibilityLevel": "FULL"}
    assert replayed.schema_by_id(1).schema == registry.schema_by_id(1).schema
