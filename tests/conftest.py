"""Shared test helpers: where the read-only shared data lives."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

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
