"""Port of ksqlDB 0.29 `io.confluent.ksql.planner.ProjectionTest` (containsExpression: shouldMatchEverythingOnUnqualifiedAllColumns,
shouldMatchQualifiedColumnToMatchingQualifiedAllColumns, shouldNotMatchQualifiedColumnToQualifiedAllColumnsIfDifferentSource,
shouldMatch/NotMatch...SingleColumn, shouldMatchExpressionToMatchingSingleColumn,
shouldNotMatchExpressionNonMatchingExpression; the equals and unsupported-item cases have no SQL form).

Projection.containsExpression is how PlanNode.validateKeyPresent / JoinNode.validateKeyPresent decide
that a persistent query's projection holds its key: an unqualified `*` holds anything, even a PARTITION BY
expression; `<alias>.*` holds that source's columns (a join's viable key columns are asked both as
rewritten and as the original qualified references); a single column holds the expression it is."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def n(nodes: Any) -> Any:
    with_ = "VALUE_FORMAT='JSON', PARTITIONS=1"
    nodes.sql(f"CREATE STREAM A (K STRING KEY, COL0 STRING, COL1 INT) WITH (KAFKA_TOPIC='a', {with_});")
    nodes.sql(f"CREATE TABLE B (ID STRING PRIMARY KEY, COL0 STRING) WITH (KAFKA_TOPIC='b', {with_});")
    return nodes


def test_should_match_everything_on_unqualified_all_columns(n: Any) -> None:
    """shouldMatchEverythingOnUnqualifiedAllColumns: `*` holds the PARTITION BY expression."""
    n.sql("CREATE STREAM P AS SELECT * FROM A PARTITION BY UCASE(COL0);")
    assert n.schema("P") == "`KSQL_COL_0` STRING KEY, `COL0` STRING, `COL1` INTEGER, `K` STRING"


def test_should_match_expression_to_matching_single_column(n: Any) -> None:
    """shouldMatchExpressionToMatchingSingleColumn: the same expression selected holds the key, qualified
    or not (both are the source's column); shouldNotMatchExpressionNonMatchingExpression: another one does not."""
    n.sql("CREATE STREAM P1 AS SELECT UCASE(COL0), COL1 FROM A PARTITION BY UCASE(COL0);")
    n.sql("CREATE STREAM P2 AS SELECT UCASE(A.COL0), COL1 FROM A PARTITION BY UCASE(COL0);")
    assert n.schema("P1") == n.schema("P2") == "`KSQL_COL_0` STRING KEY, `COL1` INTEGER"
    assert n.fails("CREATE STREAM P3 AS SELECT LCASE(COL0), COL1 FROM A PARTITION BY UCASE(COL0);") == (
        "Key missing from projection (ie, SELECT). \nThe query used to build `P3` must include the partitioning "
        "expression UCASE(A.COL0) in its projection (eg, SELECT UCASE(A.COL0)...)."
    )


def test_should_match_qualified_column_to_matching_qualified_all_columns(n: Any) -> None:
    """shouldMatchQualifiedColumnToMatchingQualifiedAllColumns: `B.*` holds B.ID, a viable join key; so
    does `A.*` hold A.K."""
    n.sql("CREATE STREAM J1 AS SELECT B.* FROM A JOIN B ON A.K = B.ID;")
    assert n.schema("J1") == "`B_ID` STRING KEY, `B_COL0` STRING"
    n.sql("CREATE STREAM J2 AS SELECT A.* FROM A LEFT JOIN B ON A.K = B.ID;")
    assert n.schema("J2") == "`A_K` STRING KEY, `A_COL0` STRING, `A_COL1` INTEGER"


def test_should_not_match_column_of_another_source(n: Any) -> None:
    """shouldNotMatchQualifiedColumnToQualifiedAllColumnsIfDifferentSource /
    shouldNotMatchQualifiedColumnToDifferentQualifiedSingleColumn: a column of the other side, or a non-key
    column, holds no key."""
    msg = (
        "Key missing from projection (ie, SELECT). \nThe query used to build `J` must include the join "
        "expressions A.K or B.ID in its projection (eg, SELECT A.K...)."
    )
    assert n.fails("CREATE STREAM J AS SELECT B.COL0, A.COL1 FROM A JOIN B ON A.K = B.ID;") == msg


def test_should_match_qualified_column_to_matching_single_column(n: Any) -> None:
    """shouldMatchQualifiedColumnToMatchingSingleColumn: `A.K` selected holds the key A.K."""
    n.sql("CREATE STREAM J AS SELECT A.K, B.COL0 AS C FROM A JOIN B ON A.K = B.ID;")
    assert n.schema("J") == "`K` STRING KEY, `C` STRING"


def test_full_outer_join_has_no_source_key(n: Any) -> None:
    """JoinTree: a full outer join's key is synthetic; no source's `*` holds it, the unqualified `*` does."""
    n.sql("CREATE STREAM S2 (K STRING KEY, X INT) WITH (KAFKA_TOPIC='s2', VALUE_FORMAT='JSON', PARTITIONS=1);")
    n.sql("CREATE STREAM J1 AS SELECT * FROM A FULL OUTER JOIN S2 WITHIN 1 HOUR ON A.K = S2.K;")
    assert n.schema("J1").startswith("`ROWKEY` STRING KEY, `A_K` STRING")
    assert n.fails("CREATE STREAM J2 AS SELECT S2.* FROM A FULL OUTER JOIN S2 WITHIN 1 HOUR ON A.K = S2.K;").startswith(
        "Key missing from projection (ie, SELECT). See https://cnfl.io/2LV7ouS.\n"
        "The query used to build `J2` must include the join expression ROWKEY in its projection"
    )
