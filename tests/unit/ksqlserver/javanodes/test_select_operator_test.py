"""Port of ksqlDB 0.29 `io.confluent.ksql.execution.common.operators.SelectOperatorTest` (shouldSelectKeyNonWindowed,
shouldSelectKeyWindowed).

SelectOperator applies a pull query's WHERE to each row read, over the intermediate row (values, ROWTIME,
key columns and, for a windowed table, WINDOWSTART and WINDOWEND), and passes on the rows that match. The
Java rows (key `k`, values `a`, `b`, ROWTIME 12335) are a source table's row and a 10 ms tumbling window's
aggregate here."""

from __future__ import annotations

from typing import Any

import pytest

A_ROWTIME = 12335


@pytest.fixture
def n(nodes: Any) -> Any:
    nodes.sql("CREATE SOURCE TABLE T (K0 STRING PRIMARY KEY, V0 STRING, V1 STRING) "
              "WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON', PARTITIONS=1);")  # fmt: skip
    nodes.insert("T", {"K0": "k", "V0": "a", "V1": "b", "ROWTIME": A_ROWTIME},
                 {"K0": "j", "V0": "c", "V1": "d", "ROWTIME": A_ROWTIME + 1})  # fmt: skip
    nodes.sql("CREATE STREAM S (K0 STRING KEY, V0 STRING, V1 STRING) "
              "WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);")  # fmt: skip
    nodes.sql("CREATE TABLE W AS SELECT K0, LATEST_BY_OFFSET(V0) AS V0, LATEST_BY_OFFSET(V1) AS V1 FROM S "
              "WINDOW TUMBLING (SIZE 10 MILLISECONDS) GROUP BY K0;")  # fmt: skip
    nodes.insert("S", {"K0": "k", "V0": "a", "V1": "b", "ROWTIME": A_ROWTIME})
    return nodes


def test_should_select_key_non_windowed(n: Any) -> None:
    """shouldSelectKeyNonWindowed: the row whose key, values and ROWTIME match passes."""
    assert n.rows("SELECT * FROM T WHERE K0 = 'k' AND ROWTIME = 12335;") == [["k", "a", "b"]]
    assert n.rows("SELECT * FROM T WHERE K0 = 'k' AND ROWTIME > 12335;") == []
    assert n.rows("SELECT V0 FROM T WHERE V1 = 'd';") == [["c"]]
    assert n.rows("SELECT K0 FROM T WHERE ROWTIME >= 12335 AND V0 = 'a';") == [["k"]]


def test_should_select_key_windowed(n: Any) -> None:
    """shouldSelectKeyWindowed: ... and the window bounds."""
    assert n.rows("SELECT * FROM W WHERE K0 = 'k' AND ROWTIME = 12335;") == [["k", 12330, 12340, "a", "b"]]
    assert n.rows("SELECT V1 FROM W WHERE K0 = 'k' AND WINDOWSTART = 12330 AND WINDOWEND = 12340;") == [["b"]]
    assert n.rows("SELECT V1 FROM W WHERE K0 = 'k' AND WINDOWSTART > 12330;") == []


def test_a_failing_where_leaves_the_row_out(make_nodes: Any) -> None:
    """SqlPredicate's transformer evaluates the WHERE with false as its default: a row on which it fails
    (here a division by zero) is logged with the rewritten predicate (PullQueryRewriter's DNF, unqualified)
    and left out, and the pull query goes on."""
    n = make_nodes(processing_log=True)
    n.sql("CREATE SOURCE TABLE T (K0 STRING PRIMARY KEY, V0 STRING) "
          "WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON', PARTITIONS=1);")  # fmt: skip
    n.insert("T", {"K0": "k", "V0": "a", "ROWTIME": A_ROWTIME}, {"K0": "j", "V0": "c", "ROWTIME": A_ROWTIME + 1})
    assert n.rows("SELECT K0 FROM T WHERE LEN(T.V0) / (ROWTIME - 12335) > 0 AND K0 IN ('k', 'j');") == [["j"]]
    [error] = [m["recordProcessingError"] for m in n.processing_log() if m["type"] == 1]
    assert error["errorMessage"] == (
        "Error evaluating predicate ((((LEN(V0) / (ROWTIME - 12335)) > 0) AND (K0 = 'k')) OR "
        "(((LEN(V0) / (ROWTIME - 12335)) > 0) AND (K0 = 'j')))"
    )
    assert error["cause"] == ["/ by zero"]
