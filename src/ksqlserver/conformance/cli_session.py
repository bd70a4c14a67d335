"""One ksqlDB CLI session fed a file on stdin, as ksqlDB 0.29's `Cli` handles it, over an in-process engine.

Input lines are joined until the statement is complete (`KsqlLineParser`: the comment-free text ends
with ';', is empty, or is a CLI command; an open quote continues). Each accepted line runs as
`Cli.handleStatements` runs it: SELECT through the query path (header, rows, final message, "Query
terminated"), PRINT through the print path ("Topic printing ceased"), SET/UNSET/DEFINE/UNDEFINE in the
session, everything else in /ksql requests (consecutive statements together). Queries see the rows of
the persistent queries once those have drained (the engine is synchronous).
"""

from __future__ import annotations

import base64
import datetime as dt
import re
import shlex
import time
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from ksqlserver.console import render
from ksqlserver.console.tabular import cell, tabular_row
from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine
from ksqlserver.errors import KsqlError
from ksqlserver.formats.javatext import py_java_double
from ksqlserver.sql.parser import split_statements

_CLI_COMMANDS = re.compile(r"^(spool|set\s+cli|run\s+script|history|version|exit|clear|output|help|server)\b", re.I)
_CONNECTOR = re.compile(
    r"^(CREATE\s+(SOURCE|SINK)\s+CONNECTOR|DROP\s+CONNECTOR|DESCRIBE\s+CONNECTOR|(SHOW|LIST)\s+CONNECTOR)", re.I
)
_SET = re.compile(r"^SET\s+'((?:[^']|'')*)'\s*=\s*'((?:[^']|'')*)'", re.I)
_UNSET = re.compile(r"^UNSET\s+'((?:[^']|'')*)'", re.I)
_DEFINE = re.compile(r"^DEFINE\s+(\w+)\s*=\s*'((?:[^']|'')*)'", re.I)
_UNDEFINE = re.compile(r"^UNDEFINE\s+(\w+)", re.I)
_POLL_ROUNDS = 200
_IDLE_S = 0.5


def strip_comments(text: str) -> tuple[str, bool]:
    """The text without `--` comments, and whether a quote is left open (`CommentStripper`,
    `UnclosedQuoteChecker`)."""
    out, quote, i = [], None, 0
    while i < len(text):
        c = text[i]
        if quote:
            out.append(c)
            if c == quote:
                quote = None
        elif c in "'`\"":
            quote = c
            out.append(c)
        elif text.startswith("--", i):
            j = text.find("\n", i)
            i = len(text) if j < 0 else j
            continue
        else:
            out.append(c)
        i += 1
    return "".join(out).strip(), quote == "'"


def input_lines(text: str) -> Iterator[str]:
    """The lines the CLI accepts from the harness's stdin (blank lines dropped, as the harness drops them)."""
    buffer: list[str] = []
    for raw in text.splitlines():
        if not raw.strip():
            continue
        buffer.append(raw.rstrip())
        bare, open_quote = strip_comments("\n".join(buffer).strip())
        if open_quote:
            continue
        if not bare or bare.endswith(";") or _CLI_COMMANDS.match(bare):
            yield "\n".join(buffer)
            buffer = []
    if buffer:
        yield "\n".join(buffer)


class CliSession:
    """A CLI session: its local properties and variables, the column width the harness set."""

    def __init__(self, engine: Engine, column_width: int) -> None:
        self.engine = engine
        self.column_width = max(column_width, 0)
        self.props: dict[str, str] = {}
        self.variables: dict[str, str] = {}
        self.blockers: list[str] = []  # why parts of the session cannot run here

    def run_file(self, text: str) -> list[str]:
        """The harness's `output-N.log` texts for one stdin file."""
        return spool_outputs((line, self.handle(line)) for line in input_lines(text))

    def handle(self, line: str) -> str:
        out: list[str] = []
        pending: list[str] = []
        bare, _ = strip_comments(line.strip())
        if not bare or _CLI_COMMANDS.match(bare):
            return ""
        try:
            sources = [s.text for s in split_statements(line.strip())]
        except KsqlError as e:
            return error_line(e.message) + "\n"
        for text in sources:
            stmt, _ = strip_comments(text)
            if self._is_handled(stmt):
                if pending:
                    out += self._ksql("\n".join(pending))
                    pending = []
                out += self._handled(stmt)
            else:
                pending.append(text)
        if pending:
            out += self._ksql("\n".join(pending))
        return "".join(o + "\n" for o in out)

    @staticmethod
    def _is_handled(stmt: str) -> bool:
        return bool(
            re.match(r"^(SELECT|PRINT|SET|UNSET|DEFINE|UNDEFINE)\b", stmt, re.I) or _CONNECTOR.match(stmt)
        )

    def _handled(self, stmt: str) -> list[str]:
        if m := _SET.match(stmt):
            name, value = m.group(1).replace("''", "'"), m.group(2).replace("''", "'")
            prior = self.props.get(name)
            self.props[name] = value
            return [set_property(name, value, prior)]
        if m := _UNSET.match(stmt):
            name = m.group(1)
            if name not in self.props:
                return [error_line(f"Cannot unset local property '{name}' which was never set in the first place")]
            old = self.props.pop(name)
            return [f"Successfully unset local property '{name}' (value was '{old}')."]
        if m := _DEFINE.match(stmt):
            self.variables[m.group(1)] = m.group(2).replace("''", "'")
            return []
        if m := _UNDEFINE.match(stmt):
            if self.variables.pop(m.group(1), None) is None:
                return [f"Cannot undefine variable '{m.group(1)}' which was never defined."]
            return []
        if _CONNECTOR.match(stmt):
            self._block("needs a Kafka Connect worker (connector statements)")
            return self._ksql(stmt)
        if re.match(r"^PRINT\b", stmt, re.I):
            return self._print(stmt)
        return self._query(stmt)

    def _block(self, why: str) -> None:
        if why not in self.blockers:
            self.blockers.append(why)

    def _note_error(self, message: str) -> None:
        if re.search(r"Can't find any functions with the name|Function '\w+' does not exist", message):
            self._block(f"needs a custom UDF: {message.splitlines()[0]}")
        elif re.search(r"Schema for message|schema registry|No schema|subject", message, re.I):
            self._block(f"needs Schema Registry content: {message.splitlines()[0]}")
        elif m := re.match(r"Topic '([^']*)' does not exist", message):
            self._block(f"needs topic {m.group(1)}, which something outside the CLI fills (a connector)")

    def _ksql(self, sql: str) -> list[str]:
        try:
            entities = self.engine.execute(sql, dict(self.props), self.variables)
        except KsqlError as e:
            # an error response: Console.printErrorMessage prints its whole message
            self._note_error(e.message)
            return [error_line(e.message)]
        finally:
            self.engine.drain()
        out: list[str] = []
        for entity in entities:
            status = (entity.get("commandStatus") or {}).get("status")
            if status == "ERROR":  # Cli.printKsqlResponse: the first line of a failed command's message
                return [error_line(str(entity["commandStatus"]["message"]).split("\n")[0])]
        for entity in entities:
            out += entity_lines(entity, len(entities) > 1)
        return out

    def _rows(self, query: Any) -> Iterator[Any]:
        """The query's rows once the persistent queries have drained; stops when it is done, or has given
        nothing for `_IDLE_S` (a PRINT or pull query runs on a thread of its own)."""
        idle_since = time.monotonic()
        for _ in range(_POLL_ROUNDS):
            self.engine.drain()
            rows = query.poll(0.02)
            yield from rows
            if query.done:
                return
            if rows:
                idle_since = time.monotonic()
            elif time.monotonic() - idle_since > _IDLE_S:
                return

    def _query(self, stmt: str) -> list[str]:
        try:
            query = self.engine.start_query(stmt, dict(self.props), self.variables)
        except KsqlError as e:
            self._note_error(e.message)
            return [error_line(e.message)]
        out = [tabular_row([c for c, _ in query.columns], self.column_width, header=True)]
        try:
            for row in self._rows(query):
                out.append(tabular_row([cell(read_back(v)) for v in row], self.column_width))
            if query.done and query.final_message:
                out.append(query.final_message)
        except KsqlError as e:
            out.append(error_line(e.message))
        finally:
            query.close()
        out.append("Query terminated")
        return out

    def _print(self, stmt: str) -> list[str]:
        try:
            # the CLI's makePrintTopicRequest posts to /query, whose StreamedQueryResource prints the topic
            # (TopicStreamWriter: the formats lines too; the topic by its exact name)
            query = self.engine.start_query(stmt, dict(self.props), self.variables, exact_print=True)
        except KsqlError as e:
            return [e.message]
        try:
            out = [str(line) for line in self._rows(query)]
        finally:
            query.close()
        return [*out, "Topic printing ceased"]


def console_producer(driver: MemoryDriver, script: str, stdin: str) -> str | None:
    """`kafka-console-producer --topic T` fed `stdin`: each line one record (key and value split at
    `key.separator` when `parse.key=true`). Returns why it cannot run here (an Avro/Protobuf producer)."""
    args = shlex.split(script.replace("\\\n", " "))
    if any("avro-console-producer" in a or "protobuf-console-producer" in a for a in args):
        return "produces with a Schema Registry console producer"
    topic = next((args[i + 1] for i, a in enumerate(args[:-1]) if a == "--topic"), None)
    if topic is None:
        return "a console producer without --topic"
    props = dict(args[i + 1].split("=", 1) for i, a in enumerate(args[:-1]) if a == "--property" and "=" in args[i + 1])
    parse_key = props.get("parse.key", "false").lower() == "true"
    separator = props.get("key.separator", "\t")
    if driver.topic(topic) is None:
        driver.create_topic(topic, 1, 1)
    records: list[Record] = []
    for line in stdin.splitlines():
        if not line.strip():
            continue
        key: bytes | None = None
        value = line
        if parse_key and separator in line:
            k, value = line.split(separator, 1)
            key = k.encode("utf-8")
        records.append(Record(key, value.encode("utf-8"), int(time.time() * 1000)))
    driver.produce(topic, records)
    return None


def read_back(value: Any) -> Any:
    """An engine value as the CLI holds it once read back from the server's JSON (`ApiJsonMapper`,
    USE_BIG_DECIMAL_FOR_FLOATS): a DOUBLE as the BigDecimal of the digits `Double.toString` wrote, a
    DECIMAL plain, bytes as base64 text, times as the server writes them."""
    if isinstance(value, bool) or value is None or isinstance(value, int | str):
        return value
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return py_java_double(value)  # Jackson writes these as text: NaN, Infinity
        return Decimal(py_java_double(value))
    if isinstance(value, Decimal):
        return Decimal(format(value, "f"))
    if isinstance(value, dict):
        return {k: read_back(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [read_back(v) for v in value]
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}"
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return value


def entity_lines(entity: dict[str, Any], show_statement: bool) -> list[str]:
    """`Console.printKsqlEntityList` for one entity without a terminal (width 0): a blank line, the
    statement when the response had several, the entity's printer and warnings (the console's)."""
    out = [""]
    if show_statement:
        out.append(str(entity.get("statementText", "")))
    try:
        return out + render.entity_lines(entity, 0)
    except (ValueError, KeyError, TypeError):
        return [*out, f"<{entity.get('@type')}: not rendered>"]


def set_property(name: str, value: str, prior: str | None) -> str:
    """`Cli.setProperty`'s confirmation."""
    if prior is None:
        return f"Successfully changed local property '{name}' to '{value}'. Use the UNSET command to revert your change."
    return f"Successfully changed local property '{name}' from '{prior}' to '{value}'."


def error_line(message: str) -> str:
    """`JLineTerminal.printError`: the message in red."""
    return f"\x1b[31m{message}\x1b[0m"


def spool_outputs(blocks: Iterable[tuple[str, str]]) -> list[str]:
    """The outputs the tutorials' harness writes for one stdin file (`output-N.log`): the CLI spools
    "\\nksql> LINE\\n" before each input line's output; the harness drops the spool's last two lines (the
    SPOOL OFF), splits at each `ksql>` line, drops each block's lines up to the first ending in ';' (the
    echoed input) and strips leading whitespace. `blocks`: (input line, its output text)."""
    spool = "".join(f"\nksql> {line}\n{output}" for line, output in blocks) + "\nksql> spool off;\n"
    lines = spool.splitlines(keepends=True)
    start = next((i for i, x in enumerate(lines) if x.startswith("ksql>")), len(lines))
    chunks: list[list[str]] = []
    for line in lines[start:-2]:
        if line.startswith("ksql>"):
            chunks.append([line])
        elif chunks:
            chunks[-1].append(line)
    out = []
    for chunk in chunks:
        ends = next((i for i, x in enumerate(chunk) if x.endswith(";\n")), None)
        kept = [] if ends is None else chunk[ends + 1 :]
        out.append("".join(kept).lstrip())
    return out
