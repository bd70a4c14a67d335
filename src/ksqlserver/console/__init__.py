"""`ksql`: ksqlDB 0.29's command-line client (ksqldb-cli's `Ksql`, `Cli`, `Console`) over the REST API.

A pure REST client: it imports nothing of the engine, so it runs against any ksqlDB-compatible server
(ours or Confluent's). Modules: `options` (the command line), `lines` (reading and splitting input as
JLine's parsers do), `tabular` (TabularRow, Table), `jsonpretty` (Jackson's pretty printer), `render`
(Console's printers per entity), `client` (KsqlRestClient), `commands` (the CLI-specific commands),
`session` (Cli), `main` (the entry point).
"""

from __future__ import annotations


class ConsoleError(Exception):
    """Something the CLI reports as an error line (KsqlException in the Java CLI)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class EndOfInput(ConsoleError):
    """`exit` or the end of the input: the session ends (JLine's EndOfFileException)."""

    def __init__(self) -> None:
        super().__init__("")
