"""MetadataUtil, MigrationVersionInfo and MigrationVersionInfoFormatter: the migrations metadata stream
(one event per state change, keyed by version and by `CURRENT`) and table (the latest event per key)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from ksqlserver.migrations import Log, MigrationError
from ksqlserver.migrations.client import ClientError, KsqlClient, Row
from ksqlserver.migrations.config import MigrationConfig
from ksqlserver.migrations.files import MigrationFile
from ksqlserver.migrations.versions import get_server_info, version_supports_multi_key_pull_query

NONE_VERSION = "<none>"
CURRENT_VERSION_KEY = "CURRENT"
EMPTY_ERROR_REASON = "N/A"
KEYS = ("VERSION_KEY", "VERSION", "NAME", "STATE", "CHECKSUM", "STARTED_ON", "COMPLETED_ON", "PREVIOUS", "ERROR_REASON")
STATES = ("PENDING", "RUNNING", "MIGRATED", "ERROR")  # MetadataUtil.MigrationState
_EMPTY_TIMESTAMP = "N/A"


def _format_timestamp(epoch: str) -> str:
    """SimpleDateFormat("yyyy-MM-dd HH:mm:ss.SSS z") in the local zone."""
    if epoch in ("", _EMPTY_TIMESTAMP):
        return epoch
    millis = int(epoch)
    local = time.localtime(millis / 1000)
    return time.strftime("%Y-%m-%d %H:%M:%S", local) + f".{millis % 1000:03d} " + time.strftime("%Z", local)


@dataclass(frozen=True)
class MigrationVersionInfo:
    version: int
    expected_hash: str
    prev_version: str
    state: str
    name: str
    started_on: str
    completed_on: str
    error_reason: str

    @staticmethod
    def of(version: int, expected_hash: str, prev_version: str, state: str, name: str,
           started_on: str, completed_on: str, error_reason: str) -> MigrationVersionInfo:
        """The Java constructor: the state must be a MigrationState, the timestamps are formatted."""
        for label, value in (("expectedHash", expected_hash), ("prevVersion", prev_version), ("state", state),
                             ("name", name), ("errorReason", error_reason), ("startedOn", started_on),
                             ("completedOn", completed_on)):
            if value is None:
                raise MigrationError(label)
        if state not in STATES:
            raise MigrationError(f"No enum constant io.confluent.ksql.tools.migrations.util.MetadataUtil.MigrationState.{state}")
        return MigrationVersionInfo(version, expected_hash, prev_version, state, name,
                                    _format_timestamp(started_on), _format_timestamp(completed_on), error_reason)

    @staticmethod
    def from_row(row: Row) -> MigrationVersionInfo:
        return MigrationVersionInfo.of(int(row.get_string(1)), *(row.get_string(i) for i in range(2, 9)))

    @staticmethod
    def pending(version: int, name: str) -> MigrationVersionInfo:
        return MigrationVersionInfo.of(version, "N/A", "N/A", "PENDING", name, "N/A", "N/A", EMPTY_ERROR_REASON)


_FIELDS: tuple[tuple[str, Callable[[MigrationVersionInfo], str]], ...] = (
    ("Version", lambda v: str(v.version)),
    ("Name", lambda v: v.name),
    ("State", lambda v: v.state),
    ("Previous Version", lambda v: v.prev_version),
    ("Started On", lambda v: v.started_on),
    ("Completed On", lambda v: v.completed_on),
    ("Error Reason", lambda v: v.error_reason),
)


def format_version_infos(infos: list[MigrationVersionInfo]) -> str:
    """MigrationVersionInfoFormatter.getFormatted."""
    widths = [max([len(header)] + [len(get(i)) for i in infos]) for header, get in _FIELDS]
    divider = "-" * (sum(widths) + 3 * len(_FIELDS) - 1) + "\n"

    def row(cells: list[str]) -> str:
        return " " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " \n"

    out = [divider, row([h for h, _ in _FIELDS]), divider]
    out += [row([get(i) for _, get in _FIELDS]) for i in infos]
    out.append(divider)
    return "".join(out)


def get_current_version(config: MigrationConfig, client: KsqlClient) -> str:
    table = config.table_name
    try:
        rows = client.execute_query(f"SELECT VERSION FROM {table} WHERE version_key = '{CURRENT_VERSION_KEY}';")
    except ClientError as e:
        raise MigrationError(f"Could not query {table}: {e}") from None
    return NONE_VERSION if not rows else rows[0].get_string("VERSION")


def write_row(config: MigrationConfig, client: KsqlClient, version_key: str, state: str, start_on: str,
              completed_on: str, migration: MigrationFile, previous: str, checksum: str,
              error_reason: str | None) -> None:
    values = (version_key, str(migration.version), migration.name, state, checksum, start_on, completed_on,
              previous, error_reason if error_reason is not None else EMPTY_ERROR_REASON)
    client.insert_into(config.stream_name, dict(zip(KEYS, values, strict=True)))


def get_latest_migrated_version(config: MigrationConfig, client: KsqlClient) -> str:
    current = get_current_version(config, client)
    if current == NONE_VERSION:
        return current
    info = get_info_for_version(current, config, client)
    if info.state == "MIGRATED":
        return current
    if info.prev_version == NONE_VERSION:
        return NONE_VERSION
    prev = get_info_for_version(info.prev_version, config, client)
    validate_version_is_migrated(info.prev_version, prev, current)
    return info.prev_version


def validate_version_is_migrated(version: str, info: MigrationVersionInfo, next_version: str) -> None:
    if info.state != "MIGRATED":
        raise MigrationError(
            "Discovered version with previous version that does not have status MIGRATED. "
            f"Version: {next_version}. Previous version: {version}. Previous version status: {info.state}"
        )


def get_info_for_version(version: str, config: MigrationConfig, client: KsqlClient) -> MigrationVersionInfo:
    info = get_optional_info_for_version(version, config, client)
    if info is None:
        raise MigrationError(
            f"Failed to query state for migration with version {version}: "
            "no such migration is present in the migrations metadata table"
        )
    return info


_INFO_COLUMNS = "version, checksum, previous, state, name, started_on, completed_on, error_reason"


def get_optional_info_for_version(version: str, config: MigrationConfig, client: KsqlClient) -> MigrationVersionInfo | None:
    try:
        rows = client.execute_query(
            f"SELECT {_INFO_COLUMNS} FROM {config.table_name} WHERE version_key = '{version}';")
    except ClientError as e:
        raise MigrationError(f"Failed to query state for migration with version {version}: {e}") from None
    return MigrationVersionInfo.from_row(rows[0]) if rows else None


def get_optional_info_for_versions(versions: list[int], config: MigrationConfig, client: KsqlClient,
                                   log: Log) -> dict[int, MigrationVersionInfo | None]:
    server_version = str(get_server_info(client, config.server_url).get("version", ""))
    if not version_supports_multi_key_pull_query(server_version, log):
        return {v: get_optional_info_for_version(str(v), config, client) for v in versions}
    keys = "', '".join(str(v) for v in versions)
    try:
        rows = client.execute_query(
            f"SELECT {_INFO_COLUMNS} FROM {config.table_name} WHERE version_key IN ('{keys}');")
    except ClientError as e:
        listed = "[" + ", ".join(str(v) for v in versions) + "]"
        raise MigrationError(f"Failed to query state for migration with versions {listed}: {e}") from None
    found = {info.version: info for info in map(MigrationVersionInfo.from_row, rows)}
    return {v: found.get(v) for v in versions}
