"""Port of ksqlDB 0.29 `io.confluent.ksql.api.util.ApiSqlValueCoercerTest` (ksqldb-rest-app): how the rows of
/inserts-stream are coerced to the target's column types.

The Java test calls `ApiSqlValueCoercer.INSTANCE.coerce(value, type)` with Vert.x JSON values and Java objects.
A client reaches the coercer only with what JSON decodes to (Boolean, Integer, Long (a number outside the int
range), Double, String, JsonArray, JsonObject, null), so the cases with `java.sql.Time/Date/Timestamp`,
`ByteBuffer`, `BigDecimal` or Connect `Struct` inputs are left out, and `1L` is written as a number outside
the int range where the Java test needs a Long. Each case inserts `{"K": "k", "V": <value>}` into a stream
`(K STRING KEY, V <type>)` with `Engine.insert_api_rows` (what the /inserts-stream handler calls) and reads
the JSON value written to the topic back: `Result.failure()` is an error ack, a result is the value written.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig

LONG = 3_000_000_000  # Vert.x decodes it as a java.lang.Long

FAIL = object()


class Coercer:
    def __init__(self) -> None:
        self.driver = MemoryDriver()
        self.engine = Engine(EngineConfig(service_id="default_", processing_log=False), self.driver)
        self.streams: dict[str, str] = {}

    def coerce(self, sql_type: str, value: Any) -> Any:
        """The value written for V, or FAIL when the row is refused."""
        name = self.streams.get(sql_type)
        if name is None:
            name = self.streams[sql_type] = f"S{len(self.streams)}"
            self.driver.create_topic(name, 1, 1)
            self.engine.execute(
                f"CREATE STREAM {name} (K STRING KEY, V {sql_type}) WITH (kafka_topic='{name}', value_format='json');"
            )
        [ack] = self.engine.insert_api_rows(name, [{"K": "k", "V": value}])
        if ack["status"] != "ok":
            return FAIL
        written = self.driver.records(name)[-1].value
        assert written is not None
        return json.loads(written)["V"]


@pytest.fixture(scope="module")
def coercer() -> Iterator[Coercer]:
    c = Coercer()
    yield c
    c.engine.close()


TYPES = [
    "BOOLEAN", "INTEGER", "BIGINT", "DECIMAL(2, 1)", "DOUBLE", "STRING", "TIME", "DATE", "TIMESTAMP", "BYTES",
    "ARRAY<BIGINT>", "MAP<STRING, BIGINT>", "STRUCT<`fred` INTEGER>",
]  # fmt: skip


@pytest.mark.parametrize("sql_type", TYPES)
def test_should_coerce_null_to_anything(coercer: Coercer, sql_type: str) -> None:
    """ApiSqlValueCoercerTest.shouldCoerceNullToAnything"""
    assert coercer.coerce(sql_type, None) is None


@pytest.mark.parametrize(
    ("sql_type", "value", "expected"),
    [
        ("BOOLEAN", True, True),  # shouldCoerceToBoolean
        ("INTEGER", 1, 1),  # shouldCoerceToInteger
        ("BIGINT", 1, 1),  # shouldCoerceToBigInt
        ("BIGINT", LONG, LONG),
        ("DECIMAL(2, 1)", 1, 1.0),  # shouldCoerceToDecimal
        ("DECIMAL(2, 1)", "1.0", 1.0),
        ("DECIMAL(2, 1)", 1.0, 1.0),
        ("DOUBLE", 1, 1.0),  # shouldCoerceToDouble
        ("DOUBLE", LONG, float(LONG)),
        ("DOUBLE", 1.0, 1.0),
        ("ARRAY<DOUBLE>", [1], [1.0]),  # shouldCoerceToArray
        ("ARRAY<DOUBLE>", [LONG], [float(LONG)]),
        ("ARRAY<DOUBLE>", [1.1], [1.1]),
        ("ARRAY<DOUBLE>", [None], [None]),
        ("MAP<STRING, DOUBLE>", {"foo": 1}, {"foo": 1.0}),  # shouldCoerceToMap
        ("MAP<STRING, DOUBLE>", {"foo": LONG}, {"foo": float(LONG)}),
        ("MAP<STRING, DOUBLE>", {"foo": 1.1}, {"foo": 1.1}),
        ("MAP<STRING, DOUBLE>", {"foo": None}, {"foo": None}),
        ("STRING", "foobar", "foobar"),  # shouldCoerceToString
        ("TIMESTAMP", "2005-04-18T01:00:00.0", 1113786000000),  # shouldCoerceToTimestamp
        ("TIME", "00:02:01", 121000),  # shouldCoerceToTime
        ("DATE", "2005-04-18", 1113782400000 // 86_400_000),  # shouldCoerceToDate (JSON writes days)
        ("BYTES", "IQ==", "IQ=="),  # shouldCoerceToBytes (JSON writes base64)
    ],
)
def test_should_coerce(coercer: Coercer, sql_type: str, value: Any, expected: Any) -> None:
    """ApiSqlValueCoercerTest.shouldCoerceToBoolean / ToInteger / ToBigInt / ToDecimal / ToDouble / ToArray /
    ToMap / ToString / ToTimestamp / ToTime / ToDate / ToBytes"""
    assert coercer.coerce(sql_type, value) == expected


@pytest.mark.parametrize(
    ("sql_type", "values"),
    [
        ("BOOLEAN", ["true", 1, LONG, 1.0]),  # shouldNotCoerceToBoolean
        ("INTEGER", [True, LONG, 1.0, "1"]),  # shouldNotCoerceToInteger
        ("BIGINT", [True, 1.0, "1"]),  # shouldNotCoerceToBigInt
        ("DECIMAL(2, 1)", [True, 1234, LONG]),  # shouldNotCoerceToDecimal
        ("DOUBLE", [True, "1"]),  # shouldNotCoerceToDouble
        ("ARRAY<DOUBLE>", [True, LONG, "foo", {"foo": 1}]),  # shouldNotCoerceToArray
        ("MAP<STRING, DOUBLE>", [True, LONG, "foo", ["foo"]]),  # shouldNotCoerceToMap
        ("STRING", [True, 1, LONG, 1.0]),  # shouldNotCoerceToString
        ("TIMESTAMP", [True, 1, LONG, 1.0, "aaa"]),  # shouldNotCoerceToTimestamp
        ("TIME", [True, 1, LONG, 1.0, "aaa"]),  # shouldNotCoerceToTime
        ("DATE", [True, 1, LONG, 1.0, "aaa"]),  # shouldNotCoerceToDate
        ("BYTES", [True, 1, LONG, 1.0, "yee haw"]),  # shouldNotCoerceToBytes
        ("STRUCT<`foo` STRING>", [["foo"], "bar"]),  # shouldNotCoerceToStruct
    ],
)
def test_should_not_coerce(coercer: Coercer, sql_type: str, values: list[Any]) -> None:
    """ApiSqlValueCoercerTest.shouldNotCoerceToBoolean / ... / shouldNotCoerceToBytes / shouldNotCoerceToStruct"""
    for value in values:
        assert coercer.coerce(sql_type, value) is FAIL, value


def test_should_coerce_to_struct(coercer: Coercer) -> None:
    """ApiSqlValueCoercerTest.shouldCoerceToStruct: the field name is an identifier (foo is FOO)"""
    assert coercer.coerce("STRUCT<FOO DECIMAL(2, 1)>", {"foo": 2}) == {"FOO": 2.0}


def test_should_coerce_to_json_object_with_null_values(coercer: Coercer) -> None:
    """ApiSqlValueCoercerTest.shouldCoerceToJsonObjectWithNullValues"""
    assert coercer.coerce("STRUCT<`foo` DECIMAL(2, 1)>", {"foo": None}) == {"foo": None}


def test_should_subset_coerce_to_struct(coercer: Coercer) -> None:
    """ApiSqlValueCoercerTest.shouldSubsetCoerceToStruct"""
    assert coercer.coerce("STRUCT<FOO STRING, BAR STRING>", {"foo": "val1"}) == {"FOO": "val1", "BAR": None}


def test_should_not_coerce_to_struct_if_any_field_fails_to_coerce(coercer: Coercer) -> None:
    """ApiSqlValueCoercerTest.shouldNotCoerceToStructIfAnyFieldFailsToCoerce"""
    assert coercer.coerce("STRUCT<`foo` ARRAY<INTEGER>>", {"`foo`": 2}) is FAIL


# shouldCoerceAlmostUsingSameRulesAsBaseTypeUpCastRules: the JSON-expressible INSTANCES
INSTANCES = {
    "BOOLEAN": False, "INTEGER": 1, "DOUBLE": 3.0, "STRING": "4.1", "ARRAY": [1, 2], "MAP": {"k": 1},
    "STRUCT": {"fred": 11},
}  # fmt: skip
BASE_TYPES = {
    "BOOLEAN": "BOOLEAN", "INTEGER": "INTEGER", "BIGINT": "BIGINT", "DECIMAL": "DECIMAL(2, 1)", "DOUBLE": "DOUBLE",
    "STRING": "STRING", "TIME": "TIME", "DATE": "DATE", "TIMESTAMP": "TIMESTAMP", "BYTES": "BYTES",
    "ARRAY": "ARRAY<BIGINT>", "MAP": "MAP<STRING, BIGINT>", "STRUCT": "STRUCT<`fred` INTEGER>",
}  # fmt: skip
NUMBERS = ["INTEGER", "BIGINT", "DECIMAL", "DOUBLE"]
STRING_INSTANCES = {"TIMESTAMP": "2005-04-05T12:34:56.789", "TIME": "12:34:56", "DATE": "2005-04-05", "BYTES": "IQ=="}


def _should_be_supported(source: str, target: str) -> bool:
    """The Java test's coercionShouldBeSupported: SqlBaseType.canImplicitlyCast, plus STRING / DOUBLE to
    DECIMAL, and MAP / STRUCT both ways (both are a JsonObject)."""
    if source in ("STRING", "DOUBLE") and target == "DECIMAL":
        return True
    if {source, target} == {"MAP", "STRUCT"}:
        return True
    if source == target:
        return True
    if source in NUMBERS and target in NUMBERS:
        return NUMBERS.index(source) <= NUMBERS.index(target)
    return source == "STRING" and target in ("TIME", "DATE", "TIMESTAMP", "BYTES")


@pytest.mark.parametrize("source", list(INSTANCES))
def test_should_coerce_almost_using_same_rules_as_base_type_up_cast_rules(coercer: Coercer, source: str) -> None:
    """ApiSqlValueCoercerTest.shouldCoerceAlmostUsingSameRulesAsBaseTypeUpCastRules"""
    for target, sql_type in BASE_TYPES.items():
        value = STRING_INSTANCES.get(target, INSTANCES[source]) if source == "STRING" else INSTANCES[source]
        result = coercer.coerce(sql_type, value)
        if _should_be_supported(source, target):
            assert result is not FAIL, f"should coerce {source} to {target}"
        else:
            assert result is FAIL, f"should not coerce {source} to {target}"


def test_should_coerce_json_object_to_struct(coercer: Coercer) -> None:
    """ApiSqlValueCoercerTest.shouldCoerceJsonObjectToStruct"""
    assert coercer.coerce("STRUCT<FOO BIGINT, `NULL` BIGINT>", {"FOO": 12}) == {"FOO": 12, "NULL": None}


def test_should_coerce_json_object_to_nested_struct(coercer: Coercer) -> None:
    """ApiSqlValueCoercerTest.shouldCoerceJsonObjectToNestedStruct"""
    value = {"F1": {"G1": 12}, "F2": ["v1", "v2"], "F3": {"k1": "v1"}}
    assert coercer.coerce(
        "STRUCT<F1 STRUCT<G1 BIGINT, `NULL` BIGINT>, F2 ARRAY<STRING>, F3 MAP<STRING, STRING>>", value
    ) == {"F1": {"G1": 12, "NULL": None}, "F2": ["v1", "v2"], "F3": {"k1": "v1"}}


def test_should_coerce_json_object_to_nested_map(coercer: Coercer) -> None:
    """ApiSqlValueCoercerTest.shouldCoerceJsonObjectToNestedMap"""
    value = {"k1": {"F1": 1, "F2": "foo"}, "k2": {"F1": 2}, "k3": {}, "k4": None}
    assert coercer.coerce("MAP<STRING, STRUCT<F1 BIGINT, F2 STRING>>", value) == {
        "k1": {"F1": 1, "F2": "foo"},
        "k2": {"F1": 2, "F2": None},
        "k3": {"F1": None, "F2": None},
        "k4": None,
    }


def test_should_coerce_json_array_to_nested_array(coercer: Coercer) -> None:
    """ApiSqlValueCoercerTest.shouldCoerceJsonArrayToNestedArray"""
    value = [{"F1": 1, "F2": "foo"}, {"F1": 2}, {}, None]
    assert coercer.coerce("ARRAY<STRUCT<F1 BIGINT, F2 STRING>>", value) == [
        {"F1": 1, "F2": "foo"},
        {"F1": 2, "F2": None},
        {"F1": None, "F2": None},
        None,
    ]


def test_should_coerce_json_struct_to_nested_decimal(coercer: Coercer) -> None:
    """ApiSqlValueCoercerTest.shouldCoerceJsonStructToNestedDecimal"""
    value = {"INT": 1, "LONG": 1, "STRING": "1.1", "DOUBLE": 1.2}
    assert coercer.coerce(
        "STRUCT<`INT` DECIMAL(2, 1), `LONG` DECIMAL(2, 1), `STRING` DECIMAL(2, 1), `DOUBLE` DECIMAL(2, 1)>", value
    ) == {"INT": 1.0, "LONG": 1.0, "STRING": 1.1, "DOUBLE": 1.2}


def test_should_coerce_json_struct_with_case_insensitive_fields(coercer: Coercer) -> None:
    """ApiSqlValueCoercerTest.shouldCoerceJsonStructWithCaseInsensitiveFields: a quoted name keeps its case"""
    value = {"foo": 12, "`foo`": "v1", '"bar"': "v2"}
    assert coercer.coerce("STRUCT<FOO BIGINT, `foo` STRING, `bar` STRING>", value) == {
        "FOO": 12,
        "foo": "v1",
        "bar": "v2",
    }


def test_should_coerce_nested_json_struct_with_case_insensitive_fields(coercer: Coercer) -> None:
    """ApiSqlValueCoercerTest.shouldCoerceNestedJsonStructWithCaseInsensitiveFields"""
    value = {"F1": {"foo": 12, "`foo`": "v1", '"bar"': "v2"}}
    assert coercer.coerce("STRUCT<F1 STRUCT<FOO BIGINT, `foo` STRING, `bar` STRING>>", value) == {
        "F1": {"FOO": 12, "foo": "v1", "bar": "v2"}
    }


def test_should_coerce_nested_json_map_with_case_sensitive_keys(coercer: Coercer) -> None:
    """ApiSqlValueCoercerTest.shouldCoerceNestedJsonMapWithCaseSensitiveKeys"""
    assert coercer.coerce("STRUCT<F1 MAP<STRING, BIGINT>>", {"F1": {"foo": 12}}) == {"F1": {"foo": 12}}
