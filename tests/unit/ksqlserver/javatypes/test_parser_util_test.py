"""ksqlDB 0.29's ParserUtilTest (ksqldb-parser, io.confluent.ksql.util): ParserUtil.isReserved, which
SyntaxErrorValidator.isKeywordError asks before it words a syntax error as a reserved-keyword error. Ported
through the message a CREATE statement that uses the word as a column name gets."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.mark.parametrize("keyword", ["size", "load", "SIZE", "Load"])
def test_be_reserved(t: Any, keyword: str) -> None:
    """ParserUtilTest.shouldBeReserved: reserved in any case; the message quotes the word as written."""
    msg = t.create_error(f"V INT, {keyword} INT")
    assert msg.endswith(
        f"Syntax Error\n\"{keyword}\" is a reserved keyword and it can't be used as an identifier. "
        f"You can use it as an identifier by escaping it as '{keyword}' "
    )


@pytest.mark.parametrize("keyword", ["source", "sink", "MAP", "Array", "ASSERT", "foo", "bAR"])
def test_not_be_reserved(t: Any, keyword: str) -> None:
    """ParserUtilTest.shouldNotBeReserved: non-reserved keywords and plain words name columns."""
    t.create(f"V INT, {keyword} INT", name="S")
    assert list(t.types("S")) == ["V", keyword.upper()]
