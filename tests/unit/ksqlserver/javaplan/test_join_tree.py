"""Port of ksqlDB 0.29 `io.confluent.ksql.planner.JoinTreeTest`: the n-way join tree `JoinTree.build` makes of
a query's joins, its join equivalence set and its viable key columns.

The Java test builds trees from mocked JoinInfos. What a user sees of them: the left-deep tree in the joined
schema's column order (SELECT *), the key column the equivalence set picks, and the viable key columns
listed by the "Key missing from projection" error (JoinNode.validateKeyPresent via
PlanNode.throwKeysNotIncludedError) when a CREATE ... AS SELECT leaves the key out. `e1..e4` (expressions
that are not column references) are written as `A.ID + 1` and the like. The two "circular join" / "neither
source" errors of JoinTree.build are unreachable from SQL: the Analyzer refuses those joins first, with the
messages asserted below."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

W = "VALUE_FORMAT='JSON', PARTITIONS=1"
SYNTHETIC = (
    "Key missing from projection (ie, SELECT). See https://cnfl.io/2LV7ouS.\n"
    "The query used to build `{sink}` must include the join expression ROWKEY in its projection "
    "(eg, SELECT ROWKEY...).\n"
    "ROWKEY was added as a synthetic key column because the join criteria did not match any source column. "
    "This expression must be included in the projection and may be aliased. "
)


def _missing(sink: str, viable: list[str]) -> str:
    """PlanNode.throwKeysNotIncludedError for a join (any one of the viable keys will do)."""
    joined = viable[0] if len(viable) == 1 else ", ".join(viable[:-1]) + " or " + viable[-1]
    kind = "join expression" if len(viable) == 1 else "join expressions"
    return (
        "Key missing from projection (ie, SELECT). \n"
        f"The query used to build `{sink}` must include the {kind} {joined} in its projection "
        f"(eg, SELECT {viable[0]}...)."
    )


@pytest.fixture
def p(make_pull: Callable[..., Any]) -> Any:
    p = make_pull(tables=False)
    for name in ("A", "B", "C"):
        p.execute(f"CREATE STREAM {name} (ID INT KEY, X INT, V STRING) WITH (KAFKA_TOPIC='{name.lower()}', {W});")
    for name in ("TB", "TC"):
        p.execute(f"CREATE TABLE {name} (ID INT PRIMARY KEY, X INT, V STRING) WITH (KAFKA_TOPIC='{name.lower()}', {W});")
    return p


def _schema(p: Any, name: str) -> str:
    src = p.source(name)
    return str(src.schema.describe(src.is_table))


ABC_STAR = ("`A_ID` INTEGER KEY, `A_X` INTEGER, `A_V` STRING, `TB_ID` INTEGER, `TB_X` INTEGER, `TB_V` STRING, "
            "`TC_ID` INTEGER, `TC_X` INTEGER, `TC_V` STRING")  # fmt: skip


def test_handles_basic_two_way_join(p: Any) -> None:
    """handlesBasicTwoWayJoin: a JOIN b is a join of the leaves a and b."""
    assert p.fails("CREATE STREAM O AS SELECT A.V FROM A JOIN TB ON A.ID = TB.ID;") == _missing("O", ["A.ID", "TB.ID"])
    p.execute("CREATE STREAM S AS SELECT * FROM A JOIN TB ON A.ID = TB.ID;")
    assert _schema(p, "S") == ("`A_ID` INTEGER KEY, `A_X` INTEGER, `A_V` STRING, `TB_ID` INTEGER, `TB_X` INTEGER, "
                               "`TB_V` STRING")  # fmt: skip


def test_handles_left_and_right_three_way_join(p: Any) -> None:
    """handlesLeftThreeWayJoin / handlesRightThreeWayJoin: `JOIN c ON a = c` and `JOIN c ON c = a` (flipped)
    both give ((a ⋈ b) ⋈ c): the same schema and the same rows."""
    p.execute("CREATE STREAM L AS SELECT * FROM A JOIN TB ON A.ID = TB.ID JOIN TC ON A.ID = TC.ID;")
    p.execute("CREATE STREAM R AS SELECT * FROM A JOIN TB ON A.ID = TB.ID JOIN TC ON TC.ID = A.ID;")
    assert _schema(p, "L") == _schema(p, "R") == ABC_STAR
    p.execute("INSERT INTO TB (ID, X, V) VALUES (1, 10, 'b'); INSERT INTO TC (ID, X, V) VALUES (1, 20, 'c');")
    p.execute("INSERT INTO A (ID, X, V) VALUES (1, 5, 'a');")
    expected = {"A_X": 5, "A_V": "a", "TB_ID": 1, "TB_X": 10, "TB_V": "b", "TC_ID": 1, "TC_X": 20, "TC_V": "c"}
    assert p.values("L") == p.values("R") == [expected]


def test_should_compute_equivalence_set_and_viable_keys_with_overlap(p: Any) -> None:
    """shouldComputeEquivalenceSetWithOverlap / shouldComputeViableKeysWithOverlap: a.id = b.id, a.id = c.id:
    {a.id, b.id, c.id}, in that order."""
    sql = "CREATE STREAM O AS SELECT A.V FROM A JOIN TB ON A.ID = TB.ID JOIN TC ON A.ID = TC.ID;"
    assert p.fails(sql) == _missing("O", ["A.ID", "TB.ID", "TC.ID"])


def test_should_compute_equivalence_set_and_viable_keys_without_overlap(p: Any) -> None:
    """shouldComputeEquivalenceSetWithoutOverlap / shouldComputeViableKeysWithoutOverlap: a.id = b.id,
    a.x = c.id: the last join's {a.x, c.id}, which also keys SELECT *."""
    sql = "CREATE STREAM O AS SELECT A.V FROM A JOIN TB ON A.ID = TB.ID JOIN TC ON A.X = TC.ID;"
    assert p.fails(sql) == _missing("O", ["A.X", "TC.ID"])
    p.execute("CREATE STREAM S AS SELECT * FROM A JOIN TB ON A.ID = TB.ID JOIN TC ON A.X = TC.ID;")
    assert _schema(p, "S").startswith("`A_X` INTEGER KEY, `A_ID` INTEGER, ")


def test_should_compute_empty_equivalence_set_and_viable_keys_for_outer_joins(p: Any) -> None:
    """shouldComputeEmptyEquivalenceSetForOuterJoins / shouldComputeEmptyViableKeysForOuterJoins: a FULL OUTER
    join's key is neither side's column: a synthetic ROWKEY."""
    sql = "CREATE STREAM O AS SELECT A.V FROM A FULL OUTER JOIN B WITHIN 1 SECOND ON A.ID = B.ID;"
    assert p.fails(sql) == SYNTHETIC.format(sink="O")


def test_should_ignore_outer_joins_when_computing_equivalence_sets_and_viable_keys(p: Any) -> None:
    """shouldIgnoreOuterJoinsWhenComputingEquivalenceSets / ...ViableKeys: (a OUTER b) JOIN c ON a.x = c.id:
    {a.x, c.id}."""
    sql = ("CREATE STREAM O AS SELECT A.V FROM A FULL OUTER JOIN B WITHIN 1 SECOND ON A.ID = B.ID "
           "JOIN TC ON A.X = TC.ID;")  # fmt: skip
    assert p.fails(sql) == _missing("O", ["A.X", "TC.ID"])


def test_should_ignore_non_qualified_column_references_when_computing_viable_keys(p: Any) -> None:
    """shouldIgnoreNonQualifiedColumnReferencesWhenComputingViableKeys: every criterion an expression: no
    viable key column, a synthetic key."""
    sql = ("CREATE STREAM O AS SELECT A.V FROM A JOIN B WITHIN 1 SECOND ON A.ID + 1 = B.ID + 1 "
           "JOIN C WITHIN 1 SECOND ON A.ID + 1 = C.ID + 2;")  # fmt: skip
    assert p.fails(sql) == SYNTHETIC.format(sink="O")


def test_should_include_only_col_from_first_in_viable_key_if_overlap(p: Any) -> None:
    """shouldIncludeOnlyColFromFirstInViableKeyIfOverlap: (e1 = b.id), (e1 = e2): [b.id]."""
    sql = ("CREATE STREAM O AS SELECT A.V FROM A JOIN B WITHIN 1 SECOND ON A.ID + 1 = B.ID "
           "JOIN C WITHIN 1 SECOND ON A.ID + 1 = C.ID + 2;")  # fmt: skip
    assert p.fails(sql) == _missing("O", ["B.ID"])


def test_should_not_include_only_col_from_first_in_viable_keys_if_no_overlap(p: Any) -> None:
    """shouldNotIncludeOnlyColFromFirstInViableKeysIfNoOverlap: (e1 = b.id), (e2 = e3): none."""
    sql = ("CREATE STREAM O AS SELECT A.V FROM A JOIN B WITHIN 1 SECOND ON A.ID + 1 = B.ID "
           "JOIN C WITHIN 1 SECOND ON A.X + 1 = C.ID + 2;")  # fmt: skip
    assert p.fails(sql) == SYNTHETIC.format(sink="O")


def test_should_include_only_col_from_last_in_viable_key_even_without_overlap(p: Any) -> None:
    """shouldIncludeOnlyColFromLastInViableKeyEvenWithoutOverlap: (e1 = e2), (a.x = e3): [a.x]."""
    sql = ("CREATE STREAM O AS SELECT A.V FROM A JOIN B WITHIN 1 SECOND ON A.ID + 1 = B.ID + 1 "
           "JOIN C WITHIN 1 SECOND ON A.X = C.ID + 2;")  # fmt: skip
    assert p.fails(sql) == _missing("O", ["A.X"])


def test_should_throw_on_self_and_circular_join(p: Any) -> None:
    """shouldThrowOnSelfJoin / shouldThrowOnCircularJoin / shouldThrowOnMissingSource: the Analyzer refuses
    these joins before JoinTree.build sees them (Analyzer.Visitor: self joins, and criteria that do not
    reference the joined source)."""
    assert p.fails("CREATE STREAM O AS SELECT * FROM A JOIN A WITHIN 1 SECOND ON A.ID = A.ID;") == (
        "Can not join 'A' to 'A': self joins are not yet supported."
    )
    sql = ("CREATE STREAM O AS SELECT * FROM A JOIN B WITHIN 1 SECOND ON A.ID = B.ID "
           "JOIN C WITHIN 1 SECOND ON A.ID = B.ID;")  # fmt: skip
    assert p.fails(sql) == (
        "A join criteria is expected to reference the source (`C`) in the FROM clause, instead the right source "
        "references `B` and the left source references `A`"
    )
