"""Confluent Schema Registry's REST API over HTTP/1.1 (stdlib `ThreadingHTTPServer`, keep-alive).

Routes are matched on the decoded path segments; every error answers with Confluent's JSON body
`{"error_code": ..., "message": ...}` and its HTTP status.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from schemaregistry import __version__
from schemaregistry.errors import RegistryError, RequestError, SchemaNotFoundError
from schemaregistry.registry import Registry, SchemaRequest
from schemaregistry.schemas import SCHEMA_TYPES
from schemaregistry.state import SchemaRecord

log = logging.getLogger("schemaregistry.http")
CONTENT_TYPE = "application/vnd.schemaregistry.v1+json"
ACCEPTED_BODY_TYPES = ("application/vnd.schemaregistry.v1+json", "application/vnd.schemaregistry+json",
                       "application/json", "application/octet-stream", "text/plain", "")
Query = dict[str, str]
Handler = Callable[..., Any]


def _flag(query: Query, name: str) -> bool:
    return query.get(name, "false").lower() == "true"


def _schema_body(record: SchemaRecord, full: bool = True, schema_text: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {}
    if full:
        body.update(subject=record.subject, version=record.version, id=record.id)
    if record.schema_type != "AVRO":
        body["schemaType"] = record.schema_type
    if record.references:
        body["references"] = record.references
    body["schema"] = schema_text if schema_text is not None else record.schema
    return body


class Api:
    """Maps (method, path segments) to registry operations; returns (status, JSON-able body)."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry

    def _formatted(self, record: SchemaRecord, query: Query) -> str | None:
        if query.get("format") == "serialized" and record.schema_type == "PROTOBUF":
            parsed = self.registry.parsed(record)
            return parsed.serialized()  # type: ignore[attr-defined,no-any-return]
        return None

    def dispatch(self, method: str, parts: list[str], query: Query, body: Any) -> tuple[int, Any]:
        r = self.registry
        n = len(parts)
        if n == 0:
            return 200, {}
        head = parts[0]
        if head == "subjects":
            if n == 1 and method == "GET":
                return 200, r.subjects(_flag(query, "deleted"), query.get("subjectPrefix", ""))
            subject = parts[1]
            if n == 2:
                if method == "POST":
                    record = r.lookup(subject, SchemaRequest.from_body(body), _flag(query, "deleted"))
                    return 200, _schema_body(record)
                if method == "DELETE":
                    return 200, r.delete_subject(subject, _flag(query, "permanent"))
            if n >= 3 and parts[2] == "versions":
                if n == 3 and method == "GET":
                    return 200, r.versions(subject, _flag(query, "deleted"))
                if n == 3 and method == "POST":
                    return 200, {"id": r.register(subject, SchemaRequest.from_body(body))}
                if n == 4 and method == "GET":
                    record = r.get_version(subject, parts[3], _flag(query, "deleted"))
                    return 200, _schema_body(record, schema_text=self._formatted(record, query))
                if n == 4 and method == "DELETE":
                    return 200, r.delete_version(subject, parts[3], _flag(query, "permanent"))
                if n == 5 and parts[4] == "schema" and method == "GET":
                    record = r.get_version(subject, parts[3], _flag(query, "deleted"))
                    return 200, RawSchema(self._formatted(record, query) or record.schema)
                if n == 5 and parts[4] == "referencedby" and method == "GET":
                    return 200, r.referenced_by(subject, parts[3])
        elif head == "schemas":
            if n == 1 and method == "GET":
                records = r.all_schemas(query.get("subjectPrefix", ""), _flag(query, "deleted"),
                                        _flag(query, "latestOnly"))
                return 200, [_schema_body(x) for x in records]
            if n == 2 and parts[1] == "types" and method == "GET":
                return 200, list(SCHEMA_TYPES)
            if n >= 3 and parts[1] == "ids" and method == "GET":
                try:
                    schema_id = int(parts[2])
                except ValueError:
                    raise SchemaNotFoundError(f"Schema {parts[2]} not found") from None
                if n == 3:
                    record = r.schema_by_id(schema_id, query.get("subject"))
                    return 200, _schema_body(record, full=False, schema_text=self._formatted(record, query))
                if n == 4 and parts[3] == "schema":
                    record = r.schema_by_id(schema_id, query.get("subject"))
                    return 200, RawSchema(self._formatted(record, query) or record.schema)
                if n == 4 and parts[3] == "subjects":
                    records = r.subjects_for_id(schema_id, _flag(query, "deleted"))
                    return 200, sorted({x.subject for x in records})
                if n == 4 and parts[3] == "versions":
                    records = r.subjects_for_id(schema_id, _flag(query, "deleted"))
                    return 200, [{"subject": x.subject, "version": x.version} for x in records]
        elif head == "config" and n <= 2:
            subject = parts[1] if n == 2 else None
            if method == "GET":
                return 200, r.get_config(subject, _flag(query, "defaultToGlobal"))
            if method == "PUT":
                return 200, r.set_config(subject, body)
            if method == "DELETE":
                return 200, r.delete_config(subject)
        elif head == "mode" and n <= 2:
            subject = parts[1] if n == 2 else None
            if method == "GET":
                return 200, r.get_mode(subject, _flag(query, "defaultToGlobal"))
            if method == "PUT":
                return 200, r.set_mode(subject, body, _flag(query, "force"))
            if method == "DELETE" and subject is not None:
                return 200, r.delete_mode(subject)
        elif head == "compatibility" and n >= 4 and parts[1] == "subjects" and parts[3] == "versions":
            if method == "POST" and n in (4, 5):
                version = parts[4] if n == 5 else None
                return 200, r.test_compatibility(parts[2], version, SchemaRequest.from_body(body),
                                                 _flag(query, "verbose"))
        elif head == "contexts" and n == 1 and method == "GET":
            return 200, ["."]
        elif head == "v1" and parts[1:] == ["metadata", "id"] and method == "GET":
            return 200, {"scope": {"path": [], "clusters": {"kafka-cluster": "fraudlab",
                                                           "schema-registry-cluster": "schema-registry"}}}
        elif head == "v1" and parts[1:] == ["metadata", "version"] and method == "GET":
            return 200, {"version": __version__, "commitId": "fraudlab"}
        raise RequestError("HTTP 404 Not Found", 404)


class RawSchema(str):
    """A body sent as the schema text itself (`.../schema` endpoints)."""


class RegistryHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], api: Api) -> None:
        self.api = api
        super().__init__(address, _RequestHandler)


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # headers and body go out as two writes: without TCP_NODELAY, Nagle + delayed ACK add ~40 ms
    disable_nagle_algorithm = True
    server_version = f"schemaregistry/{__version__}"
    server: RegistryHTTPServer

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s " + format, self.address_string(), *args)

    def _handle(self, method: str) -> None:
        status: int
        payload: Any
        try:
            url = urlsplit(self.path)
            parts = [unquote(p) for p in url.path.split("/") if p]
            query = {k: v[-1] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
            body = self._body(method)
            status, payload = self.server.api.dispatch(method, parts, query, body)
        except RegistryError as exc:
            status, payload = exc.http_status, exc.body()
            log.info("%s %s -> %d %s", method, self.path, status, exc.error_code)
        except Exception as exc:  # a bug must answer 500 and keep the server up
            log.exception("%s %s failed", method, self.path)
            status, payload = 500, {"error_code": 50001, "message": f"Internal error: {exc}"}
        if isinstance(payload, RawSchema):
            data = str(payload).encode()
        else:
            data = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", CONTENT_TYPE)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if method != "HEAD":
            self.wfile.write(data)

    def _body(self, method: str) -> Any:
        if method not in ("POST", "PUT"):
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            return None
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if ctype not in ACCEPTED_BODY_TYPES:
            raise RequestError(f"HTTP 415 Unsupported Media Type: {ctype}", 415)
        if not raw:
            return None
        try:
            return json.loads(raw)
        except ValueError as exc:
            raise RequestError(f"Unrecognized JSON body: {exc}", 400) from exc

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PUT(self) -> None:
        self._handle("PUT")

    def do_DELETE(self) -> None:
        self._handle("DELETE")


class RegistryServer:
    """The registry plus its HTTP server; `start()` returns once both serve."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.httpd: RegistryHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        assert self.httpd is not None
        return int(self.httpd.server_address[1])

    @property
    def url(self) -> str:
        return f"http://{self.registry.config.host}:{self.port}"

    def start(self) -> None:
        self.registry.start()
        self.httpd = RegistryHTTPServer((self.registry.config.host, self.registry.config.port), Api(self.registry))
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="schemaregistry-http", daemon=True)
        self._thread.start()

    def serve_forever(self) -> None:
        self.registry.start()
        self.httpd = RegistryHTTPServer((self.registry.config.host, self.registry.config.port), Api(self.registry))
        self.httpd.serve_forever()

    def stop(self) -> None:
        if self.httpd is not None:
            self.httpd.shutdown()
            self.httpd.server_close()
        self.registry.close()
