"""The CLI-specific commands (ksqldb-cli's console/cmd): help, clear, output, history, version, exit,
run script, server, request-pipelining, spool, set cli. A line is one when, split at unquoted whitespace
(trailing `;` dropped), it starts with a command's name (any case); the rest are its arguments, their
matched single quotes removed."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from ksqlserver.console import ConsoleError, EndOfInput
from ksqlserver.console.client import RestClient
from ksqlserver.console.lines import remove_matched_single_quotes, split_by_unquoted_whitespace
from ksqlserver.console.options import VALID_FORMATS
from ksqlserver.console.terminal import Terminal


class Cli(Protocol):
    """What the commands use of the session (`session.Cli`), which registers them."""

    terminal: Terminal
    client: RestClient
    commands: list[Command]
    output_format: str
    request_pipelining: bool

    def set_output_format(self, name: str) -> None: ...

    def set_cli_property(self, name: str, value: Any) -> None: ...

    def make_ksql_request(self, statements: str) -> None: ...

    def reset_server_state(self) -> None: ...

    def validate_client(self) -> None: ...

PIPELINING = "request-pipelining"

HELP_TEXTS = {
    "help": "help:\n\tShow this message.",
    "clear": "clear:\n\tClear the current terminal.",
    "output": (
        "output:\n\tView the current output format.\n\noutput <format>;\n\n"
        f"\tSet the output format to <format> (valid formats: {VALID_FORMATS})\n\n"
        '\tFor example: "output JSON;"\n'
    ),
    "history": (
        "history:\n\tShow previous lines entered during the current CLI session. "
        "You can use up and down arrow keys to view previous lines."
    ),
    "version": "version:\n\tGet the current KSQL version.",
    "exit": "exit:\n\tExit the CLI.",
    "run script": (
        "run script <path_to_sql_file>:\n\tLoad and run the statements in the supplied file.\n"
        "\tNote: the file must be UTF-8 encoded."
    ),
    "server": (
        "server:\n\tShow the current server\n\nserver <server>:\n\tChange the current server to <server>\n"
        '\t example: "server http://my.awesome.server.com:9098;"'
    ),
    PIPELINING: (
        f"{PIPELINING}:\n\tView the current setting. "
        "If 'ON', commands will be executed without waiting for previous commands to finish. "
        "If 'OFF', newly issued commands will wait until all prior commands have finished. "
        f"Defaults to 'OFF'.\n\n{PIPELINING} <ON/OFF>:\n\tUpdate the setting as specified.\n"
        f'\tFor example: "{PIPELINING} OFF;"'
    ),
    "spool": (
        "spool [<path_to_file>|OFF]: \n\tStores issued commands and their results into a file. Only one spool may "
        "\n\tbe active at a time and can be closed by issuing ``SPOOL OFF``. Commands are "
        "\n\t prefixed with ``ksql> `` to differentiate from output."
    ),
    "set cli": (
        "set cli <property> <value>:\n\tSets a CLI local property. NOTE that this differs from setting a KSQL "
        "property with \"SET 'property'='value'\" in that it does not affect the server."
    ),
}

HELP_BODY = [
    "",
    "Description:",
    "\tThe KSQL CLI provides a terminal-based interactive shell for running queries. Each command should be on "
    "a separate line. For KSQL command syntax, see the documentation at "
    "https://docs.ksqldb.io/en/latest/developer-guide/syntax-reference/",
    "",
]
HELP_FOOTER = [
    "",
    "Keyboard shortcuts:",
    "",
    "    The KSQL CLI supports these keyboard shorcuts:",
    "",
    "CTRL+D:",
    "\tEnd your KSQL CLI session.",
    "CTRL+R:",
    "\tSearch your command history.",
    "Up and Down arrow keys:",
    "\tScroll up or down through your command history.",
    "",
    "Default behavior:",
    "",
    "    Lines are read one at a time and are sent to the server as KSQL unless one of the following is true:",
    "",
    "    1. The line is empty or entirely whitespace. In this case, no request is made to the server.",
    "",
    "    2. The line is not an in-built CLI command and does not end with a semi-colon. In this case, the cli "
    "enters multi-line mode where lines are continuously read until a line is encountered that is terminated "
    "with a semi-colon, the concatenation of all lines read during this time is sent to the server as KSQL.",
    "",
]


def ensure_arg_count(args: Sequence[str], low: int, high: int, help_text: str) -> None:
    """`CliCmdUtil.ensureArgCountBounds`."""
    if len(args) < low:
        raise ConsoleError("Too few parameters\n" + help_text)
    if len(args) > high:
        raise ConsoleError("Too many parameters\n" + help_text)


@dataclass
class Command:
    name: str
    run: Callable[[Cli, list[str]], None]

    @property
    def help(self) -> str:
        return HELP_TEXTS[self.name]

    def matches(self, command: str) -> bool:
        return command.lower().startswith(self.name.lower())


def _java_string_hash(text: str) -> int:
    """String.hashCode, over UTF-16 code units."""
    data = text.encode("utf-16-be")
    h = 0
    for i in range(0, len(data), 2):
        h = (31 * h + int.from_bytes(data[i : i + 2], "big")) & 0xFFFFFFFF
    return h


def java_hash_map_order(names: Sequence[str]) -> list[int]:
    """The order a `new HashMap<>(map)` of these (distinct) keys iterates in, as positions in `names`:
    by bucket (`hash ^ hash >>> 16` masked by the table size the copy constructor picks), then insertion."""
    threshold = int(len(names) / 0.75 + 1.0)
    size = 1
    while size < threshold:
        size *= 2

    def bucket(i: int) -> int:
        h = _java_string_hash(names[i])
        return (h ^ (h >> 16)) & (size - 1)

    return sorted(range(len(names)), key=lambda i: (bucket(i), i))


def _help(cli: Cli, args: list[str]) -> None:
    """`Help`: the commands as `Console.getCliSpecificCommands` hands them over (a HashMap copy)."""
    ensure_arg_count(args, 0, 0, HELP_TEXTS["help"])
    lines = list(HELP_BODY)
    order = java_hash_map_order([c.name.lower() for c in cli.commands])
    for cmd in (cli.commands[i] for i in order):
        lines += [cmd.help, ""]
    for line in lines + HELP_FOOTER:
        cli.terminal.println(line)


def _clear(cli: Cli, args: list[str]) -> None:
    ensure_arg_count(args, 0, 0, HELP_TEXTS["clear"])
    cli.terminal.clear_screen()


def _output(cli: Cli, args: list[str]) -> None:
    ensure_arg_count(args, 0, 1, HELP_TEXTS["output"])
    if not args:
        cli.terminal.println(f"Current output format: {cli.output_format}")
        return
    cli.set_output_format(args[0].upper())


def _history(cli: Cli, args: list[str]) -> None:
    ensure_arg_count(args, 0, 0, HELP_TEXTS["history"])
    for i, line in enumerate(cli.terminal.history):  # JLine's History.Entry.index: from 0
        cli.terminal.println(f"{i:4d}: {line}")


def _version(cli: Cli, args: list[str]) -> None:
    ensure_arg_count(args, 0, 0, HELP_TEXTS["version"])
    info = cli.client.server_info()
    cli.terminal.println(f"Version: {info.body.get('version') if info.ok else None}")


def _exit(cli: Cli, args: list[str]) -> None:
    ensure_arg_count(args, 0, 0, HELP_TEXTS["exit"])
    raise EndOfInput()


def _run_script(cli: Cli, args: list[str]) -> None:
    """RunScript: the file's statements in one /ksql request (no SELECT / PRINT handling)."""
    ensure_arg_count(args, 1, 1, HELP_TEXTS["run script"])
    try:
        content = "\n".join(Path(args[0]).read_text(encoding="utf-8").splitlines())
    except OSError as e:
        raise ConsoleError(f"Failed to read file: {args[0]}") from e
    cli.make_ksql_request(content)


def _server(cli: Cli, args: list[str]) -> None:
    ensure_arg_count(args, 0, 1, HELP_TEXTS["server"])
    if not args:
        cli.terminal.println(cli.client.server)
        return
    cli.client.set_server(args[0])
    cli.terminal.println("Server now: " + args[0])
    cli.reset_server_state()
    cli.validate_client()


def _pipelining(cli: Cli, args: list[str]) -> None:
    ensure_arg_count(args, 0, 1, HELP_TEXTS[PIPELINING])
    if not args:
        cli.terminal.println(f"Current {PIPELINING} configuration: {'ON' if cli.request_pipelining else 'OFF'}")
        return
    setting = args[0].upper()
    if setting not in ("ON", "OFF"):
        cli.terminal.println(f"Invalid {PIPELINING} setting: {args[0]}. Valid options are 'ON' and 'OFF'.")
        return
    cli.request_pipelining = setting == "ON"
    cli.terminal.println(f"{PIPELINING} configuration is now {setting}")


def _spool(cli: Cli, args: list[str]) -> None:
    ensure_arg_count(args, 1, 1, HELP_TEXTS["spool"])
    target = args[0]
    if target.upper() == "OFF":
        cli.terminal.unset_spool()
        return
    if target.startswith("'") and target.endswith("'"):
        target = target[1:-1].replace("''", "'")
    cli.terminal.set_spool(Path(target))


def _set_cli(cli: Cli, args: list[str]) -> None:
    ensure_arg_count(args, 2, 2, HELP_TEXTS["set cli"])
    cli.set_cli_property(args[0], args[1])


def default_commands() -> list[Command]:
    """In `CliCommandRegisterUtil.registerDefaultCommands`' order (which `help` lists)."""
    return [
        Command("help", _help),
        Command("clear", _clear),
        Command("output", _output),
        Command("history", _history),
        Command("version", _version),
        Command("exit", _exit),
        Command("run script", _run_script),
        Command("server", _server),
        Command(PIPELINING, _pipelining),
        Command("spool", _spool),
        Command("set cli", _set_cli),
    ]


def find(commands: Sequence[Command], line: str) -> tuple[Command, list[str]] | None:
    """`Console.getCliCommand`: the command a line runs and its arguments, or None."""
    parts = split_by_unquoted_whitespace(line.strip().rstrip(";"))
    if not parts:
        return None
    text = " ".join(parts)
    for cmd in commands:
        if cmd.matches(text):
            args = [remove_matched_single_quotes(a) for a in parts[len(cmd.name.split()) :]]
            return cmd, args
    return None
