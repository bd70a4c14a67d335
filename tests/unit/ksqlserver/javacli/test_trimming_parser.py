"""Port of ksqlDB 0.29 `io.confluent.ksql.cli.console.TrimmingParserTest` (ksqldb-cli): lines are trimmed
before `KsqlLineParser` sees them, and the cursor moves with the trim (`ksqlserver.console.lines`)."""

from __future__ import annotations

import pytest

from ksqlserver.console.lines import adjust_cursor, check_complete


def never(_: str) -> bool:
    return False


def test_should_trim_white_space_and_return_line() -> None:
    """shouldTrimWhiteSpaceAndReturnLine: the line is trimmed before the check."""
    check_complete(" \t line \t containing \t space; \t ", never)


@pytest.mark.parametrize(
    ("cursor", "expected"),
    [
        pytest.param(0, 0, id="shouldAdjustCursorIfInLeftWhiteSpace-0"),
        pytest.param(1, 0, id="shouldAdjustCursorIfInLeftWhiteSpace-1"),
        pytest.param(2, 0, id="shouldAdjustCursorIfInLeftWhiteSpace-2"),
        pytest.param(6, 4, id="shouldAdjustCursorIfInRightWhiteSpace-6"),
        pytest.param(7, 4, id="shouldAdjustCursorIfInRightWhiteSpace-7"),
        pytest.param(8, 4, id="shouldAdjustCursorIfInRightWhiteSpace-8"),
        pytest.param(4, 2, id="shouldAdjustCursorWhenInTrimmedResult"),
    ],
)
def test_adjust_cursor(cursor: int, expected: int) -> None:
    assert adjust_cursor("  line  ", "line", cursor) == expected


def test_should_pass_through_any_line_that_does_not_need_trimming() -> None:
    line = "line without spaces at ends"
    assert adjust_cursor(line, line, 4) == 4
