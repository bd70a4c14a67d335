"""Which writer answers a /query or /query-stream request: the JSON and delimited writers (`formats.py`) or the
protobuf one (`protorows.py`, which builds on `formats.StreamedRows`, hence a module of its own)."""

from __future__ import annotations

from ksqlserver.server.formats import (
    PROTOBUF_PRODUCES,
    QUERY_PRODUCES,
    QUERY_STREAM_PRODUCES,
    NotAcceptable,
    RowFormat,
    negotiate,
    writer_for,
)
from ksqlserver.server.protorows import ProtoStreamedRows


def choose_format(accept: str | None, *, legacy: bool) -> RowFormat:
    """The writer of a /query (`legacy`) or /query-stream response for this Accept header. ServerVerticle
    tries the JSON/delimited route first, then the protobuf one (RowFormat.PROTOBUF)."""
    try:
        content_type = negotiate(accept, QUERY_PRODUCES if legacy else QUERY_STREAM_PRODUCES)
    except NotAcceptable:
        negotiate(accept, PROTOBUF_PRODUCES)
        return ProtoStreamedRows()
    return writer_for(content_type, compatibility=legacy)
