"""ksqlDB 0.29 CastEvaluatorTest (ksqldb-execution, codegen/helpers): which CASTs compile (CombinationTest with
SupportedCasts, for plain, ARRAY-element and nested STRUCT/MAP types), the message of an unsupported one
(assertUnsupported), string parsing failures (DoubleTest, TimeTest, DateTest, TimestampTest) and the
date/time conversions, and StructMismatchedFieldsTest."""

from __future__ import annotations

import pytest

from .conftest import Exec

# ksqlDB's TypeInstances, except MAP<BIGINT, STRING>: JSON (the test streams' format) keys maps by STRING only
TYPES = {
    "BOOLEAN": "BOOLEAN", "INTEGER": "INTEGER", "BIGINT": "BIGINT", "DECIMAL": "DECIMAL(4, 2)",
    "DOUBLE": "DOUBLE", "STRING": "STRING", "ARRAY": "ARRAY<BIGINT>", "MAP": "MAP<STRING, BIGINT>",
    "STRUCT": "STRUCT<`Bob` STRING>", "TIME": "TIME", "DATE": "DATE", "TIMESTAMP": "TIMESTAMP", "BYTES": "BYTES",
}  # fmt: skip
SUPPORTED = {
    "BOOLEAN": {"BOOLEAN", "STRING"},
    "INTEGER": {"INTEGER", "BIGINT", "DECIMAL", "DOUBLE", "STRING"},
    "BIGINT": {"INTEGER", "BIGINT", "DECIMAL", "DOUBLE", "STRING"},
    "DECIMAL": {"INTEGER", "BIGINT", "DECIMAL", "DOUBLE", "STRING"},
    "DOUBLE": {"INTEGER", "BIGINT", "DECIMAL", "DOUBLE", "STRING"},
    "STRING": {"BOOLEAN", "INTEGER", "BIGINT", "DECIMAL", "DOUBLE", "STRING", "TIME", "DATE", "TIMESTAMP", "BYTES"},
    "ARRAY": {"ARRAY", "STRING"},
    "MAP": {"MAP", "STRING"},
    "STRUCT": {"STRUCT", "STRING"},
    "TIME": {"TIME", "STRING"},
    "DATE": {"DATE", "TIMESTAMP", "STRING"},
    "TIMESTAMP": {"TIMESTAMP", "TIME", "DATE", "STRING"},
    "BYTES": {"BYTES"},
}  # fmt: skip
PAIRS = [(f, t) for f in TYPES for t in TYPES]


def _check(ex: Exec, source: str, target: str, supported: bool) -> None:
    expr = f"CAST(V AS {target})"
    if supported:
        ex.select(expr, columns=f"V {source}")
    else:
        message = ex.refuse(expr, columns=f"V {source}")
        assert f"Cast of {source} to {target} is not supported" in message


@pytest.mark.parametrize(("source", "target"), PAIRS)
def test_combination(ex: Exec, source: str, target: str) -> None:
    """CombinationTest.shouldCast / shouldThrowOnUnsupported (assertUnsupported's message)."""
    _check(ex, TYPES[source], TYPES[target], target in SUPPORTED[source])


@pytest.mark.parametrize(("source", "target"), PAIRS)
def test_array_combination(ex: Exec, source: str, target: str) -> None:
    """ArrayCombinationTest: the same table for ARRAY element types."""
    _check(ex, f"ARRAY<{TYPES[source]}>", f"ARRAY<{TYPES[target]}>", target in SUPPORTED[source])


@pytest.mark.parametrize(("source", "target"), PAIRS)
def test_nested_combination(ex: Exec, source: str, target: str) -> None:
    """NestedCombinationTest: the table inside STRUCT<F0 MAP<STRING, ARRAY<t>>, F1 STRUCT<A t>>."""

    def nested(t: str) -> str:
        return f"STRUCT<`f0` MAP<STRING, ARRAY<{t}>>, `f1` STRUCT<`a` {t}>>"

    _check(ex, nested(TYPES[source]), nested(TYPES[target]), target in SUPPORTED[source])


@pytest.mark.parametrize(
    ("value", "target", "message"),
    [
        ("Infinity", "DOUBLE", "Invalid double value: Infinity"),  # DoubleTest.shouldNotCastPositiveInfinite
        ("-Infinity", "DOUBLE", "Invalid double value: -Infinity"),  # shouldNotCastNegativeInfinite
        ("NaN", "DOUBLE", "Invalid double value: NaN"),  # shouldNotCastNaN
        ("woof", "TIME", 'Required format is: "HH:mm:ss.SSS"'),  # TimeTest.shouldNotCastIncorrectlyFormattedString
        ("woof", "DATE", 'Required format is: "yyyy-MM-dd"'),  # DateTest.shouldNotCastIncorrectlyFormattedString
        ("woof", "TIMESTAMP", "Required format is: \"yyyy-MM-dd'T'HH:mm:ss.SSS\", with an optional numeric"),
    ],
)  # fmt: skip
def test_string_parse_failures(ex: Exec, value: str, target: str, message: str) -> None:
    """A failed CAST of a string logs the parser's message and yields null."""
    out = ex.select(f"CAST(V AS {target})", columns="V STRING", row={"V": value})
    assert out.value is None
    assert any(message in e for e in out.errors), out.errors


def test_date_and_timestamp_conversions(ex: Exec) -> None:
    """DateTest.shouldCastDateToTimestamp, TimestampTest.shouldCastTimestampToDate / shouldCastTimestampToTime."""
    out = ex.select(
        "CAST(D AS TIMESTAMP)", "CAST(T AS DATE)", "CAST(T AS TIME)",
        columns="D DATE, T TIMESTAMP", row={"D": 10, "T": 864033000},
    )  # fmt: skip
    assert out.values == [864000000, 10, 33000]
    assert out.types == ["TIMESTAMP", "DATE", "TIME"]


def test_struct_mismatched_fields(ex: Exec) -> None:
    """StructMismatchedFieldsTest.shouldOnlyCopyFieldsThatExistInBothSides."""
    out = ex.select(
        "CAST(S AS STRUCT<`common1` STRING, `common2` INTEGER, `to` BIGINT>)",
        columns="S STRUCT<`from` BIGINT, `common1` INTEGER, `common2` STRING>",
        row={"S": {"from": 99, "common1": 10, "common2": "\t 11 \t"}},
    )
    assert out.type == "STRUCT<`common1` STRING, `common2` INTEGER, `to` BIGINT>"
    assert out.value == {"common1": "10", "common2": 11, "to": None}


@pytest.mark.parametrize(
    ("source", "value", "target", "expected"),
    [
        # CombinationTest instances: "\t 11 \t" as numbers, 12.01 and 34.98 truncated to integers
        ("STRING", "\t 11 \t", "INTEGER", 11),
        ("STRING", "\t 11 \t", "BIGINT", 11),
        ("STRING", "\t 11 \t", "DOUBLE", 11.0),
        ("DECIMAL(4, 2)", 12.01, "INTEGER", 12),
        ("DOUBLE", 34.98, "BIGINT", 34),
        ("STRING", "IQ==", "BYTES", "IQ=="),
        ("STRING", "2020-05-26T07:59:58.000", "TIMESTAMP", 1590479998000),
        ("STRING", "07:59:58", "TIME", 28798000),
        ("STRING", "2020-05-26", "DATE", 18408),
    ],
)  # fmt: skip
def test_instance_values(ex: Exec, source: str, value: object, target: str, expected: object) -> None:
    """CombinationTest.shouldCast with InstanceInstances' values."""
    out = ex.select(f"CAST(V AS {target})", columns=f"V {source}", row={"V": value})
    assert out.value == expected, out.errors
