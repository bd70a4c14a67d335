"""`KsqlConfig`: where the KSQL server is and which streams properties every statement carries."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

EARLIEST = {"ksql.streams.auto.offset.reset": "earliest"}


@dataclass(frozen=True)
class KsqlConfig:
    url: str
    timeout_s: float = 30.0  # per HTTP read: a push query that stalls longer ends
    properties: Mapping[str, str] = field(default_factory=lambda: dict(EARLIEST))
