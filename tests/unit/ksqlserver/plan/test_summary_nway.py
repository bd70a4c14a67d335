"""EXPLAIN's `executionPlan` (PlanSummary.summarize) of n-way joins, as ksqlDB 0.29's LogicalPlanner builds
them: buildJoin recurses into the nested join with the prefix `L_` (its sources `KafkaTopic_L_Left` /
`KafkaTopic_L_Right`, `PrependAliasL_Left` / `PrependAliasL_Right`, the node `L_Join`); the outer join's
left side is that JoinNode itself when its join expression is in the nested join's equivalence set
(prepareSourceForJoin), else a PreJoinRepartitionNode `LeftSourceKeyed` over it; each join's key is
buildJoinKey's: the first of JoinTree.Join.viableKeyColumns the projection names (JoinParamsFactory's
schema: the key, both sides' values)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig


@pytest.fixture(scope="module")
def engine() -> Iterator[Engine]:
    e = Engine(EngineConfig(service_id="t_", synchronous=True, command_topic=False, properties={}), MemoryDriver())
    e.execute(
        "CREATE STREAM A (K STRING KEY, X STRING) WITH (KAFKA_TOPIC='a', VALUE_FORMAT='JSON', PARTITIONS=1);"
        "CREATE STREAM B (K STRING KEY, Y STRING) WITH (KAFKA_TOPIC='b', VALUE_FORMAT='JSON', PARTITIONS=1);"
        "CREATE TABLE T (K STRING PRIMARY KEY, Z STRING) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON', PARTITIONS=1);"
    )
    yield e
    e.close()


def _plan(e: Engine, statement: str) -> str:
    [entity] = e.execute(f"EXPLAIN {statement}")
    plan: str = entity["queryDescription"]["executionPlan"]
    return plan


A_SIDE = "A_K STRING KEY, A_X STRING, A_ROWTIME BIGINT, A_ROWPARTITION INTEGER, A_ROWOFFSET BIGINT, A_K STRING"
B_VALUES = "B_Y STRING, B_ROWTIME BIGINT, B_ROWPARTITION INTEGER, B_ROWOFFSET BIGINT, B_K STRING"
T_VALUES = "T_Z STRING, T_ROWTIME BIGINT, T_ROWPARTITION INTEGER, T_ROWOFFSET BIGINT, T_K STRING"
NESTED = f"""\t\t\t\t\t\t > [ JOIN ] | Schema: {A_SIDE}, {B_VALUES} | Logger: Q.L_Join
\t\t\t\t\t\t\t\t > [ PROJECT ] | Schema: {A_SIDE} | Logger: Q.PrependAliasL_Left
\t\t\t\t\t\t\t\t\t\t > [ SOURCE ] | Schema: K STRING KEY, X STRING, ROWTIME BIGINT, ROWPARTITION INTEGER, \
ROWOFFSET BIGINT, K STRING | Logger: Q.KafkaTopic_L_Left.Source
\t\t\t\t\t\t\t\t > [ PROJECT ] | Schema: B_K STRING KEY, {B_VALUES} | Logger: Q.PrependAliasL_Right
\t\t\t\t\t\t\t\t\t\t > [ SOURCE ] | Schema: K STRING KEY, Y STRING, ROWTIME BIGINT, ROWPARTITION INTEGER, \
ROWOFFSET BIGINT, K STRING | Logger: Q.KafkaTopic_L_Right.Source
"""
RIGHT_T = f"""\t\t\t\t\t\t > [ PROJECT ] | Schema: T_K STRING KEY, {T_VALUES} | Logger: Q.PrependAliasRight
\t\t\t\t\t\t\t\t > [ SOURCE ] | Schema: K STRING KEY, Z STRING, ROWTIME BIGINT, ROWPARTITION INTEGER, \
ROWOFFSET BIGINT, K STRING | Logger: Q.KafkaTopic_Right.Source
"""


def test_three_way_join_on_the_same_key(engine: Engine) -> None:
    """A.K = B.K, then A.K = T.K: A.K is in L_Join's equivalence set {A.K, B.K}, so L_Join is the outer
    join's left side as it is; both keys are A_K (the first viable column, which SELECT * names)."""
    plan = _plan(engine, "CREATE STREAM J3 AS SELECT * FROM A JOIN B WITHIN 1 HOURS ON A.K = B.K JOIN T ON A.K = T.K;")
    out = "A_K STRING KEY, A_X STRING, B_K STRING, B_Y STRING, T_K STRING, T_Z STRING"
    expected = f""" > [ SINK ] | Schema: {out} | Logger: Q.J3
\t\t > [ PROJECT ] | Schema: {out} | Logger: Q.Project
\t\t\t\t > [ JOIN ] | Schema: {A_SIDE}, {B_VALUES}, {T_VALUES} | Logger: Q.Join
{NESTED}{RIGHT_T}"""
    assert plan == expected.replace("Q.", "CSAS_J3_0.")


def test_three_way_join_rekeys_the_nested_join(engine: Engine) -> None:
    """B.Y = T.K: B.Y is not in L_Join's equivalence set, so `LeftSourceKeyed` re-keys the joined rows by
    B_Y (PartitionByParamsFactory: the column becomes the key, the values stay); the outer key is B_Y, the
    viable column the projection names."""
    plan = _plan(engine, "CREATE STREAM J4 AS SELECT B.Y, X, Z FROM A JOIN B WITHIN 1 HOURS ON A.K = B.K JOIN T ON B.Y = T.K;")
    rekeyed = f"B_Y STRING KEY, {A_SIDE.removeprefix('A_K STRING KEY, ')}, {B_VALUES}"
    nested = "".join("\t\t" + line + "\n" for line in NESTED.splitlines())
    expected = f""" > [ SINK ] | Schema: Y STRING KEY, X STRING, Z STRING | Logger: Q.J4
\t\t > [ PROJECT ] | Schema: Y STRING KEY, X STRING, Z STRING | Logger: Q.Project
\t\t\t\t > [ JOIN ] | Schema: {rekeyed}, {T_VALUES} | Logger: Q.Join
\t\t\t\t\t\t > [ REKEY ] | Schema: {rekeyed} | Logger: Q.LeftSourceKeyed
{nested}{RIGHT_T}"""
    assert plan == expected.replace("Q.", "CSAS_J4_0.")


def test_push_query_over_a_join_ends_at_its_projection(engine: Engine) -> None:
    """KsqlBareOutputNode adds no step; the StreamSelect's key is the join key A_K, named by the projection
    that selects A.K (SelectionUtil.buildProjectionSchema, the reference rewritten to the joined column A_K),
    and every projection is a value."""
    plan = _plan(engine, "SELECT A.K AS KK, X, Z FROM A JOIN T ON A.K = T.K EMIT CHANGES;")
    first, second = plan.splitlines()[:2]
    assert first.startswith(" > [ PROJECT ] | Schema: KK STRING KEY, KK STRING, X STRING, Z STRING | Logger: transient_")
    assert first.endswith(".Project")
    assert second.startswith(f"\t\t > [ JOIN ] | Schema: {A_SIDE}, {T_VALUES} | Logger: transient_")
    plan = _plan(engine, "SELECT X, Z FROM A JOIN T ON A.K = T.K EMIT CHANGES;")
    assert plan.startswith(" > [ PROJECT ] | Schema: A_K STRING KEY, X STRING, Z STRING | Logger: transient_")
