"""Helpers of the ported ksqlDB 0.29 ksqldb-common / ksqldb-execution unit tests: `Exec` and the `ex` /
`make_ex` fixtures are javaexec/'s (imported here so these tests see them too); `Rest` is a server over the
memory driver for /ksql requests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from ksqlserver.config import ServerConfig
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.server import BackgroundServer

from ..javaexec.conftest import LOG_TOPIC, PROPS, Exec, Selected, ex, make_ex

__all__ = ["LOG_TOPIC", "PROPS", "Exec", "Rest", "Selected", "ex", "make_ex", "make_rest"]


class Rest:
    """A server over the memory driver, and /ksql requests to it."""

    def __init__(self, denied: tuple[str, ...] = ()) -> None:
        self.engine = Engine(EngineConfig(service_id="default_", processing_log=False), MemoryDriver())
        self.server = BackgroundServer(
            self.engine, ServerConfig(host="127.0.0.1", port=0, denied_overrides=denied)
        ).start()

    def close(self) -> None:
        self.server.stop()
        self.engine.close()

    def ksql(self, sql: str, properties: dict[str, Any] | None = None) -> httpx.Response:
        body = {"ksql": sql, "streamsProperties": properties or {}}
        return httpx.post(self.server.url + "/ksql", json=body, timeout=30)


@pytest.fixture
def make_rest() -> Iterator[Any]:
    """A factory of `Rest` servers, `make_rest(denied=(...))`, stopped at teardown."""
    made: list[Rest] = []

    def make(denied: tuple[str, ...] = ()) -> Rest:
        made.append(Rest(denied))
        return made[-1]

    yield make
    for r in made:
        r.close()
