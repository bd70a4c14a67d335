"""`KsqlServer`: one listening socket serving HTTP/1.1 and cleartext HTTP/2 (told apart by the preface)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import ssl

from ksqlserver.config import ServerConfig
from ksqlserver.engine import Engine
from ksqlserver.server.http1 import serve_http1
from ksqlserver.server.http2 import PREFACE, serve_http2
from ksqlserver.server.listener import ADVERTISED_LISTENER, inter_node_host, inter_node_url
from ksqlserver.server.routes import KsqlRoutes

log = logging.getLogger(__name__)


def bind_socket(host: str, port: int) -> socket.socket:
    """Binds and listens; raises OSError (e.g. EADDRINUSE) before any engine resource exists."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(512)
        sock.setblocking(False)
    except OSError:
        sock.close()
        raise
    return sock


class KsqlServer:
    """Serves the REST API for one engine on an already-bound socket."""

    def __init__(self, engine: Engine, config: ServerConfig, sock: socket.socket) -> None:
        self.engine = engine
        self.config = config
        self.sock = sock
        self.routes = KsqlRoutes(engine, config)
        self._server: asyncio.Server | None = None
        state = getattr(engine, "state", None)
        if state is not None and not state.host_info:
            # KsqlResource.configure: the local KsqlHostInfo is application.server, the advertised listener
            # or else the listener this server is bound to
            properties = getattr(getattr(engine, "config", None), "properties", None) or {}
            state.host_info = inter_node_host(properties.get(ADVERTISED_LISTENER), self.url)
            # KsqlRestApplication.buildConfigWithPort: the engine's config gains it as a Streams setting
            state.application_server = inter_node_url(properties.get(ADVERTISED_LISTENER), self.url)
        self._connections: set[asyncio.Task[None]] = set()
        self._stopped = asyncio.Event()

    @property
    def port(self) -> int:
        return int(self.sock.getsockname()[1])

    @property
    def url(self) -> str:
        host = self.sock.getsockname()[0]
        host = f"[{host}]" if ":" in host else host
        return f"{'https' if self.config.tls else 'http'}://{host}:{self.port}"

    async def start(self) -> None:
        self._server = await asyncio.start_server(
            self._on_connection,
            sock=self.sock,
            limit=1 << 20,
            ssl=self.config.ssl_context(),
            ssl_handshake_timeout=self.config.request_header_timeout if self.config.tls else None,
        )

    async def wait_stopped(self) -> None:
        await self._stopped.wait()

    async def stop(self, grace: float = 5.0) -> None:
        """Stops accepting, ends every streaming query, waits up to `grace` s for responses to finish."""
        if self._server is not None:
            self._server.close()
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, self.routes.stop_queries)
        if self._connections:
            _, pending = await asyncio.wait(set(self._connections), timeout=grace)
            for task in pending:
                task.cancel()
        self.routes.close_pools()
        self._stopped.set()

    async def _on_connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._connections.add(task)
        try:
            timeout = self.config.request_header_timeout
            try:
                initial = await asyncio.wait_for(_read_preface(reader), timeout)
            except TimeoutError:
                return  # connected but silent: nothing to answer
            if initial is None:
                return
            if initial.startswith(PREFACE):
                await serve_http2(reader, writer, initial, self.routes.handle)
            else:
                await serve_http1(reader, writer, initial, self.routes.handle, timeout)
        except (ConnectionError, asyncio.IncompleteReadError, ssl.SSLError):
            pass
        except Exception:
            log.exception("connection failed")
        finally:
            if task is not None:
                self._connections.discard(task)
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()


async def _read_preface(reader: asyncio.StreamReader) -> bytes | None:
    """Reads until the bytes either are the HTTP/2 preface or cannot be; None if the peer left."""
    data = b""
    while len(data) < len(PREFACE) and PREFACE.startswith(data):
        chunk = await reader.read(65536)
        if not chunk:
            return data if data else None
        data += chunk
    return data
