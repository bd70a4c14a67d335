"""Port of ksqlDB 0.29 `io.confluent.ksql.structured.SchemaKSourceFactoryTest` (shouldBuildWindowedStream,
shouldBuildNonWindowedStream, shouldBuildWindowedTable, shouldBuildV2NonWindowedTable,
shouldBuildCorrectFormatsForV2NonWindowedTable; the pseudo-column-version cases need a plan restored from
an older ksqlDB and are not ported).

SchemaKSourceFactory.buildSource picks the source step of a query from its source: a windowed or plain
stream source (a SchemaKStream), a windowed or plain table source (a SchemaKTable, its state store in the
table's key format and value format). Observable: what a query over each reads and writes. Persistent
queries over a windowed table are refused first (PushQueryValidator)."""

from __future__ import annotations

import struct
from typing import Any

import pytest

from ksqlserver.drivers.base import Record


@pytest.fixture
def n(nodes: Any) -> Any:
    with_ = "VALUE_FORMAT='JSON', PARTITIONS=1"
    nodes.sql(f"CREATE STREAM WS (K STRING KEY, V INT) WITH (KAFKA_TOPIC='ws', {with_}, "
              "WINDOW_TYPE='TUMBLING', WINDOW_SIZE='1 SECOND');")  # fmt: skip
    nodes.sql(f"CREATE TABLE WT (K STRING PRIMARY KEY, V INT) WITH (KAFKA_TOPIC='wt', {with_}, WINDOW_TYPE='SESSION');")
    nodes.sql(f"CREATE STREAM S (K STRING KEY, V INT) WITH (KAFKA_TOPIC='s', {with_});")
    nodes.sql(f"CREATE SOURCE TABLE T (K STRING PRIMARY KEY, V INT) WITH (KAFKA_TOPIC='t', KEY_FORMAT='JSON', {with_});")
    return nodes


def test_should_build_windowed_stream(n: Any) -> None:
    """shouldBuildWindowedStream: a query over a windowed stream keeps its windowed key and can read the
    window bounds."""
    n.sql("CREATE STREAM O AS SELECT K, V + 1 AS V1, WINDOWSTART AS WS, WINDOWEND AS WE FROM WS;")
    n.driver.produce("ws", [Record(b"a" + struct.pack(">q", 1000), b'{"V": 1}', 1500)])
    n.engine.drain()
    assert n.source("O").window.kind == "TUMBLING"
    assert [(r.key, r.value, r.timestamp) for r in n.driver.records("O")] == [
        (b"a" + struct.pack(">q", 1000), b'{"V1":2,"WS":1000,"WE":2000}', 1500)
    ]


def test_should_build_non_windowed_stream(n: Any) -> None:
    """shouldBuildNonWindowedStream."""
    n.sql("CREATE STREAM O AS SELECT K, V + 1 AS V1 FROM S;")
    n.insert("S", {"K": "a", "V": 1})
    assert n.source("O").window is None and not n.source("O").is_table
    assert n.values("O") == [{"V1": 2}]


def test_should_build_windowed_table(n: Any) -> None:
    """shouldBuildWindowedTable: a windowed table is read by pull and push queries; no persistent query may
    read it."""
    n.driver.produce("wt", [Record(b"b" + struct.pack(">q", 3000) + struct.pack(">q", 1000), b'{"V": 5}', 3000)])
    q = n.query("SELECT * FROM WT EMIT CHANGES;")
    try:
        n.engine.drain()
        assert q.columns == [("K", "STRING"), ("WINDOWSTART", "BIGINT"), ("WINDOWEND", "BIGINT"), ("V", "INTEGER")]
        assert q.poll(0.1) == [["b", 1000, 3000, 5]]
    finally:
        q.close()
    assert n.fails("CREATE TABLE O AS SELECT K, V * 2 AS V2 FROM WT;") == (
        "KSQL does not support persistent queries on windowed tables."
    )


def test_should_build_v2_non_windowed_table(n: Any) -> None:
    """shouldBuildV2NonWindowedTable / shouldBuildCorrectFormatsForV2NonWindowedTable: a table source is
    materialized in its own formats (a JSON key here) and serves pull queries."""
    n.insert("T", {"K": "a", "V": 1}, {"K": "a", "V": 2})
    assert n.rows("SELECT * FROM T WHERE K = 'a';") == [["a", 2]]
    n.sql("CREATE TABLE O AS SELECT K, V * 2 AS V2 FROM T;")
    assert n.source("O").is_table
    assert [(r.key, r.value) for r in n.driver.records("O")] == [(b'"a"', b'{"V2":2}'), (b'"a"', b'{"V2":4}')]
