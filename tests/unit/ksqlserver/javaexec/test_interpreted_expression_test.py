"""ksqlDB 0.29 InterpretedExpressionTest (ksqldb-execution, interpreter): the assertions
tests/unit/ksqlserver/compile/test_ksqldb_evaluation_rules.py does not cover yet, row by row (`make(i, v)`
puts v in column i of the test's ROW). COL8 is DECIMAL(5, 3) here, not DECIMAL(2, 1): the Java test feeds
values like 19.567 that a DECIMAL(2, 1) JSON column would not accept."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import Exec

COLS = "COL1 STRING, COL3 DOUBLE, COL7 INTEGER, COL8 DECIMAL(5, 3), COL10 TIMESTAMP, COL11 BOOLEAN, COL12 TIME, " \
    "COL13 DATE, COL14 BYTES"  # fmt: skip
ROW = {"COL1": "A", "COL3": 4.5, "COL7": 35, "COL8": 3.4, "COL10": 1234, "COL11": True, "COL12": 1234,
       "COL13": 10, "COL14": "ew=="}  # fmt: skip


@pytest.mark.parametrize(
    ("expression", "column", "value", "expected"),
    [
        # shouldEvaluateComparisons_double
        ("COL3 > -10.0e0", "COL3", 5.0, True), ("COL3 > -10.0e0", "COL3", -20.0, False),
        ("COL3 < 10e0", "COL3", 5.0, True), ("COL3 < 10e0", "COL3", 20.0, False),
        ("COL3 = 6.5e0", "COL3", 6.5, True), ("COL3 = 6.5e0", "COL3", 8.5, False),
        # shouldEvaluateComparisons_int
        ("COL7 > 10", "COL7", 30, True), ("COL7 > 10", "COL7", 4, False),
        ("COL7 < 20", "COL7", 13, True), ("COL7 < 20", "COL7", 20, False),
        ("COL7 = 30e0", "COL7", 30, True), ("COL7 = 30e0", "COL7", 31, False),
        # shouldEvaluateComparisons_decimal
        ("COL8 > 1.2", "COL8", 3.4, True), ("COL8 > 1.2", "COL8", 1.1, False),
        ("COL8 < 5.1", "COL8", 4.9, True), ("COL8 < 5.1", "COL8", 5.2, False),
        ("COL8 = 10.4", "COL8", 10.4, True), ("COL8 = 10.4", "COL8", 10.5, False),
        ("COL8 > 5", "COL8", 6.5, True), ("COL8 > 5", "COL8", 4.5, False),
        ("COL8 < 6.5e0", "COL8", 5.5, True), ("COL8 < 6.5e0", "COL8", 7.5, False),
        ("COL8 < 10000000000", "COL8", 7, True), ("COL8 < 10", "COL8", 19.567, False),
        # shouldEvaluateComparisons_time
        ("COL10 > FROM_UNIXTIME(1000)", "COL10", 1001, True),
        ("COL10 < '2017-11-13T23:59:58'", "COL10", 151061759799, True),
        ("COL10 = CAST('1970-01-11' AS DATE)", "COL10", 864000000, True),
        ("COL12 <> CAST('00:00:01' AS TIME)", "COL12", 1000, False),
        ("COL12 <= '00:01:32'", "COL12", 4, True),
        ("COL13 >= '1970-01-20'", "COL13", 1, False),
        ("COL13 >= CAST('1970-01-11' AS DATE)", "COL13", 10, True),
        ("COL13 = FROM_UNIXTIME(864000005)", "COL13", 10, False),
        # shouldEvaluateComparisons_bytes ({123} is 'ew==', {110} is 'bg==')
        ("COL14 > TO_BYTES('ew==', 'base64')", "COL14", "ew==", False),
        ("COL14 < TO_BYTES('ew==', 'base64')", "COL14", "bg==", True),
        # shouldEvaluateLogicalExpressions_and / _or
        ("COL11 AND true", "COL11", True, True), ("COL11 AND true", "COL11", False, False),
        ("COL11 AND false", "COL11", True, False), ("COL11 AND false", "COL11", False, False),
        ("COL11 OR true", "COL11", True, True), ("COL11 OR true", "COL11", False, True),
        ("COL11 OR false", "COL11", True, True), ("COL11 OR false", "COL11", False, False),
        # shouldEvaluateIsNullPredicate / shouldEvaluateIsNotNullPredicate
        ("COL11 IS NULL", "COL11", True, False), ("COL11 IS NULL", "COL11", None, True),
        ("NULL IS NULL", "COL11", True, True),
        ("COL11 IS NOT NULL", "COL11", True, True), ("COL11 IS NOT NULL", "COL11", None, False),
        ("NULL IS NOT NULL", "COL11", True, False),
        # shouldEvaluateInPredicate
        ("COL7 IN (4, 6, 8)", "COL7", 1, False), ("COL7 IN (4, 6, 8)", "COL7", 6, True),
        ("COL7 IN (4, 6, 8)", "COL7", 8, True), ("COL7 IN (4, 6, 8)", "COL7", 10, False),
        ("COL1 IN ('a', 'b', 'c')", "COL1", "z", False), ("COL1 IN ('a', 'b', 'c')", "COL1", "a", True),
        ("COL1 IN ('a', 'b', 'c')", "COL1", "c", True),
        # shouldEvaluateSearchedCase
        ("CASE WHEN COL7 > 10 THEN 'Large' WHEN COL7 > 5 THEN 'Medium' WHEN COL7 > 2 THEN 'Small' "
         "ELSE 'Tiny' END", "COL7", 12, "Large"),
        ("CASE WHEN COL7 > 10 THEN 'Large' WHEN COL7 > 5 THEN 'Medium' WHEN COL7 > 2 THEN 'Small' "
         "ELSE 'Tiny' END", "COL7", 9, "Medium"),
        ("CASE WHEN COL7 > 10 THEN 'Large' WHEN COL7 > 5 THEN 'Medium' WHEN COL7 > 2 THEN 'Small' "
         "ELSE 'Tiny' END", "COL7", 3, "Small"),
        ("CASE WHEN COL7 > 10 THEN 'Large' WHEN COL7 > 5 THEN 'Medium' WHEN COL7 > 2 THEN 'Small' "
         "ELSE 'Tiny' END", "COL7", 1, "Tiny"),
        ("CASE WHEN COL7 < 10 THEN 'Blah' END", "COL7", 1, "Blah"),
        ("CASE WHEN COL7 < 10 THEN 'Blah' END", "COL7", 10, None),
        # shouldEvaluateSubscriptExpression / shouldEvaluateBetween
        ("ARRAY['1', '2'][1]", "COL7", 1, "1"),
        ("MAP('a' := 123, 'b' := 456)['a']", "COL7", 1, 123),
        ("4 BETWEEN 3 AND 8", "COL7", 1, True), ("0 BETWEEN 3 AND 8", "COL7", 1, False),
        ("'b' BETWEEN 'a' AND 'c'", "COL7", 1, True), ("'z' BETWEEN 'a' AND 'c'", "COL7", 1, False),
        # shouldEvaluateUnaryArithmetic
        ("+1", "COL7", 1, 1), ("-1", "COL7", 1, -1), ("-COL3", "COL3", 45.5, -45.5),
        # shouldEvaluateLambda_functionCall
        ("TRANSFORM(ARRAY[1, 2], X => X + 1)", "COL7", 1, [2, 3]),
    ],
)  # fmt: skip
def test_row(ex: Exec, expression: str, column: str, value: Any, expected: Any) -> None:
    out = ex.select(expression, columns=COLS, row={**ROW, column: value})
    assert (out.value, out.errors) == (expected, [])


def test_struct_dereference_and_constructor(ex: Exec) -> None:
    """shouldEvaluateStruct / shouldEvaluateStructDereference over the ADDRESS struct of the Java ROW."""
    out = ex.select(
        "STRUCT(A := 123, B := 'abc')", "COL6->NUMBER", "COL6->CITY",
        columns="COL6 STRUCT<NUMBER BIGINT, STREET STRING, CITY STRING, STATE STRING, ZIPCODE BIGINT>",
        row={"COL6": {"NUMBER": 123, "STREET": "Main Street", "CITY": "Mountain View", "STATE": "CA",
                      "ZIPCODE": 90210}},
    )  # fmt: skip
    assert out.values == [{"A": 123, "B": "abc"}, 123, "Mountain View"]
    assert out.types == ["STRUCT<`A` INTEGER, `B` STRING>", "BIGINT", "STRING"]


def test_casts_of_literals(ex: Exec) -> None:
    """shouldEvaluateCastToBigint / ToDouble / ToString / ToTimestamp / ToTime / ToDate, the cases the compile
    tests leave out."""
    out = ex.select(
        "CAST(10 AS BIGINT)", "CAST('1234' AS BIGINT)", "CAST(4567.5 AS BIGINT)", "CAST(10 AS DOUBLE)",
        "CAST(12.5e0 AS DOUBLE)", "CAST(10 AS STRING)", "CAST('1234' AS STRING)", "CAST(12 AS DECIMAL(10, 1))",
        "CAST(FROM_UNIXTIME(1000) AS TIMESTAMP)", "CAST(CAST('00:00:01' AS TIME) AS TIME)",
        "CAST(CAST('1970-01-11' AS DATE) AS DATE)", "CAST(MAP(1 := '2', 3 := '4') AS MAP<STRING, INTEGER>)",
    )  # fmt: skip
    assert out.values[:8] == [10, 1234, 4567, 10.0, 12.5, "10", "1234", 12.0]
    assert out.values[8:] == [1000, 1000, 10, {"1": 2, "3": 4}]
    assert out.types[:3] == ["BIGINT"] * 3
    assert out.types[8:11] == ["TIMESTAMP", "TIME", "DATE"]
