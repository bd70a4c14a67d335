"""Port of ksqlDB 0.29 `io.confluent.ksql.rest.server.CommandTopicBackupImplTest` (ksqldb-rest-app): the backup
of the command topic under `ksql.metastore.backup.location` (cluster/backup.py CommandTopicBackup), and, as a
server shows it, a topic out of step with its backup (CommandStore.corruptionDetected -> DEGRADED).
shouldNotWriteMigrationCommandToBackup has no counterpart: this server has no command topic migration."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from ksqlserver.cluster.backup import BackupError, CommandTopicBackup, CommandTopicCorruptionError
from ksqlserver.cluster.command_log import Command, command_topic
from ksqlserver.drivers.memory import MemoryDriver

TOPIC = "command_topic"
COMMAND1 = (b'"stream/stream1/create"', b'{"statement":"CREATE STREAM stream1 (id INT)"}')
COMMAND2 = (b'"stream/stream2/create"', b'{"statement":"CREATE STREAM stream2 (id INT)"}')
COMMAND3 = (b'"stream/stream3/create"', b'{"statement":"CREATE STREAM stream3 (id INT)"}')


class Ticker:
    def __init__(self) -> None:
        self.now = 1

    def __call__(self) -> int:
        self.now += 1
        return self.now


def _backup(location: Path, topic_exists: bool = True, ticker: Ticker | None = None) -> CommandTopicBackup:
    return CommandTopicBackup(str(location), TOPIC, lambda: topic_exists, ticker or Ticker())


def _write(backup: CommandTopicBackup, record: tuple[bytes | None, bytes | None], offset: int = 0) -> None:
    backup.write_record(record[0], record[1], 0, offset)


def test_should_throw_when_backup_location_is_not_directory(tmp_path: Path) -> None:
    """CommandTopicBackupImplTest.shouldThrowWhenBackupLocationIsNotDirectory"""
    file = tmp_path / "file"
    file.touch()
    with pytest.raises(BackupError) as e:
        _backup(file)
    assert f"{file} is not a directory." in e.value.message


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads and writes any directory")
@pytest.mark.parametrize("mode", [0o500, 0o300], ids=["not-writable", "not-readable"])
def test_should_throw_when_backup_location_is_not_usable(tmp_path: Path, mode: int) -> None:
    """CommandTopicBackupImplTest.shouldThrowWhenBackupLocationIsNotWritable / ...NotReadable"""
    folder = tmp_path / "dir"
    folder.mkdir()
    folder.chmod(mode)
    with pytest.raises(BackupError) as e:
        _backup(folder)
    assert f"The backups directory is not readable/writable for KSQL server: {folder}" in e.value.message


def test_should_create_backup_location_when_does_not_exist(tmp_path: Path) -> None:
    """CommandTopicBackupImplTest.shouldCreateBackupLocationWhenDoesNotExist (rwx------)"""
    folder = tmp_path / "ksql-backups"
    _backup(folder)
    assert folder.is_dir()
    assert folder.stat().st_mode & 0o777 == 0o700


@pytest.mark.parametrize("record", [(None, COMMAND1[1]), (COMMAND1[0], None)], ids=["null-key", "null-value"])
def test_should_not_fail_if_record_key_or_value_is_null(tmp_path: Path, record: Any) -> None:
    """CommandTopicBackupImplTest.shouldNotFailIfRecordKeyIsNull / shouldNotFailIfRecordValueIsNull"""
    backup = _backup(tmp_path)
    backup.initialize()
    _write(backup, record)
    assert not backup.corruption_detected


def test_should_write_command_to_backup_to_replay_file(tmp_path: Path) -> None:
    """CommandTopicBackupImplTest.shouldWriteCommandToBackupToReplayFile"""
    backup = _backup(tmp_path)
    backup.initialize()
    _write(backup, COMMAND1)
    assert backup.replay_file is not None
    assert backup.replay_file.read_records() == [COMMAND1]


def test_should_ignore_record_previously_replayed(tmp_path: Path) -> None:
    """CommandTopicBackupImplTest.shouldIgnoreRecordPreviouslyReplayed"""
    backup = _backup(tmp_path)
    backup.initialize()
    _write(backup, COMMAND1)
    assert backup.replay_file is not None
    previous = backup.replay_file.path
    backup.initialize()
    _write(backup, COMMAND1)
    assert backup.replay_file.read_records() == [COMMAND1]
    assert backup.replay_file.path == previous


def test_should_not_create_new_replay_file_if_new_records_do_not_match_previous_backups(
    tmp_path: Path,
) -> None:
    """CommandTopicBackupImplTest.shouldNotCreateNewReplayFileIfNewRecordsDoNotMatchPreviousBackups"""
    backup = _backup(tmp_path)
    backup.initialize()
    _write(backup, COMMAND1)
    assert backup.replay_file is not None
    previous = backup.replay_file.path
    backup.initialize()
    with pytest.raises(CommandTopicCorruptionError) as e:
        _write(backup, COMMAND2, offset=3)
    assert e.value.message == (
        "Failed to write record due to out of sync command topic and backup file. partition=0, offset=3"
    )
    assert backup.replay_file.path == previous
    assert backup.corruption_detected
    with pytest.raises(CommandTopicCorruptionError):
        _write(backup, COMMAND2)


def test_should_write_previous_replayed_records_already_checked(tmp_path: Path) -> None:
    """CommandTopicBackupImplTest.shouldWritePreviousReplayedRecordsAlreadyChecked: the file is left as it was"""
    backup = _backup(tmp_path)
    backup.initialize()
    _write(backup, COMMAND1)
    _write(backup, COMMAND2)
    backup.initialize()
    _write(backup, COMMAND1)
    with pytest.raises(CommandTopicCorruptionError):
        _write(backup, COMMAND3)
    assert backup.replay_file is not None
    assert backup.replay_file.read_records() == [COMMAND1, COMMAND2]
    assert backup.corruption_detected


def test_should_detect_corruption_when_topic_is_missing_with_backup(tmp_path: Path) -> None:
    """CommandTopicBackupImpl.initialize: records in the backup but no command topic"""
    backup = _backup(tmp_path)
    backup.initialize()
    _write(backup, COMMAND1)
    missing = _backup(tmp_path, topic_exists=False)
    missing.initialize()
    assert missing.corruption_detected


def test_should_create_new_replay_file_when_no_backup_files_exist(tmp_path: Path) -> None:
    """CommandTopicBackupImplTest.shouldCreateNewReplayFileWhenNoBackupFilesExist: backup_<topic>_<ticker>"""
    backup = _backup(tmp_path)
    backup.initialize()
    assert backup.replay_file is not None
    assert backup.replay_file.path == tmp_path / f"backup_{TOPIC}_2"


def test_should_open_latest_replay_file(tmp_path: Path) -> None:
    """CommandTopicBackupImplTest.shouldOpenLatestReplayFileWhenOneExists / ...WhenTwoExist /
    ...WhenDifferentCommandTopicNamesExist / shouldOpenReplayFileAndIgnoreFileWithInvalidTimestamp"""
    for name in (
        f"backup_{TOPIC}_111",
        f"backup_{TOPIC}_222",
        f"backup_{TOPIC}_222x",
        "backup_other_topic_333",
    ):
        (tmp_path / name).touch()
    backup = _backup(tmp_path)
    backup.initialize()
    assert backup.replay_file is not None
    assert backup.replay_file.path == tmp_path / f"backup_{TOPIC}_222"


def test_server_is_degraded_when_command_topic_is_out_of_step_with_backup(rest: Any, tmp_path: Path) -> None:
    """CommandStore.corruptionDetected as a client sees it: a server whose command topic holds other records
    than its backup restores nothing past them and is DEGRADED (CORRUPTED)"""
    properties = {"ksql.metastore.backup.location": str(tmp_path)}
    driver = MemoryDriver()
    driver.create_topic("t", 1, 1)
    _, _, server = rest.start(properties, command_topic=True, driver=driver)
    rest.ok(server, "CREATE STREAM A (K STRING KEY, V INT) WITH (kafka_topic='t', value_format='json');")
    # the command runner's thread writes the backup: a `.dirty` copy, and a `.tmp` link while it swaps them
    files = rest.eventually(lambda: [f for f in tmp_path.iterdir() if f.name.startswith("backup_") and not f.suffix],
                            lambda fs: len(fs) == 1 and len(fs[0].read_text().splitlines()) >= 1)  # fmt: skip
    assert len(files) == 1 and files[0].read_text().splitlines()
    topic = command_topic("default_")
    driver.delete_topic(topic)  # someone rewrote the command topic
    driver.create_topic(topic, 1, 1)
    driver.produce(topic, [Command("CREATE STREAM B (K STRING KEY, V INT) WITH (kafka_topic='t', value_format='json');",
                                   command_id="stream/`B`/create").to_record()])  # fmt: skip
    _, _, second = rest.start(properties, command_topic=True, driver=driver)
    [entity] = rest.ok(second, "SHOW STREAMS;")
    assert "B" not in {s["name"] for s in entity["streams"]}
    assert entity["warnings"][0]["message"].startswith(
        "The server has detected corruption in the command topic"
    )
