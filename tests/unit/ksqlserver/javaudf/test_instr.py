"""Port of ksqlDB 0.29 InstrTest (io.confluent.ksql.function.udf.string.Instr): positions from the start
and the end, occurrences, nulls give 0, out-of-bound positions."""

from __future__ import annotations

from typing import Any

from ksqlserver.catalog import types as T
from ksqlserver.catalog.types import SqlType
from ksqlserver.functions import default_registry

S, INT, BIG, B = T.STRING, T.INTEGER, T.BIGINT, T.BYTES


def call(name: str, types: list[SqlType | None], *args: Any) -> Any:
    return default_registry().require(name).resolve_call(types).impl(*args)


C = "CORPORATE FLOOR"


def instr(*a: Any) -> Any:
    return call("INSTR", [S, S, INT, INT][: len(a)], *a)


def test_nulls_give_zero() -> None:
    """shouldReturnZeroOnNullValue."""
    assert instr(None, "OR") == 0
    assert instr(None, "OR", 1) == 0
    assert instr(None, "OR", 1, 1) == 0
    assert instr(C, None, 1) == 0
    assert instr(C, None, 1, 1) == 0


def test_positive_positions() -> None:
    """shouldExtractFromStartForPositivePositions, shouldReturnZeroWhenSubstringNotFound."""
    assert instr(C, "OR") == 2
    assert instr(C, "OR", 3) == 5
    assert instr(C, "OR", 3, 2) == 14
    assert instr(C, "OR", 3, 5) == 0
    assert instr(C, "ATE") == 7
    assert instr(C, "ATE", 2) == 7
    assert instr(C, "ATE", 3, 2) == 0
    assert instr(C, "ABC") == 0


def test_negative_positions() -> None:
    """shouldExtractFromEndForNegativePositions."""
    assert instr(C, "OR", -1) == 14
    assert instr(C, "OR", -3) == 5
    assert instr(C, "OR", -3, 2) == 2
    assert instr(C, "OR", -3, 5) == 0
    assert instr(C, "ATE", -1) == 7
    assert instr(C, "ATE", -3) == 7
    assert instr(C, "ATE", -3, 2) == 0


def test_out_of_bound_positions() -> None:
    """shouldTruncateOutOfBoundIndexes."""
    assert instr(C, "OR", 100) == 0
    assert instr(C, "OR", -100) == 0


def test_positions_count_java_chars() -> None:
    """Beyond InstrTest: Instr returns String indexes (UTF-16 chars), also when searching from the end."""
    e = "\U0001F600"
    assert instr(e + "ab", "a") == 3
    assert instr("a" + e + "a", "a", -1) == 4
    assert instr("x" + e, e) == 2


def test_through_the_engine(select: Any) -> None:
    out = select("INSTR(C, 'OR') AS A, INSTR(C, 'OR', -3, 2) AS B, INSTR(C, 'OR', 100) AS X", "C STRING", {"C": C})
    assert out.value == {"A": 2, "B": 2, "X": 0}
    assert out.types == {"A": "INTEGER", "B": "INTEGER", "X": "INTEGER"}
