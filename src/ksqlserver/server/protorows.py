"""Query output for `Accept: application/vnd.ksql.v1+protobuf` (ksqlDB's JsonStreamedRowResponseWriter with
RowFormat.PROTOBUF): the StreamedRow JSON array, whose header also carries the rows' `.proto` schema
(`protoSchema`) and whose rows are `{"row":{"protobufBytes":"<base64>"}}`, each row a bare PROTOBUF_NOSR
message of that schema (all columns, key columns included, in header order).
"""

from __future__ import annotations

import base64
import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from ksqlserver.catalog.types import Column, SqlType, parse_type
from ksqlserver.errors import FormatError
from ksqlserver.formats.protobuf import ProtobufNoSRFormat
from ksqlserver.formats.sr.connect import columns_schema
from ksqlserver.formats.sr.protobuf_canonical import canonical_text
from ksqlserver.formats.sr.protobuf_schema import ProtoConfig, from_connect
from ksqlserver.server.errors import HttpError
from ksqlserver.server.formats import KSQL_V1_PROTOBUF, QueryHeader, StreamedRows, schema_string
from ksqlserver.server.jsonout import dumps_bytes

log = logging.getLogger(__name__)
# ServerUtils.handleEndpointException: what a failure outside the engine's statement errors answers
INTERNAL_ERROR = (
    "The server encountered an internal error when processing the query. "
    "Please consult the server logs for more information."
)


def proto_schema(columns: list[Column]) -> str:
    """JsonStreamedRowResponseWriter.logicalToProtoSchema: the columns as a Connect struct, through
    ProtobufData.fromConnectSchema (default config), printed by ProtobufSchema.canonicalString."""
    return canonical_text(from_connect(columns_schema(columns), None, ProtoConfig()))


_EPOCH = dt.datetime(1970, 1, 1)


def _engine_value(t: SqlType) -> Callable[[Any], Any]:
    """The inverse of runtime.pipeline.json_ready: query rows reach the server JSON-ready (BYTES as base64,
    temporal values as text), the serializer wants the engine's values (bytes, epoch ms, epoch days)."""
    b = t.base

    def text_only(parse: Callable[[str], Any]) -> Callable[[Any], Any]:
        return lambda v: parse(v) if isinstance(v, str) else v

    if b == "BYTES":
        return text_only(base64.b64decode)
    if b == "TIMESTAMP":
        return text_only(lambda v: (dt.datetime.fromisoformat(v) - _EPOCH) // dt.timedelta(milliseconds=1))
    if b == "DATE":
        return text_only(lambda v: (dt.date.fromisoformat(v) - _EPOCH.date()).days)
    if b == "TIME":
        midnight = dt.datetime.combine(_EPOCH.date(), dt.time())
        return text_only(
            lambda v: (
                (dt.datetime.combine(_EPOCH.date(), dt.time.fromisoformat(v)) - midnight)
                // dt.timedelta(milliseconds=1)
            )
        )
    if b == "ARRAY" and t.item is not None:
        item = _engine_value(t.item)
        return lambda v: None if v is None else [item(x) for x in v]
    if b == "MAP" and t.item is not None:
        val = _engine_value(t.item)
        return lambda v: None if v is None else {k: val(x) for k, x in v.items()}
    if b == "STRUCT":
        conv = {n: _engine_value(ft) for n, ft in t.fields or ()}
        return lambda v: None if v is None else {k: conv[k](x) if k in conv else x for k, x in v.items()}
    return lambda v: v


def row_encoder(columns: list[Column]) -> Callable[[list[Any]], bytes]:
    """RowFormat.PROTOBUF.dataRow: the row as a Struct of all columns, serialised by ProtobufNoSRSerdeFactory's
    serializer (a bare message, no Schema Registry framing)."""
    parsed = ProtobufNoSRFormat().from_connect(columns_schema(columns), {}, False)
    encode = parsed.encoder()
    names = [c.name for c in columns]
    converters = [_engine_value(c.type) for c in columns]
    return lambda values: encode(
        {
            name: None if v is None else conv(v)
            for name, conv, v in zip(names, converters, values, strict=True)
        }
    )


class ProtoStreamedRows(StreamedRows):
    """StreamedRows with StreamedRow.headerProtobuf and StreamedRow.pullRowProtobuf (push rows too, as ksqlDB);
    tombstones, errors and final messages stay JSON."""

    def __init__(self, trailing: bool = False) -> None:
        super().__init__(trailing, KSQL_V1_PROTOBUF)
        self._encode: Callable[[list[Any]], bytes] | None = None

    def header(self, query: QueryHeader, schema: str | None) -> bytes:
        columns = [Column(name, parse_type(kind)) for name, kind in query.columns]
        try:
            proto = proto_schema(columns)
            self._encode = row_encoder(columns)
        except FormatError:
            # ProtobufData's IllegalArgumentException ("Array cannot be nested") escapes metadataRow into
            # QueryStreamHandler's exceptionally(): a 500 before anything is written
            log.exception("Failed to execute query")
            raise HttpError(500, 50000, INTERNAL_ERROR) from None
        text = schema if schema is not None else schema_string(query.columns)
        header = {"queryId": query.query_id, "schema": text, "protoSchema": proto}
        return b"[" + dumps_bytes({"header": header}) + (b",\n" if self.trailing else b"")

    def row(self, values: list[Any]) -> bytes:
        if getattr(values, "tombstone", False) or self._encode is None:
            return super().row(values)
        data = base64.b64encode(self._encode(list(values))).decode("ascii")
        return self._element(b'{"row":{"protobufBytes":"' + data.encode("ascii") + b'"}}')
