"""`ksql` (ksqldb-cli's `Ksql.main`): parse the options, build the client and the CLI, run `-e`, `-f` or
the interactive shell, exit with its code."""

from __future__ import annotations

import getpass
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

from ksqlserver.console import ConsoleError
from ksqlserver.console.client import RestClient
from ksqlserver.console.options import Options, OptionsError, parse
from ksqlserver.console.session import Cli
from ksqlserver.console.terminal import Reader, Terminal

# PropertiesUtil.BLACK_LIST: system properties that never reach the client
_NOT_CLIENT_PROPERTIES = ("java.", "os.", "sun.", "user.", "line.separator", "path.separator", "file.separator")


def load_properties(path: str) -> dict[str, str]:
    """A Java properties file (`key=value` or `key: value` lines, `#`/`!` comments)."""
    out: dict[str, str] = {}
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as e:
        raise ConsoleError(f"Failed to load properties file: {path}") from e
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line[0] in "#!":
            continue
        sep = min((i for i in (line.find("="), line.find(":")) if i >= 0), default=-1)
        key, value = (line, "") if sep < 0 else (line[:sep].strip(), line[sep + 1 :].strip())
        out[key] = value
    return out


def build_client(
    server: str,
    local_properties: Mapping[str, str],
    client_properties: Mapping[str, str],
    credentials: tuple[str, str] | None,
    ccloud_api_key: tuple[str, str] | None,
) -> RestClient:
    """`KsqlRestClient.create`: TLS trust from `ssl.truststore.location` (a PEM file here, not a JKS store)."""
    verify: bool | str = client_properties.get("ssl.truststore.location") or True
    return RestClient(server, local_properties, credentials, verify, ccloud_api_key=ccloud_api_key)


def build_cli(
    row_limit: int | None, timeout_ms: int | None, output_format: str, client: RestClient, stdin: TextIO | None,
    stdout: TextIO | None,
) -> Cli:
    """`Cli.build`."""
    terminal = Terminal(stdout)
    reader = Reader(stdin, echo=terminal.out)
    return Cli(client, terminal, output_format=output_format, row_limit=row_limit, timeout_ms=timeout_ms,
               reader=reader)


def run(
    options: Options,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    *,
    system_properties: Mapping[str, str] | None = None,
    client_builder: Callable[..., Any] = build_client,
    cli_builder: Callable[..., Any] = build_cli,
) -> int:
    """`Ksql.run`: the exit code. The config file's properties (ssl.* aside) are the session's properties;
    the client gets them all, overridden by the system properties (a Java process's; none by default)."""
    config = load_properties(options.config_file) if options.config_file else {}
    local = {k: v for k, v in config.items() if not k.startswith("ssl.")}
    client_props = dict(config)
    client_props.update(
        {k: v for k, v in (system_properties or {}).items() if not k.startswith(_NOT_CLIENT_PROPERTIES)}
    )
    client = client_builder(options.server, local, client_props, options.credentials(), options.ccloud_api_key())
    cli = cli_builder(options.query_row_limit, options.query_timeout_ms, options.output, client, stdin, stdout)
    try:
        cli.add_session_variables(options.variables())
        if (execute := options.execute_text()) is not None:
            return int(cli.run_command(execute))
        if options.file is not None:
            if not Path(options.file).is_file():
                raise ConsoleError(f"No such script file: {options.file}")
            return int(cli.run_script(options.file))
        return int(cli.run_interactively())
    finally:
        cli.close()
        client.close()


def main(argv: Sequence[str] | None = None, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        options = parse(args)
    except OptionsError as e:
        print(e.message, file=sys.stderr)
        print("See the -h or --help flags for usage information", file=sys.stderr)
        return -1
    if options.requires_password():
        options.password = ""
        while not options.password:
            options.password = getpass.getpass("Enter password: ")
            if not options.password:
                print("Error: password can not be empty")
    try:
        return run(options, stdin, stdout)
    except ConsoleError as e:
        print(e.message, file=sys.stderr)
        return -1


def entry() -> None:
    """The `ksql` script."""
    sys.exit(main() & 0xFF)
