"""The KSQL server as a program: its command line, its health check, and `KsqlServerProcess`, one
`python -m ksqlserver` child process started and waited for (tests and benchmarks run their own
servers with it: other service ids, extension dirs, restarts and kills).

The stack's `Ksql` service builds its command and asks whether it answers through the same two
functions, so there is one definition of how the server is started and when it counts as up.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

import requests

from fraudlab.stack.errors import ServiceDiedError, ServiceTimeoutError
from fraudlab.stack.ports import free_ports
from fraudlab.stack.process import tail


def ksqlserver_command(
    bootstrap_servers: str,
    listen: str,
    state_dir: Path,
    service_id: str | None = None,
    extra_args: Sequence[str] = (),
    python: str | None = None,
) -> list[str]:
    """`python -m ksqlserver` against `bootstrap_servers` (or `memory://`), listening on host:port."""
    command = [python or sys.executable, "-m", "ksqlserver", "--bootstrap-servers", bootstrap_servers,
               "--listen", listen, "--state-dir", str(state_dir)]  # fmt: skip
    if service_id is not None:
        command += ["--service-id", service_id]
    return [*command, *extra_args]


def ksql_server_answers(
    url: str,
    service_id: str | None = None,
    timeout_s: float = 3.0,
    auth: tuple[str, str] | None = None,
    verify: bool | str = True,
) -> bool:
    """GET /info answers 200 (and names `service_id`, when given: then it is this server answering,
    not another process that took the port in between). `auth`: basic auth of a secured server;
    `verify`: the CA file of an https server (or True: the system's trust)."""
    try:
        resp = requests.get(f"{url}/info", timeout=timeout_s, auth=auth, verify=verify)
    except requests.RequestException:
        return False
    if resp.status_code != 200:
        return False
    if service_id is None:
        return True
    try:
        return resp.json()["KsqlServerInfo"]["ksqlServiceId"] == service_id
    except (ValueError, KeyError, TypeError):
        return False


class KsqlServerProcess:
    """One `python -m ksqlserver` child process on a free loopback port, its output appended to
    `log_path`. `start()` returns once /info answers (ServiceDiedError or ServiceTimeoutError, with the
    log's last lines, otherwise); `stop()` sends a signal and waits. Also a context manager."""

    def __init__(
        self,
        bootstrap_servers: str,
        state_dir: Path,
        log_path: Path | None = None,
        service_id: str | None = None,
        extra_args: Sequence[str] = (),
        host: str = "127.0.0.1",
        cwd: Path | None = None,
    ) -> None:
        self.bootstrap_servers = bootstrap_servers
        self.state_dir = Path(state_dir)
        self.log_path = Path(log_path) if log_path is not None else self.state_dir.parent / "ksqlserver.log"
        self.service_id = service_id
        self.extra_args = tuple(extra_args)
        self.host = host
        self.cwd = cwd
        self.process: subprocess.Popen[bytes] | None = None
        self.url = ""

    def start(self, timeout_s: float = 90.0) -> KsqlServerProcess:
        port = free_ports(1, self.host)[0]
        self.url = f"http://{self.host}:{port}"
        self.state_dir.mkdir(parents=True, exist_ok=True)
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        command = ksqlserver_command(self.bootstrap_servers, f"{self.host}:{port}", self.state_dir,
                                     self.service_id, self.extra_args)
        with self.log_path.open("ab") as log:  # appended: a restart keeps the earlier run's lines
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=self.cwd)
        deadline = time.monotonic() + timeout_s
        while not ksql_server_answers(self.url, self.service_id, timeout_s=2.0):
            if self.process.poll() is not None:
                raise ServiceDiedError("ksqlserver", self.log_path, tail(self.log_path, 30))
            if time.monotonic() > deadline:
                self.stop(signal.SIGKILL)
                raise ServiceTimeoutError("ksqlserver", timeout_s, self.log_path, tail(self.log_path, 30))
            time.sleep(0.2)
        return self

    @property
    def pid(self) -> int:
        assert self.process is not None, "not started"
        return self.process.pid

    @property
    def returncode(self) -> int | None:
        return None if self.process is None else self.process.returncode

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, sig: int = signal.SIGTERM, timeout_s: float = 30.0) -> int | None:
        """Send `sig` (SIGTERM: a graceful stop; SIGKILL: a crash) and wait; a process still alive
        after `timeout_s` is killed. Returns the exit code."""
        process = self.process
        if process is None:
            return None
        if process.poll() is None:
            process.send_signal(sig)
            try:
                process.wait(timeout=timeout_s)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        return process.returncode

    def __enter__(self) -> KsqlServerProcess:
        return self if self.running() else self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
