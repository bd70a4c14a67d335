"""CAST between SQL types (ksqlDB's CastEvaluator table and Java's conversions) and the text forms of
DATE, TIME and TIMESTAMP (SqlTimeTypes, with partial dates and times and zone offsets)."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest

from ksqlserver.catalog import sqltime
from ksqlserver.catalog.casts import CastError, UnsupportedCast, caster, java_string
from ksqlserver.catalog.types import parse_type


def cast(value: object, src: str, dst: str) -> object:
    return caster(parse_type(src), parse_type(dst))(value)


@pytest.mark.parametrize(
    ("text", "millis"),
    [
        ("2020-05-26T23:59:58.000", 1_590_537_598_000),
        ("2020-05-26", 1_590_451_200_000),  # partial: midnight
        ("2020-05", 1_588_291_200_000),  # partial: the first of the month
        ("2020", 1_577_836_800_000),
        ("2020-05-26T23:59", 1_590_537_540_000),  # partial time: zeros
        ("2020-05-26T23:59:58.1", 1_590_537_598_100),  # .1 is .100
        ("2020-05-26T23:59:58.000+0200", 1_590_530_398_000),
        ("2020-05-26T23:59:58.000-05:00", 1_590_555_598_000),
        ("2020-05-26T23:59:58.000Z", 1_590_537_598_000),
    ],
)
def test_timestamp_text(text: str, millis: int) -> None:
    assert sqltime.parse_timestamp(text) == millis


@pytest.mark.parametrize("text", ["2020-05-26 23:59:58", "2020-13-01", "yesterday", "2020-05-26T25:00"])
def test_bad_timestamp_text(text: str) -> None:
    with pytest.raises(sqltime.SqlTimeError, match=rf"^Failed to parse timestamp '{text}': .*\nRequired format"):
        sqltime.parse_timestamp(text)


def test_date_and_time_text() -> None:
    assert sqltime.parse_date("2022-01-08") == 19_000
    assert sqltime.parse_date("2022-01") == 18_993
    assert sqltime.parse_time("01:00:05.123") == 3_605_123
    assert sqltime.parse_time("01:00") == 3_600_000
    with pytest.raises(sqltime.SqlTimeError, match=r"^Failed to parse time '1'"):
        sqltime.parse_time("1")
    with pytest.raises(sqltime.SqlTimeError, match=r"^Failed to parse date '2022-1-8'"):
        sqltime.parse_date("2022-1-8")
    # writing: TIME drops its milliseconds, and its seconds when they are zero (Java's LocalTime text)
    assert sqltime.format_time(3_600_000) == "01:00"
    assert sqltime.format_time(3_605_123) == "01:00:05"
    assert sqltime.format_timestamp(1_590_537_598_100) == "2020-05-26T23:59:58.100"
    assert sqltime.format_date(19_000) == "2022-01-08"


def test_numbers_narrow_like_java() -> None:
    assert cast(2**31, "BIGINT", "INTEGER") == -(2**31)
    assert cast(1e20, "DOUBLE", "INTEGER") == 2**31 - 1
    assert cast(math.nan, "DOUBLE", "BIGINT") == 0
    assert cast(-1.9, "DOUBLE", "INTEGER") == -1
    assert cast(Decimal("-12.75"), "DECIMAL(4, 2)", "INTEGER") == -12


def test_decimal_targets_round_half_up_and_overflow() -> None:
    assert cast(Decimal("1.25"), "DECIMAL(4, 2)", "DECIMAL(3, 1)") == Decimal("1.3")
    assert cast(1.15, "DOUBLE", "DECIMAL(10, 2)") == Decimal("1.15")  # binary 1.1499... to 10 digits first
    assert cast(0.125, "DOUBLE", "DECIMAL(5, 2)") == Decimal("0.13")
    assert cast("  1.5e1 ", "STRING", "DECIMAL(4, 1)") == Decimal("15.0")
    assert cast(5, "INTEGER", "DECIMAL(2, 1)") == Decimal("5.0")
    with pytest.raises(CastError, match=r"^Numeric field overflow: A field with precision 2 and scale 1 must"):
        cast(12, "INTEGER", "DECIMAL(2, 1)")


def test_text_to_values() -> None:
    assert cast(" 42 ", "STRING", "INTEGER") == 42
    assert cast("ye", "STRING", "BOOLEAN") is True  # a prefix of 'yes'
    assert cast("nope", "STRING", "BOOLEAN") is False
    assert cast("1.5d", "STRING", "DOUBLE") == 1.5  # Java's double text
    assert cast("AQI=", "STRING", "BYTES") == b"\x01\x02"
    for bad, target in (("1.5", "INTEGER"), ("1_000", "INTEGER"), ("NaN", "DOUBLE"), ("%%", "BYTES")):
        with pytest.raises(CastError):
            cast(bad, "STRING", target)


def test_structured_casts() -> None:
    assert cast([1, None], "ARRAY<INT>", "ARRAY<STRING>") == ["1", None]
    assert cast({"A": 1, "B": 2}, "STRUCT<A INT, B INT>", "STRUCT<A BIGINT, C STRING>") == {"A": 1, "C": None}
    assert java_string(parse_type("MAP<STRING, ARRAY<DOUBLE>>"))({"k": [1.0, None]}) == "{k=[1.0, null]}"
    assert java_string(parse_type("STRUCT<A INT, B STRING>"))({"A": 1, "B": None}) == "Struct{A=1}"


@pytest.mark.parametrize(
    ("src", "dst"),
    [
        ("TIMESTAMP", "BIGINT"),
        ("BIGINT", "TIMESTAMP"),
        ("BYTES", "STRING"),
        ("INTEGER", "BOOLEAN"),
        ("TIME", "TIMESTAMP"),
        ("ARRAY<INT>", "ARRAY<BOOLEAN>"),
        ("STRUCT<A BYTES>", "STRUCT<A INT>"),
    ],
)
def test_casts_ksqldb_has_not(src: str, dst: str) -> None:
    with pytest.raises(UnsupportedCast, match=rf"^Cast of {src.split('<')[0]}.* to .* is not supported$"):
        caster(parse_type(src), parse_type(dst))


@pytest.mark.parametrize(
    ("precision", "scale", "message"),
    [
        (0, 0, "DECIMAL precision must be >= 1: DECIMAL(0,0)"),
        (4, -1, "DECIMAL scale must be >= 0: DECIMAL(4,-1)"),
        (2, 3, "DECIMAL precision must be >= scale: DECIMAL(2,3)"),
    ],
)
def test_decimal_parameters_are_checked_in_ksqldbs_words(precision: int, scale: int, message: str) -> None:
    from ksqlserver.catalog.types import decimal
    from ksqlserver.errors import KsqlTypeError

    with pytest.raises(KsqlTypeError) as e:
        decimal(precision, scale)
    assert e.value.message == message
