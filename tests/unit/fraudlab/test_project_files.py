"""docker-compose.yml and environment.yml stay in step with the embedded stack and pyproject.toml."""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml

from fraudlab.stack import StackConfig

REPO = Path(__file__).resolve().parents[3]


def compose() -> dict:
    return yaml.safe_load((REPO / "docker-compose.yml").read_text())


def host_ports(service: dict) -> set[int]:
    return {int(str(p).split(":")[0]) for p in service.get("ports", [])}


def test_compose_has_the_same_topology_and_ports_as_the_embedded_stack() -> None:
    services = compose()["services"]
    assert {"kafka", "connect", "schema-registry", "ksqldb-server", "jupyterlab"} <= set(services)
    defaults = StackConfig.default(project_root=REPO)
    assert defaults.kafka_port in host_ports(services["kafka"])
    assert defaults.connect_port in host_ports(services["connect"])
    assert defaults.ksql_port in host_ports(services["ksqldb-server"])
    assert defaults.schema_registry_port in host_ports(services["schema-registry"])
    registry_url = services["ksqldb-server"]["environment"]["KSQL_KSQL_SCHEMA_REGISTRY_URL"]
    assert registry_url.endswith(f":{defaults.schema_registry_port}")
    connect_url = services["ksqldb-server"]["environment"]["KSQL_KSQL_CONNECT_URL"]
    assert connect_url == f"http://connect:{services['connect']['environment']['CONNECT_REST_PORT']}"
    assert services["ksqldb-server"]["image"].endswith(":0.29.0")
    assert services["kafka"]["environment"]["KAFKA_PROCESS_ROLES"] == "broker,controller"


def test_compose_connect_has_the_csv_connector_and_the_spool_dir() -> None:
    connect = compose()["services"]["connect"]
    plugin_path = connect["environment"]["CONNECT_PLUGIN_PATH"]
    assert "/opt/fraudlab/plugins" in plugin_path
    assert any("csv-source" in v for v in connect["volumes"])
    assert any(".state/stack/connect/spool" in v for v in connect["volumes"])


def test_compose_config_validates_when_the_client_can() -> None:
    docker = shutil.which("docker")
    has_compose = (
        docker is not None
        and subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0
    )
    if has_compose:
        done = subprocess.run(
            [docker, "compose", "-f", str(REPO / "docker-compose.yml"), "config", "-q"],
            capture_output=True,
            text=True,
            cwd=REPO,
        )
        assert done.returncode == 0, done.stderr
    else:  # no compose plugin here (the usual CI case): check what `config` would, and the wiring
        check_compose_wiring(compose())


def check_compose_wiring(doc: dict) -> None:
    """Every service has an image; `depends_on` names services (and `service_healthy` ones with a
    healthcheck); port mappings are HOST:CONTAINER numbers; every in-network address (`name:port`,
    `http://name:port`) in an environment names a service of the file on a port it serves."""
    services = doc["services"]
    serves: dict[str, set[int]] = {}
    for name, svc in services.items():
        assert svc.get("image"), f"{name}: no image"
        assert all(re.fullmatch(r"\d+:\d+", str(p)) for p in svc.get("ports", [])), f"{name}: ports {svc.get('ports')}"
        ports = {int(str(p).split(":")[1]) for p in svc.get("ports", [])}
        for key, value in (svc.get("environment") or {}).items():  # what it listens on inside the network
            if key.endswith("LISTENERS"):
                ports |= {int(p) for p in re.findall(r":(\d+)", str(value))}
            elif key.endswith("_PORT"):
                ports.add(int(value))
        serves[name] = serves[svc.get("hostname", name)] = ports
    for name, svc in services.items():
        depends = svc.get("depends_on") or []
        for dep in depends:
            assert dep in services, f"{name} depends on unknown service {dep}"
            if isinstance(depends, dict) and depends[dep].get("condition") == "service_healthy":
                assert "healthcheck" in services[dep], f"{name} waits for {dep}'s health, which has no healthcheck"
        for key, value in (svc.get("environment") or {}).items():
            for host, port in re.findall(r"(?:^|//|,)([a-z][a-z-]*):(\d+)", str(value)):
                if host in ("localhost", "http", "https") or key.endswith(("LISTENERS", "QUORUM_VOTERS")):
                    continue
                assert host in serves, f"{name}.{key}: {host} is not a service of docker-compose.yml"
                assert int(port) in serves[host], f"{name}.{key}: {host} does not serve port {port}"


def test_the_compose_wiring_check_can_fail() -> None:
    doc = compose()
    check_compose_wiring(doc)
    broken = yaml.safe_load(yaml.safe_dump(doc))
    broken["services"]["connect"]["environment"]["CONNECT_BOOTSTRAP_SERVERS"] = "kafka:29093"
    with pytest.raises(AssertionError, match="kafka does not serve port 29093"):
        check_compose_wiring(broken)
    broken = yaml.safe_load(yaml.safe_dump(doc))
    broken["services"]["jupyterlab"]["environment"]["FRAUDLAB_KSQL_URL"] = "http://ksqldb:8088"
    with pytest.raises(AssertionError, match="ksqldb is not a service"):
        check_compose_wiring(broken)


def test_environment_yml_agrees_with_pyproject() -> None:
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    deps = env["dependencies"]
    python = next(d for d in deps if isinstance(d, str) and d.startswith("python="))
    minimum = re.search(r">=\s*(\d+\.\d+)", project["requires-python"]).group(1)  # type: ignore[union-attr]
    assert tuple(map(int, python.split("=")[1].split("."))) >= tuple(map(int, minimum.split(".")))
    assert any(isinstance(d, str) and d.startswith("openjdk=") and int(d.split("=")[1]) >= 17 for d in deps)
    assert "maven" in deps
    pip = next(d["pip"] for d in deps if isinstance(d, dict))
    install = next(p for p in pip if p.startswith("-e ."))
    extras = set(re.search(r"\[(.*)\]", install).group(1).split(","))  # type: ignore[union-attr]
    assert extras == set(project["optional-dependencies"]), "environment.yml must install every extra"


def test_fixed_folders_have_readmes() -> None:
    for folder in ["notebooks", "connectors", "ksql", "models", "scripts", "benchmarks", "tests"]:
        assert (REPO / folder / "README.md").is_file(), folder
