"""ksqlDB 0.29 GrammaticalJoinerTest (ksqldb-common, util): GrammaticalJoiner.and / or / comma as ksqlDB's
messages use them: PlanNode.throwKeysNotIncludedError lists the missing key columns with `and` and gives
the example with `comma`, or the equivalent join expressions with `or`; AmbiguousColumnException lists the
sorted qualified candidates with `or`. shouldHandleEmptyList and shouldHandleNulls have no message with an
empty list or a null in it."""

from __future__ import annotations

import pytest

from .conftest import Exec


def _sources(ex: Exec) -> None:
    for t in ("k1", "k2", "k3", "k4", "a", "b", "c"):
        ex.topic(t)
    ex.run("CREATE STREAM K1 (A INT KEY, V INT) WITH (KAFKA_TOPIC='k1', FORMAT='JSON');")
    ex.run("CREATE STREAM K2 (A INT KEY, B INT KEY, V INT) WITH (KAFKA_TOPIC='k2', FORMAT='JSON');")
    ex.run(
        "CREATE STREAM K3 (A INT KEY, B INT KEY, C INT KEY, V INT) WITH (KAFKA_TOPIC='k3', FORMAT='JSON');"
    )
    ex.run(
        "CREATE STREAM K4 (A INT KEY, B INT KEY, C INT KEY, D INT KEY, V INT) WITH (KAFKA_TOPIC='k4', FORMAT='JSON');"
    )
    for n in "ABC":
        ex.run(
            f"CREATE TABLE T{n} (ID INT PRIMARY KEY, V{n} INT) WITH (KAFKA_TOPIC='{n.lower()}', FORMAT='JSON');"
        )


@pytest.mark.parametrize(
    ("name", "source", "keys", "example"),
    [
        ("shouldHandleSingleItem", "K1", "key column A", "A"),
        ("shouldHandleTwoItems (and)", "K2", "key columns A and B", "A, B"),
        ("shouldBuildWithAnd / shouldBuildWithComma", "K3", "key columns A, B and C", "A, B, C"),
        ("shouldHandleFourItems (and)", "K4", "key columns A, B, C and D", "A, B, C, D"),
    ],
)
def test_keys_missing(ex: Exec, name: str, source: str, keys: str, example: str) -> None:
    _sources(ex)
    plural = "s" if "," in example else ""
    assert ex.error(f"CREATE STREAM O AS SELECT V FROM {source};") == (
        f"Key{plural} missing from projection (ie, SELECT). \n"
        f"The query used to build `O` must include the {keys} in its projection (eg, SELECT {example}...)."
    )


@pytest.mark.parametrize(
    ("name", "joins", "expressions"),
    [
        ("shouldHandleTwoItems (or)", "TA JOIN TB ON TA.ID = TB.ID", "TA.ID or TB.ID"),
        (
            "shouldHandleThreeItems (or)",
            "TA JOIN TB ON TA.ID = TB.ID JOIN TC ON TA.ID = TC.ID",
            "TA.ID, TB.ID or TC.ID",
        ),
    ],
)
def test_join_keys_missing(ex: Exec, name: str, joins: str, expressions: str) -> None:
    _sources(ex)
    assert ex.error(f"CREATE TABLE O AS SELECT VA FROM {joins};") == (
        "Key missing from projection (ie, SELECT). \n"
        f"The query used to build `O` must include the join expressions {expressions} in its projection "
        "(eg, SELECT TA.ID...)."
    )


@pytest.mark.parametrize(
    ("name", "joins", "candidates"),
    [
        ("shouldHandleTwoItems", "TB JOIN TA ON TA.ID = TB.ID", "TA.ID or TB.ID"),
        (
            "shouldHandleThreeItems",
            "TC JOIN TB ON TC.ID = TB.ID JOIN TA ON TC.ID = TA.ID",
            "TA.ID, TB.ID or TC.ID",
        ),
    ],
)
def test_ambiguous_column(ex: Exec, name: str, joins: str, candidates: str) -> None:
    """AmbiguousColumnException: the candidates sorted, then GrammaticalJoiner.or."""
    _sources(ex)
    assert ex.error(f"CREATE TABLE O AS SELECT ID FROM {joins};") == (
        "Exception while preparing statement: Line: 1, Col: 26: Column 'ID' is ambiguous. "
        f"Could be {candidates}."
    )
