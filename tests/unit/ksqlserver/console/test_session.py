"""The `ksql` CLI's behaviour beyond its ported Java tests: JLine's history expansion as `JLineReader`
configures it, the spool file (`JLineTerminal.setSpool`), JSON output of query rows (`Console.printAsJson`),
`set cli` settings applied to rows, and the `-e` / `-f` exit codes (`Cli.runCommand` / `runScript`)."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ksqlserver.console import ConsoleError
from ksqlserver.console.client import Response, RestClient
from ksqlserver.console.lines import EventNotFound, expand_history
from ksqlserver.console.main import main
from ksqlserver.console.session import Cli
from ksqlserver.console.terminal import Reader, Terminal

HISTORY = ["SHOW STREAMS;", "SELECT 1;"]


@pytest.mark.parametrize(
    ("line", "expanded"),
    [
        ("!!", "SELECT 1;"),
        ("!1", "SHOW STREAMS;"),
        ("!-2", "SHOW STREAMS;"),
        ("!SHOW", "SHOW STREAMS;"),
        ("!?STR?", "SHOW STREAMS;"),
        ("!$", "1;"),
        ("^1^2", "SELECT 2;"),
        ("!! '!!'", "SELECT 1; '!!'"),  # not inside quotes
        ("x !! y", "x !! y"),  # KsqlExpander: only lines starting with ! or ^
        ("! x", "! x"),
    ],
)
def test_history_expansion(line: str, expanded: str) -> None:
    """KsqlExpander.expandHistory over JLine's DefaultExpander."""
    assert expand_history(line, HISTORY) == expanded


@pytest.mark.parametrize(("line", "message"), [("!9", "!9: event not found"), ("!NOPE", "!NOPE: event not found")])
def test_history_expansion_errors(line: str, message: str) -> None:
    with pytest.raises(EventNotFound, match=message):
        expand_history(line, HISTORY)
    with pytest.raises(EventNotFound, match="!!: event not found"):
        expand_history("!!", [])


def _session(lines: list[str], url: str = "http://localhost:1", width: int = 0) -> tuple[Cli, io.StringIO]:
    out = io.StringIO()
    reader = Reader(io.StringIO("".join(line + "\n" for line in lines)), interactive=False)
    return Cli(RestClient(url), Terminal(out, width), reader=reader), out


def test_a_bad_event_is_an_error_line() -> None:
    cli, _ = _session(["!! ;"])
    with pytest.raises(ConsoleError, match="!!: event not found"):
        cli.read_line()


def test_history_ignores_repeated_lines_and_expands_complete_ones() -> None:
    """The line is checked for completeness before it is expanded (JLine's acceptLine, then finishBuffer):
    `!!` alone waits for its `;` as any statement does, a CLI command's name completes it."""
    cli, _ = _session(["version", "version", "help", "!-2 ;", "!!", ";"])
    lines = [cli.read_line() for _ in range(5)]
    assert lines == ["version", "version", "help", "version ;", "version ;\n;"]
    assert cli.terminal.history == ["version", "help", "version ;", "version ;\n;"]


@pytest.fixture()
def server(make_resource: Any) -> Iterator[Any]:
    yield make_resource()


def test_spool_writes_inputs_and_outputs(server: Any, tmp_path: Path) -> None:
    spool = tmp_path / "out.log"
    cli, out = _session([f"spool {spool}", "SHOW STREAMS;", "spool off", "exit"], server.server.url, width=0)
    cli.run_interactively()
    cli.client.close()
    text = spool.read_text()
    # what the spool command prints goes to the new spool already; the command's own line does not
    assert text.startswith(f"Session will be spooled to {spool}\nEnter SPOOL OFF to disable\n\nksql> SHOW STREAMS;\n\n")
    assert " TEST_STREAM | KAFKA_TOPIC_2 | KAFKA      | JSON         | false    \n" in text
    assert text.endswith("\nksql> spool off\n")
    assert f"Session will be spooled to {spool}\nEnter SPOOL OFF to disable\n" in out.getvalue()
    assert f"Spool written to {spool}\n" in out.getvalue()


def test_json_output_of_a_query(server: Any) -> None:
    server.ok("INSERT INTO TEST_STREAM (ROWKEY, S2_F1) VALUES ('k', 'v');")
    cli, out = _session([], server.server.url)
    cli.set_output_format("JSON")
    cli.handle_line("SET 'auto.offset.reset'='earliest'; SELECT * FROM TEST_STREAM EMIT CHANGES LIMIT 1;")
    cli.client.close()
    text = out.getvalue()
    assert "Output format set to JSON\n" in text
    assert '{\n  "queryId" : "' in text and '"schema" : "`ROWKEY` STRING, `S2_F1` STRING"\n}\n' in text
    assert '{\n  "columns" : [ "k", "v" ]\n}\n' in text
    assert text.endswith("Limit Reached\nQuery terminated\n")


def test_set_cli_settings_shape_rows(server: Any) -> None:
    server.ok("INSERT INTO TEST_STREAM (ROWKEY, S2_F1) VALUES ('k', 'a long value');")
    cli, out = _session(["set cli COLUMN-WIDTH 4", "set cli WRAP OFF"], server.server.url)
    assert cli.next_non_cli_command() is None
    cli.handle_line("SET 'auto.offset.reset'='earliest'; SELECT * FROM TEST_STREAM EMIT CHANGES LIMIT 1;")
    cli.client.close()
    assert "+----+----+\n|ROWK|S2_F|\n|EY  |1   |\n+----+----+\n|k   |a...|\n" in out.getvalue()


def test_exit_codes(server: Any, tmp_path: Path) -> None:
    """-e / -f: 0, or -1 (255 as a process's status) when the line failed client-side."""
    out = io.StringIO()
    assert main([server.server.url, "-e", "SHOW STREAMS"], stdout=out) == 0
    assert main([server.server.url, "-e", "UNSET 'nothing'"], stdout=out) == -1
    assert main([server.server.url, "-f", str(tmp_path / "missing.sql")], stdout=out) == -1
    script = tmp_path / "ok.sql"
    script.write_text("SHOW TOPICS;\nDESCRIBE TEST_STREAM;\n", encoding="utf-8")
    out = io.StringIO()
    assert main([server.server.url, "-f", str(script)], stdout=out) == 0
    assert "Name                 : TEST_STREAM\n" in out.getvalue()


def test_piped_input_is_echoed_after_the_prompt(server: Any) -> None:
    """`echo "SHOW STREAMS;" | ksql`: JLine's dumb terminal prints each prompt and the line read, and at the
    end of the input the last prompt is followed by "Exiting ksqlDB." (confluentinc/ksql#1327 shows it)."""
    out = io.StringIO()
    assert main([server.server.url], stdin=io.StringIO("SHOW\n STREAMS;\n"), stdout=out) == 0
    text = out.getvalue()
    assert text.startswith("ksqlDB, Copyright 2017-2022 Confluent Inc.\n")
    assert "\nksql> SHOW\n> STREAMS;\n\n Stream Name | Kafka Topic" in text
    assert text.endswith("\nksql> Exiting ksqlDB.\n")


def test_help_lists_the_commands_in_java_hash_map_order() -> None:
    """`Help` iterates `Console.getCliSpecificCommands()`, a `new HashMap<>(...)` of the registered
    commands: the order Java's HashMap gives their names, not the registration order."""
    cli, out = _session(["help"])
    assert cli.next_non_cli_command() is None
    text = out.getvalue()
    names = ["output:", "help:", "exit:", "server:", "spool [", "clear:", "run script <", "request-pipelining:",
             "set cli <", "history:", "version:"]
    positions = [text.index("\n" + n) for n in names]
    assert positions == sorted(positions)
    assert text.startswith("\nDescription:\n\tThe KSQL CLI provides a terminal-based interactive shell")


@pytest.mark.parametrize(
    ("address", "uri"),
    [
        ("http://localhost:8088", "http://localhost:8088"),
        ("http://localhost", "http://localhost:80"),
        ("https://ksql.example.com", "https://ksql.example.com:443"),
        ("http://a:1,http://b:2", "http://a:1"),
    ],
)
def test_server_address_as_the_rest_client_parses_it(address: str, uri: str) -> None:
    """KsqlRestClient.parseServerAddresses / parseUri: the first address, with its default port added."""
    assert RestClient(address).server == uri


@pytest.mark.parametrize("address", ["localhost:8088", "ftp://x", "http://", "not a url"])
def test_a_bad_server_address(address: str) -> None:
    with pytest.raises(ConsoleError, match=f"The supplied serverAddress is invalid: {address}"):
        RestClient(address)


def test_an_entity_the_cli_cannot_read_is_an_error_not_a_crash() -> None:
    """Cli.runInteractively prints what failed and reads the next line."""
    cli, _ = _session(["exit"])
    with pytest.raises(ConsoleError, match="Failed to print the server's response"):
        cli.print_entities([{"@type": "something_new", "statementText": "x;"}])


def test_unsupported_server_ends_the_cli(make_resource: Any) -> None:
    """Cli.checkServerCompatibility's KsqlUnsupportedServerException leaves runInteractively; Ksql.main
    prints it on stderr and exits with -1."""

    class Old(RestClient):
        def server_info(self) -> Any:
            return Response(200, {"version": "5.5.0", "serverStatus": "RUNNING", "ksqlServiceId": "x"})

    out = io.StringIO()
    cli = Cli(Old("http://localhost:1"), Terminal(out, 0), reader=Reader(io.StringIO("exit\n"), interactive=False))
    message = "Unsupported server version 5.5.0 detected. CLI version 0.29.0 requires a minimum server version 6.0.0."
    with pytest.raises(ConsoleError, match=re.escape(message)):
        cli.run_interactively()


def test_header_columns_from_the_schema_text() -> None:
    """The /query header's schema (LogicalSchema.toString): names split at top-level commas only."""
    from ksqlserver.console.session import schema_columns

    schema = "`K` STRING KEY, `D` DECIMAL(4, 2), `M` MAP<STRING, STRUCT<`A` INT, `B` INT>>, `x, y` INT, `q``t` BIGINT"
    assert schema_columns(schema) == ["K", "D", "M", "x, y", "q`t"]
    assert schema_columns("") == []


def test_a_failed_command_prints_the_first_line_of_its_message() -> None:
    """Cli.printKsqlResponse (0.29): a CommandStatusEntity with status ERROR goes to
    `terminal.printError(fullMessage.split("\\n")[0], fullMessage)`, and Console.printError writes only that
    short message (the full one goes to the log). The source wins over the expectation that the whole
    message is printed; an error response (Console.printErrorMessage) prints its whole message."""
    cli, out = _session([])
    status = {"status": "ERROR", "message": "Could not write the statement.\nCaused by: the cause"}
    cli.print_ksql_response(Response(200, [{"@type": "currentStatus", "commandStatus": status}]))
    assert out.getvalue() == "\x1b[31mCould not write the statement.\x1b[0m\n"
    cli, out = _session([])
    cli.print_ksql_response(Response(400, {"@type": "generic_error", "message": "first\nsecond"}))
    assert out.getvalue() == "\x1b[31mfirst\nsecond\x1b[0m\n"
