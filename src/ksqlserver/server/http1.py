"""HTTP/1.1 connections (h11): keep-alive, chunked streaming, and disconnect detection while streaming."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable

import h11

from ksqlserver.server.exchange import Body, ClientGone, Request, Responder
from ksqlserver.server.reasons import reason_phrase
from ksqlserver.server.websocket import WebSocket

log = logging.getLogger(__name__)

Handler = Callable[[Request, Responder], Awaitable[None]]
READ_SIZE = 65536


class Http1Responder:
    """Without a content-length h11 frames the body as chunks: one `send` is one chunk."""

    def __init__(self, conn: h11.Connection, writer: asyncio.StreamWriter) -> None:
        self._conn = conn
        self._writer = writer
        self.disconnected = asyncio.Event()
        self.started = False
        self.ended = False

    async def _write(self, event: h11.Event) -> None:
        if self.disconnected.is_set():
            raise ClientGone()
        try:
            data = self._conn.send(event)
            if data:
                self._writer.write(data)
                await self._writer.drain()
        except (ConnectionError, h11.LocalProtocolError) as exc:
            self.disconnected.set()
            raise ClientGone() from exc

    async def start(self, status: int, headers: list[tuple[str, str]]) -> None:
        self.started = True
        await self._write(_response(status, headers))

    async def send(self, data: bytes) -> None:
        await self._write(h11.Data(data=data))

    async def send_many(self, pieces: list[bytes]) -> None:
        """Each piece its own chunk, all in one socket write and one wait for the transport."""
        if self.disconnected.is_set():
            raise ClientGone()
        pieces = [piece for piece in pieces if piece]
        if not pieces:
            return
        try:
            first = self._conn.send(h11.Data(data=pieces[0])) or b""
            out = [first]
            if first == b"%x\r\n%s\r\n" % (len(pieces[0]), pieces[0]):
                # chunked framing (h11 keeps no per-chunk state): the other chunks framed here, cheaply
                out.extend(b"%x\r\n%s\r\n" % (len(piece), piece) for piece in pieces[1:])
            else:  # an HTTP/1.0 client (close-delimited body): h11 frames each piece
                out.extend(self._conn.send(h11.Data(data=piece)) or b"" for piece in pieces[1:])
            if out:
                self._writer.write(b"".join(out))
                await self._writer.drain()
        except (ConnectionError, h11.LocalProtocolError) as exc:
            self.disconnected.set()
            raise ClientGone() from exc

    async def end(self) -> None:
        if not self.ended:
            self.ended = True
            await self._write(h11.EndOfMessage())


def _response(status: int, headers: list[tuple[str, str]]) -> h11.Response:
    """The status line carries Netty's reason phrase, as Vert.x writes it (h11 would leave it empty); like
    Vert.x, no Server header."""
    return h11.Response(status_code=status, headers=headers, reason=reason_phrase(status).encode("ascii"))


async def serve_http1(
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
    initial: bytes,
    handler: Handler,
    header_timeout: float | None = None,
) -> None:
    """Serves requests until the peer leaves. A request head that is malformed gets a ksqlDB-shaped 4xx
    error; one that does not arrive within `header_timeout` seconds gets 408 (an idle kept-alive
    connection is just closed)."""
    conn = h11.Connection(h11.SERVER, max_incomplete_event_size=64 * 1024)
    conn.receive_data(initial)
    while True:
        try:
            event = await asyncio.wait_for(_next_event(conn, reader), header_timeout)
        except TimeoutError:
            if conn.their_state is h11.IDLE and not conn.trailing_data[0]:
                return  # nothing of a next request arrived: an idle keep-alive connection
            await _reject(conn, writer, 408, 40800, f"Request head not received within {header_timeout:g} s")
            return
        except h11.RemoteProtocolError as exc:
            await _reject(
                conn, writer, exc.error_status_hint, exc.error_status_hint * 100, f"Bad request: {exc}"
            )
            return
        if isinstance(event, h11.Request):
            if not await _serve_one(conn, reader, writer, event, handler):
                return
        elif isinstance(event, h11.ConnectionClosed) or event is None:
            return
        # anything else (a stray Data/EndOfMessage) cannot happen before a Request in h11


async def _reject(
    conn: h11.Connection, writer: asyncio.StreamWriter, status: int, code: int, message: str
) -> None:
    """Answers a request the server could not read with a ksqlDB error entity, then the caller closes."""
    if conn.our_state not in (h11.IDLE, h11.SEND_RESPONSE):
        return
    body = json.dumps({"@type": "generic_error", "error_code": code, "message": message}).encode()
    headers = [
        ("content-type", "application/json"),
        ("content-length", str(len(body))),
        ("connection", "close"),
    ]
    try:
        data = conn.send(_response(status, headers))
        data = (
            (data or b"") + (conn.send(h11.Data(data=body)) or b"") + (conn.send(h11.EndOfMessage()) or b"")
        )
        writer.write(data)
        await asyncio.wait_for(writer.drain(), 5)
    except (ConnectionError, TimeoutError, h11.LocalProtocolError):
        pass


async def _next_event(conn: h11.Connection, reader: asyncio.StreamReader) -> h11.Event | None:
    """The next event; raises h11.RemoteProtocolError on a malformed request head."""
    while True:
        event = conn.next_event()
        if event is h11.NEED_DATA:
            try:
                data = await reader.read(READ_SIZE)
            except ConnectionError:
                data = b""
            conn.receive_data(data)
            continue
        if event is h11.PAUSED:
            return None
        return event


async def _serve_one(
    conn: h11.Connection,
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
    head: h11.Request,
    handler: Handler,
) -> bool:
    """Runs one request/response cycle; False when the connection must close afterwards."""
    headers: dict[str, str] = {}
    for name, value in head.headers:
        key = name.decode("latin-1").lower()
        text = value.decode("latin-1")
        headers[key] = f"{headers[key]}, {text}" if key in headers else text
    target = head.target.decode("latin-1")
    path, _, query = target.partition("?")
    request = Request(head.method.decode("ascii").upper(), path, query, headers, "1.1", Body())
    responder = Http1Responder(conn, writer)
    if request.method == "GET" and "websocket" in headers.get("upgrade", "").lower():
        # the route may take the connection over (/ws/query) or answer in plain HTTP; it closes either way
        request.websocket = WebSocket(conn, reader, writer, headers)
        request.body.feed_eof()
        await handler(request, responder)
        return False
    task = asyncio.create_task(handler(request, responder))

    # Feed the body, then keep reading so a client that hangs up mid-stream is noticed at once.
    body_done = _drain_body(conn, request.body)
    while not task.done():
        read = asyncio.create_task(reader.read(READ_SIZE))
        await asyncio.wait({task, read}, return_when=asyncio.FIRST_COMPLETED)
        if not read.done():
            read.cancel()
            with contextlib.suppress(asyncio.CancelledError, ConnectionError):
                await read
            break
        try:
            data = read.result()
        except ConnectionError:
            data = b""
        if not data:
            responder.disconnected.set()
            request.body.feed_eof()
            await task
            return False
        conn.receive_data(data)
        if not body_done:
            body_done = _drain_body(conn, request.body)
    if not body_done:
        body_done = _drain_body(conn, request.body)
    await task

    if not responder.started:  # the handler must always answer; guard against a silent bug
        return False
    if conn.our_state is h11.DONE and conn.their_state is h11.DONE:
        conn.start_next_cycle()
        return True
    return False


def _drain_body(conn: h11.Connection, body: Body) -> bool:
    """Moves buffered body events into `body`; True once the whole body arrived (or was malformed)."""
    while True:
        try:
            event = conn.next_event()
        except h11.RemoteProtocolError:
            body.feed_eof()
            return True
        if isinstance(event, h11.Data):
            body.feed(bytes(event.data))
        elif isinstance(event, h11.EndOfMessage | h11.ConnectionClosed) or event is h11.PAUSED:
            body.feed_eof()
            return True
        else:  # NEED_DATA
            return False
