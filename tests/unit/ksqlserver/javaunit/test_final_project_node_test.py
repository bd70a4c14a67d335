"""ksqlDB 0.29's FinalProjectNodeTest (ksqldb-engine, io.confluent.ksql.planner.plan): the persistent query's
final projection: value columns required, a key column selected once, struct stars, the synthetic join key."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:  # the fixture's helper (conftest is not importable under --import-mode=importlib)
    from conftest import Ksql


def test_no_value_columns(ksql: Ksql) -> None:
    """shouldThrowOnValidateIfSchemaHasNoValueColumns."""
    assert ksql.message("CREATE STREAM OUT AS SELECT col0 AS alias FROM test1;") == (
        "The projection contains no value columns."
    )


def test_key_column_more_than_once(ksql: Ksql) -> None:
    """shouldThrowOnValidateIfMultipleKeyColumns."""
    msg = ksql.message("CREATE STREAM OUT AS SELECT col0 AS grace, col0 AS peter, col1 FROM test1;")
    assert "The projection contains a key column (`COL0`) more than once, aliased as: GRACE and PETER" in msg


@pytest.mark.parametrize(
    ("select", "expected"),
    [
        # shouldNotThrowOnSelectStructStarInProjection
        ("ORDERTIME, ITEMINFO->*",
         "`ORDERTIME` BIGINT KEY, `ITEMID` BIGINT, `NAME` STRING, `CATEGORY` STRUCT<`ID` BIGINT, `NAME` STRING>"),
        # shouldNotThrowOnSelectStructStarFromNestedStructInProjection
        ("ORDERTIME, ITEMINFO->CATEGORY->*", "`ORDERTIME` BIGINT KEY, `ID` BIGINT, `NAME` STRING"),
        # shouldNotThrowOnSelectStructReferenceInProjection
        ("ORDERTIME, ADDRESS AS A",
         "`ORDERTIME` BIGINT KEY, `A` STRUCT<`NUMBER` BIGINT, `STREET` STRING, `CITY` STRING, `STATE` STRING, "
         "`ZIPCODE` BIGINT>"),
    ],
)  # fmt: skip
def test_struct_projections(ksql: Ksql, select: str, expected: str) -> None:
    """FinalProjectNodeTest's struct references and struct stars."""
    ksql.execute(f"CREATE STREAM OUT AS SELECT {select} FROM ORDERS;")
    assert ksql.schema("OUT") == expected


def test_synthetic_key_in_projection(ksql: Ksql) -> None:
    """shouldNotThrowOnSyntheticKeyColumnInProjection: a FULL OUTER join's ROWKEY may be selected, aliased."""
    ksql.execute(
        "CREATE TABLE OUT AS SELECT ROWKEY AS ALIAS, t2.col1 AS a, t3.col1 AS b FROM test2 t2 "
        "FULL OUTER JOIN test3 t3 ON t2.col0 = t3.col0;"
    )
    assert ksql.schema("OUT") == "`ALIAS` BIGINT PRIMARY KEY, `A` STRING, `B` STRING"


@pytest.mark.parametrize("select", ["ROWKEY AS ALIAS", "ROWKEY_1 + 1 AS ALIAS"])
def test_unknown_synthetic_key_like_column(ksql: Ksql, select: str) -> None:
    """shouldThrowOnUnknownSyntheticKeyLikeColumnInProjection: a join without a synthetic key has no ROWKEY.
    The Analyzer lets the name through (ColumnReferenceValidator.couldBeSyntheticJoinColumn); through SQL the
    FinalProjectNode's constructor types its projection over the join's schema (SelectionUtil.build
    ProjectionSchema) before its own check of unknown columns, so ExpressionTypeManager words the refusal."""
    msg = ksql.message(
        f"CREATE TABLE OUT AS SELECT {select}, t2.col1 AS a FROM test2 t2 JOIN test3 t3 ON t2.col0 = t3.col0;"
    )
    assert msg == f"Unknown column {select.split()[0]}."
