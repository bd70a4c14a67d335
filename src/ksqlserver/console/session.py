"""`Cli`: one CLI session over a `RestClient`. Lines are split into statements and each handled as
ksqldb-cli 0.29's `Cli.handleStatements` does: SELECT through /query (header, rows, "Query terminated"),
PRINT through /query ("Topic printing ceased"), SET / UNSET / DEFINE / UNDEFINE / SHOW VARIABLES in the
session, runs of other statements together in one /ksql request. Variables are substituted client-side."""

from __future__ import annotations

import queue
import re
import threading
import time
from collections.abc import Mapping, Sequence
from typing import Any

from ksqlserver import __version__
from ksqlserver.console import ConsoleError, EndOfInput, jsonpretty, render
from ksqlserver.console.client import BadServerAddress, Response, RestClient, RestClientError
from ksqlserver.console.commands import Command, default_commands, find
from ksqlserver.console.lines import (
    EventNotFound,
    IncompleteLine,
    check_complete,
    expand_history,
    strip_comments,
)
from ksqlserver.console.options import VALID_FORMATS, OptionsError, output_format
from ksqlserver.console.tabular import cell, tabular_row
from ksqlserver.console.terminal import Reader, Terminal
from ksqlserver.errors import KsqlParseError
from ksqlserver.sql.parser import parse, split_statements, variable_references
from ksqlserver.sql.tokens import Kind, tokenize
from ksqlserver.sql.variables import check_references, substitute

NO_ERROR, ERROR = 0, -1
UNKNOWN_VERSION = "<unknown>"
HELP_REMINDER = "Having trouble? Type 'help' (case-insensitive) for a rundown of how things work!"
ERROR_CODE_COMMAND_QUEUE_CATCHUP_TIMEOUT = 50301  # Errors.ERROR_CODE_COMMAND_QUEUE_CATCHUP_TIMEOUT
LOGO = [
    "",
    "===========================================",
    "=       _              _ ____  ____       =",
    "=      | | _____  __ _| |  _ \\| __ )      =",
    "=      | |/ / __|/ _` | | | | |  _ \\      =",
    "=      |   <\\__ \\ (_| | | |_| | |_) |     =",
    "=      |_|\\_\\___/\\__, |_|____/|____/      =",
    "=                   |_|                   =",
    "=        The Database purpose-built       =",
    "=        for stream processing apps       =",
    "===========================================",
]
COPYRIGHT = "Copyright 2017-2022 Confluent Inc."
_STRING = r"'((?:[^']|'')*)'"
_SET = re.compile(rf"SET\s+{_STRING}\s*=\s*{_STRING}\s*;?\s*$", re.I | re.S)
_UNSET = re.compile(rf"UNSET\s+{_STRING}\s*;?\s*$", re.I | re.S)
_DEFINE = re.compile(rf"DEFINE\s+([A-Za-z_][A-Za-z0-9_@]*)\s*=\s*{_STRING}\s*;?\s*$", re.I | re.S)
_UNDEFINE = re.compile(r"UNDEFINE\s+([A-Za-z_][A-Za-z0-9_@]*)\s*;?\s*$", re.I | re.S)
_WRAP_VALUES = ("ON", "OFF")


class UnsupportedServer(ConsoleError):
    """`KsqlUnsupportedServerException`."""


class Variables:
    """The session's variables: names case-insensitive, the first spelling kept (a CASE_INSENSITIVE TreeMap)."""

    def __init__(self) -> None:
        self._items: dict[str, tuple[str, str]] = {}

    def put(self, name: str, value: str) -> None:
        first = self._items.get(name.upper(), (name, ""))[0]
        self._items[name.upper()] = (first, value)

    def remove(self, name: str) -> str | None:
        item = self._items.pop(name.upper(), None)
        return None if item is None else item[1]

    def as_dict(self) -> dict[str, str]:
        return {k: v for k, v in sorted(self._items.values(), key=lambda kv: kv[0].upper())}


def _kind(text: str) -> str:
    """What `Cli.handleStatements` does with a statement, from its first keywords."""
    words = [t.text.upper() for t in tokenize(text)[:4] if t.kind is not Kind.EOF]
    head = " ".join(words)
    if words[:1] == ["SELECT"]:
        return "query"
    if words[:1] in (["PRINT"], ["SET"], ["UNSET"], ["DEFINE"], ["UNDEFINE"]):
        return words[0].lower()
    if re.match(r"(SHOW|LIST) VARIABLES\b", head):
        return "variables"
    if re.match(r"(CREATE (SOURCE|SINK) CONNECTOR|CREATE CONNECTOR|DROP CONNECTOR|DESCRIBE CONNECTOR|"
                r"(SHOW|LIST) CONNECTORS|(SHOW|LIST) CONNECTOR PLUGINS)\b", head):
        return "connector"
    return "ksql"


def _unquote(text: str) -> str:
    return text.replace("''", "'")


def _version_parts(version: str) -> tuple[int, int] | None:
    m = re.match(r"v?([0-9]+)\.([0-9]+)\.", version)
    return (int(m.group(1)), int(m.group(2))) if m else None


def _standalone(parts: tuple[int, int]) -> tuple[int, int] | None:
    """KsqlVersion's mapping of Confluent Platform versions (major >= 4) to ksqlDB standalone ones."""
    if parts[0] < 4:
        return parts
    return {(6, 0): (0, 10), (6, 1): (0, 14)}.get(parts)


def _at_least(version: tuple[int, int], other: tuple[int, int]) -> bool:
    """KsqlVersion.isAtLeast across the two version types."""
    if (version[0] < 4) == (other[0] < 4):
        return version >= other
    a, b = _standalone(version), _standalone(other)
    return a is not None and b is not None and a >= b


def server_compatibility(cli_version: str, server_version: str) -> str:
    """`Cli.checkServerCompatibility`: the warning to print (or "")."""
    cli_parts = _version_parts(cli_version)
    if cli_parts is None:
        return ("\nWARNING: Could not identify CLI version.\n"
                "         Non-matching CLI and server versions may lead to unexpected errors.\n\n")
    server_parts = _version_parts(server_version)
    if server_parts is None:
        return ("\nWARNING: Could not identify server version.\n"
                "         Non-matching CLI and server versions may lead to unexpected errors.\n\n")
    if not _at_least(server_parts, (6, 0)):
        required = "6.0.0" if server_parts[0] >= 4 else "0.10.0"
        raise UnsupportedServer(
            f"Unsupported server version {server_version} detected. "
            f"CLI version {cli_version} requires a minimum server version {required}."
        )
    if not (_at_least(cli_parts, server_parts) and _at_least(server_parts, cli_parts)):
        return ("\nWARNING: CLI and server version don't match. This may lead to unexpected errors.\n"
                "         It is recommended to use a CLI that matches the server version.\n\n")
    return ""


def schema_columns(schema: str) -> list[str]:
    """The column names of a /query header's schema text (`` `A` STRING KEY, `B` DECIMAL(4, 2) ``): split
    at the commas outside backticks, `<>` and `()`."""
    parts: list[str] = []
    depth, start, quoted = 0, 0, False
    for i, c in enumerate(schema):
        if c == "`":
            quoted = not quoted  # a doubled backtick inside a name toggles twice
        elif quoted:
            continue
        elif c in "<(":
            depth += 1
        elif c in ">)":
            depth -= 1
        elif c == "," and depth == 0:
            parts.append(schema[start:i])
            start = i + 1
    parts.append(schema[start:])
    names = []
    for part in (p.strip() for p in parts):
        if not part:
            continue
        m = re.match(r"`((?:[^`]|``)*)`", part)
        names.append(m.group(1).replace("``", "`") if m else part.split()[0])
    return names


class Cli:
    def __init__(
        self,
        client: RestClient,
        terminal: Terminal | None = None,
        *,
        output_format: str = "TABULAR",
        row_limit: int | None = None,
        timeout_ms: int | None = None,
        reader: Reader | None = None,
    ) -> None:
        self.client = client
        self.terminal = terminal or Terminal()
        self.reader = reader
        self.output_format = output_format
        self.row_limit = row_limit
        self.timeout_ms = timeout_ms
        self.variables = Variables()
        self.cli_config: dict[str, Any] = {"WRAP": "ON", "COLUMN-WIDTH": 0}
        self.commands: list[Command] = default_commands()
        self.last_command_sequence_number = -1
        self.request_pipelining = False
        self.rows_seen: list[list[str]] = []  # every row printed (Console's RowCaptor), for tests

    # ----------------------------------------------------------------- session state

    def add_session_variables(self, variables: Mapping[str, str]) -> None:
        for name, value in variables.items():
            self.variables.put(name, value)

    def reset_server_state(self) -> None:
        self.last_command_sequence_number = -1
        self.request_pipelining = False

    def set_output_format(self, name: str) -> None:
        """`Console.setOutputFormat`."""
        try:
            self.output_format = output_format(name)
        except OptionsError:
            self.terminal.println(f"Invalid output format: '{name}' (valid formats: {VALID_FORMATS})")
            return
        self.terminal.println(f"Output format set to {name}")

    def set_cli_property(self, name: str, value: Any) -> None:
        """`Console.setCliProperty` (CliConfig: WRAP ON/OFF, COLUMN-WIDTH >= 0); errors are printed."""
        key = name.upper()
        if key not in self.cli_config:
            self.terminal.println(f"Undefined property: {name}. Valid properties are: [WRAP, COLUMN-WIDTH]")
            return
        if key == "WRAP":
            if str(value) not in _WRAP_VALUES:
                self.terminal.println(
                    f"Invalid value {value} for configuration WRAP: String must be one of: ON, OFF, null"
                )
                return
            self.cli_config[key] = str(value)
            return
        try:
            width = int(str(value).strip())
        except ValueError:
            self.terminal.println(f"Invalid value {value} for configuration COLUMN-WIDTH: Not a number of type INT")
            return
        if width < 0:
            self.terminal.println(f"Invalid value {width} for configuration COLUMN-WIDTH: Value must be at least 0")
            return
        self.cli_config[key] = width

    def find_command(self, line: str) -> tuple[Command, list[str]] | None:
        return find(self.commands, line)

    def is_cli_command(self, line: str) -> bool:
        return self.find_command(line) is not None

    def maybe_handle_cli_command(self, line: str) -> bool:
        """`Console.maybeHandleCliSpecificCommands`."""
        found = self.find_command(line)
        if found is None:
            return False
        cmd, args = found
        cmd.run(self, args)
        self.terminal.flush()
        return True

    # ----------------------------------------------------------------- the three ways to run

    def validate_client(self) -> None:
        """`RemoteServerSpecificCommand.validateClient`: GET /info, and what to say when it fails."""
        t = self.terminal
        try:
            r = self.client.server_info()
        except BadServerAddress:
            t.println("Server URL must begin with protocol (e.g., http:// or https://)")
            return
        except RestClientError as e:
            t.println()
            t.println("ERROR".center(80, "*"))
            if e.ssl:
                why = (" looks to be configured to use HTTPS / SSL. Please refer to the KSQL documentation on how to "
                       "configure the CLI for SSL: https://docs.ksqldb.io/en/latest/operate-and-deploy/installation/"
                       "server-config/security/#configure-the-cli-for-https")
            else:
                why = (" does not appear to be a valid KSQL server. Please ensure that the URL provided is for an "
                       "active KSQL server.")
            for line in _wrap(f"Remote server at {self.client.server}{why}", 80):
                t.println(line)
            t.println("")
            t.println("The server responded with the following error: ")
            t.println(build_error_message(e.message, [e.cause]))
            t.println("*" * 80)
            t.println()
            t.flush()
            return
        if not r.ok:
            if r.status == 406:
                t.println(f"This CLI version no longer supported: {r.error_message}")
                t.println()
            else:
                t.println(f"Couldn't connect to the KSQL server: {r.error_message}")
                t.println()
        else:
            service = str(r.body.get("ksqlServiceId", ""))
            address = self.client.server
            self.client.is_ccloud = service.startswith("pksqlc-") and ".cloud" in address and service in address
        t.flush()

    def run_command(self, command: str) -> int:
        """`-e`: the statements, then exit (CLI commands are not recognised)."""
        self.validate_client()
        code = NO_ERROR
        try:
            self.handle_line(command)
        except EndOfInput:
            pass
        except Exception as e:  # Cli.runCommand catches every exception and prints it
            code = ERROR
            self.terminal.print_error(error_text(e))
        self.terminal.flush()
        return code

    def run_script(self, path: str) -> int:
        """`-f`: the file's content as one line (SELECT and PRINT work, CLI commands do not)."""
        self.validate_client()
        code = NO_ERROR
        try:
            with open(path, encoding="utf-8") as f:
                content = "\n".join(f.read().splitlines())
            self.handle_line(content)
        except Exception as e:  # Cli.runScript catches every exception and prints it
            code = ERROR
            self.terminal.print_error(error_text(e))
        self.terminal.flush()
        return code

    def run_interactively(self) -> int:
        self.display_welcome_message()
        self.validate_client()
        while True:
            try:
                line = self.next_non_cli_command()
                if line is None:
                    raise EndOfInput()
                self.handle_line(line)
            except EndOfInput:
                self.terminal.println("Exiting ksqlDB.")
                self.terminal.flush()
                return NO_ERROR
            except KeyboardInterrupt:
                self.terminal.println("^C")
            except Exception as e:  # Cli.runInteractively prints any other and reads on
                self.terminal.print_error(error_text(e))
            self.terminal.flush()

    def read_line(self) -> str | None:
        """One logical line: physical lines until `KsqlLineParser` accepts them (None at the end)."""
        assert self.reader is not None
        buffer: list[str] = []
        while True:
            raw = self.reader.read(continued=bool(buffer))
            if raw is None:
                text = "\n".join(buffer).strip()
                return text if text else None
            buffer.append(raw)
            text = "\n".join(buffer)
            try:
                check_complete(text, self.is_cli_command)
            except IncompleteLine:
                continue
            line = text.strip()
            try:
                line = expand_history(line, self.terminal.history)
            except EventNotFound as e:
                raise ConsoleError(str(e)) from e
            if line:
                self.terminal.record_line(line)
            return line

    def next_non_cli_command(self) -> str | None:
        """`Console.nextNonCliCommand`: CLI commands run as they are read."""
        while True:
            line = self.read_line()
            if line is None or not self.maybe_handle_cli_command(line):
                return line

    def display_welcome_message(self) -> None:
        try:
            r = self.client.server_info()
            server_version = str(r.body.get("version")) if r.ok else UNKNOWN_VERSION
            status = (r.body.get("serverStatus") if r.ok else None) or UNKNOWN_VERSION
        except ConsoleError:
            server_version = status = UNKNOWN_VERSION
        warning = server_compatibility(__version__, server_version)
        t = self.terminal
        width = min(t.width, len(HELP_REMINDER))
        logo_width = max(len(line) for line in LOGO)
        if width < logo_width:
            t.println("ksqlDB, " + COPYRIGHT)
        else:
            pad = " " * ((width - logo_width) // 2)
            for line in LOGO:
                t.println(pad + line)
            t.println()
            t.println(COPYRIGHT)
        t.println()
        t.write(f"CLI v{__version__}, Server v{server_version} located at {self.client.server}\n{warning}")
        t.println("Server Status: " + str(status))
        t.println()
        t.println(HELP_REMINDER)
        t.println()
        t.flush()

    # ----------------------------------------------------------------- statements

    def handle_line(self, line: str | None) -> None:
        trimmed = (line or "").strip()
        if trimmed:
            self.handle_statements(trimmed)

    def _substitution_enabled(self) -> bool:
        value = self.client.get_property("ksql.variable.substitution.enable")
        return str(value).lower() != "false" if value is not None else True

    def _substitute(self, text: str, variables: Mapping[str, str]) -> str:
        if not self._substitution_enabled():
            return text
        refs = variable_references(text)
        if refs:
            check_references(refs, variables, text)
        return substitute(text, variables)

    def handle_statements(self, line: str) -> None:
        self._check_syntax(line)
        try:
            texts = [s.text for s in split_statements(line)]
            # validate all before executing any (with DEFINE / UNDEFINE applied to a sandbox)
            sandbox = dict(self.variables.as_dict())
            for text in texts:
                kind = _kind(strip_comments(text) or text)
                substituted = self._substitute(text, sandbox)
                if kind == "define" and (m := _DEFINE.match(strip_comments(substituted))):
                    sandbox[m.group(1)] = _unquote(m.group(2))
                elif kind == "undefine" and (m := _UNDEFINE.match(strip_comments(substituted))):
                    sandbox.pop(m.group(1), None)
                elif kind == "connector" and self.client.is_ccloud and not self.client.has_ccloud_key:
                    raise ConsoleError(
                        "In order to use ksqlDB's connector management capabilities with a Confluent Cloud ksqlDB "
                        "server, launch the ksqlDB command line with the additional flags '--confluent-api-key' and "
                        "'--confluent-api-secret' to pass a Confluent Cloud API key."
                    )
        except KsqlParseError as e:
            raise ConsoleError(e.message) from e
        pending: list[str] = []
        for text in texts:
            try:
                stmt = self._substitute(text, self.variables.as_dict())
            except KsqlParseError as e:
                raise ConsoleError(e.message) from e
            kind = _kind(strip_comments(stmt) or stmt)
            if kind == "ksql":
                pending.append(stmt)
                continue
            self.make_ksql_request("".join(pending))
            pending = []
            self._handle(kind, stmt)
        if pending:
            self.make_ksql_request("".join(pending))

    @staticmethod
    def _check_syntax(line: str) -> None:
        """`KSQL_PARSER.parse(line)` before anything runs: a syntax error anywhere stops the whole line, as
        ParseFailedException (with its cause) prints. Lines with variable references are checked once
        substituted, by the server."""
        if "${" in line:
            return
        try:
            parse(line)
        except KsqlParseError as e:
            if "Syntax Error" not in e.message.split("\n", 1)[0]:
                return  # a check the AST builder makes, not the grammar: the server reports it
            where = f"line {e.line}:{e.column}"
            raise ConsoleError(
                f"{e.message}\nStatement: {e.statement_text}\nCaused by: {where}: Syntax error at {where}"
            ) from e
        except RecursionError:
            return

    def _handle(self, kind: str, stmt: str) -> None:
        bare = strip_comments(stmt)
        if kind == "query":
            self.handle_query(stmt)
        elif kind == "print":
            self.handle_print(stmt)
        elif kind == "set" and (m := _SET.match(bare)):
            self.set_property(_unquote(m.group(1)), _unquote(m.group(2)))
        elif kind == "unset" and (m := _UNSET.match(bare)):
            self.unset_property(_unquote(m.group(1)))
        elif kind == "define" and (m := _DEFINE.match(bare)):
            self.variables.put(m.group(1), _unquote(m.group(2)))
        elif kind == "undefine" and (m := _UNDEFINE.match(bare)):
            if self.variables.remove(m.group(1)) is None:
                self.terminal.println(f"Cannot undefine variable '{m.group(1)}' which was never defined.")
        elif kind == "variables":
            variables = [{"name": k, "value": v} for k, v in self.variables.as_dict().items()]
            entity = {"@type": "variables", "statementText": bare, "variables": variables, "warnings": []}
            self.print_entities([entity])
        elif kind == "connector":
            self.print_ksql_response(self._request(stmt, connector=True))
        else:  # a SET / DEFINE ... the patterns above do not take: the server says why
            self.print_ksql_response(self._request(stmt))
        self.terminal.flush()

    def _request(self, sql: str, connector: bool = False) -> Response:
        """`Cli.makeKsqlRequest`: waits for the last command unless pipelining; keeps its sequence number."""
        seq = None if self.request_pipelining else self.last_command_sequence_number
        r = self.client.connector_request(sql, seq) if connector else self.client.ksql(sql, seq)
        self._after_request(r)
        return r

    def _after_request(self, r: Response) -> None:
        if not r.ok and isinstance(r.body, Mapping) and r.body.get("error_code") == ERROR_CODE_COMMAND_QUEUE_CATCHUP_TIMEOUT:
            self.terminal.println(
                "Error: command not executed since the server timed out while waiting for prior commands to "
                "finish executing."
            )
            self.terminal.println(
                "If you wish to execute new commands without waiting for prior commands to finish, run the "
                "command 'request-pipelining ON'."
            )
        elif r.ok and isinstance(r.body, list):
            seqs = [e.get("commandSequenceNumber") for e in r.body if e.get("@type") == "currentStatus"]
            seqs = [s for s in seqs if isinstance(s, int)]
            if seqs:
                self.last_command_sequence_number = max(seqs)

    def make_ksql_request(self, statements: str) -> None:
        if statements:
            self.print_ksql_response(self._request(statements))

    # ----------------------------------------------------------------- printing (Console)

    def print_entities(self, entities: Sequence[Mapping[str, Any]]) -> None:
        try:
            text = render.entity_list(entities, self.output_format, self.terminal.width, self.rows_seen)
        except (KeyError, TypeError, ValueError, AttributeError) as e:  # an entity this CLI cannot read
            raise ConsoleError(f"Failed to print the server's response: {e}") from e
        self.terminal.write(text)
        self.terminal.flush()

    def print_error_message(self, r: Response) -> None:
        """`Console.printErrorMessage`: a statement error's entities, then the message in red."""
        body = r.body if isinstance(r.body, Mapping) else {"message": str(r.body)}
        if body.get("@type") == "statement_error" and body.get("entities"):
            self.print_entities(body["entities"])
        self.terminal.print_error(str(body.get("message", "")))

    def print_ksql_response(self, r: Response) -> None:
        """`Cli.printKsqlResponse`."""
        if not r.ok:
            self.print_error_message(r)
            return
        failed = False
        for entity in r.body:
            status = entity.get("commandStatus") or {}
            if entity.get("@type") == "currentStatus" and status.get("status") == "ERROR":
                self.terminal.print_error(str(status.get("message", "")).split("\n")[0])
                failed = True
        if not failed:
            self.print_entities(r.body)

    def _print_json(self, value: Any) -> None:
        self.terminal.println(jsonpretty.dumps(value))

    def print_streamed_row(self, row: Mapping[str, Any]) -> None:
        """`Console.printStreamedRow`."""
        t = self.terminal
        if row.get("errorMessage"):
            self.print_error_message(Response(500, row["errorMessage"]))
        if row.get("finalMessage"):
            t.println(str(row["finalMessage"]))
        wrap = str(self.cli_config["WRAP"]).upper() == "ON"
        width = int(self.cli_config["COLUMN-WIDTH"])
        if row.get("header"):
            if self.output_format == "JSON":
                self._print_json(row["header"])
            else:
                names = schema_columns(str(row["header"].get("schema", "")))
                t.println(tabular_row(names, width, header=True, wrap=wrap, width=t.width))
        if row.get("row"):
            data = row["row"]
            if self.output_format == "JSON":
                self._print_json(data)
            else:
                values = data.get("columns") or []
                cells = [("<TOMBSTONE>" if v is None else cell(v)) if data.get("tombstone") else cell(v) for v in values]
                self.rows_seen.append(cells)
                t.println(tabular_row(cells, width, wrap=wrap, width=t.width))
        t.flush()

    def _pump(self, items: Any, out: queue.Queue[Any]) -> None:
        try:
            for item in items:
                out.put(("item", item))
        except Exception as e:
            out.put(("error", e))
        out.put(("done", None))

    def _consume(self, stream: Any, items: Any, on_item: Any, timeout_ms: int | None) -> None:
        """Feed `on_item` until it returns True, the stream ends, the timeout passes or CTRL-C."""
        q: queue.Queue[Any] = queue.Queue()
        threading.Thread(target=self._pump, args=(items, q), daemon=True).start()
        deadline = None if timeout_ms is None else time.monotonic() + timeout_ms / 1000
        try:
            while True:
                wait = None if deadline is None else max(deadline - time.monotonic(), 0)
                try:
                    what, item = q.get(timeout=wait)
                except queue.Empty:
                    return
                if what != "item" or on_item(item):
                    return
        except KeyboardInterrupt:
            return
        finally:
            stream.close()

    def handle_query(self, stmt: str) -> None:
        """`Cli.handleQuery`: the rows until the query ends, the row limit or the timeout."""
        seq = None if self.request_pipelining else self.last_command_sequence_number
        stream = self.client.stream(stmt, seq)
        if stream.error is not None:
            self._after_request(stream.error)
            self.print_error_message(stream.error)
            self.terminal.flush()
            return
        count = 0

        def on_row(row: Mapping[str, Any]) -> bool:
            nonlocal count
            if row.get("consistencyToken"):
                return False
            self.print_streamed_row(row)
            if row.get("finalMessage") or row.get("errorMessage"):
                return True
            if row.get("row"):
                count += 1
                if self.row_limit is not None and count >= self.row_limit:
                    return True
            return False

        try:
            self._consume(stream, stream.rows(), on_row, self.timeout_ms)
        finally:
            self.terminal.println("Query terminated")
            self.terminal.flush()

    def handle_print(self, stmt: str) -> None:
        """`Cli.handlePrintedTopic`: each line the server sends (blank ones dropped)."""
        seq = None if self.request_pipelining else self.last_command_sequence_number
        stream = self.client.stream(stmt, seq)
        if stream.error is not None:
            self.terminal.println(stream.error.error_message)
            self.terminal.flush()
            return

        def on_line(line: str) -> bool:
            if line:
                self.terminal.println(line)
                self.terminal.flush()
            return False

        self._consume(stream, stream.lines(), on_line, None)
        self.terminal.println("Topic printing ceased")
        self.terminal.flush()

    def set_property(self, name: str, value: str) -> None:
        """`Cli.setProperty`: the server must accept the property; the value is kept in the session."""
        r = self.client.is_valid_property(name)
        if not r.ok:
            raise ConsoleError(r.error_message)
        prior = self.client.set_property(name, value)
        if prior is None:
            self.terminal.println(
                f"Successfully changed local property '{name}' to '{value}'. Use the UNSET command to revert your change."
            )
        else:
            self.terminal.println(f"Successfully changed local property '{name}' from '{prior}' to '{value}'.")

    def unset_property(self, name: str) -> None:
        old = self.client.unset_property(name)
        if old is None:
            raise ConsoleError(f"Cannot unset local property '{name}' which was never set in the first place")
        self.terminal.println(f"Successfully unset local property '{name}' (value was '{old}').")

    def close(self) -> None:
        self.terminal.close()


def error_text(e: BaseException) -> str:
    """`ErrorMessageUtil.buildErrorMessage` of what a run caught: a request that got no answer names why."""
    if isinstance(e, RestClientError):
        return build_error_message(e.message, [e.cause])
    if isinstance(e, ConsoleError):
        return e.message
    return str(e) or type(e).__name__


def build_error_message(message: str, causes: Sequence[str]) -> str:
    """`ErrorMessageUtil.buildErrorMessage`: the message, then each distinct cause as "Caused by: ..."."""
    out = [message]
    for cause in causes:
        if cause and cause not in out:
            out.append("\n\t".join(_wrap("Caused by: " + cause, 80)))
    return "\n".join(out)


def _wrap(text: str, width: int) -> list[str]:
    """WordUtils.wrap: lines of at most `width` characters, broken at spaces."""
    out: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            if line and len(line) + 1 + len(word) > width:
                out.append(line)
                line = word
            else:
                line = f"{line} {word}" if line else word
        out.append(line)
    return out
