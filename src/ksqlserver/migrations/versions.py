"""ServerVersionUtil, with KsqlVersion's comparison (ksqldb-common io.confluent.ksql.util.KsqlVersion):
Confluent Platform versions (major >= 4) and ksqlDB standalone ones compare through CP 6.0 = 0.10 and
CP 6.1 = 0.14."""

from __future__ import annotations

import re
from typing import Any

from ksqlserver.migrations import Log, MigrationError
from ksqlserver.migrations.client import ClientError, KsqlClient

_VERSION = re.compile(r"v?([0-9]+)\.([0-9]+)\..*")
_CP_TO_STANDALONE = {(6, 0): (0, 10), (6, 1): (0, 14)}


def _parse(version: str) -> tuple[int, int]:
    match = _VERSION.search(version)  # Matcher.find
    if match is None:
        raise ValueError("Unexpected ksqlDB server version: " + version)
    return int(match.group(1)), int(match.group(2))


def _is_at_least(version: tuple[int, int], other: tuple[int, int]) -> bool:
    """KsqlVersion.isAtLeast."""
    if (version[0] < 4) == (other[0] < 4):
        return version >= other
    if version[0] < 4:
        mapped = _CP_TO_STANDALONE.get(other)
        return mapped is not None and version >= mapped
    mapped = _CP_TO_STANDALONE.get(version)
    return mapped is not None and mapped >= other


def is_supported_version(server_version: str) -> bool:
    try:
        parts = _parse(server_version)
    except ValueError:
        raise MigrationError(
            "Could not parse ksqlDB server version to verify compatibility. Version: " + server_version
        ) from None
    return _is_at_least(parts, (6, 0))


def version_supports_multi_key_pull_query(server_version: str, log: Log | None = None) -> bool:
    try:
        parts = _parse(server_version)
    except ValueError:
        if log is not None:
            log.warn(
                "Could not parse ksqlDB server version to verify whether multi-key pull queries are "
                "supported. Falling back to single-key pull queries only."
            )
        return False
    return _is_at_least(parts, (6, 1))


def get_server_info(client: KsqlClient, server_url: str) -> dict[str, Any]:
    """ServerVersionUtil.getServerInfo: /info's KsqlServerInfo (`version`, `kafkaClusterId`,
    `ksqlServiceId`)."""
    try:
        return client.server_info()
    except ClientError as e:
        raise MigrationError(f"Failed to query {server_url}/info: {e}") from None


def server_version_compatible(client: KsqlClient, server_url: str, log: Log) -> bool:
    try:
        info = get_server_info(client, server_url)
    except MigrationError as e:
        log.error(f"Failed to get server info to verify version compatibility: {e}")
        return False
    try:
        return is_supported_version(str(info.get("version", "")))
    except MigrationError as e:
        log.warn(f"{e}. Proceeding anyway.")
        return True
