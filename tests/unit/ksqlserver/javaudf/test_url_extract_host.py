"""Port of ksqlDB 0.29 UrlExtractHostTest (io.confluent.ksql.function.udf.url.UrlExtractHost)."""

from __future__ import annotations

from typing import Any

import pytest

from ksqlserver.catalog import types as T
from ksqlserver.catalog.types import SqlType
from ksqlserver.errors import EvaluationError
from ksqlserver.functions import default_registry

S, INT, BIG, B = T.STRING, T.INTEGER, T.BIGINT, T.BYTES


def call(name: str, types: list[SqlType | None], *args: Any) -> Any:
    return default_registry().require(name).resolve_call(types).impl(*args)


FN = "URL_EXTRACT_HOST"


def test_host() -> None:
    """shouldExtractHostIfPresent, shouldReturnNullIfNoHost."""
    assert call(FN, [S], "https://docs.confluent.io:8080/current/ksql/docs/syntax-reference.html#scalar-functions") == (
        "docs.confluent.io"
    )
    assert call(FN, [S], "https:///current/ksql/docs/syntax-reference.html#scalar-functions") is None


def test_malformed_url_throws() -> None:
    """shouldThrowExceptionForMalformedURL (UrlParser.parseUrl's message)."""
    with pytest.raises(EvaluationError, match=r"URL input has invalid syntax: http://257.1/bogus/\[url"):
        call(FN, [S], "http://257.1/bogus/[url")


@pytest.mark.parametrize("url", [
    "http://my_host.com/x", "http://bücher.de/", "http://foo.123/", "http://256.1.1.1/", "http://1.2.3.4.5/",
    "http://a-.com/", "http://h:80x/", "http://h:99999999999/", "http://:80/",
])
def test_registry_based_authority_has_no_host(url: str) -> None:
    """Beyond UrlExtractHostTest: java.net.URI.parseAuthority falls back to a registry-based authority when
    parseServer fails (parseHostname: ASCII letters, digits and inner dashes, the rightmost label starting with
    a letter; parseIPv4Address: bytes up to 255; a port that fits an int), and getHost() is then null."""
    assert call(FN, [S], url) is None
    assert call("URL_EXTRACT_PORT", [S], url) is None


def test_server_based_hosts() -> None:
    """URI.parseServer: user info before the first '@', IPv4 addresses, one all-digit label, a trailing dot."""
    assert call(FN, [S], "http://u:p@Host.com:81/") == "Host.com"
    assert call(FN, [S], "http://1.2.3.4:8/") == "1.2.3.4"
    assert call(FN, [S], "http://123/") == "123"
    assert call(FN, [S], "http://example.com./") == "example.com."
    assert call(FN, [S], "http://[::1]:9/") == "[::1]"


def test_through_the_engine(select: Any) -> None:
    out = select("URL_EXTRACT_HOST(C) AS A", "C STRING", {"C": "https://docs.confluent.io:8080/x"})
    assert out.value == {"A": "docs.confluent.io"}
    assert out.types == {"A": "STRING"}
