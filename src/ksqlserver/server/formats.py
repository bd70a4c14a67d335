"""The three ways a query result is framed on the wire (REST-API.md §3).

Every method returns the bytes of exactly one chunk/frame, so the Python client, which yields each received
chunk as one item, sees one JSON document per item.
"""

from __future__ import annotations

import copy
from typing import Any, Protocol

from ksqlserver.server.jsonout import dumps_bytes, dumps_row, dumps_row_lines, dumps_rows

DELIMITED = "application/vnd.ksqlapi.delimited.v1"
JSON = "application/json"
KSQL_V1_JSON = "application/vnd.ksql.v1+json"
KSQL_V1_PROTOBUF = "application/vnd.ksql.v1+protobuf"
LIMIT_REACHED = "Limit Reached"
QUERY_COMPLETED = "Query Completed"


class QueryHeader(Protocol):
    query_id: str
    columns: list[tuple[str, str]]


class RowFormat(Protocol):
    content_type: str

    def header(self, query: QueryHeader, schema: str | None) -> bytes: ...

    def row(self, values: list[Any]) -> bytes: ...

    def rows(self, rows: list[Any]) -> bytes:
        """What `row` writes for each row, concatenated (one chunk for several rows)."""
        ...

    def error(self, entity: dict[str, Any]) -> bytes: ...

    def end(self, final_message: str | None) -> bytes: ...


def header_object(query: QueryHeader) -> dict[str, Any]:
    return {
        "queryId": query.query_id,
        "columnNames": [name for name, _ in query.columns],
        "columnTypes": [kind for _, kind in query.columns],
    }


def schema_string(columns: list[tuple[str, str]]) -> str:
    """ "`K` STRING, `ID` INTEGER": the StreamedRow header's column list."""
    return ", ".join(f"`{name}` {kind}" for name, kind in columns)


class Delimited:
    """Header object line, then one JSON array per row; no closing message (§3.1a)."""

    content_type = DELIMITED

    def header(self, query: QueryHeader, schema: str | None) -> bytes:
        return dumps_bytes(header_object(query)) + b"\n"

    def row(self, values: list[Any]) -> bytes:
        if getattr(values, "tombstone", False):  # not sent in this format (as ksqlDB 0.29)
            return b""
        return dumps_row(values) + b"\n"

    def rows(self, rows: list[Any]) -> bytes:
        if any(getattr(values, "tombstone", False) for values in rows):
            return b"".join(map(self.row, rows))
        return dumps_row_lines(rows)

    def error(self, entity: dict[str, Any]) -> bytes:
        return dumps_bytes(entity) + b"\n"

    def end(self, final_message: str | None) -> bytes:
        return b""


class StreamedRows:
    """/query (and /query-stream with Accept: application/vnd.ksql.v1+json): one JSON array of
    header/row/finalMessage objects (§3.1b).

    As ksqlDB's JsonStreamedRowResponseWriter: a push query (`trailing`) writes each element with its
    separator after it ("{...},\n"), so a line-reading client has every row as soon as it is sent and the
    final message closes the array; a table pull query (ksqlDB buffers its output, having no final message)
    leads each later element with the separator, so the body is valid JSON however the rows end.
    """

    def __init__(self, trailing: bool = False, content_type: str = JSON) -> None:
        self.trailing = trailing
        # QueryStreamHandler labels it application/vnd.ksql.v1+json; the legacy /query writer
        # (OldApiUtils) application/json
        self.content_type = content_type

    def for_query(self, is_pull: bool) -> StreamedRows:
        """This writer for one query: ksqlDB buffers only a table pull query's StreamedRow output."""
        out = copy.copy(self)
        out.trailing = not is_pull
        return out

    def _element(self, body: bytes) -> bytes:
        return body + b",\n" if self.trailing else b",\n" + body

    def header(self, query: QueryHeader, schema: str | None) -> bytes:
        text = schema if schema is not None else schema_string(query.columns)
        header = dumps_bytes({"header": {"queryId": query.query_id, "schema": text}})
        return b"[" + header + (b",\n" if self.trailing else b"")

    def row(self, values: list[Any]) -> bytes:
        if getattr(values, "tombstone", False):
            return self._element(dumps_bytes({"row": {"columns": list(values), "tombstone": True}}))
        return self._element(b'{"row":{"columns":' + dumps_row(values) + b"}}")

    def rows(self, rows: list[Any]) -> bytes:
        return b"".join(map(self.row, rows))

    def error(self, entity: dict[str, Any]) -> bytes:
        body = dumps_bytes({"errorMessage": entity})
        return body if self.trailing else b",\n" + body

    def end(self, final_message: str | None) -> bytes:
        if final_message is None:
            return b"]"
        body = dumps_bytes({"finalMessage": final_message}) + b"]"
        return body if self.trailing else b",\n" + body


class JsonArray:
    """/query-stream with Accept: application/json: `[header,row,row]` (§3.2)."""

    content_type = JSON

    def header(self, query: QueryHeader, schema: str | None) -> bytes:
        return b"[" + dumps_bytes(header_object(query))

    def row(self, values: list[Any]) -> bytes:
        if getattr(values, "tombstone", False):
            return b""
        return b"," + dumps_row(values)

    def rows(self, rows: list[Any]) -> bytes:
        if any(getattr(values, "tombstone", False) for values in rows):
            return b"".join(map(self.row, rows))
        joined = dumps_rows(rows)
        return b"," + joined if joined is not None else b"".join(map(self.row, rows))

    def error(self, entity: dict[str, Any]) -> bytes:
        return b"," + dumps_bytes(entity)

    def end(self, final_message: str | None) -> bytes:
        return b"]"


class NotAcceptable(Exception):
    """No media type the endpoint produces matches the Accept header (Vert.x answers 406, empty body)."""

    def __init__(self, accept: str | None) -> None:
        super().__init__(accept)
        self.accept = accept


# the `produces` lists of ksqlDB's ServerVerticle routes, in their order (a wildcard picks the first)
QUERY_STREAM_PRODUCES = (DELIMITED, JSON, KSQL_V1_JSON)
OLD_QUERY_PRODUCES = (KSQL_V1_JSON, JSON)  # /query's first route: StreamedQueryResource
QUERY_PRODUCES = (DELIMITED, KSQL_V1_JSON, JSON)  # /query's second route: QueryStreamHandler
PROTOBUF_PRODUCES = (KSQL_V1_PROTOBUF,)  # the separate last route of both (ksqlDB PR 9145)


def _media_types(accept: str | None) -> list[str]:
    """The Accept header's media types, highest `q` first (stable among equals)."""
    ranked: list[tuple[float, str]] = []
    for part in (accept or "").split(","):
        media, *params = (p.strip() for p in part.split(";"))
        if not media:
            continue
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        ranked.append((q, media.lower()))
    return [media for q, media in sorted(ranked, key=lambda r: -r[0]) if q > 0]


def negotiate(accept: str | None, produces: tuple[str, ...]) -> str | None:
    """Vert.x's route `produces` matching: the first produced type the best-ranked accepted type matches
    (`*/*` and `type/*` match by wildcard); None when there is no Accept header. Raises NotAcceptable."""
    wanted = _media_types(accept)
    if not accept or not accept.strip():
        return None
    for media in wanted:
        kind, _, sub = media.partition("/")
        for produced in produces:
            p_kind, _, p_sub = produced.partition("/")
            if kind in ("*", p_kind) and sub in ("*", p_sub):
                return produced
    raise NotAcceptable(accept)


def writer_for(content_type: str | None, *, compatibility: bool) -> RowFormat:
    """QueryStreamHandler.getQueryStreamResponseWriter: delimited for that type, and by default (no Accept
    header) on /query-stream; the StreamedRow array for application/vnd.ksql.v1+json and, in /query's
    compatibility mode, for application/json or no Accept header; otherwise /query-stream's
    `[header,row,...]` JSON array."""
    if content_type == DELIMITED or (content_type is None and not compatibility):
        return Delimited()
    if content_type == KSQL_V1_JSON or compatibility:
        return StreamedRows(content_type=KSQL_V1_JSON)
    return JsonArray()
