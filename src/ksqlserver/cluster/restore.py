"""`ksql-restore-command-topic`: ksqlDB's KsqlRestoreCommandTopic. Reads a command-topic backup file (written
under `ksql.metastore.backup.location`, cluster/backup.py), checks every record, then deletes and recreates the
command topic of the server whose properties file is given and writes the records back, in order.

    ksql-restore-command-topic --config-file ksql-server.properties [-s] [-y] backup_<topic>_<ms>

Exit codes as the Java tool's: 1 a bad command line or a failed load/restore, 2 a file that cannot be read,
0 when the prompt is not answered "yes"."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

from ksqlserver.cluster.backup import BackupReplayFile
from ksqlserver.cluster.command_log import Command, CommandError, command_topic
from ksqlserver.cluster.internal_topics import ensure_topic
from ksqlserver.drivers.base import Record, TopicDriver
from ksqlserver.errors import KsqlError

# CommandId.Type / CommandId.Action
COMMAND_TYPES = ("TOPIC", "STREAM", "TABLE", "CLUSTER", "PAUSE", "RESUME", "TERMINATE", "TYPE")
COMMAND_ACTIONS = ("CREATE", "DROP", "EXECUTE", "TERMINATE", "ALTER")


class RestoreError(KsqlError):
    """A backup that cannot be restored; names the offending line where there is one."""

    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.line = line


def build_parser() -> argparse.ArgumentParser:
    """RestoreOptions."""
    parser = argparse.ArgumentParser(
        prog="ksql-restore-command-topic", description="KSQL Restore Command Topic"
    )
    parser.add_argument(
        "--config-file",
        required=True,
        help="A file specifying configs for the KSQL Server, KSQL, and its underlying Kafka Streams instance(s).",
    )
    parser.add_argument(
        "--skip-incompatible-commands",
        "-s",
        action="store_true",
        help="Skip the commands this server cannot read instead of failing on the first of them.",
    )
    parser.add_argument("--yes", "-y", action="store_true", help='Automatic "yes" as answer to prompt.')
    parser.add_argument(
        "backup_file", metavar="backup-file", help="The file that contains the metadata backup."
    )
    return parser


def read_properties(path: Path) -> dict[str, str]:
    """PropertiesUtil.loadProperties: Java properties (`=` or `:`, `#`/`!` comments)."""
    props: dict[str, str] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line[0] in "#!":
            continue
        cut = min((i for i in (line.find("="), line.find(":")) if i > 0), default=-1)
        if cut > 0:
            props[line[:cut].strip()] = line[cut + 1 :].strip()
    return props


def _check_command_id(key: bytes) -> None:
    """InternalTopicSerdes' CommandId: a JSON string `<type>/<entity>/<action>` (CommandId.fromString)."""
    text = json.loads(key)
    if not isinstance(text, str):
        raise ValueError(f"expected a JSON string, got {type(text).__name__}")
    parts = text.split("/", 2)
    if len(parts) != 3:
        raise ValueError("Expected a string of the form <type>/<entity>/<action>")
    if parts[0].upper() not in COMMAND_TYPES or parts[2].upper() not in COMMAND_ACTIONS:
        raise ValueError(f"No enum constant for {parts[0]!r} or {parts[2]!r}")


def _query_id(value: bytes) -> str | None:
    """The query a command made: ksqlDB's `plan.queryPlan.queryId`, or this server's `queryId`."""
    try:
        command = json.loads(value)
    except ValueError:
        return None
    if not isinstance(command, dict):
        return None
    plan = command.get("plan")
    query_plan = plan.get("queryPlan") if isinstance(plan, dict) else None
    if isinstance(query_plan, dict) and isinstance(query_plan.get("queryId"), str):
        return str(query_plan["queryId"])
    return command["queryId"] if isinstance(command.get("queryId"), str) else None


def clean_up_query(driver: TopicDriver, value: bytes, properties: Mapping[str, str], out: TextIO) -> None:
    """KsqlRestoreCommandTopic.maybeCleanUpQuery: a skipped command's query loses its internal topics
    (KafkaTopicClient.deleteInternalTopics: `<prefix>-...-changelog` / `-repartition`)."""
    query_id = _query_id(value)
    if query_id is None:
        return
    service_id = properties.get("ksql.service.id", "default_")
    prefix = f"_confluent-ksql-{service_id}{properties.get('ksql.persistent.prefix', 'query_')}{query_id}"
    try:
        for topic in list(driver.topics()):
            if topic.startswith(prefix + "-") and topic.endswith(("-changelog", "-repartition")):
                driver.delete_topic(topic)
        out.write(f"Cleaned up internal state store and internal topics for query {prefix}\n")
    except Exception:
        out.write(f"Failed to clean up query {prefix} \n")


def check_valid_commands(
    records: list[tuple[bytes, bytes]],
    skip_incompatible: bool,
    out: TextIO,
    cleanup: Callable[[bytes], None] | None = None,
) -> list[tuple[bytes, bytes]]:
    """KsqlRestoreCommandTopic.checkValidCommands; `cleanup` gets each skipped command (maybeCleanUpQuery)."""
    valid, skipped, incompatible = [], 0, []
    for n, (key, value) in enumerate(records, start=1):
        try:
            _check_command_id(key)
        except ValueError as e:
            raise RestoreError(f"Invalid CommandId string (line {n}): {key.decode()} ({e})", n) from e
        try:
            Command.from_record(Record(key, value, offset=n - 1))
        except CommandError as e:
            if skip_incompatible:
                skipped += 1
                incompatible.append(value)
                continue
            raise RestoreError(
                f"Incompatible Command string (line {n}): {key.decode()} ({e.message})", n
            ) from e
        valid.append((key, value))
    if skip_incompatible:
        out.write(f"{skipped} incompatible command(s) skipped from backup file.\n")
        for value in incompatible:
            if cleanup is not None:
                cleanup(value)
    return valid


def load_backup(
    path: Path, skip_incompatible: bool, out: TextIO, cleanup: Callable[[bytes], None] | None = None
) -> list[tuple[bytes, bytes]]:
    records = BackupReplayFile(path, writable=False).read_records()
    return check_valid_commands(records, skip_incompatible, out, cleanup)


def restore(
    driver: TopicDriver,
    topic: str,
    records: Sequence[tuple[bytes, bytes]],
    properties: Mapping[str, str] | None = None,
) -> None:
    """KsqlRestoreCommandTopic.restore: delete the topic if it exists, create it (KsqlInternalTopicUtils with the
    server's `properties`), write every record to partition 0."""
    if driver.topic(topic) is not None:
        driver.delete_topic(topic)
    ensure_topic(driver, topic, properties or {})
    for n, (key, value) in enumerate(records, start=1):
        try:
            driver.produce(topic, [Record(key, value, partition=0)])
        except Exception as e:
            raise RestoreError(f"Failed restoring command (line {n}): {key.decode()}", n) from e


def _check_file(path: Path) -> None:
    """KsqlRestoreCommandTopic.checkFileExists."""
    if not path.exists():
        raise RestoreError(f"File does not exist: {path}")
    if not path.is_file():
        raise RestoreError(f"Invalid file: {path}")
    try:
        path.open("rb").close()
    except OSError as e:
        raise RestoreError(f"You don't have Read permissions on file: {path}") from e


def _default_driver(properties: dict[str, str]) -> TopicDriver:
    from ksqlserver.cli import make_driver
    from ksqlserver.config import EngineConfig

    driver: TopicDriver = make_driver(properties.get("bootstrap.servers", "localhost:9092"), EngineConfig())
    return driver


def main(
    argv: Sequence[str] | None = None,
    driver_factory: Callable[[dict[str, str]], TopicDriver] = _default_driver,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """KsqlRestoreCommandTopic.mainInternal; returns the exit code."""
    out, err, inp = stdout or sys.stdout, stderr or sys.stderr, stdin or sys.stdin
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as e:
        return 0 if e.code == 0 else 1
    config_file, backup_file = Path(args.config_file), Path(args.backup_file)
    try:
        _check_file(config_file)
        _check_file(backup_file)
    except RestoreError as e:
        err.write(e.message + "\n")
        return 2
    properties = read_properties(config_file)
    if not args.yes:
        out.write("Restoring the command topic will DELETE your actual metadata.\n")
        out.write("Continue [yes or no] (default: no)? ")
        out.flush()
        if inp.readline().strip().lower() != "yes":
            return 0
    out.write("Loading backup file ...\n")
    started = time.monotonic()
    service_id = properties.get("ksql.service.id", "default_")
    driver: Any = None

    def cleanup(value: bytes) -> None:
        nonlocal driver
        try:
            driver = driver or driver_factory(properties)
        except Exception:
            out.write("Failed to clean up query: no connection to Kafka\n")
            return
        clean_up_query(driver, value, properties, out)

    try:
        records = load_backup(backup_file, args.skip_incompatible_commands, out, cleanup)
    except (RestoreError, OSError, UnicodeDecodeError) as e:
        err.write(f"Failed loading backup file.\nError = {getattr(e, 'message', e)}\n")
        if driver is not None:
            driver.close()
        return 1
    out.write(f"Backup ({len(records)} records) loaded in memory in {_ms(started)} ms.\n\n")
    out.write("Restoring command topic ...\n")
    started = time.monotonic()
    try:
        driver = driver or driver_factory(properties)
        restore(driver, command_topic(service_id), records, properties)
    except Exception as e:
        err.write(f"Failed restoring command topic.\nError = {getattr(e, 'message', e)}\n")
        return 1
    finally:
        if driver is not None:
            driver.close()
    out.write(f"Restore process completed in {_ms(started)} ms.\n\n")
    out.write("You need to restart the ksqlDB server to re-load the command topic.\n")
    return 0


def _ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


def entry() -> None:
    sys.exit(main())


if __name__ == "__main__":
    entry()
