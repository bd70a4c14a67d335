"""Connect values into SQL values as ksqlDB's ConnectDataTranslator maps them (ConnectDataTranslatorTest,
KsqlAvroDeserializerTest's coercions): the writer's type must be one the column accepts, names match by
exact or upper-cased name, missing fields are null, errors name the path."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ksqlserver.catalog.types import parse_type
from ksqlserver.errors import SerdeError
from ksqlserver.formats.sr import connect as C


def s(t: str, **kw: object) -> C.CSchema:
    return C.CSchema(t, optional=True, **kw)  # type: ignore[arg-type]


def test_struct_with_case_insensitive_names_and_missing_fields() -> None:
    w = s(C.STRUCT, fields=(("int", s(C.INT32)), ("str", s(C.STR)), ("extra", s(C.INT64))))
    tr = C.translator(parse_type("STRUCT<INT INT, STR STRING, `other` BIGINT>"), w)
    assert tr({"int": 1, "str": "a", "extra": 5}) == {"INT": 1, "STR": "a", "other": None}
    assert tr(None) is None


@pytest.mark.parametrize(
    ("sql", "writer", "value", "expected"),
    [
        ("BIGINT", C.INT32, 7, 7),
        ("BIGINT", C.INT16, 7, 7),
        ("BIGINT", C.INT8, -7, -7),
        ("INTEGER", C.INT8, 7, 7),
        ("DOUBLE", C.FLOAT32, 1.5, 1.5),
        ("STRING", C.INT64, 12, "12"),
        ("STRING", C.BOOL, True, "true"),
        ("STRING", C.FLOAT64, 1e10, "1.0E10"),
        ("STRING", C.FLOAT64, 3.628571428571429e16, "3.6285714285714288E16"),  # JDK 17's Double.toString
    ],
)
def test_widening_coercions(sql: str, writer: str, value: object, expected: object) -> None:
    assert C.translator(parse_type(sql), s(writer))(value) == expected


@pytest.mark.parametrize(
    ("sql", "writer", "message"),
    [
        ("INTEGER", C.INT64, "Cannot deserialize type int64 as type int32 for path: "),
        ("BOOLEAN", C.STR, "Cannot deserialize type string as type boolean for path: "),
        ("DOUBLE", C.STR, "Cannot deserialize type string as type float64 for path: "),
        ("BIGINT", C.FLOAT64, "Cannot deserialize type float64 as type int64 for path: "),
    ],
)
def test_narrowing_is_an_error(sql: str, writer: str, message: str) -> None:
    with pytest.raises(SerdeError, match=message):
        C.translator(parse_type(sql), s(writer))(1)


def test_nested_mismatch_names_the_path() -> None:
    w = s(C.STRUCT, fields=(("S", s(C.STRUCT, fields=(("I", s(C.STR)),))),))
    tr = C.translator(parse_type("STRUCT<S STRUCT<I INT>>"), w)
    with pytest.raises(SerdeError, match="Cannot deserialize type string as type int32 for path: ->S->I"):
        tr({"S": {"I": "x"}})
    arr = C.translator(parse_type("ARRAY<INT>"), s(C.ARRAY, value=s(C.STR)))
    with pytest.raises(SerdeError, match="for path: ->ARRAY"):
        arr(["x"])


def test_decimals_fit_without_rounding() -> None:
    tr = C.translator(parse_type("DECIMAL(4, 2)"), C.decimal_schema(4, 2))
    assert str(tr(Decimal("1.2"))) == "1.20"
    with pytest.raises(SerdeError, match="without rounding"):
        tr(Decimal("1.234"))
