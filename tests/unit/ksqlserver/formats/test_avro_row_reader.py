"""The Avro row decoder (the generated codec straight into column values) must read each column from the
field the generic path (decoder, then ksqlDB's Connect translator) reads it from: by exact name, else by
upper-cased name as inferred columns are named, the last matching field winning."""

from __future__ import annotations

import io
import json
from typing import Any

import fastavro
import pytest

from ksqlserver.catalog.types import SqlType, primitive, struct
from ksqlserver.formats.avro import AvroFormat, ParsedAvro
from ksqlserver.formats.sr.client import AVRO, RegisteredSchema
from ksqlserver.formats.sr.connect import translator


def parsed_of(fields: list[tuple[str, Any]]) -> ParsedAvro:
    schema = {"type": "record", "name": "R", "fields": [{"name": n, "type": t} for n, t in fields]}
    parsed = AvroFormat().parse(RegisteredSchema(AVRO, json.dumps(schema)), None, {})
    assert isinstance(parsed, ParsedAvro)
    return parsed


def payload(parsed: ParsedAvro, value: dict[str, Any]) -> memoryview:
    out = io.BytesIO()
    fastavro.schemaless_writer(out, fastavro.parse_schema(parsed.schema), value)
    return memoryview(out.getvalue())


def generic_row(parsed: ParsedAvro, target: SqlType, data: memoryview) -> list[Any]:
    row = translator(target, parsed.connect)(parsed.decoder()(data))
    return [row[n] for n, _ in target.fields or ()]


CASES = [
    # inferred columns: upper-cased names of mixed-case fields
    ([("Time", "double"), ("V1", ["null", "double"]), ("Class", "string")],
     [("TIME", "DOUBLE"), ("V1", "DOUBLE"), ("CLASS", "STRING")],
     {"Time": 1.5, "V1": None, "Class": "0"}),
    # a subset, reordered
    ([("Time", "double"), ("amount", "double"), ("id", "long")],
     [("ID", "BIGINT"), ("TIME", "DOUBLE")],
     {"Time": 2.0, "amount": 3.0, "id": 7}),
    # two fields for one column: the exact name first, the upper-cased one later wins
    ([("TIME", "double"), ("Time", "double")],
     [("TIME", "DOUBLE")],
     {"TIME": 1.0, "Time": 2.0}),
    ([("Time", "double"), ("TIME", "double")],
     [("TIME", "DOUBLE")],
     {"Time": 1.0, "TIME": 2.0}),
    # exact names (a schema id keeps them)
    ([("id", "long"), ("card", "string")],
     [("id", "BIGINT"), ("card", "STRING")],
     {"id": 1, "card": "x"}),
]


@pytest.mark.parametrize(("fields", "columns", "value"), CASES)
def test_row_decoder_reads_the_generic_paths_fields(
    fields: list[tuple[str, Any]], columns: list[tuple[str, str]], value: dict[str, Any]
) -> None:
    parsed = parsed_of(fields)
    target = struct([(n, primitive(t)) for n, t in columns])
    decode = parsed.row_decoder(target, [n for n, _ in columns])
    assert decode is not None  # every column reads a field unchanged: the generated codec's case
    data = payload(parsed, value)
    assert decode(data) == generic_row(parsed, target, data)


def test_a_column_without_its_field_is_left_to_the_generic_path() -> None:
    parsed = parsed_of([("time", "double"), ("Other", "double")])
    target = struct([("Time", primitive("DOUBLE")), ("OTHER", primitive("DOUBLE"))])
    assert parsed.row_decoder(target, ["Time", "OTHER"]) is None
    data = payload(parsed, {"time": 1.0, "Other": 2.0})
    assert generic_row(parsed, target, data) == [None, 2.0]
