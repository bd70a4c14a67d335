"""RecordProcessingError.serializeRow's JSON of a row's values (ProcessingLoggingJsonMapper: Jackson with
WRITE_BIGDECIMAL_AS_PLAIN, java.sql.Timestamp / Date as epoch milliseconds, java.sql.Time as its toString,
ByteBuffer as base64, Connect Structs as objects, doubles as Double.toString)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ksqlserver.catalog import types as T
from ksqlserver.runtime.log_row import value_text


@pytest.mark.parametrize(
    ("value", "type_text", "expected"),
    [
        (None, "INT", "null"),
        (True, "BOOLEAN", "true"),
        (5, "BIGINT", "5"),
        (1.0, "DOUBLE", "1.0"),
        (1e21, "DOUBLE", "1.0E21"),
        (Decimal("1E-8"), "DECIMAL(10, 9)", "0.00000001"),
        ("a\u0001é", "STRING", '"a\\u0001é"'),
        (3_723_000, "TIME", '"01:02:03"'),
        (2, "DATE", "172800000"),
        (1000, "TIMESTAMP", "1000"),
        (b"\x00\x01", "BYTES", '"AAE="'),
        ([1, None], "ARRAY<INT>", "[1,null]"),
        ({"A": 1.5, "B": "x"}, "STRUCT<A DOUBLE, B STRING>", '{"A":1.5,"B":"x"}'),
        ({"k": 2}, "MAP<STRING, INT>", '{"k":2}'),
    ],
)
def test_value_text(value: object, type_text: str, expected: str) -> None:
    assert value_text(value, T.parse_type(type_text)) == expected
