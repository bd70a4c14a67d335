"""Port of ksqlDB 0.29 `io.confluent.ksql.rest.server.BackupReplayFileTest` (ksqldb-rest-app): the command-topic
backup file (cluster/backup.py BackupReplayFile), one `<key>:<value>` line per record."""

from __future__ import annotations

from pathlib import Path

import pytest

from ksqlserver.cluster.backup import BackupReplayFile


def _key(name: str) -> bytes:
    return f'"stream/{name}/create"'.encode()


def _value(name: str) -> bytes:
    return (
        f'{{"statement":"CREATE STREAM {name} (id INT) WITH (kafka_topic=\'{name}\')",'
        '"streamsProperties":{},"originalProperties":{},"plan":null}'
    ).encode()


def _line(name: str) -> str:
    return (_key(name) + b":" + _value(name)).decode()


@pytest.fixture()
def path(tmp_path: Path) -> Path:
    return tmp_path / "backup_command_topic_111"


def test_should_get_file_path(path: Path) -> None:
    """BackupReplayFileTest.shouldGetFilePath"""
    assert BackupReplayFile(path).path == path


def test_should_write_record(path: Path) -> None:
    """BackupReplayFileTest.shouldWriteRecord"""
    BackupReplayFile(path).write(_key("stream1"), _value("stream1"))
    assert path.read_text().splitlines() == [_line("stream1")]


def test_should_write_multiple_records(path: Path) -> None:
    """BackupReplayFileTest.shouldWriteMultipleRecords; the .dirty copy keeps in step"""
    f = BackupReplayFile(path)
    f.write(_key("stream1"), _value("stream1"))
    f.write(_key("stream2"), _value("stream2"))
    assert path.read_text().splitlines() == [_line("stream1"), _line("stream2")]
    assert f.dirty.read_text() == path.read_text()
    assert not f.tmp.exists()


def test_should_preserve_backup_on_write_failure(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """BackupReplayFileTest.shouldPreserveBackupOnWriteFailure: a write that fails leaves the live file as it
    was"""
    f = BackupReplayFile(path)
    f.write(_key("stream1"), _value("stream1"))

    def failing(target: Path, key: bytes, value: bytes) -> None:
        with target.open("ab") as out:
            out.write(key)
        raise OSError("disk full")

    monkeypatch.setattr(BackupReplayFile, "_append", staticmethod(failing))
    with pytest.raises(OSError):
        f.write(_key("stream1"), _value("stream1"))
    assert path.read_text().splitlines() == [_line("stream1")]


def test_should_write_record_with_new_line_character_in_command(path: Path) -> None:
    """BackupReplayFileTest.shouldWriteRecordWithNewLineCharacterInCommand: JSON escapes it, one line"""
    value = b'{"statement":"CREATE STREAM stream1 (id INT, f\\n1 INT) WITH (kafka_topic=\'topic1\')"}'
    BackupReplayFile(path).write(_key("stream1"), value)
    assert path.read_text().splitlines() == [(_key("stream1") + b":" + value).decode()]


def test_should_be_empty_when_read_all_commands_from_empty_file(path: Path) -> None:
    """BackupReplayFileTest.shouldBeEmptyWhenReadAllCommandsFromEmptyFile"""
    assert BackupReplayFile(path).read_records() == []


def test_should_read_commands(path: Path) -> None:
    """BackupReplayFileTest.shouldReadCommands: each line split at its first ':'"""
    path.write_text(f"{_line('stream1')}\n{_line('stream2')}")
    assert BackupReplayFile(path, writable=False).read_records() == [
        (_key("stream1"), _value("stream1")),
        (_key("stream2"), _value("stream2")),
    ]
