"""ksqlDB 0.29's CreateStreamTest (ksqldb-parser, io.confluent.ksql.parser.tree): CreateStream refuses a
PRIMARY KEY column as AstBuilder builds it (throwOnPrimaryKeys): a ParseFailedException whose message is
prefixed with the column's NodeLocation and whose statement text is the column's name. KsqlResource answers
with its unlogged details (the message naming the column). The equality assertions have no observable
counterpart."""

from __future__ import annotations

from typing import Any

HELP = (
    "\nTables have PRIMARY KEYs, which are unique and NON NULL.\n"
    "Streams have KEYs, which have no uniqueness or NON NULL constraints."
)


def test_throw_on_none_primary_key(t: Any) -> None:
    """CreateStreamTest.shouldThrowOnNonePrimaryKey: 'Line: 2, Col: 4: Column `PK` is a 'PRIMARY KEY'
    column: ...' (the column starts at line 2, character 3)."""
    t.topic("x")
    assert t.error(
        "CREATE STREAM S (\n   PK STRING PRIMARY KEY,\n   `values are always valid` STRING)"
        " WITH (KAFKA_TOPIC='x', VALUE_FORMAT='JSON');"
    ) == "Line: 2, Col: 4: Column `PK` is a 'PRIMARY KEY' column: please use 'KEY' for streams." + HELP


def test_rest_answer_names_the_column(t: Any) -> None:
    """KsqlResource: Errors.badStatement(e.getRawUnloggedDetails(), e.getSqlStatement()): the statement text
    of the error entity is the column's name (ParseFailedException's sqlStatement)."""
    t.app.driver.create_topic("x", partitions=1)
    r = t.app.ksql("CREATE STREAM S (PK STRING PRIMARY KEY, V STRING) WITH (KAFKA_TOPIC='x', VALUE_FORMAT='JSON');")
    assert r.status_code == 400
    body = r.json()
    assert body["@type"] == "statement_error"
    assert body["error_code"] == 40001
    assert body["message"] == (
        "Line: 1, Col: 18: Column `PK` is a 'PRIMARY KEY' column: please use 'KEY' for streams." + HELP
    )
    assert body["statementText"] == "PK"
