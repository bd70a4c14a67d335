"""ksqlDB 0.29's QueryAnalyzerFunctionalTest (ksqldb-engine, io.confluent.ksql.analyzer) over the fixture's
SENSOR_READINGS and TEST1: the table functions and aggregate functions a SELECT's analysis finds, and the
sink format a CREATE STREAM AS SELECT names. Each is observed through the query it plans: EXPLODE flattens
the array into rows, COUNT without GROUP BY aggregates the whole stream (one group: the push query counts,
a CREATE TABLE AS SELECT is refused naming the function), the sink's value format is DELIMITED."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import Ksql

_READING = [(1, {"SENSOR_NAME": "a", "ARR1": [10, 20], "ARR2": ["x"]}, 1)]


def test_should_analyse_table_functions(ksql: Ksql) -> None:
    """shouldAnalyseTableFunctions: EXPLODE(ARR1), one row per element."""
    rows = ksql.push(
        "SELECT ID, EXPLODE(ARR1) FROM SENSOR_READINGS EMIT CHANGES;",
        lambda: ksql.produce("sensor_readings_topic", _READING),
    )
    assert rows == [[1, 10], [1, 20]]


def test_should_analyse_aggregate_functions(ksql: Ksql) -> None:
    """shouldAnalyseAggregateFunctions: COUNT(ARR1) is an aggregate; without GROUP BY the whole stream is
    one group, and a persistent query is refused with the function named (AggregateNode.validateKeyPresent)."""
    rows = ksql.push(
        "SELECT COUNT(ARR1) AS C FROM SENSOR_READINGS EMIT CHANGES;",
        lambda: ksql.produce("sensor_readings_topic", _READING * 2),
    )
    assert rows == [[1], [2]]
    msg = ksql.message("CREATE TABLE X AS SELECT COUNT(ARR1) FROM SENSOR_READINGS EMIT CHANGES;")
    assert msg == (
        "CREATE TABLE AS SELECT statement does not support aggregate function [COUNT(ARR1)] without a GROUP BY clause."
    )


def test_should_analyse_aggregate_functions_with_non_aggregate_column(ksql: Ksql) -> None:
    """The Java test's own query, SELECT ID, COUNT(ARR1): ID is neither aggregated nor grouped by."""
    msg = ksql.message("CREATE TABLE X AS SELECT ID, COUNT(ARR1) FROM SENSOR_READINGS EMIT CHANGES;")
    assert msg.startswith("Non-aggregate SELECT expression(s) not part of GROUP BY: ID")


def test_should_handle_value_format(ksql: Ksql) -> None:
    """shouldHandleValueFormat: the WITH clause's value_format is the new topic's (the Java test's TEST1 has
    ARRAY and MAP columns DELIMITED cannot hold, so only its scalar columns are selected here)."""
    ksql.execute("create stream s with(value_format='delimited') as select col0, col1, col2, col3 from test1;")
    assert ksql.source("S").value_format == "DELIMITED"
    ksql.produce("test1", [(7, {"COL1": "a", "COL2": "b", "COL3": 1.5}, 1)])
    assert [r.value for r in ksql.records("S")] == [b"a,b,1.5"]
