"""Port of ksqlDB 0.29 `io.confluent.ksql.rest.server.KsqlRestConfigTest`, its inter-node listener tests
(KsqlRestConfig.getInterNodeListener), through what a user sees of it: the host a server names itself by in
SHOW QUERIES EXTENDED's ksqlHostQueryStatus, and the configuration errors that stop it from starting. Not
ported: the internal listener (`ksql.internal.listener`: this server has one listener), the first listener's
unresolvable host (the bound listener always resolves), the loopback/wildcard log lines, getOriginals'
copies, getKsqlConfigProperties, and the SSL client authentication settings (no client certificates here)."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from ksqlserver.config import ConfigError, ServerConfig
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.server import BackgroundServer

ADVERTISED = "ksql.advertised.listener"


def _host(rest: Any, advertised: str | None = None, host: str = "127.0.0.1") -> tuple[str, int]:
    """The host:port this server shows for its persistent query."""
    properties = {ADVERTISED: advertised} if advertised is not None else {}
    _, driver, server = rest.start(properties, server_options={"host": host})
    driver.create_topic("t", 1, 1)
    rest.ok(server, "CREATE STREAM S (ID INT KEY, V INT) WITH (kafka_topic='t', value_format='json');")
    rest.ok(server, "CREATE STREAM S2 AS SELECT * FROM S;")
    [entity] = rest.ok(server, "SHOW QUERIES EXTENDED;")
    [description] = entity["queryDescriptions"]
    [shown] = description["ksqlHostQueryStatus"]
    return shown, server.port


def _start_fails(advertised: str) -> str:
    engine = Engine(EngineConfig(processing_log=False, properties={ADVERTISED: advertised}), MemoryDriver())
    try:
        with pytest.raises(ConfigError) as info:
            BackgroundServer(engine, ServerConfig(host="127.0.0.1", port=0)).start()
    finally:
        engine.close()
    return info.value.message


@pytest.mark.parametrize(
    ("advertised", "shown"),
    [
        ("https://unresolvable.host:12345", "unresolvable.host:12345"),  # ...SetToUnresolvableHost
        ("https://example.com:12345", "example.com:12345"),  # ...SetToResolvableHost
        ("https://localHost:52368", "localHost:52368"),  # ...IfSetToLocalHost
        ("https://127.0.0.2:12345", "127.0.0.2:12345"),  # ...IfSetToIpv4Loopback
        ("https://[::1]:12345", "[::1]:12345"),  # ...IfSetToIpv6Loopback
        (
            "https://example.com:12345/",
            "example.com:12345",
        ),  # shouldSanitizeInterNodeListenerWithTrailingSlash
    ],
)
def test_should_use_explicit_inter_node_listener(rest: Any, advertised: str, shown: str) -> None:
    """KsqlRestConfigTest.shouldUseExplicitInterNodeListener*: the advertised listener as it is."""
    assert _host(rest, advertised)[0] == shown


def test_should_throw_if_explicit_inter_node_listener_is_invalid_url() -> None:
    """KsqlRestConfigTest.shouldThrowIfExplicitInterNodeListenerIsInvalidUrl"""
    assert _start_fails("INVALID") == (
        "Invalid value INVALID for configuration ksql.advertised.listener: Not valid URL: no protocol: INVALID"
    )


def test_should_throw_if_explicit_inter_node_listener_has_auto_port_assignment() -> None:
    """KsqlRestConfigTest.shouldThrowIfExplicitInterNodeListenerHasAutoPortAssignment (and no port at all)"""
    for advertised in ("https://example.com:0", "https://example.com"):
        assert _start_fails(advertised) == (
            f"Invalid value {advertised} for configuration ksql.advertised.listener: Must have valid port"
        )


@pytest.mark.parametrize("advertised", ["https://0.0.0.0:12589", "https://[::]:12345"])
def test_should_throw_if_explicit_inter_node_listener_has_wildcard_address(advertised: str) -> None:
    """KsqlRestConfigTest.shouldThrowIfExplicitInterNodeListenerHasIpv4WildcardAddress / ...Ipv6..."""
    assert _start_fails(advertised) == (
        f"Invalid value {advertised} for configuration ksql.advertised.listener: Can not be wildcard"
    )


def test_should_resolve_inter_node_listener_to_first_listener_with_auto_port_assignment(rest: Any) -> None:
    """KsqlRestConfigTest.shouldResolveInterNodeListenerToFirstListenerWithAutoPortAssignment: port 0 is the
    port the server got."""
    shown, port = _host(rest)
    assert shown == f"127.0.0.1:{port}"


def test_should_resolve_inter_node_listener_to_first_listener_with_ipv4_wildcard_address(rest: Any) -> None:
    """KsqlRestConfigTest.shouldResolveInterNodeListenerToFirstListenerWithIpv4WildcardAddress: the local
    host's canonical name in place of 0.0.0.0."""
    shown, port = _host(rest, host="0.0.0.0")
    assert shown == f"{socket.getfqdn(socket.gethostname())}:{port}"
