"""ksqlDB's StaticTopicSerdeTest (io.confluent.ksql.serde): StaticTopicSerde has a source table's serde
(de)serialize with its changelog topic's name, retrying a failed read with the source topic's (and
registering the source's schema under the changelog's subject) and logging the first failure if both fail.

ksqlDB 0.29 wraps a serde so only in SourceBuilderV1.buildKTable, for table sources of plans from before
TableSourceV2 (not built by 0.29 for new statements); a table read from its topic today deserializes with that
topic. What a user sees: a source table's records are read from its topic with that topic's serde, and a
record that cannot be read is logged once, naming the source topic (shouldLogOriginalFailureIfBothFail's
single log entry). Not ported: the delegate's call arguments (mocks)."""

from __future__ import annotations

from typing import Any


def test_a_source_table_reads_with_its_topic_and_logs_a_failure_once(fmt: Any) -> None:
    """shouldUseDelegateDeserializerWithStaticTopic, shouldLogOriginalFailureIfBothFail"""
    fmt.topic("t")
    fmt.sql("CREATE TABLE T (K STRING PRIMARY KEY, V INT) WITH (KAFKA_TOPIC='t', FORMAT='AVRO');")
    fmt.sql("INSERT INTO T (K, V) VALUES ('a', 1);")
    fmt.sql("CREATE TABLE C AS SELECT * FROM T;")
    fmt.produce("t", b"\x00\x00\x00\x00\x63\x02", key=b"\x00\x00\x00\x00\x01\x02a")  # an id nobody registered
    assert len(fmt.values("C")) == 1
    [err] = fmt.deserialization_errors()
    assert err["topic"] == "t"
