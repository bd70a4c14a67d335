"""ksqlDB 0.29 LikeEvaluatorTest and ArrayAccessTest (ksqldb-execution, codegen/helpers): LIKE [ESCAPE]
(LikeEvaluator.matches) and array subscripts (ArrayAccess.arrayAccess: one-based, negative from the end,
null out of bounds) as selected expressions over a row."""

from __future__ import annotations

import pytest

from .conftest import Exec

LIKE = [
    # name | val | pattern | escape
    ("nothing special", "foo", "foo", None),
    ("nothing special [X]", "bar", "foo", None),
    ("empty percents", "foo", "%foo%", None),
    ("empty percents [X]", "bar", "%foo%", None),
    ("percents", "barfoobaz", "%foo%", None),
    ("percents [X]", "barbarbar", "%foo%", None),
    ("percents one side", "barfoo", "%foo", None),
    ("percents one side [X]", "barbarbar", "%foo", None),
    ("percents other side", "barfoo", "bar%", None),
    ("percents other side [X]", "barbarbar", "foo%", None),
    ("percents in the middle", "barfoo", "b%o", None),
    ("percents in the middle [X]", "barbarbar", "b%o", None),
    ("multiple percents in the middle", "barfoo", "b%r%o", None),
    ("multiple percents in the middle [X]", "barbarbar", "b%r%o", None),
    ("multiple percents back to back", "barfoo", "b%%%o", None),
    ("multiple percents back to back [X]", "barbarbar", "b%%%o", None),
    ("underscore", "foo", "f_o", None),
    ("underscore [X]", "bar", "f_o", None),
    ("nothing special with regex chars", ".^$\\*", ".^$\\*", None),
    ("nothing special with regex chars [X]", "a^$\\", ".^$\\*", None),
    ("escape with normal char", "f%o", "f!%o", "!"),
    ("escape with normal char [X]", "foo", "f!%o", "!"),
    ("escape the escape char", "f!o", "f!!o", "!"),
    ("escape the escape char [X]", "foo", "f!!o", "!"),
    ("escape with special char", "f%o", "f%%o", "%"),
    ("escape with special char [X]", "foo", "f%%o", "%"),
    ("escape with backslash char", "f%o", "f\\%o", "\\"),
    ("escape with backslash char [X]", "foo", "f\\%o", "\\"),
]


@pytest.mark.parametrize(("name", "val", "pattern", "escape"), LIKE, ids=[c[0] for c in LIKE])
def test_should_match(ex: Exec, name: str, val: str, pattern: str, escape: str | None) -> None:
    """LikeEvaluatorTest.shouldMatch: the value from the row, the pattern a literal."""
    suffix = f" ESCAPE '{escape}'" if escape else ""
    sel = ex.select(f"S LIKE '{pattern}'{suffix}", columns="S STRING", row={"S": val})
    assert sel.value is ("[X]" not in name)


@pytest.mark.parametrize(
    ("name", "index", "expected"),
    [
        ("shouldBeOneIndexed", 1, 1),
        ("shouldSupportNegativeIndex", -1, 2),
        ("shouldReturnNullOnOutOfBoundsIndex", 3, None),
        ("shouldReturnNullOnNegativeOutOfBoundsIndex", -3, None),
    ],
)
def test_array_access(ex: Exec, name: str, index: int, expected: int | None) -> None:
    """ArrayAccessTest: a literal index and the same index from a column."""
    sel = ex.select(f"A[{index}]", "A[I]", columns="A ARRAY<INT>, I INT", row={"A": [1, 2], "I": index})
    assert sel.values == [expected, expected]
    assert sel.errors == []
