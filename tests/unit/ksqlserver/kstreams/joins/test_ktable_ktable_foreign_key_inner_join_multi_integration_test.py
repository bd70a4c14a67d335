"""Kafka Streams 3.5's KTableKTableForeignKeyInnerJoinMultiIntegrationTest (org.apache.kafka.streams.integration)
as two chained KSQL foreign-key joins over multi-partition topics.

The Java topology joins table1 (Integer -> Float, 3 partitions) with table2 (String -> Long, 5 partitions)
on the foreign key `Integer.toString((int) value)`, then that result with table3 (Integer -> String,
7 partitions) on a foreign key "hardwired" from the joined value (10 when it contains "value2=10", else
0), and expects exactly one record in the output (11 partitions). In KSQL the float is a DOUBLE
(`CAST(... AS INT)` truncates as Java's cast does, `CAST(... AS STRING)` prints 1.33 as Float.toString
does), each join is a CTAS whose foreign key is an expression (ForeignKeyTableTableJoinBuilder's
leftJoinExpression), and the data is in the topics before the queries start, as in the Java test.

Ported: shouldInnerJoinMultiPartitionQueryable (its three KafkaStreams instances share the partitions of one
application; one engine runs the same queries here).
"""

from __future__ import annotations

import json
import struct
from typing import TYPE_CHECKING

from ksqlserver.drivers.base import Record

if TYPE_CHECKING:
    from conftest import Joins


def test_should_inner_join_multi_partition_queryable(joins: Joins) -> None:
    """shouldInnerJoinMultiPartitionQueryable: only key 1 joins through both tables."""
    e, d = joins.engine, joins.driver
    for topic, partitions in (("multi_t1", 3), ("multi_t2", 5), ("multi_t3", 7), ("multi_out", 11)):
        d.create_topic(topic, partitions)
    table1 = [(1, 1.33), (2, 2.22), (3, -1.22), (4, -2.22)]  # 3: won't be joined in yet; 4: not at all
    table2 = [(str(i), 10 * i) for i in range(10)]
    d.produce("multi_t1", [Record(struct.pack(">i", k), json.dumps({"F": v}).encode(), 1) for k, v in table1])
    d.produce("multi_t2", [Record(k.encode(), json.dumps({"L": v}).encode(), 2) for k, v in table2])
    d.produce("multi_t3", [Record(struct.pack(">i", 10), json.dumps({"S": "waffle"}).encode(), 3)])
    e.execute(
        "CREATE TABLE MULTI_T1 (K INT PRIMARY KEY, F DOUBLE) "
        "WITH (KAFKA_TOPIC='multi_t1', VALUE_FORMAT='JSON', KEY_FORMAT='KAFKA');"
        "CREATE TABLE MULTI_T2 (K STRING PRIMARY KEY, L BIGINT) "
        "WITH (KAFKA_TOPIC='multi_t2', VALUE_FORMAT='JSON', KEY_FORMAT='KAFKA');"
        "CREATE TABLE MULTI_T3 (K INT PRIMARY KEY, S STRING) "
        "WITH (KAFKA_TOPIC='multi_t3', VALUE_FORMAT='JSON', KEY_FORMAT='KAFKA');"
    )
    e.execute(
        "CREATE TABLE MULTI_J1 AS SELECT T1.K AS K, "
        "'value1=' + CAST(T1.F AS STRING) + ',value2=' + CAST(T2.L AS STRING) AS V "
        "FROM MULTI_T1 T1 JOIN MULTI_T2 T2 ON CAST(CAST(T1.F AS INT) AS STRING) = T2.K;"
    )
    e.execute(
        "CREATE TABLE MULTI_OUT WITH (KAFKA_TOPIC='multi_out', PARTITIONS=11) AS SELECT J.K AS K, J.V + ',value3=' + T3.S AS V "
        "FROM MULTI_J1 J JOIN MULTI_T3 T3 ON (CASE WHEN INSTR(J.V, 'value2=10') > 0 THEN 10 ELSE 0 END) = T3.K;"
    )
    e.drain()
    out = [(struct.unpack(">i", r.key)[0], json.loads(r.value)["V"]) for r in d.records("multi_out")]
    assert out == [(1, "value1=1.33,value2=10,value3=waffle")]
