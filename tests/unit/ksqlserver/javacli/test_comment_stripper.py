"""Port of ksqlDB 0.29 `io.confluent.ksql.cli.console.CommentStripperTest` (ksqldb-cli): `CommentStripper.strip`,
which `KsqlLineParser` uses to decide whether a line is complete (`ksqlserver.console.lines.strip_comments`).
A line returned "as is" (`sameInstance`) is compared by value."""

from __future__ import annotations

import pytest

from ksqlserver.console.lines import strip_comments

LINE = object()


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        pytest.param("no comment here", LINE, id="shouldReturnLineWithoutCommentAsIs"),
        pytest.param("no comment here '-- even this is not a comment'...", LINE, id="shouldReturnLineWithCommentInSingleQuotesAsIs"),
        pytest.param("no comment here `-- even this is not a comment`...", LINE, id="shouldReturnLineWithCommentInBackQuotesAsIs"),
        pytest.param("no comment here \"-- even this is not a comment\"...", LINE, id="shouldReturnLineWithCommentInDoubleQuotesAsIs"),
        pytest.param("no comment here ` -- even this is not a comment", LINE, id="shouldReturnLineWithUnClosedQuotesAsIs"),
        pytest.param("some line -- this is a comment", "some line", id="shouldStripComment"),
        pytest.param("some line -- this is a comment -- with other dashes", "some line", id="shouldStripDoubleComment"),
        pytest.param("\"````````\" '\"\"\"\"\"\"' '`````' -- this is a comment -- with other dashes", "\"````````\" '\"\"\"\"\"\"' '`````'", id="shouldStripCommentFromStatementContainingQuoteCharactersInStrings"),
        pytest.param("'this isn''t a comment -- the first quote isn''t closed' -- comment", "'this isn''t a comment -- the first quote isn''t closed'", id="shouldCorrectHandleEscapedSingleQuotes"),
        pytest.param("\"this isn''t a comment -- the first quote isn''t closed\" -- comment", "\"this isn''t a comment -- the first quote isn''t closed\"", id="shouldCorrectHandleEscapedDoubleQuotes"),
        pytest.param("some multi-line\n"
        + "statement", "some multi-line\nstatement", id="shouldHandleMultiLine"),
        pytest.param("some multi-line -- this is a comment\n"
        + "statement", "some multi-line\nstatement", id="shouldTerminateCommentAtNewLine"),
    ],
)
def test_strip(line: str, expected: object) -> None:
    assert strip_comments(line) == (line if expected is LINE else expected)
