"""The transport-neutral request/response pair that the HTTP/1.1 and HTTP/2 layers hand to the routes."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from ksqlserver.server.errors import HttpError


class ClientGone(ConnectionError):
    """The client closed the connection or reset the stream; the route stops writing."""


class Body:
    """A request body that arrives in pieces; routes read it whole or line by line."""

    def __init__(self) -> None:
        self._queue: asyncio.Queue[bytes | None] = asyncio.Queue()
        self._ended = False

    def feed(self, data: bytes) -> None:
        if data:
            self._queue.put_nowait(data)

    def feed_eof(self) -> None:
        if not self._ended:
            self._ended = True
            self._queue.put_nowait(None)

    async def chunks(self) -> AsyncIterator[bytes]:
        while True:
            data = await self._queue.get()
            if data is None:
                self._queue.put_nowait(None)  # later readers see the end too
                return
            yield data

    async def read(self, limit: int) -> bytes:
        parts: list[bytes] = []
        size = 0
        async for data in self.chunks():
            size += len(data)
            if size > limit:
                raise HttpError(413, 41300, f"Request body exceeds {limit} bytes")
            parts.append(data)
        return b"".join(parts)

    async def lines(self) -> AsyncIterator[list[bytes]]:
        """Batches of complete lines as they arrive; a last line without a newline counts too."""
        pending = b""
        async for data in self.chunks():
            pending += data
            *complete, pending = pending.split(b"\n")
            batch = [line.strip() for line in complete if line.strip()]
            if batch:
                yield batch
        if pending.strip():
            yield [pending.strip()]


@dataclass
class Request:
    method: str
    path: str
    query_string: str
    headers: dict[str, str]  # lower-case names; repeated headers joined with ", "
    http_version: str  # "1.1" or "2"
    body: Body = field(default_factory=Body)
    websocket: Any = None  # an HTTP/1.1 request to upgrade to a WebSocket: its server.websocket.WebSocket


class Responder(Protocol):
    """Writes one response. `send` writes one HTTP/1.1 chunk or one HTTP/2 DATA frame (split only when it
    exceeds the frame size) and waits for the transport; it raises `ClientGone` once the peer is gone."""

    disconnected: asyncio.Event
    started: bool

    async def start(self, status: int, headers: list[tuple[str, str]]) -> None: ...

    async def send(self, data: bytes) -> None: ...

    async def send_many(self, pieces: list[bytes]) -> None:
        """Each piece as `send` frames it, with one wait for the transport for all of them."""
        ...

    async def end(self) -> None: ...


async def respond(responder: Responder, status: int, body: bytes, content_type: str) -> None:
    """A complete, non-streamed response."""
    headers = [("content-type", content_type), ("content-length", str(len(body)))]
    await responder.start(status, headers)
    if body:
        await responder.send(body)
    await responder.end()
