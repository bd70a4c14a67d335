"""Port of ksqlDB 0.29 `io.confluent.ksql.util.CmdLineUtilTest` (ksqldb-cli): how a CLI command line is split
into its arguments (`splitByUnquotedWhitespace`) and how an argument loses its quotes
(`removeMatchedSingleQuotes`); `ksqlserver.console.lines`."""

from __future__ import annotations

import pytest

from ksqlserver.console.lines import remove_matched_single_quotes, split_by_unquoted_whitespace


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(*(lambda first, *rest: (first, list(rest)))(""), id="shouldSplitAndRemoveQuotesOnEmptyString[0]"),
        pytest.param(*(lambda first, *rest: (first, list(rest)))("arg0 arg1", "arg0", "arg1"), id="shouldSplitAndRemoveQuotesOnSimpleArgs[0]"),
        pytest.param(*(lambda first, *rest: (first, list(rest)))("'arg0' 'arg1'", "'arg0'", "'arg1'"), id="shouldSplitSimpleQuotedArgs[0]"),
        pytest.param(*(lambda first, *rest: (first, list(rest)))("Arg \t Arg0 \t Arg1 \t ", "Arg", "Arg0", "Arg1"), id="shouldSplitArgsWithTabs[0]"),
        pytest.param(*(lambda first, *rest: (first, list(rest)))("' \t arg0 \t ' ' arg1 '", "' \t arg0 \t '", "' arg1 '"), id="shouldSplitQuotedArgsWithLeadingTrailingWhiteSpace[0]"),
        pytest.param(*(lambda first, *rest: (first, list(rest)))("'some unterminated string", "'some unterminated string"), id="shouldNotSplitUnterminatedQuotes[0]"),
        pytest.param(*(lambda first, *rest: (first, list(rest)))("'", "'"), id="shouldNotSplitJustUnterminatedQuote[0]"),
        pytest.param(*(lambda first, *rest: (first, list(rest)))("''", "''"), id="shouldSplitEmptyQuotedString[0]"),
        pytest.param(*(lambda first, *rest: (first, list(rest)))("'''", "'''"), id="shouldSplitThreeSingleQuotes[0]"),
        pytest.param(*(lambda first, *rest: (first, list(rest)))("''''", "''''"), id="shouldSplitSingleQuotedEscapedQuote[0]"),
        pytest.param(*(lambda first, *rest: (first, list(rest)))("'string''with''embedded''quotes'", "'string''with''embedded''quotes'"), id="shouldSplitStringWithEmbeddedQuoted[0]"),
        pytest.param(*(lambda first, *rest: (first, list(rest)))("string\"with\"double\"quotes", "string\"with\"double\"quotes"), id="shouldSplitStringWithEmbeddedDoubleQuoted[0]"),
        pytest.param(*(lambda first, *rest: (first, list(rest)))("'string\"with\"double\"quotes'", "'string\"with\"double\"quotes'"), id="shouldSplitQuotedStringWithEmbeddedDoubleQuoted[0]"),
        pytest.param(*(lambda first, *rest: (first, list(rest)))(" some thing", "some", "thing"), id="shouldIgnoreLeadingWhiteSpace[0]"),
        pytest.param(*(lambda first, *rest: (first, list(rest)))("'thing'one 'thing'two", "'thing'one", "'thing'two"), id="shouldHandleCharactersTrailingAfterQuoteEnds[0]"),
        pytest.param(*(lambda first, *rest: (first, list(rest)))("t0 t1", "t0", "t1"), id="shouldCheckSplitJavaDocExamplesAreRight[0]"),
        pytest.param(*(lambda first, *rest: (first, list(rest)))("'quoted string'", "'quoted string'"), id="shouldCheckSplitJavaDocExamplesAreRight[1]"),
        pytest.param(*(lambda first, *rest: (first, list(rest)))("'quoted 'connected' quoted'", "'quoted 'connected' quoted'"), id="shouldCheckSplitJavaDocExamplesAreRight[2]"),
        pytest.param(*(lambda first, *rest: (first, list(rest)))("'escaped '' quote'", "'escaped '' quote'"), id="shouldCheckSplitJavaDocExamplesAreRight[3]"),
        pytest.param(*(lambda first, *rest: (first, list(rest)))("-- '\nSHOW TABLES;", "-- '", "SHOW", "TABLES;"), id="shouldCheckSplitIgnoreCommentedQuote[0]"),
        pytest.param(*(lambda first, *rest: (first, list(rest)))("COMMAND -- '\nSHOW TABLES;", "COMMAND", "-- '", "SHOW", "TABLES;"), id="shouldCheckSplitIgnoreCommentedQuote[1]"),
        pytest.param(*(lambda first, *rest: (first, list(rest)))("COMMAND-- '\nSHOW TABLES;", "COMMAND-- '", "SHOW", "TABLES;"), id="shouldCheckSplitIgnoreCommentedQuote[2]"),
    ],
)
def test_split_by_unquoted_whitespace(text: str, expected: list[str]) -> None:
    assert split_by_unquoted_whitespace(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(" some input ", " some input ", id="shouldRemoveQuotesFromUnQuotedString[0]"),
        pytest.param("' some input '", " some input ", id="shouldRemoveSingleQuotes[0]"),
        pytest.param("' some input ", "' some input ", id="shouldNotRemoveUnterminatedQuote[0]"),
        pytest.param("something'", "something'", id="shouldNotRemoveIfOnlyTrailingQuote[0]"),
        pytest.param("a'quoted1'connnected'quoted2'a", "aquoted1connnectedquoted2a", id="shouldRemoveMultipleMatchingQuotes[0]"),
        pytest.param("'a '''' b ''' c '''' d '' e '' f '''", "a '' b ' c ' d  e  f '''", id="shouldCorrectlyHandleEscapedQuotesWhenRemovingMatchedQuotes[0]"),
        pytest.param("''''", "'", id="shouldStripSingleQuotedEscapedQuote[0]"),
        pytest.param("'''", "'''", id="shouldStripThreeSingleQuotes[0]"),
        pytest.param("unquoted", "unquoted", id="shouldCheckRemoveQuotesJavaDocExamplesAreRight[0]"),
        pytest.param("'quoted string'", "quoted string", id="shouldCheckRemoveQuotesJavaDocExamplesAreRight[1]"),
        pytest.param("'quoted'connected'quoted'", "quotedconnectedquoted", id="shouldCheckRemoveQuotesJavaDocExamplesAreRight[2]"),
        pytest.param("escaped ' quote", "escaped ' quote", id="shouldCheckRemoveQuotesJavaDocExamplesAreRight[3]"),
    ],
)
def test_remove_matched_single_quotes(text: str, expected: str) -> None:
    assert remove_matched_single_quotes(text) == expected
