"""Fixtures of the javaapi/ ports: a server whose engine talks to the fake Kafka Connect worker (the
`connect` fixture of tests/unit/ksqlserver/conftest.py), for the connector executors' tests."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from ksqlserver.config import ServerConfig
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.server import BackgroundServer


class ConnectServer:
    """A server with `ksql.connect.url` at the fake worker; `fake` is the worker's state."""

    def __init__(self, fake: Any, url: str) -> None:
        self.fake = fake
        self.driver = MemoryDriver()
        self.engine = Engine(
            EngineConfig(processing_log=False, command_topic=False, connect_url=url), self.driver
        )
        self.server = BackgroundServer(self.engine, ServerConfig(host="127.0.0.1", port=0)).start()

    def request(self, sql: str) -> httpx.Response:
        return httpx.post(self.server.url + "/ksql", json={"ksql": sql, "streamsProperties": {}}, timeout=30)

    def one(self, sql: str) -> dict[str, Any]:
        r = self.request(sql)
        assert r.status_code == 200, r.text
        [entity] = r.json()
        return dict(entity)

    def fail(self, sql: str, status: int) -> dict[str, Any]:
        r = self.request(sql)
        assert r.status_code == status, r.text
        return dict(r.json())

    def close(self) -> None:
        self.server.stop()
        self.engine.close()


@pytest.fixture()
def connect_server(connect: tuple[Any, str]) -> Iterator[ConnectServer]:
    served = ConnectServer(*connect)
    yield served
    served.close()


def _ws_messages(server: Any, sql: str) -> list[Any]:
    """Every text message of a /ws/query request until the server closes the socket (then ("close", code,
    reason)), read by websocket-client."""
    import websocket  # websocket-client

    query = urlencode({"request": json.dumps({"ksql": sql, "streamsProperties": {}})})
    ws = websocket.create_connection(
        server.url.replace("http://", "ws://") + "/ws/query?" + query, timeout=30
    )
    messages: list[Any] = []
    try:
        while True:
            opcode, data = ws.recv_data()
            if opcode == websocket.ABNF.OPCODE_CLOSE:
                messages.append(("close", int.from_bytes(data[:2], "big"), data[2:].decode()))
                break
            messages.append(data.decode())
    finally:
        ws.close()
    return messages


@pytest.fixture()
def ws_messages() -> Callable[[Any, str], list[Any]]:
    return _ws_messages
