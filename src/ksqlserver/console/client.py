"""`KsqlRestClient` as the CLI uses it: the server address, the session's local properties (sent as
`streamsProperties`), /info, /ksql, /query (rows and PRINT lines, streamed), /is_valid_property."""

from __future__ import annotations

import json
import ssl
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import quote, urlsplit

import httpx

from ksqlserver.console import ConsoleError

V1_JSON = "application/vnd.ksql.v1+json"
CCLOUD_KEY_HEADER = "X-Confluent-API-Key"  # KsqlRestClient.CCLOUD_CONNECT_USERNAME_HEADER
CCLOUD_SECRET_HEADER = "X-Confluent-API-Secret"  # KsqlRestClient.CCLOUD_CONNECT_PASSWORD_HEADER


class RestClientError(ConsoleError):
    """The request never got an answer (KsqlRestClientException): connection refused, TLS, a bad URL."""

    def __init__(self, message: str, cause: str = "", ssl: bool = False) -> None:
        super().__init__(message)
        self.cause = cause
        self.ssl = ssl  # the cause was an SSLException: the server speaks HTTPS


class BadServerAddress(ConsoleError):
    """`KsqlRestClient.parseUri`'s IllegalArgumentException: the address is not an http(s) URL."""


def loads(text: str | bytes) -> Any:
    """JSON as ApiJsonMapper reads it for the CLI: fractions as BigDecimal, NaN/Infinity as their text."""
    return json.loads(text, parse_float=Decimal, parse_constant=lambda s: s)


@dataclass
class Response:
    """`RestResponse`: the body of a 2xx answer, or the KsqlErrorMessage of another."""

    status: int
    body: Any

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def error_message(self) -> str:
        if isinstance(self.body, Mapping):
            return str(self.body.get("message", ""))
        return str(self.body)


def _is_ssl(error: BaseException) -> bool:
    """Whether an SSL error is among the causes (what RemoteServerSpecificCommand looks for)."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, ssl.SSLError) or "SSL" in type(seen).__name__:
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def server_uri(address: str) -> str:
    """`KsqlRestClient.parseUri` of the first comma-separated address: an absolute http(s) URL, given its
    scheme's default port when it names none (as the `server` command then shows it)."""
    first = address.split(",")[0].strip()
    parts = urlsplit(first)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BadServerAddress(f"The supplied serverAddress is invalid: {address}")
    try:
        port = parts.port
    except ValueError:
        raise BadServerAddress(f"The supplied serverAddress is invalid: {address}") from None
    if port is None:
        first = f"{first}:{443 if parts.scheme == 'https' else 80}"
    return first


def _base(uri: str) -> str:
    """Where requests go: scheme, host and port of the server's URI."""
    parts = urlsplit(uri)
    return f"{parts.scheme}://{parts.netloc}"


class RestClient:
    """One CLI's client. `local_properties` are the SET properties (LocalProperties), as strings."""

    def __init__(
        self,
        server: str,
        local_properties: Mapping[str, Any] | None = None,
        auth: tuple[str, str] | None = None,
        verify: bool | str = True,
        timeout: float = 60.0,
        ccloud_api_key: tuple[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.server = server_uri(server)
        self.local_properties: dict[str, Any] = dict(local_properties or {})
        self.auth = auth
        self.verify = verify
        self.timeout = timeout
        self.is_ccloud = False  # set by the `server` check (RemoteServerSpecificCommand.isCCloudServer)
        self.ccloud_api_key = ccloud_api_key
        # headers sent with every request (ksql-migrations' `--headers` file)
        self._http = httpx.Client(auth=auth, verify=verify, timeout=timeout, headers=dict(headers or {}))

    def close(self) -> None:
        self._http.close()

    def set_server(self, address: str) -> None:
        self.server = server_uri(address)

    # ----------------------------------------------------------------- local properties

    def set_property(self, name: str, value: Any) -> Any:
        prior = self.local_properties.get(name)
        self.local_properties[name] = value
        return prior

    def unset_property(self, name: str) -> Any:
        return self.local_properties.pop(name, None)

    def get_property(self, name: str) -> Any:
        return self.local_properties.get(name)

    # ----------------------------------------------------------------- requests

    def _url(self, path: str) -> str:
        return _base(self.server) + path

    @property
    def has_ccloud_key(self) -> bool:
        return self.ccloud_api_key is not None

    def _send(
        self, method: str, path: str, body: Any = None, accept: str = V1_JSON, headers: Mapping[str, str] | None = None
    ) -> Response:
        try:
            r = self._http.request(method, self._url(path), json=body, headers={"Accept": accept, **(headers or {})})
        except httpx.HTTPError as e:
            raise RestClientError(f"Error issuing {method} to KSQL server. path:{path}", str(e), _is_ssl(e)) from e
        try:
            payload = loads(r.content) if r.content else None
        except ValueError:
            payload = {"message": r.text, "error_code": r.status_code * 100}
        return Response(r.status_code, payload)

    def server_info(self) -> Response:
        """GET /info: the KsqlServerInfo."""
        r = self._send("GET", "/info")
        if r.ok and isinstance(r.body, Mapping):
            r.body = r.body.get("KsqlServerInfo", r.body)
        return r

    def ksql(
        self,
        sql: str,
        command_sequence_number: int | None = None,
        headers: Mapping[str, str] | None = None,
        properties: Mapping[str, Any] | None = None,
        session_variables: Mapping[str, Any] | None = None,
    ) -> Response:
        """POST /ksql; `properties` replace the local ones and `session_variables` are sent as the Java
        Client sends them (ksql-migrations)."""
        props = self.local_properties if properties is None else dict(properties)
        body: dict[str, Any] = {"ksql": sql, "streamsProperties": props}
        if session_variables is not None:
            body["sessionVariables"] = dict(session_variables)
        if command_sequence_number is not None:
            body["commandSequenceNumber"] = command_sequence_number
        return self._send("POST", "/ksql", body, headers=headers)

    def connector_request(self, sql: str, command_sequence_number: int | None = None) -> Response:
        """`makeConnectorRequest`: /ksql, with the Confluent Cloud API key in headers for a cloud server."""
        headers: dict[str, str] = {}
        if self.is_ccloud and self.ccloud_api_key is not None:
            headers = {CCLOUD_KEY_HEADER: self.ccloud_api_key[0], CCLOUD_SECRET_HEADER: self.ccloud_api_key[1]}
        return self.ksql(sql, command_sequence_number, headers)

    def is_valid_property(self, name: str) -> Response:
        return self._send("GET", "/is_valid_property/" + quote(name, safe=""))

    def stream(self, sql: str, command_sequence_number: int | None = None) -> Stream:
        """POST /query: a streamed answer (rows of a query, or PRINT's lines)."""
        body: dict[str, Any] = {"ksql": sql, "streamsProperties": self.local_properties}
        if command_sequence_number is not None:
            body["commandSequenceNumber"] = command_sequence_number
        try:
            request = self._http.build_request("POST", self._url("/query"), json=body, headers={"Accept": V1_JSON})
            response = self._http.send(request, stream=True)
        except httpx.HTTPError as e:
            raise RestClientError("Error issuing POST to KSQL server. path:/query", str(e), _is_ssl(e)) from e
        return Stream(response)


class Stream:
    """An open /query answer. `error` is the KsqlErrorMessage of a refused request; `rows()` yields the
    StreamedRow objects of a query; `lines()` PRINT's text lines."""

    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        self.error: Response | None = None
        if response.status_code >= 300:
            content = response.read()
            try:
                body = loads(content)
            except ValueError:
                body = {"message": content.decode("utf-8", "replace")}
            self.error = Response(response.status_code, body)
            response.close()

    def close(self) -> None:
        self.response.close()

    def lines(self) -> Iterator[str]:
        try:
            yield from self.response.iter_lines()
        except httpx.HTTPError:
            return

    def rows(self) -> Iterator[Mapping[str, Any]]:
        """The StreamedRow objects of the v1 JSON array (`[{...},\\n{...},\\n...]`), one a line."""
        for line in self.lines():
            text = line.strip()
            if text.startswith("["):
                text = text[1:]
            if text.endswith("]"):
                text = text[:-1]
            text = text.rstrip().rstrip(",").strip()
            if not text:
                continue
            yield loads(text)
