"""ksqlDB 0.29's InsertValuesTest (ksqldb-parser, io.confluent.ksql.parser.tree): the InsertValues node
refuses an empty VALUES list (the grammar takes `VALUES ()`), then a column list whose length differs from
the values', as AstBuilder builds it. The equality assertions have no observable counterpart."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.mark.parametrize("columns", ["(K, V) ", "(K) ", ""])
def test_throw_if_empty_values(t: Any, columns: str) -> None:
    """InsertValuesTest.shouldThrowIfEmptyValues: checked before the column count."""
    t.create("K STRING KEY, V INT", name="S")
    msg = t.error(f"INSERT INTO S {columns}VALUES ();")
    assert msg == "Failed to prepare statement: Expected some values for INSERT INTO statement."


def test_throw_if_non_empty_columns_values_do_not_match(t: Any) -> None:
    """InsertValuesTest.shouldThrowIfNonEmptyColumnsValuesDoNotMatch."""
    t.create("K STRING KEY, V INT", name="S")
    msg = t.error("INSERT INTO S (K) VALUES ('a', 1);")
    assert msg == "Failed to prepare statement: Expected number columns and values to match: 1, 2"
