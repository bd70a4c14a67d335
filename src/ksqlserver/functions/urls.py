"""URL functions (java.net.URI's components, decoded, case kept; Guava's form-parameter escaper;
java.net.URLDecoder)."""

from __future__ import annotations

import re
from urllib.parse import quote_plus, unquote

from ksqlserver.errors import EvaluationError
from ksqlserver.functions.registry import FunctionRegistry, V, udf


def decode_param(s: str) -> str:
    """java.net.URLDecoder.decode(s, UTF-8): '+' is a space, runs of %XX are UTF-8 bytes (malformed ones
    replaced); a bad or incomplete escape throws IllegalArgumentException (Integer.parseInt takes a sign)."""
    out: list[str] = []
    i, n = 0, len(s)
    while i < n:
        c = s[i]
        if c == "+":
            out.append(" ")
            i += 1
        elif c == "%":
            raw = bytearray()
            while i + 2 < n and s[i] == "%":
                raw.append(_escape_byte(s[i + 1 : i + 3]))
                i += 3
            if i < n and s[i] == "%":
                raise EvaluationError("URLDecoder: Incomplete trailing escape (%) pattern")
            out.append(raw.decode("utf-8", errors="replace"))
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _escape_byte(hex2: str) -> int:
    digits = hex2[1:] if hex2[0] in "+-" else hex2
    bad = next((k for k, ch in enumerate(digits) if ch not in "0123456789abcdefABCDEF"), None)
    if bad is not None or not digits:
        at = bad + len(hex2) - len(digits) if bad is not None else 1
        raise EvaluationError(
            f'URLDecoder: Illegal hex characters in escape (%) pattern - Error at index {at} in: "{hex2}"'
        )
    v = int(hex2, 16)
    if v < 0:
        raise EvaluationError("URLDecoder: Illegal hex characters in escape (%) pattern - negative value")
    return v


def encode_param(s: str) -> str:
    return quote_plus(s, safe="*").replace("~", "%7E")


_URI = re.compile(r"^(?:([^:/?#]+):)?(?://([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$", re.S)
# also the non-ASCII characters java.net.URI refuses unescaped: Character.isISOControl / isSpaceChar
_ILLEGAL = re.compile(
    r'[\x00-\x20"<>\\^`{|}\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]|%(?![0-9A-Fa-f]{2})'
)


def _uri(url: str) -> re.Match[str]:
    """java.net.URI's components (RFC 2396); text URI rejects raises, as ksqlDB's UDFs do."""
    m = _URI.match(url)
    if (
        m is None
        or _ILLEGAL.search(url)
        or (m.group(1) is not None and not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*", m.group(1)))
        or _misplaced_brackets(m)
        or "#" in (m.group(5) or "")  # not a URI character: "Illegal character in fragment"
        or url.startswith(":")  # "Expected scheme name"
        or (m.group(1) is not None and m.group(2) is None and not m.group(3) and m.group(4) is None)
    ):  # the last: "Expected scheme-specific part" (e.g. "http:")
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


_IPV4 = re.compile(r"(\d+)\.(\d+)\.(\d+)\.(\d+)(?=:|$)")
_LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
_HOSTNAME = re.compile(rf"(?:{_LABEL}\.)*({_LABEL})\.?(?=:|$)")
_PORT = re.compile(r"(?::(\d*))?$")


class _NotServer(Exception):
    """java.net.URI.parseServer failed: the authority is registry-based (no host, port -1)."""


def _server_host(hostport: str) -> tuple[str, str]:
    """(host, rest) as URI.parseServer reads them: an IPv6 reference, an IPv4 address (each byte at most
    255, followed by nothing or ':') or a hostname whose labels are ASCII letters, digits and inner dashes,
    the rightmost starting with a letter when there are several."""
    if hostport.startswith("["):
        end = hostport.find("]")
        return hostport[: end + 1], hostport[end + 1 :]
    ip = _IPV4.match(hostport)
    if ip and all(int(b) <= 255 for b in ip.groups()):
        return ip.group(0), hostport[ip.end() :]
    name = _HOSTNAME.match(hostport)
    if name is None or (name.start(1) > 0 and not name.group(1)[0].isalpha()):
        raise _NotServer(hostport)
    return name.group(0), hostport[name.end() :]


def _authority(url: str) -> tuple[str | None, int | None]:
    """(host, port) of a server-based authority (`user@host:port`), case kept as Java does. An authority
    URI.parseServer rejects (a '_' or non-ASCII letter in the host name, a port beyond an int, ...) is
    registry-based in URI.parseAuthority: getHost() null, getPort() -1."""
    auth = _uri(url).group(2)
    if not auth:
        return None, None
    user, at, hostport = auth.partition("@")  # the first '@' ends the user info
    if not at:
        hostport = user
    elif "[" in user or "]" in user:
        return None, None
    try:
        host, rest = _server_host(hostport)
    except _NotServer:
        return None, None
    port = _PORT.match(rest)
    if port is None or (port.group(1) and int(port.group(1)) > 2**31 - 1):
        return None, None  # "Illegal character in port number" / "Malformed port number"
    return host, int(port.group(1)) if port.group(1) else None


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
        V(["VARCHAR input"], "VARCHAR", decode_param, docs=["the value to decode"]),
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
