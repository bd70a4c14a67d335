"""Port of ksqlDB 0.29 `io.confluent.ksql.cli.console.cmd.RequestPipeliningCommandTest` (ksqldb-cli): the
`request-pipelining` command reads and sets the session's setting (the mocked supplier / consumer)."""

from __future__ import annotations

import io

import pytest

from ksqlserver.console.client import RestClient
from ksqlserver.console.commands import HELP_TEXTS, PIPELINING
from ksqlserver.console.session import Cli
from ksqlserver.console.terminal import Terminal


def _cli(setting: bool = False) -> tuple[Cli, io.StringIO]:
    out = io.StringIO()
    cli = Cli(RestClient("http://localhost:1"), Terminal(out, 0))
    cli.request_pipelining = setting
    return cli, out


def test_should_get_help() -> None:
    assert "View the current setting" in HELP_TEXTS[PIPELINING]
    assert "Update the setting as specified." in HELP_TEXTS[PIPELINING]


@pytest.mark.parametrize(("setting", "shown"), [(True, "ON"), (False, "OFF")])
def test_should_print_current_setting(setting: bool, shown: str) -> None:
    """shouldPrintCurrentSettingOfOn, shouldPrintCurrentSettingOfOff."""
    cli, out = _cli(setting)
    cli.maybe_handle_cli_command(PIPELINING)
    assert f"Current {PIPELINING} configuration: {shown}" in out.getvalue()


@pytest.mark.parametrize(("arg", "setting"), [("on", True), ("OFF", False)])
def test_should_update_setting(arg: str, setting: bool) -> None:
    """shouldUpdateSettingToOn, shouldUpdateSettingToOff."""
    cli, out = _cli(not setting)
    cli.maybe_handle_cli_command(f"{PIPELINING} {arg}")
    assert cli.request_pipelining is setting
    assert out.getvalue() == f"{PIPELINING} configuration is now {arg.upper()}\n"


def test_should_reject_update_on_invalid_setting() -> None:
    cli, out = _cli(False)
    cli.maybe_handle_cli_command(f"{PIPELINING} bad")
    assert cli.request_pipelining is False
    assert f"Invalid {PIPELINING} setting: bad" in out.getvalue()
    assert "Valid options are 'ON' and 'OFF'" in out.getvalue()
