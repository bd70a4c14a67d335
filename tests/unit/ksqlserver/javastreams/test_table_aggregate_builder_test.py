"""ksqlDB 0.29's TableAggregateBuilderTest (io.confluent.ksql.execution.streams).

TableAggregateBuilder aggregates the grouped table with the initializer, the aggregator and the undo
aggregator of AggregateParamsFactory.createUndoable, into a `<context>-Materialize` store of the aggregate
schema, then maps each result (the result mapper) into the output columns. What a user sees: a table's
aggregation takes a row's old value out of its old group (the undo) when the row changes or is deleted, the
sink's schema is the aggregate schema, and a pull query reads the mapped results from the store."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Streams


@pytest.fixture
def ks(ks: Streams) -> Streams:
    ks.sql(
        "CREATE TABLE SRC (K STRING PRIMARY KEY, REQUIRED0 BIGINT, REQUIRED1 STRING, ARGUMENT0 INTEGER, "
        "ARGUMENT1 DOUBLE) WITH (KAFKA_TOPIC='src', PARTITIONS=1, FORMAT='JSON');"
    )
    ks.sql(
        "CREATE TABLE AGG AS SELECT REQUIRED1, COUNT(ARGUMENT0) AS RESULT0, SUM(ARGUMENT1) AS RESULT1 "
        "FROM SRC GROUP BY REQUIRED1;"
    )
    return ks


def put(ks: Streams, key: str, group: str, argument1: float, ts: int) -> None:
    ks.produce("src", f'"{key}"'.encode(),
               {"REQUIRED0": 1, "REQUIRED1": group, "ARGUMENT0": 1, "ARGUMENT1": argument1}, ts)  # fmt: skip


def test_should_return_correct_schema(ks: Streams) -> None:
    """shouldReturnCorrectSchema: the aggregate schema (the group-by column as the key, the results)."""
    assert ks.schema("AGG") == "`REQUIRED1` STRING PRIMARY KEY, `RESULT0` BIGINT, `RESULT1` DOUBLE"


def test_should_build_aggregate_correctly(ks: Streams) -> None:
    """shouldBuildAggregateCorrectly / shouldBuildAggregatorParamsCorrectlyForAggregate: aggregate with the
    undo aggregator: an update of a row first takes its old value out of its old group, then adds the new
    one; a tombstone only takes it out."""
    put(ks, "a", "x", 1.0, 1000)
    put(ks, "b", "x", 2.0, 2000)
    put(ks, "a", "x", 5.0, 3000)  # same group: undo 1.0, add 5.0
    put(ks, "b", "y", 2.5, 4000)  # moves from x to y
    ks.produce("src", b'"a"', None, 5000)  # deleted
    assert ks.records("AGG") == [
        ("x", {"RESULT0": 1, "RESULT1": 1.0}, 1000),
        ("x", {"RESULT0": 2, "RESULT1": 3.0}, 2000),
        ("x", {"RESULT0": 1, "RESULT1": 2.0}, 3000),
        ("x", {"RESULT0": 2, "RESULT1": 7.0}, 3000),
        ("x", {"RESULT0": 1, "RESULT1": 5.0}, 4000),
        ("y", {"RESULT0": 1, "RESULT1": 2.5}, 4000),
        ("x", {"RESULT0": 0, "RESULT1": 0.0}, 5000),
    ]


def test_should_build_materialization_correctly_for_aggregate(ks: Streams) -> None:
    """shouldBuildMaterializationCorrectlyForAggregate: one transform (the result mapper) over the
    `...-Materialize` store, read by pull queries."""
    put(ks, "a", "x", 1.0, 1000)
    put(ks, "b", "x", 2.0, 2000)
    put(ks, "c", "y", 4.0, 3000)
    assert ks.pull("SELECT * FROM AGG WHERE REQUIRED1 = 'x';") == [["x", 2, 3.0]]
    assert sorted(ks.pull("SELECT * FROM AGG;")) == [["x", 2, 3.0], ["y", 1, 4.0]]
