"""The REST endpoints (REST-API.md): each turns a `Request` into engine calls and a ksqlDB-shaped answer.

The engine is synchronous and may block, so every call into it runs on a thread pool: /ksql statements on
one thread (ksqlDB's single command runner: DDL is applied in order), query starts and inserts on a small
pool, and each streaming query's `poll` on its own worker.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import logging
import re
import threading
import time
from collections.abc import Awaitable, Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import unquote

from ksqlserver import __version__
from ksqlserver.catalog.properties import (
    PropertyCoercionError,
    UnknownPropertyError,
    coerce_request_properties,
)
from ksqlserver.config import ServerConfig
from ksqlserver.engine import Engine, PushQuery
from ksqlserver.errors import (
    FailedLineError,
    KsqlError,
    KsqlStatementError,
    UnwrappedStatementError,
    error_chain_message,
)
from ksqlserver.server import jackson, sqltest, wsquery
from ksqlserver.server.auth import authenticate, authorize, challenge, skip_path_pattern
from ksqlserver.server.commands import CommandStatuses
from ksqlserver.server.cors import CorsPolicy, HeaderAddingResponder, origin_headers
from ksqlserver.server.entity_order import java_order
from ksqlserver.server.errors import HttpError, generic_error, status_of
from ksqlserver.server.exchange import ClientGone, Request, Responder, respond
from ksqlserver.server.formats import DELIMITED as DELIMITED_TYPE
from ksqlserver.server.formats import (
    OLD_QUERY_PRODUCES,
    Delimited,
    NotAcceptable,
    RowFormat,
    StreamedRows,
    negotiate,
)
from ksqlserver.server.jsonout import dumps_bytes
from ksqlserver.server.negotiation import choose_format
from ksqlserver.server.protorows import INTERNAL_ERROR
from ksqlserver.server.pushquery import StreamSettings, stream_query
from ksqlserver.server.ratelimit import PullRateLimiter

log = logging.getLogger(__name__)

JSON_TYPE = "application/json"
MIGRATE_QUERY = "ksql.endpoint.migrate.query"
Route = Callable[[Request, Responder], Awaitable[None]]
# io.confluent.ksql.rest.entity.CommandId's enums, which GET /status/<type>/<entity>/<action> parses
COMMAND_ID_CLASS = "io.confluent.ksql.rest.entity.CommandId"
COMMAND_TYPES = frozenset({"TOPIC", "STREAM", "TABLE", "CLUSTER", "PAUSE", "RESUME", "TERMINATE", "TYPE"})
COMMAND_ACTIONS = frozenset({"CREATE", "DROP", "EXECUTE", "TERMINATE", "ALTER"})


class KsqlRoutes:
    """Dispatches requests; owns the thread pools and the registry of streaming queries."""

    def __init__(self, engine: Engine, config: ServerConfig) -> None:
        self.engine = engine
        self.config = config
        self.commands = CommandStatuses()
        self.command_pool = ThreadPoolExecutor(1, thread_name_prefix="ksql-command")
        self.query_pool = ThreadPoolExecutor(config.query_threads, thread_name_prefix="ksql-query")
        self.poll_pool = ThreadPoolExecutor(config.max_push_queries + 2, thread_name_prefix="ksql-poll")
        self.active: dict[str, PushQuery] = {}
        self.closed_ids: set[str] = set()
        self.push_ids: set[str] = set()  # the active queries Server.registerQuery counts
        self.pull_limiter = PullRateLimiter(config.pull_max_qps)
        self.cors = CorsPolicy.from_settings(
            config.cors_allow_origin, config.cors_allow_methods, config.cors_allow_headers
        )
        self._skip_auth = skip_path_pattern(config.auth_skip_paths)
        self._lock = threading.Lock()
        self.shutting_down = False
        self.terminated = False  # after POST /ksql/terminate: every request but /chc/* gets 503
        self.started_at = time.time()
        self.routes: dict[str, tuple[str, Route]] = {
            "/ksql": ("POST", self.ksql),
            "/ksql/terminate": ("POST", self.terminate_cluster),
            "/chc/ready": ("GET", self.container_health),
            "/chc/live": ("GET", self.container_health),
            "/query": ("POST", self.query),
            "/query-stream": ("POST", self.query_stream),
            "/close-query": ("POST", self.close_query),
            "/inserts-stream": ("POST", self.inserts_stream),
            "/info": ("GET", self.info),
            "/healthcheck": ("GET", self.healthcheck),
            "/status": ("GET", self.status),
            "/clusterStatus": ("GET", self.cluster_status),
            "/heartbeat": ("POST", self.heartbeat),
            "/lag": ("POST", self.lag_report),
            "/v1/metadata": ("GET", self.server_metadata),
            "/v1/metadata/id": ("GET", self.server_cluster_id),
            "/ws/query": ("GET", self.ws_query),
            "/test": ("POST", functools.partial(sqltest.handle_test, config)),
        }

    # ---- dispatch -------------------------------------------------------------------------------------

    async def handle(self, request: Request, responder: Responder) -> None:
        """Never raises: every failure becomes an error entity (or, mid-stream, the end of the stream)."""
        try:
            await self._dispatch(request, responder)
        except ClientGone:
            pass
        except KsqlError as exc:
            await self._send_error(
                responder,
                status_of(exc),
                exc.to_entity() if not isinstance(exc, HttpError) else _http_error_entity(exc),
            )
        except Exception as exc:
            log.exception("%s %s failed", request.method, request.path)
            await self._send_error(responder, 500, generic_error(50000, f"{type(exc).__name__}: {exc}"))

    async def _dispatch(self, request: Request, responder: Responder) -> None:
        path = request.path.rstrip("/") or "/"
        origin = request.headers.get("origin")
        if self.cors is not None and origin is not None and self.cors.applies_to(request.path):
            # ServerVerticle runs KsqlCorsHandler before the health checks, auth and the server state
            if not self.cors.allows(origin):
                raise HttpError(403, 40300, "CORS Rejected - Invalid origin")
            if request.method == "OPTIONS" and "access-control-request-method" in request.headers:
                headers = [*origin_headers(origin), *self.cors.preflight_headers(), ("content-length", "0")]
                await responder.start(204, headers)
                await responder.end()
                return
            responder = HeaderAddingResponder(responder, origin_headers(origin))
        self._check_auth(request)
        if path == "/":
            # ServerVerticle.handleInfoRedirect: 307 Temporary Redirect
            await responder.start(307, [("location", "/info"), ("content-length", "0")])
            await responder.end()
            return
        if path.startswith("/is_valid_property/"):
            if await _method_allowed(request, responder, "GET"):
                await self.is_valid_property(unquote(path[len("/is_valid_property/") :]), responder)
            return
        if path.startswith("/status/"):
            if await _method_allowed(request, responder, "GET"):
                await self.command_status(path[len("/status/") :], responder)
            return
        route = self.routes.get(path)
        if path.startswith("/chc/") and route is not None:  # container health checks skip the state check
            if await _method_allowed(request, responder, route[0]):
                await route[1](request, responder)
            return
        if self.terminated or getattr(self.engine, "terminated", False):
            # also when another server's TERMINATE CLUSTER came through the command topic (CommandRunner)
            raise HttpError(503, 50304, "The server is shut down")
        if route is None:
            # Vert.x's router: no route for the path (observed on ksqlDB 0.29 built from source)
            await _vertx_status(responder, 404)
            return
        method, handler = route
        if not await _method_allowed(request, responder, method):
            return
        if self.shutting_down:
            raise HttpError(503, 50303, "The server is shutting down")
        await handler(request, responder)

    def _check_auth(self, request: Request) -> None:
        """AuthHandlers: skipped paths, then basic authentication (401), then the user's roles (403)."""
        if not self.config.credentials or self._skip_auth.fullmatch(request.path):
            return
        user = authenticate(request.headers.get("authorization"), self.config.credentials)
        if user is not None:
            # JaasAuthProvider makes a role of every principal of the login subject: the user's own name too
            authorize(user, (user, *self.config.user_roles.get(user, ())), self.config.auth_roles)

    async def _send_error(self, responder: Responder, status: int, entity: dict[str, Any]) -> None:
        if responder.started:  # mid-stream: nothing sensible to add, end the response
            with contextlib.suppress(ClientGone):
                await responder.end()
            return
        body = dumps_bytes(entity)
        headers = [("content-type", JSON_TYPE), ("content-length", str(len(body)))]
        if status == 401:
            headers.append(challenge(self.config.auth_realm))
        try:
            await responder.start(status, headers)
            await responder.send(body)
            await responder.end()
        except ClientGone:
            pass

    async def _json_body(self, request: Request) -> dict[str, Any]:
        timeout = self.config.request_body_timeout
        try:
            raw = await asyncio.wait_for(request.body.read(self.config.max_request_bytes), timeout)
        except TimeoutError as exc:  # a slow client, or an HTTP/2 stream its client never ended
            raise HttpError(408, 40800, f"Request body not received within {timeout:g} s") from exc
        return _json_object(raw)

    async def _run(self, pool: ThreadPoolExecutor, fn: Callable[..., Any], *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(pool, fn, *args)

    # ---- /ksql ----------------------------------------------------------------------------------------

    async def ksql(self, request: Request, responder: Responder) -> None:
        body = await self._json_body(request)
        # KsqlRequest: a missing `ksql` is "", and a request of no statements answers [] (observed on ksqlDB
        # 0.29 built from source: {"sql": ...} and {"ksql": ""} -> 200 [])
        blank = body.get("ksql") is None or (isinstance(body.get("ksql"), str) and not body["ksql"].strip())
        sql = "" if blank else _required_str(body, "ksql")
        properties = _optional_mapping(body, "streamsProperties")
        _coerce_overrides(properties, sql)
        self._check_overrides(properties)
        if blank:
            await respond(responder, 200, b"[]", JSON_TYPE)
            return
        variables = _session_variables(body)
        # session variables only when the request has some (the facade's two-argument form otherwise)
        args = (sql, properties, variables) if variables else (sql, properties)
        # KsqlResource.handleKsqlStatements: RequestValidator runs the whole request on a sandbox first
        entities = await self._run(self.command_pool, functools.partial(self.engine.execute, atomic=True), *args)
        self.commands.record(entities)
        await respond(responder, 200, dumps_bytes([java_order(e) for e in entities]), JSON_TYPE)

    async def terminate_cluster(self, request: Request, responder: Responder) -> None:
        """POST /ksql/terminate {"deleteTopicList": [regex, ...]}: ksqlDB's TERMINATE CLUSTER. The engine stops
        its queries and deletes its own topics and the matching sink topics; this server then refuses every
        request (503 50304) until it is restarted."""
        body = await self._json_body(request)
        patterns = body.get("deleteTopicList") or []
        if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
            raise HttpError(400, 40000, "The request field 'deleteTopicList' must be a list of strings")
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error:
                raise HttpError(400, 40000, f"Invalid pattern: {pattern}") from None
        terminate = getattr(self.engine, "terminate_cluster", None)
        if terminate is None:
            raise HttpError(501, 50100, "This engine cannot terminate the cluster")
        with self._lock:
            queries = list(self.active.values())
        for query in queries:  # streaming responses end before the engine closes under them
            await self._run(self.query_pool, _close_quietly, query)
        entity = await self._run(self.command_pool, terminate, patterns)
        self.terminated = True
        self.commands.record([entity])
        await respond(responder, 200, dumps_bytes([entity]), JSON_TYPE)

    async def container_health(self, request: Request, responder: Responder) -> None:
        await respond(responder, 200, b"{}", JSON_TYPE)

    # ---- queries --------------------------------------------------------------------------------------

    async def query(self, request: Request, responder: Responder) -> None:
        body = await self._json_body(request)
        properties = _with_request_properties(body, _optional_mapping(body, "streamsProperties"))
        # StreamedQueryResource: KsqlRequest.getConfigOverrides' coercion errors are a 400 (badRequest);
        # an unknown name escapes the resource there, a case left to the engine here
        try:
            coerce_request_properties(_optional_mapping(body, "streamsProperties"))
        except PropertyCoercionError as e:
            raise HttpError(400, 40000, error_chain_message([e.message, e.cause])) from None
        except UnknownPropertyError:
            pass
        self._check_overrides(properties)  # /query checks the denylist; /query-stream does not (as ksqlDB)
        await self._stream(
            request,
            responder,
            _required_str(body, "ksql"),
            properties,
            legacy=True,
            variables=_session_variables(body),
        )

    async def query_stream(self, request: Request, responder: Responder) -> None:
        # ksqlDB's QueryStreamArgs: sql, properties, sessionVariables, requestProperties
        body = await self._json_body(request)
        properties = _with_request_properties(body, _optional_mapping(body, "properties"))
        await self._stream(
            request,
            responder,
            _required_arg(body, "sql"),
            properties,
            legacy=False,
            variables=_session_variables(body),
        )

    async def _stream(
        self,
        request: Request,
        responder: Responder,
        sql: str,
        properties: dict[str, Any],
        *,
        legacy: bool,
        variables: dict[str, str] | None = None,
    ) -> None:
        accept = request.headers.get("accept")
        # ksql-python-ng reads /query, and /query-stream over HTTP/2, one row per received chunk: rows share
        # a chunk only on /query-stream over HTTP/1.1 (its clients split the body by lines)
        coalesce = not legacy and request.http_version != "2"
        settings = StreamSettings(self.config.poll_timeout, None, coalesce)
        old_settings = StreamSettings(self.config.poll_timeout, self.config.keepalive_interval)
        # /query's first ServerVerticle route (StreamedQueryResource) takes the request when the Accept header
        # allows it (or there is none); it hands a SELECT on to QueryStreamHandler unless the migration is
        # off, but prints a PRINT itself whatever the setting (StreamedQueryResource.handleStatement)
        first_route = legacy and _old_query_route(accept)
        old_route = first_route and not _migrated(properties, self.config.migrate_query)
        try:
            if old_route:
                # the pre-0.15 /query writer (StreamedQueryResource): StreamedRow JSON, newlines while idle
                fmt: RowFormat = StreamedRows()
                settings = old_settings
            else:
                fmt = choose_format(accept, legacy=legacy)
        except NotAcceptable:
            # ServerVerticle's routes `produce` no such type: Vert.x answers 406 before any handler runs
            await respond(responder, 406, b"", JSON_TYPE)
            return
        args = (sql, properties, variables) if variables else (sql, properties)
        start = self.engine.start_query
        if first_route:  # StreamedQueryResource checks a PRINT's topic by its exact name
            start = functools.partial(start, exact_print=True)
        try:
            query: PushQuery = await self._run(self.query_pool, start, *args)
        except UnwrappedStatementError as exc:
            # a plain KsqlException out of the engine: StreamedQueryResource's Errors.badRequest(e) on the old
            # route, ServerUtils.handleEndpointException's internal error on QueryStreamHandler's
            if old_route:
                raise HttpError(400, 40000, error_chain_message([exc.message])) from None
            raise HttpError(500, 50000, INTERNAL_ERROR) from None
        except FailedLineError as exc:
            # an ArrayIndexOutOfBoundsException out of the parser: OldApiUtils.mapException's KsqlErrorMessage
            # on /query, ServerUtils.handleEndpointException's internal error on /query-stream
            raise HttpError(500, 50000, exc.message if first_route else INTERNAL_ERROR) from None
        except KsqlError as exc:
            if first_route and exc.resource_message is not None:
                # StreamedQueryResource.parseStatement parses every /query request before handing a SELECT
                # on: Errors.badStatement(e, ksql) names the whole request
                exc.message, exc.statement_text = exc.resource_message, sql
                raise
            if not old_route:
                # ServerUtils.handleEndpointException: a KsqlStatementException's getUnloggedMessage, which
                # names the statement ("...\nStatement: <sql>"); StreamedQueryResource shows the bare message
                exc.message = exc.unlogged_message
            raise
        if first_route and getattr(query, "is_print", False):
            # StreamedQueryResource.handlePrintTopic: TopicStreamWriter's lines through OldApiUtils
            # (application/json), an empty line at each idle poll
            fmt, settings = StreamedRows(), old_settings
        elif getattr(query, "is_print", False) and not isinstance(fmt, Delimited):
            # ksqlDB prints topics in the delimited format only: 406 Not Acceptable otherwise
            await self._run(self.query_pool, _close_quietly, query)
            await respond(responder, 406, b"", JSON_TYPE)
            return
        # Server.registerQuery (through ConnectionQueryManager.createApiQuery): QueryStreamHandler registers
        # push queries only, and refuses one more than ksql.max.push.queries; StreamedQueryResource does not
        try:
            await self._run(self.query_pool, self.check_push_capacity, query, sql)
        except KsqlError as exc:
            if not old_route:  # ServerUtils.handleEndpointException: the unlogged message
                exc.message = exc.unlogged_message
            raise
        if request.http_version == "2" and (old_route or (first_route and getattr(query, "is_print", False))):
            # OldApiUtils.handleOldApiRequest: StreamedQueryResource's StreamingOutput uses chunked encoding,
            # "not available using HTTP2": 405 with no body (the status message has no place in HTTP/2)
            await self._run(self.query_pool, _close_quietly, query)
            await respond(responder, 405, b"", JSON_TYPE)
            return
        if (query.is_pull or getattr(query, "stream_pull", False)) and not old_route:
            # QueryExecutor: a pull query (on a table or a stream) takes a permit of ksql.query.pull.max.qps
            # or fails with 429
            try:
                self.pull_limiter.check()
            except HttpError:
                await self._run(self.query_pool, _close_quietly, query)
                raise
        counted = not old_route and not query.is_pull and not getattr(query, "is_print", False)
        with self._lock:
            full = counted and len(self.push_ids) >= self.config.max_push_queries
            if not full:
                self.active[query.query_id] = query
                if counted:
                    self.push_ids.add(query.query_id)
        if full:
            await self._run(self.query_pool, _close_quietly, query)
            raise HttpError(400, 40003, "Maximum number of push queries exceeded")
        try:
            await stream_query(query, fmt, responder, settings, self.poll_pool, self.closed_ids)
        finally:
            with self._lock:
                self.active.pop(query.query_id, None)
                self.push_ids.discard(query.query_id)
                self.closed_ids.discard(query.query_id)
            await self._run(self.query_pool, _close_quietly, query)

    async def ws_query(self, request: Request, responder: Responder) -> None:
        await wsquery.ws_query(self, request, responder)

    # what /ws/query shares with the HTTP streaming routes
    def check_overrides(self, properties: Mapping[str, Any]) -> None:
        self._check_overrides(properties)

    async def run_query_call(self, fn: Callable[..., Any], *args: Any) -> Any:
        return await self._run(self.query_pool, fn, *args)

    def check_push_capacity(self, query: PushQuery, sql: str) -> None:
        """QueryExecutor.handlePushQuery: a push query is refused when the engine's live push queries (this
        one aside) already number ksql.max.push.queries (QueryCapacityUtil.exceedsPushQueryCapacity); the
        query is closed and the KsqlStatementException of throwTooManyActivePushQueriesException raised."""
        if query.is_pull or getattr(query, "is_print", False) or getattr(query, "stream_pull", False):
            return
        live = self._live_push_queries(query.query_id)
        limit = self.config.max_push_queries
        if live < limit:
            return
        _close_quietly(query)
        tail = (
            " as it would cause the number of active, push queries to exceed the configured limit. "
            "Terminate existing PUSH queries, or increase the 'ksql.max.push.queries' setting via the "
            f"'ksql-server.properties' file. Current push query count: {live}. Configured limit: {limit}."
        )
        text = sql.strip()
        error = KsqlStatementError("Not executing statement(s)" + tail, text)
        raise error.append_statement(text, f"Not executing statement(s) '{text}'" + tail)

    def _live_push_queries(self, exclude: str) -> int:
        """QueryCapacityUtil.getNumLivePushQueries: the engine's live queries less its persistent ones."""
        transient = getattr(getattr(self.engine, "state", None), "transient", None)
        with self._lock:
            ids = list(transient) if isinstance(transient, dict) else list(self.active)
        return sum(1 for query_id in ids if query_id != exclude)

    def register(self, query: PushQuery) -> None:
        with self._lock:
            self.active[query.query_id] = query

    def unregister(self, query: PushQuery) -> None:
        with self._lock:
            self.active.pop(query.query_id, None)
            self.closed_ids.discard(query.query_id)

    async def close_query(self, request: Request, responder: Responder) -> None:
        body = await self._json_body(request)
        query_id = _required_arg(body, "queryId")
        with self._lock:
            query = self.active.get(query_id)
            if query is not None:
                self.closed_ids.add(query_id)
        closed = await self._run(self.query_pool, self.engine.close_query, query_id)
        if not closed and query is not None:  # streaming here but unknown to the engine: close it directly
            await self._run(self.query_pool, _close_quietly, query)
            closed = True
        if not closed:
            raise HttpError(400, 40000, f"No query with id {query_id}")
        await respond(responder, 200, b"", JSON_TYPE)

    # ---- /inserts-stream --------------------------------------------------------------------------------

    async def inserts_stream(self, request: Request, responder: Responder) -> None:
        if request.http_version != "2":
            raise HttpError(400, 40004, "This endpoint is only available when using HTTP2")
        acks_out = _AckWriter(responder, _wants_json_array(request.headers.get("accept")))
        target: str | None = None
        seq = 0
        async for batch in request.body.lines():
            if target is None:
                target = _insert_target(batch[0])
                check = getattr(self.engine, "check_insert_target", None)
                if check is not None:  # an unknown target: an error status before any ack, as ksqlDB
                    await self._run(self.query_pool, check, target)
                batch = batch[1:]
                if not batch:
                    continue
            rows: list[Any] = []
            bad: dict[str, Any] | None = None
            for line in batch:
                try:
                    row = json.loads(line.decode("utf-8"))
                except (UnicodeDecodeError, json.JSONDecodeError):
                    # InsertsStreamHandler.handleRow: a DecodeException, whatever it says
                    bad = {"message": "Invalid JSON in inserts stream"}
                    break
                if not isinstance(row, dict):  # new JsonObject(buffer) fails alike
                    bad = {"message": "Invalid JSON in inserts stream"}
                    break
                rows.append(row)
            acks: list[dict[str, Any]] = []
            if rows:
                try:
                    acks = list(await self._run(self.query_pool, self.engine.insert_api_rows, target, rows))
                except KsqlError as exc:
                    if not responder.started and seq == 0:
                        raise
                    acks = [{"status": "error", "error_code": exc.error_code, "message": exc.message}]
            if bad is not None:
                acks.append({"status": "error", "error_code": 40000, "message": bad["message"]})
            for ack in acks:
                numbered = {**ack, "seq": seq} if ack.get("status") == "ok" else _insert_error(ack, seq)
                seq += 1
                await acks_out.send(numbered)
                if numbered.get("status") != "ok":
                    await acks_out.end()
                    return
        if target is None:
            raise HttpError(400, 40000, 'The inserts stream must start with {"target": "<stream>"}')
        await acks_out.end()

    # ---- property overrides ---------------------------------------------------------------------------

    def _check_overrides(self, properties: Mapping[str, Any]) -> None:
        """ksqlDB's DenyListPropertyValidator: a request may not override ksql.service.id, nor any property
        in ksql.properties.overrides.denylist (a 400 generic_error naming them, in the denylist's order)."""
        denied = [*self.config.denied_overrides, "ksql.service.id"]
        hits = list(dict.fromkeys(name for name in denied if name in properties))
        if hits:
            raise HttpError(
                400,
                40000,
                "One or more properties overrides set locally are prohibited by the KSQL server "
                f"(use UNSET to reset their default value): [{', '.join(hits)}]",
            )

    async def is_valid_property(self, name: str, responder: Responder) -> None:
        """GET /is_valid_property/<name>: `true` when a request may override it, else 400 (the denylist)."""
        self._check_overrides({name: ""})
        await respond(responder, 200, b"true", JSON_TYPE)

    # ---- info, health, status ------------------------------------------------------------------------

    async def info(self, request: Request, responder: Responder) -> None:
        info = {
            "KsqlServerInfo": {
                "version": __version__,
                "kafkaClusterId": self.config.kafka_cluster_id,
                "ksqlServiceId": self.config.service_id,
                "serverStatus": "RUNNING",
            }
        }
        await respond(responder, 200, dumps_bytes(info), JSON_TYPE)

    async def healthcheck(self, request: Request, responder: Responder) -> None:
        healthy = not self.shutting_down
        # HealthCheckAgent.CommandRunnerCheck: healthy only while the command runner is RUNNING (not DEGRADED)
        runner = healthy and not getattr(self.engine, "command_runner_warning", "")
        body = {
            "isHealthy": healthy and runner,
            "details": {
                "metastore": {"isHealthy": healthy},
                "kafka": {"isHealthy": healthy},
                "commandRunner": {"isHealthy": runner},
            },
            "serverState": "READY" if healthy else "TERMINATING",
        }
        await respond(responder, 200 if healthy else 503, dumps_bytes(body), JSON_TYPE)

    async def status(self, request: Request, responder: Responder) -> None:
        # ksqlDB's CommandStatuses entity: the map wrapped in its type name
        self._record_applied_commands()
        await respond(responder, 200, dumps_bytes({"commandStatuses": self.commands.all()}), JSON_TYPE)

    def _record_applied_commands(self) -> None:
        """The statuses of the commands the engine applied from the command topic (its replay on start, other
        servers' commands since): CommandRunner runs them through InteractiveStatementExecutor, which keeps
        a status for each."""
        drain = getattr(self.engine, "drain_applied_commands", None)
        if drain is not None:
            self.commands.record(drain())

    def _cluster_id(self) -> dict[str, Any]:
        clusters = {"kafka-cluster": self.config.kafka_cluster_id, "ksql-cluster": self.config.service_id}
        return {"scope": {"path": [], "clusters": clusters}, "id": ""}

    async def server_metadata(self, request: Request, responder: Responder) -> None:
        body = {"version": __version__, "clusterId": self._cluster_id()}
        await respond(responder, 200, dumps_bytes(body), JSON_TYPE)

    async def server_cluster_id(self, request: Request, responder: Responder) -> None:
        await respond(responder, 200, dumps_bytes(self._cluster_id()), JSON_TYPE)

    async def cluster_status(self, request: Request, responder: Responder) -> None:
        """ksqlDB's ClusterStatusResponse: this server (and, in a scale-out, its live peers) by host:port.
        ClusterStatusResource exists only with a HeartbeatAgent: a bare 404 otherwise (KsqlServerEndpoints)."""
        if not self.config.heartbeat_enabled:
            await respond(responder, 404, b"", JSON_TYPE)
            return
        now = int(time.time() * 1000)
        me = request.headers.get("host") or f"{self.config.host}:{self.config.port}"
        hosts = [me] + [h for h in _peer_hosts(self.engine) if h != me]
        entry = {"hostStoreLags": {"stateStoreLags": {}, "updateTimeMs": now}, "activeStandbyPerQuery": {}}
        body = {"clusterStatus": {h: {"hostAlive": True, "lastStatusUpdateMs": now, **entry} for h in hosts}}
        await respond(responder, 200, dumps_bytes(body), JSON_TYPE)

    async def command_status(self, rest: str, responder: Responder) -> None:
        """StatusResource.getStatus: `new CommandId(type, entity, action)` upper-cases the type and action
        into their enums (an unknown one is the IllegalArgumentException OldApiUtils.mapException makes a
        500) and looks the id up by its lower-case text."""
        parts = [unquote(part) for part in rest.split("/")]
        if len(parts) != 3:
            raise HttpError(404, 40400, f"Not Found: no endpoint /status/{rest[:200]}")
        kind, entity, action = parts
        for name, value, known in (("Type", kind, COMMAND_TYPES), ("Action", action, COMMAND_ACTIONS)):
            if value.upper() not in known:
                raise HttpError(500, 50000, f"No enum constant {COMMAND_ID_CLASS}.{name}.{value.upper()}")
        self._record_applied_commands()
        status = self.commands.get(f"{kind.lower()}/{entity}/{action.lower()}")
        if status is None:
            raise HttpError(404, 40400, "Command not found")
        await respond(responder, 200, dumps_bytes(status), JSON_TYPE)

    async def heartbeat(self, request: Request, responder: Responder) -> None:
        """HeartbeatResource.registerHeartbeat: HeartbeatResponse(true). KsqlServerEndpoints answers a bare
        404 when there is no HeartbeatAgent (ksql.heartbeat.enable=false, the default)."""
        if not self.config.heartbeat_enabled:
            await respond(responder, 404, b"", JSON_TYPE)
            return
        await self._json_body(request)
        await respond(responder, 200, dumps_bytes({"isOk": True}), JSON_TYPE)

    async def lag_report(self, request: Request, responder: Responder) -> None:
        """LagReportingResource.receiveHostLag: LagReportingResponse(true); a bare 404 without a
        LagReportingAgent (ksql.lag.reporting.enable=false, the default)."""
        if not self.config.lag_reporting_enabled:
            await respond(responder, 404, b"", JSON_TYPE)
            return
        await self._json_body(request)
        await respond(responder, 200, dumps_bytes({"isOk": True}), JSON_TYPE)

    # ---- lifecycle --------------------------------------------------------------------------------------

    def stop_queries(self) -> None:
        """Closes every streaming query so their responses end (used on shutdown)."""
        self.shutting_down = True
        with self._lock:
            queries = list(self.active.values())
        for query in queries:
            _close_quietly(query)

    def close_pools(self) -> None:
        for pool in (self.command_pool, self.query_pool, self.poll_pool):
            pool.shutdown(wait=False, cancel_futures=True)


class _AckWriter:
    """The acks of /inserts-stream: one JSON object per line (the delimited default), or, when the client
    accepts only application/json, one JSON array `[{...},{...}]` closed when the stream ends (as ksqlDB)."""

    def __init__(self, responder: Responder, json_array: bool) -> None:
        self.responder = responder
        self.json_array = json_array
        self.count = 0

    async def _start(self) -> None:
        if not self.responder.started:
            await self.responder.start(200, [("content-type", JSON_TYPE)])

    async def send(self, ack: dict[str, Any]) -> None:
        await self._start()
        if self.json_array:
            await self.responder.send((b"," if self.count else b"[") + dumps_bytes(ack))
        else:
            await self.responder.send(dumps_bytes(ack) + b"\n")
        self.count += 1

    async def end(self) -> None:
        await self._start()
        if self.json_array:
            await self.responder.send(b"]" if self.count else b"[]")
        await self.responder.end()


def _wants_json_array(accept: str | None) -> bool:
    """ksqlDB writes delimited acks unless content negotiation picks application/json: the first media type
    it produces (delimited or JSON) in the Accept header decides; none, or a wildcard, means delimited."""
    for part in (accept or "").split(","):
        media = part.split(";")[0].strip().lower()
        if media == JSON_TYPE:
            return True
        if media in (DELIMITED_TYPE, "*/*", "application/*"):
            return False
    return False


def _peer_hosts(engine: Any) -> list[str]:
    """host:port of the live servers sharing this one's service id, when the engine knows them."""
    cluster = getattr(getattr(engine, "state", None), "cluster", None)
    if cluster is None:
        return []
    hosts = []
    for member in cluster.members():
        url = str(getattr(member, "url", "") or "")
        hosts.append(url.split("://", 1)[-1].rstrip("/"))
    return [h for h in hosts if h]


def _old_query_route(accept: str | None) -> bool:
    """Whether /query's first ServerVerticle route (the old StreamedQueryResource, which produces only
    the ksql v1 JSON types) takes the request; an Accept of only the delimited type skips it."""
    try:
        negotiate(accept, OLD_QUERY_PRODUCES)
    except NotAcceptable:
        return False
    return True


NOT_FOUND_HTML = b"<html><body><h1>Resource not found</h1></body></html>"


async def _vertx_status(responder: Responder, status: int, allow: str | None = None) -> None:
    """What Vert.x-web's router answers when no route matches: 404 with its HTML page, 405 with the methods
    the path allows and no body."""
    if status == 404:
        await respond(responder, 404, NOT_FOUND_HTML, "text/html; charset=utf-8")
        return
    await responder.start(status, [("allow", allow or ""), ("content-length", "0")])
    await responder.end()


async def _method_allowed(request: Request, responder: Responder, method: str) -> bool:
    """Whether the request's method is the route's (HEAD for GET too); if not, Vert.x's router has answered:
    the path has routes, none for this method: 405, `allow`, no body (observed on ksqlDB 0.29)."""
    if request.method == method or (method == "GET" and request.method == "HEAD"):
        return True
    await _vertx_status(responder, 405, method)
    return False


def _migrated(properties: Mapping[str, Any], server_default: bool) -> bool:
    """ksqlDB 0.29 hands /query to the /query-stream handler unless `ksql.endpoint.migrate.query` is false
    (a request property, else the server's setting)."""
    value = properties.get(MIGRATE_QUERY, server_default)
    return str(value).strip().lower() != "false"


def _close_quietly(query: PushQuery) -> None:
    try:
        query.close()
    except Exception:
        log.exception("closing query %s failed", getattr(query, "query_id", "?"))


def _http_error_entity(exc: HttpError) -> dict[str, Any]:
    if exc.statement_text:
        return exc.to_entity()
    return generic_error(exc.error_code, exc.message)


class _JsonBody(dict):  # type: ignore[type-arg]
    """A request body's object, with the bytes it was read from (for Jackson's error locations)."""

    raw: bytes = b""


def _json_object(raw: bytes) -> dict[str, Any]:
    """A request body (or the first line of an inserts stream) as ServerUtils.deserialiseObject reads it:
    what Jackson cannot read is "Invalid JSON in request: <Jackson's text>" (40000)."""
    try:
        text = raw.decode("utf-8")
        value = json.loads(text) if raw.strip() else None
    except json.JSONDecodeError as exc:
        raise HttpError(400, 40000, f"Invalid JSON in request: {jackson.parse_error(text, exc)}") from exc
    except UnicodeDecodeError as exc:
        raise HttpError(400, 40000, f"Invalid JSON in request: {exc}") from exc
    except RecursionError as exc:
        raise HttpError(400, 40000, "Invalid JSON in request: nested too deeply") from exc
    except ValueError as exc:  # e.g. an integer literal beyond Python's digit limit
        raise HttpError(400, 40000, f"Invalid JSON in request: {exc}") from exc
    if not isinstance(value, dict):
        raise HttpError(400, 40000, "The request body must be a JSON object")
    body = _JsonBody(value)
    body.raw = raw
    return body


_ARGS_ENTITY = {"sql": "QueryStreamArgs", "queryId": "CloseQueryArgs", "target": "InsertsStreamArgs"}


def _required_arg(body: Mapping[str, Any], name: str) -> str:
    """A `required = true` creator property of QueryStreamArgs / CloseQueryArgs / InsertsStreamArgs (each the
    creator's first): absent, Jackson's MismatchedInputException."""
    if name not in body:
        text = jackson.missing_property(name, 0, getattr(body, "raw", None), _ARGS_ENTITY.get(name))
        raise HttpError(400, 40000, f"Invalid JSON in request: {text}")
    return _required_str(body, name)


def _required_str(body: Mapping[str, Any], name: str) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not value.strip():
        raise HttpError(400, 40000, f"The request body needs a non-empty string field '{name}'")
    return value


def _coerce_overrides(properties: Mapping[str, Any], sql: str) -> None:
    """KsqlResource: KsqlRequest.getConfigOverrides coerces the request's properties first; an unknown one
    (an IllegalArgumentException) is a 500 statement error, a bad value (a KsqlException) a 400 whose message
    is ErrorMessageUtil.buildErrorMessage's."""
    try:
        coerce_request_properties(properties)
    except UnknownPropertyError as e:
        raise HttpError(500, 50000, e.message, sql) from None
    except PropertyCoercionError as e:
        raise HttpError(400, 40000, error_chain_message([e.message, e.cause])) from None


def _optional_mapping(body: Mapping[str, Any], name: str) -> dict[str, Any]:
    value = body.get(name)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise HttpError(400, 40000, f"The request field '{name}' must be a JSON object")
    return value


def _with_request_properties(body: Mapping[str, Any], properties: dict[str, Any]) -> dict[str, Any]:
    """A pull query another server forwarded carries ksqlDB's internal-request marker in requestProperties."""
    internal = _optional_mapping(body, "requestProperties")
    properties.update({k: v for k, v in internal.items() if k.startswith("request.")})
    return properties


def _session_variables(body: Mapping[str, Any]) -> dict[str, str]:
    """`sessionVariables` as ksqlDB substitutes them: each value's Java `toString()` (true, 1, 1.5, text)."""
    variables = {}
    for name, value in _optional_mapping(body, "sessionVariables").items():
        if isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, str):
            text = value
        elif value is None:
            raise HttpError(400, 40000, f"The session variable '{name}' has no value")
        else:
            text = json.dumps(value, separators=(",", ":"))
        variables[str(name)] = text
    return variables


def _insert_error(ack: Mapping[str, Any], seq: int) -> dict[str, Any]:
    """An error ack as ApiJsonMapper writes InsertError: KsqlErrorMessage's type id (the unregistered
    subclass's simple name) and creator properties, then InsertError's fields."""
    return {
        "@type": "InsertError",
        "error_code": ack.get("error_code", 50000),
        "message": ack.get("message", ""),
        "status": "error",
        "seq": seq,
    }


def _insert_target(line: bytes) -> str:
    """InsertsStreamHandler: the first line is InsertsStreamArgs (ServerUtils.deserialiseObject)."""
    head = _json_object(line)
    target = _required_arg(head, "target")
    return target
