"""The address this server gives other servers and shows as its own host (ksqlDB 0.29's
KsqlRestConfig.getInterNodeListener): `ksql.advertised.listener` when set, checked as ksqlDB checks it,
else the listener the server is bound to, with a wildcard address replaced by this machine's name."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from ksqlserver.config import ConfigError

ADVERTISED_LISTENER = "ksql.advertised.listener"
# java.net.URL's stream handlers: any other scheme is "unknown protocol"
JAVA_URL_PROTOCOLS = frozenset({"http", "https", "ftp", "file", "jar", "mailto", "jrt"})


def _invalid(value: str, message: str) -> ConfigError:
    """Kafka's ConfigException(name, value, message)."""
    return ConfigError(f"Invalid value {value} for configuration {ADVERTISED_LISTENER}: {message}", value)


def _is_wildcard(host: str) -> bool:
    """InetAddress.isAnyLocalAddress of a literal address (0.0.0.0, ::)."""
    try:
        return ipaddress.ip_address(host.strip("[]")).is_unspecified
    except ValueError:
        return False


def _host_port(host: str, port: int) -> str:
    """KsqlHostInfoEntity's `host:port` (an IPv6 literal keeps its brackets, as java.net.URL's host does)."""
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"{host}:{port}"


def _split(url: str) -> tuple[str, str, int | None]:
    """java.net.URL(String): the protocol, host and port (None: no port), or the MalformedURLException text
    KsqlRestConfig's validator reports as "Not valid URL: <text>"."""
    scheme, sep, _ = url.partition(":")
    if not sep or not scheme or not scheme.replace("+", "").replace("-", "").replace(".", "").isalnum():
        raise _invalid(url, f"Not valid URL: no protocol: {url}")
    if scheme.lower() not in JAVA_URL_PROTOCOLS:
        raise _invalid(url, f"Not valid URL: unknown protocol: {scheme.lower()}")
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        raise _invalid(url, f"Not valid URL: For input string: \"{parts.netloc.rpartition(':')[2]}\"") from None
    host = parts.netloc.rpartition("@")[2]
    host = host[: host.rindex("]") + 1] if host.startswith("[") else host.partition(":")[0]
    return scheme.lower(), host, port


def inter_node_host(advertised: str | None, bound_url: str) -> str:
    """`host:port` of the inter-node listener: getInterNodeListenerFromExplicitConfig for an advertised
    listener (it must name a port and may not be a wildcard address; an unresolvable host is fine, it may
    resolve elsewhere), else getInterNodeListenerFromFirstListener over the bound listener, a wildcard
    host replaced by InetAddress.getLocalHost().getCanonicalHostName()."""
    if advertised:
        _, host, port = _split(advertised)
        if port is None or port <= 0:
            raise _invalid(advertised, "Must have valid port")
        if _is_wildcard(host):
            raise _invalid(advertised, "Can not be wildcard")
        return _host_port(host, port)
    _, host, port = _split(bound_url)
    if _is_wildcard(host):
        host = socket.getfqdn(socket.gethostname())
    return _host_port(host, port or 0)


def inter_node_url(advertised: str | None, bound_url: str) -> str:
    """The inter-node listener as the URL KsqlRestApplication.buildConfigWithPort sets as the engine's
    `ksql.streams.application.server` (java.net.URL(protocol, host, port, "").toString())."""
    scheme = urlsplit(advertised or bound_url).scheme.lower()
    return f"{scheme}://{inter_node_host(advertised, bound_url)}"
