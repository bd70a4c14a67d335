"""Port of ksqlDB 0.29 `io.confluent.ksql.cli.console.cmd.RunScriptTest` (ksqldb-cli): `run script <file>`
sends the file's content as one /ksql request. The mocked request executor becomes a session whose
`make_ksql_request` is recorded."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from ksqlserver.console import ConsoleError
from ksqlserver.console.client import RestClient
from ksqlserver.console.commands import HELP_TEXTS
from ksqlserver.console.session import Cli
from ksqlserver.console.terminal import Terminal

FILE_CONTENT = "some scripts;\nmore;"


class Recording(Cli):
    def __init__(self) -> None:
        super().__init__(RestClient("http://localhost:1"), Terminal(io.StringIO(), 0))
        self.requests: list[str] = []

    def make_ksql_request(self, statements: str) -> None:
        self.requests.append(statements)


def test_should_get_name() -> None:
    assert [c.name for c in Recording().commands if c.name == "run script"] == ["run script"]


def test_should_get_help() -> None:
    assert HELP_TEXTS["run script"] == (
        "run script <path_to_sql_file>:\n\tLoad and run the statements in the supplied file.\n"
        "\tNote: the file must be UTF-8 encoded."
    )


def test_should_throw_if_no_arg_supplied() -> None:
    with pytest.raises(ConsoleError, match="Too few parameters"):
        Recording().maybe_handle_cli_command("run script")


def test_should_throw_if_too_many_args_supplied() -> None:
    with pytest.raises(ConsoleError, match="Too many parameters"):
        Recording().maybe_handle_cli_command("run script too many")


def test_should_execute_script(tmp_path: Path) -> None:
    script = tmp_path / "script.sql"
    script.write_text(FILE_CONTENT, encoding="utf-8")
    cli = Recording()
    assert cli.maybe_handle_cli_command(f"run script {script}")
    assert cli.requests == [FILE_CONTENT]


def test_should_throw_if_file_does_not_exist() -> None:
    with pytest.raises(ConsoleError, match="Failed to read file: you-will-not-find-me") as e:
        Recording().maybe_handle_cli_command("run script you-will-not-find-me")
    assert isinstance(e.value.__cause__, FileNotFoundError)


def test_should_throw_if_directory(tmp_path: Path) -> None:
    with pytest.raises(ConsoleError, match="Failed to read file: ") as e:
        Recording().maybe_handle_cli_command(f"run script {tmp_path}")
    assert str(tmp_path) in e.value.message
    assert isinstance(e.value.__cause__, IsADirectoryError)
