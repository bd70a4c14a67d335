"""`up`, `down` and `status` of the embedded stack: broker, Connect worker and KSQL server."""

from __future__ import annotations

import contextlib
import json
import subprocess
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

from fraudlab.stack.config import StackConfig
from fraudlab.stack.errors import (
    PortInUseError,
    ServiceDiedError,
    ServiceTimeoutError,
    StackConflictError,
    StackError,
)
from fraudlab.stack.jars import ensure_jars
from fraudlab.stack.ports import port_holder, port_is_free
from fraudlab.stack.prereqs import java_major_version
from fraudlab.stack.process import PidRecord, process_of, rss_bytes, spawn, stop, tail
from fraudlab.stack.security import check_profile, record_security
from fraudlab.stack.services import Service, services_for


@dataclass(frozen=True)
class ServiceStatus:
    service: str
    address: str
    pid: int | None
    started_at: str | None
    rss_mb: float | None
    healthy: bool
    reused: bool = False

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


class Stack:
    """The embedded stack described by one `StackConfig`."""

    def __init__(self, config: StackConfig) -> None:
        self.config = config
        self.services: list[Service] = services_for(config)

    # -- queries ---------------------------------------------------------------------------------
    def _record(self, svc: Service) -> PidRecord | None:
        return PidRecord.load(svc.pid_path)

    def status(self) -> list[ServiceStatus]:
        rows = []
        for svc in self.services:
            record = self._record(svc)
            proc = process_of(record) if record else None
            if proc is None:
                rows.append(ServiceStatus(svc.name, svc.address, None, None, None, False))
                continue
            rows.append(
                ServiceStatus(
                    svc.name,
                    record.address,  # type: ignore[union-attr]
                    proc.pid,
                    _iso(record.started_at),  # type: ignore[union-attr]
                    round(rss_bytes(proc) / 2**20, 1),
                    svc.healthy(),
                )
            )
        return rows

    # -- up --------------------------------------------------------------------------------------
    def up(self, progress: bool = True) -> list[ServiceStatus]:
        java_major_version(self.config.java)
        check_profile(self.config.security)
        ensure_jars(self.config)
        self.config.state_dir.mkdir(parents=True, exist_ok=True)
        self._check_conflict()
        self._preflight()
        reused: set[str] = set()
        launched: dict[str, object] = {}
        # Connect's JVM start-up (class loading, plugin scan) overlaps the broker's: it retries until
        # the broker answers. The KSQL server is started once the broker is healthy.
        for svc in self.services:
            if svc.start_after_broker:
                continue
            proc = self._launch(svc, progress)
            if proc is None:
                reused.add(svc.name)
            else:
                launched[svc.name] = proc
        for svc in self.services:
            if svc.start_after_broker:
                proc = self._launch(svc, progress)
                if proc is None:
                    reused.add(svc.name)
                    continue
                launched[svc.name] = proc
            if svc.name in launched:
                self._await(svc, launched[svc.name])
        ksql_url = self.config.ksql_url if any(s.name == "ksql" for s in self.services) else None
        (self.config.state_dir / "stack.json").write_text(
            json.dumps(
                {
                    "bootstrap_servers": self.config.bootstrap_servers,
                    "connect_url": self.config.connect_url,
                    "ksql_url": ksql_url,
                    "schema_registry_url": self.config.schema_registry_url
                    if any(s.name == "schema-registry" for s in self.services)
                    else None,
                    **record_security(self.config, ksql_url),
                }
            )
        )
        return [
            ServiceStatus(**{**row.as_dict(), "reused": row.service in reused})  # type: ignore[arg-type]
            for row in self.status()
        ]

    def _check_conflict(self) -> None:
        meta = self.config.state_dir / "stack.json"
        if not meta.is_file():
            return
        with contextlib.suppress(ValueError, OSError):
            previous = json.loads(meta.read_text())
            if previous.get("bootstrap_servers") != self.config.bootstrap_servers:
                running = [s.name for s in self.services if (r := self._record(s)) and process_of(r)]
                if running:
                    raise StackConflictError(
                        f"a stack already runs from {self.config.state_dir} at "
                        f"{previous.get('bootstrap_servers')} ({', '.join(running)}); "
                        "run 'fraudlab stack down' first or use another --state-dir"
                    )

    def _preflight(self) -> None:
        """Every port a service will need is free, before anything starts (no half-started stack)."""
        for svc in self.services:
            record = self._record(svc)
            if record is not None and process_of(record) is not None:
                continue
            ports = [(svc.name, svc.port)]
            if svc.name == "broker":
                ports.append(("broker controller", self.config.controller))
            for name, port in ports:
                if not port_is_free(port, self.config.host):
                    raise PortInUseError(name, port, port_holder(port))

    def _launch(self, svc: Service, progress: bool):  # type: ignore[no-untyped-def]
        """Start one service unless a healthy one already runs (then None); returns the process."""
        record = self._record(svc)
        if record is not None:
            proc = process_of(record)
            if proc is not None and svc.healthy():
                return None
            if proc is not None:  # alive but not answering: wait briefly, it may be starting
                if self._wait_healthy(svc, proc, min(30.0, self.config.start_timeout_s)):
                    return None
                stop(proc, self.config.stop_timeout_s)
            svc.pid_path.unlink(missing_ok=True)  # stale
        if not port_is_free(svc.port, self.config.host):
            raise PortInUseError(svc.name, svc.port, port_holder(svc.port))
        if svc.name == "broker" and not port_is_free(self.config.controller, self.config.host):
            raise PortInUseError(
                "broker controller", self.config.controller, port_holder(self.config.controller)
            )
        if progress:
            print(f"starting {svc.name} on {svc.address} ...", flush=True)
        for step in svc.prepare():
            done = subprocess.run(step, capture_output=True, text=True)
            if done.returncode != 0:
                output = (done.stdout + done.stderr)[-2000:]
                raise StackError(f"{svc.name}: preparing its storage failed:\n{output}")
        svc.log_path.parent.mkdir(parents=True, exist_ok=True)
        if svc.log_path.is_file() and svc.log_path.stat().st_size:
            # the last start's lines stay readable after a restart (a crash's cause is in them)
            svc.log_path.replace(svc.log_path.with_name("service.previous.log"))
        svc.log_path.write_text("")  # a fresh log per start, so a failure shows this start's lines
        proc = spawn(svc.command(), svc.log_path, cwd=svc.dir)
        PidRecord(proc.pid, proc.create_time(), svc.address, time.time()).save(svc.pid_path)
        return proc

    def _await(self, svc: Service, proc) -> None:  # type: ignore[no-untyped-def]
        if self._wait_healthy(svc, proc, self.config.start_timeout_s):
            return
        died = not proc.is_running() or proc.status() == "zombie"
        if not died:
            stop(proc, 5)
        svc.pid_path.unlink(missing_ok=True)
        if died:
            raise ServiceDiedError(svc.name, svc.log_path, tail(svc.log_path))
        raise ServiceTimeoutError(svc.name, self.config.start_timeout_s, svc.log_path, tail(svc.log_path))

    @staticmethod
    def _wait_healthy(svc: Service, proc, timeout_s: float) -> bool:  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            try:
                if proc.status() == "zombie" or not proc.is_running():
                    return False
            except Exception:
                return False
            if svc.healthy():
                return True
            time.sleep(0.5)
        return False

    # -- down ------------------------------------------------------------------------------------
    def down(self) -> list[tuple[str, str]]:
        """Stop services in reverse order; returns (service, 'stopped'|'killed'|'not running')."""
        results = []
        for svc in reversed(self.services + self._orphan_services()):
            record = self._record(svc)
            proc = process_of(record) if record else None
            if proc is None:
                results.append((svc.name, "not running"))
            else:
                graceful = stop(proc, self.config.stop_timeout_s)
                results.append((svc.name, "stopped" if graceful else "killed"))
            svc.pid_path.unlink(missing_ok=True)
        return results

    def _orphan_services(self) -> list[Service]:
        """A KSQL server or registry recorded by an earlier `up` even if this config would not start one."""
        from fraudlab.stack.services import Ksql, SchemaRegistry

        names = {s.name for s in self.services}
        candidates = [Ksql("ksql", self.config), SchemaRegistry("schema-registry", self.config)]
        return [s for s in candidates if s.name not in names and s.pid_path.is_file()]

    def logs(self, service: str, lines: int = 50) -> str:
        for svc in self.services + self._orphan_services():
            if svc.name == service:
                return tail(svc.log_path, lines)
        raise StackError(f"unknown service '{service}'; choose one of {[s.name for s in self.services]}")


def _iso(ts: float | None) -> str | None:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if ts else None
