"""Where the join co-partitioning check falls among a query's errors, as in ksqlDB 0.29: it is
JoinNode.ensureMatchingPartitionCounts, called from JoinNode.buildStream when the physical plan is built
(after the Analyzer and LogicalPlanner's join checks, before each join's WITHIN check in its joiner, and
before EngineExecutor's maybeCreateSinkDdl / validateExistingSink / validateResultType)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.errors import KsqlError


@pytest.fixture
def engine() -> Iterator[Engine]:
    driver = MemoryDriver()
    e = Engine(EngineConfig(service_id="t_", synchronous=True, processing_log=False, command_topic=False), driver)
    for name, parts in (("a", 1), ("b", 2), ("c", 2), ("ta", 1), ("tb", 2)):
        driver.create_topic(name, parts, 1)
    e.execute(
        "CREATE STREAM A (ID INT KEY, V INT, S STRING) WITH (KAFKA_TOPIC='a', VALUE_FORMAT='JSON');"
        "CREATE STREAM B (ID INT KEY, V INT, S STRING) WITH (KAFKA_TOPIC='b', VALUE_FORMAT='JSON');"
        "CREATE STREAM C (ID INT KEY, V INT) WITH (KAFKA_TOPIC='c', VALUE_FORMAT='JSON');"
        "CREATE TABLE TA (ID INT PRIMARY KEY, V INT) WITH (KAFKA_TOPIC='ta', VALUE_FORMAT='JSON');"
        "CREATE TABLE TB (ID INT PRIMARY KEY, V INT) WITH (KAFKA_TOPIC='tb', VALUE_FORMAT='JSON');"
    )
    yield e
    e.close()


WRAPPED = "Could not determine output schema for query due to error: "


def error(engine: Engine, sql: str) -> str:
    """The planning error of a refused persistent query. A CREATE ... AS SELECT is planned in
    SchemaRegisterInjector's sandbox, and the REST message is its wrapper's raw unlogged details: the prefix
    (asserted here), then the planning error's detailed message (returned). No injector plans an INSERT
    INTO: its message is the planning error's."""
    with pytest.raises(KsqlError) as e:
        engine.execute(sql)
    msg = e.value.message
    if sql.startswith("CREATE"):
        assert msg.startswith(WRAPPED), msg
        return msg[len(WRAPPED) :]
    assert not msg.startswith(WRAPPED), msg
    return msg


PARTS_AB = "Can't join `A` with `B` since the number of partitions don't match. `A` partitions = 1; `B` partitions = 2."


def test_partition_check_comes_before_the_joins_within_checks(engine: Engine) -> None:
    """JoinNode.buildStream: ensureMatchingPartitionCounts, then the joiner's WITHIN check."""
    # a stream-stream join without WITHIN
    assert error(engine, "CREATE STREAM X AS SELECT * FROM A JOIN B ON A.ID = B.ID;").startswith(PARTS_AB)
    # a stream-table join with WITHIN
    msg = error(engine, "CREATE STREAM X AS SELECT * FROM A JOIN TB WITHIN 1 SECOND ON A.ID = TB.ID;")
    assert msg.startswith("Can't join `A` with `TB` since the number of partitions don't match.")
    # co-partitioned: the WITHIN error shows
    msg = error(engine, "CREATE STREAM X AS SELECT * FROM B JOIN C ON B.ID = C.ID;")
    assert msg.startswith("Stream-Stream joins must have a WITHIN clause specified.")


def test_nested_joins_are_checked_root_first(engine: Engine) -> None:
    """The root join's partitions and WITHIN are checked before its left side (a join) is built."""
    # the inner join (A, B) has mismatched partitions; the root join (.., C) lacks its WITHIN
    msg = error(
        engine, "CREATE STREAM X AS SELECT * FROM A JOIN B WITHIN 1 SECOND ON A.ID = B.ID JOIN C ON A.ID = C.ID;"
    )
    assert msg.startswith("Stream-Stream joins must have a WITHIN clause specified.")
    # both have their WITHIN: the inner join's partition counts
    msg = error(
        engine,
        "CREATE STREAM X AS SELECT * FROM A JOIN B WITHIN 1 SECOND ON A.ID = B.ID "
        "JOIN C WITHIN 1 SECOND ON A.ID = C.ID;",
    )
    assert msg.startswith(PARTS_AB)


def test_logical_plan_errors_come_before_the_partition_check(engine: Engine) -> None:
    """LogicalPlanner.verifyJoin (key types, joins on a table's non-key column) runs before the physical
    plan."""
    msg = error(engine, "CREATE STREAM X AS SELECT * FROM A JOIN B WITHIN 1 SECOND ON A.ID = B.S;")
    assert "types don't match" in msg or "Key types differ" in msg
    msg = error(engine, "CREATE STREAM X AS SELECT * FROM A JOIN TB ON A.ID = TB.V;")
    assert msg.startswith("Invalid join condition: stream-table joins require to join on the table's primary key.")


def test_partition_check_comes_before_the_sink_checks(engine: Engine) -> None:
    """EngineExecutor.plan builds the physical plan before maybeCreateSinkDdl (the sink's name),
    validateExistingSink (INSERT INTO's result kind and schema) and validateResultType."""
    join = "SELECT * FROM A JOIN B WITHIN 1 SECOND ON A.ID = B.ID"
    assert error(engine, f"CREATE TABLE X AS {join};").startswith(PARTS_AB)
    assert error(engine, f"CREATE STREAM C AS {join};").startswith(PARTS_AB)
    assert error(engine, f"INSERT INTO C {join};").startswith(PARTS_AB)


def test_foreign_key_joins_are_not_checked(engine: Engine) -> None:
    """JoinNode.buildStream skips ensureMatchingPartitionCounts for a foreign-key join."""
    engine.execute("CREATE TABLE FK AS SELECT TA.ID, TA.V, TB.V AS W FROM TA JOIN TB ON TA.V = TB.ID;")


def test_an_aggregation_over_a_join_checks_the_join_after_its_logical_plan(engine: Engine) -> None:
    """AggregateNode.buildStream builds its source (the join) in the physical plan, after the
    LogicalPlanner's aggregate analysis: a non-aggregate column outside GROUP BY is reported first, then
    the join's partition counts, then its WITHIN."""
    join = "FROM A JOIN B ON A.ID = B.ID"
    msg = error(engine, f"CREATE TABLE X AS SELECT A.ID, A.V, COUNT(*) AS N {join} GROUP BY A.ID;")
    assert "Non-aggregate SELECT expression(s) not part of GROUP BY" in msg
    assert error(engine, f"CREATE TABLE X AS SELECT A.ID, COUNT(*) AS N {join} GROUP BY A.ID;").startswith(PARTS_AB)
