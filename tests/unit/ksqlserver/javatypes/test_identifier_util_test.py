"""ksqlDB 0.29's IdentifierUtilTest (ksqldb-parser, io.confluent.ksql.util): IdentifierUtil.needsQuotes, the
rule SqlFormatter applies to every name when it writes back a statement (the statementText a CREATE answers
with, what DESCRIBE shows as the source's statement). Ported through that text."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.mark.parametrize(
    ("declared", "written"),
    [
        ("`SELECT`", "`SELECT`"),  # reserved word
        ("`@ID`", "`@ID`"),  # invalid character
        ("`FOO.BAR`", "`FOO.BAR`"),  # with a dot
        ("`foo`", "`foo`"),  # lower case
    ],
)
def test_need_back_quotes(t: Any, declared: str, written: str) -> None:
    """IdentifierUtilTest.shouldNeedBackQuotes."""
    text = t.create(f"V INT, {declared} INT")
    assert f"(V INTEGER, {written} INTEGER)" in text


@pytest.mark.parametrize(
    ("declared", "written"),
    [
        ("FOO", "FOO"),  # nothing special
        ("TABLES", "TABLES"),  # in vocabulary but non-reserved
        ("```SELECT```", "`SELECT`"),  # the name has back quotes already: the lexer reads it whole
    ],
)
def test_not_need_back_quotes(t: Any, declared: str, written: str) -> None:
    """IdentifierUtilTest.shouldNotNeedBackQuotes: needsQuotes is false when the identifier rule reads the
    whole name and it is upper case; a name that is itself back-quoted (`` ```SELECT``` `` declares the name
    `` `SELECT` ``) is written as it is."""
    text = t.create(f"V INT, {declared} INT")
    assert f"(V INTEGER, {written} INTEGER)" in text


@pytest.mark.parametrize("name", ["FOO", "foo"])
def test_be_valid(t: Any, name: str) -> None:
    """IdentifierUtilTest.shouldBeValid: an identifier without quotes, in either case (lower case is read
    as the upper-case name)."""
    t.create(f"V INT, {name} INT", name="S")
    assert list(t.types("S")) == ["V", name.upper()]


@pytest.mark.parametrize("name", ["@FOO", "FOO.BAR", "SELECT"])
def test_not_be_valid(t: Any, name: str) -> None:
    """IdentifierUtilTest.shouldNotBeValid: an invalid character, a dot, a reserved word: refused unquoted."""
    msg = t.create_error(f"V INT, {name} INT")
    assert msg.startswith("line 1:")
    assert "Syntax Error" in msg
