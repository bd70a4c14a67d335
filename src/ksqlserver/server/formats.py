"""The three ways a query result is framed on the wire (REST-API.md §3).

Every method returns the bytes of exactly one chunk/frame, so the Python client, which yields each received
chunk as one item, sees one JSON document per item.
"""

from __future__ import annotations

from typing import Any, Protocol

from ksqlserver.server.jsonout import dumps_bytes, dumps_row, dumps_row_lines, dumps_rows

DELIMITED = "application/vnd.ksqlapi.delimited.v1"
JSON = "application/json"
KSQL_V1_JSON = "application/vnd.ksql.v1+json"
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
    """/query with Accept: application/json: one JSON array of header/row/finalMessage objects (§3.1b).

    Separators lead each element (",\\n{...}") so the body is valid JSON however the stream ends.
    """

    content_type = JSON

    def header(self, query: QueryHeader, schema: str | None) -> bytes:
        text = schema if schema is not None else schema_string(query.columns)
        return b"[" + dumps_bytes({"header": {"queryId": query.query_id, "schema": text}})

    def row(self, values: list[Any]) -> bytes:
        if getattr(values, "tombstone", False):
            return b",\n" + dumps_bytes({"row": {"columns": list(values), "tombstone": True}})
        return b',\n{"row":{"columns":' + dumps_row(values) + b"}}"

    def rows(self, rows: list[Any]) -> bytes:
        return b"".join(map(self.row, rows))

    def error(self, entity: dict[str, Any]) -> bytes:
        return b",\n" + dumps_bytes({"errorMessage": entity})

    def end(self, final_message: str | None) -> bytes:
        if final_message is None:
            return b"]"
        return b",\n" + dumps_bytes({"finalMessage": final_message}) + b"]"


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


def _media_types(accept: str | None) -> list[str]:
    if not accept:
        return []
    return [part.split(";")[0].strip().lower() for part in accept.split(",") if part.strip()]


def choose_format(accept: str | None, *, legacy: bool) -> RowFormat:
    """The first media type we know wins; `*/*`, none, or only unknown ones pick the delimited format."""
    for media in _media_types(accept):
        if media in (DELIMITED, "*/*", "application/*"):
            return Delimited()
        if media in (JSON, KSQL_V1_JSON):
            return StreamedRows() if legacy else JsonArray()
    return Delimited()
