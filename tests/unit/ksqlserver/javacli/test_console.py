"""Port of ksqlDB 0.29 `io.confluent.ksql.cli.console.ConsoleTest` (ksqldb-cli), parameterised over JSON and
TABULAR output as the Java class is.

The approval tests (testPrintCommandStatus, testPrintPropertyList, testPrintQueries, testPrintSourceDescription*,
testPrintTopicDescription, testPrintConnectorDescription, shouldPrint*List, testPrintExecuptionPlan,
shouldPrintTopicDescribeExtended, shouldPrintWarnings, shouldPrintDropConnector, shouldPrintTerminateQuery,
shouldPrintFunctionDescription, shouldPrintExplainQueryWithError, shouldPrintAssert*; shouldPrintConnectorPluginsList
compares inline): the Java test builds
the entity, prints it and compares with `ConsoleTest.<name>.approved.<format>`. The `.approved.json` file is
the entity as the CLI's JSON output writes it, so it is our input (the REST body) and the expected JSON
output; the `.approved.tabular` file the expected table, printed on the TestTerminal's 100 columns in UTC.
The console-command tests drive `Cli.next_non_cli_command` with a command registered as the mock is."""

from __future__ import annotations

import io
import json
import os
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from ksqlserver.console import render
from ksqlserver.console.client import RestClient
from ksqlserver.console.commands import Command
from ksqlserver.console.session import Cli
from ksqlserver.console.terminal import Reader, Terminal

# ConsoleTest's approval files are Confluent's test resources, not copied into this repository: they are read
# from a ksqlDB 0.29 source tree given by KSQL_0_29_SOURCE, else beside the project (../ref/ksql-0.29)
KSQL_SOURCE = Path(os.environ.get("KSQL_0_29_SOURCE", Path(__file__).resolve().parents[4].parent / "ref" / "ksql-0.29"))
APPROVED = KSQL_SOURCE / "ksqldb-cli/src/test/java/io/confluent/ksql/cli/console"
needs_approvals = pytest.mark.skipif(
    not APPROVED.is_dir(), reason=f"ksqlDB 0.29's ConsoleTest approval files not found under {KSQL_SOURCE}"
)
WIDTH = 100  # TestTerminal.getWidth
FORMATS = ["JSON", "TABULAR"]
# the approved JSON of these lacks the @type (the Java test builds the entity list without it)
MISSING_TYPE = {
    "shouldPrintDropConnector": "drop_connector",
    "shouldPrintTerminateQuery": "terminate_query",
    "shouldPrintWarnings": "sourceDescription",
}
# approved files left from older ksqlDB versions, with no test in 0.29's ConsoleTest
STALE = {"shouldPrintErrorEntityLongJson", "shouldPrintErrorEntityLongNonJson"}
APPROVALS = sorted(
    p.name[len("ConsoleTest.") : -len(".approved.json")]
    for p in APPROVED.glob("ConsoleTest.*.approved.json")
    if p.name[len("ConsoleTest.") : -len(".approved.json")] not in STALE
)


@pytest.fixture(autouse=True)
def utc() -> Iterator[None]:
    """ConsoleTest's TimezoneRule (UTC)."""
    old = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    yield
    if old is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = old
    time.tzset()


def _entities(name: str) -> list[dict[str, Any]]:
    text = (APPROVED / f"ConsoleTest.{name}.approved.json").read_text()
    entities: list[dict[str, Any]] = json.loads(text, parse_float=Decimal)
    if name in MISSING_TYPE:
        entities = [{"@type": MISSING_TYPE[name], **e} for e in entities]
    return entities


@needs_approvals
@pytest.mark.parametrize("name", APPROVALS or ["(no approval files)"])
def test_approved_tabular(name: str) -> None:
    expected = (APPROVED / f"ConsoleTest.{name}.approved.tabular").read_text()
    assert render.entity_list(_entities(name), "TABULAR", WIDTH) == expected


@needs_approvals
@pytest.mark.parametrize("name", sorted(set(APPROVALS) - set(MISSING_TYPE)) or ["(no approval files)"])
def test_approved_json(name: str) -> None:
    expected = (APPROVED / f"ConsoleTest.{name}.approved.json").read_text()
    assert render.entity_list(_entities(name), "JSON", WIDTH).rstrip("\n") == expected.rstrip("\n")


class Offline(RestClient):
    """A client that is never asked anything (the Java test's console has no server behind it)."""

    def __init__(self) -> None:
        super().__init__("http://localhost:1")


def _cli(fmt: str, lines: list[str] | None = None) -> tuple[Cli, io.StringIO]:
    out = io.StringIO()
    reader = Reader(io.StringIO("".join(line + "\n" for line in lines or [])), interactive=False)
    cli = Cli(Offline(), Terminal(out, WIDTH), output_format=fmt, reader=reader)
    return cli, out


HEADER = {"header": {"queryId": "id", "schema": "`foo` INTEGER KEY, `bar` STRING"}}


@pytest.mark.parametrize("fmt", FORMATS)
def test_print_data_row(fmt: str) -> None:
    cli, out = _cli(fmt)
    cli.print_streamed_row({"row": {"columns": ["col_1", "col_2"]}})
    assert "col_1" in out.getvalue() and "col_2" in out.getvalue()


@pytest.mark.parametrize("fmt", FORMATS)
def test_print_table_tombstone(fmt: str) -> None:
    cli, out = _cli(fmt)
    cli.print_streamed_row(HEADER)
    cli.print_streamed_row({"row": {"columns": [None, "v_0", None], "tombstone": True}})
    assert "v_0" in out.getvalue()
    if fmt == "TABULAR":
        assert "<TOMBSTONE>" in out.getvalue()
    else:
        assert '"tombstone" : true' in out.getvalue()


@pytest.mark.parametrize("fmt", FORMATS)
def test_should_print_header(fmt: str) -> None:
    cli, out = _cli(fmt)
    cli.print_streamed_row(HEADER)
    if fmt == "TABULAR":
        assert "foo" in out.getvalue() and "bar" in out.getvalue()


@pytest.mark.parametrize("fmt", FORMATS)
def test_print_error_streamed_row(fmt: str) -> None:
    cli, out = _cli(fmt)
    cli.print_streamed_row({"errorMessage": {"@type": "generic_error", "error_code": 50000, "message": "fake"}})
    assert out.getvalue() == "\x1b[31mfake\x1b[0m\n"


@pytest.mark.parametrize("fmt", FORMATS)
def test_print_final_message_streamed_row(fmt: str) -> None:
    cli, out = _cli(fmt)
    cli.print_streamed_row({"finalMessage": "Some message"})
    assert out.getvalue() == "Some message\n"


CLI_CMD_NAME = "some command"
WHITE_SPACE = " \t "


def _with_command(fmt: str, first: str) -> tuple[Cli, list[list[str]], str | None]:
    cli, _ = _cli(fmt, [first, "not a CLI command;"])
    calls: list[list[str]] = []
    cli.commands.append(Command(CLI_CMD_NAME, lambda _cli, args: calls.append(args)))
    result = cli.next_non_cli_command()
    return cli, calls, result


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("line", "args"),
    [
        pytest.param(CLI_CMD_NAME, [], id="shouldExecuteCliCommands"),
        pytest.param(CLI_CMD_NAME + WHITE_SPACE + "Arg0" + WHITE_SPACE + "Arg1" + WHITE_SPACE, ["Arg0", "Arg1"],
                     id="shouldExecuteCliCommandWithArgsTrimmingWhiteSpace"),
        pytest.param(CLI_CMD_NAME + WHITE_SPACE + "Arg0" + WHITE_SPACE + "'Arg 1'", ["Arg0", "Arg 1"],
                     id="shouldExecuteCliCommandWithQuotedArgsContainingSpaces"),
        pytest.param(CLI_CMD_NAME + "\tArg0" + WHITE_SPACE + "'Arg 1'", ["Arg0", "Arg 1"],
                     id="shouldSupportOtherWhitespaceBetweenCliCommandAndArgs"),
        pytest.param(CLI_CMD_NAME + WHITE_SPACE + "Arg0;", ["Arg0"], id="shouldSupportCmdBeingTerminatedWithSemiColon"),
        pytest.param(CLI_CMD_NAME + WHITE_SPACE + "Arg0; ", ["Arg0"],
                     id="shouldSupportCmdBeingTerminatedWithSemiColonAndWhitespace"),
        pytest.param(CLI_CMD_NAME + WHITE_SPACE + "'Arg0';", ["Arg0"],
                     id="shouldSupportCmdWithQuotedArgBeingTerminatedWithSemiColon"),
    ],
)
def test_executes_cli_commands(fmt: str, line: str, args: list[str]) -> None:
    _, calls, _ = _with_command(fmt, line)
    assert calls == [args]


@pytest.mark.parametrize("fmt", FORMATS)
def test_should_fail_if_command_name_is_quoted(fmt: str) -> None:
    _, calls, _ = _with_command(fmt, "'some' 'command' " + "Arg0" + WHITE_SPACE + "'Arg 1'")
    assert calls == []


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("line", [CLI_CMD_NAME, "   \t   " + CLI_CMD_NAME + "   \t   "])
def test_should_swallow_cli_command_lines(fmt: str, line: str) -> None:
    """shouldSwallowCliCommandLines, shouldSwallowCliCommandLinesEvenWithWhiteSpace."""
    _, _, result = _with_command(fmt, line)
    assert result == "not a CLI command;"


@pytest.mark.parametrize("fmt", FORMATS)
def test_should_throw_on_invalid_cli_property(fmt: str) -> None:
    cli, out = _cli(fmt)
    cli.set_cli_property("FOO", "BAR")
    assert "Undefined property: FOO. Valid properties are" in out.getvalue()


@pytest.mark.parametrize("fmt", FORMATS)
def test_should_throw_on_invalid_cli_property_value(fmt: str) -> None:
    cli, out = _cli(fmt)
    cli.set_cli_property("WRAP", "BURRITO")
    assert "Invalid value BURRITO for configuration WRAP: String must be one of: ON, OFF, null" in out.getvalue()


@pytest.mark.parametrize("fmt", FORMATS)
def test_should_print_connector_plugins_list(fmt: str) -> None:
    entity = {
        "@type": "connector_plugins_list",
        "statementText": "statement",
        "warnings": [],
        "connectorsPlugins": [
            {"className": "clazz1", "type": "source", "version": "v1"},
            {"className": "clazz2", "type": "sink", "version": "v2"},
        ],
    }
    output = render.entity_list([entity], fmt, WIDTH)
    if fmt == "JSON":
        assert output == (
            "[ {\n"
            '  "@type" : "connector_plugins_list",\n'
            '  "statementText" : "statement",\n'
            '  "warnings" : [ ],\n'
            '  "connectorsPlugins" : [ {\n'
            '    "className" : "clazz1",\n'
            '    "type" : "source",\n'
            '    "version" : "v1"\n'
            "  }, {\n"
            '    "className" : "clazz2",\n'
            '    "type" : "sink",\n'
            '    "version" : "v2"\n'
            "  } ]\n"
            "} ]\n"
        )
    else:
        assert output == (
            "\n"
            " Class  | Type   | Version \n"
            "---------------------------\n"
            " clazz1 | SOURCE | v1      \n"
            " clazz2 | SINK   | v2      \n"
            "---------------------------\n"
        )
