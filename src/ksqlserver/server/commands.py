"""The status of every command this server ran, for GET /status (REST-API.md §6)."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any


class CommandStatuses:
    """Fed with the `currentStatus` entities /ksql returned; thread-safe, bounded."""

    def __init__(self, limit: int = 10_000) -> None:
        self._lock = threading.Lock()
        self._statuses: dict[str, dict[str, Any]] = {}
        self._limit = limit

    def record(self, entities: Iterable[dict[str, Any]]) -> None:
        with self._lock:
            for entity in entities:
                command_id = entity.get("commandId") if isinstance(entity, dict) else None
                status = entity.get("commandStatus") if isinstance(entity, dict) else None
                if isinstance(command_id, str) and isinstance(status, dict):
                    self._statuses.pop(command_id, None)
                    self._statuses[command_id] = dict(status)
                    if len(self._statuses) > self._limit:
                        self._statuses.pop(next(iter(self._statuses)))

    def all(self) -> dict[str, str]:
        with self._lock:
            return {cid: str(status.get("status", "SUCCESS")) for cid, status in self._statuses.items()}

    def get(self, command_id: str) -> dict[str, Any] | None:
        with self._lock:
            status = self._statuses.get(command_id)
            return dict(status) if status is not None else None
