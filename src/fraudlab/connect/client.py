"""A small client for the Kafka Connect REST API."""

from __future__ import annotations

import time
from typing import Any

import requests

from fraudlab.connect.errors import ConnectError


class ConnectClient:
    def __init__(self, url: str, timeout_s: float = 30.0) -> None:
        self.url = url.rstrip("/")
        self.timeout_s = timeout_s

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        try:
            resp = requests.request(method, f"{self.url}{path}", timeout=self.timeout_s, **kwargs)
        except requests.RequestException as exc:
            raise ConnectError(
                f"Kafka Connect at {self.url} did not answer ({exc.__class__.__name__})"
            ) from exc
        if resp.status_code >= 400:
            try:
                message = resp.json().get("message", resp.text)
            except ValueError:
                message = resp.text
            raise ConnectError(
                f"Kafka Connect {method} {path} failed ({resp.status_code}): {message}", resp.status_code
            )
        return resp.json() if resp.content else None

    def plugins(self) -> list[dict[str, str]]:
        return self._call("GET", "/connector-plugins")

    def connectors(self) -> list[str]:
        return self._call("GET", "/connectors")

    def put_config(self, name: str, config: dict[str, str]) -> dict[str, Any]:
        """Create or update a connector (idempotent)."""
        return self._call("PUT", f"/connectors/{name}/config", json=config)

    def status(self, name: str) -> dict[str, Any]:
        return self._call("GET", f"/connectors/{name}/status")

    def delete(self, name: str) -> None:
        try:
            self._call("DELETE", f"/connectors/{name}")
        except ConnectError as exc:
            if exc.status != 404:
                raise

    def failure(self, name: str) -> str | None:
        """The trace of a FAILED connector or task, or None while everything runs."""
        try:
            st = self.status(name)
        except ConnectError as exc:
            if exc.status == 404:
                return None
            raise
        for part in [st.get("connector", {}), *st.get("tasks", [])]:
            if part.get("state") == "FAILED":
                return part.get("trace", "failed without a trace")
        return None

    def wait_running(self, name: str, timeout_s: float = 60.0) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            trace = self.failure(name)
            if trace:
                raise ConnectError(f"connector {name} failed: {trace.splitlines()[0]}")
            try:
                st = self.status(name)
            except ConnectError:
                st = {}
            tasks = st.get("tasks", [])
            if tasks and all(t.get("state") == "RUNNING" for t in tasks):
                return
            time.sleep(0.25)
        raise ConnectError(f"connector {name} did not start its tasks within {timeout_s:.0f} s")
