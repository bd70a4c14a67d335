"""Cleartext HTTP/2 with prior knowledge (h2): one task per stream, flow-controlled DATA frames."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

import h2.config
import h2.connection
import h2.events
import h2.exceptions

from ksqlserver.server.exchange import Body, ClientGone, Request, Responder

log = logging.getLogger(__name__)

Handler = Callable[[Request, Responder], Awaitable[None]]
PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
READ_SIZE = 65536


class Http2Connection:
    """Owns the h2 state machine; every h2 call happens on the event-loop thread, so no locks."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, handler: Handler) -> None:
        self.reader = reader
        self.writer = writer
        self.handler = handler
        self.conn = h2.connection.H2Connection(
            h2.config.H2Configuration(client_side=False, header_encoding="utf-8")
        )
        self.streams: dict[int, Http2Responder] = {}
        self.bodies: dict[int, Body] = {}
        self.window_open = asyncio.Event()
        self.closed = False
        self.tasks: set[asyncio.Task[None]] = set()

    async def flush(self) -> None:
        data = self.conn.data_to_send()
        if data and not self.closed:
            try:
                self.writer.write(data)
                await self.writer.drain()
            except ConnectionError:
                self._close_all()

    def _close_all(self) -> None:
        self.closed = True
        self.window_open.set()
        for responder in self.streams.values():
            responder.disconnected.set()
        for body in self.bodies.values():
            body.feed_eof()

    async def serve(self, initial: bytes) -> None:
        self.conn.initiate_connection()
        await self.flush()
        data = initial
        try:
            while not self.closed:
                if data:
                    try:
                        events = self.conn.receive_data(data)
                    except h2.exceptions.ProtocolError:
                        await self.flush()
                        break
                    for event in events:
                        self._on_event(event)
                    await self.flush()
                try:
                    data = await self.reader.read(READ_SIZE)
                except ConnectionError:
                    data = b""
                if not data:
                    break
        finally:
            self._close_all()
            for task in list(self.tasks):
                with contextlib.suppress(Exception):
                    await task

    def _on_event(self, event: h2.events.Event) -> None:
        if isinstance(event, h2.events.RequestReceived):
            self._start_stream(event)
        elif isinstance(event, h2.events.DataReceived):
            body = self.bodies.get(event.stream_id)
            if body is not None:
                body.feed(event.data)
            # Acknowledge at once: request bodies here are small or consumed promptly.
            with contextlib.suppress(h2.exceptions.StreamClosedError, h2.exceptions.ProtocolError):
                self.conn.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
        elif isinstance(event, h2.events.StreamEnded):
            body = self.bodies.get(event.stream_id)
            if body is not None:
                body.feed_eof()
        elif isinstance(event, h2.events.StreamReset):
            responder = self.streams.get(event.stream_id)
            if responder is not None:
                responder.disconnected.set()
            body = self.bodies.get(event.stream_id)
            if body is not None:
                body.feed_eof()
            self.window_open.set()
        elif isinstance(event, h2.events.WindowUpdated | h2.events.RemoteSettingsChanged):
            self.window_open.set()
        elif isinstance(event, h2.events.ConnectionTerminated):
            self._close_all()

    def _start_stream(self, event: h2.events.RequestReceived) -> None:
        stream_id = event.stream_id
        headers: dict[str, str] = {}
        pseudo: dict[str, str] = {}
        for raw_name, raw_value in event.headers or []:
            name = raw_name.decode() if isinstance(raw_name, bytes) else raw_name
            value = raw_value.decode() if isinstance(raw_value, bytes) else raw_value
            if name.startswith(":"):
                pseudo[name] = value
            else:
                headers[name] = f"{headers[name]}, {value}" if name in headers else value
        path, _, query = pseudo.get(":path", "/").partition("?")
        body = Body()
        if event.stream_ended is not None:
            body.feed_eof()
        request = Request(pseudo.get(":method", "GET").upper(), path, query, headers, "2", body)
        responder = Http2Responder(self, stream_id)
        self.streams[stream_id] = responder
        self.bodies[stream_id] = body
        task = asyncio.create_task(self._run(request, responder))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _run(self, request: Request, responder: Http2Responder) -> None:
        try:
            await self.handler(request, responder)
            with contextlib.suppress(ClientGone):
                await responder.end()
        finally:
            self.streams.pop(responder.stream_id, None)
            self.bodies.pop(responder.stream_id, None)


class Http2Responder:
    def __init__(self, connection: Http2Connection, stream_id: int) -> None:
        self._c = connection
        self.stream_id = stream_id
        self.disconnected = asyncio.Event()
        self.started = False
        self.ended = False

    def _check(self) -> None:
        if self.disconnected.is_set() or self._c.closed:
            raise ClientGone()

    async def start(self, status: int, headers: list[tuple[str, str]]) -> None:
        self._check()
        self.started = True
        try:
            self._c.conn.send_headers(
                self.stream_id, [(":status", str(status)), *headers]
            )
        except (h2.exceptions.StreamClosedError, h2.exceptions.ProtocolError) as exc:
            self.disconnected.set()
            raise ClientGone() from exc
        await self._c.flush()

    async def send(self, data: bytes) -> None:
        await self.send_many([data])

    async def send_many(self, pieces: list[bytes]) -> None:
        """Each piece its own DATA frame (split where it exceeds the window or frame size), written to the
        socket together: once at the end, or when the flow-control window closes."""
        conn = self._c.conn
        pending = False
        for data in pieces:
            view = memoryview(data)
            while view:
                self._check()
                try:
                    window = min(conn.local_flow_control_window(self.stream_id), conn.max_outbound_frame_size)
                except (h2.exceptions.StreamClosedError, h2.exceptions.ProtocolError) as exc:
                    self.disconnected.set()
                    raise ClientGone() from exc
                if window <= 0:
                    if pending:  # what is queued may be what the peer waits for before it opens the window
                        pending = False
                        await self._c.flush()
                        continue
                    self._c.window_open.clear()
                    await self._c.window_open.wait()
                    continue
                piece, view = view[:window], view[window:]
                try:
                    conn.send_data(self.stream_id, bytes(piece))
                    pending = True
                except (h2.exceptions.StreamClosedError, h2.exceptions.ProtocolError) as exc:
                    self.disconnected.set()
                    raise ClientGone() from exc
        await self._c.flush()

    async def end(self) -> None:
        if self.ended or not self.started:
            return
        self.ended = True
        self._check()
        try:
            self._c.conn.end_stream(self.stream_id)
        except (h2.exceptions.StreamClosedError, h2.exceptions.ProtocolError) as exc:
            raise ClientGone() from exc
        await self._c.flush()


async def serve_http2(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, initial: bytes, handler: Handler
) -> None:
    await Http2Connection(reader, writer, handler).serve(initial)
