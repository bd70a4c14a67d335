"""Run a `KsqlServer` on its own event loop in a daemon thread (tests, notebooks)."""

from __future__ import annotations

import asyncio
import threading
from types import TracebackType

from ksqlserver.config import ServerConfig
from ksqlserver.engine import Engine
from ksqlserver.server.app import KsqlServer, bind_socket


class BackgroundServer:
    """`with BackgroundServer(engine, config) as server: server.url`; port 0 picks a free port."""

    def __init__(self, engine: Engine, config: ServerConfig) -> None:
        self.engine = engine
        self.config = config
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name="ksqlserver", daemon=True)
        self._ready = threading.Event()
        self._server: KsqlServer | None = None
        self._error: BaseException | None = None

    @property
    def url(self) -> str:
        assert self._server is not None, "server not started"
        return self._server.url

    @property
    def port(self) -> int:
        assert self._server is not None, "server not started"
        return self._server.port

    def start(self) -> BackgroundServer:
        sock = bind_socket(self.config.host, self.config.port)  # bind errors surface in the caller
        try:
            self._server = KsqlServer(self.engine, self.config, sock)
        except BaseException:  # a bad setting (ksql.advertised.listener): nothing is served
            sock.close()
            raise
        self._thread.start()
        self._ready.wait()
        if self._error is not None:
            raise self._error
        return self

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            assert self._server is not None
            self._loop.run_until_complete(self._server.start())
        except BaseException as exc:
            self._error = exc
            self._ready.set()
            return
        self._ready.set()
        self._loop.run_until_complete(self._server.wait_stopped())
        self._loop.close()

    def stop(self, grace: float = 5.0) -> None:
        """Stops the server (not the engine, which the caller owns)."""
        if self._server is None or not self._thread.is_alive():
            return
        future = asyncio.run_coroutine_threadsafe(self._server.stop(grace), self._loop)
        future.result(timeout=grace + 10)
        self._thread.join(timeout=10)

    def __enter__(self) -> BackgroundServer:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def start_in_background(engine: Engine, config: ServerConfig) -> BackgroundServer:
    """Starts serving `engine` and returns once the socket accepts connections."""
    return BackgroundServer(engine, config).start()
