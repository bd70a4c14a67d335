"""Port of ksqlDB 0.29 `io.confluent.ksql.planner.plan.PlanNodeTest` (shouldResolvingSelectAsNoOp,
shouldResolveUnaliasedSelectStarByCallingAllSources, shouldResolveAliasedSelectStarByCallingOnlyCorrectParent,
shouldResolveAliasedSelectStarByCallingParentIfParentHasNoSourceName).

PlanNode.resolveSelectStar: an unqualified `*` is every source's columns, sources in order; `<alias>.*` only
the columns of the source of that alias (a source without a name, as a join below another join, is asked
too and answers for the alias it holds). Observable: the columns of joins of two and three sources."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def n(nodes: Any) -> Any:
    with_ = "VALUE_FORMAT='JSON', PARTITIONS=1"
    nodes.sql(f"CREATE STREAM S1 (K STRING KEY, C0 STRING, C1 STRING) WITH (KAFKA_TOPIC='s1', {with_});")
    nodes.sql(f"CREATE TABLE S2 (ID STRING PRIMARY KEY, C2 STRING, C3 STRING) WITH (KAFKA_TOPIC='s2', {with_});")
    nodes.sql(f"CREATE STREAM S3 (K3 STRING KEY, C4 INT) WITH (KAFKA_TOPIC='s3', {with_});")
    return nodes


def test_should_resolve_unaliased_select_star_by_calling_all_sources(n: Any) -> None:
    """shouldResolveUnaliasedSelectStarByCallingAllSources: left source's columns, then the right's."""
    n.sql("CREATE STREAM J AS SELECT * FROM S1 JOIN S2 ON S1.K = S2.ID;")
    assert n.schema("J") == (
        "`S1_K` STRING KEY, `S1_C0` STRING, `S1_C1` STRING, `S2_ID` STRING, `S2_C2` STRING, `S2_C3` STRING"
    )


def test_should_resolve_aliased_select_star_by_calling_only_correct_parent(n: Any) -> None:
    """shouldResolveAliasedSelectStarByCallingOnlyCorrectParent: `S2.*` is S2's columns alone."""
    n.sql("CREATE STREAM J AS SELECT S2.*, S1.K FROM S1 JOIN S2 ON S1.K = S2.ID;")
    assert n.schema("J") == "`K` STRING KEY, `S2_ID` STRING, `S2_C2` STRING, `S2_C3` STRING"


def test_should_resolve_aliased_select_star_through_a_nested_join(n: Any) -> None:
    """shouldResolveAliasedSelectStarByCallingParentIfParentHasNoSourceName: the inner join has no source
    name, so `S2.*` and `S1.*` ask it and get their own source's columns; `*` is all three sources."""
    join = "FROM S1 JOIN S2 ON S1.K = S2.ID JOIN S3 WITHIN 1 HOUR ON S1.K = S3.K3"
    n.sql(f"CREATE STREAM J1 AS SELECT S2.*, S1.K {join};")
    assert n.schema("J1") == "`K` STRING KEY, `S2_ID` STRING, `S2_C2` STRING, `S2_C3` STRING"
    n.sql(f"CREATE STREAM J2 AS SELECT S3.*, S1.* {join};")
    assert n.schema("J2") == "`S1_K` STRING KEY, `S3_K3` STRING, `S3_C4` INTEGER, `S1_C0` STRING, `S1_C1` STRING"
    n.sql(f"CREATE STREAM J3 AS SELECT * {join};")
    assert n.schema("J3") == (
        "`S1_K` STRING KEY, `S1_C0` STRING, `S1_C1` STRING, `S2_ID` STRING, `S2_C2` STRING, `S2_C3` STRING, "
        "`S3_K3` STRING, `S3_C4` INTEGER"
    )


def test_unknown_alias_in_select_star(n: Any) -> None:
    """An alias no source has is refused by the analysis before any node resolves it."""
    assert n.fails("CREATE STREAM J AS SELECT Z.* FROM S1 JOIN S2 ON S1.K = S2.ID;") == (
        "Failed to prepare statement: 'Z' is not a valid stream/table name or alias."
    )


def test_should_resolve_select_as_no_op(n: Any) -> None:
    """shouldResolvingSelectAsNoOp: a node that maps nothing resolves a select expression to itself."""
    n.sql("CREATE STREAM J AS SELECT S1.K, CONCAT(S1.C0, S2.C2) AS X FROM S1 JOIN S2 ON S1.K = S2.ID;")
    n.insert("S2", {"ID": "k", "C2": "b", "C3": "c"})
    n.insert("S1", {"K": "k", "C0": "a", "C1": "x"})
    assert n.values("J") == [{"X": "ab"}]
