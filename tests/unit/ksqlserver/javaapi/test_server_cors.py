"""Port of ksqlDB 0.29 `io.confluent.ksql.api.ServerCorsTest`, which runs `io.confluent.ksql.api.CorsTest`'s
checks against the server (each of its 16 tests; shouldCallAllCorsTests only checks the Java class's
annotations): KsqlCorsHandler sets up Vert.x's CorsHandler from `access.control.allow.origin` (origins with
`*` wildcards, ServerUtils.convertCommaSeparatedWilcardsToRegex), `access.control.allow.methods` and
`access.control.allow.headers`, credentials allowed; /ws/ paths are excluded. A request from an origin not
allowed fails with 403 (FailureHandler: ERROR_CODE_FORBIDDEN)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from ksqlserver.server.cors import wildcards_to_regex

ALLOW_ORIGIN = "access-control-allow-origin"
ALLOW_METHODS = "access-control-allow-methods"
ALLOW_HEADERS = "access-control-allow-headers"
ALLOW_CREDENTIALS = "access-control-allow-credentials"
DEFAULT_ALLOW_HEADERS = "X-Requested-With,Content-Type,Accept,Origin"
DEFAULT_ALLOW_METHODS = "GET,POST,HEAD"
ORIGIN = "http://wibble.com"
URI = "/query-stream"
BODY = {"sql": "select * from foo;"}  # a pull query on a stream: answered 200


def _server(rest: Any, origin: str = "", methods: str = "", headers: str = "") -> Any:
    options = {
        "cors_allow_origin": origin,
        "cors_allow_methods": tuple(m for m in methods.split(",") if m),
        "cors_allow_headers": tuple(h for h in headers.split(",") if h),
    }
    _, driver, server = rest.start(server_options=options)
    driver.create_topic("foo", 1, 1)
    rest.ok(server, "CREATE STREAM FOO (ID STRING KEY, V INT) WITH (kafka_topic='foo', value_format='json');")
    return server


def _send(server: Any, method: str, headers: dict[str, str], uri: str = URI) -> httpx.Response:
    return httpx.request(method, server.url + uri, json=BODY, headers=headers, timeout=30)


def _no_cors_headers(r: httpx.Response) -> None:
    assert ALLOW_ORIGIN not in r.headers and ALLOW_METHODS not in r.headers and ALLOW_HEADERS not in r.headers


def test_should_not_be_cors_response_if_no_cors_configured(rest: Any) -> None:
    """CorsTest.shouldNotBeCorsResponseIfNoCorsConfigured"""
    r = _send(_server(rest), "POST", {"origin": ORIGIN})
    assert r.status_code == 200
    _no_cors_headers(r)


def test_should_exclude_path(rest: Any) -> None:
    """CorsTest.shouldExcludePath(404): /ws/ skips the CORS check; no such resource."""
    r = _send(_server(rest, ORIGIN), "POST", {"origin": ORIGIN}, uri="/ws/foo")
    assert r.status_code == 404
    _no_cors_headers(r)


def test_should_not_be_cors_response_if_not_cors_request(rest: Any) -> None:
    """CorsTest.shouldNotBeCorsResponseIfNotCorsRequest: no Origin header, no CORS headers."""
    r = _send(_server(rest, ORIGIN), "POST", {})
    assert r.status_code == 200
    _no_cors_headers(r)


@pytest.mark.parametrize(
    ("origin", "allowed"),
    [
        (ORIGIN, ORIGIN),  # shouldAcceptCorsRequestOriginExactMatch
        (ORIGIN, "foo.com," + ORIGIN),  # shouldAcceptCorsRequestOriginExactMatchOneOfList
        (ORIGIN, "*"),  # shouldAcceptCorsRequestAcceptAll
        ("foo.wibble.com", "*.wibble.com"),  # shouldAcceptCorsRequestWildcardMatch
        ("foo.wibble.com", "blah.com,*.wibble.com,foo.com"),  # shouldAcceptCorsRequestWilcardMatchList
    ],
)
def test_should_accept_cors_request(rest: Any, origin: str, allowed: str) -> None:
    """CorsTest.shouldAcceptCorsRequest: the exact origin echoed, credentials allowed."""
    r = _send(_server(rest, allowed), "POST", {"origin": origin})
    assert r.status_code == 200
    assert r.headers[ALLOW_ORIGIN] == origin
    assert r.headers[ALLOW_CREDENTIALS] == "true"


@pytest.mark.parametrize(
    ("origin", "allowed"),
    [
        ("foo.com", ORIGIN),  # shouldRejectCorsRequestOriginExactMatch
        ("foo.com", "wibble.com,blah.com"),  # shouldRejectCorsRequestOriginExactMatchOenOfList
        ("foo.wibble.com", "*.blibble.com"),  # shouldRejectCorsRequestWildcardMatch
        ("foo.wibble.com", "blah.com,*.blibble.com,foo.com"),  # shouldRejectCorsRequestWilcardMatchList
    ],
)
def test_should_reject_cors_request(rest: Any, origin: str, allowed: str) -> None:
    """CorsTest.shouldRejectCorsRequest: 403."""
    r = _send(_server(rest, allowed), "POST", {"origin": origin})
    assert r.status_code == 403
    assert r.json()["error_code"] == 40300


@pytest.mark.parametrize(
    ("headers", "methods"),
    [
        (
            DEFAULT_ALLOW_HEADERS,
            DEFAULT_ALLOW_METHODS,
        ),  # shouldAcceptPreflightRequestOriginExactMatchDefaultHeaders
        ("foo-header,bar-header", DEFAULT_ALLOW_METHODS),  # ...OriginExactMatchSpecifiedHeaders
        (DEFAULT_ALLOW_HEADERS, "DELETE,PATCH"),  # ...OriginExactMatchSpecifiedMethods
    ],
)
def test_should_accept_preflight_request(rest: Any, headers: str, methods: str) -> None:
    """CorsTest.shouldAcceptPreflightRequest: 204, the origin, credentials, the allowed headers and methods."""
    server = _server(rest, ORIGIN, methods, headers)
    r = _send(server, "OPTIONS", {"origin": ORIGIN, "Access-Control-Request-Method": "POST"})
    assert r.status_code == 204
    assert r.headers[ALLOW_ORIGIN] == ORIGIN
    assert r.headers[ALLOW_CREDENTIALS] == "true"
    assert set(r.headers[ALLOW_HEADERS].split(",")) == set(headers.split(","))
    assert set(r.headers[ALLOW_METHODS].split(",")) == set(methods.split(","))


def test_should_reject_preflight_request_origin_exact_match_default_headers(rest: Any) -> None:
    """CorsTest.shouldRejectPreflightRequestOriginExactMatchDefaultHeaders: 403."""
    server = _server(rest, "flibble.com")
    r = _send(server, "OPTIONS", {"origin": ORIGIN, "Access-Control-Request-Method": "POST"})
    assert r.status_code == 403


def test_convert_comma_separated_wildcards_to_regex() -> None:
    """ServerUtils.convertCommaSeparatedWilcardsToRegex"""
    assert wildcards_to_regex("blah.com, *.wibble.com,a+b?-c") == r"blah\.com|.*\.wibble\.com|a\+b\?\-c"
