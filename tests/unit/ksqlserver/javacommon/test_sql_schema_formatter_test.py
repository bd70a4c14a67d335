"""ksqlDB 0.29 SqlSchemaFormatterTest (ksqldb-common, schema/connect): SqlSchemaFormatter.format with the
default options and no escaping, as KsqlJsonDeserializer prints the required type of a value it cannot convert
("Can't convert type. sourceType: ..., requiredType: <format(schema)>") for the types it formats itself
(DECIMAL, BYTES, ARRAY, MAP, STRUCT; the primitives use SqlBaseType names, see SqlBaseTypeTest).

Not ported: the STRICT (Option.APPEND_NOT_NULL) assertions, an option no ksqlDB code path uses (ksqlDB
columns are all optional), and shouldEscapeReservedWords / the AS_COLUMN_LIST cases, whose escaping predicates
and column-list option reach users only through the processing-log stream's CREATE statement and the
Connect schema translator's message."""

from __future__ import annotations

import pytest

from .conftest import Exec


@pytest.mark.parametrize(
    ("name", "column", "formatted"),
    [
        ("shouldFormatDecimal", "DECIMAL(2, 1)", "DECIMAL(2, 1)"),
        ("shouldFormatBytes / shouldFormatOptionalBytes", "BYTES", "BYTES"),
        ("shouldFormatArray / shouldFormatOptionalArray", "ARRAY<DOUBLE>", "ARRAY<DOUBLE>"),
        ("shouldFormatMap / shouldFormatOptionalMap", "MAP<STRING, DOUBLE>", "MAP<VARCHAR, DOUBLE>"),
        ("shouldFormatEmptyStruct", "STRUCT<>", "STRUCT< >"),
        (
            "shouldFormatStruct / shouldFormatOptionalStruct",
            "STRUCT<COL1 STRING, COL4 ARRAY<DOUBLE>, COL5 MAP<STRING, DOUBLE>>",
            "STRUCT<COL1 VARCHAR, COL4 ARRAY<DOUBLE>, COL5 MAP<VARCHAR, DOUBLE>>",
        ),
        (
            "DO_NOT_ESCAPE_COLUMN_NAMES (the deserializer's `word -> false`)",
            "STRUCT<`col1` STRING, `Col 2` STRUCT<`SELECT` STRING>>",
            "STRUCT<col1 VARCHAR, Col 2 STRUCT<SELECT VARCHAR>>",
        ),
    ],
)
def test_format(ex: Exec, name: str, column: str, formatted: str) -> None:
    assert ex.deserialization_error(column, True) == (
        "Failed to deserialize value from topic: in1. "
        f"Can't convert type. sourceType: BooleanNode, requiredType: {formatted}, path: $.V"
    )
