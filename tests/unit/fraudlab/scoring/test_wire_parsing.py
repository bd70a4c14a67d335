"""AVRO and JSON_SR records into feature batches, with the project's schema registry in process: the
numpy path for runs of doubles agrees with fastavro record by record; every bad record is rejected with
its reason (not the wire format, unknown schema id, registry down, null or missing feature); one registry
request per schema id."""

from __future__ import annotations

import io
import json
import random
import struct
from collections.abc import Iterator

import fastavro
import numpy as np
import pytest
from confluent_kafka.schema_registry import Schema, SchemaRegistryClient

from fraudlab.registry.wire import SchemaCache
from fraudlab.scoring.errors import ScoringError
from fraudlab.scoring.formats import make_parser
from schemaregistry.config import RegistryConfig
from schemaregistry.kafkastore import MemoryStore
from schemaregistry.registry import Registry
from schemaregistry.server import RegistryServer

FEATURES = ("Time", *[f"V{i}" for i in range(1, 29)], "Amount")
# what KSQL's AVRO sink writes for the preprocessed stream: nullable everything, upper-case names
KSQL_SCHEMA = {"type": "record", "name": "KsqlDataSourceSchema", "namespace": "io.confluent.ksql.avro_schemas",
               "fields": [{"name": n, "type": ["null", t], "default": None} for n, t in
                          [("ID", "string"), ("TIMESTAMP", "string"), ("USER_MASKED", "string"),
                           *[(f.upper(), "double") for f in FEATURES], ("CLASS", "int")]]}
# what `fraudlab ingest --format avro` registers for a Kaggle frame
INGEST_SCHEMA = {"type": "record", "name": "Transaction", "namespace": "io.fraudlab",
                 "fields": [*({"name": f, "type": "double"} for f in FEATURES), {"name": "Class", "type": "long"}]}


@pytest.fixture
def registry() -> Iterator[str]:
    srv = RegistryServer(Registry(RegistryConfig(port=0), MemoryStore()))
    srv.start()
    yield srv.url
    srv.stop()


def register(url: str, subject: str, schema: dict | str, schema_type: str = "AVRO") -> int:
    text = schema if isinstance(schema, str) else json.dumps(schema)
    return SchemaRegistryClient({"url": url}).register_schema(subject, Schema(text, schema_type))


def framed(schema_id: int, schema: dict, record: dict) -> bytes:
    out = io.BytesIO()
    fastavro.schemaless_writer(out, fastavro.parse_schema(schema), record)
    return struct.pack(">bI", 0, schema_id) + out.getvalue()


def ksql_record(rng: random.Random, i: int, nulls: bool = False) -> dict:
    rec = {"ID": f"tx{i}", "TIMESTAMP": "2024-01-01 00:00:00", "USER_MASKED": "Xxxx", "CLASS": i % 2}
    for f in FEATURES:
        rec[f.upper()] = None if nulls and rng.random() < 0.3 else rng.uniform(-5, 5)
    if rng.random() < 0.2:
        rec["ID"] = None
    return rec


def test_ksql_records_read_at_once_as_fastavro_reads_them(registry: str) -> None:
    rng = random.Random(1)
    schema_id = register(registry, "features-value", KSQL_SCHEMA)
    records = [ksql_record(rng, i, nulls=i % 7 == 0) for i in range(400)]
    values = [framed(schema_id, KSQL_SCHEMA, r) for r in records]
    batch = make_parser("avro", FEATURES, schema_registry_url=registry).parse(values)
    expected = [(i, r) for i, r in enumerate(records) if all(r[f.upper()] is not None for f in FEATURES)]
    assert batch.index == [i for i, _ in expected]
    want = np.array([[r[f.upper()] for f in FEATURES] for _, r in expected], dtype=np.float32)
    np.testing.assert_array_equal(batch.features, want)
    assert batch.ids == [r["ID"] for _, r in expected]
    assert {i for i, _ in batch.rejects} == set(range(400)) - set(batch.index)
    assert all("not finite numbers" in err.reason for _, err in batch.rejects)


def test_ingested_records_and_one_request_per_schema_id(registry: str) -> None:
    rng = random.Random(2)
    first = register(registry, "tx-value", INGEST_SCHEMA)
    values = [framed(first, INGEST_SCHEMA, {**{f: rng.random() for f in FEATURES}, "Class": 0}) for _ in range(50)]
    cache = SchemaCache(registry)
    from fraudlab.scoring.wire_parsing import AvroParser

    parser = AvroParser(FEATURES, cache)
    for _ in range(3):
        batch = parser.parse(values)
        assert batch.features.shape == (50, 30) and not batch.rejects
    assert cache.fetches == 1


def test_bad_records_are_rejected_with_their_reason(registry: str) -> None:
    schema_id = register(registry, "tx-value", INGEST_SCHEMA)
    good = framed(schema_id, INGEST_SCHEMA, {**dict.fromkeys(FEATURES, 1.0), "Class": 1})
    values = [b'{"Time": 1}', struct.pack(">bI", 0, 999) + good[5:], good, good[:20], b""]
    batch = make_parser("avro", FEATURES, schema_registry_url=registry).parse(values)
    assert batch.index == [2]
    reasons = dict((i, err.reason) for i, err in batch.rejects)
    assert "not in Confluent's wire format: magic byte 0x7b" in reasons[0]
    assert "schema id 999 is unknown to the schema registry" in reasons[1] and "40403" in reasons[1]
    assert "not a record of its Avro schema" in reasons[3]
    assert reasons[4] == "empty record"


def test_a_registry_that_is_down_is_the_reason_and_is_asked_again() -> None:
    cache = SchemaCache("http://127.0.0.1:9")
    from fraudlab.scoring.wire_parsing import AvroParser

    parser = AvroParser(FEATURES, cache)
    value = struct.pack(">bI", 0, 1) + b"\x00" * 300
    for _ in range(2):
        [(_, err)] = parser.parse([value]).rejects
        assert "does not answer" in err.reason
    assert cache.fetches == 2  # an outage is not remembered: the next batch asks again


def test_missing_features_name_them(registry: str) -> None:
    schema = {"type": "record", "name": "R", "fields": [{"name": "Time", "type": "double"}]}
    schema_id = register(registry, "r-value", schema)
    [(_, err)] = make_parser("avro", FEATURES, schema_registry_url=registry).parse(
        [framed(schema_id, schema, {"Time": 1.0})]).rejects
    assert "the record has no field(s) V1, V2" in err.reason


def test_json_sr(registry: str) -> None:
    schema = json.dumps({"type": "object", "properties": {f: {"type": "number"} for f in FEATURES}})
    schema_id = register(registry, "j-value", schema, "JSON")
    payload = json.dumps({f.upper(): 0.5 for f in FEATURES}).encode()
    values = [struct.pack(">bI", 0, schema_id) + payload, payload]
    batch = make_parser("json_sr", FEATURES, schema_registry_url=registry).parse(values)
    assert batch.index == [0] and batch.features.shape == (1, 30)
    assert "magic byte" in batch.rejects[0][1].reason


def test_registry_formats_need_a_registry() -> None:
    with pytest.raises(ScoringError, match="needs the schema registry's URL"):
        make_parser("avro", FEATURES)
    with pytest.raises(ScoringError, match="unknown value format"):
        make_parser("xml", FEATURES)
