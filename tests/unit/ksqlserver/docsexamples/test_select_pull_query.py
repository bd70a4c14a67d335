"""docs/developer-guide/ksqldb-reference/select-pull-query.md: its examples (TOP_TEN_RANKS key lookup,
table scan and range, the STUDENTS stream, the INNER_JOIN table, the windowed NUMBER_OF_TESTS table with
WINDOWSTART / WINDOWEND bounds, ROWTIME in SELECT and WHERE) over records of our own, since the page shows
no outputs; its statements' own mistakes are noted where the source refuses them."""

from __future__ import annotations

import json
import struct
from typing import Any

import pytest

from ksqlserver.drivers.base import Record
from ksqlserver.errors import KsqlError

from .conftest import Docs, pull


def _error(h: Docs, sql: str) -> str:
    with pytest.raises(KsqlError) as err:
        pull(h, sql)
    return err.value.message


def _grades(h: Docs) -> None:
    h.sql("CREATE TABLE GRADES (ID INT PRIMARY KEY, GRADE STRING, RANK INT) "
          "WITH (kafka_topic = 'test_topic', value_format = 'JSON', partitions = 1);")  # fmt: skip
    h.sql("CREATE TABLE TOP_TEN_RANKS AS SELECT ID, RANK FROM GRADES WHERE RANK <= 10;")
    rows = [(3, "A", 1), (4, "B", 5), (5, "C", 7), (6, "D", 12), (7, "E", 6)]
    h.driver.produce("test_topic", [
        Record(struct.pack(">i", k), json.dumps({"GRADE": g, "RANK": r}).encode(), 1000 * (k - 2))
        for k, g, r in rows
    ])  # fmt: skip


def test_pull_queries_on_a_derived_table(docs: Any) -> None:
    """"Pull queries": the key lookup ID = 5, the table scan, and the RANK range (4, 8) (ID 6 is filtered
    out of TOP_TEN_RANKS by RANK <= 10); a CREATE TABLE source is not queryable (PullQueryExecutionUtil's
    message)."""
    h = docs()
    _grades(h)
    assert pull(h, "SELECT * FROM TOP_TEN_RANKS WHERE ID = 5;") == [[5, 7]]
    assert pull(h, "SELECT * FROM TOP_TEN_RANKS;") == [[3, 1], [4, 5], [5, 7], [7, 6]]
    assert pull(h, "SELECT * FROM TOP_TEN_RANKS WHERE RANK > 4 AND RANK < 8;") == [[4, 5], [5, 7], [7, 6]]
    assert pull(h, "SELECT * FROM TOP_TEN_RANKS LIMIT 1;") == [[3, 1]]
    assert _error(h, "SELECT * FROM GRADES;") == (
        "The `GRADES` table isn't queryable. To derive a queryable table, you can do 'CREATE TABLE "
        "QUERYABLE_GRADES AS SELECT * FROM GRADES'. See https://cnfl.io/queries for more info.\n"
        "Add EMIT CHANGES if you intended to issue a push query."
    )


def test_pull_queries_with_pseudo_columns(docs: Any) -> None:
    """"Pull queries with pseudo columns": ROWTIME in SELECT and WHERE (a table row's ROWTIME is its
    latest record's timestamp)."""
    h = docs()
    _grades(h)
    assert pull(h, "SELECT ID, ROWTIME FROM TOP_TEN_RANKS WHERE ROWTIME > 2000;") == [[5, 3000], [7, 5000]]


def _students(h: Docs) -> None:
    h.sql("CREATE STREAM STUDENTS (ID STRING KEY, SCORE INT) "
          "WITH (kafka_topic='students_topic', value_format='JSON', partitions=1);")  # fmt: skip
    for k, score, ts in [("10", 3, 100), ("10", 9, 900), ("11", 7, 1500), ("10", 4, 15500)]:
        h.produce("students_topic", k, {"SCORE": score}, ts)


def test_pull_query_on_a_stream(docs: Any) -> None:
    """"STREAM": the page's `WHERE rank > 5` names a column STUDENTS has not got, which the source refuses
    (UnknownColumnException, "WHERE column ... cannot be resolved."); on SCORE the scan filters."""
    h = docs()
    _students(h)
    assert _error(h, "SELECT * FROM STUDENTS WHERE rank > 5;") == (
        "Line: 1, Col: 30: WHERE column 'RANK' cannot be resolved."
    )
    assert pull(h, "SELECT * FROM STUDENTS WHERE score > 5;") == [["10", 9], ["11", 7]]


def test_pull_queries_on_a_windowed_table(docs: Any) -> None:
    """"WINDOW": NUMBER_OF_TESTS by ID='10', and within 100 <= WindowStart AND WindowEnd <= 16000 (the
    window [0, 1000) starts before 100)."""
    h = docs()
    _students(h)
    h.sql("CREATE TABLE NUMBER_OF_TESTS AS SELECT ID, COUNT(1) AS COUNT FROM STUDENTS "
          "WINDOW TUMBLING(SIZE 1 SECOND) GROUP BY ID;")  # fmt: skip
    assert pull(h, "SELECT * FROM NUMBER_OF_TESTS WHERE ID='10';") == [
        ["10", 0, 1000, 2], ["10", 15000, 16000, 1]
    ]  # fmt: skip
    assert pull(h, "SELECT * FROM NUMBER_OF_TESTS WHERE ID='10' AND 100 <= WindowStart AND "
                   "WindowEnd <= 16000;") == [["10", 15000, 16000, 1]]  # fmt: skip
    assert pull(h, "SELECT * FROM NUMBER_OF_TESTS WHERE ID='10' AND 100 <= WindowStart AND "
                   "WindowEnd <= 15999;") == []  # fmt: skip


def test_pull_query_on_a_join_table(docs: Any) -> None:
    """"INNER JOIN": INNER_JOIN's key column, selected as L.ID without an alias, is named L_ID (a join's
    qualified column gets its source's prefix), so that is the column to look a key up with."""
    h = docs()
    h.sql("CREATE TABLE LEFT_TABLE (ID BIGINT PRIMARY KEY, NAME varchar, VALUE bigint) "
          "WITH (kafka_topic='left_topic', value_format='JSON', partitions=1);")  # fmt: skip
    h.sql("CREATE TABLE RIGHT_TABLE (ID BIGINT PRIMARY KEY, F1 varchar, F2 bigint) "
          "WITH (kafka_topic='right_topic', value_format='JSON', partitions=1);")  # fmt: skip
    h.sql("CREATE TABLE INNER_JOIN AS SELECT L.ID, NAME, VALUE, F1, F2 FROM LEFT_TABLE L "
          "JOIN RIGHT_TABLE R ON L.ID = R.ID;")  # fmt: skip
    h.driver.produce("left_topic", [Record(struct.pack(">q", 1), b'{"NAME":"a","VALUE":10}', 1),
                                    Record(struct.pack(">q", 2), b'{"NAME":"b","VALUE":20}', 1)])  # fmt: skip
    h.driver.produce("right_topic", [Record(struct.pack(">q", 1), b'{"F1":"x","F2":100}', 2)])
    assert [c.name for c in h.source("INNER_JOIN").schema.key] == ["L_ID"]
    assert pull(h, "SELECT * FROM INNER_JOIN;") == [[1, "a", 10, "x", 100]]
    assert pull(h, "SELECT * FROM INNER_JOIN WHERE L_ID = 1;") == [[1, "a", 10, "x", 100]]
