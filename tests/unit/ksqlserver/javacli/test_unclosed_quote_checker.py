"""Port of ksqlDB 0.29 `io.confluent.ksql.cli.console.UnclosedQuoteCheckerTest` (ksqldb-cli):
`UnclosedQuoteChecker.isUnclosedQuote`, which keeps the CLI reading lines while a single quote is open
(`ksqlserver.console.lines.is_unclosed_quote`)."""

from __future__ import annotations

import pytest

from ksqlserver.console.lines import is_unclosed_quote


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        pytest.param("some line 'this is in a quote", True, id="shouldFindUnclosedQuote"),
        pytest.param("some line 'this is in a quote -- not a comment", True, id="shouldFindUnclosedQuote_commentCharsInside"),
        pytest.param("some line 'this is in a quote -- not a comment'", False, id="shouldNotFindUnclosedQuote_commentCharsInside"),
        pytest.param("some line 'this is in a quote\\'", True, id="shouldFindUnclosedQuote_escaped"),
        pytest.param("some line 'this is in a quote\\\\'", False, id="shouldFindUnclosedQuote_escapedEscape"),
        pytest.param("some line 'this is in a quote\\\'", True, id="shouldFindUnclosedQuote_escapedThree"),
        pytest.param("some line 'this is in a quote''", True, id="shouldFindUnclosedQuote_twoQuote"),
        pytest.param("some line 'this is in a quote'", False, id="shouldNotFindUnclosedQuote_endsQuote"),
        pytest.param("some line 'this is in a quote' more", False, id="shouldNotFindUnclosedQuote_endsNonQuote"),
        pytest.param("some line 'this is \"in\" a quote'", False, id="shouldNotFindUnclosedQuote_containsDoubleQuote"),
        pytest.param("some line 'this is \"in a quote'", False, id="shouldNotFindUnclosedQuote_containsUnclosedDoubleQuote"),
        pytest.param("some line 'this is in a quote\\''", False, id="shouldNotFindUnclosedQuote_escaped"),
        pytest.param("some line 'this is in a quote'''", False, id="shouldNotFindUnclosedQuote_twoQuote"),
        pytest.param("some line 'this is in a quote''''", True, id="shouldFindUnclosedQuote_manyQuote"),
        pytest.param("some line 'this is in a quote'''''", False, id="shouldNotFindUnclosedQuote_manyQuote"),
        pytest.param("some line 'this is in a quote\\''''", False, id="shouldNotFindUnclosedQuote_escapedAndMultipleQuotes"),
        pytest.param("some line -- 'this is in a comment", False, id="shouldNotFindUnclosedQuote_inComment"),
        pytest.param("some line -- this is a comment", False, id="shouldNotFindUnclosedQuote_onlyComment"),
        pytest.param("some line 'quoted text' -- this is a comment", False, id="shouldNotFindUnclosedQuote_commentAfterQuote"),
    ],
)
def test_is_unclosed_quote(line: str, expected: bool) -> None:
    assert is_unclosed_quote(line) is expected
