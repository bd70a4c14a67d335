"""ksqlDB 0.29's KsqlValueJoinerTest (io.confluent.ksql.execution.streams): the joined value is the left value
then the right value, nulls standing in for a missing side (shouldJoinValueBothNonNull,
shouldJoinValueRightEmpty, shouldJoinValueLeftEmpty). Seen through a FULL OUTER table-table join of two
tables of (COL0 BIGINT, COL1 STRING)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import Streams


def test_joined_values(ks: Streams) -> None:
    ks.sql("CREATE TABLE L (K STRING PRIMARY KEY, COL0 BIGINT, COL1 STRING) WITH (KAFKA_TOPIC='l', PARTITIONS=1, FORMAT='JSON');")
    ks.sql("CREATE TABLE R (K STRING PRIMARY KEY, COL0 BIGINT, COL1 STRING) WITH (KAFKA_TOPIC='r', PARTITIONS=1, FORMAT='JSON');")
    ks.sql("CREATE TABLE J AS SELECT ROWKEY, L.COL0, L.COL1, R.COL0, R.COL1 FROM L FULL OUTER JOIN R ON L.K = R.K;")
    ks.insert("L", {"K": "both", "COL0": 12, "COL1": "foobar", "ROWTIME": 1})
    ks.insert("R", {"K": "both", "COL0": 20, "COL1": "baz", "ROWTIME": 2})
    ks.insert("L", {"K": "left", "COL0": 12, "COL1": "foobar", "ROWTIME": 3})
    ks.insert("R", {"K": "right", "COL0": 20, "COL1": "baz", "ROWTIME": 4})
    assert [(k, tuple(v.values())) for k, v, _ in ks.records("J")] == [
        ("both", (12, "foobar", None, None)),
        ("both", (12, "foobar", 20, "baz")),  # shouldJoinValueBothNonNull
        ("left", (12, "foobar", None, None)),  # shouldJoinValueRightEmpty
        ("right", (None, None, 20, "baz")),  # shouldJoinValueLeftEmpty
    ]
