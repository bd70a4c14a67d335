"""ksqlDB 0.29's SqlDoublesTest (ksqldb-engine-common, io.confluent.ksql.schema.ksql): SqlDoubles.parseDouble
is CAST(string AS DOUBLE) (CastEvaluator) and the LAX coercion of a string literal to DOUBLE (CoercionUtil).
A NumberFormatException in a CAST is a processing-log error and a null column; in a literal list it refuses
the statement."""

from __future__ import annotations

from typing import Any

import pytest


def test_parse_double(t: Any) -> None:
    """SqlDoublesTest.shouldParseDouble."""
    s = t.select("CAST('1.3' AS DOUBLE)", "ARRAY[1.0E0, '1.3']")
    assert [float(s.values[0]), [float(v) for v in s.values[1]]] == [1.3, [1.0, 1.3]]
    assert s.errors == []


@pytest.mark.parametrize(
    ("text", "cause"),
    [
        ("What no number?", 'For input string: "What no number?"'),  # shouldThrowIfNotNumber
        ("Infinity", "Invalid double value: Infinity"),  # shouldThrowOnInfinity
        ("-Infinity", "Invalid double value: -Infinity"),
        ("NaN", "Invalid double value: NaN"),  # shouldThrowOnNaN
    ],
)
def test_throw_on_no_finite_number(t: Any, text: str, cause: str) -> None:
    """SqlDoublesTest.shouldThrowIfNotNumber / shouldThrowOnInfinity / shouldThrowOnNaN."""
    s = t.select(f"CAST('{text}' AS DOUBLE)")
    assert s.value is None
    assert s.errors == [f"Error processing DOUBLE\n{cause}"]
    assert t.refuse(f"ARRAY[1.0E0, '{text}']") == f'invalid input syntax for type DOUBLE: "{text}".'
