"""ksqlDB 0.29's JoinParamsFactoryTest and ForeignKeyJoinParamsFactoryTest (ksqldb-streams,
io.confluent.ksql.execution.streams): a join's result schema (the join key, then the left side's columns,
then the right side's, a synthetic key's copy last), and the key-type check of a primary-key join."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:  # the fixture's helper (conftest is not importable under --import-mode=importlib)
    from conftest import Ksql


@pytest.fixture
def lr(ksql: Ksql) -> Ksql:
    for topic in ("l", "r", "r2", "s"):
        ksql.engine.driver.create_topic(topic, partitions=1)
    ksql.execute(
        "CREATE TABLE L (K STRING PRIMARY KEY, BLUE STRING, FK INT) WITH (KAFKA_TOPIC='l', VALUE_FORMAT='JSON');"
    )
    ksql.execute(
        "CREATE TABLE R (K INT PRIMARY KEY, RED BIGINT, ORANGE DOUBLE) WITH (KAFKA_TOPIC='r', VALUE_FORMAT='JSON');"
    )
    ksql.execute(
        "CREATE TABLE R2 (K STRING PRIMARY KEY, RED BIGINT) WITH (KAFKA_TOPIC='r2', VALUE_FORMAT='JSON');"
    )
    ksql.execute("CREATE STREAM S (K INT KEY, GREEN INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');")
    return ksql


def test_foreign_key_join_schema(lr: Ksql) -> None:
    """ForeignKeyJoinParamsFactoryTest.shouldBuildCorrectKeyedSchema: keyed by the left table's key."""
    lr.execute("CREATE TABLE O AS SELECT * FROM L JOIN R ON L.FK = R.K;")
    assert lr.schema("O") == (
        "`L_K` STRING PRIMARY KEY, `L_BLUE` STRING, `L_FK` INTEGER, `R_K` INTEGER, `R_RED` BIGINT, "
        "`R_ORANGE` DOUBLE"
    )


@pytest.mark.parametrize(
    ("select", "expected"),
    [
        # shouldBuildCorrectLeftKeyedSchema
        ("L.K AS LK, BLUE, RED", "`LK` STRING PRIMARY KEY, `BLUE` STRING, `RED` BIGINT"),
        # shouldBuildCorrectRightKeyedSchema: the right side's key column names the result key
        ("R2.K AS RK, BLUE, RED", "`RK` STRING PRIMARY KEY, `BLUE` STRING, `RED` BIGINT"),
    ],
)
def test_primary_key_join_schema(lr: Ksql, select: str, expected: str) -> None:
    """JoinParamsFactory.create with the left or the right key column."""
    lr.execute(f"CREATE TABLE O AS SELECT {select} FROM L JOIN R2 ON L.K = R2.K;")
    assert lr.schema("O") == expected


def test_synthetic_key_schema(lr: Ksql) -> None:
    """shouldBuildCorrectSyntheticKeyedSchema: a FULL OUTER join is keyed by ROWKEY."""
    lr.execute("CREATE TABLE O AS SELECT * FROM L FULL OUTER JOIN R2 ON L.K = R2.K;")
    assert lr.schema("O") == (
        "`ROWKEY` STRING PRIMARY KEY, `L_K` STRING, `L_BLUE` STRING, `L_FK` INTEGER, `R2_K` STRING, `R2_RED` BIGINT"
    )


def test_key_type_mismatch(lr: Ksql) -> None:
    """shouldThrowOnKeyTypeMismatch: a stream-table join on keys of different types."""
    msg = lr.message("CREATE STREAM O AS SELECT * FROM S JOIN L ON S.K = L.K;")
    assert "Invalid join. Key types differ: INTEGER vs STRING" in msg
