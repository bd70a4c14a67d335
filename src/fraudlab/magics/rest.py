"""The magics' only way to KSQL: its REST API. Statements go through the project's ksql-python client
(`/ksql`); queries stream from `/query` with httpx, so that a reader sees every chunk (ksqlDB's
keep-alive newlines included) and can stop between two of them. Works the same on real ksqlDB."""

from __future__ import annotations

import json
import ssl
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

import httpx

# the project's KSQL client (fraudlab.ksql): imported in this one place of the magics
from fraudlab.ksql import KsqlConfig, KsqlConnectionError, client, split_statements
from fraudlab.ksql.client import refusal_reason
from fraudlab.ksql.config import AUTH_PREFIX
from fraudlab.magics.errors import KsqlServerError, ServerUnreachableError

__all__ = ["AUTH_PREFIX", "KsqlConfig", "KsqlRest", "QueryHeader", "split_statements"]

HEADERS = {"Content-Type": "application/vnd.ksql.v1+json; charset=utf-8"}  # as ksql-python sends


@dataclass(frozen=True)
class QueryHeader:
    query_id: str | None
    columns: list[str]
    types: list[str]


def schema_columns(schema: str) -> tuple[list[str], list[str]]:
    """Column names and types from a /query header's schema ("`ID` INTEGER KEY, `S` STRUCT<`A` INT, ...>"):
    split at the commas outside backquotes and angle brackets."""
    parts: list[str] = []
    depth, quoted, start = 0, False, 0
    for i, ch in enumerate(schema):
        if ch == "`":
            quoted = not quoted
        elif not quoted and ch == "<":
            depth += 1
        elif not quoted and ch == ">":
            depth -= 1
        elif not quoted and depth == 0 and ch == ",":
            parts.append(schema[start:i])
            start = i + 1
    parts.append(schema[start:])
    names, types = [], []
    for part in (p.strip() for p in parts if p.strip()):
        if part.startswith("`"):
            end = part.index("`", 1)
            names.append(part[1:end])
            types.append(part[end + 1 :].strip())
        else:
            name, _, kind = part.partition(" ")
            names.append(name)
            types.append(kind.strip())
    return names, types


def _decode_line(line: str) -> Any:
    """One line of /query's JSON array (`[{...},`, `{...},`, `{...}]`), or None for a blank one."""
    text = line.strip()
    if text in ("", "[", "]", ","):
        return None
    for candidate in (text, text.rstrip(","), text.lstrip("[").rstrip(","), text.rstrip("]"), text.lstrip("[").rstrip("]")):
        try:
            return json.loads(candidate)
        except ValueError:
            continue
    raise KsqlServerError(f"cannot read the query response line {text[:200]!r}", "")


class KsqlRest:
    """A KSQL server's REST API for one notebook session. `config` carries the server's URL and, for a
    secured server, the basic-auth user and the CA of its certificate (`KsqlConfig.with_client_properties`);
    a bare URL means an open server."""

    def __init__(self, config: KsqlConfig | str, timeout_s: float = 30.0) -> None:
        if isinstance(config, str):
            config = KsqlConfig(config)
        # the magics send their own request properties with each statement, not the pipeline's defaults
        self.config = replace(config, url=config.url.rstrip("/"), timeout_s=timeout_s, properties={})
        self.url = self.config.url
        self.timeout_s = timeout_s
        self._api: Any = None
        self._server_properties: dict[str, str] | None = None

    def _http(self) -> dict[str, Any]:
        """httpx's auth and verify arguments for this server."""
        c = self.config
        auth = (c.username, str(c.password or "")) if c.username else None
        verify: ssl.SSLContext | bool = True
        if c.ca_location and self.url.startswith("https://"):
            try:
                verify = ssl.create_default_context(cafile=c.ca_location)
            except OSError as exc:
                raise ServerUnreachableError(self.url, f"cannot read the server's CA {c.ca_location}: "
                                                       f"{exc.strerror or exc}") from exc
        return {"auth": auth, "verify": verify}

    def _refused(self, exc: Exception) -> ServerUnreachableError:
        return ServerUnreachableError(self.url, refusal_reason(self.config, exc))

    def info(self) -> dict[str, Any]:
        try:
            resp = httpx.get(f"{self.url}/info", timeout=self.timeout_s, **self._http())
        except httpx.HTTPError as exc:
            raise self._refused(exc) from exc
        if resp.status_code == 401:
            who = f"user '{self.config.username}'" if self.config.username else "no credentials"
            raise ServerUnreachableError(
                self.url, f"HTTP 401: the server requires basic auth and refused {who} "
                          "(%ksql_connect --state-dir DIR or --client-config FILE gives a secured stack's)")
        if resp.status_code != 200:
            raise ServerUnreachableError(self.url, f"/info answered HTTP {resp.status_code}")
        return dict(resp.json().get("KsqlServerInfo") or {})

    def _client(self) -> Any:
        if self._api is None:
            try:
                self._api = client(self.config)
            except KsqlConnectionError as exc:  # the client's own check of /info, already one line
                raise ServerUnreachableError(self.url, exc.reason) from exc
            except httpx.HTTPError as exc:
                raise self._refused(exc) from exc
            except ValueError as exc:
                raise ServerUnreachableError(self.url, str(exc)) from exc
        return self._api

    def execute(self, statement: str, properties: Mapping[str, str]) -> list[dict[str, Any]]:
        """One statement through /ksql; ksqlDB's error text as KsqlServerError."""
        from ksql.errors import KSQLError

        try:
            response = self._client().ksql(statement, stream_properties=dict(properties))
        except KSQLError as exc:
            raise KsqlServerError(getattr(exc, "msg", None) or str(exc), statement, getattr(exc, "error_code", None)) from exc
        except httpx.TransportError as exc:
            raise self._refused(exc) from exc
        except ValueError as exc:  # an HTTP error body the client could not read as an error entity
            raise KsqlServerError(str(exc), statement) from exc
        return [e for e in response if isinstance(e, dict)]

    def server_properties(self) -> dict[str, str]:
        """SHOW PROPERTIES, once per session (the server's defaults for new queries)."""
        if self._server_properties is None:
            entities = self.execute("SHOW PROPERTIES;", {})
            self._server_properties = {
                str(p.get("name")): str(p.get("value")) for e in entities for p in e.get("properties") or []
            }
        return self._server_properties

    def close_query(self, query_id: str) -> bool:
        return close_query(self.url, query_id, self.timeout_s)

    def stream(self, statement: str, properties: Mapping[str, str], stop: threading.Event) -> Iterator[Any]:
        """The decoded objects of a /query response (header, rows, final message), until it ends or `stop`
        is set (checked at every chunk). ksqlDB sends nothing while a push query is idle: the caller
        ends an idle query with /close-query, which ends this response."""
        body = json.dumps({"ksql": statement, "streamsProperties": dict(properties)})
        timeout = httpx.Timeout(self.timeout_s, read=max(self.timeout_s, 60.0))
        try:
            with httpx.stream("POST", f"{self.url}/query", content=body, headers=HEADERS, timeout=timeout,
                              **self._http()) as resp:
                if resp.status_code != 200:
                    text = resp.read().decode("utf-8", errors="replace")
                    raise KsqlServerError(_error_text(text), statement, _error_code(text))
                buffer = ""
                for chunk in resp.iter_text():
                    if stop.is_set():
                        return
                    buffer += chunk
                    *lines, buffer = buffer.split("\n")
                    for line in lines:
                        item = _decode_line(line)
                        if item is not None:
                            yield item
                item = _decode_line(buffer)
                if item is not None:
                    yield item
        except httpx.TransportError as exc:
            if not stop.is_set():
                raise self._refused(exc) from exc


def close_query(url: str, query_id: str, timeout_s: float = 5.0) -> bool:
    """POST /close-query: the server ends that push query's response (True when it knew the id)."""
    try:
        resp = httpx.post(f"{url}/close-query", json={"queryId": query_id}, headers=HEADERS, timeout=timeout_s)
    except httpx.TransportError:
        return False
    return resp.status_code == 200


def _error_text(body: str) -> str:
    try:
        entity = json.loads(body)
    except ValueError:
        return body.strip() or "the server gave no reason"
    if isinstance(entity, dict):
        return str(entity.get("message") or body)
    return body


def _error_code(body: str) -> int | None:
    try:
        entity = json.loads(body)
    except ValueError:
        return None
    return entity.get("error_code") if isinstance(entity, dict) else None
