"""`%%ksql`, `%ksql`, `%ksql_config` and `%ksql_connect`.

    %%ksql [-o NAME] [--limit N] [--timeout SECONDS] [--live | --no-live]
    CREATE STREAM ...;
    SELECT * FROM s EMIT CHANGES;

Statements run in order; the first one ksqlDB rejects stops the cell with ksqlDB's own error text. Every
result is shown as a table; the last one is the cell's value (and, with `-o NAME`, the DataFrame `NAME`).
Session commands are handled here as ksqlDB's CLI handles them: DEFINE / UNDEFINE / SHOW VARIABLES
(`${name}` is substituted from them, then from the notebook's Python variables) and SET / UNSET of
request properties (also `%ksql_config name=value`).
"""

from __future__ import annotations

import argparse
import re
import shlex
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd
from IPython.core.magic import Magics, line_cell_magic, line_magic, magics_class, no_var_expand
from IPython.display import display

from fraudlab.ksql.offsets import OFFSET_KEYS, latest_notice, offset_reset, source_names
from fraudlab.magics.connection import client_config_connection, default_connection, stack_connection
from fraudlab.magics.display import LiveQuery, Notice, Titled, status_line
from fraudlab.magics.entities import entity_frame, entity_warnings
from fraudlab.magics.errors import MagicError, MagicUsageError
from fraudlab.magics.queries import QueryOutcome, run_query
from fraudlab.magics.rest import KsqlConfig, KsqlRest, split_statements
from fraudlab.magics.statements import Kind, Statement, classify
from fraudlab.magics.variables import Variables


@dataclass(frozen=True)
class MagicDefaults:
    push_timeout_s: float = 10.0  # a push query never ends by itself: every cell that runs one is bounded
    pull_timeout_s: float = 60.0
    push_limit: int = 1000


@dataclass(frozen=True)
class CellOptions:
    output: str | None
    limit: int | None
    timeout_s: float | None
    live: bool | None


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # never SystemExit inside a kernel
        raise MagicUsageError(f"%ksql: {message}")


def _parser() -> _Parser:
    p = _Parser(prog="%%ksql", add_help=False)
    p.add_argument("-o", "--output", default=None)
    p.add_argument("--limit", type=int, default=None)
    p.add_argument("--timeout", type=float, default=None)
    p.add_argument("--live", dest="live", action="store_const", const=True, default=None)
    p.add_argument("--no-live", dest="live", action="store_const", const=False)
    return p


_TAKES_VALUE = {"-o", "--output", "--limit", "--timeout"}
_FLAGS = {"--live", "--no-live"}
_TOKEN = re.compile(r"\s*(\S+)")


def split_options(line: str) -> tuple[CellOptions, str]:
    """The leading options of a magic's line, and the rest verbatim (a line magic's SQL keeps its quotes)."""
    tokens: list[str] = []
    pos = 0
    expect_value = False
    while True:
        m = _TOKEN.match(line, pos)
        if m is None:
            break
        token = m.group(1)
        name = token.split("=", 1)[0]
        if expect_value:
            expect_value = False
        elif name in _FLAGS or name in _TAKES_VALUE:
            expect_value = name in _TAKES_VALUE and "=" not in token
        else:
            break
        tokens.append(token)
        pos = m.end()
    if expect_value:
        raise MagicUsageError(f"%ksql: {tokens[-1]} needs a value")
    ns = _parser().parse_args(tokens)
    if ns.output is not None and not ns.output.isidentifier():
        raise MagicUsageError(f"%ksql: -o {ns.output!r} is not a Python variable name")
    if ns.limit is not None and ns.limit < 1:
        raise MagicUsageError("%ksql: --limit must be at least 1")
    if ns.timeout is not None and ns.timeout <= 0:
        raise MagicUsageError("%ksql: --timeout must be more than 0 seconds")
    return CellOptions(ns.output, ns.limit, ns.timeout, ns.live), line[pos:].strip()


def _connect_arguments(line: str) -> tuple[str, Path | None, Path | None]:
    """URL, --state-dir and --client-config of a %ksql_connect line."""
    try:
        tokens = shlex.split(line)
    except ValueError as exc:
        raise MagicUsageError(f"%ksql_connect: {exc}") from exc
    url, state_dir, client_config = "", None, None
    i = 0
    while i < len(tokens):
        token = tokens[i]
        name, eq, value = token.partition("=")
        if name in ("--state-dir", "--client-config"):
            if not eq:
                if i + 1 >= len(tokens):
                    raise MagicUsageError(f"%ksql_connect: {name} needs a value")
                i += 1
                value = tokens[i]
            if name == "--state-dir":
                state_dir = Path(value).expanduser()
            else:
                client_config = Path(value).expanduser()
        elif token.startswith("-"):
            raise MagicUsageError(f"%ksql_connect: unknown option {token!r} (--state-dir, --client-config)")
        elif url:
            raise MagicUsageError(f"%ksql_connect: one URL only, got {url!r} and {token!r}")
        else:
            url = token
        i += 1
    return url, state_dir, client_config


def _connection(url: str, state_dir: Path | None, client_config: Path | None, current: KsqlConfig) -> KsqlConfig:
    if client_config is not None:
        return client_config_connection(url, client_config)
    if state_dir is not None:
        recorded = stack_connection(state_dir)
        if recorded is None:
            raise MagicUsageError(f"%ksql_connect: no stack with a KSQL server was started with --state-dir "
                                  f"{state_dir} (no stack.json naming one)")
        return replace(recorded, url=url) if url else recorded
    # credentials go only to the server they were made for
    for known in (current, default_connection()):
        if known.url.rstrip("/") == url.rstrip("/"):
            return known
    return KsqlConfig(url)


def _frame_of(result: Any) -> pd.DataFrame | None:
    if isinstance(result, pd.DataFrame):
        return result
    if isinstance(result, Titled):
        return result.frame
    return None


@magics_class
class KsqlMagics(Magics):
    """The session: one server, its request properties and DEFINE'd variables."""

    def __init__(self, shell: Any, server: str | KsqlConfig, defaults: MagicDefaults | None = None) -> None:
        """`server`: a URL, or a `KsqlConfig` with a secured server's basic auth and CA."""
        super().__init__(shell)
        self.rest = KsqlRest(server)
        self.defaults = defaults or MagicDefaults()
        self.properties: dict[str, str] = {}
        self.variables = Variables(shell.user_ns if shell is not None else {})

    # -- %ksql_connect / %ksql_config ----------------------------------------------------------------
    @line_magic
    def ksql_connect(self, line: str) -> None:
        """%ksql_connect [URL] [--state-dir DIR] [--client-config FILE]: talk to the KSQL server at URL, or
        to the one of the stack started with `fraudlab stack up --state-dir DIR`, with a secured stack's
        basic auth and CA (from DIR's record, or from FILE as `fraudlab stack client-config --path` writes
        it). A bare URL keeps the credentials only when it is the server they are for. No argument: say
        which server is used."""
        url, state_dir, client_config = _connect_arguments(line)
        if url and not re.match(r"^https?://", url):
            raise MagicUsageError(f"%ksql_connect: {url!r} is not an http(s) URL")
        if url or state_dir or client_config:
            candidate = KsqlRest(_connection(url, state_dir, client_config, self.rest.config))
            info = candidate.info()
            self.rest = candidate
        else:
            info = self.rest.info()
        version = info.get("version", "?")
        secured = f", as user {self.rest.config.username}" if self.rest.config.username else ""
        print(f"KSQL server {version} at {self.rest.url} (service id {info.get('ksqlServiceId', '?')}, "
              f"status {info.get('serverStatus', '?')}{secured})")

    @line_magic
    def ksql_config(self, line: str) -> pd.DataFrame | None:
        """%ksql_config [name=value ...] [--unset name ...]: the properties sent with every statement and
        query (as ksqlDB's CLI `SET`); without arguments, the current ones."""
        tokens = line.split()
        if not tokens:
            return self._properties_frame()
        i = 0
        while i < len(tokens):
            token = tokens[i]
            if token == "--unset":
                if i + 1 >= len(tokens):
                    raise MagicUsageError("%ksql_config: --unset needs a property name")
                self._unset(tokens[i + 1])
                i += 2
                continue
            name, sep, value = token.partition("=")
            if not sep or not name:
                raise MagicUsageError(f"%ksql_config: expected name=value, got {token!r}")
            self._set(name, value)
            i += 1
        return self._properties_frame()

    def _properties_frame(self) -> pd.DataFrame:
        return pd.DataFrame(sorted(self.properties.items()), columns=["property", "value"])

    def _set(self, name: str, value: str) -> None:
        # one spelling of auto.offset.reset at a time, so the session never sends two that disagree
        if name in OFFSET_KEYS:
            for key in OFFSET_KEYS:
                self.properties.pop(key, None)
        self.properties[name] = value

    def _unset(self, name: str) -> bool:
        found = self.properties.pop(name, None) is not None
        if name in OFFSET_KEYS:
            for key in OFFSET_KEYS:
                found = self.properties.pop(key, None) is not None or found
        return found

    # -- %ksql / %%ksql ----------------------------------------------------------------------------
    @no_var_expand  # `${name}` is ksqlDB's substitution, not IPython's `{expr}`
    @line_cell_magic
    def ksql(self, line: str, cell: str | None = None) -> Any:
        options, rest = split_options(line)
        if cell is not None and rest:
            raise MagicUsageError(f"%%ksql: unexpected {rest!r} after the options (statements go in the cell)")
        text = cell if cell is not None else rest
        raw = split_statements(text or "")
        if not raw:
            raise MagicUsageError("%ksql: no statement to run")
        results: list[Any] = []
        for sql in raw:
            statement = classify(self.variables.render(sql))
            result = self._run(statement, options, many=len(raw) > 1)
            if result is not None:
                results.append(result)
        if not results:
            return None
        for shown in results[:-1]:
            display(shown)
        last = results[-1]
        if options.output:
            self.shell.user_ns[options.output] = _frame_of(last)
        return last

    def _run(self, statement: Statement, options: CellOptions, many: bool) -> Any:
        kind = statement.kind
        if kind is Kind.DEFINE:
            self.variables.define(statement.name, statement.value)
            return None
        if kind is Kind.UNDEFINE:
            if not self.variables.undefine(statement.name):
                display(Notice(f"variable {statement.name!r} was not defined"))
            return None
        if kind is Kind.SHOW_VARIABLES:
            return pd.DataFrame(self.variables.items(), columns=["variable", "value"])
        if kind is Kind.SET:
            self._set(statement.name, statement.value)
            print(f"Successfully changed local property '{statement.name}' to '{statement.value}'. "
                  "Use the UNSET command to revert your change.")
            return None
        if kind is Kind.UNSET:
            if self._unset(statement.name):
                print(f"Successfully unset local property '{statement.name}'.")
            else:
                display(Notice(f"property {statement.name!r} was not set"))
            return None
        if statement.is_query:
            return self._query(statement, options)
        return self._statement(statement, many)

    # -- where new queries start ---------------------------------------------------------------
    def starts_at_latest(self, statement: Statement | None = None) -> bool:
        """True when a new query would start at the latest offset (this session's setting, else the
        server's default, else ksqlDB's default: `latest` for streams, `earliest` for tables, so a
        `statement` reading only tables starts at the beginning when nothing is set)."""
        own = offset_reset(self.properties)
        if own is not None:
            return own == "latest"
        try:
            server = offset_reset(self.rest.server_properties())
            # a server that sets no auto.offset.reset (SHOW PROPERTIES lists none) reads tables from the start
            if server is None and statement is not None and self._reads_only_tables(statement):
                return False
        except MagicError:
            return False  # unknown: no notice rather than a wrong one
        return server in (None, "latest")

    def _reads_only_tables(self, statement: Statement) -> bool:
        names = source_names(statement.text)
        if not names:
            return False
        entities = self.rest.execute("SHOW TABLES;", {})
        tables = {t.get("name") for e in entities for t in e.get("tables", [])}
        return all(name in tables for name in names)

    def _latest_notice(self, what: str) -> Notice:
        return Notice(latest_notice(what, "%ksql_config auto.offset.reset=earliest (or SET 'auto.offset.reset'="
                                          "'earliest'; in the cell), then run it again."), kind="notice")

    # -- statements ----------------------------------------------------------------------------
    def _statement(self, statement: Statement, many: bool) -> Any:
        if statement.starts_persistent_query and self.starts_at_latest(statement):
            display(self._latest_notice("The persistent query of this statement"))
        entities = self.rest.execute(statement.text, self.properties)
        results: list[Any] = []
        for entity in entities:
            for warning in entity_warnings(entity):
                display(Notice(warning, kind="warning"))
            frame = entity_frame(entity)
            title = str(frame.attrs.get("title", ""))
            results.append(Titled(title, frame) if title and title != entity.get("@type") else frame)
        if not results:
            return None
        for shown in results[:-1]:
            display(shown)
        return results[-1]

    # -- queries -------------------------------------------------------------------------------
    def _bounds(self, statement: Statement, options: CellOptions) -> tuple[int | None, float]:
        push = statement.kind is Kind.PUSH
        limits = [n for n in (options.limit, statement.sql_limit) if n is not None]
        limit = min(limits) if limits else (self.defaults.push_limit if push else None)
        timeout = options.timeout_s or (self.defaults.push_timeout_s if push else self.defaults.pull_timeout_s)
        return limit, timeout

    def _live_default(self) -> bool:
        """Redraw a push query's table as rows arrive where a front end shows updates (Jupyter, papermill)."""
        return self.shell is not None and type(self.shell).__name__ == "ZMQInteractiveShell"

    def _query(self, statement: Statement, options: CellOptions) -> pd.DataFrame:
        push = statement.kind is Kind.PUSH
        limit, timeout = self._bounds(statement, options)
        latest = push and self.starts_at_latest(statement)
        if latest:
            display(self._latest_notice("This push query"))
        live = push and (options.live if options.live is not None else self._live_default())
        handle = None
        if live:
            handle = display(LiveQuery(statement.text, status_line(0, 0.0, limit, timeout, None),
                                       pd.DataFrame()), display_id=True)

        def progress(outcome: QueryOutcome, seconds: float) -> None:
            if handle is not None:
                handle.update(LiveQuery(statement.text, status_line(len(outcome.rows), seconds, limit, timeout, None),
                                        outcome.frame()))

        outcome = run_query(self.rest, statement.text, self.properties, limit, timeout,
                            on_progress=progress if live else None)
        final = status_line(len(outcome.rows), outcome.seconds, limit, timeout, outcome.ended)
        if handle is not None:
            handle.update(LiveQuery(statement.text, final, outcome.frame(), running=False))
        elif push or outcome.ended == "timeout":
            print(final)
        if latest and outcome.ended == "timeout" and not outcome.rows:
            display(Notice("no rows arrived before the timeout, and the query started at the latest offset: "
                           "rows already in the topic were not read (%ksql_config auto.offset.reset=earliest).",
                           kind="hint"))
        frame = outcome.frame()
        frame.attrs.update(query_id=outcome.query_id, ended=outcome.ended)
        return frame
