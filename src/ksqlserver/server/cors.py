"""Cross-origin requests, as ksqlDB 0.29's KsqlCorsHandler sets up Vert.x 4.3's CorsHandler: on when
`access.control.allow.origin` is set (comma-separated origins, `*` wildcards; `*` alone allows any origin),
with `access.control.allow.methods` / `access.control.allow.headers` (defaults GET,POST,HEAD and
X-Requested-With,Content-Type,Accept,Origin) and credentials allowed. Paths under /ws/ are left alone."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ksqlserver.server.exchange import Responder

DEFAULT_METHODS = ("GET", "POST", "HEAD")
DEFAULT_HEADERS = ("X-Requested-With", "Content-Type", "Accept", "Origin")
EXCLUDED_PATH_PREFIXES = ("/ws/",)


def wildcards_to_regex(csv: str) -> str:
    """ServerUtils.convertCommaSeparatedWilcardsToRegex: `.`, `+`, `?`, `-` literal, `*` any run."""
    parts = []
    for part in csv.split(","):
        part = part.strip()
        for ch in ".+?-":
            part = part.replace(ch, "\\" + ch)
        parts.append(part.replace("*", ".*"))
    return "|".join(parts)


@dataclass(frozen=True)
class CorsPolicy:
    """What CorsHandler checks and answers. `pattern` None: every origin (`*`)."""

    pattern: re.Pattern[str] | None
    methods: tuple[str, ...]
    headers: tuple[str, ...]

    @classmethod
    def from_settings(
        cls, allow_origin: str, methods: Sequence[str] = (), headers: Sequence[str] = ()
    ) -> CorsPolicy | None:
        """KsqlCorsHandler.setupCorsHandler: no handler at all when the origin setting is blank."""
        if not allow_origin.strip():
            return None
        regex = wildcards_to_regex(allow_origin)
        pattern = None if regex == ".*" and allow_origin.strip() == "*" else re.compile(regex)
        return cls(
            pattern,
            tuple(dict.fromkeys(m.strip().upper() for m in methods if m.strip())) or DEFAULT_METHODS,
            tuple(dict.fromkeys(h.strip() for h in headers if h.strip())) or DEFAULT_HEADERS,
        )

    def allows(self, origin: str) -> bool:
        return self.pattern is None or self.pattern.fullmatch(origin) is not None

    @staticmethod
    def applies_to(path: str) -> bool:
        return not path.startswith(EXCLUDED_PATH_PREFIXES)

    def preflight_headers(self) -> list[tuple[str, str]]:
        return [
            ("access-control-allow-methods", ",".join(self.methods)),
            ("access-control-allow-headers", ",".join(self.headers)),
        ]


def origin_headers(origin: str) -> list[tuple[str, str]]:
    """CorsHandlerImpl.addCredentialsAndOriginHeader with credentials allowed: the exact origin, never `*`."""
    return [("access-control-allow-credentials", "true"), ("access-control-allow-origin", origin)]


class HeaderAddingResponder:
    """A responder that adds the CORS headers to whatever response the endpoint starts."""

    def __init__(self, inner: Responder, headers: list[tuple[str, str]]) -> None:
        self._inner = inner
        self._headers = headers

    async def start(self, status: int, headers: list[tuple[str, str]]) -> None:
        await self._inner.start(status, [*headers, *self._headers])

    async def send(self, data: bytes) -> None:
        await self._inner.send(data)

    async def send_many(self, pieces: list[bytes]) -> None:
        await self._inner.send_many(pieces)

    async def end(self) -> None:
        await self._inner.end()

    @property
    def disconnected(self) -> asyncio.Event:
        return self._inner.disconnected

    @property
    def started(self) -> bool:
        return self._inner.started
