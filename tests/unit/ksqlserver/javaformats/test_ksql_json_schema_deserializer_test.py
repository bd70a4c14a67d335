"""ksqlDB's KsqlJsonSchemaDeserializerTest (io.confluent.ksql.serde.json): a JSON_SR row of every column type
(BIGINT, a column named `@ORDERID`, STRING, DOUBLE, a case-sensitive name, ARRAY, MAP, TIME, DATE, TIMESTAMP,
BYTES) written by the JSON_SR serializer reads back to the same values, and a null record to null. Ported
on the JSON_SR serde ksqlDB builds for a source's value (the schema registered by the serializer, then read
by id) and end to end, through a stream over the topic."""

from __future__ import annotations

from typing import Any

from ksqlserver.formats.sr.client import MemoryRegistryClient

COLUMNS = ("ORDERTIME BIGINT, @ORDERID BIGINT, ITEMID STRING, ORDERUNITS DOUBLE, caseField BIGINT, "
           "ARRAYCOL ARRAY<DOUBLE>, MAPCOL MAP<STRING, DOUBLE>, TIMEFIELD TIME, DATEFIELD DATE, "
           "TIMESTAMPFIELD TIMESTAMP, BYTESFIELD BYTES")  # fmt: skip
AN_ORDER = [1511897796092, 1, "Item_1", 10.0, 1, [10.0, 20.0], {"key1": 10.0}, 1000, 10, 1000, b"\x7b"]


def test_should_deserialize_json_object_correctly(make_serde: Any) -> None:
    """shouldDeserializeJsonObjectCorrectly"""
    s = make_serde("JSON_SR", COLUMNS, registry=MemoryRegistryClient(), topic="bob")
    assert s.deserialize(s.serialize(AN_ORDER)) == AN_ORDER


def test_should_deserialize_null_as_null(make_serde: Any) -> None:
    """shouldDeserializeNullAsNull"""
    s = make_serde("JSON_SR", COLUMNS, registry=MemoryRegistryClient(), topic="bob")
    assert s.deserialize(None) is None


def test_a_json_sr_stream_reads_what_it_writes(fmt: Any) -> None:
    """shouldDeserializeJsonObjectCorrectly, end to end: INSERT VALUES writes with the registered schema and
    a query reads the row back"""
    fmt.topic("bob")
    fmt.sql("CREATE STREAM S (ORDERTIME BIGINT, `@ORDERID` BIGINT, ITEMID STRING, ORDERUNITS DOUBLE, "
            "`caseField` BIGINT, ARRAYCOL ARRAY<DOUBLE>, MAPCOL MAP<STRING, DOUBLE>, TIMEFIELD TIME, "
            "DATEFIELD DATE, TIMESTAMPFIELD TIMESTAMP, BYTESFIELD BYTES) "
            "WITH (KAFKA_TOPIC='bob', VALUE_FORMAT='JSON_SR');")  # fmt: skip
    fmt.sql("INSERT INTO S VALUES (1511897796092, 1, 'Item_1', 10.0, 1, ARRAY[10.0, 20.0], MAP('key1' := 10.0), "
            "'00:00:01', '1970-01-11', '1970-01-01T00:00:01', TO_BYTES('ew==', 'base64'));")  # fmt: skip
    fmt.sql("CREATE STREAM O WITH (VALUE_FORMAT='JSON') AS SELECT * FROM S;")
    [value] = fmt.values("O")
    assert value == (
        b'{"ORDERTIME":1511897796092,"@ORDERID":1,"ITEMID":"Item_1","ORDERUNITS":10.0,"caseField":1,'
        b'"ARRAYCOL":[10.0,20.0],"MAPCOL":{"key1":10.0},"TIMEFIELD":1000,"DATEFIELD":10,'
        b'"TIMESTAMPFIELD":1000,"BYTESFIELD":"ew=="}'
    )
