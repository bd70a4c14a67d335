"""URL functions (java.net.URI's components, decoded, case kept; Guava's form-parameter escaper;
URLDecoder)."""

from __future__ import annotations

import re
from urllib.parse import quote_plus, unquote, unquote_plus

from ksqlserver.errors import EvaluationError
from ksqlserver.functions.registry import FunctionRegistry, V, udf


def encode_param(s: str) -> str:
    return quote_plus(s, safe="*").replace("~", "%7E")


_URI = re.compile(r"^(?:([^:/?#]+):)?(?://([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$", re.S)
_ILLEGAL = re.compile(r'[\x00-\x20"<>\\^`{|}\x7f]|%(?![0-9A-Fa-f]{2})')


def _uri(url: str) -> re.Match[str]:
    """java.net.URI's components (RFC 2396); text URI rejects raises, as ksqlDB's UDFs do."""
    m = _URI.match(url)
    if (
        m is None
        or _ILLEGAL.search(url)
        or (m.group(1) is not None and not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*", m.group(1)))
        or _misplaced_brackets(m)
    ):
        raise EvaluationError(f"URL input has invalid syntax: {url}")
    return m


def _misplaced_brackets(m: re.Match[str]) -> bool:
    """java.net.URI takes '[' and ']' around an IPv6 host and in a query or fragment (reserved characters),
    never in a hierarchical path ("Illegal character in path")."""
    path = m.group(3)
    opaque = m.group(1) is not None and m.group(2) is None and not path.startswith("/")
    if not opaque and ("[" in path or "]" in path):
        return True
    auth = (m.group(2) or "").rsplit("@", 1)[-1]
    if auth.startswith("["):
        auth = auth[auth.find("]") + 1 :] if "]" in auth else auth
    return "[" in auth or "]" in auth


def _decoded(part: str | None) -> str | None:
    return None if part is None else unquote(part, errors="replace")


def _authority(url: str) -> tuple[str | None, int | None]:
    """(host, port) of a server-based authority (`user@host:port`), case kept as Java does."""
    auth = _uri(url).group(2)
    if not auth:
        return None, None
    hostport = auth.rsplit("@", 1)[-1]
    if hostport.startswith("["):
        end = hostport.find("]")
        host, rest = hostport[: end + 1], hostport[end + 1 :]
    else:
        host, colon, port_text = hostport.partition(":")
        rest = colon + port_text
    port = int(rest[1:]) if rest.startswith(":") and rest[1:].isdigit() else None
    return host or None, port


def extract_parameter(url: str, name: str) -> str | None:
    query = _decoded(_uri(url).group(4))
    if query is None:
        return None
    for part in query.split("&"):
        k, sep, v = part.partition("=")
        if k == name:
            return v if sep else ""
    return None


def extract_port(url: str) -> int | None:
    return _authority(url)[1]


def extract_fragment(url: str) -> str | None:
    return _decoded(_uri(url).group(5))


def extract_host(url: str) -> str | None:
    return _authority(url)[0]


def extract_path(url: str) -> str | None:
    m = _uri(url)
    if m.group(1) is not None and m.group(2) is None and not m.group(3).startswith("/"):
        return None  # an opaque URI (mailto:x) has no path
    return _decoded(m.group(3))


def extract_protocol(url: str) -> str | None:
    return _uri(url).group(1)


def extract_query(url: str) -> str | None:
    return _decoded(_uri(url).group(4))


def register(r: FunctionRegistry) -> None:
    udf(r, "URL_DECODE_PARAM", "URL",
        "Decodes a previously encoded application/x-www-form-urlencoded String",
        V(["VARCHAR input"], "VARCHAR", unquote_plus, docs=["the value to decode"]),
        java_name="url_decode_param",
    )
    udf(r, "URL_ENCODE_PARAM", "URL",
        "Returns a version of the input with all URL sensitive characters encoded using the "
        "application/x-www-form-urlencoded standard.",
        V(["VARCHAR input"], "VARCHAR", encode_param, docs=["the value to encode"]),
        java_name="url_encode_param",
    )
    udf(r, "URL_EXTRACT_FRAGMENT", "URL",
        "Extracts the fragment of an application/x-www-form-urlencoded String input",
        V(["VARCHAR input"], "VARCHAR", extract_fragment, docs=["a valid URL to extract a fragment from"]),
        java_name="url_extract_fragment",
    )
    udf(r, "URL_EXTRACT_HOST", "URL",
        "Extracts the Host Name of an application/x-www-form-urlencoded String input",
        V(["VARCHAR input"], "VARCHAR", extract_host, docs=["a valid URL"]),
        java_name="url_extract_host",
    )
    udf(r, "URL_EXTRACT_PARAMETER", "URL",
        "Extracts a parameter with a specified name encoded inside an application/x-www-form-urlencoded "
        "String.",
        V(
            ["VARCHAR input", "VARCHAR paramToFind"], "VARCHAR", extract_parameter,
            docs=["a valid URL", "the parameter key"],
        ),
        java_name="url_extract_parameter",
    )
    udf(r, "URL_EXTRACT_PATH", "URL",
        "Extracts the path of an application/x-www-form-urlencoded encoded String input",
        V(["VARCHAR input"], "VARCHAR", extract_path, docs=["a valid URL"]),
        java_name="url_extract_path",
    )
    udf(r, "URL_EXTRACT_PORT", "URL",
        "Extracts the port from an application/x-www-form-urlencoded encoded String. If there is no port "
        "or the string is invalid, this will return null.",
        V(["VARCHAR input"], "INT", extract_port, docs=["a valid URL to extract a port from"]),
        java_name="url_extract_port",
    )
    udf(r, "URL_EXTRACT_PROTOCOL", "URL",
        "Extracts the Scheme Component (protocol) of an application/x-www-form-urlencoded encoded String "
        "input",
        V(["VARCHAR input"], "VARCHAR", extract_protocol, docs=["a valid URL to extract a protocl from"]),
        java_name="url_extract_protocol",
    )
    udf(r, "URL_EXTRACT_QUERY", "URL",
        "Extracts the query parameters of an application/x-www-form-urlencoded encoded String input, if "
        "it exists.",
        V(["VARCHAR input"], "VARCHAR", extract_query, docs=["a valid URL to extract a query from"]),
        java_name="url_extract_query",
    )
