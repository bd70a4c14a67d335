"""Streams one running query to a client: header, rows as they arrive, keep-alives, the end."""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any

from ksqlserver.engine import PushQuery
from ksqlserver.errors import KsqlError
from ksqlserver.server.errors import generic_error
from ksqlserver.server.exchange import ClientGone, Responder
from ksqlserver.server.formats import LIMIT_REACHED, RowFormat, StreamedRows

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StreamSettings:
    """`keepalive_interval`: seconds of silence before a lone newline; None sends none (ksqlDB 0.29's
    /query-stream, and /query with `ksql.endpoint.migrate.query=true`)."""

    poll_timeout: float
    keepalive_interval: float | None
    coalesce: bool = False


SEND_BYTES = 64 * 1024  # what one write to the transport carries at most: a large poll goes out in slices
COALESCE_ROWS = 128  # rows encoded together when they may share a chunk


async def _send_rows(
    responder: Responder, fmt: RowFormat, rows: list[Any], printing: bool, coalesce: bool
) -> None:
    """The rows of one poll, in writes of about SEND_BYTES. Without `coalesce` each row stays its own
    HTTP/1.1 chunk or HTTP/2 DATA frame (clients that read one JSON document per received chunk, as
    ksql-python-ng does, keep working); with it, the rows of a write share one chunk."""
    if coalesce and not printing:
        pieces, size = [], 0
        for start in range(0, len(rows), COALESCE_ROWS):
            piece = fmt.rows(rows[start : start + COALESCE_ROWS])
            pieces.append(piece)
            size += len(piece)
            if size >= SEND_BYTES:
                await responder.send_many([b"".join(pieces)])
                pieces, size = [], 0
        if pieces:
            await responder.send_many([b"".join(pieces)])
        return
    encode = (lambda row: f"{row}\n".encode()) if printing else fmt.row
    pieces = []
    size = 0
    for row in rows:
        if printing and getattr(row, "is_formats", False):
            # TopicStreamWriter: print(prefix) and println(formats), each its own write (chunk)
            prefix, rest = row.pieces()
            pieces.append(prefix.encode())
            row = rest
        chunk = encode(row)
        if not chunk:  # an empty chunk would end an HTTP/1.1 chunked body
            continue
        pieces.append(chunk)
        size += len(chunk)
        if size >= SEND_BYTES:
            await responder.send_many(pieces)
            pieces, size = [], 0
    if pieces:
        await responder.send_many(pieces)


def final_message(query: PushQuery, closed_by_client: bool) -> str | None:
    """The StreamedRow closing text. The engine may state it (optional `final_message` attribute: a push
    query closed by /close-query or TERMINATE completes, as QueryStreamHandler's completionMessage says);
    otherwise a push query that ended by itself reached its LIMIT, and a pull query sends none."""
    if closed_by_client and not hasattr(query, "final_message"):
        return None
    if hasattr(query, "final_message"):
        stated = query.final_message
        return stated if isinstance(stated, str) else None
    return None if query.is_pull else LIMIT_REACHED


async def stream_query(
    query: PushQuery,
    fmt: RowFormat,
    responder: Responder,
    settings: StreamSettings,
    poll_pool: Executor,
    closed_ids: set[str],
) -> None:
    """Runs until the query is done, fails, or the client goes away. The caller closes the query."""
    loop = asyncio.get_running_loop()
    schema = getattr(query, "schema", None)
    printing = bool(getattr(query, "is_print", False))
    if isinstance(fmt, StreamedRows):  # ksqlDB buffers only a table pull query's StreamedRow output
        fmt = fmt.for_query(query.is_pull)
    # the header is built before the response starts: a header the writer cannot build fails the request
    header = b"" if printing else fmt.header(query, schema if isinstance(schema, str) else None)
    await responder.start(200, [("content-type", fmt.content_type)])
    if not printing:  # PRINT writes its lines only
        await responder.send(header)
    last_write = loop.time()
    while not responder.disconnected.is_set():
        try:
            rows = await loop.run_in_executor(poll_pool, query.poll, settings.poll_timeout)
            done = query.done
            if done:  # rows that landed between poll() and done
                rows = [*rows, *await loop.run_in_executor(poll_pool, query.poll, 0.0)]
        except ClientGone:
            raise
        except Exception as exc:  # a runtime failure ends this response, never the server
            await _send_error(fmt, responder, exc)
            return
        if rows:
            await _send_rows(responder, fmt, rows, printing, settings.coalesce)
        now = loop.time()
        if rows:
            last_write = now
        if done:
            tail = b"" if printing else fmt.end(final_message(query, query.query_id in closed_ids))
            if tail:
                await responder.send(tail)
            await responder.end()
            return
        if settings.keepalive_interval is not None and now - last_write >= settings.keepalive_interval:
            await responder.send(b"\n")  # the legacy writer's disconnect check
            last_write = now
    raise ClientGone()


async def _send_error(fmt: RowFormat, responder: Responder, exc: Exception) -> None:
    entity: dict[str, Any]
    if isinstance(exc, KsqlError):
        entity = generic_error(exc.error_code, exc.message)
    else:
        log.exception("push query failed")
        entity = generic_error(50000, f"Query failed: {type(exc).__name__}: {exc}")
    await responder.send(fmt.error(entity))
    tail = fmt.end(None)
    if tail:
        await responder.send(tail)
    await responder.end()
