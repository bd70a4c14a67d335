"""What `ksql-migrations` asks of ksqlDB's Java Client (ksqldb-api-client 0.29, ClientImpl), over HTTP:
/ksql statements (with `streamsProperties` and the client-side `sessionVariables`), /query-stream for
the metadata table's pull queries, /inserts-stream for INSERT VALUES and metadata rows, /info.

A failed call raises `ClientError`, whose text is what CompletableFuture.get's ExecutionException
carries: the cause's class name and message ("...KsqlClientException: Received 400 response from
server: <message>. Error code: <code>")."""

from __future__ import annotations

import json
import re
import socket
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

import httpx

from ksqlserver.console.client import RestClient, RestClientError
from ksqlserver.migrations import MigrationError

KSQL_CLIENT_EXCEPTION = "io.confluent.ksql.api.client.exception.KsqlClientException"
LATEST_FORMAT = "application/vnd.ksql.v1+json"  # KsqlMediaType.LATEST_FORMAT (the client's Accept)


class ClientError(MigrationError):
    """A call's failure: `cause` names the Java exception class, `message` its text."""

    def __init__(self, message: str, cause: str = KSQL_CLIENT_EXCEPTION) -> None:
        super().__init__(f"{cause}: {message}")
        self.message = message


@dataclass(frozen=True)
class ClientOptions:
    """MigrationsUtil.createClientOptions: host, port, TLS when the URL is https, basic auth when a user
    or password is set, the request headers of `--headers`."""

    host: str
    port: int
    use_tls: bool = False
    basic_auth_username: str = ""
    basic_auth_password: str = ""
    trust_store: str = ""
    trust_store_password: str = ""
    key_store: str = ""
    key_store_password: str = ""
    key_password: str = ""
    key_alias: str = ""
    use_alpn: bool = False
    verify_host: bool = True
    request_headers: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        port = self.port if self.port >= 0 else (443 if self.use_tls else 80)
        return f"{'https' if self.use_tls else 'http'}://{self.host}:{port}"


def create_client_options(
    server_url: str,
    username: str | None = None,
    password: str | None = None,
    trust_store: str | None = None,
    trust_store_password: str | None = None,
    key_store: str | None = None,
    key_store_password: str | None = None,
    key_password: str | None = None,
    key_alias: str | None = None,
    use_alpn: bool = False,
    verify_host: bool = True,
    request_headers: Mapping[str, str] | None = None,
) -> ClientOptions:
    parts = urlsplit(server_url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise MigrationError("Invalid ksql server URL: " + server_url)
    try:
        # java.net.URL.getPort: -1 when the URL names none; ClientOptions then keeps that
        port = parts.port if parts.port is not None else -1
    except ValueError:
        raise MigrationError("Invalid ksql server URL: " + server_url) from None
    use_tls = server_url.strip().lower().startswith("https://")
    options: dict[str, Any] = {"host": parts.hostname, "port": port, "use_tls": use_tls}
    if username or password:
        options.update(basic_auth_username=username or "", basic_auth_password=password or "")
    if use_tls:
        # ClientOptions' setters keep "" for null (ClientOptionsImpl: the stores default to "")
        options.update(
            trust_store=trust_store or "",
            trust_store_password=trust_store_password or "",
            key_store=key_store or "",
            key_store_password=key_store_password or "",
            key_password=key_password or "",
            key_alias=key_alias or "",
            use_alpn=use_alpn,
            verify_host=verify_host,
        )
    if request_headers is not None:
        options["request_headers"] = dict(request_headers)
    return ClientOptions(**options)


@dataclass(frozen=True)
class Row:
    """A pull query row: `get_string(1)` by 1-based index or by column name, as Row.getString."""

    columns: tuple[str, ...]
    values: tuple[Any, ...]

    def get_string(self, key: int | str) -> str:
        index = key - 1 if isinstance(key, int) else self.columns.index(key)
        value = self.values[index]
        return value if value is None else str(value)


def row_json(value: Any) -> str:
    """A row as KsqlObject.toJsonString writes it: decimals with their exact digits (Jackson writes a
    BigDecimal's text), everything else as JSON."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return "{" + ",".join(json.dumps(str(k)) + ":" + row_json(v) for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(row_json(v) for v in value) + "]"
    return json.dumps(value)


class KsqlClient:
    """One client: the options' server, `variables` (Client.define / undefine / getVariables)."""

    def __init__(self, options: ClientOptions, timeout: float = 60.0) -> None:
        self.options = options
        self.variables: dict[str, Any] = {}
        auth = (options.basic_auth_username, options.basic_auth_password) if (
            options.basic_auth_username or options.basic_auth_password) else None
        # plain HTTP verifies nothing: skip loading the CA bundle (100 ms a client)
        verify: bool | str = False
        if options.use_tls:
            verify = options.trust_store or True
            if not options.verify_host:
                verify = False
        self._rest = RestClient(options.url, auth=auth, verify=verify, timeout=timeout, headers=options.request_headers)
        # /query-stream and /inserts-stream over HTTP/2 as the Java client speaks it (prior knowledge on
        # plain HTTP: the server refuses /inserts-stream over HTTP/1.1)
        self._http = httpx.Client(auth=auth, verify=verify, timeout=timeout, headers=options.request_headers,
                                  http2=True, http1=options.use_tls)

    def close(self) -> None:
        self._rest.close()
        self._http.close()

    def _unreachable(self, detail: str) -> ClientError:
        """A request that got no answer. A refused connection reads as Netty's AnnotatedConnectException
        (`Connection refused: host/ip:port`, InetSocketAddress's text); anything else as Vert.x's."""
        if "refused" in detail.lower():
            host, port = self.options.host, self.options.url.rsplit(":", 1)[1]
            try:
                address = socket.gethostbyname(host)
            except OSError:
                address = host
            where = f"/{address}:{port}" if host == address else f"{host}/{address}:{port}"
            return ClientError(f"Connection refused: {where}", "io.netty.channel.AbstractChannel$AnnotatedConnectException")
        return ClientError(detail, "io.vertx.core.VertxException")

    # ---- variables (client-side only: sent with every /ksql request)

    def define(self, name: str, value: Any) -> None:
        self.variables[name] = value

    def undefine(self, name: str) -> None:
        self.variables.pop(name, None)

    def get_variables(self) -> dict[str, Any]:
        return dict(self.variables)

    # ---- /info

    def server_info(self) -> dict[str, Any]:
        try:
            response = self._rest.server_info()
        except RestClientError as e:
            raise self._unreachable(e.cause or str(e)) from None
        if not response.ok:
            raise ClientError(_received(response.status, response.body))
        return dict(response.body)

    # ---- /ksql

    def _send(self, method: str, path: str, body: Any = None, content: bytes | None = None) -> httpx.Response:
        url = self.options.url + path
        try:
            if content is not None:
                r = self._http.request(method, url, content=content)
            else:
                r = self._http.request(method, url, json=body)
        except httpx.HTTPError as e:
            raise self._unreachable(str(e) or type(e).__name__) from None
        if r.status_code != 200:
            try:
                error = r.json()
                message, code = error.get("message"), error.get("error_code")
            except ValueError:
                message, code = r.text, r.status_code * 100
            raise ClientError(_received(r.status_code, {"message": message, "error_code": code}))
        return r

    def _ksql(self, sql: str, properties: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        try:
            response = self._rest.ksql(sql, properties=properties or {}, session_variables=self.variables)
        except RestClientError as e:
            raise self._unreachable(e.cause or str(e)) from None
        if not response.ok:
            raise ClientError(_received(response.status, response.body))
        entities = response.body
        if len(entities) != 1:
            raise ClientError(f"Unexpected number of entities in server response: {len(entities)}",
                              "java.lang.IllegalStateException")
        return list(entities)

    def execute_statement(self, sql: str, properties: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """executeStatement: DdlDmlRequestValidators, then one entity."""
        if ";" not in sql:
            raise ClientError("Missing semicolon in SQL for executeStatement() request.")
        if _count_statements(sql) > 1:
            raise ClientError("executeStatement() may only be used to execute one statement at a time.")
        return self._ksql(sql, properties or {})[0]

    def describe_source(self, name: str) -> dict[str, Any]:
        entity = self._ksql("describe " + name + ";")[0]
        if "sourceDescription" not in entity:
            raise ClientError(
                "Unexpected server response format. Response: " + json.dumps(entity, separators=(",", ":")))
        return dict(entity["sourceDescription"])

    def list_streams(self) -> list[dict[str, Any]]:
        return list(self._ksql("list streams;")[0].get("streams", []))

    def list_tables(self) -> list[dict[str, Any]]:
        return list(self._ksql("list tables;")[0].get("tables", []))

    def create_connector(self, name: str, is_source: bool, properties: Mapping[str, Any], if_not_exists: bool) -> None:
        configs = ",".join(f"'{k}'='{_java_string(v)}'" for k, v in properties.items())
        kind = "SOURCE" if is_source else "SINK"
        clause = "IF NOT EXISTS" if if_not_exists else ""
        self._ksql(f"CREATE {kind} CONNECTOR {clause} {name} WITH ({configs});")

    def drop_connector(self, name: str, if_exists: bool) -> None:
        self._ksql("drop connector " + ("if exists " if if_exists else "") + name + ";")

    def assert_topic(self, topic: str, configs: Mapping[str, int], exists: bool, timeout_seconds: int | None) -> None:
        config = " with (" + ",".join(f"{k}={v}" for k, v in configs.items()) + ")" if configs else ""
        timeout = f" timeout {timeout_seconds} seconds" if timeout_seconds is not None else ""
        self._ksql("assert" + ("" if exists else " not exists") + f" topic '{topic}'" + config + timeout + ";")

    def assert_schema(self, subject: str | None, schema_id: int | None, exists: bool, timeout_seconds: int | None) -> None:
        clause = "" if exists else " not exists"
        subject_clause = f" subject '{subject}'" if subject is not None else ""
        id_clause = f" id {schema_id}" if schema_id is not None else ""
        timeout = f" timeout {timeout_seconds} seconds" if timeout_seconds is not None else ""
        self._ksql("assert" + clause + " schema" + subject_clause + id_clause + timeout + ";")

    # ---- /query-stream and /inserts-stream

    def execute_query(self, sql: str) -> list[Row]:
        """executeQuery: a pull query's rows (/query-stream, the StreamedRow array of LATEST_FORMAT)."""
        body = {"sql": sql, "properties": {}, "sessionVariables": self.variables}
        url = self.options.url + "/query-stream"
        try:
            r = self._http.post(url, json=body, headers={"Accept": LATEST_FORMAT})
        except httpx.HTTPError as e:
            raise self._unreachable(str(e) or type(e).__name__) from None
        if r.status_code != 200:
            raise ClientError(_received(r.status_code, r.json()))
        columns: tuple[str, ...] = ()
        rows: list[Row] = []
        for item in _streamed_rows(r.text):
            if "header" in item:
                columns = _column_names(item["header"].get("schema", ""))
            elif "row" in item:
                rows.append(Row(columns, tuple(item["row"]["columns"])))
            elif "errorMessage" in item:
                message = item["errorMessage"]
                raise ClientError(f"{message.get('message')}")
        return rows

    def insert_into(self, target: str, row: Mapping[str, Any]) -> None:
        """insertInto: one row on /inserts-stream; an error ack fails the call."""
        content = (json.dumps({"target": target}) + "\n"
                   + row_json(dict(row)) + "\n").encode()
        r = self._send("POST", "/inserts-stream", content=content)
        for line in r.text.splitlines():
            line = line.strip().strip("[],")
            if not line:
                continue
            ack = json.loads(line)
            if ack.get("status") == "error":
                raise ClientError(
                    "Received error from /inserts-stream. "
                    f"Error code: {ack.get('error_code')}. Message: {ack.get('message')}")


def _received(status: int, body: Any) -> str:
    """ClientImpl.handleErrorResponse's text."""
    message = body.get("message") if isinstance(body, Mapping) else body
    code = body.get("error_code") if isinstance(body, Mapping) else None
    return f"Received {status} response from server: {message}. Error code: {code}"


def _java_string(value: Any) -> str:
    """String.valueOf of a config value (String.format's %s)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "null" if value is None else str(value)


# DdlDmlRequestValidators.countStatements: strings and quoted identifiers removed, then split on ';'
_QUOTED_PIECE = re.compile(r"(`[^`]*`)|('[^']*')")


def _count_statements(sql: str) -> int:
    pieces = _QUOTED_PIECE.sub("", sql).split(";")
    return len(pieces) - 1


def _streamed_rows(text: str) -> list[dict[str, Any]]:
    text = text.strip()
    if not text:
        return []
    parsed = json.loads(text)
    return parsed if isinstance(parsed, list) else [parsed]


def _column_names(schema: str) -> tuple[str, ...]:
    """RowUtil.colNamesFromSchema: the header's schema split at top-level commas."""
    names: list[str] = []
    depth, current = 0, ""
    for ch in schema + ",":
        if ch in "<(":
            depth += 1
        elif ch in ">)":
            depth -= 1
        elif ch == "," and depth == 0:
            col = current.strip()
            if col:
                names.append(col.split(" ")[0].replace("`", ""))
            current = ""
            continue
        current += ch
    return tuple(names)


__all__ = ["ClientError", "ClientOptions", "KsqlClient", "Row", "create_client_options"]
