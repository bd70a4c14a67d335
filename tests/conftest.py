"""Shared test helpers: where the read-only shared data lives, an in-process KSQL server, and the session's
embedded stacks (plaintext and secured)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from fraudlab.stack import StackConfig, shared_dir
from fraudlab.stack.ports import free_ports

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


@pytest.fixture(scope="session")
def secured_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StackConfig]:
    """One embedded stack in the `sasl_ssl` profile (broker, Connect, KSQL server on HTTPS with basic
    auth), shared by the security tests and the notebook run; started on first use."""
    from fraudlab.stack import Stack

    kafka, connect, ksql, registry = free_ports(4)
    config = StackConfig.default(
        state_dir=tmp_path_factory.mktemp("secured-stack"), kafka_port=kafka, connect_port=connect,
        ksql_port=ksql, schema_registry_port=registry, with_ksql=True, start_timeout_s=240.0, security="sasl_ssl",
    )
    stack = Stack(config)
    try:
        stack.up(progress=False)
    except Exception:
        stack.down()
        raise
    yield config
    stack.down()


@pytest.fixture(scope="session")
def stack_config(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StackConfig | None]:
    """The plaintext embedded stack this session started (broker, registry, Connect; no KSQL server: the
    integration tests start their own, the notebook tests one with a service id of its own), or None when
    the environment names a running one."""
    from fraudlab.stack import Stack

    if os.environ.get("FRAUDLAB_BOOTSTRAP_SERVERS"):
        yield None
        return
    kafka, connect, ksql, registry = free_ports(4)
    config = StackConfig.default(
        state_dir=tmp_path_factory.mktemp("stack"),
        kafka_port=kafka,
        connect_port=connect,
        ksql_port=ksql,
        schema_registry_port=registry,
        with_ksql=False,  # the KSQL tests start their own server against this broker
        start_timeout_s=180.0,
    )
    stack = Stack(config)
    try:
        stack.up(progress=False)
    except Exception:
        stack.down()
        raise
    yield config
    stack.down()
