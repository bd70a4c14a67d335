"""Port of ksqlDB 0.29 `io.confluent.ksql.tools.migrations.MigrationsParsingTest`: the command line
(Migrations.parseCommandFromArgs): help with no arguments, `--help`/`-h` globally and per command, the
config file before or after the command but not both."""

from __future__ import annotations

import io

import pytest

from ksqlserver.migrations import MigrationError
from ksqlserver.migrations.cli import Parsed, parse_args

CONFIG_FILE_PATH = "/path/to/ksql-migrations.properties"
GLOBAL_HELP = "ksql-migrations [ {-c | --config-file} <config-file> ] <command> [ <args> ]"
APPLY_HELP = "ksql-migrations apply - Migrates the metadata schema to a new schema"


@pytest.mark.parametrize("args", [[], ["--help"], ["-h"]], ids=["no_args", "long", "short"])
def test_should_print_global_help(args: list[str]) -> None:
    """shouldPrintHelpIfNoArgs, shouldPrintHelpOnGlobalHelpOptionLong, shouldPrintHelpOnGlobalHelpOptionShort"""
    out = io.StringIO()
    assert parse_args(args, out) is None
    assert GLOBAL_HELP in out.getvalue()


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_should_print_help_for_specific_command(flag: str) -> None:
    """shouldPrintHelpForSpecificCommandLong, shouldPrintHelpForSpecificCommandShort"""
    out = io.StringIO()
    assert parse_args(["apply", flag], out) is None
    assert APPLY_HELP in out.getvalue()


@pytest.mark.parametrize(
    "args",
    [["--config-file", CONFIG_FILE_PATH, "info"], ["info", "--config-file", CONFIG_FILE_PATH]],
    ids=["before", "after"],
)
def test_should_accept_config_file_before_or_after_command(args: list[str]) -> None:
    """shouldAcceptConfigFileBeforeCommand, shouldAcceptConfigFileAfterCommand"""
    parsed = parse_args(args, io.StringIO())
    assert parsed == Parsed("info", CONFIG_FILE_PATH)


def test_should_not_accept_config_file_both_before_and_after_command() -> None:
    """shouldNotAcceptConfigFileBothBeforeAndAfterCommand"""
    with pytest.raises(MigrationError) as e:
        parse_args(["--config-file", CONFIG_FILE_PATH, "info", "--config-file", CONFIG_FILE_PATH], io.StringIO())
    assert "Only one of the following options may be specified but 2 were found" in str(e.value)
