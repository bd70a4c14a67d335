"""What the client-suite runners share: a pinned download and a KSQL server on a broker.

`client_suite.py` (ksql-python-ng), `client_suite_npm.py` (npm ksqldb-client) and `client_readme_ksqldb.py`
(PyPI ksqldb) each fetch one published archive into the git-ignored `.cache/client-suite/` and run it
against a fresh ksqlserver; this module is those two steps.
"""

from __future__ import annotations

import hashlib
import shutil
import urllib.request
import uuid
from contextlib import ExitStack
from pathlib import Path

from fraudlab.stack import KsqlServerProcess, Stack, StackConfig
from fraudlab.stack.ports import free_ports


class SuiteError(RuntimeError):
    """A client or its suite could not be fetched or run (not a failed test or call)."""


def fetch_pinned(url: str, sha256: str, cache: Path) -> Path:
    """The file at `url`, kept in `cache` (downloaded when missing); its SHA-256 checked either way."""
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / url.rsplit("/", 1)[1]
    if not path.exists():
        partial = path.with_suffix(".part")
        with urllib.request.urlopen(url, timeout=60) as response, partial.open("wb") as out:
            shutil.copyfileobj(response, out)
        partial.rename(path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != sha256:
        path.unlink()
        raise SuiteError(f"{path.name}: SHA-256 {digest}, expected {sha256}")
    return path


def start_server(
    stack: ExitStack, tmp: Path, bootstrap: str | None, service_prefix: str, properties: list[str] | None = None
) -> tuple[KsqlServerProcess, str]:
    """A KSQL server (and, without `bootstrap`, the embedded stack on free ports) registered on `stack`,
    so both stop before `tmp`, their state directory, is removed. Returns the server and the broker."""
    repo = Path(__file__).resolve().parent.parent
    if bootstrap is None:
        kafka, connect, ksql_port, registry = free_ports(4)
        config = StackConfig.default(
            state_dir=tmp / "stack", kafka_port=kafka, connect_port=connect, ksql_port=ksql_port,
            with_ksql=False, schema_registry_port=registry,
        )  # fmt: skip
        embedded = Stack(config)
        stack.callback(embedded.down)
        embedded.up(progress=False)
        bootstrap = config.bootstrap_servers
    service_id = f"{service_prefix}_{uuid.uuid4().hex[:6]}_"
    process = KsqlServerProcess(
        bootstrap, tmp / "state", tmp / "ksqlserver.log", service_id, properties or [], cwd=repo
    )
    return stack.enter_context(process), bootstrap
