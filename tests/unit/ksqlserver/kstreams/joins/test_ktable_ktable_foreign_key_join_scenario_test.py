"""Kafka Streams 3.5's KTableKTableForeignKeyJoinScenarioTest (org.apache.kafka.streams.kstream.internals) as
KSQL statements.

The Java scenario joins table A with table B on a foreign key computed from A's value
(`Integer.parseInt(value.split("-")[0])`), then joins A with that result on the primary key, and checks one
record through both. In ksqlDB 0.29 the foreign key can be an expression of the left table's columns
(ForeignKeyTableTableJoinBuilder's leftJoinExpression): `CAST(SPLIT(A.V, '-')[1] AS INT)` here (ksqlDB
arrays are 1-based); the primary-key join of A with the foreign-key join's table is a second CTAS.

Ported: shouldWorkWithDefaultSerdes, shouldWorkWithDefaultAndConsumedSerdes,
shouldWorkWithDefaultAndJoinResultSerdes, shouldWorkWithDefaultAndEquiJoinResultSerdes,
shouldWorkWithDefaultAndProducedSerdes (one scenario: they differ only in where the Java topology takes its
serdes from; ksqlDB derives every serde from the statements' formats).
Skipped:
- shouldUseExpectedTopicsWithSerde: the pseudo-topic names Kafka Streams' FK-join serdes register
  (KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000006-topic-fk, ...), numbered after the Java topology's
  nodes, not ksqlDB's.
"""

from __future__ import annotations

import json
import struct
from typing import TYPE_CHECKING

from ksqlserver.drivers.base import Record

if TYPE_CHECKING:
    from conftest import Joins


def test_should_work_with_default_serdes(joins: Joins) -> None:
    """validateTopologyCanProcessData: A(1, "999-alpha") and B(999, "beta") give (1, "(999-alpha,(999-alpha,beta))")."""
    e = joins.engine
    for name in ("A", "B"):
        e.execute(
            f"CREATE TABLE FKS_{name} (K INT PRIMARY KEY, V STRING) "
            f"WITH (KAFKA_TOPIC='fks_{name.lower()}', PARTITIONS=1, VALUE_FORMAT='JSON', KEY_FORMAT='KAFKA');"
        )
    e.execute(
        "CREATE TABLE FKS_FK AS SELECT A.K AS K, '(' + A.V + ',' + B.V + ')' AS V FROM FKS_A A JOIN FKS_B B "
        "ON CAST(SPLIT(A.V, '-')[1] AS INT) = B.K;"
    )
    e.execute(
        "CREATE TABLE FKS_OUT AS SELECT A.K AS K, '(' + A.V + ',' + F.V + ')' AS V FROM FKS_A A "
        "JOIN FKS_FK F ON A.K = F.K;"
    )
    joins.driver.produce("fks_a", [Record(struct.pack(">i", 1), json.dumps({"V": "999-alpha"}).encode(), 0)])
    e.drain()
    joins.driver.produce("fks_b", [Record(struct.pack(">i", 999), json.dumps({"V": "beta"}).encode(), 0)])
    e.drain()
    out = {
        struct.unpack(">i", r.key)[0]: json.loads(r.value)["V"]
        for r in joins.driver.records(e.state.metastore.require("FKS_OUT").topic)
    }
    assert out == {1: "(999-alpha,(999-alpha,beta))"}
