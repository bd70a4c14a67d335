"""The metadata string a commit stores beside each input partition's offset, in Kafka Streams' format
(`TopicPartitionMetadata`), so a query's group offsets read the same to both engines.

base64 of: a version byte (2), the partition time (big-endian int64), then, only when there is any, the
task's processor metadata: an int32 count and per entry an int32 key length, the UTF-8 key and an int64
value. Version 1 is the partition time alone. Anything else (another writer's text, an unknown version)
decodes to "nothing known", as Kafka Streams reads it.
"""

from __future__ import annotations

import base64
import binascii
import struct
from collections.abc import Mapping

from ksqlserver.drivers.base import CommitMetadata

VERSION = 2
_HEAD = struct.Struct(">bq")
_INT = struct.Struct(">i")
_LONG = struct.Struct(">q")


def encode(partition_time: int, processors: Mapping[str, int] | None = None) -> str:
    parts = [_HEAD.pack(VERSION, partition_time)]
    if processors:
        parts.append(_INT.pack(len(processors)))
        for key, value in processors.items():
            raw = key.encode()
            parts += [_INT.pack(len(raw)), raw, _LONG.pack(value)]
    return base64.b64encode(b"".join(parts)).decode("ascii")


def decode(text: str | None) -> CommitMetadata:
    """The partition time and processor metadata in `text`; unknown (-1, {}) when it holds none."""
    if not text:
        return CommitMetadata()
    try:
        raw = base64.b64decode(text, validate=True)
        version = raw[0]
        if version not in (1, VERSION):
            return CommitMetadata()
        (partition_time,) = _LONG.unpack_from(raw, 1)
        processors: dict[str, int] = {}
        pos = 9
        if version == VERSION and pos < len(raw):
            (count,) = _INT.unpack_from(raw, pos)
            pos += 4
            for _ in range(count):
                (size,) = _INT.unpack_from(raw, pos)
                key = raw[pos + 4 : pos + 4 + size].decode()
                if len(key.encode()) != size:
                    raise ValueError("truncated key")
                (value,) = _LONG.unpack_from(raw, pos + 4 + size)
                processors[key] = value
                pos += 12 + size
        return CommitMetadata(partition_time, processors)
    except (binascii.Error, IndexError, ValueError, struct.error, UnicodeDecodeError):
        return CommitMetadata()
