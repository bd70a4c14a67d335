"""Loopback port checks: is a port free, who holds it, and free ports for tests."""

from __future__ import annotations

import contextlib
import random
import socket
from pathlib import Path

import psutil


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def port_holder(port: int) -> str | None:
    """'name (pid N)' of the process listening on `port`, when the OS lets us see it."""
    with contextlib.suppress(psutil.Error, PermissionError):
        for conn in psutil.net_connections(kind="tcp"):
            if conn.laddr and conn.laddr.port == port and conn.status == psutil.CONN_LISTEN and conn.pid:
                with contextlib.suppress(psutil.Error):
                    return f"{psutil.Process(conn.pid).name()} (pid {conn.pid})"
                return f"pid {conn.pid}"
    return None


def ephemeral_port_range() -> tuple[int, int]:
    """The ports the kernel hands out to outgoing connections (Linux's ip_local_port_range)."""
    try:
        low, high = (int(v) for v in Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split())
        return low, high
    except (OSError, ValueError):
        return 32768, 60999  # Linux's default


def free_ports(count: int, host: str = "127.0.0.1") -> list[int]:
    """`count` distinct ports free now, each with its +1 neighbour free too (the broker's controller
    listener takes kafka_port + 1). They are drawn below the kernel's ephemeral range: a port from that
    range can be taken by any outgoing connection on the machine while its service is down, and a broker
    or worker restarted in a fault test then fails to bind it."""
    low_ephemeral, high_ephemeral = ephemeral_port_range()
    low, high = 20000, min(low_ephemeral, 32768) - 2
    if high - low < 1000:  # an unusual ephemeral range: above it instead
        low, high = high_ephemeral + 1, 65534
    draw = random.SystemRandom()
    ports: list[int] = []
    for _ in range(10_000):
        if len(ports) == count:
            return ports
        port = draw.randrange(low, high)
        if {port - 1, port, port + 1} & set(ports):
            continue
        if port_is_free(port, host) and port_is_free(port + 1, host):
            ports.append(port)
    raise OSError(f"no {count} free port pairs between {low} and {high} on {host}")
