"""A server-side WebSocket (RFC 6455) over an HTTP/1.1 connection that asked to upgrade: the handshake
answer, text frames out, and the client's control frames (close, ping) in. Enough for /ws/query, which only
writes; a message the client sends is read and dropped, as Vert.x does without a message handler."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import struct

import h11

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
TEXT, CLOSE, PING, PONG = 0x1, 0x8, 0x9, 0xA
MAX_REASON_BYTES = 123  # a close frame's payload is at most 125 bytes, two of them the status code


def accept_key(key: str) -> str:
    """Sec-WebSocket-Accept for the client's Sec-WebSocket-Key."""
    return base64.b64encode(hashlib.sha1((key.strip() + GUID).encode("ascii")).digest()).decode("ascii")


def frame(opcode: int, payload: bytes) -> bytes:
    """One final, unmasked frame (a server never masks)."""
    n = len(payload)
    if n < 126:
        head = struct.pack("!BB", 0x80 | opcode, n)
    elif n < 1 << 16:
        head = struct.pack("!BBH", 0x80 | opcode, 126, n)
    else:
        head = struct.pack("!BBQ", 0x80 | opcode, 127, n)
    return head + payload


class HandshakeError(ValueError):
    """The request cannot become a WebSocket (wrong version or no key)."""


class WebSocket:
    """One upgraded connection. `accept()` answers 101 and starts reading the client's frames; `closed` is
    set once the client closed it or went away."""

    def __init__(self, conn: h11.Connection, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                 headers: dict[str, str]) -> None:
        self._conn = conn
        self._reader = reader
        self._writer = writer
        self._headers = headers
        self._reading: asyncio.Task[None] | None = None
        self._close_sent = False
        self.closed = asyncio.Event()

    async def accept(self) -> None:
        key = self._headers.get("sec-websocket-key")
        if not key:
            raise HandshakeError("missing Sec-WebSocket-Key")
        # hybi-07 / -08 (what Vert.x's WebsocketVersion.V07 / V08 clients send) share RFC 6455's handshake
        if self._headers.get("sec-websocket-version", "13").strip() not in ("7", "8", "13"):
            raise HandshakeError(f"unsupported WebSocket version {self._headers.get('sec-websocket-version')}")
        answer = h11.InformationalResponse(
            status_code=101,
            headers=[("upgrade", "websocket"), ("connection", "Upgrade"), ("sec-websocket-accept", accept_key(key))],
            reason=b"Switching Protocols",  # Netty's WebSocketServerHandshaker13 status line
        )
        self._writer.write(self._conn.send(answer) or b"")
        await self._writer.drain()
        pending = bytes(self._conn.trailing_data[0])  # frames the client sent right behind its request
        self._reading = asyncio.create_task(self._read(pending))

    async def send_text(self, text: str) -> None:
        if self.closed.is_set() or self._close_sent:
            raise ConnectionError("the WebSocket is closed")
        self._writer.write(frame(TEXT, text.encode("utf-8")))
        await self._writer.drain()

    async def close(self, code: int, reason: str) -> None:
        """Sends the close frame (reason cut to its 123 bytes), waits briefly for the client's, hangs up."""
        if not self._close_sent and not self.closed.is_set():
            self._close_sent = True
            with contextlib.suppress(ConnectionError):
                self._writer.write(frame(CLOSE, struct.pack("!H", code) + reason.encode("utf-8")[:MAX_REASON_BYTES]))
                await self._writer.drain()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.closed.wait(), 2.0)
        if self._reading is not None:
            self._reading.cancel()
            with contextlib.suppress(asyncio.CancelledError, ConnectionError):
                await self._reading
        self._writer.close()

    async def _read(self, buffered: bytes) -> None:
        buf = bytearray(buffered)

        async def need(n: int) -> bytes:
            while len(buf) < n:
                data = await self._reader.read(65536)
                if not data:
                    raise ConnectionError("client went away")
                buf.extend(data)
            out = bytes(buf[:n])
            del buf[:n]
            return out

        try:
            while True:
                b0, b1 = await need(2)
                opcode, masked, n = b0 & 0x0F, b1 & 0x80, b1 & 0x7F
                if n == 126:
                    (n,) = struct.unpack("!H", await need(2))
                elif n == 127:
                    (n,) = struct.unpack("!Q", await need(8))
                mask = await need(4) if masked else b"\0\0\0\0"
                payload = bytes(c ^ mask[i % 4] for i, c in enumerate(await need(n)))
                if opcode == CLOSE:
                    if not self._close_sent:  # answer with the client's code, as RFC 6455 5.5.1 asks
                        self._close_sent = True
                        self._writer.write(frame(CLOSE, payload[:2]))
                        await self._writer.drain()
                    return
                if opcode == PING:
                    self._writer.write(frame(PONG, payload))
                    await self._writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            return
        finally:
            self.closed.set()
