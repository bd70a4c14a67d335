"""Port of ksqlDB 0.29 `io.confluent.ksql.tools.test.parser.TestDirectiveTest` (ksqldb-testing-tool):
DirectiveParser.parse of `--@type: contents` comments (shouldParseKnownDirectives,
shouldParseKnownDirectivesAtLocation, shouldParseKnownDirectivesCaseInsensitive, shouldParseUnknownDirectives)."""

from __future__ import annotations

import pytest

from ksqlserver.testing.sqltests.directives import DirectiveType, TestDirective, parse_directive
from ksqlserver.testing.sqltests.errors import TestParsingError


def test_should_parse_known_directives() -> None:
    """shouldParseKnownDirectives"""
    assert parse_directive("--@test: bar") == TestDirective(DirectiveType.TEST, "bar")


def test_should_parse_known_directives_at_location() -> None:
    """shouldParseKnownDirectivesAtLocation: equality ignores the location; the location is kept."""
    d = parse_directive("--@test: bar", 1, 11)
    assert d == TestDirective(DirectiveType.TEST, "bar")
    assert d.location == "Line: 1, Col: 11"


def test_should_parse_known_directives_case_insensitive() -> None:
    """shouldParseKnownDirectivesCaseInsensitive"""
    assert parse_directive("--@teST: bar") == TestDirective(DirectiveType.TEST, "bar")


def test_should_parse_unknown_directives() -> None:
    """shouldParseUnknownDirectives"""
    assert parse_directive("--@foo: bar") == TestDirective(DirectiveType.UNKNOWN, "bar")


def test_directive_prints_as_written_and_refuses_a_bad_one() -> None:
    """TestDirective.toString; DirectiveParser's ParsingException for a comment without `type:`."""
    assert str(parse_directive("--@expected.error: java.lang.AssertionError")) == (
        "--@expected.error: java.lang.AssertionError"
    )
    with pytest.raises(TestParsingError) as e:
        parse_directive("--@foo bar", 3, 1)
    assert e.value.message == "line 3:1: Syntax error at line 3:1"
    assert "Expected directive matching pattern --@(?<type>[a-zA-Z.]+):\\s*(?<contents>.*)" in e.value.details
