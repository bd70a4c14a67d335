"""ksqlDB 0.29's GenericExpressionResolverTest (ksqldb-engine, io.confluent.ksql.engine.generic): one INSERT
VALUES expression evaluated without any row and coerced, STRICTly, to its column's type (the column is
`FOO`, as in the Java test); a failed coercion names the field back-quoted (ColumnName.toString) with the
value's type and, for text meant as a time type, the format it must have."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Ksql


def _foo(ksql: Ksql, type_: str) -> None:
    ksql.topic("s")
    ksql.execute(f"CREATE STREAM S (K STRING KEY, FOO {type_}) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');")


def _inserted(ksql: Ksql, value: str) -> object:
    ksql.execute(f"INSERT INTO S (K, FOO) VALUES ('k', {value});")
    return json.loads(ksql.records("s")[-1].value)["FOO"]


def test_should_resolve_arbitrary_expressions(ksql: Ksql) -> None:
    """shouldResolveArbitraryExpressions: a STRUCT constructor around a function call."""
    _foo(ksql, "STRUCT<FOO STRING>")
    assert _inserted(ksql, "STRUCT(FOO := CONCAT('bar', 'baz'))") == {"FOO": "barbaz"}


def test_should_resolve_null_literal(ksql: Ksql) -> None:
    """shouldResolveNullLiteral."""
    _foo(ksql, "STRING")
    assert _inserted(ksql, "NULL") is None


def test_should_throw_if_cannot_coerce(ksql: Ksql) -> None:
    """shouldThrowIfCannotCoerce."""
    _foo(ksql, "ARRAY<INTEGER>")
    msg = ksql.message("INSERT INTO S (K, FOO) VALUES ('k', 1);")
    assert "Expected type ARRAY<INTEGER> for field `FOO` but got INTEGER(1)" in msg


@pytest.mark.parametrize(
    ("type_", "hint"),
    [
        ("TIMESTAMP", "Timestamp format must be yyyy-mm-ddThh:mm:ss[.S]"),
        ("TIME", "Time format must be hh:mm:ss[.S]"),
        ("DATE", "Date format must be yyyy-mm-dd"),
    ],
)
def test_should_throw_if_cannot_parse_time_type(ksql: Ksql, type_: str, hint: str) -> None:
    """shouldThrowIfCannotParseTimestamp / shouldThrowIfCannotParseTime / shouldThrowIfCannotParseDate."""
    _foo(ksql, type_)
    msg = ksql.message("INSERT INTO S (K, FOO) VALUES ('k', 'abc');")
    assert msg == f"Failed to insert values into 'S'. Expected type {type_} for field `FOO` but got STRING(abc). {hint}"


@pytest.mark.parametrize(
    ("type_", "text", "written"),
    [
        ("TIMESTAMP", "2021-01-09T04:40:02", 1610167202000),  # shouldParseTimestamp
        ("TIME", "04:40:02", 16802000),  # shouldParseTime: milliseconds of the day
        ("DATE", "2021-01-09", 18636),  # shouldParseDate: 1610150400000 ms, JSON writes days since the epoch
    ],
)
def test_should_parse_time_types(ksql: Ksql, type_: str, text: str, written: int) -> None:
    """shouldParseTimestamp / shouldParseTime / shouldParseDate: text is read as the column's time type."""
    _foo(ksql, type_)
    assert _inserted(ksql, f"'{text}'") == written
