"""Port of ksqlDB 0.29 `io.confluent.ksql.engine.rewrite.DataSourceExtractorTest`: the sources (and aliases)
a query reads, unknown sources, and which column names clash between joined sources.

`getAllSources()` shows as the alias prefixes of a join's SELECT * columns; `isClashingColumnName` as the
"is ambiguous" error an unqualified clashing name gets (and a non-clashing one resolving). MetaStoreFixture's
TEST1, TEST2 and ORDERS are trimmed to the columns used; joins are on TEST2's primary key, as a
stream-table join must be."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

W = "VALUE_FORMAT='JSON', PARTITIONS=1"


@pytest.fixture
def p(make_pull: Callable[..., Any]) -> Any:
    p = make_pull(tables=False)
    p.execute(f"CREATE STREAM TEST1 (COL0 BIGINT KEY, COL1 STRING, COL2 STRING) WITH (KAFKA_TOPIC='test1', {W});")
    p.execute(f"CREATE TABLE TEST2 (COL0 BIGINT PRIMARY KEY, COL1 STRING, COL4 BOOLEAN) WITH (KAFKA_TOPIC='test2', {W});")
    p.execute(f"CREATE STREAM ORDERS (ORDERTIME BIGINT KEY, ITEMID STRING) WITH (KAFKA_TOPIC='orders_topic', {W});")
    return p


def _schema(p: Any, name: str) -> str:
    src = p.source(name)
    return str(src.schema.describe(src.is_table))


def test_should_extract_unaliased_and_aliased_data_sources(p: Any) -> None:
    """shouldExtractUnaliasedDataSources / shouldHandleAliasedDataSources."""
    p.execute("CREATE STREAM X1 AS SELECT * FROM TEST1;")
    p.execute("CREATE STREAM X2 AS SELECT T.COL0, T.COL1 FROM TEST1 t;")
    assert _schema(p, "X1") == "`COL0` BIGINT KEY, `COL1` STRING, `COL2` STRING"
    assert _schema(p, "X2") == "`COL0` BIGINT KEY, `COL1` STRING"


@pytest.mark.parametrize("sql", [
    "SELECT * FROM UNKNOWN",
    "SELECT * FROM UNKNOWN JOIN TEST2 ON UNKNOWN.col1 = test2.col0",
    "SELECT * FROM TEST1 JOIN UNKNOWN ON test1.col1 = UNKNOWN.col1",
], ids=["from", "left", "inner"])  # fmt: skip
def test_should_throw_if_source_does_not_exist(p: Any, sql: str) -> None:
    """shouldThrowIfSourceDoesNotExist / shouldThrowIfLeftJoinSourceDoesNotExist /
    shouldThrowIfInnerJoinSourceDoesNotExist."""
    assert "UNKNOWN does not exist." in p.fails(f"CREATE STREAM X AS {sql};")


def test_should_extract_join_data_sources(p: Any) -> None:
    """shouldExtractUnaliasedJoinDataSources / shouldHandleAliasedJoinDataSources: a join's sources by their
    aliases (the source names when unaliased)."""
    p.execute("CREATE STREAM X1 AS SELECT * FROM TEST1 JOIN TEST2 ON test1.col0 = test2.col0;")
    p.execute("CREATE STREAM X2 AS SELECT * FROM TEST1 t1 JOIN TEST2 t2 ON t1.col0 = t2.col0;")
    assert _schema(p, "X1") == ("`TEST1_COL0` BIGINT KEY, `TEST1_COL1` STRING, `TEST1_COL2` STRING, "
                                "`TEST2_COL0` BIGINT, `TEST2_COL1` STRING, `TEST2_COL4` BOOLEAN")  # fmt: skip
    assert _schema(p, "X2") == ("`T1_COL0` BIGINT KEY, `T1_COL1` STRING, `T1_COL2` STRING, "
                                "`T2_COL0` BIGINT, `T2_COL1` STRING, `T2_COL4` BOOLEAN")  # fmt: skip


def test_should_detect_clashing_column_names(p: Any) -> None:
    """shouldDetectClashingColumnNames / shouldIncludePseudoColumnsInClashingNames: COL0 and the pseudo
    columns are in both sources."""
    for column in ("COL0", "ROWTIME", "ROWPARTITION", "ROWOFFSET"):
        message = p.fails(f"CREATE STREAM X AS SELECT T1.COL1, {column} FROM TEST1 t1 JOIN TEST2 t2 ON t1.col0 = t2.col0;")
        assert f"Column '{column}' is ambiguous. Could be T1.{column} or T2.{column}." in message


def test_should_detect_clashing_column_names_even_if_one_join_source_has_no_clash(p: Any) -> None:
    """shouldDetectClashingColumnNamesEvenIfOneJoinSourceHasNoClash / shouldDetectNoneClashingColumnNames:
    in a three-way join COL0 still clashes (TEST1, TEST2) and ORDERTIME (ORDERS only) does not."""
    joins = ("FROM ORDERS JOIN TEST1 t1 WITHIN 1 SECOND ON ORDERS.ITEMID = T1.COL1 "
             "JOIN TEST2 t2 ON t1.col0 = t2.col0")  # fmt: skip
    assert "Column 'COL0' is ambiguous" in p.fails(f"CREATE STREAM X AS SELECT T1.COL0, COL0 {joins};")
    p.execute(f"CREATE STREAM X AS SELECT T1.COL0, ORDERTIME {joins};")
    assert _schema(p, "X") == "`T1_COL0` BIGINT KEY, `ORDERTIME` BIGINT"
