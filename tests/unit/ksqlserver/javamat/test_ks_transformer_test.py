"""ksqlDB 0.29's KsTransformerTest and KsValueTransformerTest (io.confluent.ksql.execution.streams.transform).

KsTransformer / KsValueTransformer wrap the KsqlTransformers of a step (the key and value transformers of a
select that may change the key, the value transformer of a value-only select): they hand each record's key
and value to them (shouldInvokeInnerTransformers), return what they give (shouldReturnValueFromInnerTransformer)
and expose the record's timestamp to the expressions as the processing context's row time
(shouldExposeRowTime). Seen as: ROWTIME in the projections of stream and table selects, and in the new key
of a PARTITION BY, is the input record's timestamp; the output records keep it."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import Streams


def test_should_expose_row_time_to_a_value_transform(ks: Streams) -> None:
    """KsValueTransformer (StreamSelect): ROWTIME in the projection, the value computed per record."""
    ks.sql("CREATE STREAM S (K STRING KEY, V INT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, FORMAT='JSON');")
    ks.sql("CREATE STREAM O AS SELECT K, ROWTIME AS RT, V * 2 AS D FROM S;")
    ks.insert("S", {"K": "a", "V": 12, "ROWTIME": 123456})
    assert ks.records("O") == [("a", {"RT": 123456, "D": 24}, 123456)]


def test_should_expose_row_time_to_a_table_select(ks: Streams) -> None:
    """KsValueTransformer over a table (TableSelect): each update's ROWTIME."""
    ks.sql("CREATE TABLE T (K STRING PRIMARY KEY, V INT) WITH (KAFKA_TOPIC='t', PARTITIONS=1, FORMAT='JSON');")
    ks.sql("CREATE TABLE O AS SELECT K, ROWTIME AS RT, V FROM T;")
    ks.produce("t", b'"a"', {"V": 1}, 10)
    ks.produce("t", b'"a"', {"V": 2}, 20)
    assert ks.records("O") == [("a", {"RT": 10, "V": 1}, 10), ("a", {"RT": 20, "V": 2}, 20)]


def test_should_invoke_inner_transformers_for_key_and_value(ks: Streams) -> None:
    """KsTransformer (a select that changes the key): the new key and the value from the same record, its
    row time visible to both."""
    ks.sql("CREATE STREAM S (K STRING KEY, V INT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, FORMAT='JSON');")
    ks.sql("CREATE STREAM O AS SELECT V, K, ROWTIME AS RT FROM S PARTITION BY V;")
    ks.insert("S", {"K": "a", "V": 7, "ROWTIME": 5000})
    assert ks.records("O") == [(7, {"K": "a", "RT": 5000}, 5000)]
