"""Port of ksqlDB 0.29 ToJsonStringTest (io.confluent.ksql.function.udf.json.ToJsonString): every
SQL type serialized as JSON text, through the engine so the values carry their SQL types."""

from __future__ import annotations

from typing import Any

from ksqlserver.catalog import types as T
from ksqlserver.catalog.types import SqlType
from ksqlserver.functions import default_registry

S, INT, BIG, B = T.STRING, T.INTEGER, T.BIGINT, T.BYTES


def call(name: str, types: list[SqlType | None], *args: Any) -> Any:
    return default_registry().require(name).resolve_call(types).impl(*args)


def test_primitives(select: Any) -> None:
    """shouldSerialize{Int,Boolean,Long,Double,Decimal,String,Bytes,Null}."""
    out = select("TO_JSON_STRING(123) AS I, TO_JSON_STRING(true) AS BO, TO_JSON_STRING(CAST(123 AS BIGINT)) AS L, "
                 "TO_JSON_STRING(123.456e0) AS D, TO_JSON_STRING(0.33333) AS DEC, TO_JSON_STRING('abc') AS S, "
                 "TO_JSON_STRING(TO_BYTES('0010bdbf', 'hex')) AS BT, TO_JSON_STRING(N) AS NU", "N INT", {})
    assert out.value == {"I": "123", "BO": "true", "L": "123", "D": "123.456", "DEC": "0.33333", "S": '"abc"',
                         "BT": '"ABC9vw=="', "NU": "null"}
    assert set(out.types.values()) == {"STRING"}


def test_time_types(select: Any) -> None:
    """shouldSerializeDate, shouldSerializeTime (java.sql.Time's text: no milliseconds), shouldSerializeTimestamp."""
    out = select("TO_JSON_STRING(PARSE_DATE('2022-01-20', 'yyyy-MM-dd')) AS D, "
                 "TO_JSON_STRING(PARSE_TIME('06:02:20.588', 'HH:mm:ss.SSS')) AS T, "
                 "TO_JSON_STRING(PARSE_TIMESTAMP('2022-01-20T17:06:02.588', 'yyyy-MM-dd''T''HH:mm:ss.SSS')) AS TS",
                 "N INT", {})
    assert out.value == {"D": '"2022-01-20"', "T": '"06:02:20"', "TS": '"2022-01-20T17:06:02.588"'}


def test_collections(select: Any) -> None:
    """shouldSerializeArray, shouldSerializeStruct, shouldSerializeMap, shouldSerializeNestedArrayOfStructs."""
    out = select("TO_JSON_STRING(ARRAY[1, 2, 3]) AS A, TO_JSON_STRING(STRUCT(`id` := 1, `name` := 'Alice')) AS S, "
                 "TO_JSON_STRING(MAP('c' := 2, 'd' := 4)) AS M, "
                 "TO_JSON_STRING(ARRAY[STRUCT(`json_key` := 1, `json_value` := MAP(2 := 'c', 4 := 'd'))]) AS N",
                 "N INT", {})
    assert out.value == {"A": "[1,2,3]", "S": '{"id":1,"name":"Alice"}', "M": '{"c":2,"d":4}',
                         "N": '[{"json_key":1,"json_value":{"2":"c","4":"d"}}]'}


def test_keys_in_utf16_order(select: Any) -> None:
    """ToJsonString.prepareMap / prepareStruct sort keys in a TreeMap<String, ...>: String.compareTo orders
    UTF-16 units, so a character outside the BMP (a surrogate pair) sorts before U+FFFF."""
    out = select("TO_JSON_STRING(MAP('\uffff' := 1, '\U0001F600' := 2, 'a' := 3)) AS M", "N INT", {})
    assert out.value == {"M": '{"a":3,"\U0001F600":2,"\uffff":1}'}
