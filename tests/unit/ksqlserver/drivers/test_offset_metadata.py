"""The commit metadata codec reads and writes Kafka Streams' `TopicPartitionMetadata` bytes: version 2 with
the partition time and the task's processor metadata, version 1 with the time alone, anything else as
"nothing known"."""

from __future__ import annotations

import base64
import struct

import pytest

from ksqlserver.drivers.base import CommitMetadata
from ksqlserver.drivers.kafka import offset_metadata


def _streams_bytes(partition_time: int, processors: dict[str, int]) -> str:
    """The layout written out field by field, as Kafka Streams' encoder lays it down."""
    raw = b"\x02" + struct.pack(">q", partition_time)
    if processors:
        raw += struct.pack(">i", len(processors))
        for k, v in processors.items():
            raw += struct.pack(">i", len(k.encode())) + k.encode() + struct.pack(">q", v)
    return base64.b64encode(raw).decode()


@pytest.mark.parametrize(
    ("partition_time", "processors"),
    [(1_700_000_000_123, {}), (-1, {}), (42, {"Aggregate-Aggregate-Materialize": 600_000}),
     (7, {"a": 1, "é-store": -5})],
)  # fmt: skip
def test_encode_matches_the_streams_layout_and_round_trips(partition_time: int, processors: dict[str, int]) -> None:
    text = offset_metadata.encode(partition_time, processors)
    assert text == _streams_bytes(partition_time, processors)
    assert offset_metadata.decode(text) == CommitMetadata(partition_time, processors)


def test_version_one_holds_the_time_alone() -> None:
    text = base64.b64encode(b"\x01" + struct.pack(">q", 99)).decode()
    assert offset_metadata.decode(text) == CommitMetadata(99, {})


@pytest.mark.parametrize(
    "text",
    ["", None, "not base64!", base64.b64encode(b"\x03" + struct.pack(">q", 5)).decode(),
     base64.b64encode(b"\x02\x00").decode(), _streams_bytes(5, {"abc": 1})[:-8]],
)  # fmt: skip
def test_anything_else_is_unknown(text: str | None) -> None:
    assert offset_metadata.decode(text) == CommitMetadata(-1, {})
