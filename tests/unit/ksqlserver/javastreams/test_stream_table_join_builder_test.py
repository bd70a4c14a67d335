"""ksqlDB 0.29's StreamTableJoinBuilderTest (io.confluent.ksql.execution.streams).

StreamTableJoinBuilder: LEFT is stream.leftJoin(table), INNER stream.join(table), any other type is refused
(shouldFailOnOuterJoin: the planner refuses it first, JoinNode / LogicalPlanner). The joiner appends the
table's value to the stream's (nulls for a missing table row); the schema is JoinParamsFactory's. In Kafka
Streams 3.5 each stream record looks up the table's current row (not its timestamp's), a table update emits
nothing, the result keeps the stream record's timestamp, and a stream record without a key is dropped."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from conftest import Streams


def join(make_streams: Callable[..., Streams], join_type: str, criteria: str = "S.K = T.ID") -> Any:
    ks = make_streams()
    ks.sql("CREATE STREAM S (K STRING KEY, SV STRING, FK STRING) WITH (KAFKA_TOPIC='s', PARTITIONS=1, FORMAT='JSON');")
    ks.sql("CREATE TABLE T (ID STRING PRIMARY KEY, TV STRING) WITH (KAFKA_TOPIC='t', PARTITIONS=1, FORMAT='JSON');")
    ks.sql(f"CREATE STREAM J AS SELECT * FROM S {join_type} T ON {criteria};")
    return ks


def run(ks: Streams) -> list[tuple[Any, tuple[Any, ...], int]]:
    ks.insert("T", {"ID": "a", "TV": "t1", "ROWTIME": 5000})
    ks.insert("S", {"K": "a", "SV": "s1", "ROWTIME": 1000})  # earlier than the table row: still joins it
    ks.insert("S", {"K": "b", "SV": "s2", "ROWTIME": 6000})  # no table row
    ks.insert("T", {"ID": "a", "TV": "t2", "ROWTIME": 7000})  # emits nothing
    ks.insert("S", {"K": "a", "SV": "s3", "ROWTIME": 8000})
    ks.produce("t", b'"a"', None, 9000)  # the table row is deleted
    ks.insert("S", {"K": "a", "SV": "s4", "ROWTIME": 10000})
    ks.produce("s", None, {"SV": "s5"}, 11000)  # no key: dropped
    return [(k, (v["S_SV"], v["T_ID"], v["T_TV"]), ts) for k, v, ts in ks.records("J")]


SCHEMA = "`S_K` STRING KEY, `S_SV` STRING, `S_FK` STRING, `T_ID` STRING, `T_TV` STRING"


def test_should_do_left_join(make_streams: Callable[..., Streams]) -> None:
    """shouldDoLeftJoin / shouldReturnCorrectSchema."""
    ks = join(make_streams, "LEFT JOIN")
    assert ks.schema("J") == SCHEMA
    assert run(ks) == [
        ("a", ("s1", "a", "t1"), 1000),
        ("b", ("s2", None, None), 6000),
        ("a", ("s3", "a", "t2"), 8000),
        ("a", ("s4", None, None), 10000),
    ]


def test_should_do_inner_join(make_streams: Callable[..., Streams]) -> None:
    """shouldDoInnerJoin."""
    ks = join(make_streams, "JOIN")
    assert ks.schema("J") == SCHEMA
    assert run(ks) == [("a", ("s1", "a", "t1"), 1000), ("a", ("s3", "a", "t2"), 8000)]


@pytest.mark.parametrize("join_type", ["JOIN", "LEFT JOIN"])
def test_should_do_join_with_synthetic_key(make_streams: Callable[..., Streams], join_type: str) -> None:
    """shouldDoLeftJoinWithSyntheticKey / shouldDoInnerJoinWithSyntheticKey: a join on a stream value column
    re-keys the stream by it (its key column named after it); a stream record whose join column is null has
    no key after the re-key and is dropped, even by the left join."""
    ks = join(make_streams, join_type, "S.FK = T.ID")
    assert ks.schema("J") == "`S_FK` STRING KEY, `S_K` STRING, `S_SV` STRING, `T_ID` STRING, `T_TV` STRING"
    ks.insert("T", {"ID": "a", "TV": "t1", "ROWTIME": 5000})
    ks.insert("S", {"K": "x", "SV": "s1", "FK": "a", "ROWTIME": 6000})
    ks.insert("S", {"K": "y", "SV": "s2", "FK": None, "ROWTIME": 7000})
    assert ks.records("J") == [("a", {"S_K": "x", "S_SV": "s1", "T_ID": "a", "T_TV": "t1"}, 6000)]


@pytest.mark.parametrize(
    ("join_type", "message"),
    [
        ("FULL OUTER JOIN",
         "Invalid join type: full-outer join not supported for stream-table join. Got S [FULL] OUTER JOIN T."),
        ("RIGHT JOIN", "Invalid join type encountered: RIGHT [OUTER] JOIN"),
    ],
)  # fmt: skip
def test_should_fail_on_outer_join(make_streams: Callable[..., Streams], join_type: str, message: str) -> None:
    """shouldFailOnOuterJoin: refused while planning (LogicalPlanner, JoinNode)."""
    ks = make_streams()
    ks.sql("CREATE STREAM S (K STRING KEY, SV STRING) WITH (KAFKA_TOPIC='s', PARTITIONS=1, FORMAT='JSON');")
    ks.sql("CREATE TABLE T (ID STRING PRIMARY KEY, TV STRING) WITH (KAFKA_TOPIC='t', PARTITIONS=1, FORMAT='JSON');")
    assert ks.message(f"CREATE STREAM J AS SELECT * FROM S {join_type} T ON S.K = T.ID;") == message
