"""The real stack for integration tests: a Kafka broker (KRaft), the schema registry and a Kafka Connect
worker, started once per test session on free loopback ports in a temporary state dir, and stopped at
the end (`stack_config` in tests/conftest.py: the notebook tests run on the same stack).

Set FRAUDLAB_BOOTSTRAP_SERVERS (and FRAUDLAB_CONNECT_URL, FRAUDLAB_SPOOL_DIR for ingestion tests,
FRAUDLAB_SCHEMA_REGISTRY_URL for registry tests) to run against a stack you started yourself instead.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from fraudlab.kafka import KafkaConfig
from fraudlab.stack import StackConfig


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "integration" in item.nodeid.split("::")[0]:
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session")
def bootstrap_servers(stack_config: StackConfig | None) -> str:
    return stack_config.bootstrap_servers if stack_config else os.environ["FRAUDLAB_BOOTSTRAP_SERVERS"]


@pytest.fixture(scope="session")
def kafka_config(bootstrap_servers: str) -> KafkaConfig:
    return KafkaConfig(bootstrap_servers=bootstrap_servers)


@pytest.fixture(scope="session")
def connect_url(stack_config: StackConfig | None) -> str:
    if stack_config is not None:
        return stack_config.connect_url
    url = os.environ.get("FRAUDLAB_CONNECT_URL")
    if not url:
        pytest.fail("FRAUDLAB_BOOTSTRAP_SERVERS is set but FRAUDLAB_CONNECT_URL is not")
    return url


@pytest.fixture(scope="session")
def schema_registry_url(stack_config: StackConfig | None) -> str:
    if stack_config is not None:
        return stack_config.schema_registry_url
    url = os.environ.get("FRAUDLAB_SCHEMA_REGISTRY_URL")
    if not url:
        pytest.fail("FRAUDLAB_BOOTSTRAP_SERVERS is set but FRAUDLAB_SCHEMA_REGISTRY_URL is not")
    return url


@pytest.fixture(scope="session")
def spool_dir(stack_config: StackConfig | None, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where ingestion stages files; the Connect worker must be able to read it."""
    if stack_config is not None:
        return stack_config.spool_dir
    return Path(os.environ.get("FRAUDLAB_SPOOL_DIR") or tmp_path_factory.mktemp("spool"))


@pytest.fixture
def topic_name() -> str:
    """A fresh topic name per test, so tests never see each other's records."""
    return f"test-{uuid.uuid4().hex[:10]}"
