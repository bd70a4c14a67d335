"""`Options`: the `ksql` command line (airline's syntax: `ksql [options] [--] [server]`)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass, field

from ksqlserver.console import ConsoleError

DEFAULT_SERVER = "http://localhost:8088"
OUTPUT_FORMATS = ("JSON", "TABULAR")  # OutputFormat's values
VALID_FORMATS = ", ".join(f"'{f}'" for f in OUTPUT_FORMATS)  # OutputFormat.VALID_FORMATS


class OptionsError(ConsoleError):
    """A command line `Options.parse` refuses (printed with the hint to use --help), or options that do
    not go together (ConfigException)."""


def output_format(name: str) -> str:
    """`OutputFormat.get`."""
    if name not in OUTPUT_FORMATS:
        raise OptionsError(f"Unknown Output format: {name}. Valid values are: {VALID_FORMATS}")
    return name


@dataclass
class Options:
    server: str = DEFAULT_SERVER
    config_file: str | None = None
    user: str = ""
    password: str = ""
    query_row_limit: int | None = None
    query_timeout_ms: int | None = None
    output: str = "TABULAR"
    execute: str | None = None
    file: str | None = None
    define: list[str] = field(default_factory=list)
    api_key: str = ""
    api_secret: str = ""

    def requires_password(self) -> bool:
        return bool(self.user) and not self.password.strip()

    def credentials(self) -> tuple[str, str] | None:
        """`getUserNameAndPassword`."""
        if bool(self.user) != bool(self.password):
            raise OptionsError(
                "You must specify both a username and a password. If you don't want to use an authenticated "
                "session, don't specify either of the --user or the --password flags on the command line"
            )
        return (self.user, self.password) if self.user else None

    def ccloud_api_key(self) -> tuple[str, str] | None:
        """`getCCloudApiKey`."""
        if bool(self.api_key) != bool(self.api_secret):
            raise OptionsError(
                "You must specify both an API key and the associated secret. If you are not connecting to a "
                "Confluent Cloud ksqlDB server or do not plan to use ksqlDB's connector management capabilities, "
                "then do not specify eitherof the --confluent-api-key or the --confluent-api-secret flags on the "
                "command line"
            )
        return (self.api_key, self.api_secret) if self.api_key else None

    def execute_text(self) -> str | None:
        """`getExecute`: a missing final `;` is added."""
        if not self.execute:
            return None
        return self.execute if self.execute.endswith(";") else self.execute + ";"

    def variables(self) -> dict[str, str]:
        """`VariableParser.getVariables`."""
        out: dict[str, str] = {}
        for pair in self.define:
            parts = pair.split("=")
            while parts and parts[-1] == "":  # String.split drops trailing empty strings
                parts.pop()
            if len(parts) != 2:
                raise OptionsError(
                    f"Failed to parse argument {pair}: variables must be defined using '=' (i.e. var=val)."
                )
            out[parts[0]] = parts[1]
        return out


def _positive_long(name: str, text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise OptionsError(f"{name}: can not convert \"{text}\" to a Long") from None
    if value < 1:
        raise OptionsError(f"Value for option '{name}' was given as '{value}' which is not in the range 1 to "
                           f"9223372036854775807")
    return value


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="ksql", description="KSQL CLI (ksqlDB 0.29's, over the REST API).", add_help=True)
    p.add_argument("server", nargs="?", default=DEFAULT_SERVER,
                   help="The address of the Ksql server to connect to (ex: http://confluent.io:9098)")
    p.add_argument("--config-file", help="A file specifying configs for Ksql and its underlying Kafka Streams instance(s).")
    p.add_argument("-u", "--user", default="", help="The user name, if the server requires authentication")
    p.add_argument("-p", "--password", default="", help="The password, with -u/--user")
    p.add_argument("--query-row-limit", help="An optional maximum number of rows to read from streamed queries")
    p.add_argument("--query-timeout", help="An optional time limit (in milliseconds) for streamed queries")
    p.add_argument("--output", default="TABULAR", help="The output format to use (either 'JSON' or 'TABULAR')")
    p.add_argument("-e", "--execute", help="Execute one or more SQL statements and quit.")
    p.add_argument("-f", "--file", help="Execute commands from a file and exit.")
    p.add_argument("-d", "--define", action="append", default=[],
                   help="Define variables for the CLI session (equivalent to the DEFINE statement).")
    p.add_argument("--confluent-api-key", default="", help="A Confluent Cloud API key (connector management)")
    p.add_argument("--confluent-api-secret", default="", help="The secret of --confluent-api-key")
    return p


class _Refused(Exception):
    pass


def parse(args: Sequence[str]) -> Options:
    """`Options.parse`; raises OptionsError for what it refuses (and SystemExit for --help)."""
    parser = build_parser()

    def refuse(message: str) -> None:
        raise OptionsError(message)

    parser.error = refuse  # type: ignore[method-assign]
    ns = parser.parse_args(list(args))
    output_format(ns.output)
    return Options(
        server=ns.server,
        config_file=ns.config_file,
        user=ns.user,
        password=ns.password,
        query_row_limit=None if ns.query_row_limit is None else _positive_long("--query-row-limit", ns.query_row_limit),
        query_timeout_ms=None if ns.query_timeout is None else _positive_long("--query-timeout", ns.query_timeout),
        output=ns.output,
        execute=ns.execute,
        file=ns.file,
        define=list(ns.define),
        api_key=ns.confluent_api_key,
        api_secret=ns.confluent_api_secret,
    )
