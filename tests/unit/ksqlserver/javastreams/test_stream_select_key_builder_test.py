"""ksqlDB 0.29's StreamSelectKeyBuilderTest (io.confluent.ksql.execution.streams), beside the javaunit port of
PartitionByParamsFactoryTest (the mapper's key and its errors).

StreamSelectKeyBuilder re-keys a stream with one `map` (shouldOnlyMap: nothing is filtered, a row whose new
key is null is written with a null key) through PartitionByParamsFactory's mapper; the schema
(RESULT_SCHEMA) has the PARTITION BY columns as the key and the old key column moved to the end of the
value; the key serde is the source's key format."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Streams


@pytest.fixture
def ks(ks: Streams) -> Streams:
    ks.sql("CREATE STREAM S (`k0` DOUBLE KEY, BIG BIGINT, BOI BIGINT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, FORMAT='JSON');")
    return ks


def insert(ks: Streams) -> None:
    ks.insert("S", {"k0": 1.5, "BIG": 10, "BOI": 2, "ROWTIME": 100})
    ks.insert("S", {"k0": 2.5, "BIG": 11, "BOI": None, "ROWTIME": 200})


def test_should_return_correct_schema(ks: Streams) -> None:
    """shouldReturnCorrectSchema: BOI becomes the key, k0 moves to the end of the value."""
    ks.sql("CREATE STREAM O AS SELECT * FROM S PARTITION BY BOI;")
    assert ks.schema("O") == "`BOI` BIGINT KEY, `BIG` BIGINT, `k0` DOUBLE"


def test_should_use_mapper_and_only_map(ks: Streams) -> None:
    """shouldUserMapperInMapCall / shouldOnlyMap / shouldReturnRekeyedStream: every row is re-keyed, the row
    with a null BOI too (a null key); the records keep their timestamps."""
    ks.sql("CREATE STREAM O AS SELECT * FROM S PARTITION BY BOI;")
    insert(ks)
    assert ks.records("O") == [(2, {"BIG": 10, "k0": 1.5}, 100), (None, {"BIG": 11, "k0": 2.5}, 200)]


def test_multi_column_key(ks: Streams) -> None:
    """PARTITION BY two columns: a two-column key (here JSON, the source's key format)."""
    ks.sql("CREATE STREAM O AS SELECT * FROM S PARTITION BY BOI, BIG;")
    assert ks.schema("O") == "`BOI` BIGINT KEY, `BIG` BIGINT KEY, `k0` DOUBLE"
    insert(ks)
    assert ks.records("O") == [
        ({"BOI": 2, "BIG": 10}, {"k0": 1.5}, 100),
        ({"BOI": None, "BIG": 11}, {"k0": 2.5}, 200),
    ]


def test_expression_key(ks: Streams) -> None:
    """An expression key is named KSQL_COL_0 and the columns it reads stay in the value."""
    ks.sql("CREATE STREAM O AS SELECT * FROM S PARTITION BY BIG * BOI;")
    assert ks.schema("O") == "`KSQL_COL_0` BIGINT KEY, `BIG` BIGINT, `BOI` BIGINT, `k0` DOUBLE"
    insert(ks)
    assert [k for k, _, _ in ks.records("O")] == [20, None]


def test_partition_by_null(ks: Streams) -> None:
    """PARTITION BY NULL: no key column, every record's key null."""
    ks.sql("CREATE STREAM O AS SELECT * FROM S PARTITION BY NULL;")
    assert ks.schema("O") == "`BIG` BIGINT, `BOI` BIGINT, `k0` DOUBLE"
    insert(ks)
    assert [k for k, _, _ in ks.records("O")] == [None, None]
