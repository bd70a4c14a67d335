"""ksqlDB 0.29's TableGroupByBuilderTest (io.confluent.ksql.execution.streams).

TableGroupByBuilder filters the table's null rows (filter((k, v) -> v != null): a delete still reaches the
aggregation as the removal of the old row) and groups by the GroupByParams mapper (REKEYED_SCHEMA: the
grouping expressions as the key); a table is always re-grouped, even by its own key. A row whose grouping
value is null is excluded and logged, which takes it out of the group it was in."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Streams

NULL_COLUMN = "Group-by column with index 0 resolved to null. The source row will be excluded from the table."


@pytest.fixture
def ks(make_streams: Callable[..., Streams]) -> Streams:
    ks = make_streams(processing_log=True)
    ks.sql("CREATE TABLE T (K STRING PRIMARY KEY, G STRING, V INT) WITH (KAFKA_TOPIC='t', PARTITIONS=1, FORMAT='JSON');")
    return ks


def test_should_return_correct_schema(ks: Streams) -> None:
    """shouldReturnCorrectSchema: the re-keyed schema."""
    ks.sql("CREATE TABLE A AS SELECT G, COUNT(*) AS C, SUM(V) AS S FROM T GROUP BY G;")
    assert ks.schema("A") == "`G` STRING PRIMARY KEY, `C` BIGINT, `S` INTEGER"


def test_should_perform_group_by_correctly(ks: Streams) -> None:
    """shouldPerformGroupByCorrectly / shouldFilterNullRowsBeforeGroupBy / shouldBuildGroupByParamsCorrectly:
    a row moving to a null group leaves its old group and is logged; deletes (of a row, or of a key the table
    never had) undo what they removed and nothing else."""
    ks.sql("CREATE TABLE A AS SELECT G, COUNT(*) AS C, SUM(V) AS S FROM T GROUP BY G;")
    ks.insert("T", {"K": "a", "G": "x", "V": 1, "ROWTIME": 1000})
    ks.insert("T", {"K": "b", "G": "x", "V": 2, "ROWTIME": 2000})
    ks.insert("T", {"K": "a", "G": None, "V": 3, "ROWTIME": 3000})
    ks.produce("t", b'"zz"', None, 3500)
    ks.produce("t", b'"b"', None, 4000)
    ks.insert("T", {"K": "a", "G": "y", "V": 4, "ROWTIME": 5000})
    assert ks.records("A") == [
        ("x", {"C": 1, "S": 1}, 1000),
        ("x", {"C": 2, "S": 3}, 2000),
        ("x", {"C": 1, "S": 2}, 3000),
        ("x", {"C": 0, "S": 0}, 4000),
        ("y", {"C": 1, "S": 4}, 5000),
    ]
    assert [m["recordProcessingError"]["errorMessage"] for m in ks.processing_log()] == [NULL_COLUMN]


def test_table_grouped_by_its_key_is_regrouped(ks: Streams) -> None:
    """SchemaKTable.groupBy always builds TableGroupBy: grouping by the key keeps one row per key."""
    ks.sql("CREATE TABLE A AS SELECT K, COUNT(*) AS C FROM T GROUP BY K;")
    assert ks.schema("A") == "`K` STRING PRIMARY KEY, `C` BIGINT"
    ks.insert("T", {"K": "a", "G": "x", "V": 1, "ROWTIME": 1000})
    ks.insert("T", {"K": "a", "G": "y", "V": 2, "ROWTIME": 2000})
    assert [(k, v) for k, v, _ in ks.records("A")][-1] == ("a", {"C": 1})
