"""Fixtures for the KSQL server integration tests.

`ksql_url`: a running ksqlserver. `FRAUDLAB_KSQL_URL` names one; otherwise `python -m ksqlserver` is started
once per session against the session Kafka (`bootstrap_servers`, from `tests/integration/conftest.py`) and
its schema registry (`schema_registry_url`).
`memory_ksql_url`: a server over the in-memory driver, for the robustness tests that need no broker.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

REPO_ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    return Path(os.environ.get("FRAUDLAB_SHARED_DIR", REPO_ROOT.parent / "shared"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_ksqlserver(
    bootstrap: str, state_dir: Path, log_path: Path, timeout: float = 90.0, extra: tuple[str, ...] = ()
) -> tuple[subprocess.Popen[bytes], str]:
    """Starts `python -m ksqlserver` on a free port and waits until GET /info answers 200."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = log_path.open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ksqlserver",
            "--bootstrap-servers",
            bootstrap,
            "--listen",
            f"127.0.0.1:{port}",
            "--state-dir",
            str(state_dir),
            *extra,
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=REPO_ROOT,
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"ksqlserver exited with {process.returncode}: {log_path.read_text()[-2000:]}")
        try:
            if httpx.get(url + "/info", timeout=2).status_code == 200:
                return process, url
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    stop_ksqlserver(process)
    raise RuntimeError(f"ksqlserver did not answer /info within {timeout} s: {log_path.read_text()[-2000:]}")


def stop_ksqlserver(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def ksql_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    given = os.environ.get("FRAUDLAB_KSQL_URL")
    if given:
        yield given.rstrip("/")
        return
    bootstrap: str = request.getfixturevalue("bootstrap_servers")
    registry: str = request.getfixturevalue("schema_registry_url")  # the stack's: AVRO, PROTOBUF, JSON_SR
    base = tmp_path_factory.mktemp("ksqlserver")
    process, url = start_ksqlserver(
        bootstrap, base / "state", base / "ksqlserver.log", extra=("-p", f"ksql.schema.registry.url={registry}")
    )
    yield url
    stop_ksqlserver(process)


@pytest.fixture(scope="session")
def memory_ksql_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    base = tmp_path_factory.mktemp("ksqlserver-memory")
    process, url = start_ksqlserver("memory://", base / "state", base / "ksqlserver.log")
    yield url
    stop_ksqlserver(process)


@pytest.fixture()
def unique_name() -> Callable[[str], str]:
    """Source and topic names that cannot collide between tests or runs on a shared broker."""

    def make(prefix: str) -> str:
        return f"{prefix}_{uuid.uuid4().hex[:8]}".upper()

    return make


@pytest.fixture()
def launch_ksqlserver(
    tmp_path: Path,
) -> Iterator[Callable[[str], tuple[subprocess.Popen[bytes], str]]]:
    """Starts extra `python -m ksqlserver` processes for one test; stops any still running afterwards."""
    started: list[subprocess.Popen[bytes]] = []

    def launch(bootstrap: str) -> tuple[subprocess.Popen[bytes], str]:
        base = tmp_path / f"ksql-{len(started)}"
        base.mkdir()
        process, url = start_ksqlserver(bootstrap, base / "state", base / "ksqlserver.log")
        started.append(process)
        return process, url

    yield launch
    for process in started:
        if process.poll() is None:
            stop_ksqlserver(process)
