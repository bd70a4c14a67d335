"""Confluent's wire format: magic byte 0, the schema id as 4 big-endian bytes, then the payload (Protobuf
adds the message indexes, zig-zag varints, before its payload)."""

from __future__ import annotations

import struct

from ksqlserver.errors import SerdeError

MAGIC = 0
_HEADER = struct.Struct(">bI")
SCHEMA_ID = struct.Struct(">I")  # at offset 1


def frame(schema_id: int, payload: bytes) -> bytes:
    return _HEADER.pack(MAGIC, schema_id) + payload


def header(schema_id: int) -> bytes:
    return _HEADER.pack(MAGIC, schema_id)


def split(data: bytes) -> tuple[int, memoryview]:
    """(schema id, payload) of a framed record; SerdeError "Unknown magic byte!" as Confluent's
    deserialisers say when the record was not written in this format."""
    if len(data) < 5 or data[0] != MAGIC:
        raise SerdeError("Unknown magic byte!", data)
    return _HEADER.unpack_from(data)[1], memoryview(data)[5:]


def zigzag_varint(n: int) -> bytes:
    z = (n << 1) ^ (n >> 63)
    out = bytearray()
    while z & ~0x7F:
        out.append((z & 0x7F) | 0x80)
        z >>= 7
    out.append(z)
    return bytes(out)


def read_zigzag(buf: bytes | memoryview, pos: int) -> tuple[int, int]:
    shift = 0
    n = 0
    while True:
        if pos >= len(buf):
            raise SerdeError("Truncated varint")
        b = buf[pos]
        pos += 1
        n |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            break
        if shift > 70:
            raise SerdeError("Malformed varint")
    return (n >> 1) ^ -(n & 1), pos


def message_indexes(indexes: tuple[int, ...]) -> bytes:
    """Confluent's MessageIndexes: `[0]` (the first message) as the single byte 0."""
    if indexes == (0,):
        return b"\x00"
    return zigzag_varint(len(indexes)) + b"".join(zigzag_varint(i) for i in indexes)


def read_message_indexes(buf: bytes | memoryview) -> tuple[tuple[int, ...], int]:
    count, pos = read_zigzag(buf, 0)
    if count == 0:
        return (0,), pos
    if count < 0 or count > 100:
        raise SerdeError(f"Invalid message indexes count: {count}")
    out = []
    for _ in range(count):
        i, pos = read_zigzag(buf, pos)
        out.append(i)
    return tuple(out), pos
