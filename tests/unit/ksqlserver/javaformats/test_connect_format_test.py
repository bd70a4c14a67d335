"""ksqlDB's ConnectFormatTest (io.confluent.ksql.serde.connect): ConnectFormat.getSerde writes the value
columns as one STRUCT of the columns (wrapped), or the single column's value itself when UNWRAP_SINGLES is
set (UnwrappedSerializer / UnwrappedDeserializer), and refuses struct values whose schema does not fit.

A user sees the shapes in the records written: here AVRO, whose bytes say whether a record or a bare value
was written. shouldThrowOnSerializationIfStructColumnValueDoesNotMatchSchema needs a STRUCT value built with
a non-optional Connect schema (a Java UDF's return type); our functions build SQL values only, so it has no
counterpart."""

from __future__ import annotations

import io
import json
from typing import Any

import fastavro


def _written(fmt: Any) -> Any:
    [value] = fmt.values("t")
    schema_id = int.from_bytes(value[1:5], "big")
    schema = fastavro.parse_schema(json.loads(fmt.registry.schema_by_id(schema_id).schema))
    return fastavro.schemaless_reader(io.BytesIO(value[5:]), schema)


def test_should_call_subclass_to_create_outer_when_wrapped(fmt: Any) -> None:
    """shouldCallSubclassToCreateOuterWhenWrapped: a single column is a struct of one field `bob`"""
    fmt.topic("t")
    fmt.sql("CREATE STREAM S (`bob` INT) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='AVRO');")
    fmt.sql("INSERT INTO S (`bob`) VALUES (1);")
    assert _written(fmt) == {"bob": 1}
    assert json.loads(fmt.registered("t-value").schema)["type"] == "record"


def test_should_call_subclass_to_create_inner_when_unwrapped(fmt: Any) -> None:
    """shouldCallSubclassToCreateInnerWhenUnwrapped: the field's own schema and value"""
    fmt.topic("t")
    fmt.sql("CREATE STREAM S (`bob` INT) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='AVRO', WRAP_SINGLE_VALUE=false);")
    fmt.sql("INSERT INTO S (`bob`) VALUES (1);")
    assert _written(fmt) == 1
    assert json.loads(fmt.registered("t-value").schema) == "int"
