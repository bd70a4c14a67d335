"""ksqlDB 0.29's SqlBooleansTest (ksqldb-engine-common, io.confluent.ksql.schema.ksql). parseBoolean is
CAST(string AS BOOLEAN) (CastEvaluator, after trim()); parseBooleanExact is the LAX coercion of a string
literal in a list with a BOOLEAN (DefaultSqlValueCoercer, CoercionUtil's literal coercer: ARRAY[...], IN
lists), also after trim(). The untrimmed cases (' true ', 'yes ') have no SQL path: both callers trim."""

from __future__ import annotations

from typing import Any

import pytest


def _cast(t: Any, *texts: str) -> list[Any]:
    values: list[Any] = t.select(*(f"CAST('{v}' AS BOOLEAN)" for v in texts)).values
    return values


def test_parse_true_as_true(t: Any) -> None:
    """SqlBooleansTest.shouldParseTrueAsTrue: any prefix of 'true', any case."""
    assert _cast(t, "tRue", "trU", "tr", "T", "t") == [True] * 5


def test_parse_yes_as_true(t: Any) -> None:
    """SqlBooleansTest.shouldParseYesAsTrue: any prefix of 'yes'."""
    assert _cast(t, "YeS", "yE", "Y") == [True] * 3


def test_parse_anything_else_as_false(t: Any) -> None:
    """SqlBooleansTest.shouldParseAnythingElseAsFalse (the empty string, 'false', anything else)."""
    assert _cast(t, "", "false", "what ever", "truex") == [False] * 4


def _coerced(t: Any, *texts: str) -> list[Any]:
    s = t.select("ARRAY[TRUE, " + ", ".join(f"'{v}'" for v in texts) + "]")
    assert s.type == "ARRAY<BOOLEAN>"
    values: list[Any] = s.value[1:]
    return values


def test_parse_exact_true_and_yes_as_true(t: Any) -> None:
    """SqlBooleansTest.shouldParseExactTrueAsTrue / shouldParseExactYesAsTrue."""
    assert _coerced(t, "trU", "Ye") == [True, True]


def test_parse_exact_false_and_no_as_false(t: Any) -> None:
    """SqlBooleansTest.shouldParseExactFalseAsFalse / shouldParseExactNoAsFalse."""
    assert _coerced(t, "fAlSe", "FaLs", "faL", "FA", "f", "nO", "N") == [False] * 7


def test_parse_exact_in_list(t: Any) -> None:
    """parseBooleanExact in an IN list of a BOOLEAN (InListEvaluator / CoercionUtil)."""
    s = t.select("B IN ('trU')", "B IN ('nO')", columns="B BOOLEAN", row={"B": True})
    assert s.values == [True, False]


@pytest.mark.parametrize("text", ["/tfalse", "what ever"])
def test_parse_exact_everything_else_as_empty(t: Any, text: str) -> None:
    """SqlBooleansTest.shouldParseExactEverythingElseAsEmpty: no boolean, so CoercionUtil refuses the
    literal."""
    assert t.refuse(f"ARRAY[TRUE, '{text}']") == f'invalid input syntax for type BOOLEAN: "{text}".'
