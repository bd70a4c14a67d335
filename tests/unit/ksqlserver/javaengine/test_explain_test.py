"""Port of ksqlDB 0.29 `io.confluent.ksql.parser.tree.ExplainTest`: an EXPLAIN names either a query id or a
statement (shouldThrowIfNeitherSet / shouldThrowIfBothSet: the grammar allows nothing else), and an EXPLAIN
of an id compares ids as QueryId does (shouldImplementHashCodeAndEqualsProperty: `bob`)."""

from __future__ import annotations

from typing import Any

import pytest


def test_explain_of_an_unknown_id(ksql: Any) -> None:
    assert ksql.fails("EXPLAIN bob;") == (
        "Query with id:BOB does not exist, use SHOW QUERIES to view the full set of queries."
    )


@pytest.mark.parametrize("text", ["EXPLAIN;", "EXPLAIN bob SELECT * FROM S EMIT CHANGES;"])
def test_neither_or_both_is_a_syntax_error(ksql: Any, text: str) -> None:
    assert "Syntax Error" in ksql.fails(text) or "mismatched input" in ksql.fails(text)


def test_explain_of_a_statement(ksql: Any) -> None:
    ksql.run("CREATE STREAM S (ID INT KEY, V INT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, VALUE_FORMAT='JSON');")
    [described] = ksql.run("EXPLAIN SELECT * FROM S EMIT CHANGES;")
    assert described["queryDescription"]["statementText"] == "SELECT * FROM S EMIT CHANGES;"
