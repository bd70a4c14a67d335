"""Port of ksqlDB 0.29 `io.confluent.ksql.util.CmdLineUtilTest` (ksqldb-cli): how a CLI command line is split
into its arguments (`splitByUnquotedWhitespace`) and how an argument loses its quotes
(`removeMatchedSingleQuotes`); `ksqlserver.console.lines`."""

from __future__ import annotations

import pytest

from ksqlserver.console.lines import remove_matched_single_quotes, split_by_unquoted_whitespace


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(*(lambda first, *rest: (first, list(rest)))("t0 t1", "t0", "t1"), id="shouldCheckSplitJavaDocExamplesAreRight[0]"),
        pytest.param(*(lambda first, *rest: (first, list(rest)))("'quoted string'", "'quoted string'"), id="shouldCheckSplitJavaDocExamplesAreRight[1]"),
        pytest.param(*(lambda first, *rest: (first, list(rest)))("'quoted 'connected' quoted'", "'quoted 'connected' quoted'"), id="shouldCheckSplitJavaDocExamplesAreRight[2]"),
        pytest.param(*(lambda first, *rest: (first, list(rest)))("-- '\nSHOW TABLES;", "-- '", "SHOW", "TABLES;"), id="shouldCheckSplitIgnoreCommentedQuote[0]"),
        pytest.param(*(lambda first, *rest: (first, list(rest)))("COMMAND -- '\nSHOW TABLES;", "COMMAND", "-- '", "SHOW", "TABLES;"), id="shouldCheckSplitIgnoreCommentedQuote[1]"),
    ],
)
def test_split_by_unquoted_whitespace(text: str, expected: list[str]) -> None:
    assert split_by_unquoted_whitespace(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("unquoted", "unquoted", id="shouldCheckRemoveQuotesJavaDocExamplesAreRight[0]"),
        pytest.param("'quoted string'", "quoted string", id="shouldCheckRemoveQuotesJavaDocExamplesAreRight[1]"),
        pytest.param("'quoted'connected'quoted'", "quotedconnectedquoted", id="shouldCheckRemoveQuotesJavaDocExamplesAreRight[2]"),
    ],
)
def test_remove_matched_single_quotes(text: str, expected: str) -> None:
    assert remove_matched_single_quotes(text) == expected
