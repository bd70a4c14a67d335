"""The processing log of an aggregation's steps, as ksqlDB 0.29's AggregateNode.buildStream names them: its
QueryContext is `Aggregate`, and each step pushes its own name (PREPARE_OP_NAME, GROUP_BY_OP_NAME,
HAVING_FILTER_OP_NAME, PROJECT_OP_NAME), so a failure is logged under `processing.<query id>.Aggregate.<step>`
with the message of the step's evaluator: SelectValueMapper's "Error computing expression <expression> for
column <name> with index <i>" (Prepare: an aggregate argument as internal column KSQL_INTERNAL_COL_<i>;
Project: the aggregate calls as KSQL_AGG_VARIABLE_<i>), GroupByParamsFactory's group-by messages,
SqlPredicate's "Error evaluating predicate <expression>" (HavingFilter); a nested failure (a CAST,
SqlToJavaVisitor.evaluateOrReturnNull) is logged by the step's logger with its own "Error processing ..."
message. With ksql.logging.processing.rows.include the Prepare step logs the source row it was given and the
GroupBy step the Prepare step's output (the required columns, then the internal columns)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from conftest import LogEngine

ROWS = {"ksql.logging.processing.rows.include": "true"}
STREAM = "CREATE STREAM S (K STRING KEY, A INT, D STRING) WITH (KAFKA_TOPIC='s', PARTITIONS=1, FORMAT='JSON');"


def errors(le: LogEngine) -> list[tuple[str, str, Any]]:
    """(logger, errorMessage, record as JSON) of each record processing error."""
    out = []
    for m in le.log():
        error = m["message"]["recordProcessingError"]
        if error is not None:
            record = json.loads(error["record"]) if error["record"] is not None else None
            out.append((m["logger"], error["errorMessage"], record))
    return out


def test_a_group_by_expression_that_fails_logs_under_the_group_by_step(make_log: Callable[..., LogEngine]) -> None:
    """StreamGroupByBuilder with GroupByParamsFactory.ExpressionGrouper: the CAST's nested failure, then the
    null key ("resolved to null"), both under Aggregate.GroupBy with the Prepare step's row (D, ROWTIME)."""
    le = make_log(ROWS)
    le.sql(STREAM)
    le.sql("CREATE TABLE AGG AS SELECT CAST(D AS INT) AS G, COUNT(*) AS C FROM S GROUP BY CAST(D AS INT);")
    le.produce("s", b'"k"', {"A": 1, "D": "x"}, 5)
    assert errors(le) == [
        ("processing.CTAS_AGG_0.Aggregate.GroupBy", "Error processing INTEGER", ["x", 5]),
        (
            "processing.CTAS_AGG_0.Aggregate.GroupBy",
            "Group-by column with index 0 resolved to null. The source row will be excluded from the table.",
            ["x", 5],
        ),
    ]
    assert le.values("AGG") == []


def test_a_group_by_nested_failure_with_a_key_still_aggregates(make_log: Callable[..., LogEngine]) -> None:
    """GroupByParamsFactory: a nested failure that leaves a key (COALESCE) is logged; the row aggregates."""
    le = make_log(ROWS)
    le.sql(STREAM)
    le.sql(
        "CREATE TABLE AGG AS SELECT COALESCE(CAST(D AS INT), 0) AS G, COUNT(*) AS C FROM S "
        "GROUP BY COALESCE(CAST(D AS INT), 0);"
    )
    le.produce("s", b'"k"', {"A": 1, "D": "x"}, 5)
    assert errors(le) == [("processing.CTAS_AGG_0.Aggregate.GroupBy", "Error processing INTEGER", ["x", 5])]
    assert le.values("AGG") == [{"C": 1}]


def test_an_aggregate_argument_that_fails_logs_under_the_prepare_step(make_log: Callable[..., LogEngine]) -> None:
    """AggregateNode.selectRequiredInputColumns (Aggregate.Prepare): SelectValueMapper over the source row.
    A top-level failure (integer division by zero) names the internal column (after K, ROWTIME, A); a nested
    one is the CAST's own message; the record aggregates with a null argument."""
    le = make_log(ROWS)
    le.sql(STREAM)
    le.sql("CREATE TABLE AGG AS SELECT K, COUNT(*) AS C, SUM(100 / A) AS R, SUM(CAST(D AS INT)) AS X FROM S GROUP BY K;")
    le.produce("s", b'"k"', {"A": 0, "D": "x"}, 5)
    source_row = [0, "x", 5, 0, 0, "k"]
    assert errors(le) == [
        (
            "processing.CTAS_AGG_0.Aggregate.Prepare",
            "Error computing expression (100 / A) for column KSQL_INTERNAL_COL_4 with index 4",
            source_row,
        ),
        ("processing.CTAS_AGG_0.Aggregate.Prepare", "Error processing INTEGER", source_row),
    ]
    assert le.values("AGG") == [{"C": 1, "R": 0, "X": 0}]  # SUM skips a null argument


def test_a_having_that_fails_logs_under_the_having_filter_step(make_log: Callable[..., LogEngine]) -> None:
    """AggregateNode.applyHavingFilter (Aggregate.HavingFilter, TableFilterBuilder's SqlPredicate): the
    predicate over the aggregate's row, its calls as KSQL_AGG_VARIABLE_<index>; the row is filtered out."""
    le = make_log()
    le.sql(STREAM)
    le.sql("CREATE TABLE AGG AS SELECT K, COUNT(*) AS C FROM S GROUP BY K HAVING 100 / SUM(A) > 1;")
    le.produce("s", b'"k"', {"A": 0, "D": "x"}, 5)
    assert errors(le) == [
        (
            "processing.CTAS_AGG_0.Aggregate.HavingFilter",
            "Error evaluating predicate ((100 / KSQL_AGG_VARIABLE_1) > 1)",
            None,
        )
    ]
    assert le.values("AGG") == []


def test_a_having_nested_failure_logs_under_the_having_filter_step(make_log: Callable[..., LogEngine]) -> None:
    """SqlPredicate's evaluator logs a CAST's nested failure with the HavingFilter step's logger."""
    le = make_log()
    le.sql(STREAM)
    le.sql("CREATE TABLE AGG AS SELECT K, COUNT(*) AS C FROM S GROUP BY K HAVING CAST(LATEST_BY_OFFSET(D) AS INT) > 0;")
    le.produce("s", b'"k"', {"A": 0, "D": "x"}, 5)
    # then the predicate's own failure: SqlPredicate's default (false) comes back from the CAST's catch block
    # as `(java.lang.Integer) defaultValue`, a ClassCastException (SqlToJavaVisitor.evaluateOrReturnNull)
    assert errors(le) == [
        ("processing.CTAS_AGG_0.Aggregate.HavingFilter", "Error processing INTEGER", None),
        (
            "processing.CTAS_AGG_0.Aggregate.HavingFilter",
            "Error evaluating predicate (CAST(KSQL_AGG_VARIABLE_1 AS INTEGER) > 0)",
            None,
        ),
    ]


def test_a_projection_that_fails_logs_under_the_project_step(make_log: Callable[..., LogEngine]) -> None:
    """AggregateNode.selectRequiredOutputColumns (Aggregate.Project): finalSelectExpressions leave the
    grouping column K out of a persistent query's indexes; the column is null."""
    le = make_log()
    le.sql(STREAM)
    le.sql("CREATE TABLE AGG AS SELECT K, 100 / SUM(A) AS R, CAST(LATEST_BY_OFFSET(D) AS INT) AS X FROM S GROUP BY K;")
    le.produce("s", b'"k"', {"A": 0, "D": "x"}, 5)
    assert errors(le) == [
        (
            "processing.CTAS_AGG_0.Aggregate.Project",
            "Error computing expression (100 / KSQL_AGG_VARIABLE_0) for column R with index 0",
            None,
        ),
        ("processing.CTAS_AGG_0.Aggregate.Project", "Error processing INTEGER", None),
    ]
    assert le.values("AGG") == [{"R": None, "X": None}]
