"""ksqlDB 0.29's SchemaParserTest (ksqldb-parser, io.confluent.ksql.parser): SchemaParser reads a column list
with the grammar's tableElements rule, the rule CREATE STREAM/TABLE uses for its columns; the elements it
builds are what DESCRIBE lists. Ported through CREATE statements and DESCRIBE."""

from __future__ import annotations

from typing import Any


def _described(fields: list[dict[str, Any]]) -> list[tuple[str, str, str | None]]:
    return [(f["name"], f["schema"]["type"], f.get("type")) for f in fields]


def test_parse_valid_schema(t: Any) -> None:
    """SchemaParserTest.shouldParseValidSchema: FOO INTEGER, BAR MAP<STRING, STRING> (names upper-cased,
    VARCHAR is STRING)."""
    t.create("foo INTEGER, bar MAP<VARCHAR, VARCHAR>", name="S")
    assert t.types("S") == {"FOO": "INTEGER", "BAR": "MAP<STRING, STRING>"}
    fields = t.fields("S")
    assert _described(fields) == [("FOO", "INTEGER", None), ("BAR", "MAP", None)]
    assert fields[1]["schema"]["memberSchema"]["type"] == "STRING"


def test_parse_valid_schema_with_key_field(t: Any) -> None:
    """SchemaParserTest.shouldParseValidSchemaWithKeyField: K STRING KEY is a key column."""
    t.create("K STRING KEY, bar INT", name="S")
    assert _described(t.fields("S")) == [("K", "STRING", "KEY"), ("BAR", "INTEGER", None)]


def test_parse_valid_schema_with_primary_key_field(t: Any) -> None:
    """SchemaParserTest.shouldParseValidSchemaWithPrimaryKeyField: K STRING PRIMARY KEY (a table's key)."""
    t.create("K STRING PRIMARY KEY, bar INT", kind="TABLE", name="T")
    assert _described(t.fields("T")) == [("K", "STRING", "KEY"), ("BAR", "INTEGER", None)]


def test_parse_valid_schema_with_header_field(t: Any) -> None:
    """SchemaParserTest.shouldParseValidSchemaWithHeaderField: a HEADERS column (CREATE then requires the
    ARRAY<STRUCT<KEY STRING, VALUE BYTES>> type, as TableElements' validation does)."""
    t.create("K ARRAY<STRUCT<KEY STRING, VALUE BYTES>> HEADERS, bar INT", name="S")
    fields = t.fields("S")
    assert _described(fields) == [("K", "ARRAY", "HEADER"), ("BAR", "INTEGER", None)]
    assert "headerKey" not in fields[0]


def test_parse_valid_schema_with_single_header_key_field(t: Any) -> None:
    """SchemaParserTest.shouldParseValidSchemaWithSingleHeaderKeyField: HEADER('k1') keeps its key."""
    t.create("K BYTES HEADER('k1'), bar INT", name="S")
    fields = t.fields("S")
    assert _described(fields) == [("K", "BYTES", "HEADER"), ("BAR", "INTEGER", None)]
    assert fields[0]["headerKey"] == "k1"


def test_parse_quoted_schema(t: Any) -> None:
    """SchemaParserTest.shouldParseQuotedSchema: a back-quoted reserved word is a column name."""
    t.create("`END` VARCHAR", name="S")
    assert t.types("S") == {"END": "STRING"}


def test_parse_quoted_mixed_case(t: Any) -> None:
    """SchemaParserTest.shouldParseQuotedMixedCase: back quotes keep the case."""
    t.create("`End` VARCHAR", name="S")
    assert t.types("S") == {"End": "STRING"}


def test_throw_on_invalid_schema(t: Any) -> None:
    """SchemaParserTest.shouldThrowOnInvalidSchema: 'foo-bar INTEGER' fails at the '-' (extraneous input; the
    expectation list is too long for SyntaxErrorValidator to show)."""
    t.topic("t")
    msg = t.error("CREATE STREAM S (foo-bar INTEGER) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON');")
    assert msg.startswith("line 1:21: Syntax Error")


def test_throw_on_reserved_word(t: Any) -> None:
    """SchemaParserTest.shouldThrowOnReservedWord: 'CREATE INTEGER' fails at CREATE, a reserved word
    (SyntaxErrorValidator's message for an extraneous reserved keyword)."""
    t.topic("t")
    msg = t.error("CREATE STREAM S (CREATE INTEGER) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON');")
    assert msg == (
        "line 1:18: Syntax Error\n\"CREATE\" is a reserved keyword and it can't be used as an identifier. "
        "You can use it as an identifier by escaping it as 'CREATE' "
    )
