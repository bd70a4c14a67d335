"""Query output for `Accept: application/vnd.ksql.v1+protobuf` (ksqlDB's JsonStreamedRowResponseWriter with
RowFormat.PROTOBUF): the StreamedRow JSON array, whose header also carries the rows' `.proto` schema
(`protoSchema`) and whose rows are `{"row":{"protobufBytes":"<base64>"}}`, each row a bare PROTOBUF_NOSR
message of that schema (all columns, key columns included, in header order).
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

from ksqlserver.catalog.types import Column, parse_type
from ksqlserver.formats.protobuf import ProtobufNoSRFormat
from ksqlserver.formats.sr.connect import columns_schema
from ksqlserver.formats.sr.protobuf_canonical import canonical_text
from ksqlserver.formats.sr.protobuf_schema import ProtoConfig, from_connect
from ksqlserver.server.formats import KSQL_V1_PROTOBUF, QueryHeader, StreamedRows, schema_string
from ksqlserver.server.jsonout import dumps_bytes


def proto_schema(columns: list[Column]) -> str:
    """JsonStreamedRowResponseWriter.logicalToProtoSchema: the columns as a Connect struct, through
    ProtobufData.fromConnectSchema (default config), printed by ProtobufSchema.canonicalString."""
    return canonical_text(from_connect(columns_schema(columns), None, ProtoConfig()))


def row_encoder(columns: list[Column]) -> Callable[[list[Any]], bytes]:
    """RowFormat.PROTOBUF.dataRow: the row as a Struct of all columns, serialised by ProtobufNoSRSerdeFactory's
    serializer (a bare message, no Schema Registry framing)."""
    parsed = ProtobufNoSRFormat().from_connect(columns_schema(columns), {}, False)
    encode = parsed.encoder()
    names = [c.name for c in columns]
    return lambda values: encode(dict(zip(names, values, strict=True)))


class ProtoStreamedRows(StreamedRows):
    """StreamedRows with StreamedRow.headerProtobuf and StreamedRow.pullRowProtobuf (push rows too, as ksqlDB);
    tombstones, errors and final messages stay JSON."""

    def __init__(self, trailing: bool = False) -> None:
        super().__init__(trailing, KSQL_V1_PROTOBUF)
        self._encode: Callable[[list[Any]], bytes] | None = None

    def header(self, query: QueryHeader, schema: str | None) -> bytes:
        columns = [Column(name, parse_type(kind)) for name, kind in query.columns]
        self._encode = row_encoder(columns)
        text = schema if schema is not None else schema_string(query.columns)
        header = {"queryId": query.query_id, "schema": text, "protoSchema": proto_schema(columns)}
        return b"[" + dumps_bytes({"header": header}) + (b",\n" if self.trailing else b"")

    def row(self, values: list[Any]) -> bytes:
        if getattr(values, "tombstone", False) or self._encode is None:
            return super().row(values)
        data = base64.b64encode(self._encode(list(values))).decode("ascii")
        return self._element(b'{"row":{"protobufBytes":"' + data.encode("ascii") + b'"}}')
