"""Shared test helpers: where the read-only shared data lives, and an in-process KSQL server."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from fraudlab.stack import shared_dir

REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def shared() -> Path:
    path = shared_dir(os.environ, REPO_ROOT)
    if not path.is_dir():
        pytest.fail(f"the shared data folder {path} is missing (set FRAUDLAB_SHARED_DIR)")
    return path


@pytest.fixture(scope="session")
def seed_dir(shared: Path) -> Path:
    return shared / "data" / "seed"


@pytest.fixture()
def ksql_in_process() -> Iterator[Callable[..., tuple[Any, Any, str]]]:
    """Starts ksqlserver's REST server in this process over in-memory topics (synchronous queries):
    `start(extension_dir=None)` returns (engine, driver, url). No broker needed; stopped afterwards."""
    from ksqlserver.config import ServerConfig
    from ksqlserver.drivers.memory import MemoryDriver
    from ksqlserver.engine import Engine, EngineConfig
    from ksqlserver.server import BackgroundServer

    servers = contextlib.ExitStack()

    def start(extension_dir: Path | None = None) -> tuple[Any, Any, str]:
        driver = MemoryDriver()
        config = EngineConfig(service_id="nb_", synchronous=True, extension_dir=extension_dir,
                              properties={"ksql.streams.auto.offset.reset": "earliest"})
        engine = Engine(config, driver)
        server = servers.enter_context(BackgroundServer(engine, ServerConfig(port=0)))
        return engine, driver, server.url

    with servers:
        yield start
