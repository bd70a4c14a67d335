"""Port of ksqlDB 0.29 `io.confluent.ksql.tools.migrations.util.MigrationVersionInfoFormatterTest`."""

from __future__ import annotations

from ksqlserver.migrations.metadata import MigrationVersionInfo, format_version_infos


def test_should_format_version_info() -> None:
    """shouldFormatVersionInfo"""
    formatted = format_version_infos([
        MigrationVersionInfo.of(1, "hash", "<none>", "MIGRATED", "name", "N/A", "N/A", "N/A"),
        MigrationVersionInfo.of(2, "other_hash", "N/A", "PENDING", "other_name", "N/A", "N/A", "N/A"),
    ])
    assert formatted == (
        "-----------------------------------------------------------------------------------------------\n"
        " Version | Name       | State    | Previous Version | Started On | Completed On | Error Reason \n"
        "-----------------------------------------------------------------------------------------------\n"
        " 1       | name       | MIGRATED | <none>           | N/A        | N/A          | N/A          \n"
        " 2       | other_name | PENDING  | N/A              | N/A        | N/A          | N/A          \n"
        "-----------------------------------------------------------------------------------------------\n"
    )
