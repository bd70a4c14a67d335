"""ksqlDB 0.29's ForeignKeyTableTableJoinBuilderTest (io.confluent.ksql.execution.streams).

ForeignKeyTableTableJoinBuilder joins left.join/leftJoin(right, keyExtractor, joiner) (Kafka Streams' foreign
key join): the KsqlKeyExtractor evaluates the left join column (a non-key column, a key column, one column of
a multi-column key) or expression on the left row; the joiner (KsqlValueJoiner) appends the right value; the
schema (ForeignKeyJoinParamsFactory.createSchema) is the left key, then the left and right value columns.

Kafka Streams 3.5's foreign-key join, as the sink shows it: a left row whose foreign key has no right row is
emitted padded with nulls by a left join and not at all by an inner join; a left row moving to a foreign key
without a right row is 'unset' (a tombstone for an inner join); a right row's change reaches every left row
that refers to it (in left-key order, stamped with the right record's time); a left row with a null foreign
key is skipped (logSkippedRecordDueToNullForeignKey); a deleted left row gives a tombstone."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from conftest import Streams

LEFT = (
    "CREATE TABLE L (L_KEY STRING PRIMARY KEY, L_GREEN INT, L_FOREIGN_KEY STRING) "
    "WITH (KAFKA_TOPIC='l', PARTITIONS=1, FORMAT='JSON');"
)
RIGHT = (
    "CREATE TABLE R (R_KEY STRING PRIMARY KEY, R_RED BIGINT, R_ORANGE DOUBLE) "
    "WITH (KAFKA_TOPIC='r', PARTITIONS=1, FORMAT='JSON');"
)
SCHEMA = (
    "`L_L_KEY` STRING PRIMARY KEY, `L_L_GREEN` INTEGER, `L_L_FOREIGN_KEY` STRING, `R_R_KEY` STRING, "
    "`R_R_RED` BIGINT, `R_R_ORANGE` DOUBLE"
)


def join(make_streams: Callable[..., Streams], join_type: str) -> Streams:
    ks = make_streams()
    ks.sql(LEFT)
    ks.sql(RIGHT)
    ks.sql(f"CREATE TABLE J AS SELECT * FROM L {join_type} R ON L.L_FOREIGN_KEY = R.R_KEY;")
    return ks


def run(ks: Streams) -> list[tuple[Any, Any, int]]:
    ks.insert("R", {"R_KEY": "fk1", "R_RED": 1, "R_ORANGE": 1.5, "ROWTIME": 1000})
    ks.insert("L", {"L_KEY": "a", "L_GREEN": 1, "L_FOREIGN_KEY": "fk1", "ROWTIME": 2000})
    ks.insert("L", {"L_KEY": "b", "L_GREEN": 2, "L_FOREIGN_KEY": "fk2", "ROWTIME": 3000})
    ks.insert("L", {"L_KEY": "c", "L_GREEN": 3, "L_FOREIGN_KEY": None, "ROWTIME": 3500})
    ks.insert("R", {"R_KEY": "fk1", "R_RED": 2, "R_ORANGE": 2.5, "ROWTIME": 4000})
    ks.insert("L", {"L_KEY": "a", "L_GREEN": 1, "L_FOREIGN_KEY": "fk2", "ROWTIME": 5000})
    ks.insert("R", {"R_KEY": "fk2", "R_RED": 3, "R_ORANGE": 3.5, "ROWTIME": 6000})
    ks.produce("r", b'"fk2"', None, 7000)
    ks.produce("l", b'"b"', None, 8000)
    return [(k, v and (v["L_L_FOREIGN_KEY"], v["R_R_KEY"], v["R_R_RED"]), ts) for k, v, ts in ks.records("J")]


def test_should_return_correct_schema(make_streams: Callable[..., Streams]) -> None:
    """shouldReturnCorrectSchema: the left key, the left values, the right values."""
    assert join(make_streams, "LEFT JOIN").schema("J") == SCHEMA


def test_should_do_left_join_on_non_key(make_streams: Callable[..., Streams]) -> None:
    """shouldDoLeftJoinOnNonKey."""
    ks = join(make_streams, "LEFT JOIN")
    assert run(ks) == [
        ("a", ("fk1", "fk1", 1), 2000),
        ("b", ("fk2", None, None), 3000),
        ("a", ("fk1", "fk1", 2), 4000),
        ("a", ("fk2", None, None), 5000),
        ("a", ("fk2", "fk2", 3), 6000),
        ("b", ("fk2", "fk2", 3), 6000),
        ("a", ("fk2", None, None), 7000),
        ("b", ("fk2", None, None), 7000),
        ("b", None, 8000),
    ]
    assert ks.pull("SELECT * FROM J;") == [["a", 1, "fk2", None, None, None]]


def test_should_do_inner_join_on_non_key(make_streams: Callable[..., Streams]) -> None:
    """shouldDoInnerJoinOnNonKey."""
    ks = join(make_streams, "JOIN")
    assert run(ks) == [
        ("a", ("fk1", "fk1", 1), 2000),
        ("a", ("fk1", "fk1", 2), 4000),
        ("a", None, 5000),
        ("a", ("fk2", "fk2", 3), 6000),
        ("b", ("fk2", "fk2", 3), 6000),
        ("a", None, 7000),
        ("b", None, 7000),
        ("b", None, 8000),
    ]
    assert ks.pull("SELECT * FROM J;") == []


@pytest.mark.parametrize("join_type", ["JOIN", "LEFT JOIN"])
def test_should_do_join_on_sub_key(make_streams: Callable[..., Streams], join_type: str) -> None:
    """shouldDoLeftJoinOnSubKey / shouldDoInnerJoinOnSubKey / shouldReturnCorrectSchemaMultiKey: the foreign
    key is the second column of the left table's key."""
    ks = make_streams()
    ks.sql(
        "CREATE TABLE L (L_KEY STRING PRIMARY KEY, L_KEY_2 STRING PRIMARY KEY, L_FOREIGN_KEY STRING, "
        "L_GREEN INT) WITH (KAFKA_TOPIC='l', PARTITIONS=1, FORMAT='JSON');"
    )
    ks.sql(RIGHT)
    ks.sql(f"CREATE TABLE J AS SELECT * FROM L {join_type} R ON L.L_KEY_2 = R.R_KEY;")
    assert ks.schema("J") == (
        "`L_L_KEY` STRING PRIMARY KEY, `L_L_KEY_2` STRING PRIMARY KEY, `L_L_FOREIGN_KEY` STRING, "
        "`L_L_GREEN` INTEGER, `R_R_KEY` STRING, `R_R_RED` BIGINT, `R_R_ORANGE` DOUBLE"
    )
    ks.insert("R", {"R_KEY": "leftKey2", "R_RED": 1, "R_ORANGE": 1.5, "ROWTIME": 1000})
    ks.insert("L", {"L_KEY": "leftKey", "L_KEY_2": "leftKey2", "L_FOREIGN_KEY": "foreignKey", "L_GREEN": 1,
                    "ROWTIME": 2000})  # fmt: skip
    assert ks.records("J") == [
        ({"L_L_KEY": "leftKey", "L_L_KEY_2": "leftKey2"},
         {"L_L_FOREIGN_KEY": "foreignKey", "L_L_GREEN": 1, "R_R_KEY": "leftKey2", "R_R_RED": 1, "R_R_ORANGE": 1.5},
         2000),
    ]  # fmt: skip


def test_should_do_left_join_on_expression(make_streams: Callable[..., Streams]) -> None:
    """ForeignKeyTableTableJoin.getLeftJoinExpression: the key extractor evaluates an expression of the left
    row ("Left Join Expression")."""
    ks = make_streams()
    ks.sql(LEFT)
    ks.sql(RIGHT)
    ks.sql("CREATE TABLE J AS SELECT * FROM L LEFT JOIN R ON SUBSTRING(L.L_FOREIGN_KEY, 1, 2) = R.R_KEY;")
    assert ks.schema("J") == SCHEMA
    ks.insert("R", {"R_KEY": "fk", "R_RED": 1, "R_ORANGE": 0.5, "ROWTIME": 1000})
    ks.insert("L", {"L_KEY": "a", "L_GREEN": 1, "L_FOREIGN_KEY": "fk1", "ROWTIME": 2000})
    assert ks.records("J") == [
        ("a", {"L_L_GREEN": 1, "L_L_FOREIGN_KEY": "fk1", "R_R_KEY": "fk", "R_R_RED": 1, "R_R_ORANGE": 0.5}, 2000)
    ]
