"""Query ids and commandSequenceNumber as a ksqlDB 0.29 server with a command topic gives them.

ksqlDB's DistributingExecutor writes each command in its own transaction, so the commit marker takes an
offset and commands sit at 0, 2, 4, ...; CommandStore.enqueueCommand returns the record's offset as the
CommandStatusEntity's commandSequenceNumber (QueuedCommandStatus). InteractiveStatementExecutor.executePlan
calls SpecificQueryIdGenerator.setNextId(offset + 1) after each planned command, so the query planned next
gets that number; TERMINATE, PAUSE and RESUME are commands without a plan (ValidatedCommandFactory) and leave
it alone. Without a command topic the engine numbers as ksqlDB's test harness (TestExecutor's
SequentialQueryIdGenerator): 0, 1, 2, ...
"""

from __future__ import annotations

import json
import threading
import time
from typing import Any

import pytest

from ksqlserver.cluster.command_log import Command, command_topic
from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig

TOPIC = command_topic("num_")
EARLIEST = {"ksql.streams.auto.offset.reset": "earliest"}
# Confluent's kafka-tutorials "merging" tutorial (ksqlDB 0.28.2, no processing log stream): three streams,
# then two INSERT INTO ... SELECT, which its recorded DESCRIBE EXTENDED shows as INSERTQUERY_5 and _7
MERGING = [
    "CREATE STREAM rock_songs (artist VARCHAR, title VARCHAR) "
    "WITH (kafka_topic='rock_songs', partitions=1, value_format='avro');",
    "CREATE STREAM classical_songs (artist VARCHAR, title VARCHAR) "
    "WITH (kafka_topic='classical_songs', partitions=1, value_format='avro');",
    "CREATE STREAM all_songs (artist VARCHAR, title VARCHAR, genre VARCHAR) "
    "WITH (kafka_topic='all_songs', partitions=1, value_format='avro');",
    "INSERT INTO all_songs SELECT artist, title, 'rock' AS genre FROM rock_songs;",
    "INSERT INTO all_songs SELECT artist, title, 'classical' AS genre FROM classical_songs;",
]
JSON_MERGING = [s.replace("'avro'", "'json'") for s in MERGING]


def engine(driver: MemoryDriver, command_topic: bool = True, processing_log: bool = False) -> Engine:
    config = EngineConfig(
        service_id="num_", synchronous=True, processing_log=processing_log, command_topic=command_topic
    )
    return Engine(config, driver)


def run(e: Engine, statements: list[str]) -> list[dict[str, Any]]:
    return [entity for s in statements for entity in e.execute(s, EARLIEST)]


def ids(entities: list[dict[str, Any]]) -> list[Any]:
    return [(x.get("commandSequenceNumber"), (x.get("commandStatus") or {}).get("queryId")) for x in entities]


@pytest.fixture
def driver() -> MemoryDriver:
    return MemoryDriver()


def test_merging_tutorial_numbers_as_a_ksqldb_server(driver: MemoryDriver) -> None:
    """InteractiveStatementExecutor.executePlan: setNextId(offset + 1); DistributingExecutor's transaction
    per command: offsets 0, 2, 4, ... (the merging tutorial's INSERTQUERY_5 and INSERTQUERY_7)."""
    e = engine(driver)
    assert ids(run(e, JSON_MERGING)) == [
        (0, None),
        (2, None),
        (4, None),
        (6, "INSERTQUERY_5"),
        (8, "INSERTQUERY_7"),
    ]
    commands = [Command.from_record(r) for r in driver.records(TOPIC)]
    assert [c.sequence for c in commands] == [0, 2, 4, 6, 8]
    # the ids reach the consumer groups and internal topics, as ksqlDB's QueryApplicationId does
    assert sorted(e.state.persistent) == ["INSERTQUERY_5", "INSERTQUERY_7"]
    e.close()


def test_commands_without_a_plan_take_an_offset_but_leave_the_generator(driver: MemoryDriver) -> None:
    """ValidatedCommandFactory: TERMINATE, PAUSE, RESUME are commands (Command.of(statement)) without a
    KsqlPlan, and only InteractiveStatementExecutor.executePlan moves SpecificQueryIdGenerator."""
    e = engine(driver)
    entities = run(
        e,
        [
            JSON_MERGING[0],
            "CREATE STREAM A AS SELECT * FROM rock_songs;",  # offset 2: CSAS_A_1
            "PAUSE CSAS_A_1;",  # 4
            "RESUME CSAS_A_1;",  # 6
            "TERMINATE CSAS_A_1;",  # 8
            "CREATE STREAM B AS SELECT * FROM rock_songs;",  # 10: the generator still holds 2 + 1
        ],
    )
    assert ids(entities) == [(0, None), (2, "CSAS_A_1"), (4, None), (6, None), (8, None), (10, "CSAS_B_3")]
    e.close()


def test_statements_that_are_not_commands_take_no_offset(driver: MemoryDriver) -> None:
    """RequestHandler/CustomExecutors: SET, DEFINE, SHOW/LIST/DESCRIBE, INSERT VALUES, ASSERT are executed
    locally; DistributingExecutor.checkIfNotExistsResponse answers CREATE ... IF NOT EXISTS of an existing
    source with a warning; a statement that fails validation writes no command."""
    e = engine(driver)
    run(e, JSON_MERGING[:1])  # offset 0
    local = run(
        e,
        [
            "SET 'auto.offset.reset'='earliest';",
            "DEFINE x = 'y';",
            "SHOW STREAMS;",
            "DESCRIBE rock_songs;",
            "INSERT INTO rock_songs (artist, title) VALUES ('a', 'b');",
            "ASSERT TOPIC rock_songs;",
        ],
    )
    assert all(x["@type"] != "currentStatus" for x in local)
    [warning] = e.execute(JSON_MERGING[0].replace("CREATE STREAM", "CREATE STREAM IF NOT EXISTS"))
    assert warning == {
        "@type": "warning_entity",
        "statementText": warning["statementText"],
        "message": "Cannot add stream `ROCK_SONGS`: A stream with the same name already exists.",
        "warnings": [],
    }
    with pytest.raises(Exception, match="does not exist"):
        e.execute("CREATE STREAM C AS SELECT * FROM nowhere;")
    [created] = e.execute("CREATE STREAM D AS SELECT * FROM rock_songs;", EARLIEST)
    assert ids([created]) == [(2, "CSAS_D_1")]
    assert len(driver.records(TOPIC)) == 2
    e.close()


def test_the_processing_log_stream_is_the_first_command(driver: MemoryDriver) -> None:
    """KsqlRestApplication.maybeCreateProcessingLogStream: with ksql.logging.processing.stream.auto.create,
    the stream is created through /ksql after the command topic is replayed, so it is the command at
    offset 0; a restart finds it and writes nothing."""
    e = engine(driver, processing_log=True)
    assert ids(run(e, JSON_MERGING)[3:]) == [(8, "INSERTQUERY_7"), (10, "INSERTQUERY_9")]
    e.close()
    again = engine(driver, processing_log=True)
    assert len(driver.records(TOPIC)) == 6
    [created] = again.execute("CREATE STREAM A AS SELECT * FROM rock_songs;", EARLIEST)
    assert ids([created]) == [(12, "CSAS_A_11")]
    again.close()


def test_a_restart_keeps_ids_and_goes_on_from_the_last_offset(driver: MemoryDriver) -> None:
    """CommandRunner's restore (InteractiveStatementExecutor.handleRestore -> executePlan) sets the
    generator after each replayed command, so a restarted server numbers on from the topic's end."""
    e = engine(driver)
    run(e, [*JSON_MERGING, "TERMINATE INSERTQUERY_5;"])  # offset 10, no plan
    e.close()
    again = engine(driver)
    assert sorted(again.state.persistent) == ["INSERTQUERY_7"]
    [created] = again.execute("CREATE STREAM A AS SELECT * FROM rock_songs;", EARLIEST)
    assert ids([created]) == [(12, "CSAS_A_9")]
    again.close()


def test_two_servers_sharing_a_service_id_agree(driver: MemoryDriver) -> None:
    """Servers of one service id read the same command topic (CommandRunner), so each command's offset
    and query id are the same on both."""
    first, second = engine(driver), engine(driver)
    assert first.commands is not None and second.commands is not None
    run(first, JSON_MERGING[:3])
    second.commands.poll()
    [created] = second.execute(JSON_MERGING[3], EARLIEST)
    assert ids([created]) == [(6, "INSERTQUERY_5")]
    first.commands.poll()
    [created] = first.execute(JSON_MERGING[4], EARLIEST)
    assert ids([created]) == [(8, "INSERTQUERY_7")]
    second.commands.poll()
    assert sorted(first.state.persistent) == sorted(second.state.persistent) == ["INSERTQUERY_5", "INSERTQUERY_7"]
    assert (first.state.command_seq, first.state.query_counter) == (10, 9)
    assert (second.state.command_seq, second.state.query_counter) == (10, 9)
    first.close()
    second.close()


def test_a_version_1_command_log_counts_its_commands(driver: MemoryDriver) -> None:
    """Commands written before offsets were recorded take their place in the topic (0, 2, 4, ...) and
    keep the query ids they were given."""
    def v1(statement: str, query_id: str | None = None) -> Record:
        value = {"statement": statement, "streamsProperties": EARLIEST, "queryId": query_id, "version": 1}
        return Record(b'{"commandId": ""}', json.dumps(value).encode())

    driver.create_topic(TOPIC)
    driver.produce(TOPIC, [v1(s) for s in JSON_MERGING[:3]] + [v1(JSON_MERGING[3], "INSERTQUERY_0")])
    e = engine(driver)
    assert list(e.state.persistent) == ["INSERTQUERY_0"]
    [created] = e.execute(JSON_MERGING[4], EARLIEST)
    assert ids([created]) == [(8, "INSERTQUERY_7")]
    e.close()


def test_a_version_1_command_may_read_the_processing_log_stream(driver: MemoryDriver) -> None:
    """Version 1 servers made the processing log stream before the replay, outside the command topic."""
    driver.create_topic(TOPIC)
    value = {"statement": "CREATE STREAM ERRS AS SELECT * FROM KSQL_PROCESSING_LOG;", "queryId": "CSAS_ERRS_0"}
    driver.produce(TOPIC, [Record(b'{"commandId": ""}', json.dumps(value).encode())])
    e = engine(driver, processing_log=True)
    assert list(e.state.persistent) == ["CSAS_ERRS_0"]
    assert e.commands is not None and e.commands.failed == 0
    e.close()


def test_without_a_command_topic_ids_count_from_0(driver: MemoryDriver) -> None:
    """ksqlDB's QTT TestExecutor: a SequentialQueryIdGenerator, so CSAS_OUTPUT_0 for the first query."""
    e = engine(driver, command_topic=False)
    assert [q for _, q in ids(run(e, JSON_MERGING))] == [None, None, None, "INSERTQUERY_0", "INSERTQUERY_1"]
    assert [s for s, _ in ids(run(e, ["CREATE STREAM X AS SELECT * FROM rock_songs;"]))] == [6]
    assert sorted(e.state.persistent)[-1] == "INSERTQUERY_1"
    e.close()


def test_concurrent_requests_never_share_an_offset_or_a_query_id() -> None:
    """DistributingExecutor serialises commands (one transactional producer, waitForCommandConsumer), so
    each gets an offset and id of its own; here the engine lock covers a command from planning to record
    (a write to the command topic takes a while, as a broker's acknowledgement does)."""

    class SlowCommandTopic(MemoryDriver):
        def produce(self, topic: str, records: Any, *args: Any, **kwargs: Any) -> None:
            if topic == TOPIC:
                time.sleep(0.02)
            super().produce(topic, records, *args, **kwargs)

    e = engine(SlowCommandTopic())
    run(e, JSON_MERGING[:1])
    results: list[dict[str, Any]] = []

    def create(i: int) -> None:
        results.extend(e.execute(f"CREATE STREAM C{i} AS SELECT * FROM rock_songs;", EARLIEST))

    threads = [threading.Thread(target=create, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    offsets = sorted(s for s, _ in ids(results))
    assert offsets == list(range(2, 18, 2))
    assert sorted(int(q.rsplit("_", 1)[1]) for _, q in ids(results)) == [s - 1 for s in offsets]
    e.close()
