"""The `record` of a processing log's RecordProcessingError with ksql.logging.processing.rows.include=true
(RecordProcessingError.serializeRow: the row as JSON) for joins and aggregations, and LoggingTimestampExtractor's.

- A join's WHERE and SELECT are given KsqlValueJoiner's row: the left side's row, then the right's (each in
  LogicalSchema.withPseudoAndKeyColsInValue's order: value columns, ROWTIME, ROWPARTITION, ROWOFFSET, key
  columns), then a null for each synthetic key column, which the joiner leaves unpopulated.
- An aggregation's WHERE (SqlPredicate, and a nested failure through SqlToJavaVisitor.evaluateOrReturnNull)
  is given the source's row.
- LoggingTimestampExtractor.handleFailure logs "key:" + the record's key + ", value:" + its value: a
  GenericKey (`['a']`) and a GenericRow (`[ 'x' | 2L ]`) as their toString write them."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from conftest import LogEngine

ROWS = {"ksql.logging.processing.rows.include": "true"}
STREAM = "CREATE STREAM S (K STRING KEY, A INT, D STRING) WITH (KAFKA_TOPIC='s', PARTITIONS=1, FORMAT='JSON');"
TABLE = "CREATE TABLE T (ID STRING PRIMARY KEY, B INT) WITH (KAFKA_TOPIC='t', PARTITIONS=1, FORMAT='JSON');"


def errors(le: LogEngine) -> list[dict[str, Any]]:
    return [m["recordProcessingError"] for m in le.messages() if m["type"] == 1]


def test_a_stream_table_join_logs_the_joined_row(make_log: Callable[..., LogEngine]) -> None:
    """SelectValueMapper over a stream-table join: the stream's row (A, D, ROWTIME, ROWPARTITION, ROWOFFSET,
    K), then the table's (B, ROWTIME, ROWPARTITION, ROWOFFSET, ID)."""
    le = make_log(ROWS)
    le.sql(STREAM + TABLE)
    le.sql("CREATE STREAM J AS SELECT S.K, CAST(S.D AS INT) AS X FROM S JOIN T ON S.K = T.ID;")
    le.produce("t", b'"k"', {"B": 0}, 1)
    le.produce("s", b'"k"', {"A": 1, "D": "x"}, 5)
    [error] = errors(le)
    assert error["errorMessage"] == "Error processing INTEGER"
    assert json.loads(error["record"]) == [1, "x", 5, 0, 0, "k", 0, 1, 0, 0, "k"]


def test_a_left_join_without_a_match_logs_nulls_for_the_right_side(make_log: Callable[..., LogEngine]) -> None:
    """KsqlValueJoiner fills a missing right row with nulls; the WHERE's SqlPredicate logs that row."""
    le = make_log(ROWS)
    le.sql(STREAM + TABLE)
    le.sql("CREATE STREAM J AS SELECT S.K, T.B FROM S LEFT JOIN T ON S.K = T.ID WHERE CAST(S.D AS INT) > 0;")
    le.produce("s", b'"k"', {"A": 1, "D": "x"}, 5)
    # the CAST's failure, then the predicate's own: SqlPredicate's false default, returned by the CAST's catch
    # block as `(java.lang.Integer) defaultValue`, is a ClassCastException (SqlToJavaVisitor.evaluateOrReturnNull)
    error, predicate = errors(le)
    assert predicate["errorMessage"].startswith("Error evaluating predicate (CAST(")
    assert predicate["record"] == error["record"]
    assert json.loads(error["record"]) == [1, "x", 5, 0, 0, "k", None, None, None, None, None]


def test_a_synthetic_join_key_is_a_trailing_null(make_log: Callable[..., LogEngine]) -> None:
    """A FULL OUTER join's key is synthetic (ROWKEY): the joiner appends an unpopulated null for it."""
    le = make_log(ROWS)
    le.sql(STREAM)
    le.sql("CREATE STREAM S2 (K STRING KEY, C INT) WITH (KAFKA_TOPIC='s2', PARTITIONS=1, FORMAT='JSON');")
    le.sql(
        "CREATE STREAM J AS SELECT ROWKEY, CAST(S.D AS INT) AS X FROM S FULL OUTER JOIN S2 WITHIN 1 HOUR "
        "ON S.K = S2.K;"
    )
    le.produce("s2", b'"k"', {"C": 3}, 4)
    le.produce("s", b'"k"', {"A": 1, "D": "x"}, 5)
    [error] = errors(le)
    assert json.loads(error["record"]) == [1, "x", 5, 0, 0, "k", 3, 4, 0, 0, "k", None]


def test_an_aggregation_where_logs_the_source_row(make_log: Callable[..., LogEngine]) -> None:
    """A nested failure in an aggregation's WHERE: the source's row, as for a projection's WHERE."""
    le = make_log(ROWS)
    le.sql(STREAM)
    le.sql("CREATE TABLE AGG AS SELECT K, COUNT(*) AS C FROM S WHERE CAST(D AS INT) > 0 GROUP BY K;")
    le.produce("s", b'"k"', {"A": 1, "D": "x"}, 5)
    # the CAST's failure, then the predicate's own: SqlPredicate's false default, returned by the CAST's catch
    # block as `(java.lang.Integer) defaultValue`, is a ClassCastException (SqlToJavaVisitor.evaluateOrReturnNull)
    error, predicate = errors(le)
    assert predicate["errorMessage"].startswith("Error evaluating predicate (CAST(")
    assert predicate["record"] == error["record"]
    assert error["errorMessage"] == "Error processing INTEGER"
    assert json.loads(error["record"]) == [1, "x", 5, 0, 0, "k"]


def test_an_aggregation_over_a_join_logs_the_joined_row(make_log: Callable[..., LogEngine]) -> None:
    """An aggregation of a join: its WHERE is given the joined row."""
    le = make_log(ROWS)
    le.sql(STREAM + TABLE)
    le.sql(
        "CREATE TABLE AGG AS SELECT S.K, COUNT(*) AS C FROM S JOIN T ON S.K = T.ID WHERE CAST(S.D AS INT) > 0 "
        "GROUP BY S.K;"
    )
    le.produce("t", b'"k"', {"B": 0}, 1)
    le.produce("s", b'"k"', {"A": 1, "D": "x"}, 5)
    # the CAST's failure, then the predicate's own: SqlPredicate's false default, returned by the CAST's catch
    # block as `(java.lang.Integer) defaultValue`, is a ClassCastException (SqlToJavaVisitor.evaluateOrReturnNull)
    error, predicate = errors(le)
    assert predicate["errorMessage"].startswith("Error evaluating predicate (CAST(")
    assert predicate["record"] == error["record"]
    assert json.loads(error["record"]) == [1, "x", 5, 0, 0, "k", 0, 1, 0, 0, "k"]


def test_rows_are_left_out_by_default(le: LogEngine) -> None:
    """ProcessingLogConfig.INCLUDE_ROWS defaults to false: no record."""
    le.sql(STREAM + TABLE)
    le.sql("CREATE STREAM J AS SELECT S.K, CAST(S.D AS INT) AS X FROM S JOIN T ON S.K = T.ID;")
    le.produce("t", b'"k"', {"B": 0}, 1)
    le.produce("s", b'"k"', {"A": 1, "D": "x"}, 5)
    [error] = errors(le)
    assert error["record"] is None


def test_a_timestamp_that_cannot_be_extracted_logs_the_key_and_value(make_log: Callable[..., LogEngine]) -> None:
    """LoggingTimestampExtractor.handleFailure: "key:" + GenericKey + ", value:" + GenericRow (the value
    columns only: strings quoted, BIGINTs with an L, a DOUBLE as Double.toString, an ARRAY as a Java List, a
    STRUCT as Connect's Struct.toString, which leaves null fields out)."""
    le = make_log(ROWS)
    le.sql(
        "CREATE STREAM SRC (K STRING KEY, TS STRING, N BIGINT, D DOUBLE, A ARRAY<STRING>, S STRUCT<X INT, Y STRING>) "
        "WITH (KAFKA_TOPIC='src', PARTITIONS=1, FORMAT='JSON', TIMESTAMP='TS', TIMESTAMP_FORMAT='yyyy-MM-dd');"
    )
    le.sql("CREATE STREAM OUT AS SELECT * FROM SRC;")
    le.produce("src", b'"b"', {"TS": "not a date", "N": 2, "D": 1.5, "A": ["p", None], "S": {"X": 1, "Y": None}}, 6)
    le.produce("src", b'"c"', {"TS": None, "N": 2}, 6)
    le.produce("src", b'"d"', None, 6)
    records = [e["record"] for e in errors(le)]
    assert records == [
        "key:['b'], value:[ 'not a date' | 2L | 1.5 | [p, null] | Struct{X=1} ]",
        "key:['c'], value:[ null | 2L | null | null | null ]",
        "key:['d'], value:null",
    ]
