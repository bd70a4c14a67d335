"""The fraudlab checkout that built this oracle (build.sh records it in conf/checkout): its `src` and `.venv`
are the defaults for "our engine" (OURS_SRC, ORACLE_PYTHON, ORACLE_FRAUDLAB override them)."""

from __future__ import annotations

import os
from pathlib import Path

HOME = Path(os.environ.get("ORACLE_HOME", Path(__file__).resolve().parent.parent))


def checkout() -> Path:
    return Path(os.environ.get("ORACLE_CHECKOUT") or (HOME / "conf" / "checkout").read_text().strip())


def ours_src() -> str:
    return os.environ.get("OURS_SRC") or str(checkout() / "src")


def python() -> str:
    return os.environ.get("ORACLE_PYTHON") or str(checkout() / ".venv" / "bin" / "python")


def fraudlab() -> str:
    return os.environ.get("ORACLE_FRAUDLAB") or str(checkout() / ".venv" / "bin" / "fraudlab")
