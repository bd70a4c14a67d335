"""`plan.build` and `plan.compile`: the plan of each query shape, and where a join keeps its state."""

from __future__ import annotations

from ksqlserver import plan
from ksqlserver.analyze import Analysis, analyze
from ksqlserver.config import EngineConfig
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine
from ksqlserver.plan.logical import AggregatePlan, JoinStep, LogicalPlan
from ksqlserver.runtime.state.base import StateStores
from ksqlserver.sql import ast
from ksqlserver.sql.parser import parse

JOIN = "SELECT t.CARD, u.REGION FROM TX t JOIN USERS u ON t.CARD = u.CARD EMIT CHANGES;"


def _engine() -> Engine:
    engine = Engine(EngineConfig(synchronous=True, processing_log=False, command_topic=False), MemoryDriver())
    engine.execute(
        "CREATE STREAM TX (ID STRING KEY, CARD STRING, AMOUNT DOUBLE) "
        "WITH (KAFKA_TOPIC='tx', VALUE_FORMAT='JSON', PARTITIONS=1);"
        "CREATE TABLE USERS (CARD STRING PRIMARY KEY, REGION STRING) "
        "WITH (KAFKA_TOPIC='users', VALUE_FORMAT='JSON', PARTITIONS=1);"
    )
    return engine


def _analysis(engine: Engine, sql: str, sink: str | None = None) -> Analysis:
    [q] = parse(sql)
    assert isinstance(q, ast.Query)
    return analyze(q, engine.state.metastore, engine.state.registry, sink)


def test_each_shape_gets_its_plan() -> None:
    engine = _engine()
    agg = plan.build(
        _analysis(engine, "SELECT CARD, COUNT(*) AS N FROM TX GROUP BY CARD EMIT CHANGES;"), None
    )
    assert isinstance(agg, AggregatePlan)
    assert agg.describe().splitlines()[0] == "> [ SOURCE ] [TX]"
    join = plan.build(_analysis(engine, JOIN), None)
    assert isinstance(join, LogicalPlan) and any(isinstance(s, JoinStep) for s in join.steps)
    engine.close()


def test_a_push_querys_join_keeps_its_state_to_itself_a_persistent_one_in_the_engine() -> None:
    engine = _engine()
    stores = StateStores()
    push = plan.compile(
        plan.build(_analysis(engine, JOIN), None), engine.state.registry, print, stores, "transient_1"
    )
    assert push.sink is None and stores.of_query("transient_1") == []
    sink = engine.state.metastore.get("USERS")  # any DataSource will do as the sink of the plan
    persistent = plan.build(_analysis(engine, JOIN, "J"), sink)
    plan.compile(persistent, engine.state.registry, print, stores, "CSAS_J_0")
    assert [s.name for s in stores.of_query("CSAS_J_0")]  # the join's stores, opened under the query id
    engine.close()
