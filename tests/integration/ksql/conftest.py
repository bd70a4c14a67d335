"""Fixtures for the KSQL server integration tests.

`ksql_url`: a running ksqlserver. `FRAUDLAB_KSQL_URL` names one; otherwise `python -m ksqlserver` is started
once per session against the session Kafka (`bootstrap_servers`, from `tests/integration/conftest.py`).
`memory_ksql_url`: a server over the in-memory driver, for the robustness tests that need no broker.
`launch_ksqlserver`: more servers for one test. All are `fraudlab.stack.KsqlServerProcess`es, the one
"start a KSQL server and wait for it" of the tests, the benchmarks and the stack.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from fraudlab.stack import KsqlServerProcess

REPO_ROOT = Path(__file__).resolve().parents[3]


def start_ksqlserver(
    bootstrap: str, base: Path, service_id: str | None = None, extra_args: Sequence[str] = ()
) -> KsqlServerProcess:
    """`python -m ksqlserver` on a free port with its state and log under `base`, once /info answers."""
    server = KsqlServerProcess(bootstrap, base / "state", base / "ksqlserver.log", service_id=service_id,
                               extra_args=extra_args, cwd=REPO_ROOT)
    return server.start()


@pytest.fixture(scope="session")
def ksql_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    given = os.environ.get("FRAUDLAB_KSQL_URL")
    if given:
        yield given.rstrip("/")
        return
    bootstrap: str = request.getfixturevalue("bootstrap_servers")
    with start_ksqlserver(bootstrap, tmp_path_factory.mktemp("ksqlserver")) as server:
        yield server.url


@pytest.fixture(scope="session")
def memory_ksql_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with start_ksqlserver("memory://", tmp_path_factory.mktemp("ksqlserver-memory")) as server:
        yield server.url


@pytest.fixture()
def unique_name() -> Callable[[str], str]:
    """Source and topic names that cannot collide between tests or runs on a shared broker."""

    def make(prefix: str) -> str:
        return f"{prefix}_{uuid.uuid4().hex[:8]}".upper()

    return make


@pytest.fixture()
def launch_ksqlserver(tmp_path: Path) -> Iterator[Callable[..., KsqlServerProcess]]:
    """Starts extra `python -m ksqlserver` processes for one test (options: service_id, extra_args);
    stops any still running afterwards."""
    started: list[KsqlServerProcess] = []

    def launch(bootstrap: str, service_id: str | None = None, extra_args: Sequence[str] = ()) -> KsqlServerProcess:
        started.append(start_ksqlserver(bootstrap, tmp_path / f"ksql-{len(started)}", service_id, extra_args))
        return started[-1]

    yield launch
    for server in started:
        server.stop()
