"""The offset-reset cases of ksqlDB 0.29's SourceBuilderTest and SourceBuilderV1Test
(shouldUseOffsetResetLatestForStream, shouldUseOffsetResetLatestForWindowedStream,
shouldUseConfiguredResetPolicyForStream, shouldUseOffsetResetEarliestForTable,
shouldUseOffsetResetEarliestForWindowedTable, shouldUseConfiguredResetPolicyForTable), with JoinNode.buildTable,
which reads a join's tables with auto.offset.reset overridden to earliest.

SourceBuilderUtils.getAutoOffsetReset: the configured auto.offset.reset if any, else the source's default,
LATEST for a stream and EARLIEST for a table. A query started after records were written therefore sees a
table's existing rows but only a stream's new records, unless auto.offset.reset is set."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Streams


def sources(ks: Streams) -> None:
    ks.sql("CREATE TABLE T (K STRING PRIMARY KEY, V INT) WITH (KAFKA_TOPIC='t', PARTITIONS=1, FORMAT='JSON');")
    ks.sql("CREATE STREAM S (K STRING KEY, V INT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, FORMAT='JSON');")
    ks.produce("t", b'"old"', {"V": 1}, 1)
    ks.produce("s", b'"old"', {"V": 1}, 1)


def keys(ks: Streams, name: str) -> list[str]:
    return [k for k, _, _ in ks.records(name)]


@pytest.mark.parametrize(
    ("offset_reset", "table_keys", "stream_keys"),
    [
        (None, ["old", "new"], ["new"]),  # the defaults: EARLIEST for a table, LATEST for a stream
        ("latest", ["new"], ["new"]),  # shouldUseConfiguredResetPolicyForTable
        ("earliest", ["old", "new"], ["old", "new"]),  # shouldUseConfiguredResetPolicyForStream
    ],
)
def test_offset_reset_of_each_source(
    make_streams: Callable[..., Streams], offset_reset: str | None, table_keys: list[str], stream_keys: list[str]
) -> None:
    ks = make_streams(offset_reset=offset_reset)
    sources(ks)
    ks.sql("CREATE TABLE OT AS SELECT * FROM T;")
    ks.sql("CREATE STREAM OS AS SELECT * FROM S;")
    ks.produce("t", b'"new"', {"V": 2}, 2)
    ks.produce("s", b'"new"', {"V": 2}, 2)
    assert keys(ks, "OT") == table_keys
    assert keys(ks, "OS") == stream_keys


def test_push_query_on_a_table_starts_at_its_earliest_offset(make_streams: Callable[..., Streams]) -> None:
    """A transient query is built by the same source builders: a table's existing rows come first."""
    ks = make_streams(offset_reset=None)
    sources(ks)
    assert ks.push("SELECT * FROM T EMIT CHANGES;") == [["old", 1]]
    assert ks.push("SELECT * FROM S EMIT CHANGES;") == []


def test_windowed_table_starts_at_its_earliest_offset(make_streams: Callable[..., Streams]) -> None:
    """shouldUseOffsetResetEarliestForWindowedTable / shouldUseOffsetResetLatestForWindowedStream."""
    ks = make_streams(offset_reset=None)
    for kind in ("TABLE", "STREAM"):
        key = "PRIMARY KEY" if kind == "TABLE" else "KEY"
        ks.sql(
            f"CREATE {kind} W{kind[0]} (K STRING {key}, V INT) WITH (KAFKA_TOPIC='w{kind[0].lower()}', "
            "PARTITIONS=1, FORMAT='JSON', WINDOW_TYPE='TUMBLING', WINDOW_SIZE='1 SECOND');"
        )
        ks.produce(f"w{kind[0].lower()}", b'"a"' + (0).to_bytes(8, "big"), {"V": 1}, 1)
    assert ks.push("SELECT K, V FROM WT EMIT CHANGES;") == [["a", 1]]
    assert ks.push("SELECT K, V FROM WS EMIT CHANGES;") == []


def test_join_reads_its_table_from_the_start(make_streams: Callable[..., Streams]) -> None:
    """JoinNode.buildTable: even with auto.offset.reset latest, the table side of a stream-table join is read
    from its earliest offset, so a new stream record finds a table row written before the query."""
    ks = make_streams(offset_reset="latest")
    sources(ks)
    ks.sql("CREATE STREAM J AS SELECT S.K, S.V, T.V AS TV FROM S JOIN T ON S.K = T.K;")
    ks.produce("s", b'"old"', {"V": 5}, 3)
    assert ks.records("J") == [("old", {"S_V": 5, "TV": 1}, 3)]
