"""Detached service processes: start with a log file, remember them in a pid file, stop them."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import psutil


@dataclass(frozen=True)
class PidRecord:
    """What `up` writes so that `status` and `down` find the process again (and not a reused pid)."""

    pid: int
    create_time: float
    address: str
    started_at: float

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self)))

    @classmethod
    def load(cls, path: Path) -> PidRecord | None:
        try:
            return cls(**json.loads(path.read_text()))
        except (OSError, ValueError, TypeError):
            return None


def process_of(record: PidRecord) -> psutil.Process | None:
    """The live process the record names, or None (gone, zombie, or the pid was reused)."""
    try:
        proc = psutil.Process(record.pid)
        if abs(proc.create_time() - record.create_time) > 1.0 or proc.status() == psutil.STATUS_ZOMBIE:
            return None
        return proc
    except psutil.Error:
        return None


def spawn(cmd: list[str], log_path: Path, cwd: Path, env: dict[str, str] | None = None) -> psutil.Process:
    """Start `cmd` in its own session (so Ctrl-C in the caller's terminal leaves it running)."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("ab") as log:
        popen = subprocess.Popen(
            cmd,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=cwd,
            env=env,
            start_new_session=True,
        )
    return psutil.Process(popen.pid)


def stop(proc: psutil.Process, timeout_s: float) -> bool:
    """SIGTERM, then SIGKILL after `timeout_s`; True if it ended gracefully."""
    with contextlib.suppress(psutil.Error):
        proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout_s)
        return True
    except psutil.TimeoutExpired:
        with contextlib.suppress(psutil.Error):
            proc.kill()
            proc.wait(10)
        return False
    except psutil.Error:
        return True


def rss_bytes(proc: psutil.Process) -> int:
    with contextlib.suppress(psutil.Error):
        return proc.memory_info().rss
    return 0


def tail(path: Path, lines: int = 15) -> str:
    try:
        with path.open("rb") as fh:
            fh.seek(0, os.SEEK_END)
            size = fh.tell()
            fh.seek(max(0, size - 64 * 1024))
            text = fh.read().decode(errors="replace")
    except OSError:
        return "(no log)"
    return "\n".join(text.splitlines()[-lines:])


def wait_until(predicate, timeout_s: float, interval_s: float = 0.25) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval_s)
    return False
