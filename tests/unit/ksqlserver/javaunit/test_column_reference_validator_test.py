"""ksqlDB 0.29's ColumnReferenceValidatorTest (ksqldb-engine, io.confluent.ksql.analyzer): unknown column
references, their positions, and where a join's synthetic key may be named before the plan knows it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:  # the fixture's helper (conftest is not importable under --import-mode=importlib)
    from conftest import Ksql

_JOIN = "FROM test1 t1 JOIN test2 t2 ON t1.col0 = t2.col0"


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        # shouldThrowOnNoSources / shouldIncludeLocationInErrorIfKnown
        ("CREATE STREAM OUT AS SELECT COL0,\n   JUST_NAME FROM TEST1;",
         "Line: 2, Col: 4: SELECT column 'JUST_NAME' cannot be resolved."),
        # shouldThrowOnPossibleSyntheticKeyColumnIfNotPossible: an aggregation has no synthetic key
        (f"CREATE TABLE OUT AS SELECT ROWKEY, COUNT(*) AS C {_JOIN} GROUP BY t1.col1;",
         "SELECT column 'ROWKEY' cannot be resolved."),
        # shouldThrowOnPossibleSyntheticKeyColumnIfNotJoin
        ("CREATE STREAM OUT AS SELECT ROWKEY, COL1 FROM TEST1;", "SELECT column 'ROWKEY' cannot be resolved."),
        # shouldThrowOnPossibleSyntheticKeyColumnIfQualifiedColumnReference
        (f"CREATE STREAM OUT AS SELECT t1.ROWKEY, t1.col1 {_JOIN};",
         "SELECT column 'T1.ROWKEY' cannot be resolved."),
        # shouldThrowOnPossibleSyntheticKeyColumnIfNotSelect
        (f"CREATE STREAM OUT AS SELECT t1.col0, t1.col1 {_JOIN} WHERE ROWKEY = 1;",
         "WHERE column 'ROWKEY' cannot be resolved."),
        # shouldThrowOnPossibleSyntheticKeyColumnIfNotValidSyntheticKeyColumnName
        (f"CREATE STREAM OUT AS SELECT NOT_ROWKEY, t1.col1 {_JOIN};",
         "SELECT column 'NOT_ROWKEY' cannot be resolved."),
    ],
)  # fmt: skip
def test_unknown_columns(ksql: Ksql, sql: str, expected: str) -> None:
    """ColumnReferenceValidator.validateColumn / couldBeSyntheticJoinColumn."""
    assert expected in ksql.message(sql)


def test_possible_synthetic_key(ksql: Ksql) -> None:
    """shouldNotThrowOnPossibleSyntheticKeyColumn: an unqualified ROWKEY in a join's SELECT is the synthetic
    key of a FULL OUTER join."""
    ksql.execute(
        "CREATE TABLE OUT AS SELECT ROWKEY, t2.col1 AS A FROM test2 t2 FULL OUTER JOIN test3 t3 "
        "ON t2.col0 = t3.col0;"
    )
    assert ksql.schema("OUT") == "`ROWKEY` BIGINT PRIMARY KEY, `A` STRING"


def test_source_of_column_refs(ksql: Ksql) -> None:
    """shouldGetSourceForUnqualifiedColumnRef / shouldGetSourceForQualifiedColumnRef: a column only one
    source has resolves unqualified."""
    ksql.execute(f"CREATE STREAM OUT AS SELECT t1.col0, col5, t2.col4 AS B {_JOIN};")
    assert ksql.schema("OUT") == "`T1_COL0` BIGINT KEY, `COL5` MAP<STRING, DOUBLE>, `B` BOOLEAN"
