"""The command topic over the in-memory driver: statements recorded, replayed into a new engine with the
same query ids, queries resuming from their committed offsets, other servers' commands followed."""

from __future__ import annotations

import json

import pytest

from ksqlserver.cluster.command_log import Command, CommandError, command_topic
from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig

EARLIEST = {"ksql.streams.auto.offset.reset": "earliest"}
TOPIC = command_topic("test_")
CREATE_TX = (
    "CREATE STREAM TX (ID STRING KEY, AMOUNT DOUBLE) WITH (KAFKA_TOPIC='tx', VALUE_FORMAT='DELIMITED');"
)


def engine(driver: MemoryDriver) -> Engine:
    return Engine(EngineConfig(service_id="test_", synchronous=True), driver)


def produce(driver: MemoryDriver, n: int, start: int = 0) -> None:
    driver.produce("tx", [Record(f"k{i}".encode(), f"{i}.5".encode(), i) for i in range(start, start + n)])


@pytest.fixture
def driver() -> MemoryDriver:
    d = MemoryDriver()
    d.create_topic("tx", partitions=1)
    return d


def test_statements_are_recorded_with_properties_and_query_ids(driver: MemoryDriver) -> None:
    e = engine(driver)
    e.execute(CREATE_TX)
    e.execute("CREATE STREAM BIG AS SELECT * FROM TX WHERE AMOUNT > 10;", EARLIEST)
    e.execute("SHOW STREAMS; SET 'auto.offset.reset'='earliest'; INSERT INTO BIG SELECT * FROM TX;")
    # the processing log stream is the first command (KsqlRestApplication.maybeCreateProcessingLogStream)
    log_stream, *commands = [Command.from_record(r) for r in driver.records(TOPIC)]
    assert log_stream.statement.startswith("CREATE STREAM KSQL_PROCESSING_LOG (")
    assert [c.statement for c in commands] == [
        CREATE_TX,
        "CREATE STREAM BIG AS SELECT * FROM TX WHERE AMOUNT > 10;",
        "INSERT INTO BIG SELECT * FROM TX;",
    ]
    # ids and offsets as a ksqlDB server's (InteractiveStatementExecutor: setNextId(offset + 1))
    assert [c.query_id for c in commands] == [None, "CSAS_BIG_3", "INSERTQUERY_5"]
    assert [c.sequence for c in (log_stream, *commands)] == [0, 2, 4, 6]
    # the SET before the INSERT travels with it
    assert commands[2].properties == {"ksql.streams.auto.offset.reset": "earliest"}
    assert commands[1].properties == EARLIEST
    # the key is the CommandId as a JSON string, as ksqlDB's InternalTopicSerdes writes it
    assert json.loads(driver.records(TOPIC)[1].key or b"") == "stream/`TX`/create"
    e.close()


def test_replay_restores_sources_and_queries_with_stable_ids(driver: MemoryDriver) -> None:
    e = engine(driver)
    e.execute(CREATE_TX)
    e.execute("CREATE STREAM A AS SELECT * FROM TX;", EARLIEST)
    e.execute("CREATE STREAM B AS SELECT * FROM TX WHERE AMOUNT > 2;", EARLIEST)
    e.execute("TERMINATE CSAS_A_3;")
    e.execute("DROP STREAM A;")
    produce(driver, 5)
    e.drain()
    assert len(driver.records("B")) == 3  # 2.5 is filtered out... and 0.5, 1.5
    e.close()

    again = engine(driver)
    [streams] = again.execute("SHOW STREAMS;")
    assert sorted(s["name"] for s in streams["streams"]) == ["B", "KSQL_PROCESSING_LOG", "TX"]
    assert list(again.state.persistent) == ["CSAS_B_5"]
    # ids go on from the offset of the first server's last command (DROP A, at 10)
    [created] = again.execute("CREATE STREAM C AS SELECT * FROM TX;", EARLIEST)
    assert created["commandStatus"]["queryId"] == "CSAS_C_11"
    # the replayed query resumes after its committed offset: no output twice
    produce(driver, 2, start=5)
    again.drain()
    assert [r.key for r in driver.records("B")] == [f"k{i}".encode() for i in range(2, 7)]
    again.close()


def test_replay_runs_no_query_a_later_command_terminated(driver: MemoryDriver) -> None:
    e = engine(driver)
    e.execute(CREATE_TX)
    e.execute("CREATE STREAM A AS SELECT * FROM TX;", EARLIEST)
    e.execute("TERMINATE CSAS_A_3;")
    e.close()
    produce(driver, 3)
    again = engine(driver)
    again.drain()
    assert again.state.persistent == {}
    assert driver.records("A") == []
    # and the replay itself was not recorded a second time
    assert len(driver.records(TOPIC)) == 4  # with the processing log stream's
    again.close()


def test_a_second_server_follows_commands_and_skips_its_own(driver: MemoryDriver) -> None:
    first, second = engine(driver), engine(driver)
    first.execute(CREATE_TX)
    assert second.commands is not None and first.commands is not None
    assert second.commands.poll() == 1  # TX, from the first server
    second.execute("CREATE STREAM S2 AS SELECT * FROM TX;", EARLIEST)
    assert first.commands.poll() == 1  # S2, from the second server
    assert second.commands.poll() == 0  # its own S2 is not applied twice
    for e in (first, second):
        [streams] = e.execute("SHOW STREAMS;")
        assert {"TX", "S2"} <= {s["name"] for s in streams["streams"]}
        assert list(e.state.persistent) == ["CSAS_S2_3"]
    first.close()
    second.close()


def test_a_command_that_no_longer_applies_is_skipped(driver: MemoryDriver) -> None:
    driver.create_topic(TOPIC)
    driver.produce(
        TOPIC,
        [Command("CREATE STREAM GONE (V INT) WITH (KAFKA_TOPIC='gone', VALUE_FORMAT='JSON');").to_record()],
    )
    driver.produce(TOPIC, [Command(CREATE_TX).to_record()])
    e = engine(driver)
    assert e.commands is not None
    assert (e.commands.applied, e.commands.failed) == (1, 1)
    assert e.commands.degraded is None
    assert e.state.metastore.get("TX") is not None
    e.close()


def test_a_record_that_is_not_a_command_stops_the_replay(driver: MemoryDriver) -> None:
    """CommandRunner.checkForIncompatibleCommands: the commands before it apply, none after, and the runner is
    DEGRADED (INCOMPATIBLE_COMMAND); before, such a record was skipped and the rest applied"""
    driver.create_topic(TOPIC)
    driver.produce(TOPIC, [Command(CREATE_TX).to_record(), Record(None, b"not json")])
    driver.produce(TOPIC, [Command("CREATE STREAM LATER (V INT) WITH (KAFKA_TOPIC='tx', VALUE_FORMAT='JSON');").to_record()])
    e = engine(driver)
    assert e.commands is not None
    assert (e.commands.applied, e.commands.failed, e.commands.degraded) == (1, 1, "INCOMPATIBLE_COMMAND")
    assert e.state.metastore.get("TX") is not None and e.state.metastore.get("LATER") is None
    e.close()


def test_a_bad_record_is_a_command_error_with_its_bytes() -> None:
    with pytest.raises(CommandError) as info:
        Command.from_record(Record(None, b"{}", offset=7))
    assert info.value.raw == b"{}"
    assert "offset 7" in info.value.message
