"""DELIMITED serde against ksqlDB's own serde unit tests (KsqlDelimitedDeserializerTest,
KsqlDelimitedSerializerTest) and Commons CSV 1.4's reading of a record, on the generic decoder and the
compiled one in front of it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

import ksqlserver.formats.delimited as delimited
from ksqlserver.catalog.types import Column, parse_type
from ksqlserver.errors import FormatError, SerdeError
from ksqlserver.formats import SerdeOptions, get_format

ORDER = [("ORDERTIME", "BIGINT"), ("ORDERID", "BIGINT"), ("ITEMID", "STRING"), ("ORDERUNITS", "DOUBLE"),
         ("COST", "DECIMAL(4, 2)"), ("TIME", "TIME"), ("DATE", "DATE"), ("TIMESTAMP", "TIMESTAMP"),
         ("BYTES", "BYTES")]  # fmt: skip
EXPECTED = [1511897796092, 1, "item_1", 10.0, Decimal("10.10"), 100, 10, 100, b"{"]


@pytest.fixture(params=["generic", "fast"])
def path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "generic":
        monkeypatch.setattr(delimited, "fast_decoder", lambda *a, **k: None)
    return str(request.param)


def _serde(spec: list[tuple[str, str]], delim: str = ",", topic: str = "t") -> Any:
    cols = [Column(n, parse_type(t)) for n, t in spec]
    return get_format("DELIMITED").serde(cols, SerdeOptions(delimiter=delim, topic=topic), False)


def de(spec: list[tuple[str, str]], data: bytes, delim: str = ",") -> Any:
    return _serde(spec, delim).deserialize(data)


def error(spec: list[tuple[str, str]], data: bytes, delim: str = ",") -> str:
    with pytest.raises(SerdeError) as e:
        de(spec, data, delim)
    return str(e.value)


# --- KsqlDelimitedDeserializerTest ------------------------------------------------------------------------


def test_deserializes_a_row(path: str) -> None:
    assert de(ORDER, b"1511897796092,1,item_1,10.0,10.10,100,10,100,ew==\r\n") == EXPECTED


def test_empty_fields_are_null(path: str) -> None:
    assert de(ORDER, b"1511897796092,1,item_1,,,,,,\r\n") == [1511897796092, 1, "item_1"] + [None] * 6
    assert de([("A", "STRING"), ("B", "INT")], b'"",') == [None, None]  # a quoted empty field too


def test_column_count_mismatch(path: str) -> None:
    assert error(ORDER, b"1511897796092,1,item_1,\r\n").endswith(
        "Column count mismatch on deserialization. topic: t, expected: 9, got: 4"
    )
    assert error(ORDER, b"1511897796092,1,item_1,10.0,10.10,100,100,100,100,extra\r\n").endswith(
        "Column count mismatch on deserialization. topic: t, expected: 9, got: 10"
    )


def test_a_single_field(path: str) -> None:
    assert de([("id", "INT")], b"10") == [10]


@pytest.mark.parametrize(
    ("text", "value"),
    [(b"01.12", "1.12"), (b"1.12", "1.12"), (b"2", "2.00"), (b"-1.12", "-1.12"), (b'"-01.12"', "-1.12"),
     (b"1.120", "1.12"), (b"1E-2", "0.01")],
)  # fmt: skip
def test_decimals(text: bytes, value: str, path: str) -> None:
    got = de([("cost", "DECIMAL(4, 2)")], text)
    assert [str(v) for v in got] == [value]


def test_decimals_are_not_rounded(path: str) -> None:
    assert "Cannot fit decimal '1.123' into DECIMAL(4, 2) without rounding." in error([("C", "DECIMAL(4, 2)")], b"1.123")
    assert "Numeric field overflow" in error([("C", "DECIMAL(4, 2)")], b"100")
    assert "not a valid decimal" in error([("C", "DECIMAL(4, 2)")], b" 1.5")


@pytest.mark.parametrize("delim", ["\t", "|", " ", ";"])
def test_other_delimiters(delim: str, path: str) -> None:
    line = delim.join(["1511897796092", "1", "item_1", "10.0", "10.10", "100", "10", "100", "ew=="]) + "\r\n"
    assert de(ORDER, line.encode(), delim) == EXPECTED


def test_unsupported_types() -> None:
    for t, base in (("ARRAY<INT>", "ARRAY"), ("MAP<STRING, BIGINT>", "MAP"), ("STRUCT<f0 INT>", "STRUCT")):
        with pytest.raises(FormatError, match=f"The 'DELIMITED' format does not support type '{base}', column: `ids`"):
            _serde([("ids", t)])


def test_time_range(path: str) -> None:
    for text in (b"3000000000", b"-5"):
        assert "Time values must use number of milliseconds greater than 0 and less than 86400000." in error(
            [("ids", "TIME")], text
        )
    assert de([("T", "TIME")], b"86400000") == [86400000]


def test_bytes_are_base64_with_optional_padding(path: str) -> None:
    assert "Value is not a valid Base64 encoded string: a" in error([("bytes", "BYTES")], b"a")
    assert de([("B", "BYTES")], b"ew==") == [b"{"]
    assert de([("B", "BYTES")], b"ew") == [b"{"]  # java.util.Base64's basic decoder: padding optional
    assert "not a valid Base64" in error([("B", "BYTES")], b"e w==")


# --- field parsing as Java's parsers do it -------------------------------------------------------------


def test_integers_parse_as_integer_parse_int(path: str) -> None:
    assert de([("I", "INT"), ("L", "BIGINT")], b"+7,-9223372036854775808") == [7, -9223372036854775808]
    for text in (b"2147483648", b" 1", b"1.0", b"1_0", b"0x1"):
        assert "For input string" in error([("I", "INT"), ("S", "STRING")], text + b",x")
    assert "For input string" in error([("L", "BIGINT")], b"9223372036854775808")
    assert de([("I", "INT"), ("S", "STRING")], b"-2147483648,x") == [-2147483648, "x"]


def test_doubles_parse_as_double_parse_double(path: str) -> None:
    assert de([("D", "DOUBLE"), ("E", "DOUBLE")], b" 1.5 ,2d") == [1.5, 2.0]
    assert str(de([("D", "DOUBLE")], b"NaN")) == "[nan]"
    assert de([("D", "DOUBLE")], b"-Infinity") == [float("-inf")]
    for text in (b"nan", b"inf", b"1_0", b"abc"):
        assert "For input string" in error([("D", "DOUBLE")], text)


def test_booleans_parse_as_boolean_parse_boolean(path: str) -> None:
    got = de([("A", "BOOLEAN"), ("B", "BOOLEAN"), ("C", "BOOLEAN"), ("D", "BOOLEAN")], b"TRUE,yes, true,false")
    assert got == [True, False, False, False]


# --- records as Commons CSV reads them -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "fields"),
    [
        (b'"a" ,b', ["a", "b"]),  # whitespace after a closing quote
        (b'a"b,c', ['a"b', "c"]),  # a quote inside an unquoted field is text
        (b'"a""b",c', ['a"b', "c"]),
        (b' "a",c', [' "a"', "c"]),  # a field quoted only where the quote starts it
        (b"a,b\nc,d", ["a", "b"]),  # the first record only
        (b"\r\n\na,b", ["a", "b"]),  # empty lines are skipped
        (b'"a\nb",c', ["a\nb", "c"]),
    ],
)
def test_records_as_commons_csv_reads_them(line: bytes, fields: list[str], path: str) -> None:
    assert de([("A", "STRING"), ("B", "STRING")], line) == fields


@pytest.mark.parametrize("line", [b'"a"b,c', b'"a,c', b"a,b\n\"c,d", b"", b"\r\n"])
def test_malformed_or_empty_records_are_errors(line: bytes, path: str) -> None:
    with pytest.raises(SerdeError):
        de([("A", "STRING"), ("B", "STRING")], line)


def test_an_empty_value_is_an_error_even_for_one_column(path: str) -> None:
    assert "No fields in record" in error([("S", "STRING")], b"")


# --- KsqlDelimitedSerializerTest ----------------------------------------------------------------------------

SER = [("ORDERTIME", "BIGINT"), ("ORDERID", "BIGINT"), ("ITEMID", "STRING"), ("ORDERUNITS", "DOUBLE"),
       ("TIME", "TIME"), ("DATE", "DATE"), ("TIMESTAMP", "TIMESTAMP"), ("BYTES", "BYTES"),
       ("DECIMAL", "DECIMAL(4, 0)")]  # fmt: skip
SER_VALUES = [1511897796092, 1, "item_1", 10.0, 100, 10, 100, b"{", Decimal("10")]


def test_serializes_a_row() -> None:
    assert _serde(SER).serialize(SER_VALUES) == b"1511897796092,1,item_1,10.0,100,10,100,ew==,10"
    assert _serde(SER, "\t").serialize(SER_VALUES) == b"1511897796092\t1\titem_1\t10.0\t100\t10\t100\tew==\t10"
    nulls = [1511897796092, 1, "item_1", None, None, None, None, None, None]
    assert _serde(SER).serialize(nulls) == b"1511897796092,1,item_1,,,,,,"


@pytest.mark.parametrize(
    ("t", "value", "text"),
    [
        ("DECIMAL(4, 2)", "11.12", b"11.12"),
        ("DECIMAL(4, 2)", "1.12", b"1.12"),
        ("DECIMAL(4, 2)", "0.00", b"0.00"),
        ("DECIMAL(4, 2)", "-0.00", b"0.00"),
        ("DECIMAL(4, 2)", "0.50", b"0.50"),
        ("DECIMAL(4, 2)", "-0.50", b'"-0.50"'),  # a first field not starting alphanumeric is quoted
        ("DECIMAL(5, 3)", "-1.120", b'"-1.120"'),
        ("DECIMAL(12, 2)", "1234567890.00", b"1234567890.00"),
        ("DECIMAL(14, 3)", "1E+10", b"10000000000"),
        ("DECIMAL(14, 3)", "10000000000.000", b"10000000000.000"),
    ],
)
def test_serializes_decimals_plainly(t: str, value: str, text: bytes) -> None:
    assert _serde([("id", t)]).serialize([Decimal(value)]) == text


def test_any_value_with_the_delimiter_is_quoted() -> None:
    # Commons CSV quotes by the text, whatever the type: a number containing the delimiter too
    assert _serde([("A", "STRING"), ("B", "DOUBLE"), ("C", "INT")], ".").serialize(["x", 1.5, -3]) == b'x."1.5".-3'
    assert _serde([("A", "STRING"), ("B", "INT")], "-").serialize(["a-b", -3]) == b'"a-b"-"-3"'
