"""The statements' state and dispatch: query ids, where failed records go, which statements run."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import pytest

from ksqlserver.config import EngineConfig
from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine
from ksqlserver.errors import KsqlError
from ksqlserver.functions import default_registry
from ksqlserver.sql import ast
from ksqlserver.statements import HANDLERS
from ksqlserver.statements.state import EngineState


def _state(**config: Any) -> EngineState:
    return EngineState(EngineConfig(**config), MemoryDriver(), default_registry())


def test_query_ids_follow_ksqldb_and_transient_ids_leave_the_counter_alone() -> None:
    s = _state(command_topic=False)  # ksqlDB's test harness: SequentialQueryIdGenerator
    assert s.new_query_id("CSAS", "OUT") == "CSAS_OUT_0"
    transient = s.new_query_id("transient", "TX")
    assert re.fullmatch(r"transient_TX_\d{19}", transient)
    assert s.new_query_id("INSERT", "OUT") == "INSERTQUERY_1"
    assert s.new_query_id("CTAS", "T") == "CTAS_T_2"
    s.query_counter = 7
    assert s.new_query_id("CSAS", "OUT") == "CSAS_OUT_7"


def test_with_a_command_topic_ids_follow_the_offset_of_the_last_planned_command() -> None:
    """InteractiveStatementExecutor.executePlan: SpecificQueryIdGenerator.setNextId(offset + 1); a
    command's commandSequenceNumber is its offset, 2 on from the last (DistributingExecutor's transaction)."""
    s = _state()
    assert (s.next_seq(), s.new_query_id("CSAS", "OUT")) == (0, "CSAS_OUT_0")
    s.command_done(0, planned=True)
    assert (s.next_seq(), s.new_query_id("CSAS", "OUT")) == (2, "CSAS_OUT_1")
    assert s.new_query_id("CSAS", "OUT") == "CSAS_OUT_1"  # only a command moves it
    s.command_done(2, planned=True)
    s.command_done(4, planned=False)  # TERMINATE, PAUSE, RESUME: no plan
    assert (s.next_seq(), s.new_query_id("INSERT", "OUT")) == (6, "INSERTQUERY_3")


def test_failed_records_go_to_the_processing_log_in_place_when_they_fail() -> None:
    s = _state()
    report = s.error_handler("CSAS_OUT_0")
    report("recordProcessing", "nothing to log to yet", Record(None, b"x"), None)  # no log: dropped
    seen: list[tuple[Any, ...]] = []

    class Log:
        def error(self, *args: Any) -> None:
            seen.append(args)

    s.processing_log = Log()  # type: ignore[assignment]
    report("deserialization", "bad", Record(None, b"y"), None)
    assert seen == [("CSAS_OUT_0", "deserialization", "bad", Record(None, b"y"), None)]


def test_queries_start_unless_synchronous_or_replaying() -> None:
    assert _state().starts_queries
    assert not _state(synchronous=True).starts_queries
    replaying = _state()
    replaying.replaying = True
    assert not replaying.starts_queries


def test_every_statement_the_server_runs_has_a_handler_and_the_rest_are_refused() -> None:
    assert set(HANDLERS) == {
        ast.CreateSource, ast.CreateAsSelect, ast.InsertInto, ast.InsertValues, ast.Show, ast.DescribeSource,
        ast.DescribeSources, ast.DescribeFunction, ast.Explain, ast.Terminate, ast.DropSource,
        ast.SetProperty, ast.UnsetProperty, ast.Query, ast.PrintTopic, ast.DefineVariable, ast.UndefineVariable,
        ast.CreateType, ast.DropType, ast.AlterSource, ast.PauseResume, ast.AssertTopic, ast.AssertSchema,
        ast.AlterSystem, ast.CreateConnector, ast.DropConnector, ast.DescribeConnector,
    }  # fmt: skip
    engine = Engine(EngineConfig(synchronous=True, processing_log=False, command_topic=False), MemoryDriver())

    @dataclasses.dataclass(frozen=True, slots=True)
    class Unknown(ast.Statement):
        pass

    with pytest.raises(KsqlError, match="Statement type Unknown is not supported by this server"):
        engine.executor.run(Unknown(text="UNKNOWN;"), engine._session(None))
    engine.close()


def test_a_stand_in_processing_log_gets_no_logger_names() -> None:
    """The conformance harness's stand-in log takes (query id, kind, message, record, cause): the failing
    step's logger name (runtime.pipeline.with_logger) and the thread's failure go to the real log only."""
    seen: list[str] = []

    class StandIn:
        def error(self, query_id: str, kind: str, message: str, record: Any, cause: Any = None) -> None:
            seen.append(message)

    props = {"ksql.streams.auto.offset.reset": "earliest"}
    e = Engine(EngineConfig(service_id="x_", synchronous=True, command_topic=False, processing_log=False, properties=props), MemoryDriver())
    try:
        e.state.processing_log = StandIn()  # type: ignore[assignment]
        e.execute("CREATE STREAM S (K STRING KEY, D STRING) WITH (KAFKA_TOPIC='s', PARTITIONS=1, FORMAT='JSON');")
        e.execute("CREATE STREAM O AS SELECT K, CAST(D AS INT) AS X FROM S WHERE CAST(D AS INT) > 0;")
        e.driver.produce("s", [Record(b'"k"', b'{"D": "x"}', 1)])
        e.drain()
        # the CAST's nested failure, then the predicate's: SqlPredicate's default value false is returned as
        # `(java.lang.Integer) defaultValue`, a ClassCastException that fails the predicate
        assert seen == ["Error evaluating predicate (CAST(D AS INTEGER) > 0)"] * 2
    finally:
        e.close()
