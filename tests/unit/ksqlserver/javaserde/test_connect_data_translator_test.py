"""ksqlDB's ConnectDataTranslatorTest (io.confluent.ksql.serde.connect), the cases not already in
tests/unit/ksqlserver/formats/test_connect_translator_spec.py: arrays of structs, maps with struct
values, a nested struct field matched by its upper-cased name, and the TIME, DATE, TIMESTAMP, BIGINT
(from a Timestamp) and BYTES results of `connect.translator`."""

from __future__ import annotations

from typing import Any

import pytest

from ksqlserver.catalog.types import parse_type
from ksqlserver.formats.sr import connect as C


def s(t: str, **kw: Any) -> C.CSchema:
    return C.CSchema(t, optional=True, **kw)


INNER = s(C.STRUCT, fields=(("FIELD", s(C.INT32)),))


def test_should_translate_array_of_structs() -> None:
    """shouldTranslateArrayOfStructs."""
    tr = C.translator(parse_type("STRUCT<`ARRAY` ARRAY<STRUCT<FIELD INT>>>"),
                      s(C.STRUCT, fields=(("ARRAY", s(C.ARRAY, value=INNER)),)))
    assert tr({"ARRAY": [{"FIELD": 123}, {"FIELD": 456}]}) == {"ARRAY": [{"FIELD": 123}, {"FIELD": 456}]}


def test_should_translate_map_with_struct_values() -> None:
    """shouldTranslateMapWithStructValues."""
    tr = C.translator(parse_type("STRUCT<`MAP` MAP<STRING, STRUCT<FIELD INT>>>"),
                      s(C.STRUCT, fields=(("MAP", s(C.MAP, key=C.CSchema(C.STR), value=INNER)),)))
    got = tr({"MAP": {"k1": {"FIELD": 123}, "k2": {"FIELD": 456}}})
    assert got["MAP"]["k1"] == {"FIELD": 123} and got["MAP"]["k2"] == {"FIELD": 456}


def test_should_translate_struct_field_with_different_case() -> None:
    """shouldTranslateStructFieldWithDifferentCase: the writer's `iNt` fills the column's INT."""
    tr = C.translator(parse_type("STRUCT<`STRUCT` STRUCT<`INT` INT>>"),
                      s(C.STRUCT, fields=(("STRUCT", s(C.STRUCT, fields=(("iNt", s(C.INT32)),))),)))
    assert tr({"STRUCT": {"iNt": 123}}) == {"STRUCT": {"INT": 123}}


def test_should_translate_null_and_missing_struct_field() -> None:
    """shouldTranslateNullValueCorrectly, shouldTranslateMissingStructFieldToNull."""
    tr = C.translator(parse_type("STRUCT<`STRUCT` STRUCT<`INT` INT>>"),
                      s(C.STRUCT, fields=(("STRUCT", s(C.STRUCT, fields=(("OTHER", s(C.INT32)),))),)))
    assert tr({"STRUCT": None}) == {"STRUCT": None}
    assert tr({"STRUCT": {"OTHER": 1}}) == {"STRUCT": {"INT": None}}


@pytest.mark.parametrize(("sql", "writer", "value"), [
    ("TIME", s(C.INT32, name=C.TIME_NAME), 100),  # shouldReturnTimeType
    ("DATE", s(C.INT32, name=C.DATE_NAME), 10),  # shouldReturnDateType: Date(864000000L)
    ("TIMESTAMP", s(C.INT64, name=C.TIMESTAMP_NAME), 100),  # shouldReturnTimestampType
    ("BIGINT", s(C.INT64, name=C.TIMESTAMP_NAME), 100),  # shouldReturnLongType
    ("BYTES", s(C.BYTES_T), b"\x7b"),  # shouldReturnBytesType
])
def test_should_return_type(sql: str, writer: C.CSchema, value: Any) -> None:
    """The engine holds TIME and TIMESTAMP as milliseconds and DATE as days (java.sql's getTime())."""
    assert C.translator(parse_type(sql), writer)(value) == value
