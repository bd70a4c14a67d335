"""ksqlDB 0.29's TableTableJoinBuilderTest (io.confluent.ksql.execution.streams).

TableTableJoinBuilder: LEFT is left.leftJoin(right), RIGHT right.leftJoin(left) (sides swapped), OUTER
outerJoin, INNER join, each with KsqlValueJoiner (a null placeholder for the synthetic key of a FULL OUTER
join) and JoinParamsFactory's schema. Kafka Streams 3.5's table-table joins, as the sink shows them: each
update of either side that finds the other emits the joined row, stamped with the later of the two rows'
timestamps; an inner join is silent while a side is missing and emits a tombstone when a joined row loses a
side; an outer side's row without a match is emitted padded with nulls; a side's delete for a key the other
side holds emits what is left (a tombstone, or the other side padded with nulls)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from conftest import Streams


def join(make_streams: Callable[..., Streams], join_type: str) -> Streams:
    ks = make_streams()
    ks.sql("CREATE TABLE L (K STRING PRIMARY KEY, LV STRING) WITH (KAFKA_TOPIC='l', PARTITIONS=1, FORMAT='JSON');")
    ks.sql("CREATE TABLE R (K STRING PRIMARY KEY, RV STRING) WITH (KAFKA_TOPIC='r', PARTITIONS=1, FORMAT='JSON');")
    ks.sql(f"CREATE TABLE J AS SELECT * FROM L {join_type} R ON L.K = R.K;")
    return ks


def run(ks: Streams) -> list[tuple[Any, Any, int]]:
    ks.insert("L", {"K": "a", "LV": "l1", "ROWTIME": 1000})
    ks.insert("R", {"K": "a", "RV": "r1", "ROWTIME": 3000})
    ks.insert("L", {"K": "a", "LV": "l2", "ROWTIME": 2000})
    ks.insert("R", {"K": "b", "RV": "r2", "ROWTIME": 4000})
    ks.produce("r", b'"a"', None, 5000)
    ks.produce("l", b'"a"', None, 6000)
    ks.produce("l", b'"b"', None, 7000)  # b was never in L
    ks.produce("l", b'"zz"', None, 7500)  # in neither
    ks.produce("r", b'"b"', None, 8000)
    return [(k, v and (v.get("L_LV"), v["R_RV"]), ts) for k, v, ts in ks.records("J")]


KEYED = "`L_K` STRING PRIMARY KEY, `L_LV` STRING, `R_K` STRING, `R_RV` STRING"


def test_should_do_inner_join(make_streams: Callable[..., Streams]) -> None:
    """shouldDoInnerJoin / shouldReturnCorrectSchema."""
    ks = join(make_streams, "JOIN")
    assert ks.schema("J") == KEYED
    assert run(ks) == [
        ("a", ("l1", "r1"), 3000),
        ("a", ("l2", "r1"), 3000),
        ("a", None, 5000),
        ("b", None, 7000),
    ]


def test_should_do_left_join(make_streams: Callable[..., Streams]) -> None:
    """shouldDoLeftJoin."""
    ks = join(make_streams, "LEFT JOIN")
    assert ks.schema("J") == KEYED
    assert run(ks) == [
        ("a", ("l1", None), 1000),
        ("a", ("l1", "r1"), 3000),
        ("a", ("l2", "r1"), 3000),
        ("a", ("l2", None), 5000),
        ("a", None, 6000),
        ("b", None, 7000),
    ]


def test_right_join(make_streams: Callable[..., Streams]) -> None:
    """JoinType.RIGHT: right.leftJoin(left)."""
    ks = join(make_streams, "RIGHT JOIN")
    assert run(ks) == [
        ("a", ("l1", "r1"), 3000),
        ("a", ("l2", "r1"), 3000),
        ("b", (None, "r2"), 4000),
        ("a", None, 5000),
        ("b", (None, "r2"), 7000),
        ("b", None, 8000),
    ]


def test_should_do_outer_join(make_streams: Callable[..., Streams]) -> None:
    """shouldDoOuterJoin / shouldReturnCorrectSchemaWithSyntheticKey: keyed by the synthetic ROWKEY."""
    ks = join(make_streams, "FULL OUTER JOIN")
    assert ks.schema("J") == "`ROWKEY` STRING PRIMARY KEY, `L_K` STRING, `L_LV` STRING, `R_K` STRING, `R_RV` STRING"
    assert run(ks) == [
        ("a", ("l1", None), 1000),
        ("a", ("l1", "r1"), 3000),
        ("a", ("l2", "r1"), 3000),
        ("b", (None, "r2"), 4000),
        ("a", ("l2", None), 5000),
        ("a", None, 6000),
        ("b", (None, "r2"), 7000),
        ("b", None, 8000),
    ]
    assert ks.values("J")[3] == {"L_K": None, "L_LV": None, "R_K": "b", "R_RV": "r2"}


@pytest.mark.parametrize(
    ("join_type", "expected"),
    [("JOIN", [["a", "l1", "a", "r1"]]), ("LEFT JOIN", [["a", "l1", "a", "r1"], ["c", "l3", None, None]])],
)
def test_join_result_is_materialized(make_streams: Callable[..., Streams], join_type: str, expected: list) -> None:
    """The join's sink is a table a pull query reads."""
    ks = join(make_streams, join_type)
    ks.insert("L", {"K": "a", "LV": "l1", "ROWTIME": 1000}, {"K": "c", "LV": "l3", "ROWTIME": 1000})
    ks.insert("R", {"K": "a", "RV": "r1", "ROWTIME": 1000})
    assert sorted(ks.pull("SELECT * FROM J;")) == expected
