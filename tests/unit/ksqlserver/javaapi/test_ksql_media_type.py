"""Port of ksqlDB 0.29 `io.confluent.ksql.rest.entity.KsqlMediaTypeTest` (Common.shouldHaveUpToDateLatest,
PerValue.shouldParse, PerValue.shouldGetValueOf), through /query: each KsqlMediaType a client accepts is
parsed (`application/vnd.ksql.v<version>+<format>`) and answered in that type; LATEST_FORMAT (v1 JSON, the
highest version) is what `application/json` gets; a version ksqlDB does not know is not acceptable (406)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

MEDIA_TYPES = ["application/vnd.ksql.v1+json", "application/vnd.ksql.v1+protobuf"]


def _server(rest: Any) -> Any:
    _, _, server = rest.page_view_app()
    return server


@pytest.mark.parametrize("media_type", MEDIA_TYPES)
def test_should_parse(rest: Any, media_type: str) -> None:
    """KsqlMediaTypeTest.PerValue.shouldParse / shouldGetValueOf: the type is answered as it was named."""
    r = rest.post(_server(rest), "/query", {"ksql": "SELECT * FROM PAGEVIEW_KSTREAM;"}, accept=media_type)
    assert r.status_code == 200
    assert r.headers["content-type"] == media_type
    header = r.json()[0]["header"]
    assert ("protoSchema" in header) == media_type.endswith("+protobuf")


def test_should_have_up_to_date_latest(rest: Any) -> None:
    """KsqlMediaTypeTest.Common.shouldHaveUpToDateLatest: LATEST_FORMAT is v1 JSON, the one for
    `application/json` (ServerVerticle.getContentType)."""
    r = rest.post(
        _server(rest), "/query", {"ksql": "SELECT * FROM PAGEVIEW_KSTREAM;"}, accept="application/json"
    )
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/vnd.ksql.v1+json"


def test_unknown_version_is_not_acceptable(rest: Any) -> None:
    """No route produces `application/vnd.ksql.v2+json`: Vert.x answers 406 before any handler."""
    server = _server(rest)
    r = httpx.post(
        server.url + "/query",
        json={"ksql": "SELECT * FROM PAGEVIEW_KSTREAM;"},
        headers={"Accept": "application/vnd.ksql.v2+json"},
        timeout=30,
    )
    assert r.status_code == 406
