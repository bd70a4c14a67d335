"""ksqlDB 0.29 SearchedCaseFunctionTest (ksqldb-execution, codegen/helpers): the first WHEN whose condition
holds gives the result, else the default (null without ELSE); conditions and results are lazy suppliers, so
nothing after the chosen branch is evaluated."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from .conftest import Exec


@pytest.mark.parametrize(
    ("expression", "type_", "value"),
    [
        # shouldWorkForBooleanValues
        ("CASE WHEN false THEN true WHEN false THEN false WHEN true THEN true END", "BOOLEAN", True),
        # shouldWorkForIntegerValues: the first true condition wins
        ("CASE WHEN false THEN 1 WHEN false THEN 2 WHEN true THEN 3 WHEN true THEN 4 END", "INTEGER", 3),
        # shouldWorkForBigIntValues
        ("CASE WHEN false THEN 1000000000000 WHEN false THEN 2000000000000 WHEN false THEN 3000000000000 "
         "WHEN true THEN 4000000000000 END", "BIGINT", 4000000000000),
        # shouldWorkForDoubleValues
        ("CASE WHEN false THEN 1.0e0 WHEN false THEN 2.0e0 WHEN false THEN 3.0e0 WHEN true THEN 4.0e0 END",
         "DOUBLE", Decimal("4.0")),
        # shouldWorkForStringValues
        ("CASE WHEN false THEN 'foo' WHEN false THEN 'bar' WHEN false THEN 'tab' WHEN true THEN 'ksql' END",
         "STRING", "ksql"),
        # shouldWorkForArrayValues
        ("CASE WHEN false THEN ARRAY['foo', 'bar'] WHEN true THEN ARRAY['tab', 'ksql'] END", "ARRAY<STRING>",
         ["tab", "ksql"]),
        # shouldWorkForMapValues
        ("CASE WHEN false THEN MAP('foo' := 1.0e0) WHEN true THEN MAP('tab' := 2.0e0) END",
         "MAP<STRING, DOUBLE>", {"tab": Decimal("2.0")}),
        # shouldWorkForStructValues
        ("CASE WHEN false THEN STRUCT(foo := 1.0e0) WHEN true THEN STRUCT(foo := 2.0e0) END",
         "STRUCT<`FOO` DOUBLE>", {"FOO": Decimal("2.0")}),
        # shouldReturnDefaultIfNoMatch
        ("CASE WHEN false THEN 1 WHEN false THEN 2 ELSE 10 END", "INTEGER", 10),
        # shouldHandleNullReturnValues
        ("CASE WHEN false THEN 1 WHEN true THEN CAST(NULL AS INTEGER) ELSE 10 END", "INTEGER", None),
        ("CASE WHEN false THEN 1 END", "INTEGER", None),
        # lazy: the branches after the chosen one (and the default) are never evaluated
        ("CASE WHEN true THEN 1 WHEN X / 0 = 1 THEN 2 ELSE X / 0 END", "INTEGER", 1),
    ],
)  # fmt: skip
def test_searched_case(ex: Exec, expression: str, type_: str, value: Any) -> None:
    out = ex.select(expression, row={"X": 1})
    assert (out.type, out.value, out.errors) == (type_, value, [])
