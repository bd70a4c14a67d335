"""ksqlDB 0.29's CreateTableTest (ksqldb-parser, io.confluent.ksql.parser.tree): CreateTable refuses a KEY
column as AstBuilder builds it (throwOnNonPrimaryKeys), located by the column's NodeLocation. The equality
assertions have no observable counterpart."""

from __future__ import annotations

from typing import Any

HELP = (
    "\nTables have PRIMARY KEYs, which are unique and NON NULL.\n"
    "Streams have KEYs, which have no uniqueness or NON NULL constraints."
)


def test_throw_on_none_primary_key(t: Any) -> None:
    """CreateTableTest.shouldThrowOnNonePrimaryKey: 'Line: 2, Col: 4: Column `K` is a 'KEY' column: ...'."""
    t.topic("x")
    assert t.error(
        "CREATE TABLE T (\n   K STRING KEY,\n   `values are always valid` STRING)"
        " WITH (KAFKA_TOPIC='x', VALUE_FORMAT='JSON');"
    ) == "Line: 2, Col: 4: Column `K` is a 'KEY' column: please use 'PRIMARY KEY' for tables." + HELP


def test_checked_after_the_properties(t: Any) -> None:
    """AstBuilder.visitCreateTable builds CreateSourceProperties before the CreateTable node, so a bad
    property is reported first."""
    t.topic("x")
    msg = t.error("CREATE TABLE T (K STRING KEY, V INT) WITH (KAFKA_TOPIC='x', VALUE_FORMAT='JSON', WINDOW_TYPE='x');")
    assert msg.startswith("Failed to prepare statement: Invalid value x for property WINDOW_TYPE")


def test_checked_after_unknown_properties(t: Any) -> None:
    """The same for an unknown property (PropertiesConfig.throwOnUnknownProperty)."""
    t.topic("x")
    msg = t.error("CREATE TABLE T (K STRING KEY, V INT) WITH (KAFKA_TOPIC='x', VALUE_FORMAT='JSON', FOO='x');")
    assert msg == "Failed to prepare statement: Invalid config variable(s) in the WITH clause: FOO"
