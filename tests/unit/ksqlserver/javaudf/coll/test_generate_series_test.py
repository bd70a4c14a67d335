"""ksqlDB 0.29 GenerateSeriesTest (io.confluent.ksql.function.udf.array), ported:
GenerateSeries.generateSeriesInt / generateSeriesLong (inclusive ends, a default step of +1/-1, Java
int/long arithmetic; a zero or wrong-signed step throws KsqlFunctionException)."""

from __future__ import annotations

from typing import Any

import pytest

from ksqlserver.catalog import types as T
from ksqlserver.errors import EvaluationError, KsqlFunctionError
from ksqlserver.functions import default_registry

INT, LONG = T.INTEGER, T.BIGINT


def series(bound: T.SqlType, *args: int) -> Any:
    types = [bound, bound, *([INT] if len(args) == 3 else [])]
    return default_registry().require("GENERATE_SERIES").resolve_call(types).impl(*args)


@pytest.mark.parametrize("bound", [INT, LONG])
def test_should_compute_ranges(bound: T.SqlType) -> None:
    """shouldCompute{Positive,Negative}IntRange, shouldCompute{,Negative}LongRange."""
    assert series(bound, 0, 9) == list(range(10))
    assert series(bound, 9, 0) == list(range(9, -1, -1))


@pytest.mark.parametrize("bound", [INT, LONG])
def test_should_compute_ranges_with_steps(bound: T.SqlType) -> None:
    """shouldComputeIntRangeWith{Positive,Negative}{Even,Odd}Step{Int,Long}, shouldComputeIntRangeWith{Even,
    Odd}StepLong."""
    assert series(bound, 0, 9, 2) == [0, 2, 4, 6, 8]
    assert series(bound, 0, 9, 3) == [0, 3, 6, 9]
    assert series(bound, 9, 0, -2) == [9, 7, 5, 3, 1]
    assert series(bound, 9, 0, -3) == [9, 6, 3, 0]


@pytest.mark.parametrize("bound", [INT, LONG])
def test_should_throw_on_bad_steps(bound: T.SqlType) -> None:
    """shouldThrowOnStepZero{Int,Long}, shouldThrowIfStepWrongSign{Int,Long}{1,2}."""
    with pytest.raises(EvaluationError, match="GENERATE_SERIES step cannot be zero"):
        series(bound, 0, 10, 0)
    with pytest.raises(EvaluationError, match="GENERATE_SERIES step has wrong sign"):
        series(bound, 0, 10, -1)
    with pytest.raises(EvaluationError, match="GENERATE_SERIES step has wrong sign"):
        series(bound, 9, 0, 1)


def test_equal_ends_give_one_element() -> None:
    """end - start > 0 ? 1 : -1 picks -1 for equal ends; size is 1 + 0 / -1."""
    assert series(INT, 5, 5) == [5]
    assert series(LONG, -3, -3, 7) == [-3]


def test_through_the_engine(sql: Any) -> None:
    out = sql.select(
        "GENERATE_SERIES(0, 9, 3)", "GENERATE_SERIES(CAST(9 AS BIGINT), CAST(0 AS BIGINT), -3)",
        "GENERATE_SERIES(N, 2)", "GENERATE_SERIES(0, 10, 0)", "GENERATE_SERIES(9, 0, 1)",
        columns="N BIGINT", row={"N": 4},
    )
    assert out == [[0, 3, 6, 9], [9, 6, 3, 0], [4, 3, 2], None, None]
    assert sql.types == ["ARRAY<INTEGER>", "ARRAY<BIGINT>", "ARRAY<BIGINT>", "ARRAY<INTEGER>", "ARRAY<INTEGER>"]
    assert sql.log == [
        "Error computing expression GENERATE_SERIES(0, 10, 0) for column C3 with index 3\n"
        "GENERATE_SERIES step cannot be zero",
        "Error computing expression GENERATE_SERIES(9, 0, 1) for column C4 with index 4\n"
        "GENERATE_SERIES step has wrong sign",
    ]


def test_int_and_long_arithmetic_overflows_as_in_java() -> None:
    """`end - start` overflows: from Integer.MIN_VALUE to MAX_VALUE the difference is -1, so the default step
    is -1 and the series is two values, the second one wrapped."""
    lo, hi = -(2**31), 2**31 - 1
    assert series(INT, lo, hi) == [lo, hi]
    assert series(LONG, -(2**63), 2**63 - 1) == [-(2**63), 2**63 - 1]
    assert series(LONG, 0, 2**32 + 2, 2**31 - 1) == [0, 2**31 - 1, 2**32 - 2]  # 1 + (int) (diff / step)


def test_overload_resolution(sql: Any) -> None:
    """An INT bound widens to BIGINT (generateSeriesLong); the step is an int in every variant, so a BIGINT
    step matches none."""
    out = sql.select("GENERATE_SERIES(1, CAST(3 AS BIGINT))", "GENERATE_SERIES(CAST(3 AS BIGINT), 1)")
    assert out == [[1, 2, 3], [3, 2, 1]]
    assert sql.types == ["ARRAY<BIGINT>", "ARRAY<BIGINT>"]
    with pytest.raises(KsqlFunctionError, match=r"does not accept parameters \(INTEGER, INTEGER, BIGINT\)"):
        sql.select("GENERATE_SERIES(1, 5, CAST(1 AS BIGINT))")
