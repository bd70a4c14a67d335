"""Port of ksqlDB 0.29 `io.confluent.ksql.planner.plan.PullQueryRewriterTest` (shouldRewriteInPredicate,
shouldRewriteBetweenPredicate).

PullQueryRewriter.rewrite turns IN into ORed equalities (`(X = a) OR ((X = b) OR (X = c))`) and BETWEEN into
`(X >= a) AND (X <= b)` before the DNF rewrite; the result is what QueryFilterNode validates. Here: pull
queries whose messages print the rewritten disjuncts (table scans disabled), and the rows the rewritten
key constraints read."""

from __future__ import annotations

from typing import Any

import pytest

from ksqlserver.runtime.pull_where import PULL_QUERY_SYNTAX_HELP

OFF = {"ksql.query.pull.table.scan.enabled": False}
MISSING_KEY = "WHERE clause missing key column for disjunct: "


@pytest.fixture
def n(nodes: Any) -> Any:
    nodes.sql("CREATE SOURCE TABLE ORDERS (ORDERTIME BIGINT PRIMARY KEY, ORDERID BIGINT, ITEMID STRING) "
              "WITH (KAFKA_TOPIC='orders', VALUE_FORMAT='JSON', PARTITIONS=1);")  # fmt: skip
    nodes.sql("CREATE SOURCE TABLE ITEMS (ITEMID STRING PRIMARY KEY, ORDERID BIGINT) "
              "WITH (KAFKA_TOPIC='items', VALUE_FORMAT='JSON', PARTITIONS=1);")  # fmt: skip
    for t in range(1, 7):
        nodes.insert("ORDERS", {"ORDERTIME": t, "ORDERID": t, "ITEMID": "abcdef"[t - 1]})
        nodes.insert("ITEMS", {"ITEMID": "abcdef"[t - 1], "ORDERID": t})
    return nodes


def _msg(n: Any, table: str, where: str) -> str:
    return n.error(f"SELECT * FROM {table} WHERE {where};", OFF).split(" " + PULL_QUERY_SYNTAX_HELP)[0]


def test_should_rewrite_in_predicate(n: Any) -> None:
    """shouldRewriteInPredicate: `ITEMID in ('a', 'b', 'c')` -> `((ITEMID = 'a') OR ((ITEMID = 'b') OR
    (ITEMID = 'c')))`; its first disjunct lacks the key."""
    assert _msg(n, "ORDERS", "ITEMID in ('a', 'b', 'c')") == f"{MISSING_KEY}(ITEMID = 'a')."


def test_should_rewrite_in_predicate_under_and(n: Any) -> None:
    """shouldRewriteInPredicate: `ORDERID > 2 AND ITEMID in (...)` distributes into three conjunctions."""
    assert _msg(n, "ORDERS", "ORDERID > 2 AND ITEMID in ('a', 'b', 'c')") == (
        f"{MISSING_KEY}((ORDERID > 2) AND (ITEMID = 'a'))."
    )


def test_should_rewrite_in_predicate_under_or(n: Any) -> None:
    """shouldRewriteInPredicate: `ORDERID > 2 OR ITEMID in (...)` is four disjuncts, `ORDERID > 2` first."""
    assert _msg(n, "ORDERS", "ORDERID > 2 OR ITEMID in ('a', 'b', 'c')") == f"{MISSING_KEY}(ORDERID > 2)."
    assert _msg(n, "ORDERS", "ORDERTIME = 1 OR ITEMID in ('a', 'b', 'c')") == f"{MISSING_KEY}(ITEMID = 'a')."


def test_in_on_the_key_is_one_lookup_per_value(n: Any) -> None:
    """An IN on the key is one keyed disjunct per value: a key lookup, rows in the HashSet order of the
    KeyConstraints (KsLocator.locate)."""
    assert n.rows("SELECT ORDERTIME FROM ORDERS WHERE ORDERTIME IN (5, 2, 3);", OFF) == [[3], [2], [5]]
    assert n.rows("SELECT ORDERTIME FROM ORDERS WHERE ORDERID > 2 AND ORDERTIME IN (1, 4, 6);", OFF) == [[6], [4]]


def test_should_rewrite_between_predicate(n: Any) -> None:
    """shouldRewriteBetweenPredicate: `ORDERID BETWEEN 2 AND 5` -> `((ORDERID >= 2) AND (ORDERID <= 5))`."""
    assert _msg(n, "ORDERS", "ORDERID BETWEEN 2 AND 5") == f"{MISSING_KEY}((ORDERID >= 2) AND (ORDERID <= 5))."
    assert n.rows("SELECT ORDERTIME FROM ORDERS WHERE ORDERID BETWEEN 2 AND 5;") == [[2], [3], [4], [5]]


def test_should_rewrite_between_predicate_on_a_string(n: Any) -> None:
    """shouldRewriteBetweenPredicate: `ITEMID BETWEEN 'a' AND 'b'` -> two comparisons on the same column; on
    the key that is two bounds on one key column, refused without table scans, a scan with them."""
    assert _msg(n, "ORDERS", "ORDERS.ITEMID BETWEEN 'a' AND 'b'") == (
        f"{MISSING_KEY}((ITEMID >= 'a') AND (ITEMID <= 'b'))."
    )
    assert _msg(n, "ITEMS", "ITEMID BETWEEN 'a' AND 'b'") == (
        "A comparison condition on the key column cannot be combined with other comparisons such as an IN "
        "predicate."
    )
    assert n.rows("SELECT ITEMID FROM ITEMS WHERE ITEMID BETWEEN 'b' AND 'd';") == [["b"], ["c"], ["d"]]


def test_rewritten_column_references_are_unqualified(n: Any) -> None:
    """QueryFilterNode gets the WHERE with its column references unqualified (KsqlEngine rewrites the
    analysis with QueryExecutionUtil.ColumnReferenceRewriter), so a source name or alias is not printed."""
    assert n.error("SELECT * FROM ORDERS O WHERE O.ORDERID IN (1, 2);", OFF).split(" " + PULL_QUERY_SYNTAX_HELP)[0] == (
        f"{MISSING_KEY}(ORDERID = 1)."
    )
    assert n.rows("SELECT O.ORDERTIME FROM ORDERS O WHERE O.ORDERTIME = 2;", OFF) == [[2]]
