"""GET /ws/query: a query or PRINT streamed over a WebSocket, as ksqlDB's WSQueryEndpoint does (the
endpoint of its old CLI and web UIs). Parameters: `request` (a KsqlRequest as JSON: ksql,
streamsProperties, sessionVariables) and an optional `version` (1).

What goes out, one text message each (WebSocketSubscriber, PollingSubscription, SessionUtil):
- first, for a query, the schema as EntityUtil.buildSourceSchemaEntity lists it (a push query's value
  columns; a pull query's result columns, keys typed KEY);
- each row as a StreamedRow (`{"row":{"columns":[...]}}`), each PRINT line as a JSON string;
- at the end `{"error":"done"}` and close code 1000 "done"; on a failure `{"error": message}` and close
  code 1003 (a bad request) or 1011 (the query failed), the reason cut to 123 bytes with "...";
- after ksql.websocket.connection.max.timeout.ms (an hour by default; 0: never) `{"error":"The request
  token has expired."}` and close code 1011.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import logging
from collections.abc import Callable, Mapping
from concurrent.futures import Executor
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import parse_qs

from ksqlserver.catalog.types import parse_type
from ksqlserver.errors import KsqlError
from ksqlserver.server.errors import HttpError
from ksqlserver.server.exchange import Request, Responder
from ksqlserver.server.websocket import HandshakeError, WebSocket
from ksqlserver.statements.entities import schema_json

if TYPE_CHECKING:
    from ksqlserver.config import ServerConfig
    from ksqlserver.engine import Engine, PushQuery

log = logging.getLogger(__name__)

NORMAL_CLOSURE, INVALID_MESSAGE_TYPE, INTERNAL_SERVER_ERROR = 1000, 1003, 1011
REASON_BYTES, ELLIPSIS = 123, "..."
MAX_TIMEOUT = "ksql.websocket.connection.max.timeout.ms"  # KsqlConfig, 3600000 by default
TOKEN_EXPIRED = "The request token has expired."


class QueryHost(Protocol):
    """What /ws/query shares with the HTTP streaming routes (server.routes.KsqlRoutes)."""

    engine: Engine
    config: ServerConfig
    poll_pool: Executor

    def check_overrides(self, properties: Mapping[str, Any]) -> None: ...

    def check_push_capacity(self, query: PushQuery, sql: str) -> None: ...

    async def run_query_call(self, fn: Callable[..., Any], *args: Any) -> Any: ...

    def register(self, query: PushQuery) -> None: ...

    def unregister(self, query: PushQuery) -> None: ...


def truncate(reason: str) -> str:
    """SessionUtil.truncate: a close reason fits 123 UTF-8 bytes, a longer one ends in "..."."""
    if len(reason.encode("utf-8")) <= REASON_BYTES:
        return reason
    cut = reason[: REASON_BYTES - len(ELLIPSIS)]
    while len(cut.encode("utf-8")) > REASON_BYTES - len(ELLIPSIS):
        cut = cut[:-2]
    return cut + ELLIPSIS


async def close_with(ws: WebSocket, code: int, message: str) -> None:
    """SessionUtil.closeSilently: `{"error": message}`, then the close frame; a peer already gone is fine."""
    with contextlib.suppress(ConnectionError):
        await ws.send_text(json.dumps({"error": message}, separators=(",", ":")))
    await ws.close(code, truncate(message))


class WsRequestError(ValueError):
    """A /ws/query request WSQueryEndpoint refuses before running anything (closed with 1003)."""


def parse_request(query_string: str) -> tuple[str, dict[str, Any], dict[str, str]]:
    """(ksql, streamsProperties, sessionVariables) of the `request` parameter, after validateVersion."""
    params = {k: v[-1] for k, v in parse_qs(query_string, keep_blank_values=True).items()}
    version = params.get("version")
    if version is not None and version.strip() != "1":  # KsqlMediaType.valueOf("JSON", version): only v1
        raise WsRequestError(f"Received invalid api version: {version}")
    raw = params.get("request")
    try:
        if not raw:
            raise ValueError("missing request parameter")
        try:
            body = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise ValueError(str(exc)) from None
        if not isinstance(body, dict):
            raise ValueError("request must be a JSON object")
        ksql = body.get("ksql")
        if not isinstance(ksql, str) or not ksql:
            raise ValueError('"ksql" field of "request" must be populated')
        properties = body.get("streamsProperties") or {}
        variables = body.get("sessionVariables") or {}
        if not isinstance(properties, dict) or not isinstance(variables, dict):
            raise ValueError("streamsProperties and sessionVariables must be JSON objects")
    except ValueError as exc:
        raise WsRequestError(f"Error parsing request: {exc}") from None
    return ksql, properties, {str(k): str(v) for k, v in variables.items()}


def schema_message(query: PushQuery) -> str:
    """EntityUtil.buildSourceSchemaEntity of what PollingSubscription hands onSchema."""
    fields = []
    for name, text in query.columns:
        field: dict[str, Any] = {"name": name, "schema": schema_json(parse_type(text))}
        if query.is_pull and query.schema and f"`{name}` {text} KEY" in query.schema:
            field["type"] = "KEY"
        fields.append(field)
    return json.dumps(fields, separators=(",", ":"))


def row_message(values: list[Any]) -> str:
    row: dict[str, Any] = {"columns": list(values)}
    if getattr(values, "tombstone", False):
        row["tombstone"] = True
    return json.dumps({"row": row}, separators=(",", ":"))


async def ws_query(routes: QueryHost, request: Request, responder: Responder) -> None:
    ws: WebSocket | None = request.websocket
    if ws is None:
        raise HttpError(400, 40000, "/ws/query needs a WebSocket upgrade request")
    try:
        await ws.accept()
    except HandshakeError as exc:
        raise HttpError(400, 40000, f"WebSocket handshake failed: {exc}") from None
    expiry = _expire_later(routes, ws)
    try:
        await _serve(routes, request, ws)
    finally:
        if expiry is not None:
            expiry.cancel()


def _expire_later(routes: QueryHost, ws: WebSocket) -> asyncio.TimerHandle | None:
    """WSQueryEndpoint.executeStreamQuery: with ksql.websocket.connection.max.timeout.ms above 0
    (AuthenticationUtil.getTokenTimeout; no auth token provider here, so that timeout alone), the socket is
    closed that long after the request came, with 1011 "The request token has expired." (SessionUtil.
    closeSilently), whatever the query is doing."""
    try:
        timeout_ms = int(str(routes.engine.server_props.get(MAX_TIMEOUT, "3600000")).strip())
    except ValueError:
        return None
    if timeout_ms <= 0:
        return None
    loop = asyncio.get_running_loop()
    return loop.call_later(
        timeout_ms / 1000, lambda: loop.create_task(close_with(ws, INTERNAL_SERVER_ERROR, TOKEN_EXPIRED))
    )


async def _serve(routes: QueryHost, request: Request, ws: WebSocket) -> None:
    try:
        ksql, properties, variables = parse_request(request.query_string)
        try:
            routes.check_overrides(properties)  # DenyListPropertyValidator.validateAll
        except KsqlError as exc:
            raise WsRequestError(f"Error parsing request: {exc.message}") from None
        start = functools.partial(routes.engine.start_query, exclude_tombstones=True)
        args = (ksql, properties, variables) if variables else (ksql, properties)
        query: PushQuery = await routes.run_query_call(start, *args)
        await routes.run_query_call(routes.check_push_capacity, query, ksql)  # QueryExecutor.handlePushQuery
    except WsRequestError as exc:
        await close_with(ws, INVALID_MESSAGE_TYPE, str(exc))
        return
    except KsqlError as exc:
        await close_with(ws, INVALID_MESSAGE_TYPE, exc.message)
        return
    await _stream(routes, ws, query)


async def _stream(routes: QueryHost, ws: WebSocket, query: PushQuery) -> None:
    loop = asyncio.get_running_loop()
    routes.register(query)
    try:
        if not query.is_print:
            await ws.send_text(schema_message(query))
        while not ws.closed.is_set():
            try:
                rows = await loop.run_in_executor(routes.poll_pool, query.poll, routes.config.poll_timeout)
                done = query.done
                if done:
                    rows = [*rows, *await loop.run_in_executor(routes.poll_pool, query.poll, 0.0)]
            except Exception as exc:  # the query failed: WebSocketSubscriber.onError
                message = exc.message if isinstance(exc, KsqlError) else str(exc)
                if not isinstance(exc, KsqlError):
                    log.exception("query over /ws/query failed")
                await close_with(ws, INTERNAL_SERVER_ERROR, message or f"KSQL exception: {type(exc).__name__}")
                return
            for row in rows:
                if query.is_print:
                    if not getattr(row, "is_formats", False):  # PrintPublisher sends the records only
                        await ws.send_text(json.dumps(row))
                else:
                    await ws.send_text(row_message(row))
            if done:
                await close_with(ws, NORMAL_CLOSURE, "done")
                return
    except ConnectionError:
        pass  # the client went away: the query closes below
    finally:
        routes.unregister(query)
        await routes.run_query_call(_close, query)
        if not ws.closed.is_set():
            await ws.close(NORMAL_CLOSURE, "")


def _close(query: PushQuery) -> None:
    try:
        query.close()
    except Exception:  # closing must not fail the response
        log.debug("closing %s failed", query.query_id, exc_info=True)
