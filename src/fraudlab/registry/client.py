"""`registry_client`: confluent-kafka's SchemaRegistryClient for a URL, checked to answer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import requests

from fraudlab.registry.errors import RegistryUnavailableError

DEFAULT_URL = "http://127.0.0.1:8081"


@dataclass(frozen=True)
class RegistrySettings:
    url: str = DEFAULT_URL
    timeout_s: float = 10.0
    cache_capacity: int = 1000

    def as_client_conf(self) -> dict[str, Any]:
        return {"url": self.url.rstrip("/"), "timeout": self.timeout_s, "cache.capacity": self.cache_capacity}


def check_registry(url: str, timeout_s: float = 3.0) -> None:
    """Raise `RegistryUnavailableError` unless `GET /subjects` answers."""
    try:
        resp = requests.get(f"{url.rstrip('/')}/subjects", timeout=timeout_s)
    except requests.RequestException as exc:
        raise RegistryUnavailableError(url, type(exc).__name__) from exc
    if resp.status_code != 200:
        raise RegistryUnavailableError(url, f"HTTP {resp.status_code} on /subjects")


def registry_client(settings: RegistrySettings | str, check: bool = True) -> Any:
    """A `confluent_kafka.schema_registry.SchemaRegistryClient` (lookups cached per process)."""
    from confluent_kafka.schema_registry import SchemaRegistryClient

    if isinstance(settings, str):
        settings = RegistrySettings(url=settings)
    if check:
        check_registry(settings.url, min(settings.timeout_s, 5.0))
    return SchemaRegistryClient(settings.as_client_conf())
