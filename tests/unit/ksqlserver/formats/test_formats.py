"""Serde output must be byte-exact with ksqlDB's: Java double text, decimal scale, CSV quoting, KAFKA ints."""

from __future__ import annotations

import json
import random
import struct
from decimal import Decimal

import pytest

from ksqlserver.catalog import types as T
from ksqlserver.catalog.types import KEY, Column
from ksqlserver.errors import FormatError, SerdeError
from ksqlserver.formats import SerdeOptions, get_format, parse_delimiter
from ksqlserver.formats.javatext import java_double, py_java_double


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1.0, "1.0"),
        (0.0, "0.0"),
        (-0.0, "-0.0"),
        (149.62, "149.62"),
        (1e10, "1.0E10"),
        (1e7, "1.0E7"),
        (9999999.0, "9999999.0"),
        (0.001, "0.001"),
        (0.0005, "5.0E-4"),
        (1.2345678e-5, "1.2345678E-5"),
        (123456789.0, "1.23456789E8"),
        (float("nan"), "NaN"),
        (float("-inf"), "-Infinity"),
        (5e-324, "4.9E-324"),
        (1.7976931348623157e308, "1.7976931348623157E308"),
    ],
)
def test_java_double_text(value: float, text: str) -> None:
    assert java_double(value) == text
    assert py_java_double(value) == text


def test_compiled_java_double_matches_the_python_one() -> None:
    """The C twin (formats/native/javatext.c) and the Python version agree on random bit patterns and magnitudes."""
    assert java_double is not py_java_double, "the C helpers did not build (a C compiler is part of set-up)"
    rnd = random.Random(4)
    for _ in range(100_000):
        pick = rnd.random()
        if pick < 0.4:  # any bit pattern: mostly 17 digits, the general algorithm
            v = struct.unpack("d", struct.pack("Q", rnd.getrandbits(64)))[0]
        elif pick < 0.7:
            v = round(rnd.uniform(-1, 1) * 10 ** rnd.randint(-12, 14), rnd.randint(0, 12))
        else:  # read from short decimal text, as data mostly is: the 15-digit shortcut
            v = float(f"{rnd.uniform(-10, 10):.{rnd.randint(0, 15)}f}e{rnd.randint(-40, 40)}")
        assert java_double(v) == py_java_double(v), repr(v)


def _serde(fmt: str, cols: list[Column], is_key: bool = False, **opts: object):  # type: ignore[no-untyped-def]
    return get_format(fmt).serde(cols, SerdeOptions(**opts), is_key)  # type: ignore[arg-type]


def test_json_writes_java_doubles_and_decimal_scale() -> None:
    cols = [
        Column("D", T.DOUBLE),
        Column("M", T.decimal(4, 2)),
        Column("S", T.STRING),
        Column("B", T.BYTES),
        Column("A", T.array(T.INTEGER)),
        Column("N", T.BIGINT),
    ]
    out = _serde("JSON", cols).serialize([1e10, Decimal("1.10"), 'é"', b"\x01\x02", [1, None], None])
    assert out == b'{"D":1.0E10,"M":1.10,"S":"\xc3\xa9\\"","B":"AQI=","A":[1,null],"N":null}'


def test_json_reads_case_insensitively_and_coerces() -> None:
    cols = [Column("ID", T.INTEGER), Column("NAME", T.STRING), Column("PRICE", T.decimal(5, 2))]
    serde = _serde("JSON", cols)
    assert serde.deserialize(b'{"id": "7", "Name": 12, "price": 1.5}') == [7, "12", Decimal("1.50")]
    assert serde.deserialize(None) is None
    with pytest.raises(SerdeError) as e:
        serde.deserialize(b"{not json")
    assert e.value.raw == b"{not json"


def test_json_unwrapped_single_value() -> None:
    serde = _serde("JSON", [Column("V", T.BOOLEAN)], wrap_single_value=False)
    assert serde.serialize([True]) == b"true"
    assert serde.deserialize(b"false") == [False]
    assert serde.features == ("UNWRAP_SINGLES",)


def test_json_rejects_non_string_map_keys() -> None:
    with pytest.raises(FormatError, match="JSON only supports MAP types with STRING keys"):
        _serde("JSON", [Column("M", T.map_of(T.INTEGER, T.DOUBLE))])


def test_delimited_round_trip_quotes_and_nulls() -> None:
    cols = [
        Column("ID", T.BIGINT),
        Column("NAME", T.STRING),
        Column("AMOUNT", T.DOUBLE),
        Column("OK", T.BOOLEAN),
    ]
    serde = _serde("DELIMITED", cols)
    assert serde.deserialize(b'1,"a,b",0.5,true') == [1, "a,b", 0.5, True]
    assert serde.deserialize(b"2,,,") == [2, None, None, None]
    assert serde.serialize([3, 'say "hi"', 1e10, False]) == b'3,"say ""hi""",1.0E10,false'
    assert serde.serialize([None, "", None, None]) == b",,,"
    with pytest.raises(SerdeError, match=r"Column count mismatch on deserialization\. topic: , expected: 4, got: 2"):
        serde.deserialize(b"1,2")


def test_delimited_first_field_quoting_follows_commons_csv() -> None:
    serde = _serde("DELIMITED", [Column("S", T.STRING), Column("T", T.STRING)])
    assert serde.serialize(["-x", "-x"]) == b'"-x",-x'
    assert serde.serialize(["", "b"]) == b'"",b'


def test_delimited_decimal_keeps_scale_and_custom_delimiter() -> None:
    serde = _serde("DELIMITED", [Column("A", T.decimal(6, 4)), Column("B", T.INTEGER)], delimiter="|")
    assert serde.deserialize(b"12.0|7") == [Decimal("12.0000"), 7]
    assert serde.serialize([Decimal("0E-4"), 1]) == b"0.0000|1"


@pytest.mark.parametrize(("text", "expected"), [("TAB", "\t"), ("SPACE", " "), ("|", "|")])
def test_delimiter_names(text: str, expected: str) -> None:
    assert parse_delimiter(text) == expected


def test_delimiter_must_be_one_character() -> None:
    with pytest.raises(FormatError, match="Delimiter must be a single character or TAB,SPACE"):
        parse_delimiter("<~>")


def test_kafka_format_is_big_endian_and_checks_sizes() -> None:
    ints = _serde("KAFKA", [Column("K", T.INTEGER, KEY)], is_key=True)
    assert ints.serialize([1]) == b"\x00\x00\x00\x01"
    assert ints.deserialize(b"\xff\xff\xff\xfe") == [-2]
    with pytest.raises(SerdeError, match="Size of data received by IntegerDeserializer is not 4"):
        ints.deserialize(b"\x00\x01")
    longs = _serde("KAFKA", [Column("V", T.BIGINT)])
    assert longs.serialize([2]) == b"\x00" * 7 + b"\x02"
    doubles = _serde("KAFKA", [Column("V", T.DOUBLE)])
    assert doubles.deserialize(doubles.serialize([1.5])) == [1.5]


def test_kafka_format_rejects_structured_types_and_many_fields() -> None:
    with pytest.raises(FormatError, match="The 'KAFKA' format does not support type 'ARRAY'"):
        _serde("KAFKA", [Column("V", T.array(T.INTEGER))])
    with pytest.raises(FormatError, match="only supports a single field"):
        _serde("KAFKA", [Column("A", T.INTEGER), Column("B", T.INTEGER)])


def test_unknown_format_is_named() -> None:
    with pytest.raises(FormatError, match="Unknown format: FOO"):
        get_format("foo")


def test_delimited_invalid_utf8_is_replaced_as_java_does() -> None:
    """ksqlDB decodes with new String(bytes, UTF_8): an invalid byte becomes U+FFFD, so a text field keeps
    it and a number field fails to parse (a SerdeError for the processing log, never a stopped query)."""
    cols = [T.Column("A", T.primitive("DOUBLE")), T.Column("B", T.primitive("STRING"))]
    de = _serde("DELIMITED", cols).deserialize
    assert de(b"1.5,ab\xffc") == [1.5, "ab\ufffdc"]
    with pytest.raises(SerdeError):
        de(b"\xff1.5,x")


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (3.628571428571429e16, "3.6285714285714288E16"),  # JDK 17 prints the integer's digits here
        (7.825943306366234e16, "7.8259433063662336E16"),
        (-1.0461199820460622e18, "-1.04611998204606221E18"),
        (2.0**53, "9.007199254740992E15"),
        (2.0**62, "4.6116860184273879E18"),
        (1e17, "1.0E17"),
        (9.2e18, "9.2E18"),
        (1e19, "1.0E19"),  # beyond 2^63: the general algorithm
    ],
)
def test_java_double_text_of_large_integral_doubles(value: float, text: str) -> None:
    """Double.toString as ksqlDB's JVM (before JDK 19) writes integral doubles in [2^53, 2^63)."""
    assert java_double(value) == text
    assert py_java_double(value) == text


def test_repeated_doubles_take_the_digit_cache_with_the_same_text() -> None:
    """javatext.c keeps the repr path's digits of recent doubles by their bits (a constant column, e.g. a
    model threshold, is written in every row): hits, misses and slot collisions give Double.toString's
    text as the Python version does, including signs and every magnitude."""
    rnd = random.Random(19)
    values = [struct.unpack("d", struct.pack("Q", rnd.getrandbits(64)))[0] for _ in range(500)]
    values += [0.014409865722516624, -0.014409865722516624, 1.0000000000000002, 123456789.12345679, 1e-7 / 3]
    for v in values * 3 + values[::-1]:
        assert java_double(v) == py_java_double(v), repr(v)


def test_the_native_row_writer_writes_ints_as_the_generic_writer() -> None:
    """jsonrow.c formats BIGINT/INTEGER values itself (no snprintf): the extremes, zero and signs."""
    from ksqlserver.formats.fast_json import native_row_writer

    write = native_row_writer([Column("A", T.BIGINT), Column("B", T.INTEGER)])
    assert write is not None, "the C helpers did not build"
    for a, b in [(0, -1), (-(2**63), 2**31 - 1), (2**63 - 1, -(2**31)), (10, -10), (7, 1234567890)]:
        assert write([a, b]) == json.dumps({"A": a, "B": b}, separators=(",", ":")).encode()
