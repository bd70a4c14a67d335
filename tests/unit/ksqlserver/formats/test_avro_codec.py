"""The generated Avro codec of flat records must write exactly fastavro's bytes and read them back the
same, nulls and all; records it cannot read fall back to fastavro's reading (and its error)."""

from __future__ import annotations

import io
import random
import struct

import fastavro
import pytest

from ksqlserver.errors import SerdeError
from ksqlserver.formats.sr.avro_codec import compile_codec
from ksqlserver.formats.sr.avro_schema import resolve

KINDS = ["double", "float", "boolean", "int", "long", "string", "bytes"]


def schema_of(kinds: list[tuple[str, bool]]) -> dict:
    fields = []
    for i, (kind, nullable) in enumerate(kinds):
        t: object = ["null", kind] if nullable else kind
        if nullable and i % 5 == 4:
            t = [kind, "null"]  # the value branch first: its default would be a value, not null
        fields.append({"name": f"f{i}", "type": t})
    return {"type": "record", "name": "R", "fields": fields}


def value_of(kind: str, rng: random.Random) -> object:
    return {
        "double": rng.choice([0.0, -1.5, 1e300, rng.random()]),
        "float": struct.unpack("<f", struct.pack("<f", rng.random() * 100))[0],
        "boolean": rng.random() < 0.5,
        "int": rng.choice([0, -1, 63, 64, -65, 2**31 - 1, -(2**31)]),
        "long": rng.choice([0, 2**62, -(2**63), 300, -300]),
        "string": rng.choice(["", "a", "é€𝄞", "x" * 200]),
        "bytes": rng.choice([b"", b"\x00\xff", bytes(range(150))]),
    }[kind]


@pytest.mark.parametrize("seed", range(25))
def test_same_bytes_and_values_as_fastavro(seed: int) -> None:
    rng = random.Random(seed)
    kinds = [(rng.choice(KINDS), rng.random() < 0.7) for _ in range(rng.randint(1, 40))]
    if seed % 3 == 0:  # long runs of nullable doubles: the benchmark's shape
        kinds = [("double", True)] * 30 + [("string", True)]
    schema = schema_of(kinds)
    codec = compile_codec(resolve(schema))
    assert codec is not None
    parsed = fastavro.parse_schema(schema)
    for _ in range(50):
        row = [None if nullable and rng.random() < 0.2 else value_of(kind, rng) for kind, nullable in kinds]
        out = io.BytesIO()
        fastavro.schemaless_writer(out, parsed, {f"f{i}": v for i, v in enumerate(row)})
        assert codec.encode_list(row) == out.getvalue()
        assert codec.decode_list(memoryview(out.getvalue())) == row


def test_malformed_records_are_refused() -> None:
    codec = compile_codec(resolve(schema_of([("double", True), ("string", False)])))
    assert codec is not None
    good = codec.encode_list([1.0, "abc"])
    with pytest.raises((SerdeError, IndexError, struct.error)):
        codec.decode_list(memoryview(good[:-1]))
    with pytest.raises(SerdeError):
        codec.decode_list(memoryview(good + b"\x00"))
    with pytest.raises(SerdeError):
        codec.decode_list(memoryview(b"\x04" + good[1:]))  # no such union branch


def test_only_flat_records_of_primitives() -> None:
    assert compile_codec(resolve({"type": "array", "items": "int"})) is None
    nested = {"type": "record", "name": "R", "fields": [
        {"name": "a", "type": {"type": "record", "name": "S", "fields": [{"name": "x", "type": "int"}]}}]}
    assert compile_codec(resolve(nested)) is None
    decimal = {"type": "record", "name": "R", "fields": [
        {"name": "d", "type": {"type": "bytes", "logicalType": "decimal", "precision": 4, "scale": 2}}]}
    assert compile_codec(resolve(decimal)) is None
