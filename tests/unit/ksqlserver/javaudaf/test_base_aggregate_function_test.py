"""ksqlDB 0.29's BaseAggregateFunctionTest (ksqldb-engine/src/test/java/io/confluent/ksql/function/
BaseAggregateFunctionTest.java): an aggregate function's returnType is the SQL type it was built with,
which is the type of the query's column."""

from __future__ import annotations

from ksqlserver.catalog import types as T

from .conftest import Agg, udaf


def test_should_return_sql_return_type(agg_engine: Agg) -> None:
    """shouldReturnSqlReturnType: COUNT over a STRING column returns BIGINT."""
    assert udaf("COUNT", [T.STRING]).type == T.BIGINT
    agg_engine.source("V STRING")
    agg_engine.execute("CREATE TABLE OUT AS SELECT K, COUNT(V) AS R FROM S GROUP BY K;")
    assert agg_engine.types() == {"R": "BIGINT"}
