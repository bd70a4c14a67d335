"""ksqlDB 0.29's SourceBuilderTest (io.confluent.ksql.execution.streams): the table source (TableSource,
built by SourceBuilder).

A table source reads its topic as a KTable (Kafka Streams' KTableSource skips a record whose key is null:
no key bytes, or a key the format reads as null), materializes ROWPARTITION / ROWOFFSET (and the headers) in
its `...-Reduce` store, and adds the remaining pseudo columns and the key columns to each row
(AddRemainingPseudoAndKeyCols): ROWTIME, ROWPARTITION, ROWOFFSET, the headers column. What a user sees: the
rows of push and pull queries and of the queries reading the table."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from ksqlserver.drivers.base import Record

if TYPE_CHECKING:
    from conftest import Streams

HEADERS = "H ARRAY<STRUCT<KEY STRING, VALUE BYTES>> HEADERS"


@pytest.fixture
def ks(ks: Streams) -> Streams:
    ks.sql(
        f"CREATE SOURCE TABLE T (K STRING PRIMARY KEY, F0 STRING, F1 INT, {HEADERS}) "
        "WITH (KAFKA_TOPIC='t', PARTITIONS=1, FORMAT='JSON');"
    )
    ks.driver.produce("t", [Record(b'"a"', b'{"F0":"baz","F1":123}', 100, headers=[("h1", b"v1")])])
    ks.driver.produce("t", [Record(None, b'{"F0":"nk","F1":1}', 150)])
    ks.driver.produce("t", [Record(b'"b"', b'{"F0":"q","F1":2}', 200)])
    ks.engine.drain()
    return ks


def test_should_add_pseudo_and_row_key_columns_to_unwindowed_table(ks: Streams) -> None:
    """shouldAddPseudoAndRowKeyColumnsToUnwindowedTable / shouldHandleMultiKeyField: the value columns, the
    headers, ROWTIME, ROWPARTITION, ROWOFFSET and the key."""
    rows = ks.push("SELECT K, F0, F1, H, ROWTIME, ROWPARTITION, ROWOFFSET FROM T EMIT CHANGES;")
    assert rows == [
        ["a", "baz", 123, [{"KEY": "h1", "VALUE": "djE="}], 100, 0, 0],
        ["b", "q", 2, [], 200, 0, 2],
    ]


def test_should_handle_empty_key(ks: Streams) -> None:
    """shouldHandleEmptyKey: the record without a key never reaches the table (KTableSource), so neither the
    materialization (a pull query) nor a query over the table sees it."""
    assert sorted(ks.pull("SELECT K, F0 FROM T;")) == [["a", "baz"], ["b", "q"]]
    ks.sql("CREATE TABLE O AS SELECT K, F0, ROWOFFSET AS O FROM T;")
    assert ks.records("O") == [("a", {"F0": "baz", "O": 0}, 100), ("b", {"F0": "q", "O": 2}, 200)]


def test_should_build_table_with_correct_store_name(ks: Streams) -> None:
    """shouldBuildTableWithCorrectStoreName / shouldNotContainSchemaIdInMaterializedSchema: the source table is
    materialized, ROWTIME with it (a pull query reads it)."""
    assert ks.pull("SELECT K, ROWTIME FROM T WHERE K = 'a';") == [["a", 100]]


@pytest.mark.parametrize(("key_format", "null_text"), [("KAFKA", "null"), ("JSON", None)])
def test_null_keys_of_each_format(
    make_streams: Callable[..., Streams], key_format: str, null_text: str | None
) -> None:
    """A record without key bytes is skipped by every table query (projection, aggregation, pull); the
    bytes `null` are the text 'null' to KAFKA and a key whose column is null to JSON (UnwrappedDeserializer:
    a list of one null, which is not a null key)."""
    ks = make_streams()
    ks.sql(
        f"CREATE TABLE T (K STRING PRIMARY KEY, V INT) WITH (KAFKA_TOPIC='t', PARTITIONS=1, "
        f"KEY_FORMAT='{key_format}', VALUE_FORMAT='JSON');"
    )
    ks.sql("CREATE TABLE O AS SELECT * FROM T;")
    ks.sql("CREATE TABLE A AS SELECT V, COUNT(*) AS C FROM T GROUP BY V;")
    ks.produce("t", None, {"V": 1}, 100)
    ks.produce("t", b"null", {"V": 1}, 200)
    assert ks.records("O") == [(null_text, {"V": 1}, 200)]
    assert ks.records("A") == [(1, {"C": 1}, 200)]
