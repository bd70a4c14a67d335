"""ksqlDB 0.29's GroupByTest (ksqldb-parser, io.confluent.ksql.parser.tree): the GroupBy node keeps the
expressions in order and refuses duplicates and an empty list as AstBuilder builds it, so these are
preparation errors; expressions are compared as written (the Analyzer, once it has qualified them, checks
again: V and S.V). The equality assertions have no observable counterpart."""

from __future__ import annotations

from typing import Any

import pytest


def test_maintain_group_by_order(t: Any) -> None:
    """GroupByTest.shouldMaintainGroupByOrder: the key columns follow the GROUP BY order."""
    t.create("K STRING KEY, A INT, B STRING", name="S", KEY_FORMAT="JSON")
    t.run("CREATE TABLE G AS SELECT B, A, COUNT(*) AS C FROM S GROUP BY B, A;")
    assert list(t.types("G")) == ["B", "A", "C"]
    assert [f.get("type") for f in t.fields("G")] == ["KEY", "KEY", None]


@pytest.mark.parametrize(
    ("group_by", "shown"),
    [("V, V", "V"), ("(V, v)", "V"), ("ABS(V), ABS(V)", "ABS(V)")],
)
def test_throw_on_duplicate_group_by(t: Any, group_by: str, shown: str) -> None:
    """GroupByTest.shouldThrowOnDuplicateGroupBy: 'Duplicate GROUP BY expression: <Expression.toString>'."""
    t.create("K STRING KEY, V INT", name="S")
    msg = t.error(f"CREATE TABLE G AS SELECT {shown}, COUNT(*) FROM S GROUP BY {group_by};")
    assert msg == f"Failed to prepare statement: Duplicate GROUP BY expression: {shown}"


def test_duplicate_once_qualified(t: Any) -> None:
    """V and S.V differ as written; the Analyzer's GroupBy, over qualified expressions, refuses them."""
    t.create("K STRING KEY, V INT", name="S")
    assert t.error("CREATE TABLE G AS SELECT V, COUNT(*) FROM S GROUP BY V, S.V;") == "Duplicate GROUP BY expression: S.V"


def test_throw_on_empty_group_by(t: Any) -> None:
    """GroupByTest.shouldThrowOnEmptyGroupBy: GROUP BY () (the grammar takes an empty list)."""
    t.create("K STRING KEY, V INT", name="S")
    msg = t.error("CREATE TABLE G AS SELECT COUNT(*) FROM S GROUP BY ();")
    assert msg == "Failed to prepare statement: GROUP BY requires at least one expression"
