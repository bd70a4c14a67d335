"""ksqlDB 0.29's ColumnReferenceParserTest (ksqldb-parser, io.confluent.ksql.parser): ColumnReferenceParser
reads the column named by the TIMESTAMP property of CREATE (CreateSourceProperties.getTimestampColumnName):
an unquoted name is upper-cased, a back-quoted one keeps its case. Ported through DESCRIBE EXTENDED's
timestamp column."""

from __future__ import annotations

from typing import Any


def _timestamp(t: Any, name: str) -> str:
    [entity] = t.run(f"DESCRIBE {name} EXTENDED;")
    ts: str = entity["sourceDescription"]["timestamp"]
    return ts


def test_parse_unquoted_identifier(t: Any) -> None:
    """ColumnReferenceParserTest.shouldParseUnquotedIdentifier: 'foo' names column FOO."""
    t.create("FOO BIGINT, `foo` BIGINT", name="S", TIMESTAMP="foo")
    assert _timestamp(t, "S") == "FOO"


def test_parse_quoted_identifier(t: Any) -> None:
    """ColumnReferenceParserTest.shouldParseQuotedIdentifier: '`foo`' names column foo."""
    t.create("FOO BIGINT, `foo` BIGINT", name="S", TIMESTAMP="`foo`")
    assert _timestamp(t, "S") == "foo"
