"""Port of ksqlDB 0.29 `io.confluent.ksql.rest.server.restore.KsqlRestoreCommandTopicTest` (ksqldb-rest-app) and
of `api.integration.QuickDegradeAndRestoreCommandTopicIntegrationTest`: the `ksql-restore-command-topic` tool
(ksqlserver/cluster/restore.py) over the in-memory driver. The Java unit test mocks the topic client and the
transactional producer; the failures it injects (an interrupted or failing send, ACL denials) are here a driver
whose produce fails."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from ksqlserver.cluster.command_log import Command, command_topic
from ksqlserver.cluster.restore import RestoreError, check_valid_commands, main, restore
from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.errors import KsqlError

TOPIC = command_topic("default_")
RECORDS = [
    (b'"stream/`S1`/create"', b'{"statement":"CREATE STREAM S1 (V INT) WITH (kafka_topic=\'t\', value_format=\'json\');"}'),
    (b'"stream/`S2`/create"', b'{"statement":"CREATE STREAM S2 (V INT) WITH (kafka_topic=\'t\', value_format=\'json\');"}'),
]  # fmt: skip


def _records(driver: MemoryDriver) -> list[tuple[bytes | None, bytes | None]]:
    return [(r.key, r.value) for r in driver.records(TOPIC)]


def test_should_create_and_restore_command_topic() -> None:
    """KsqlRestoreCommandTopicTest.shouldCreateAndRestoreCommandTopic: every record, in order, partition 0"""
    driver = MemoryDriver()
    restore(driver, TOPIC, RECORDS)
    assert _records(driver) == RECORDS
    assert driver.topics()[TOPIC].partitions == 1


def test_should_restore_command_topic_with_empty_commands() -> None:
    """KsqlRestoreCommandTopicTest.shouldRestoreCommandTopicWithEmptyCommands"""
    driver = MemoryDriver()
    restore(driver, TOPIC, [])
    assert TOPIC in driver.topics() and _records(driver) == []


def test_should_delete_and_create_command_topic_on_restore() -> None:
    """KsqlRestoreCommandTopicTest.shouldDeleteAndCreateCommandTopicOnRestore: what the topic held is gone"""
    driver = MemoryDriver()
    driver.create_topic(TOPIC, 1, 1)
    driver.produce(TOPIC, [Record(b'"stream/`OLD`/create"', b'{"statement":"old"}')])
    restore(driver, TOPIC, RECORDS[:1])
    assert _records(driver) == RECORDS[:1]


class FailingDriver(MemoryDriver):
    def __init__(self, fail_at: int) -> None:
        super().__init__()
        self.fail_at, self.sent = fail_at, 0

    def produce(self, topic: str, records: Any, wait: bool = True, keep_partition: bool = False) -> None:
        self.sent += 1
        if self.sent == self.fail_at:
            raise OSError("denied")
        super().produce(topic, records, wait, keep_partition)


def test_should_throw_when_restore_execution_fails() -> None:
    """KsqlRestoreCommandTopicTest.shouldThrowWhenRestoreExecutionFails: "Failed restoring command (line 2): <key>\""""
    with pytest.raises(RestoreError) as e:
        restore(FailingDriver(fail_at=2), TOPIC, RECORDS)
    assert e.value.message == 'Failed restoring command (line 2): "stream/`S2`/create"'


def test_check_valid_commands_messages() -> None:
    """KsqlRestoreCommandTopic.checkValidCommands: an invalid CommandId, an incompatible Command (or skipped
    with --skip-incompatible-commands)"""
    with pytest.raises(RestoreError, match=r"^Invalid CommandId string \(line 2\): \"nope\" "):
        check_valid_commands([RECORDS[0], (b'"nope"', RECORDS[1][1])], False, io.StringIO())
    newer = (b'"stream/`S3`/create"', b'{"statement":"CREATE STREAM S3;","version":99}')
    with pytest.raises(RestoreError, match=r'^Incompatible Command string \(line 2\): "stream/`S3`/create" '):
        check_valid_commands([RECORDS[0], newer], False, io.StringIO())
    out = io.StringIO()
    assert check_valid_commands([RECORDS[0], newer, RECORDS[1]], True, out) == RECORDS
    assert out.getvalue() == "1 incompatible command(s) skipped from backup file.\n"


def _files(tmp_path: Path, lines: list[bytes]) -> tuple[Path, Path]:
    config = tmp_path / "ksql-server.properties"
    config.write_text("bootstrap.servers=memory://\nksql.service.id=default_\n")
    backup = tmp_path / "backup_file"
    backup.write_bytes(b"".join(line + b"\n" for line in lines))
    return config, backup


def _run(args: list[str], driver: MemoryDriver, answer: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(args, lambda _props: driver, io.StringIO(answer), out, err)
    return code, out.getvalue(), err.getvalue()


def test_main_restores_after_yes(tmp_path: Path) -> None:
    """KsqlRestoreCommandTopic.mainInternal: the prompt, the progress lines, exit 0"""
    config, backup = _files(tmp_path, [k + b":" + v for k, v in RECORDS])
    driver = MemoryDriver()
    code, out, err = _run(["--config-file", str(config), str(backup)], driver, "yes\n")
    assert (code, err) == (0, "")
    lines = out.split("\n")
    assert lines[0] == "Restoring the command topic will DELETE your actual metadata."
    assert lines[1].startswith("Continue [yes or no] (default: no)? Loading backup file ...")
    assert lines[2].startswith("Backup (2 records) loaded in memory in ") and lines[2].endswith(" ms.")
    assert lines[4] == "Restoring command topic ..."
    assert lines[5].startswith("Restore process completed in ")
    assert lines[7] == "You need to restart the ksqlDB server to re-load the command topic."
    assert _records(driver) == RECORDS


def test_main_stops_without_yes(tmp_path: Path) -> None:
    """promptQuestion: anything but "yes" exits 0 and touches nothing"""
    config, backup = _files(tmp_path, [k + b":" + v for k, v in RECORDS])
    driver = MemoryDriver()
    assert _run(["--config-file", str(config), str(backup)], driver, "no\n")[0] == 0
    assert TOPIC not in driver.topics()


def test_main_file_and_load_errors(tmp_path: Path) -> None:
    """checkFileExists (exit 2) and a backup that fails to load (exit 1)"""
    config, backup = _files(tmp_path, [b'"bad":{"statement":"x"}'])
    driver = MemoryDriver()
    code, _, err = _run(["--yes", "--config-file", str(tmp_path / "missing"), str(backup)], driver)
    assert (code, err) == (2, f"File does not exist: {tmp_path / 'missing'}\n")
    code, _, err = _run(["-y", "--config-file", str(config), str(tmp_path)], driver)
    assert (code, err) == (2, f"Invalid file: {tmp_path}\n")
    code, _, err = _run(["-y", "--config-file", str(config), str(backup)], driver)
    assert code == 1
    assert err.startswith('Failed loading backup file.\nError = Invalid CommandId string (line 1): "bad" (')
    assert _run(["--yes"], driver)[0] == 1  # RestoreOptions.parse: the required options


def test_should_be_in_degrade_mode_after_cmd_topic_delete_and_restart(rest: Any, tmp_path: Path) -> None:
    """QuickDegradeAndRestoreCommandTopicIntegrationTest.shouldBeInDegradeModeAfterCmdTopicDeleteAndRestart:
    the command topic deleted, a restart is DEGRADED (the topic is not recreated); the tool writes the backup
    back and the next restart has the streams and no warning"""
    location = tmp_path / "backups"
    properties = {"ksql.metastore.backup.location": str(location)}
    driver = MemoryDriver()
    driver.create_topic("topic5", 1, 1)
    _, _, server = rest.start(properties, command_topic=True, driver=driver)
    rest.ok(server, "CREATE STREAM TOPIC5 (ID INT) WITH (KAFKA_TOPIC='topic5', VALUE_FORMAT='JSON');")
    rest.ok(server, "CREATE STREAM stream5 AS SELECT * FROM topic5;")
    # the writer's .dirty copy and, for a moment during each write, its .tmp link sit beside the backup
    [backup] = [f for f in location.iterdir() if f.suffix not in (".dirty", ".tmp")]
    rest.eventually(lambda: len(backup.read_text().splitlines()), lambda n: n >= 2)
    rest.close()
    driver.delete_topic(TOPIC)

    _, _, restarted = rest.start(properties, command_topic=True, driver=driver)
    [streams] = rest.ok(restarted, "SHOW STREAMS;")
    assert streams["warnings"][0]["message"].startswith(
        "The server has detected corruption in the command topic"
    )
    assert TOPIC not in driver.topics()
    rest.close()

    config = tmp_path / "ksql-server.properties"
    config.write_text(f"ksql.service.id=default_\nksql.metastore.backup.location={location}\n")
    code, _, err = _run(["--yes", "--config-file", str(config), str(backup)], driver)
    assert (code, err) == (0, "")

    _, _, restored = rest.start(properties, command_topic=True, driver=driver)
    [streams] = rest.ok(restored, "SHOW STREAMS;")
    assert {"TOPIC5", "STREAM5"} <= {s["name"] for s in streams["streams"]}
    assert streams["warnings"] == []


def test_restore_error_is_a_ksql_error() -> None:
    assert issubclass(RestoreError, KsqlError)
    assert Command.from_record(Record(*RECORDS[0])).command_id == "stream/`S1`/create"


def test_skipped_commands_lose_their_query_internal_topics(tmp_path: Path) -> None:
    """KsqlRestoreCommandTopic.maybeCleanUpQuery (with --skip-incompatible-commands): the internal topics of
    the skipped command's query (`plan.queryPlan.queryId`) are deleted; the other topics stay"""
    newer = (b'"stream/`S3`/create"', b'{"statement":"CREATE STREAM S3 AS SELECT 1;","version":99,'
             b'"plan":{"queryPlan":{"queryId":"CSAS_S3_5"}}}')  # fmt: skip
    config, backup = _files(tmp_path, [k + b":" + v for k, v in [RECORDS[0], newer]])
    driver = MemoryDriver()
    internal = "_confluent-ksql-default_query_CSAS_S3_5-Aggregate-GroupBy-repartition"
    kept = "_confluent-ksql-default_query_CSAS_S4_7-Aggregate-GroupBy-repartition"
    for topic in (internal, kept, "S3"):
        driver.create_topic(topic, 1, 1)
    code, out, _ = _run(["-y", "-s", "--config-file", str(config), str(backup)], driver)
    assert code == 0
    assert "1 incompatible command(s) skipped from backup file.\n" in out
    assert (
        "Cleaned up internal state store and internal topics for query _confluent-ksql-default_query_CSAS_S3_5\n"
        in out
    )
    assert internal not in driver.topics() and {kept, "S3"} <= set(driver.topics())
    assert _records(driver) == RECORDS[:1]
