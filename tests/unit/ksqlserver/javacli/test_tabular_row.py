"""Port of ksqlDB 0.29 `io.confluent.ksql.util.TabularRowTest` (ksqldb-cli): how the CLI draws a query's
header and rows. Each case goes through what a user's session does: a /query header or row printed by
`Cli.print_streamed_row` on a terminal of the test's width, with `set cli WRAP` / `set cli COLUMN-WIDTH`
as the test's shouldWrap / width."""

from __future__ import annotations

import io

from ksqlserver.console.client import RestClient
from ksqlserver.console.session import Cli
from ksqlserver.console.terminal import Terminal


def _print(width: int, row: dict[str, object], wrap: bool = False, column_width: int = 0) -> str:
    out = io.StringIO()
    cli = Cli(RestClient("http://localhost:1"), Terminal(out, width))
    cli.set_cli_property("WRAP", "ON" if wrap else "OFF")
    cli.set_cli_property("COLUMN-WIDTH", column_width)
    cli.print_streamed_row(row)
    text = out.getvalue()
    assert text.endswith("\n")
    return text[:-1]


def _header(schema: str) -> dict[str, object]:
    return {"header": {"queryId": "q", "schema": schema}}


def _row(*values: object) -> dict[str, object]:
    return {"row": {"columns": list(values)}}


def test_should_format_header() -> None:
    assert _print(20, _header("`foo` BIGINT KEY, `bar` STRING")) == (
        "+--------+--------+\n|foo     |bar     |\n+--------+--------+"
    )


def test_should_multiline_format_header() -> None:
    assert _print(20, _header("`foo` BIGINT KEY, `bar is a long string` STRING")) == (
        "+--------+--------+\n"
        "|foo     |bar is a|\n"
        "|        | long st|\n"
        "|        |ring    |\n"
        "+--------+--------+"
    )


def test_should_format_row() -> None:
    assert _print(20, _row("foo", "bar"), wrap=True) == "|foo     |bar     |"


def test_should_multiline_format_row() -> None:
    assert _print(20, _row("foo", "bar is a long string"), wrap=True) == (
        "|foo     |bar is a|\n|        | long st|\n|        |ring    |"
    )


def test_should_clip_multiline_format_row() -> None:
    assert _print(20, _row("foo", "bar is a long string")) == "|foo     |bar i...|"


def test_should_clip_multiline_format_row_with_lots_of_whitespace() -> None:
    value = "bar" + " " * 79 + "foo"
    assert _print(20, _row("foo", value)) == "|foo     |bar  ...|"


def test_should_not_add_ellipses_multiline_format_row_with_lots_of_whitespace() -> None:
    assert _print(20, _row("foo", "bar" + " " * 82)) == "|foo     |bar     |"


def test_should_format_no_columns_header() -> None:
    assert _print(20, _header("")) == ""


def test_should_format_more_columns_than_width() -> None:
    assert _print(3, _header("`foo` BIGINT KEY, `bar` STRING, `baz` DOUBLE")) == (
        "+-----+-----+-----+\n|foo  |bar  |baz  |\n+-----+-----+-----+"
    )


def test_should_format_custom_column_width() -> None:
    assert _print(999, _header("`foo` BIGINT KEY, `bar` STRING, `baz` DOUBLE"), column_width=10) == (
        "+----------+----------+----------+\n"
        "|foo       |bar       |baz       |\n"
        "+----------+----------+----------+"
    )
