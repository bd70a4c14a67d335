"""Port of ksqlDB 0.29 `io.confluent.ksql.KsqlTest` (ksqldb-cli): `Ksql.run` picks how the CLI runs and how
its client is built. The mocked builders become recording ones passed to `ksqlserver.console.main.run`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ksqlserver.console.main import run
from ksqlserver.console.options import Options


class FakeCli:
    def __init__(self) -> None:
        self.calls: list[tuple[str, Any]] = []

    def add_session_variables(self, variables: dict[str, str]) -> None:
        self.calls.append(("addSessionVariables", dict(variables)))

    def run_command(self, command: str) -> int:
        self.calls.append(("runCommand", command))
        return 0

    def run_script(self, path: str) -> int:
        self.calls.append(("runScript", path))
        return 0

    def run_interactively(self) -> int:
        self.calls.append(("runInteractively", None))
        return 0

    def close(self) -> None:
        pass


class FakeClient:
    def close(self) -> None:
        pass


class Builders:
    def __init__(self) -> None:
        self.cli = FakeCli()
        self.client_args: tuple[Any, ...] = ()

    def client(self, *args: Any) -> FakeClient:
        self.client_args = args
        return FakeClient()

    def make_cli(self, *args: Any) -> FakeCli:
        return self.cli

    def run(self, options: Options, system: dict[str, str] | None = None) -> None:
        run(options, system_properties=system, client_builder=self.client, cli_builder=self.make_cli)


def test_should_run_interactively() -> None:
    b = Builders()
    b.run(Options())
    assert ("runInteractively", None) in b.cli.calls


def test_should_add_defined_variables_to_cli_before_running_commands() -> None:
    b = Builders()
    b.run(Options(define=["env=qa"], execute="this is a command"))
    assert b.cli.calls == [("addSessionVariables", {"env": "qa"}), ("runCommand", "this is a command;")]


def test_should_run_non_interactive_command_when_execute_option_is_used() -> None:
    b = Builders()
    b.run(Options(execute="this is a command"))
    assert ("runCommand", "this is a command;") in b.cli.calls


def test_should_run_script_file_when_file_option_is_used(tmp_path: Path) -> None:
    script = tmp_path / "script.sql"
    script.write_text("", encoding="utf-8")
    b = Builders()
    b.run(Options(file=str(script)))
    assert ("runScript", str(script)) in b.cli.calls


def test_should_build_client_with_correct_server_address() -> None:
    b = Builders()
    b.run(Options(server="in a galaxy far far away"))
    assert b.client_args[0] == "in a galaxy far far away"


def _config(tmp_path: Path, text: str) -> str:
    path = tmp_path / "cli.properties"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_should_support_ssl_config_in_config_file(tmp_path: Path) -> None:
    b = Builders()
    b.run(Options(config_file=_config(tmp_path, "ssl.truststore.location=some/path\nssl.truststore.password=letmein")))
    assert b.client_args[2] == {"ssl.truststore.location": "some/path", "ssl.truststore.password": "letmein"}


def test_should_use_ssl_config_in_system_config_in_preference_to_any_in_config_file(tmp_path: Path) -> None:
    b = Builders()
    config = _config(tmp_path, "ssl.truststore.location=should not use\nssl.truststore.password=should not use")
    b.run(
        Options(config_file=config),
        {"ssl.truststore.location": "some/path", "ssl.truststore.password": "letmein"},
    )
    assert b.client_args[2] == {"ssl.truststore.location": "some/path", "ssl.truststore.password": "letmein"}


def test_should_strip_ssl_config_from_config_file_when_making_local_properties(tmp_path: Path) -> None:
    b = Builders()
    config = _config(
        tmp_path, "ssl.truststore.location=some/path\nssl.truststore.password=letmein\nsome.other.setting=value"
    )
    b.run(Options(config_file=config))
    assert b.client_args[1] == {"some.other.setting": "value"}
