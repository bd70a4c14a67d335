"""URL functions (java.net.URI's components, Guava's form-parameter escaper, URLDecoder)."""

from __future__ import annotations

from urllib.parse import quote_plus, unquote_plus, urlsplit

from ksqlserver.functions.registry import FunctionRegistry, V, udf


def encode_param(s: str) -> str:
    return quote_plus(s, safe="*").replace("~", "%7E")


def extract_parameter(url: str, name: str) -> str | None:
    query = urlsplit(url).query
    if not query and "?" not in url:
        return None
    for part in query.split("&"):
        k, sep, v = part.partition("=")
        if k == name:
            return v if sep else ""
    return None


def extract_port(url: str) -> int | None:
    try:
        return urlsplit(url).port
    except ValueError:
        return None


def extract_fragment(url: str) -> str | None:
    return urlsplit(url).fragment or None


def extract_host(url: str) -> str | None:
    return urlsplit(url).hostname or None


def extract_path(url: str) -> str | None:
    return urlsplit(url).path if urlsplit(url).scheme else None


def extract_protocol(url: str) -> str | None:
    return urlsplit(url).scheme or None


def extract_query(url: str) -> str | None:
    return urlsplit(url).query or None


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
