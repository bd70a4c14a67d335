"""Port of ksqlDB 0.29 `io.confluent.ksql.api.server.AuthHandlersTest` (ksqldb-rest-app): the paths
`authentication.skip.paths` lets through without credentials (AuthHandlers.selectHandler's SKIP provider) and
the pattern getAuthenticationSkipPathPattern builds (server/auth.py skip_path_pattern). The plugin provider of
shouldNotSelectSkipProviderForAuthorizedPaths has no counterpart; basic auth stands for it."""

from __future__ import annotations

from typing import Any

import httpx

from ksqlserver.config import Secret
from ksqlserver.server.auth import skip_path_pattern


def test_should_select_skip_provider_for_unauthorized_paths(rest: Any) -> None:
    """AuthHandlersTest.shouldSelectSkipProviderForUnauthorizedPaths / shouldNotSelectSkipProviderForAuthorizedPaths:
    a path the pattern matches goes on without credentials (here to the 404 of an unknown path), another
    one is authenticated first"""
    _, _, server = rest.start(
        server_options={"credentials": {"fred": Secret("pw")}, "auth_skip_paths": ("/unauthorized*",)}
    )
    skipped = httpx.get(server.url + "/unauthorized_path", timeout=10)
    assert skipped.status_code == 404
    authed = httpx.get(server.url + "/authorized_path", timeout=10)
    assert authed.status_code == 401
    assert authed.json()["message"] == "Unauthorized"


def test_should_build_regex_that_respects_skip_paths() -> None:
    """AuthHandlersTest.shouldBuildRegexThatRespectsSkipPaths"""
    skips = skip_path_pattern(["/heartbeat", "/lag"])
    assert skips.fullmatch("/heartbeat")
    assert skips.fullmatch("/lag")
    assert not skips.fullmatch("/foo")
