"""The stack's configuration, prerequisite checks and process bookkeeping (no services started)."""

from __future__ import annotations

import os
import socket
import stat
import time
from pathlib import Path

import psutil
import pytest

from fraudlab.stack import Stack, StackConfig
from fraudlab.stack.errors import JarFetchError, JavaNotFoundError, MavenNotFoundError
from fraudlab.stack.jars import ensure_jars
from fraudlab.stack.ports import ephemeral_port_range, free_ports, port_holder, port_is_free
from fraudlab.stack.prereqs import java_major_version, maven_path
from fraudlab.stack.process import PidRecord, process_of
from fraudlab.stack.services import Broker, Connect, new_cluster_id

REPO = Path(__file__).resolve().parents[4]


def fake_program(tmp_path: Path, name: str, stderr: str) -> str:
    path = tmp_path / name
    path.write_text(f"#!/bin/sh\necho '{stderr}' >&2\n")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return str(path)


def test_defaults_match_the_documented_ports(tmp_path: Path) -> None:
    config = StackConfig.default(project_root=REPO, state_dir=tmp_path)
    assert (config.kafka_port, config.connect_port, config.ksql_port) == (9092, 8083, 8088)
    assert config.bootstrap_servers == "127.0.0.1:9092"
    assert config.controller == 9093
    assert config.lib_dir == REPO / ".cache" / "jars" / "lib"


def test_default_state_dir_is_inside_the_project_and_ignored() -> None:
    config = StackConfig.default(project_root=REPO)
    assert config.state_dir == REPO / ".state" / "stack"
    assert ".state/" in (REPO / ".gitignore").read_text().splitlines()


@pytest.mark.parametrize(
    ("banner", "major"),
    [('openjdk version "17.0.15" 2025-04-15', 17), ('openjdk version "21" 2023-09-19', 21)],
)
def test_java_version_is_read(tmp_path: Path, banner: str, major: int) -> None:
    assert java_major_version(fake_program(tmp_path, "java", banner)) == major


def test_old_java_is_refused(tmp_path: Path) -> None:
    java = fake_program(tmp_path, "java", 'java version "1.8.0_392"')
    with pytest.raises(JavaNotFoundError, match="Java 8; Kafka 4 needs Java 17"):
        java_major_version(java)


def test_missing_java_and_maven_are_named() -> None:
    with pytest.raises(JavaNotFoundError, match="'no-such-java' was not found"):
        java_major_version("no-such-java")
    with pytest.raises(MavenNotFoundError, match="Maven"):
        maven_path("no-such-mvn")


def test_jar_fetch_failure_names_the_pom(tmp_path: Path) -> None:
    (tmp_path / "connectors").mkdir()
    (tmp_path / "connectors" / "pom.xml").write_text(
        """<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
        <groupId>io.fraudlab.test</groupId><artifactId>missing</artifactId><version>1</version>
        <packaging>pom</packaging><dependencies><dependency><groupId>io.fraudlab.nonexistent</groupId>
        <artifactId>nothing-here</artifactId><version>0.0.1</version></dependency></dependencies></project>"""
    )
    config = StackConfig.default(project_root=tmp_path, state_dir=tmp_path / "state")
    with pytest.raises(JarFetchError) as err:
        ensure_jars(config)
    assert "pom.xml" in str(err.value)
    assert "nothing-here" in str(err.value)


def test_maven_missing_when_jars_must_be_fetched(tmp_path: Path) -> None:
    (tmp_path / "connectors").mkdir()
    (tmp_path / "connectors" / "pom.xml").write_text("<project/>")
    config = StackConfig.default(project_root=tmp_path, state_dir=tmp_path / "s", maven="no-such-mvn")
    with pytest.raises(MavenNotFoundError):
        ensure_jars(config)


def test_port_checks_see_a_listener() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        assert not port_is_free(port)
        assert port_holder(port) is not None and str(os.getpid()) in port_holder(port)
    ports = free_ports(3)
    assert len(set(ports)) == 3 and all(port_is_free(p) and port_is_free(p + 1) for p in ports)
    # never in the range the kernel gives outgoing connections, which could take them during a restart
    low, high = ephemeral_port_range()
    assert all(not low <= p <= high and not low <= p + 1 <= high for p in ports), ports


def test_stale_pid_files_are_not_running_and_cleaned(tmp_path: Path) -> None:
    config = StackConfig.default(project_root=REPO, state_dir=tmp_path, with_ksql=False)
    stack = Stack(config)
    dead = psutil.Popen(["true"])
    dead.wait()
    for svc in stack.services:
        svc.dir.mkdir(parents=True)
        PidRecord(dead.pid, time.time() - 100, svc.address, time.time()).save(svc.pid_path)
    assert all(row.pid is None and not row.healthy for row in stack.status())
    assert dict(stack.down()) == {
        "broker": "not running",
        "schema-registry": "not running",
        "connect": "not running",
    }
    assert not any(svc.pid_path.exists() for svc in stack.services)


def test_pid_record_rejects_a_reused_pid() -> None:
    me = psutil.Process()
    assert process_of(PidRecord(me.pid, me.create_time(), "x", 0.0)) is not None
    assert process_of(PidRecord(me.pid, me.create_time() - 3600, "x", 0.0)) is None


def test_broker_config_is_kraft_combined_with_explicit_heap(tmp_path: Path) -> None:
    config = StackConfig.default(project_root=REPO, state_dir=tmp_path, kafka_port=19092, broker_heap_mb=384)
    broker = Broker("broker", config)
    steps = broker.prepare()
    props = dict(
        line.split("=", 1) for line in (tmp_path / "broker" / "server.properties").read_text().splitlines()
    )
    assert props["process.roles"] == "broker,controller"
    assert props["listeners"] == "PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093"
    assert steps and "format" in steps[0]  # first start formats the storage
    assert "-Xmx384m" in broker.command()
    connect = Connect("connect", config)
    connect.prepare()
    worker = (tmp_path / "connect" / "worker.properties").read_text()
    assert f"plugin.path={config.plugins_dir}" in worker
    assert any(a.startswith("-Xmx") for a in connect.command())


def test_cluster_ids_are_kafka_uuids() -> None:
    # 2,000 draws: a leading '-' (1 in 64 per id) would be taken for an option by the storage tool
    ids = {new_cluster_id() for _ in range(2000)}
    assert len(ids) == 2000
    assert all(len(i) == 22 and "=" not in i and not i.startswith("-") for i in ids)


def test_a_stale_cluster_id_with_a_leading_dash_is_replaced(tmp_path: Path) -> None:
    config = StackConfig.default(project_root=REPO, state_dir=tmp_path)
    (tmp_path / "broker").mkdir()
    (tmp_path / "broker" / "cluster.id").write_text("-badIdFromAnOldRun0000")
    steps = Broker("broker", config).prepare()
    new_id = (tmp_path / "broker" / "cluster.id").read_text()
    assert not new_id.startswith("-")
    assert steps[0][steps[0].index("-t") + 1] == new_id


def test_schema_registry_is_a_service_and_the_ksql_server_gets_its_url(tmp_path: Path) -> None:
    config = StackConfig.default(project_root=REPO, state_dir=tmp_path, schema_registry_port=18181)
    stack = Stack(config)
    assert [s.name for s in stack.services] == ["broker", "schema-registry", "connect", "ksql"]
    registry = stack.services[1]
    assert registry.address == "http://127.0.0.1:18181"
    command = registry.command()
    assert command[1:3] == ["-m", "schemaregistry"]
    assert command[command.index("--bootstrap-servers") + 1] == config.bootstrap_servers
    ksql = stack.services[3].command()
    assert ksql[ksql.index("ksql.schema.registry.url=http://127.0.0.1:18181") - 1] == "-p"
    assert ksql[ksql.index(f"ksql.connect.url={config.connect_url}") - 1] == "-p"  # CREATE CONNECTOR's worker
    without = Stack(StackConfig.default(project_root=REPO, state_dir=tmp_path, with_schema_registry=False))
    assert "schema-registry" not in [s.name for s in without.services]
    assert not any("schema.registry" in a for a in without.services[-1].command())


def test_a_relative_state_dir_is_made_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`make demo SECURITY=sasl_ssl` passes `--state-dir .state/stack-sasl_ssl`: the broker, started in
    its own directory, could not find a relative server.properties."""
    monkeypatch.chdir(tmp_path)
    config = StackConfig.default(project_root=REPO, state_dir=Path(".state/stack-x"))
    assert config.state_dir == tmp_path / ".state" / "stack-x"
