"""Port of ksqlDB 0.29 `io.confluent.ksql.rest.server.computation.DistributingExecutorTest` (ksqldb-rest-app):
what a client sees of a statement ksqlDB distributes through the command topic. The Java test mocks the
transactional producer, the command queue and the injectors; here statements go to /ksql of a server with
the in-memory command topic. Transaction failures (shouldAbortOnError_*, shouldThrowExceptionOnFailureToEnqueue,
shouldNotAbortTransactionIfInitTransactionFails) and the authorization cases need a failing broker or a
security extension and are not ported; shouldThrowExceptionWhenInsertIntoUnknownStream is answered earlier, by
the request validator's sandbox (UnknownSourceException)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from ksqlserver.cluster.command_log import Command, command_topic
from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver

TOPIC = command_topic("default_")
CREATE = "CREATE STREAM S (K STRING KEY, V INT) WITH (kafka_topic='t', value_format='json');"
# the statement as the injectors leave it (ConfiguredStatement.getMaskedStatementText of `injected`)
INJECTED = (
    "CREATE STREAM S (K STRING KEY, V INTEGER) "
    "WITH (CLEANUP_POLICY='delete', KAFKA_TOPIC='t', KEY_FORMAT='KAFKA', VALUE_FORMAT='JSON');"
)


def _server(rest: Any, properties: dict[str, str] | None = None) -> tuple[MemoryDriver, Any]:
    driver = MemoryDriver()
    driver.create_topic("t", 1, 1)
    _, _, server = rest.start(properties, command_topic=True, driver=driver)
    return driver, server


def _commands(driver: MemoryDriver) -> list[str]:
    return [Command.from_record(r).statement for r in driver.records(TOPIC)]


def test_should_return_command_status(rest: Any) -> None:
    """DistributingExecutorTest.shouldReturnCommandStatus / shouldEnqueueSuccessfulCommandTransactionally: the
    CommandStatusEntity of the command written to the command topic"""
    driver, server = _server(rest)
    [entity] = rest.ok(server, CREATE)
    assert entity == {
        "@type": "currentStatus",
        "statementText": INJECTED,
        "commandId": "stream/`S`/create",
        "commandStatus": {"status": "SUCCESS", "message": "Stream created", "queryId": None},
        "commandSequenceNumber": entity["commandSequenceNumber"],
        "warnings": [],
    }
    assert isinstance(entity["commandSequenceNumber"], int)
    assert _commands(driver)[-1] in (CREATE, INJECTED)


def test_should_not_init_transaction_when_command_runner_warning_present(rest: Any) -> None:
    """DistributingExecutorTest.shouldNotInitTransactionWhenCommandRunnerWarningPresent: KsqlServerException
    "Failed to handle Ksql Statement." + the warning, and nothing written to the command topic"""
    driver = MemoryDriver()
    driver.create_topic("t", 1, 1)
    driver.create_topic(TOPIC, 1, 1)
    driver.produce(TOPIC, [Record(None, b"not a command")])
    _, _, server = rest.start(command_topic=True, driver=driver)
    r = rest.ksql(server, CREATE)
    assert r.status_code == 500
    assert r.json()["message"] == (
        "Failed to handle Ksql Statement.\n"
        "The server has encountered an incompatible entry in its log and cannot process further DDL statements.\n"
        "This is most likely due to the service being rolled back to an earlier version."
    )
    assert len(driver.records(TOPIC)) == 1


@pytest.mark.parametrize(
    ("topic", "name"),
    [(TOPIC, "CMD"), ("default_ksql_processing_log", "PLOG")],
    ids=["command-topic", "processing-log"],
)
def test_should_throw_exception_when_insert_into_read_only_topic(rest: Any, topic: str, name: str) -> None:
    """DistributingExecutorTest.shouldThrowExceptionWhenInsertIntoReadOnlyTopic /
    shouldThrowExceptionWhenInsertIntoProcessingLogTopic"""
    driver, server = _server(rest)
    if topic not in driver.topics():
        driver.create_topic(topic, 1, 1)
    rest.ok(server, CREATE)
    rest.ok(
        server,
        f"CREATE STREAM {name} (K STRING KEY, V INT) WITH (kafka_topic='{topic}', value_format='json');",
    )
    r = rest.ksql(server, f"INSERT INTO {name} SELECT * FROM S;")
    assert r.status_code == 400, r.text
    assert f"Cannot insert into read-only topic: {topic}" in r.json()["message"]


def test_should_throw_exception_when_insert_into_source_with_headers(rest: Any) -> None:
    """DistributingExecutorTest.shouldThrowExceptionWhenInsertIntoSourceWithHeaders"""
    _, server = _server(rest)
    rest.ok(server, CREATE)
    rest.ok(
        server,
        "CREATE STREAM H (K STRING KEY, V INT, HD ARRAY<STRUCT<`KEY` STRING, `VALUE` BYTES>> HEADERS) "
        "WITH (kafka_topic='t', value_format='json');",
    )
    r = rest.ksql(server, "INSERT INTO H SELECT * FROM S;")
    assert r.status_code == 400, r.text
    assert r.json()["message"] == "Exception while preparing statement: Cannot insert into H because it has header columns"


def test_should_not_enqueue_redundant_if_not_exists(rest: Any) -> None:
    """DistributingExecutorTest.shouldNotEnqueueRedundantIfNotExists: a WarningEntity, no command written"""
    driver, server = _server(rest)
    rest.ok(server, CREATE)
    before = len(driver.records(TOPIC))
    sql = "CREATE STREAM IF NOT EXISTS S (K STRING KEY, V INT) WITH (kafka_topic='t', value_format='json');"
    [entity] = rest.ok(server, sql)
    assert entity["@type"] == "warning_entity"
    assert entity["message"] == "Cannot add stream `S`: A stream with the same name already exists."
    assert len(driver.records(TOPIC)) == before


def test_should_throw_if_rate_limit_hit(rest: Any) -> None:
    """DistributingExecutorTest.shouldThrowIfRateLimitHit: 429 with ERROR_CODE_TOO_MANY_REQUESTS"""
    _, server = _server(rest, {"ksql.server.command.topic.rate.limit": "0.25"})
    codes = [rest.ksql(server, f"CREATE STREAM S{i} (K STRING KEY, V INT) WITH (kafka_topic='t', value_format='json');")
             for i in range(5)]  # fmt: skip
    limited = [r for r in codes if r.status_code == 429]
    assert limited
    body = json.loads(limited[0].text)
    assert body["error_code"] == 42900
    assert "DDL/DML rate is crossing the configured rate limit of statements/second" in body["message"]


def test_rate_limiter_is_guava_try_acquire_with_timeout() -> None:
    """RateLimiter.tryAcquire(1, SECONDS): a permit due within the timeout is waited for, a later one refused"""
    from ksqlserver.statements.command_rate import CommandRateLimiter

    now, slept = [0.0], []
    limiter = CommandRateLimiter(2, clock=lambda: now[0], sleep=slept.append)
    assert limiter.try_acquire()  # free
    assert limiter.try_acquire() and slept == [0.5]  # due in 0.5 s: waited for
    slow = CommandRateLimiter(0.25, clock=lambda: now[0], sleep=slept.append)
    assert slow.try_acquire()
    assert not slow.try_acquire()  # the next permit is 4 s away


def test_replayed_commands_take_no_permit(rest: Any) -> None:
    """CommandRunner executes restored commands itself, not through DistributingExecutor: a restart replays
    more commands than the rate allows, and the server then still has its permit for a new one"""
    driver = MemoryDriver()
    driver.create_topic("t", 1, 1)
    driver.create_topic(TOPIC, 1, 1)
    driver.produce(TOPIC, [Command(f"CREATE STREAM R{i} (K STRING KEY, V INT) WITH (kafka_topic='t', "
                                   "value_format='json');", command_id=f"stream/`R{i}`/create").to_record()
                           for i in range(3)])  # fmt: skip
    _, _, server = rest.start({"ksql.server.command.topic.rate.limit": "0.25"}, command_topic=True, driver=driver)
    [streams] = rest.ok(server, "SHOW STREAMS;")
    assert {"R0", "R1", "R2"} <= {s["name"] for s in streams["streams"]}


def test_or_replace_if_not_exists_of_a_known_name_is_only_a_warning(rest: Any) -> None:
    """DistributingExecutor.checkIfNotExistsResponse looks at isNotExists() alone: CREATE OR REPLACE ... IF NOT
    EXISTS of a known name is answered with the WarningEntity and nothing is written or replaced, once
    RequestValidator's sandbox accepted the replacement (an incompatible one is still refused)."""
    driver, server = _server(rest)
    rest.ok(server, CREATE)
    before = len(driver.records(TOPIC))
    sql = "CREATE OR REPLACE STREAM IF NOT EXISTS S (K STRING KEY, V INT, W INT) WITH (kafka_topic='t', value_format='json');"
    [entity] = rest.ok(server, sql)
    assert entity == {
        "@type": "warning_entity",
        "statementText": sql,
        "message": "Cannot add stream `S`: A stream with the same name already exists.",
        "warnings": [],
    }
    assert len(driver.records(TOPIC)) == before
    [described] = rest.ok(server, "DESCRIBE S;")
    assert [f["name"] for f in described["sourceDescription"]["fields"]] == ["K", "V"]
    bad = "CREATE OR REPLACE STREAM IF NOT EXISTS S (K STRING KEY, W INT) WITH (kafka_topic='t', value_format='json');"
    r = rest.ksql(server, bad)
    assert r.status_code == 400 and r.json()["message"].startswith("Cannot upgrade data source: ")


def test_or_replace_if_not_exists_as_select_of_a_known_name_is_only_a_warning(rest: Any) -> None:
    """checkIfNotExistsResponse for a CreateStreamAsSelect: the warning, the running query kept as it was."""
    driver, server = _server(rest)
    rest.ok(server, CREATE)
    rest.ok(server, "CREATE STREAM C AS SELECT * FROM S;")
    before = len(driver.records(TOPIC))
    [entity] = rest.ok(server, "CREATE OR REPLACE STREAM IF NOT EXISTS C AS SELECT K, V, V AS W FROM S;")
    assert entity["@type"] == "warning_entity"
    assert entity["message"] == "Cannot add stream `C`: A stream with the same name already exists."
    assert len(driver.records(TOPIC)) == before
    [described] = rest.ok(server, "DESCRIBE C;")
    assert [f["name"] for f in described["sourceDescription"]["fields"]] == ["K", "V"]


def test_without_a_command_topic_or_replace_if_not_exists_replaces(rest: Any) -> None:
    """Without the command topic the engine runs the statement: DdlCommandExec.executeCreateStream stops at an
    existing name only without OR REPLACE, so the source is replaced."""
    driver = MemoryDriver()
    driver.create_topic("t", 1, 1)
    _, _, server = rest.start(driver=driver)
    rest.ok(server, CREATE)
    sql = "CREATE OR REPLACE STREAM IF NOT EXISTS S (K STRING KEY, V INT, W INT) WITH (kafka_topic='t', value_format='json');"
    [entity] = rest.ok(server, sql)
    assert entity["@type"] == "currentStatus"
    [described] = rest.ok(server, "DESCRIBE S;")
    assert [f["name"] for f in described["sourceDescription"]["fields"]] == ["K", "V", "W"]
