"""A Kafka Connect REST client for the connector statements, after ksqlDB's DefaultConnectClient.

Each call answers a `ConnectResponse`: the decoded body when Connect answered with the expected status,
else Connect's raw response body as the error text (ksqlDB puts it verbatim into its messages, e.g.
"Failed to create connector: {"error_code":409,...}"). Answers of 5xx or 409 and failed connections are
tried three times. A worker that cannot be reached at all raises `ConnectUnreachableError`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from urllib.parse import quote

from ksqlserver.errors import KsqlError

T = TypeVar("T")

_ATTEMPTS = 3


class ConnectError(KsqlError):
    """A Kafka Connect request that failed; `url` is the request's URL and `status` Connect's HTTP status
    (0: no answer)."""

    def __init__(self, message: str, url: str, status: int = 0, statement_text: str = "") -> None:
        super().__init__(message, statement_text)
        self.url = url
        self.status = status


class ConnectUnreachableError(ConnectError):
    """Connect did not answer (refused, timed out, bad address): ksqlDB's KsqlServerException out of its
    client, which the REST layer answers with 500 and the statement."""

    error_code = 50000

    def __init__(self, message: str, url: str, statement_text: str = "") -> None:
        super().__init__(message, url, 0, statement_text)
        self.status = 500


@dataclass(frozen=True)
class ConnectResponse(Generic[T]):
    """Connect's answer: `datum` when the status was the expected one, else `error` (the raw body)."""

    status: int
    datum: T | None = None
    error: str | None = None


class ConnectClient:
    """Talks to the Connect worker at `url` (ksqlDB's `ksql.connect.url`); `timeout` in seconds per request
    (`ksql.connect.request.timeout.ms`). The HTTP client is made on first use: a server whose users never
    run a connector statement pays nothing for it."""

    def __init__(self, url: str, timeout: float = 5.0, headers: Mapping[str, str] | None = None) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout
        self.headers = dict(headers or {})
        self._http: Any = None
        self._lock = threading.Lock()

    def _client(self) -> Any:
        with self._lock:
            if self._http is None:
                import httpx  # only servers that run connector statements pay for the import

                self._http = httpx.Client(timeout=self.timeout, headers=self.headers)
            return self._http

    def close(self) -> None:
        with self._lock:
            if self._http is not None:
                self._http.close()
                self._http = None

    # ---- the calls ksqlDB makes ---------------------------------------------------------------------------
    def connectors(self) -> ConnectResponse[list[str]]:
        return self._call("GET", "/connectors", (200,))

    def create(self, name: str, config: Mapping[str, str | None]) -> ConnectResponse[dict[str, Any]]:
        return self._call("POST", "/connectors", (201,), {"name": name, "config": dict(config)})

    def validate(self, plugin: str, config: Mapping[str, str | None]) -> ConnectResponse[dict[str, Any]]:
        return self._call("PUT", f"/connector-plugins/{_segment(plugin)}/config/validate", (200,), dict(config))

    def describe(self, name: str) -> ConnectResponse[dict[str, Any]]:
        return self._call("GET", f"/connectors/{_segment(name)}", (200,))

    def status(self, name: str) -> ConnectResponse[dict[str, Any]]:
        return self._call("GET", f"/connectors/{_segment(name)}/status", (200,))

    def topics(self, name: str) -> ConnectResponse[dict[str, Any]]:
        return self._call("GET", f"/connectors/{_segment(name)}/topics", (200,))

    def delete(self, name: str) -> ConnectResponse[str]:
        response: ConnectResponse[Any] = self._call("DELETE", f"/connectors/{_segment(name)}", (200, 204))
        return response if response.error is not None else ConnectResponse(response.status, name)

    def plugins(self) -> ConnectResponse[list[dict[str, Any]]]:
        return self._call("GET", "/connector-plugins", (200,))

    # ---- transport ------------------------------------------------------------------------------------------
    def _call(self, method: str, path: str, expected: tuple[int, ...], body: Any = None) -> ConnectResponse[Any]:
        url = self.url + path
        return _with_retries(lambda: self._once(method, url, expected, body), url)

    def _once(self, method: str, url: str, expected: tuple[int, ...], body: Any) -> ConnectResponse[Any]:
        response = self._client().request(method, url, json=body)
        if response.status_code not in expected:
            return ConnectResponse(response.status_code, error=response.text)
        data = response.json() if response.content else None
        return ConnectResponse(response.status_code, datum=data)


def _segment(value: str) -> str:
    """A name as one path segment (a connector called `a/b` stays one name)."""
    return quote(value, safe="")


def _with_retries(action: Callable[[], ConnectResponse[Any]], url: str) -> ConnectResponse[Any]:
    """Up to three attempts while Connect answers 5xx or 409 (a rebalance) or cannot be reached, with
    short exponential waits; the last answer is returned, a connection that never worked raised."""
    import httpx

    last: ConnectResponse[Any] | None = None
    failure: Exception | None = None
    for attempt in range(_ATTEMPTS):
        if attempt:
            time.sleep(0.002 * 2**attempt)
        try:
            last = action()
        except (httpx.HTTPError, ValueError) as exc:  # ValueError: a body that is not JSON
            failure = exc
            continue
        failure = None
        if last.status < 500 and last.status != 409:
            return last
    if last is not None:
        return last
    raise ConnectUnreachableError(_reason(url, failure), url)


def _reason(url: str, exc: Exception | None) -> str:
    base = url.split("/connectors")[0].split("/connector-plugins")[0]
    text = str(exc) if exc is not None else "no answer"
    if "refused" in text.lower() or "errno 111" in text.lower():
        text = "Connection refused"
    return f"Connect to {base} failed: {text}"
