"""Port of ksqlDB 0.29 `io.confluent.ksql.structured.SchemaKGroupedStreamTest` (shouldReturnKTableWithOutputSchema,
shouldBuildStepForAggregate, shouldBuildStepForAggregateWithKeyFormatSerdeFeaturesInherited,
shouldBuildStepForAggregateWithKeyFormatSerdeFeaturesWrappingIsNotSet, shouldBuildStepForWindowedAggregate,
shouldBuildStepForAggregateWithKeyValueFormatWithoutSchemaIdProperty).

SchemaKGroupedStream.aggregate builds the aggregate step over the grouped stream: the non-aggregate columns
then one column per aggregate (internally KSQL_AGG_VARIABLE_n), a windowed aggregate when the query has a
WINDOW, and key formats whose single key column is unwrapped (UNWRAP_SINGLES, inherited or set when the key
format supports it and the grouping has one column). Observable: the sink's schema, windowing and key bytes
of `SUM(IN1) ... GROUP BY IN0` over IN_SCHEMA (ROWKEY STRING KEY, IN0 STRING, IN1 INT)."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def n(nodes: Any) -> Any:
    nodes.sql("CREATE STREAM S (ROWKEY STRING KEY, IN0 STRING, IN1 INT, IN2 STRING) "
              "WITH (KAFKA_TOPIC='s', FORMAT='JSON', PARTITIONS=1);")  # fmt: skip
    return nodes


def _records(n: Any, name: str) -> list[tuple[bytes, Any]]:
    return [(r.key, r.value) for r in n.driver.records(n.source(name).topic)]


def _feed(n: Any) -> None:
    for ts, v in ((1000, 1), (2000, 2)):
        n.insert("S", {"ROWKEY": "r", "IN0": "a", "IN1": v, "IN2": "x", "ROWTIME": ts})


def test_should_return_k_table_with_output_schema(n: Any) -> None:
    """shouldReturnKTableWithOutputSchema / shouldBuildStepForAggregate: IN0 the key, SUM(IN1) an INTEGER."""
    n.sql("CREATE TABLE A AS SELECT IN0, SUM(IN1) FROM S GROUP BY IN0;")
    assert n.schema("A") == "`IN0` STRING PRIMARY KEY, `KSQL_COL_0` INTEGER"
    assert n.source("A").is_table and n.source("A").window is None


def test_should_build_step_for_aggregate_with_key_format_serde_features_inherited(n: Any) -> None:
    """shouldBuildStepForAggregateWithKeyFormatSerdeFeaturesInherited / ...WrappingIsNotSet: a JSON key of one
    column is written unwrapped; of two columns, as an object."""
    n.sql("CREATE TABLE A1 AS SELECT IN0, SUM(IN1) AS S FROM S GROUP BY IN0;")
    n.sql("CREATE TABLE A2 AS SELECT IN0, IN2, SUM(IN1) AS S FROM S GROUP BY IN0, IN2;")
    _feed(n)
    assert _records(n, "A1") == [(b'"a"', b'{"S":1}'), (b'"a"', b'{"S":3}')]
    assert _records(n, "A2") == [(b'{"IN0":"a","IN2":"x"}', b'{"S":1}'), (b'{"IN0":"a","IN2":"x"}', b'{"S":3}')]


def test_should_build_step_for_aggregate_with_key_value_format_without_schema_id_property(n: Any) -> None:
    """shouldBuildStepForAggregateWithKeyValueFormatWithoutSchemaIdProperty: the aggregate's formats are the
    sink's own (a KAFKA key here), whatever the source's."""
    n.sql("CREATE TABLE A WITH (KEY_FORMAT='KAFKA') AS SELECT IN0, SUM(IN1) AS S FROM S GROUP BY IN0;")
    _feed(n)
    assert n.source("A").key_format == "KAFKA"
    assert _records(n, "A") == [(b"a", b'{"S":1}'), (b"a", b'{"S":3}')]


def test_should_build_step_for_windowed_aggregate(n: Any) -> None:
    """shouldBuildStepForWindowedAggregate: SESSION (100 SECONDS) makes a session-windowed aggregate: the
    first session is removed (a tombstone) when the second record merges into it."""
    n.sql("CREATE TABLE A AS SELECT IN0, SUM(IN1) AS S FROM S WINDOW SESSION (100 SECONDS) GROUP BY IN0;")
    assert n.source("A").window.kind == "SESSION"
    _feed(n)
    start, end1, end2 = (1000).to_bytes(8, "big"), (1000).to_bytes(8, "big"), (2000).to_bytes(8, "big")
    assert _records(n, "A") == [
        (b'"a"' + end1 + start, b'{"S":1}'),
        (b'"a"' + end1 + start, None),
        (b'"a"' + end2 + start, b'{"S":3}'),
    ]
