"""Port of ksqlDB 0.29 `io.confluent.ksql.cli.console.KsqlLineParserTest` (ksqldb-cli): when the reader
accepts a line (`ksqlserver.console.lines.check_complete`), and the same through a session's reader (lines
joined until one is complete). The delegate-call checks (mocks) have no counterpart."""

from __future__ import annotations

import io

import pytest

from ksqlserver.console.client import RestClient
from ksqlserver.console.lines import IncompleteLine, check_complete
from ksqlserver.console.session import Cli
from ksqlserver.console.terminal import Reader, Terminal

UNTERMINATED_LINE = "an unterminated line"
TERMINATED_LINE = "a terminated line;"


def never(_: str) -> bool:
    return False


@pytest.mark.parametrize(
    "line",
    [
        pytest.param("", id="shouldAcceptIfEmptyLine"),
        pytest.param(TERMINATED_LINE, id="shouldAcceptIfLineTerminated"),
        pytest.param(" -- this is a comment", id="shouldAlwaysAcceptCommentLines"),
        pytest.param(TERMINATED_LINE + " -- this is a comment", id="shouldAcceptTerminatedLineEndingInComment"),
    ],
)
def test_accepts(line: str) -> None:
    check_complete(line, never)


def test_should_accept_if_predicate_returns_true() -> None:
    check_complete(UNTERMINATED_LINE, lambda _: True)


@pytest.mark.parametrize(
    "line",
    [
        pytest.param(UNTERMINATED_LINE, id="shouldNotAcceptUnterminatedAcceptLine"),
        pytest.param(UNTERMINATED_LINE + " -- this is a comment", id="shouldNotAcceptUnterminatedLineEndingInComment"),
    ],
)
def test_does_not_accept(line: str) -> None:
    with pytest.raises(IncompleteLine, match="Missing termination char"):
        check_complete(line, never)


def test_an_open_quote_is_not_accepted() -> None:
    with pytest.raises(IncompleteLine, match="Missing end quote"):
        check_complete("SELECT 'abc;", never)


def test_the_session_joins_lines_until_one_is_complete() -> None:
    """What the two parsers do for a user: statements over several lines, comments, open quotes, and CLI
    commands (complete without a `;`)."""
    text = "SELECT *\n  FROM X -- c\n  EMIT CHANGES;\n-- only a comment\nversion\nSELECT 'a;\nb';\n"
    cli = Cli(RestClient("http://localhost:1"), Terminal(io.StringIO(), 0),
              reader=Reader(io.StringIO(text), interactive=False))
    lines = []
    while (line := cli.read_line()) is not None:
        lines.append(line)
    assert lines == [
        "SELECT *\n  FROM X -- c\n  EMIT CHANGES;",
        "-- only a comment",
        "version",
        "SELECT 'a;\nb';",
    ]
    assert cli.terminal.history == lines
