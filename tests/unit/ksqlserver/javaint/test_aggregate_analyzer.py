"""ksqlDB 0.29 io.confluent.ksql.analyzer.AggregateAnalyzerTest's errors, reached with CREATE TABLE AS
statements over MetaStoreFixture's TEST1 (the Java test analyses expressions of its own fixture directly)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from ksqlserver.errors import KsqlError


@pytest.fixture
def h(harness_factory: Callable[..., Any]) -> Any:
    h = harness_factory()
    h.metastore_fixture()
    return h


@pytest.mark.parametrize(
    "sql, message",
    [
        pytest.param(
            "CREATE TABLE X AS SELECT COL1, COL2, COL3, COUNT(*) FROM TEST1 GROUP BY COL1;",
            "Non-aggregate SELECT expression(s) not part of GROUP BY: COL2, COL3",
            id="shouldThrowOnNonAggregateSelectColumnsNotInGroupBy",
        ),
        pytest.param(
            "CREATE TABLE X AS SELECT COL1, UCASE(COL2), COUNT(*) FROM TEST1 GROUP BY COL1;",
            "Non-aggregate SELECT expression(s) not part of GROUP BY: UCASE(COL2)",
            id="shouldThrowOnNonAggregateSelectExpressionNotInGroupBy",
        ),
        pytest.param(
            "CREATE TABLE X AS SELECT COUNT(*) FROM TEST1 GROUP BY MAX(COL3);",
            "GROUP BY does not support aggregate functions: MAX is an aggregate function.",
            id="shouldThrowOnAggregateFunctionInGroupBy",
        ),
        pytest.param(
            "CREATE TABLE X AS SELECT COL1, MIN(MAX(COL3)) FROM TEST1 GROUP BY COL1;",
            "Aggregate functions can not be nested: MIN(MAX())",
            id="shouldThrowOnNestedSelectAggFunctions",
        ),
        pytest.param(
            "CREATE TABLE X AS SELECT COL1, COUNT(*) FROM TEST1 GROUP BY COL1 HAVING MIN(MAX(COL3)) > 1;",
            "Aggregate functions can not be nested: MIN(MAX())",
            id="shouldThrowOnNestedHavingAggFunctions",
        ),
        pytest.param(
            "CREATE TABLE X AS SELECT COL1, NOT_FOUND(COL3) FROM TEST1 GROUP BY COL1;",
            "Can't find any functions with the name 'NOT_FOUND'",
            id="shouldThrowOnUnknownFunction",
        ),
    ],
)
def test_aggregate_analysis_errors(h: Any, sql: str, message: str) -> None:
    """AggregateAnalyzerTest (containsString)."""
    with pytest.raises(KsqlError) as info:
        h.sql(sql)
    assert message in info.value.message
