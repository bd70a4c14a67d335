"""ksqlDB 0.29's TableFilterBuilderTest (io.confluent.ksql.execution.streams).

TableFilterBuilder: transformValues(SqlPredicate's transformer: the row, or empty when the predicate is not
true, the value is null or the predicate fails, which is logged as "Error evaluating predicate <expr>"),
filter(present), mapValues(get); the schema is unchanged; the materialization gets the same filter
(shouldFilterMaterialization), so a pull query reads only passing rows. The filter runs with the table's old
values (ksqlDB PR #6405 over KAFKA-10355's KTableFilter): a row that stops passing is deleted with a
tombstone, a row that never passed emits nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Streams


@pytest.fixture
def ks(make_streams: Callable[..., Streams]) -> Streams:
    ks = make_streams(processing_log=True)
    ks.sql("CREATE TABLE T (K STRING PRIMARY KEY, V INT, W INT) WITH (KAFKA_TOPIC='t', PARTITIONS=1, FORMAT='JSON');")
    return ks


def run(ks: Streams) -> None:
    ks.insert("T", {"K": "a", "V": 1, "W": 1, "ROWTIME": 100})  # never passes V > 1
    ks.insert("T", {"K": "b", "V": 2, "W": 0, "ROWTIME": 200})
    ks.insert("T", {"K": "a", "V": 3, "W": 5, "ROWTIME": 300})
    ks.insert("T", {"K": "b", "V": 0, "W": 20, "ROWTIME": 400})  # stops passing
    ks.produce("t", b'"a"', None, 500)  # deleted
    ks.insert("T", {"K": "c", "V": 5, "W": 1, "ROWTIME": 600})


def test_should_filter_source_table(ks: Streams) -> None:
    """shouldFilterSourceTable / shouldReturnCorrectSchema."""
    ks.sql("CREATE TABLE O AS SELECT * FROM T WHERE V > 1;")
    assert ks.schema("O") == "`K` STRING PRIMARY KEY, `V` INTEGER, `W` INTEGER"
    run(ks)
    assert ks.records("O") == [
        ("b", {"V": 2, "W": 0}, 200),
        ("a", {"V": 3, "W": 5}, 300),
        ("b", None, 400),
        ("a", None, 500),
        ("c", {"V": 5, "W": 1}, 600),
    ]


def test_should_filter_materialization(ks: Streams) -> None:
    """shouldFilterMaterialization: a pull query sees the passing rows only."""
    ks.sql("CREATE TABLE O AS SELECT * FROM T WHERE V > 1;")
    run(ks)
    assert ks.pull("SELECT * FROM O;") == [["c", 5, 1]]
    assert ks.pull("SELECT * FROM O WHERE K = 'b';") == []


def test_should_build_sql_predicate_correctly(ks: Streams) -> None:
    """shouldBuildSqlPredicateCorrectly / shouldUseCorrectNameForProcessingLogger: a predicate that fails is
    logged with its expression and the row filtered out."""
    ks.sql("CREATE TABLE O AS SELECT K, V * 2 AS V2 FROM T WHERE 10 / W > 1;")
    run(ks)
    assert ks.records("O") == [("a", {"V2": 2}, 100), ("a", {"V2": 6}, 300), ("a", None, 500), ("c", {"V2": 10}, 600)]
    [log] = ks.processing_log()
    assert log["recordProcessingError"]["errorMessage"] == "Error evaluating predicate ((10 / W) > 1)"
    assert log["recordProcessingError"]["cause"] == ["/ by zero"]
