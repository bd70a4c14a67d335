"""The stacks the notebook runs need: Kafka, Connect AND a KSQL server (the integration fixture starts
its stack without KSQL). Started once per session on free ports in a temporary state dir, unless
FRAUDLAB_BOOTSTRAP_SERVERS, FRAUDLAB_CONNECT_URL, FRAUDLAB_KSQL_URL and FRAUDLAB_SPOOL_DIR name a
running one.

The pipeline's stack is the secured profile (`sasl_ssl`: SCRAM users, TLS, the KSQL server on HTTPS with
basic auth), so this run is also the pipeline's end-to-end test on a secured stack; the integration tests
cover the plaintext one. FRAUDLAB_NOTEBOOK_SECURITY=none runs it on a plaintext stack instead. The classic
demo and the magics notebook need a plaintext stack: the session's plaintext one (`stack_config`, shared
with the integration tests) with a KSQL server started for them.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from fraudlab.stack import Stack, StackConfig
from fraudlab.stack.ports import free_ports

ENV = ("FRAUDLAB_BOOTSTRAP_SERVERS", "FRAUDLAB_CONNECT_URL", "FRAUDLAB_KSQL_URL", "FRAUDLAB_SPOOL_DIR")
REGISTRY_ENV = "FRAUDLAB_SCHEMA_REGISTRY_URL"  # optional beside them (default: the stack's standard port)
REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def pipeline_stack(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, str]]:
    """bootstrap_servers, connect_url, ksql_url and spool_dir of a stack with all three services."""
    if os.environ.get("FRAUDLAB_BOOTSTRAP_SERVERS"):
        missing = [name for name in ENV if not os.environ.get(name)]
        if missing:
            pytest.fail(f"FRAUDLAB_BOOTSTRAP_SERVERS is set, so these must be too: {', '.join(missing)}")
        given = dict(zip(("bootstrap_servers", "connect_url", "ksql_url", "spool_dir"),
                         (os.environ[n] for n in ENV), strict=True))
        given["schema_registry_url"] = os.environ.get(REGISTRY_ENV, "http://127.0.0.1:8081")
        yield given
        return
    security = os.environ.get("FRAUDLAB_NOTEBOOK_SECURITY", "sasl_ssl")
    if security == "sasl_ssl":
        config: StackConfig = request.getfixturevalue("secured_stack")
        yield endpoints(config)
        return
    yield from _own_stack(tmp_path_factory, security)


@pytest.fixture(scope="session")
def plaintext_pipeline_stack(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, str]]:
    """A stack like `pipeline_stack` without security: Kafka's command-line tools in the classic demo take
    Java client properties, which the secured stack's client config (librdkafka settings) is not. The
    session's `pipeline_stack` when that one is plaintext (or given by the environment); otherwise the
    session's plaintext stack (`stack_config`, which the integration tests use too) with a KSQL server of
    its own, so one broker and Connect worker serve both."""
    if os.environ.get("FRAUDLAB_BOOTSTRAP_SERVERS") or os.environ.get("FRAUDLAB_NOTEBOOK_SECURITY") == "none":
        yield request.getfixturevalue("pipeline_stack")
        return
    config: StackConfig = request.getfixturevalue("stack_config")
    yield from _ksql_on(config, tmp_path_factory)


def _ksql_on(config: StackConfig, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A KSQL server started as the stack's own would be (fraudlab's functions, the stack's registry) on a
    running plaintext stack. Its service id is its own: KSQL servers replay the command topic of their
    service id at start, and the integration tests' servers on this broker use the default one."""
    from fraudlab.stack import KsqlServerProcess
    from fraudlab.stack.services import Ksql

    service = Ksql("ksql", replace(config, with_ksql=True))
    base = tmp_path_factory.mktemp("nbksql")
    server = KsqlServerProcess(config.bootstrap_servers, base / "state", base / "ksqlserver.log",
                               service_id=f"nb_{uuid.uuid4().hex[:6]}_",
                               extra_args=[*service._functions(), *service._registry()], cwd=REPO_ROOT)
    with server.start(timeout_s=config.start_timeout_s):  # the stack's own start-up bound
        yield {
            "bootstrap_servers": config.bootstrap_servers,
            "connect_url": config.connect_url,
            "ksql_url": server.url,
            "spool_dir": str(config.spool_dir),
            "client_config": "",
            "schema_registry_url": config.schema_registry_url,
        }


def _own_stack(tmp_path_factory: pytest.TempPathFactory, security: str) -> Iterator[dict[str, str]]:
    kafka, connect, ksql, registry = free_ports(4)
    config = StackConfig.default(
        state_dir=tmp_path_factory.mktemp("nbstack"), kafka_port=kafka, connect_port=connect, ksql_port=ksql,
        schema_registry_port=registry, with_ksql=True, start_timeout_s=180.0, security=security,
    )
    stack = Stack(config)
    try:
        statuses = stack.up(progress=False)
    except Exception:
        stack.down()
        raise
    if not any(s.service == "ksql" and s.healthy for s in statuses):
        stack.down()
        pytest.fail("the embedded stack started without a healthy KSQL server")
    try:
        yield endpoints(config)
    finally:
        stack.down()


def endpoints(config: StackConfig) -> dict[str, str]:
    client_config = json.loads((config.state_dir / "stack.json").read_text())["client_config"]
    return {
        "bootstrap_servers": config.bootstrap_servers,
        "connect_url": config.connect_url,
        "ksql_url": config.ksql_url,
        "spool_dir": str(config.spool_dir),
        "client_config": client_config or "",
        "schema_registry_url": config.schema_registry_url,
    }
