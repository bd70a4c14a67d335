"""Port of ksqlDB 0.29 `io.confluent.ksql.execution.common.operators.ProjectOperatorTest` (shouldProjectAllColumnsWhenSelectStar(Non)Windowed,
shouldCallTransformWithCorrectArguments(Windowed), shouldProjectOnlyKeyNonWindowed, shouldProjectOnlyValueNonWindowed,
shouldProjectOnlyWindowStartWindowed, shouldProjectKeyAndValue(Non)Windowed).

ProjectOperator turns each row a pull query reads into the projection: `*` is the key columns, the window
bounds of a windowed table, then the value columns; other projections are evaluated over the intermediate
row, which holds the values, ROWTIME, the key columns (and WINDOWSTART, WINDOWEND), so any of those can be
selected or computed with. The Java rows' key `k`, values `a`, `b` and ROWTIME 12335 are a source table's
row and a 10 ms tumbling window's aggregate here."""

from __future__ import annotations

from typing import Any

import pytest

A_ROWTIME = 12335


@pytest.fixture
def n(nodes: Any) -> Any:
    nodes.sql("CREATE SOURCE TABLE T (K0 STRING PRIMARY KEY, V0 STRING, V1 STRING) "
              "WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON', PARTITIONS=1);")  # fmt: skip
    nodes.insert("T", {"K0": "k", "V0": "a", "V1": "b", "ROWTIME": A_ROWTIME})
    nodes.sql("CREATE STREAM S (K0 STRING KEY, V0 STRING, V1 STRING) "
              "WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);")  # fmt: skip
    nodes.sql("CREATE TABLE W AS SELECT K0, LATEST_BY_OFFSET(V0) AS V0, LATEST_BY_OFFSET(V1) AS V1 FROM S "
              "WINDOW TUMBLING (SIZE 10 MILLISECONDS) GROUP BY K0;")  # fmt: skip
    nodes.insert("S", {"K0": "k", "V0": "a", "V1": "b", "ROWTIME": A_ROWTIME})
    return nodes


def _rows(n: Any, sql: str) -> tuple[list[tuple[str, str]], list[list[Any]]]:
    q = n.query(sql)
    try:
        rows: list[list[Any]] = []
        while not q.done:
            rows += q.poll(0.05)
        rows += q.poll(0.0)
        return q.columns, rows
    finally:
        q.close()


def test_should_project_all_columns_when_select_star_non_windowed(n: Any) -> None:
    """shouldProjectAllColumnsWhenSelectStarNonWindowed: key, then values."""
    assert _rows(n, "SELECT * FROM T WHERE K0 = 'k';") == (
        [("K0", "STRING"), ("V0", "STRING"), ("V1", "STRING")],
        [["k", "a", "b"]],
    )


def test_should_project_all_columns_when_select_star_windowed(n: Any) -> None:
    """shouldProjectAllColumnsWhenSelectStarWindowed: key, window start and end, then values."""
    assert _rows(n, "SELECT * FROM W WHERE K0 = 'k';") == (
        [("K0", "STRING"), ("WINDOWSTART", "BIGINT"), ("WINDOWEND", "BIGINT"), ("V0", "STRING"), ("V1", "STRING")],
        [["k", 12330, 12340, "a", "b"]],
    )


def test_should_project_only_key_non_windowed(n: Any) -> None:
    """shouldProjectOnlyKeyNonWindowed."""
    assert _rows(n, "SELECT K0 FROM T WHERE K0 = 'k';") == ([("K0", "STRING")], [["k"]])


def test_should_project_only_value_non_windowed(n: Any) -> None:
    """shouldProjectOnlyValueNonWindowed."""
    assert _rows(n, "SELECT V1 FROM T WHERE K0 = 'k';") == ([("V1", "STRING")], [["b"]])


def test_should_project_only_window_start_windowed(n: Any) -> None:
    """shouldProjectOnlyWindowStartWindowed."""
    assert _rows(n, "SELECT WINDOWSTART FROM W WHERE K0 = 'k';") == ([("WINDOWSTART", "BIGINT")], [[12330]])


@pytest.mark.parametrize("table", ["T", "W"])
def test_should_project_key_and_value(n: Any, table: str) -> None:
    """shouldProjectKeyAndValueNonWindowed / shouldProjectKeyAndValueWindowed."""
    assert _rows(n, f"SELECT K0, V1 FROM {table} WHERE K0 = 'k';") == ([("K0", "STRING"), ("V1", "STRING")], [["k", "b"]])


def test_should_call_transform_with_correct_arguments(n: Any) -> None:
    """shouldCallTransformWithCorrectArguments: the intermediate row holds ROWTIME and the key columns."""
    assert _rows(n, "SELECT ROWTIME, K0 AS X, CONCAT(K0, V0) AS Y FROM T WHERE K0 = 'k';") == (
        [("ROWTIME", "BIGINT"), ("X", "STRING"), ("Y", "STRING")],
        [[A_ROWTIME, "k", "ka"]],
    )


def test_should_call_transform_with_correct_arguments_windowed(n: Any) -> None:
    """shouldCallTransformWithCorrectArgumentsWindowed: ... and the window bounds."""
    assert _rows(n, "SELECT ROWTIME, WINDOWEND, WINDOWSTART + 1 AS WS, K0 FROM W WHERE K0 = 'k';") == (
        [("ROWTIME", "BIGINT"), ("WINDOWEND", "BIGINT"), ("WS", "BIGINT"), ("K0", "STRING")],
        [[A_ROWTIME, 12340, 12331, "k"]],
    )


def test_a_failing_column_is_null_and_logged(make_nodes: Any) -> None:
    """ProjectOperator's SelectValueMapper: a column that fails on a row is null, logged with its index
    among all the select expressions (keys count in a pull query's projection)."""
    n = make_nodes(processing_log=True)
    n.sql("CREATE SOURCE TABLE T (K0 STRING PRIMARY KEY, V0 STRING, V1 INT) "
          "WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON', PARTITIONS=1);")  # fmt: skip
    n.insert("T", {"K0": "k", "V0": "a", "V1": 0})
    assert n.rows("SELECT T.K0, LEN(T.V0) / V1 AS X FROM T WHERE K0 = 'k';") == [["k", None]]
    [error] = [m["recordProcessingError"] for m in n.processing_log() if m["type"] == 1]
    assert error["errorMessage"] == "Error computing expression (LEN(V0) / V1) for column X with index 1"
