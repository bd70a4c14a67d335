"""JSON serde against ksqlDB's own serde unit tests (KsqlJsonDeserializerTest, KsqlJsonSerializerTest):
each case here is one behaviour those tests pin, checked on the generic decoder and, where the schema
qualifies, through the fast reader too."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

import ksqlserver.formats.json_format as json_format
from ksqlserver.catalog.types import Column, parse_type
from ksqlserver.errors import FormatError, SerdeError
from ksqlserver.formats import SerdeOptions, get_format

ORDER = [
    ("ORDERTIME", "BIGINT"),
    ("@ORDERID", "BIGINT"),
    ("ITEMID", "STRING"),
    ("ORDERUNITS", "DOUBLE"),
    ("caseField", "BIGINT"),
    ("ARRAYCOL", "ARRAY<DOUBLE>"),
    ("MAPCOL", "MAP<STRING, DOUBLE>"),
    ("TIMEFIELD", "TIME"),
    ("DATEFIELD", "DATE"),
    ("TIMESTAMPFIELD", "TIMESTAMP"),
    ("BYTESFIELD", "BYTES"),
]
AN_ORDER = (
    b'{"ordertime":1511897796092,"@orderid":1,"itemid":"Item_1","orderunits":10.0,"arraycol":[10.0,20.0],'
    b'"mapcol":{"key1":10.0},"caseField":1,"timefield":1000,"datefield":10,"timestampfield":1000,'
    b'"bytesfield":"ew=="}'
)
EXPECTED_ORDER = [1511897796092, 1, "Item_1", 10.0, 1, [10.0, 20.0], {"key1": 10.0}, 1000, 10, 1000, b"{"]


def _cols(spec: list[tuple[str, str]]) -> list[Column]:
    return [Column(n, parse_type(t)) for n, t in spec]


@pytest.fixture(params=["generic", "fast"])
def path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every case on the generic decoder alone, and with the fast reader in front where it applies."""
    if request.param == "generic":
        monkeypatch.setattr(json_format, "fast_deserializer", lambda cols: None)
    return str(request.param)


def row(spec: list[tuple[str, str]], data: bytes) -> list[Any] | None:
    return get_format("JSON").serde(_cols(spec), SerdeOptions(), False).deserialize(data)


def single(t: str, data: bytes) -> Any:
    """The value of an unwrapped single column (ksqlDB's deserializer for a primitive schema)."""
    vals = get_format("JSON").serde(_cols([("V", t)]), SerdeOptions(wrap_single_value=False), False).deserialize(data)
    assert vals is not None
    return vals[0]


def error(fn: Any, *args: Any) -> str:
    with pytest.raises(SerdeError) as e:
        fn(*args)
    return str(e.value)


# --- KsqlJsonDeserializerTest ---------------------------------------------------------------------------


def test_deserializes_an_object(path: str) -> None:
    assert row(ORDER, AN_ORDER) == EXPECTED_ORDER


def test_a_quoted_mixed_case_field_matches_only_its_exact_name(path: str) -> None:
    # shouldIgnoreDeserializeJsonObjectCaseMismatch: "CASEFIELD" does not fill `caseField`
    assert row(ORDER, b'{"CASEFIELD": 1}') == [None] * len(ORDER)
    assert row([("caseField", "BIGINT")], b'{"casefield": 1}') == [None]
    assert row([("caseField", "BIGINT")], b'{"caseField": 1}') == [1]


def test_an_upper_case_field_matches_any_case(path: str) -> None:
    assert row([("A", "BIGINT"), ("B", "STRING")], b'{"a": 1, "b": "x"}') == [1, "x"]
    assert row([("A", "BIGINT")], b'{"A": 2, "a": 1}') == [2]  # the exact name first
    assert row([("S", "STRUCT<`aB` INT, C INT>")], b'{"s": {"AB": 1, "c": 2}}') == [{"aB": None, "C": 2}]


def test_coerces_an_int_to_bigint(path: str) -> None:
    assert row([("@ORDERID", "BIGINT")], b'{"@orderId": 1}') == [1]


def test_a_non_object_for_a_wrapped_row_is_an_error(path: str) -> None:
    msg = error(row, ORDER, b"true")
    assert msg.startswith("Can't convert type. sourceType: BooleanNode, requiredType: STRUCT<ORDERTIME BIGINT")
    assert msg.endswith(", path: $")
    # a single wrapped column too: no anonymous value
    assert error(row, [("V", "INT")], b"1").startswith("Can't convert type. sourceType: IntNode, requiredType: STRUCT<V INT>")


def test_a_field_that_cannot_be_coerced_names_type_and_path(path: str) -> None:
    msg = error(row, ORDER, AN_ORDER.replace(b'"ordertime":1511897796092', b'"ORDERTIME":true'))
    assert msg == "Can't convert type. sourceType: BooleanNode, requiredType: BIGINT, path: $.ORDERTIME"


def test_redundant_and_missing_fields(path: str) -> None:
    assert row(ORDER, AN_ORDER[:-1] + b',"extraField":"should be ignored"}') == EXPECTED_ORDER
    missing = AN_ORDER.replace(b'"ordertime":1511897796092,', b"")
    assert row(ORDER, missing) == [None, *EXPECTED_ORDER[1:]]


def test_nulls(path: str) -> None:
    assert get_format("JSON").serde(_cols(ORDER), SerdeOptions(), False).deserialize(None) is None
    assert row(ORDER, b"null") is None
    data = b'{"ordertime":null,"arrayCol":[0.0,null],"mapCol":{"a":1.0,"b":null},"bytesfield":null}'
    assert row(ORDER, data) == [None] * 5 + [[0.0, None], {"a": 1.0, "b": None}] + [None] * 4


def test_an_object_in_a_string_column_is_its_compact_json(path: str) -> None:
    data = b'{"itemid": {"CATEGORY": {"ID":2, "NAME":"Food"}, "ITEMID":6, "NAME":"Item_6"}}'
    assert row([("ITEMID", "STRING")], data) == ['{"CATEGORY":{"ID":2,"NAME":"Food"},"ITEMID":6,"NAME":"Item_6"}']


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (b"true", "true"),
        (b"42", "42"),
        (b"42.000", "42.000"),
        (b"42.001", "42.001"),
        (b'"just a string"', "just a string"),
        (b'{"json": "object"}', '{"json":"object"}'),
        (b'["json", "array"]', "[json, array]"),
        (b'[1, null, [2, 3.50], {"a": 1e5}]', '[1, null, [2, 3.50], {"a":1E+5}]'),
        (b"1E+1", "1E+1"),
        (b"-0.0", "0.0"),
    ],
)
def test_any_json_value_as_a_string(text: bytes, value: str, path: str) -> None:
    assert single("STRING", text) == value
    assert row([("S", "STRING")], b'{"S": ' + text + b"}") == [value]


def test_booleans_only_from_json_booleans(path: str) -> None:
    assert single("BOOLEAN", b"true") is True
    assert error(single, "BOOLEAN", b"23").startswith("Can't convert type. sourceType: IntNode, requiredType: BOOLEAN")
    assert error(single, "BOOLEAN", b'"true"').startswith("Can't convert type. sourceType: TextNode")
    assert error(row, [("B", "BOOLEAN")], b'{"B": "true"}').endswith("path: $.B")


@pytest.mark.parametrize("text", [b"41", b"41.456", b'"41"', b"41.999"])
def test_numbers_as_int(text: bytes, path: str) -> None:
    assert single("INT", text) == 41
    assert row([("I", "INT")], b'{"I": ' + text + b"}") == [41]


@pytest.mark.parametrize("text", [b"42", b"42.456", b'"42"', b'"+42"'])
def test_numbers_as_bigint(text: bytes, path: str) -> None:
    assert single("BIGINT", text) == 42
    assert row([("I", "BIGINT")], b'{"I": ' + text + b"}") == [42]


def test_json_numbers_narrow_as_java_does(path: str) -> None:
    # Jackson's intValue()/asLong(): the low bits of the integral part, no range error
    assert single("INT", b"3000000000") == -1294967296
    assert single("INT", b"1e10") == 1410065408
    assert single("INT", b"-41.9") == -41
    assert single("BIGINT", b"9223372036854775808") == -9223372036854775808
    assert row([("I", "INT")], b'{"I": 2147483648}') == [-2147483648]


@pytest.mark.parametrize(("t", "text"), [("INT", b'"41.5"'), ("INT", b'" 41"'), ("INT", b'"2147483648"'),
                                        ("BIGINT", b'"1e3"'), ("INT", b'"abc"'), ("BIGINT", b'""')])  # fmt: skip
def test_strings_parse_as_java_integers(t: str, text: bytes, path: str) -> None:
    base = "INTEGER" if t == "INT" else t
    assert error(single, t, text) == f"Can't coerce string to type. targetType: {base}, path: $"
    assert error(row, [("I", t)], b'{"I": ' + text + b"}").endswith("path: $.I")


def test_not_numbers_as_int_or_bigint(path: str) -> None:
    assert error(single, "INT", b"true").startswith("Can't convert type. sourceType: BooleanNode, requiredType: INTEGER")
    assert error(single, "BIGINT", b"true").startswith("Can't convert type. sourceType: BooleanNode, requiredType: BIGINT")
    assert error(single, "BIGINT", b"[1]").startswith("Can't convert type. sourceType: ArrayNode, requiredType: BIGINT")


@pytest.mark.parametrize("text", [b"42", b"42.000", b'"42"', b'"42.000"', b'" 42 "', b'"42d"', b'"0x2Ap0"'])
def test_numbers_as_double(text: bytes, path: str) -> None:
    assert single("DOUBLE", text) == 42.0
    assert row([("D", "DOUBLE")], b'{"D": ' + text + b"}") == [42.0]


def test_double_strings_follow_double_parse_double(path: str) -> None:
    assert str(single("DOUBLE", b'"NaN"')) == "nan"
    assert single("DOUBLE", b'"-Infinity"') == float("-inf")
    for bad in (b'"nan"', b'"inf"', b'"1_0"', b'"abc"', b'""'):
        assert error(single, "DOUBLE", bad) == "Can't coerce string to type. targetType: DOUBLE, path: $"
    assert error(single, "DOUBLE", b"true").startswith("Can't convert type. sourceType: BooleanNode, requiredType: DOUBLE")


def test_decimals(path: str) -> None:
    assert single("DECIMAL(20, 19)", b"1.1234512345123451234") == Decimal("1.1234512345123451234")
    assert single("DECIMAL(20, 19)", b'"1.1234512345123451234"') == Decimal("1.1234512345123451234")
    ten = single("DECIMAL(3, 1)", b"10.0")
    assert str(ten) == "10.0"
    assert str(single("DECIMAL(4, 3)", b"1.1")) == "1.100"  # the scale is set, never stripped
    assert str(single("DECIMAL(3, 1)", b"1E+1")) == "10.0"
    assert str(single("DECIMAL(4, 2)", b"1.200")) == "1.20"  # trailing zeros beyond the scale: exact
    assert str(single("DECIMAL(4, 2)", b"7")) == "7.00"


def test_a_decimal_needing_rounding_is_an_error(path: str) -> None:
    msg = error(single, "DECIMAL(4, 1)", b"1.12")
    assert msg == "Cannot fit decimal '1.12' into DECIMAL(4, 1) without rounding. (Requires 3,2), path: $"


def test_a_decimal_too_large_is_an_error(path: str) -> None:
    msg = error(single, "DECIMAL(3, 1)", b"100")
    assert msg.startswith(
        "Numeric field overflow: A field with precision 3 and scale 1 must round to an absolute value less "
        "than 10^2. Got 100"
    )
    assert error(row, [("D", "DECIMAL(2, 1)")], b'{"D": "-10"}').endswith("path: $.D")


def test_not_a_decimal(path: str) -> None:
    assert error(single, "DECIMAL(20, 19)", b"true").startswith(
        "Can't convert type. sourceType: BooleanNode, requiredType: DECIMAL(20, 19)"
    )
    assert error(single, "DECIMAL(4, 2)", b'"1.5x"').endswith("path: $")


def test_time_types_from_numbers(path: str) -> None:
    assert single("TIME", b"100") == 100
    assert single("DATE", b"10") == 10
    assert single("TIMESTAMP", b"100") == 100
    assert single("TIMESTAMP", b'"100"') == 100
    assert single("TIME", b"86400000") == 86400000
    for bad in (b"-1", b"86400001"):
        assert error(single, "TIME", bad).startswith("Time values must use number of milliseconds greater than 0")
    for t in ("TIME", "DATE", "TIMESTAMP"):
        assert error(single, t, b"true").startswith(f"Can't convert type. sourceType: BooleanNode, requiredType: {t}")
        assert error(single, t, b'"12:00"') == f"Can't coerce string to type. targetType: {t}, path: $"


def test_bytes_are_base64(path: str) -> None:
    assert single("BYTES", b'"ew=="') == b"{"
    assert error(single, "BYTES", b'"abc"').startswith("Value is not a valid Base64 encoded string: abc")
    assert error(single, "BYTES", b"12").startswith("Can't convert type. sourceType: IntNode, requiredType: BYTES")


def test_arrays(path: str) -> None:
    assert single("ARRAY<BIGINT>", b'[42, 42.000, "42"]') == [42, 42, 42]
    assert error(single, "ARRAY<STRING>", b"true").startswith(
        "Can't convert type. sourceType: BooleanNode, requiredType: ARRAY<VARCHAR>"
    )
    assert error(single, "ARRAY<INT>", b'["not", "numbers"]').startswith(
        "Can't coerce string to type. targetType: INTEGER"
    )
    assert error(single, "ARRAY<INT>", b'[0, "not", "numbers"]').endswith("path: $[1]")


def test_maps(path: str) -> None:
    assert single("MAP<STRING, BIGINT>", b'{"a": 42, "b": 42, "c": "42"}') == {"a": 42, "b": 42, "c": 42}
    assert error(single, "MAP<STRING, INT>", b"true").startswith(
        "Can't convert type. sourceType: BooleanNode, requiredType: MAP<VARCHAR, INT>"
    )
    msg = error(single, "MAP<STRING, INT>", b'{"a": 1, "b": true}')
    assert msg == "Can't convert type. sourceType: BooleanNode, requiredType: INTEGER, path: $.b.value"


def test_nested_paths(path: str) -> None:
    spec = [("S", "STRUCT<A ARRAY<STRUCT<B INT>>>")]
    assert row(spec, b'{"s": {"a": [{"b": "1"}, {"B": 2.5}]}}') == [{"A": [{"B": 1}, {"B": 2}]}]
    assert error(row, spec, b'{"S": {"A": [{"B": 1}, {"B": "x"}]}}').endswith("path: $.S.A[1].B")


def test_text_that_is_not_json_is_an_error(path: str) -> None:
    for bad in (b"{bad json", b"", b"NaN", b'{"A": Infinity}', b"\xff"):
        with pytest.raises(SerdeError):
            row([("A", "DOUBLE")], bad)


def test_text_after_the_value_is_ignored(path: str) -> None:
    assert row([("A", "INT")], b'{"A": 1} trailing') == [1]


# --- KsqlJsonSerializerTest -------------------------------------------------------------------------------


def _write(spec: list[tuple[str, str]], values: list[Any], wrap: bool | None = None) -> bytes | None:
    return get_format("JSON").serde(_cols(spec), SerdeOptions(wrap_single_value=wrap), False).serialize(values)


def test_serializes_a_row() -> None:
    spec = [("ORDERTIME", "BIGINT"), ("ITEMID", "STRING"), ("ORDERUNITS", "DOUBLE"), ("ARRAYCOL", "ARRAY<DOUBLE>"),
            ("MAPCOL", "MAP<STRING, DOUBLE>"), ("DECIMALCOL", "DECIMAL(10, 5)"), ("TIMECOL", "TIME"),
            ("DATECOL", "DATE"), ("TIMESTAMPCOL", "TIMESTAMP"), ("BYTESCOL", "BYTES")]  # fmt: skip
    values = [1511897796092, "item_1", 10.0, [100.0], {"key1": 100.0}, Decimal("1.12345"), 1000, 10, 1000, b"{"]
    assert _write(spec, values) == (
        b'{"ORDERTIME":1511897796092,"ITEMID":"item_1","ORDERUNITS":10.0,"ARRAYCOL":[100.0],'
        b'"MAPCOL":{"key1":100.0},"DECIMALCOL":1.12345,"TIMECOL":1000,"DATECOL":10,"TIMESTAMPCOL":1000,'
        b'"BYTESCOL":"ew=="}'
    )
    assert _write(spec, [None] * len(spec)) == (
        b'{"ORDERTIME":null,"ITEMID":null,"ORDERUNITS":null,"ARRAYCOL":null,"MAPCOL":null,"DECIMALCOL":null,'
        b'"TIMECOL":null,"DATECOL":null,"TIMESTAMPCOL":null,"BYTESCOL":null}'
    )
    assert _write(spec, None) is None  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("t", "value", "text"),
    [
        ("BOOLEAN", True, b"true"),
        ("INT", 62, b"62"),
        ("BIGINT", 62, b"62"),
        ("DOUBLE", 62.0, b"62.0"),
        ("DECIMAL(20, 19)", Decimal("1.234567890123456789"), b"1.234567890123456789"),
        ("DECIMAL(3, 1)", Decimal("12.0"), b"12.0"),
        ("TIME", 500, b"500"),
        ("DATE", 10, b"10"),
        ("TIMESTAMP", 500, b"500"),
        ("STRING", "a string", b'"a string"'),
        ("BYTES", b"{", b'"ew=="'),
        ("ARRAY<BOOLEAN>", [True, False], b"[true,false]"),
        ("MAP<STRING, INT>", {"a": 1, "b": 2}, b'{"a":1,"b":2}'),
        ("STRUCT<ITEMID BIGINT, NAME STRING>", {"ITEMID": 10, "NAME": "Item_10"}, b'{"ITEMID":10,"NAME":"Item_10"}'),
    ],
)
def test_serializes_unwrapped_values(t: str, value: Any, text: bytes) -> None:
    assert _write([("V", t)], [value], wrap=False) == text


def test_map_keys_must_be_strings() -> None:
    for t in ("MAP<INT, INT>", "STRUCT<F1 MAP<INT, INT>>"):
        with pytest.raises(FormatError, match="JSON only supports MAP types with STRING keys"):
            get_format("JSON").serde(_cols([("F0", t)]), SerdeOptions(), False)


@pytest.mark.parametrize(
    ("value", "text"),
    [("0.00000001", b"1E-8"), ("0.00000010", b"1.0E-7"), ("0.00000100", b"0.00000100"), ("123.4500", b"123.4500"),
     ("-0.00", b"0.00"), ("1E+3", b"1E+3")],
)  # fmt: skip
def test_decimals_are_written_as_big_decimal_to_string(value: str, text: bytes) -> None:
    # Connect's JsonConverter (decimal.format NUMERIC) writes the BigDecimal's toString
    assert _write([("V", "DECIMAL(12, 8)")], [Decimal(value)], wrap=False) == text
    assert _write([("V", "DECIMAL(12, 8)"), ("W", "ARRAY<DECIMAL(12, 8)>")], [Decimal(value), [Decimal(value)]]) == (
        b'{"V":' + text + b',"W":[' + text + b"]}"
    )


@pytest.mark.parametrize("native", [True, False])
def test_control_characters_are_escaped_in_upper_case_hex(native: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    import ksqlserver.formats.fast_json as fast_json

    if not native:
        monkeypatch.setattr(fast_json, "textformats", lambda: None)
    spec = [("S", "STRING"), ("N", "INT")]
    assert _write(spec, ["a\x1f\x00\n\\u001f", 1]) == b'{"S":"a\\u001F\\u0000\\n\\\\u001f","N":1}'
    assert _write([("S", "STRING")], ["\x7f\u2028"], wrap=False) == '"\x7f\u2028"'.encode()
    # beyond the BMP: Jackson's UTF-8 generator writes the surrogate pair escaped
    assert _write(spec, ["é😀", 2]) == '{"S":"é\\uD83D\\uDE00","N":2}'.encode()
    assert _write([("M", "MAP<STRING, STRING>")], [{"😀": "x"}], wrap=False) == b'{"\\uD83D\\uDE00":"x"}'


# --- through a persistent query: the generated loop and the generic path agree with the spec -------------


def _query(fast: bool, source: str, select: str, values: list[bytes], sink: str = "JSON") -> list[bytes | None]:
    from ksqlserver.drivers.base import Record
    from ksqlserver.drivers.memory import MemoryDriver
    from ksqlserver.engine import Engine, EngineConfig

    d = MemoryDriver()
    d.create_topic("src")
    config = EngineConfig(synchronous=True, fast_paths=fast, processing_log=False, command_topic=False,
                          properties={"ksql.streams.auto.offset.reset": "earliest"})  # fmt: skip
    e = Engine(config, d)
    try:
        e.execute(source)
        e.execute(f"CREATE STREAM O WITH (VALUE_FORMAT='{sink}') AS {select};")
        assert next(iter(e.state.persistent.values())).pipeline.fast_path is fast
        d.produce("src", [Record(b"k", v, 100 + i) for i, v in enumerate(values)])
        e.drain()
        return [r.value for r in d.records("O")]
    finally:
        e.close()


@pytest.mark.parametrize("fast", [True, False])
def test_a_persistent_query_reads_json_as_ksqldb(fast: bool) -> None:
    source = ("CREATE STREAM S (`caseField` BIGINT, A DOUBLE, B STRING, C INTEGER, D BOOLEAN) "
              "WITH (KAFKA_TOPIC='src', VALUE_FORMAT='JSON');")  # fmt: skip
    values = [
        b'{"caseField": 1, "a": 1.5, "b": "x", "c": 2, "d": true}',
        b'{"CASEFIELD": 1, "A": -0.0, "B": 42.000, "C": 3000000000, "D": false}',
        b'{"A": "2.5", "B": [1, "x", null], "C": "7", "D": null}',
        b'{"A": 1, "B": true, "C": 41.9, "D": "true"}',  # a string for a BOOLEAN: the record is dropped
        b'{"A": 1, "B": {"k": 1.50}, "C": "4.5"}',  # a fraction in a string for an INT: dropped
        b"7",  # not an object: dropped
    ]
    out = _query(fast, source, "SELECT * FROM S", values)
    assert out == [
        b'{"caseField":1,"A":1.5,"B":"x","C":2,"D":true}',
        b'{"caseField":null,"A":0.0,"B":"42.000","C":-1294967296,"D":false}',
        b'{"caseField":null,"A":2.5,"B":"[1, x, null]","C":7,"D":null}',
    ]


@pytest.mark.parametrize("fast", [True, False])
def test_a_persistent_query_reads_delimited_as_ksqldb(fast: bool) -> None:
    source = ("CREATE STREAM S (A DOUBLE, B STRING, C INTEGER, D BOOLEAN) "
              "WITH (KAFKA_TOPIC='src', VALUE_FORMAT='DELIMITED');")  # fmt: skip
    values = [b"1.5,x,2,true", b' 2.5 ,"y" ,3,TRUE', b"1,z,2147483648,true", b"1,z, 4,true", b"1,w,4, true", b""]
    out = _query(fast, source, "SELECT * FROM S", values, sink="DELIMITED")
    assert out == [b"1.5,x,2,true", b"2.5,y,3,true", b"1.0,w,4,false"]


def test_a_null_single_value_is_no_bytes_for_keys_and_values() -> None:
    # UnwrappedSerializer hands null to KsqlConnectSerializer, which writes no bytes
    for is_key in (True, False):
        serde = get_format("JSON").serde(_cols([("K", "STRING")]), SerdeOptions(), is_key)
        if not is_key:
            serde = get_format("JSON").serde(_cols([("K", "STRING")]), SerdeOptions(wrap_single_value=False), False)
        assert serde.serialize([None]) is None
        assert serde.serialize(["a"]) == b'"a"'


def test_negative_zero_is_decided_by_the_text(path: str) -> None:
    # "-0.0" is a BigDecimal zero (doubleValue 0.0); "-1e-400" a negative value that underflows to -0.0
    got = row([("A", "DOUBLE"), ("B", "DOUBLE"), ("C", "DOUBLE")], b'{"A": -0.0, "B": -1e-400, "C": "-0.0"}')
    assert [repr(v) for v in got] == ["0.0", "-0.0", "-0.0"]


def test_fractions_outside_double_columns_are_read_exactly(path: str) -> None:
    # the generic decoder parses floats first and again with decimals where a fraction's text matters
    spec = [("D", "DOUBLE"), ("S", "STRING"), ("I", "BIGINT"), ("M", "MAP<STRING, STRING>")]
    data = b'{"D": 0.1, "S": 0.10, "I": 1.9999999999999999999, "M": {"a": 2.50}}'
    assert row(spec, data) == [0.1, "0.10", 1, {"a": "2.50"}]
    assert error(row, [("B", "BOOLEAN")], b'{"B": 1.5}').startswith("Can't convert type. sourceType: DecimalNode")


def test_what_read_tree_accepts_around_the_value(path: str) -> None:
    assert single("INT", b"\xef\xbb\xbf 7") == 7  # a UTF-8 byte order mark is skipped
    assert row([("A", "INT")], b'\xef\xbb\xbf{"A": 1}') == [1]
    assert single("INT", b"7 8") == 7  # a second root value is not read
    assert single("STRING", b'"a"b') == "a"
    for bad in (b"01", b"7x", b"1.5.3", b"truex", b"nullx"):
        with pytest.raises(SerdeError):
            single("STRING", bad)
