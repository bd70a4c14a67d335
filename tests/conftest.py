"""Shared test helpers: where the read-only shared data lives."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from fraudlab.stack import StackConfig

REPO_ROOT = Path(__file__).resolve().parents[1]


def shared_dir() -> Path:
    return Path(os.environ.get("FRAUDLAB_SHARED_DIR", REPO_ROOT.parent / "shared")).resolve()


@pytest.fixture(scope="session")
def shared() -> Path:
    path = shared_dir()
    if not path.is_dir():
        pytest.fail(f"the shared data folder {path} is missing (set FRAUDLAB_SHARED_DIR)")
    return path


@pytest.fixture(scope="session")
def seed_dir(shared: Path) -> Path:
    return shared / "data" / "seed"


@pytest.fixture(scope="session")
def secured_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StackConfig]:
    """One embedded stack in the `sasl_ssl` profile (broker, Connect, KSQL server on HTTPS with basic
    auth), shared by the security tests and the notebook run; started on first use."""
    from fraudlab.stack import Stack, StackConfig
    from fraudlab.stack.ports import free_ports

    kafka, connect, ksql, registry = free_ports(4)
    config = StackConfig.default(
        state_dir=tmp_path_factory.mktemp("secured-stack"), kafka_port=kafka, connect_port=connect,
        ksql_port=ksql, schema_registry_port=registry, with_ksql=True, start_timeout_s=240.0, security="sasl_ssl",
    )
    stack = Stack(config)
    try:
        stack.up(progress=False)
    except Exception:
        stack.down()
        raise
    yield config
    stack.down()
