"""ksqlDB 0.29's UserRepartitionNodeTest (ksqldb-engine, io.confluent.ksql.planner.plan): PARTITION BY's
output schema and the rule that the projection keeps the partitioning expression."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the fixture's helper (conftest is not importable under --import-mode=importlib)
    from conftest import Ksql


def test_projection_missing_partition_by(ksql: Ksql) -> None:
    """shouldThrowIfProjectionMissingPartitionBy (UserRepartitionNode.validateKeyPresent ->
    PlanNode.throwKeysNotIncludedError, the original expression as written)."""
    msg = ksql.message("CREATE STREAM S1 AS SELECT T.COL1 FROM TEST1 T PARTITION BY T.COL2;")
    assert msg == (
        "Key missing from projection (ie, SELECT). \nThe query used to build `S1` must include the "
        "partitioning expression T.COL2 in its projection (eg, SELECT T.COL2...)."
    )


def test_projection_has_partition_by(ksql: Ksql) -> None:
    """shouldNotThrowIfProjectionHasPartitionBy / shouldResolveSelectToPartitionByColumn: the partitioning
    column becomes the key."""
    ksql.execute("CREATE STREAM S1 AS SELECT T.COL2, T.COL1 FROM TEST1 T PARTITION BY T.COL2;")
    assert ksql.schema("S1") == "`COL2` STRING KEY, `COL1` STRING"


def test_partition_by_null(ksql: Ksql) -> None:
    """validateKeyPresent: PARTITION BY NULL needs no key in the projection (isPartitionByNull)."""
    ksql.execute("CREATE STREAM S1 AS SELECT COL1 FROM TEST1 PARTITION BY NULL;")
    assert ksql.schema("S1") == "`COL1` STRING"


def test_select_star(ksql: Ksql) -> None:
    """shouldResolveSelectStarIfSourceMatchesAndValuesOnly / ...SourceNotProvidedAndValuesOnly: SELECT * over
    PARTITION BY gives the new key, then the value columns, the old key among them."""
    ksql.execute("CREATE STREAM S1 AS SELECT * FROM TEST1 T PARTITION BY T.COL1;")
    ksql.execute("CREATE STREAM S2 AS SELECT T.* FROM TEST1 T PARTITION BY T.COL1;")
    expected = (
        "`COL1` STRING KEY, `COL2` STRING, `COL3` DOUBLE, `COL4` ARRAY<DOUBLE>, "
        "`COL5` MAP<STRING, DOUBLE>, `HEAD` ARRAY<STRUCT<`KEY` STRING, `VALUE` BYTES>>, `COL0` BIGINT"
    )
    assert ksql.schema("S1") == expected
    assert ksql.schema("S2") == expected
