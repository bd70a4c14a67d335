"""Port of ksqlDB 0.29 `io.confluent.ksql.planner.plan.PreJoinProjectNodeTest` (shouldResolveStarSelectByCallingParent,
shouldAddAliasOnResolveSelectStarWhenAliased, shouldNotAddAliasOnResolveSelectStarWhenNotAliased).

PreJoinProjectNode prefixes each column of a join side with its source alias (`A_COL0`), and resolves a
`*` through its source, mapping each column to its prefixed name in the source's order. Observable: the
columns a `*` or `<alias>.*` of a join expands to, as the sink's schema shows."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def n(nodes: Any) -> Any:
    nodes.sql("CREATE STREAM A (K STRING KEY, col0 STRING, col1 STRING, col2 STRING) "
              "WITH (KAFKA_TOPIC='a', VALUE_FORMAT='JSON', PARTITIONS=1);")  # fmt: skip
    nodes.sql("CREATE TABLE B (ID STRING PRIMARY KEY, C2 STRING, C3 INT) "
              "WITH (KAFKA_TOPIC='b', VALUE_FORMAT='JSON', PARTITIONS=1);")  # fmt: skip
    return nodes


def test_should_add_alias_on_resolve_select_star_when_aliased(n: Any) -> None:
    """shouldAddAliasOnResolveSelectStarWhenAliased: each side's columns under its alias, source order."""
    n.sql("CREATE STREAM J AS SELECT * FROM A X JOIN B Y ON X.K = Y.ID;")
    assert n.schema("J") == (
        "`X_K` STRING KEY, `X_COL0` STRING, `X_COL1` STRING, `X_COL2` STRING, `Y_ID` STRING, `Y_C2` STRING, "
        "`Y_C3` INTEGER"
    )


def test_should_resolve_star_select_by_calling_parent(n: Any) -> None:
    """shouldResolveStarSelectByCallingParent: `A.*` is the source's columns, each mapped to its alias."""
    n.sql("CREATE STREAM J AS SELECT A.*, B.C3 FROM A JOIN B ON A.K = B.ID;")
    assert n.schema("J") == "`A_K` STRING KEY, `A_COL0` STRING, `A_COL1` STRING, `A_COL2` STRING, `C3` INTEGER"


def test_should_not_add_alias_to_a_column_not_of_the_side(n: Any) -> None:
    """shouldNotAddAliasOnResolveSelectStarWhenNotAliased: a projected column that is no source column of
    the side (here the other side's key, named by the query) keeps its own name."""
    n.sql("CREATE STREAM J AS SELECT B.*, A.K FROM A JOIN B ON A.K = B.ID;")
    assert n.schema("J") == "`K` STRING KEY, `B_ID` STRING, `B_C2` STRING, `B_C3` INTEGER"
    n.insert("B", {"ID": "k", "C2": "c", "C3": 3})
    n.insert("A", {"K": "k", "COL0": "0", "COL1": "1", "COL2": "2"})
    assert n.values("J") == [{"B_ID": "k", "B_C2": "c", "B_C3": 3}]
