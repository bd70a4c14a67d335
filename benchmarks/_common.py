"""Helpers shared by the benchmarks: a throwaway embedded stack, the real data as DELIMITED lines."""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import requests

from fraudlab.stack import Stack, StackConfig
from fraudlab.stack.ports import free_ports

REPO = Path(__file__).resolve().parents[1]


def shared_dir() -> Path:
    return Path(os.environ.get("FRAUDLAB_SHARED_DIR", REPO.parent / "shared"))


@contextlib.contextmanager
def embedded_stack(
    bootstrap_servers: str | None = None, with_ksql: bool = False
) -> Iterator[StackConfig | str]:
    """Yield `bootstrap_servers` if given, else start a stack on free ports and stop it afterwards."""
    if bootstrap_servers:
        yield bootstrap_servers
        return
    kafka, connect, ksql = free_ports(3)
    with tempfile.TemporaryDirectory(prefix="fraudlab-bench-") as tmp:
        config = StackConfig.default(
            state_dir=Path(tmp), kafka_port=kafka, connect_port=connect, ksql_port=ksql, with_ksql=with_ksql
        )
        stack = Stack(config)
        try:
            stack.up(progress=False)
            yield config
        finally:
            stack.down()


def creditcard_lines(rows: int, data: Path | None = None) -> list[bytes]:
    """`rows` DELIMITED lines of the real Kaggle file (cycled if more are asked for than it has)."""
    path = data or shared_dir() / "data" / "creditcard.csv.gz"
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as fh:
        lines = fh.read().splitlines()[1:]
    out = lines * (rows // len(lines)) + lines[: rows % len(lines)]
    return out


def json_lines(lines: list[bytes]) -> list[bytes]:
    """Kaggle DELIMITED lines as the JSON objects a CSAS to JSON writes: upper-case names (as the
    pipeline's features topic carries them), numbers as doubles, CLASS as text."""
    names = ["TIME", *(f"V{i}" for i in range(1, 29)), "AMOUNT"]
    out = []
    for line in lines:
        *values, klass = line.decode().split(",")
        doc: dict[str, object] = {n: float(v) for n, v in zip(names, values, strict=True)}
        doc["CLASS"] = klass.strip('"')
        out.append(json.dumps(doc, separators=(",", ":")).encode())
    return out


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def ksqlserver_process(
    bootstrap: str, state_dir: Path, extra_args: tuple[str, ...] = (), timeout_s: float = 90.0
) -> Iterator[str]:
    """A `python -m ksqlserver` subprocess on a free port; yields its URL once /info answers, and
    stops it (SIGTERM, then SIGKILL) afterwards. Its log is `state_dir/ksqlserver.log`."""
    port = free_port()
    state_dir.mkdir(parents=True, exist_ok=True)
    log_path = state_dir / "ksqlserver.log"
    command = [sys.executable, "-m", "ksqlserver", "--bootstrap-servers", bootstrap,
               "--listen", f"127.0.0.1:{port}", "--state-dir", str(state_dir / "state"), *extra_args]  # fmt: skip
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            if process.poll() is not None:
                raise SystemExit(f"ksqlserver exited: {log_path.read_text()[-1500:]}")
            with contextlib.suppress(requests.RequestException):
                if requests.get(url + "/info", timeout=2).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise SystemExit(f"ksqlserver did not start within {timeout_s:.0f} s")
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
