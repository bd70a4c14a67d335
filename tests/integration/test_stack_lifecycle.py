"""The stack manager against real processes: reuse, errors while starting, ports taken."""

from __future__ import annotations

import socket
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from fraudlab.stack import Stack, StackConfig
from fraudlab.stack.errors import PortInUseError, ServiceDiedError
from fraudlab.stack.ports import free_ports


def test_second_up_reuses_the_healthy_stack(stack_config: StackConfig | None) -> None:
    if stack_config is None:
        pytest.fail("this test needs the session's embedded stack (unset FRAUDLAB_BOOTSTRAP_SERVERS)")
    rows = Stack(stack_config).up(progress=False)
    assert [r.service for r in rows] == ["broker", "schema-registry", "connect"]
    assert all(r.reused and r.healthy and r.pid for r in rows)
    assert sum(r.rss_mb or 0 for r in rows) < 2048  # the idle budget, in MB


def test_status_json_for_scripts(stack_config: StackConfig | None) -> None:
    assert stack_config is not None
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "fraudlab.cli",
            "stack",
            "status",
            "--json",
            "--no-ksql",
            "--state-dir",
            str(stack_config.state_dir),
            "--kafka-port",
            str(stack_config.kafka_port),
            "--connect-port",
            str(stack_config.connect_port),
            "--schema-registry-port",
            str(stack_config.schema_registry_port),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    import json

    rows = json.loads(out.stdout)
    assert {r["service"]: r["healthy"] for r in rows} == {
        "broker": True,
        "schema-registry": True,
        "connect": True,
    }


def test_taken_port_is_a_clear_error(tmp_path: Path) -> None:
    kafka, connect, ksql, registry = free_ports(4)
    config = StackConfig.default(
        state_dir=tmp_path,
        kafka_port=kafka,
        connect_port=connect,
        ksql_port=ksql,
        schema_registry_port=registry,
        with_ksql=False,
    )
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", kafka))
        sock.listen()
        with pytest.raises(PortInUseError, match=f"port {kafka} for broker is already taken"):
            Stack(config).up(progress=False)


def test_service_dying_at_start_shows_its_log(tmp_path: Path) -> None:
    kafka, connect, ksql, registry = free_ports(4)
    config = StackConfig.default(
        state_dir=tmp_path,
        kafka_port=kafka,
        connect_port=connect,
        ksql_port=ksql,
        schema_registry_port=registry,
        with_ksql=False,
    )
    broken = replace(config, broker_heap_mb=1)  # the JVM refuses to start with a 1 MB heap
    stack = Stack(broken)
    try:
        with pytest.raises(ServiceDiedError) as err:
            stack.up(progress=False)
        assert err.value.service == "broker"
        assert "heap" in err.value.log_tail.lower()
        assert str(err.value.log_path) in str(err.value)
    finally:
        stack.down()


def test_cli_errors_are_one_line_without_traceback(tmp_path: Path) -> None:
    kafka, connect, ksql = free_ports(3)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", connect))
        sock.listen()
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "fraudlab.cli",
                "stack",
                "up",
                "--no-ksql",
                "--no-schema-registry",
                "--state-dir",
                str(tmp_path),
                "--kafka-port",
                str(kafka),
                "--connect-port",
                str(connect),
                "--ksql-port",
                str(ksql),
            ],
            capture_output=True,
            text=True,
        )
    try:
        assert done.returncode == 1
        assert "Traceback" not in done.stderr
        assert f"port {connect} for connect is already taken" in done.stderr
    finally:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "fraudlab.cli",
                "stack",
                "down",
                "--no-ksql",
                "--state-dir",
                str(tmp_path),
                "--kafka-port",
                str(kafka),
                "--connect-port",
                str(connect),
            ],
            capture_output=True,
        )
