"""docs/developer-guide/joins/partition-data.md: the clicks / users join that repartitions the keyless
clicks stream, the CAST join of an INT key with a BIGINT primary key, and the refusals the page states
(a join on a table column that is not its primary key, key types that differ, partition counts that
differ), with ksqlDB 0.29's messages (LogicalPlanner.verifyStreamTableJoin, JoinParamsFactory,
JoinNode)."""

from __future__ import annotations

import struct
from typing import Any

import pytest

from ksqlserver.drivers.base import Record
from ksqlserver.errors import KsqlError

from .conftest import Docs


def _users(h: Docs, partitions: int = 1, name: str = "users") -> None:
    h.sql(f"CREATE TABLE {name} (id BIGINT PRIMARY KEY, fullName STRING) "
          f"WITH (kafka_topic='{name}', value_format='json', partitions={partitions});")  # fmt: skip


def _error(h: Docs, sql: str) -> str:
    with pytest.raises(KsqlError) as err:
        h.push(sql)
    return err.value.message


def test_join_repartitions_a_stream_without_key(docs: Any) -> None:
    """"Keys": clicks has no key, so the join on userId repartitions it; the clicks of user 7 find the
    user, those of user 8 find none (an inner join)."""
    h = docs()
    h.sql("CREATE STREAM clicks (userId BIGINT, url STRING) "
          "WITH (kafka_topic='clickstream', value_format='json', partitions=1);")  # fmt: skip
    _users(h)
    h.driver.produce("users", [Record(struct.pack(">q", 7), b'{"FULLNAME":"Ann"}', 1)])
    h.driver.produce("clickstream", [Record(None, b'{"USERID":7,"URL":"/a"}', 2),
                                     Record(None, b'{"USERID":8,"URL":"/b"}', 3)])  # fmt: skip
    sql = "SELECT c.userId, c.url, u.fullName FROM clicks c JOIN users u ON c.userId = u.id EMIT CHANGES;"
    assert h.push(sql) == [[7, "/a", "Ann"]]
    assert _error(h, "SELECT * FROM clicks c JOIN users u ON c.url = u.fullName EMIT CHANGES;") == (
        "Invalid join condition: stream-table joins require to join on the table's primary key. "
        "Got C.URL = U.FULLNAME."
    )


def test_records_have_the_same_key_schema(docs: Any) -> None:
    """"Records Have the Same Key Schema": an INT key does not join a BIGINT primary key; CAST it. (The
    page's CREATE STREAM gives no PARTITIONS for a topic that does not exist yet: here it does.)"""
    h = docs()
    h.sql("CREATE STREAM clicks (userId INT KEY, url STRING) WITH (kafka_topic='clickstream', "
          "value_format='json', partitions=1);")  # fmt: skip
    _users(h)
    h.driver.produce("users", [Record(struct.pack(">q", 7), b'{"FULLNAME":"Ann"}', 1)])
    h.driver.produce("clickstream", [Record(struct.pack(">i", 7), b'{"URL":"/c"}', 4)])
    assert h.push("SELECT clicks.url, users.fullName FROM clicks JOIN users "
                  "ON CAST(clicks.userId AS BIGINT) = users.id EMIT CHANGES;") == [["/c", "Ann"]]  # fmt: skip
    assert _error(h, "SELECT * FROM clicks JOIN users ON clicks.userId = users.id EMIT CHANGES;") == (
        "Invalid join. Key types differ: INTEGER vs BIGINT"
    )


def test_records_have_the_same_number_of_partitions(docs: Any) -> None:
    """"ksqlDB checks this part of the co-partitioning requirement and rejects any join where the
    partition counts differ"."""
    h = docs()
    _users(h, 6)
    h.sql("CREATE STREAM clicks (userId BIGINT KEY, url STRING) WITH (kafka_topic='clickstream', "
          "value_format='json', partitions=1);")  # fmt: skip
    assert _error(h, "SELECT * FROM clicks c JOIN users u ON c.userId = u.id EMIT CHANGES;") == (
        "Can't join `C` with `U` since the number of partitions don't match. `C` partitions = 1; "
        "`U` partitions = 6. Please repartition either one so that the number of partitions match."
    )
