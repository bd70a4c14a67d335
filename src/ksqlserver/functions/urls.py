"""URL functions (java.net.URI / URLEncoder semantics)."""

from __future__ import annotations

from urllib.parse import quote_plus, unquote_plus, urlsplit

from ksqlserver.catalog import types as T
from ksqlserver.functions.registry import FunctionRegistry, fn


def _parameter(url: str, name: str) -> str | None:
    query = urlsplit(url).query
    for part in query.split("&"):
        k, sep, v = part.partition("=")
        if k == name:
            return v if sep else None
    return None


def _port(url: str) -> int | None:
    try:
        return urlsplit(url).port
    except ValueError:
        return None


def register(r: FunctionRegistry) -> None:
    S = T.STRING
    fn(
        r,
        "URL_ENCODE_PARAM",
        "Encodes a string in the application/x-www-form-urlencoded format.",
        "URL",
        (["STRING"], S, lambda s: quote_plus(s, safe="*").replace("~", "%7E")),
    )
    fn(
        r,
        "URL_DECODE_PARAM",
        "Decodes an application/x-www-form-urlencoded string.",
        "URL",
        (["STRING"], S, unquote_plus),
    )
    fn(
        r,
        "URL_EXTRACT_FRAGMENT",
        "Extracts the fragment of a URL.",
        "URL",
        (["STRING"], S, lambda u: urlsplit(u).fragment or None),
    )
    fn(
        r,
        "URL_EXTRACT_HOST",
        "Extracts the host of a URL.",
        "URL",
        (["STRING"], S, lambda u: urlsplit(u).hostname or None),
    )
    fn(
        r,
        "URL_EXTRACT_PARAMETER",
        "Extracts the value of a query parameter of a URL.",
        "URL",
        (["STRING", "STRING"], S, _parameter),
    )
    fn(
        r,
        "URL_EXTRACT_PATH",
        "Extracts the path of a URL.",
        "URL",
        (["STRING"], S, lambda u: urlsplit(u).path if urlsplit(u).scheme else None),
    )
    fn(r, "URL_EXTRACT_PORT", "Extracts the port of a URL.", "URL", (["STRING"], T.INTEGER, _port))
    fn(
        r,
        "URL_EXTRACT_PROTOCOL",
        "Extracts the protocol of a URL.",
        "URL",
        (["STRING"], S, lambda u: urlsplit(u).scheme or None),
    )
    fn(
        r,
        "URL_EXTRACT_QUERY",
        "Extracts the query of a URL.",
        "URL",
        (["STRING"], S, lambda u: urlsplit(u).query or None),
    )
