"""Port of ksqlDB 0.29 `io.confluent.ksql.planner.plan.LogicRewriterTest` (shouldPropagateNots, shouldBeDNF,
shouldExtractDisjuncts; shouldBeCNF is not ported: LogicRewriter.rewriteCNF has no caller in ksqlDB 0.29).

The Java test prints `LogicRewriter.rewriteNegations / rewriteDNF / extractDisjuncts` of a WHERE clause. In
ksqlDB those rewrites serve one node, QueryFilterNode, which splits a table pull query's WHERE into the
disjuncts of its DNF and validates each: the rewritten text shows in its messages ("Unsupported expression
in WHERE clause: <conjunct>", "WHERE clause missing key column for disjunct: <disjunct>"), and the
disjuncts decide the key lookups. So each case here is a pull query on MetaStoreFixture-like tables, with
ksql.query.pull.table.scan.enabled=false where the message is wanted. Column references are unqualified
in a pull query's WHERE (the Java test's parser output keeps `ORDERS.` / `TEST5.`)."""

from __future__ import annotations

from typing import Any

import pytest

from ksqlserver.runtime.pull_where import PULL_QUERY_SYNTAX_HELP

OFF = {"ksql.query.pull.table.scan.enabled": False}
UNSUPPORTED = "Unsupported expression in WHERE clause: "
MISSING_KEY = "WHERE clause missing key column for disjunct: "


@pytest.fixture
def n(nodes: Any) -> Any:
    with_ = "VALUE_FORMAT='JSON', PARTITIONS=1"
    nodes.sql(f"CREATE SOURCE TABLE ORDERS (ORDERTIME BIGINT PRIMARY KEY, ORDERID BIGINT, ITEMID STRING, "
              f"ORDERUNITS INTEGER) WITH (KAFKA_TOPIC='orders', {with_});")  # fmt: skip
    nodes.sql(f"CREATE SOURCE TABLE TEST3 (COL0 BIGINT PRIMARY KEY, COL1 STRING, COL2 STRING, COL3 DOUBLE, "
              f"COL4 BOOLEAN) WITH (KAFKA_TOPIC='test3', {with_});")  # fmt: skip
    nodes.sql(f"CREATE SOURCE TABLE TEST5 (A BOOLEAN PRIMARY KEY, B BOOLEAN, C BOOLEAN, D BOOLEAN, E BOOLEAN, "
              f"F BOOLEAN, G BOOLEAN) WITH (KAFKA_TOPIC='test5', KEY_FORMAT='JSON', {with_});")  # fmt: skip
    # comparisons on INT columns stand for TEST5's boolean terms where a whole disjunct is to be printed
    nodes.sql(f"CREATE SOURCE TABLE T6 (K INT PRIMARY KEY, A INT, B INT, C INT, D INT, E INT, F INT) "
              f"WITH (KAFKA_TOPIC='t6', {with_});")  # fmt: skip
    for t, units, item in ((1, 2, "a"), (2, 0, "b"), (3, 5, "ab")):
        nodes.insert("ORDERS", {"ORDERTIME": t, "ORDERID": t * 10, "ITEMID": item, "ORDERUNITS": units})
    for k in range(1, 5):
        nodes.insert("T6", {"K": k, "A": k % 2, "B": k % 3, "C": 1, "D": 0, "E": k, "F": 1})
    return nodes


def _msg(n: Any, table: str, where: str) -> str:
    """The first line of the message of a pull query on `table` (table scans disabled)."""
    return n.error(f"SELECT * FROM {table} WHERE {where};", OFF).split(" " + PULL_QUERY_SYNTAX_HELP)[0]


@pytest.mark.parametrize(
    ("table", "where", "conjunct"),
    [
        ("ORDERS", "NOT ORDERUNITS > 1", "(NOT (ORDERUNITS > 1))"),
        ("TEST3", "NOT COL4", "(NOT COL4)"),
        ("TEST3", "NOT NOT NOT COL4", "(NOT COL4)"),
        ("TEST3", "NOT true", "(NOT true)"),
        ("TEST3", "NOT NOT COL4", "COL4"),
        ("ORDERS", "NOT ORDERUNITS > 1 AND ITEMID = 'a'", "(NOT (ORDERUNITS > 1))"),
        ("ORDERS", "NOT (ORDERUNITS > 1 AND ITEMID = 'a')", "(NOT (ORDERUNITS > 1))"),
        ("ORDERS", "NOT (ORDERUNITS + 2 > 1 AND ITEMID = 'a' + 'b')", "(NOT ((ORDERUNITS + 2) > 1))"),
        ("ORDERS", "NOT (ORDERUNITS > 1 OR ITEMID = 'a')", "(NOT (ORDERUNITS > 1))"),
        ("TEST5", "NOT (A AND B)", "(NOT A)"),
        ("TEST5", "NOT (A OR B)", "(NOT A)"),
    ],
)
def test_should_propagate_nots(n: Any, table: str, where: str, conjunct: str) -> None:
    """shouldPropagateNots: a NOT ends on each term (De Morgan through AND/OR, double NOTs dropped); the
    validator then refuses the first conjunct that is not a comparison, as rewritten."""
    assert _msg(n, table, where) == f"{UNSUPPORTED}{conjunct}."


def test_should_propagate_nots_through_or_into_disjuncts(n: Any) -> None:
    """shouldPropagateNots: `NOT (ORDERUNITS > 1 AND ITEMID = 'a')` is an OR of two negations: the second
    disjunct is refused once the first is keyed."""
    where = "ORDERTIME = 1 AND NOT (ORDERUNITS > 1 AND ITEMID = 'a')"
    # DNF: (ORDERTIME = 1 AND NOT ORDERUNITS > 1) OR (ORDERTIME = 1 AND NOT ITEMID = 'a')
    assert _msg(n, "ORDERS", where) == f"{UNSUPPORTED}(NOT (ORDERUNITS > 1))."


def test_negated_predicates_are_nots_over_the_positive_form(n: Any) -> None:
    """AstBuilder: NOT BETWEEN / NOT IN / NOT LIKE / IS NOT DISTINCT FROM are a NotExpression over the
    predicate, which PullQueryRewriter expands before LogicRewriter pushes the NOT down."""
    assert _msg(n, "ORDERS", "ORDERTIME NOT IN (1, 2)") == f"{UNSUPPORTED}(NOT (ORDERTIME = 1))."
    assert _msg(n, "ORDERS", "ORDERTIME NOT BETWEEN 1 AND 2") == f"{UNSUPPORTED}(NOT (ORDERTIME >= 1))."
    assert _msg(n, "ORDERS", "ORDERTIME IS NOT DISTINCT FROM 1") == (
        f"{UNSUPPORTED}(NOT (ORDERTIME IS DISTINCT FROM 1))."
    )
    # the NOT of NOT LIKE lands on the LIKE's column: no longer a LIKE on a column
    assert _msg(n, "ORDERS", "ORDERTIME = 1 AND ITEMID NOT LIKE 'a%'") == "Like condition must be between strings."


def test_not_descends_into_other_predicates(n: Any) -> None:
    """LogicRewriter.NotPropagator stops only at column references, boolean literals and comparisons: the
    rewrite descends into any other node with the NOT pending, so `NOT (X IS NULL)` reads `((NOT X) IS
    NULL)`."""
    assert _msg(n, "ORDERS", "NOT (ITEMID IS NULL)") == f"{UNSUPPORTED}((NOT ITEMID) IS NULL)."
    assert _msg(n, "ORDERS", "ITEMID IS NOT NULL") == f"{UNSUPPORTED}(ITEMID IS NOT NULL)."


def test_not_on_a_non_boolean_column_fails_the_scan(n: Any) -> None:
    """With table scans enabled `NOT (ITEMID LIKE 'a%')` passes validation as a scan, and the rewritten
    predicate ksqlDB compiles, `((NOT ITEMID) LIKE 'a%')`, fails in TermCompiler.visitNotExpression."""
    assert n.error("SELECT * FROM ORDERS WHERE NOT (ITEMID LIKE 'a%');") == (
        "Not expression expects a boolean value.  Actual STRING"
    )


@pytest.mark.parametrize(
    ("where", "disjunct"),
    [
        ("A = 1", "(A = 1)"),
        ("A = 1 AND B = 1", "((A = 1) AND (B = 1))"),
        ("A = 1 OR B = 1", "(A = 1)"),
        ("(A = 1 OR B = 1) AND (C = 1 OR D = 1)", "((A = 1) AND (C = 1))"),
        ("(A = 1 AND B = 1) OR (C = 1 AND D = 1)", "((A = 1) AND (B = 1))"),
        ("(A = 1 OR B = 1) AND (C = 1 OR D = 1) AND (E = 1 OR F = 1)", "(((A = 1) AND (C = 1)) AND (E = 1))"),
        ("NOT (A = 1 OR B = 1) AND NOT (C = 1 OR D = 1)", None),
    ],
)
def test_should_be_dnf(n: Any, where: str, disjunct: str | None) -> None:
    """shouldBeDNF: the first disjunct of the DNF, as QueryFilterNode prints it when it lacks the key."""
    if disjunct is None:  # the NOTs end on comparisons: the first conjunct is refused
        assert _msg(n, "T6", where) == f"{UNSUPPORTED}(NOT (A = 1))."
    else:
        assert _msg(n, "T6", where) == f"{MISSING_KEY}{disjunct}."


@pytest.mark.parametrize(
    ("where", "disjunct"),
    [
        # (K = 1 AND C = 1) OR (K = 1 AND D = 1) OR (B = 1 AND C = 1) OR (B = 1 AND D = 1)
        ("(K = 1 OR B = 1) AND (C = 1 OR D = 1)", "((B = 1) AND (C = 1))"),
        # ((K=1 AND C=1) AND E=1) OR ((K=1 AND C=1) AND F=1) OR ((K=1 AND D=1) AND E=1) OR ... OR ((B=1 AND C=1) AND E=1)
        ("(K = 1 OR B = 1) AND (C = 1 OR D = 1) AND (E = 1 OR F = 1)", "(((B = 1) AND (C = 1)) AND (E = 1))"),
        # distributing a conjunction on the right: (A = 1 AND K = 1) OR (A = 1 AND B = 1)
        ("A = 1 AND (K = 1 OR B = 1)", "((A = 1) AND (B = 1))"),
    ],
)
def test_should_be_dnf_in_order(n: Any, where: str, disjunct: str) -> None:
    """shouldBeDNF: disjuncts come in distribution order, left operand first; the keyed ones pass and the
    first without the key is printed."""
    assert _msg(n, "T6", where) == f"{MISSING_KEY}{disjunct}."


def test_should_extract_disjuncts(n: Any) -> None:
    """shouldExtractDisjuncts: each disjunct of the DNF is one lookup constraint; `(K = 1 OR K = 2) AND
    (C = 1 OR D = 0)` is four keyed disjuncts, so a key lookup of keys 1 and 2 (then filtered by the whole
    WHERE) with table scans disabled, each key read once (in the HashSet order of the KeyConstraints:
    KsLocator.locate)."""
    rows = n.rows("SELECT K, C, D FROM T6 WHERE (K = 1 OR K = 2) AND (C = 1 OR D = 0);", OFF)
    assert rows == [[2, 1, 0], [1, 1, 0]]


def test_should_extract_disjuncts_of_an_or(n: Any) -> None:
    """shouldExtractDisjuncts: `A OR B` is two disjuncts, `A AND B` one; a disjunct without the key is
    refused with scans disabled and makes a table scan otherwise."""
    assert n.rows("SELECT K FROM T6 WHERE K = 1 OR K = 3;", OFF) == [[3], [1]]  # KeyConstraints' HashSet order
    assert _msg(n, "T6", "K = 1 OR A = 1") == f"{MISSING_KEY}(A = 1)."
    assert n.rows("SELECT K FROM T6 WHERE K = 2 OR A = 1;") == [[1], [2], [3]]
    assert _msg(n, "ORDERS", "ORDERUNITS > 1 AND ITEMID = 'a'") == (
        f"{MISSING_KEY}((ORDERUNITS > 1) AND (ITEMID = 'a'))."
    )


@pytest.fixture
def windowed(n: Any) -> Any:
    n.sql("CREATE STREAM WS (K INT KEY, COL0 STRING) WITH (KAFKA_TOPIC='ws', VALUE_FORMAT='JSON', PARTITIONS=1);")
    n.sql("CREATE TABLE TW AS SELECT K, COUNT(*) AS CNT FROM WS WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY K;")
    for ts in (0, 1000, 2000, 3000):
        n.insert("WS", {"K": 1, "COL0": "a", "ROWTIME": ts})
    return n


@pytest.mark.parametrize(
    ("where", "starts"),
    [
        # two disjuncts of one key with other bounds are two lookups, in disjunct order
        ("(K = 1 AND WINDOWSTART = 2000) OR (K = 1 AND WINDOWSTART = 0)", [2000, 0]),
        ("K = 1 AND WINDOWSTART IN (3000, 0)", [0, 3000]),  # KsLocator: the constraints' HashSet order
        # ... each reading its own bounds, so windows both bounds hold come twice
        ("(K = 1 AND WINDOWSTART >= 0) OR (K = 1 AND WINDOWSTART > 1000)", [0, 1000, 2000, 3000, 2000, 3000]),
        ("(K = 1 AND WINDOWEND <= 2000) OR (K = 1 AND WINDOWSTART < 1000)", [0, 1000, 0]),
        # the same key and bounds twice is one lookup (KsLocator's LinkedHashSet of KeyConstraints)
        ("(K = 1 AND WINDOWSTART = 1000) OR (K = 1 AND WINDOWSTART = 1000)", [1000]),
        ("K IN (1, 1)", [0, 1000, 2000, 3000]),
    ],
)
def test_disjuncts_of_a_windowed_table_carry_their_window_bounds(windowed: Any, where: str, starts: list[int]) -> None:
    """shouldExtractDisjuncts on a windowed table: QueryFilterNode gives each disjunct a KeyConstraint with its
    own WindowBounds (equal when key and bounds are), and KeyedWindowedTableLookupOperator reads each
    constraint's key within its bounds (getMergedStart / getMergedEnd), before the WHERE filters the rows."""
    rows = windowed.rows(f"SELECT K, WINDOWSTART FROM TW WHERE {where};", OFF)
    assert [r[1] for r in rows] == starts
