"""IPython magics for KSQL: `%load_ext fraudlab.magics`, then `%%ksql`, `%ksql`, `%ksql_config`,
`%ksql_connect`. They talk to the server only through ksqlDB's REST API, so they work on the embedded
`ksqlserver` and on real ksqlDB alike.

Loading the extension also puts this Python's `bin/` folder on the kernel's PATH, so that shell escapes
find the venv's executables (`!kafka-topics.sh --bootstrap-server ... --create ...`) even when the
kernel was started without the venv activated.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from fraudlab.magics.errors import KsqlServerError, MagicError, MagicUsageError, ServerUnreachableError
from fraudlab.magics.magic import KsqlMagics, MagicDefaults

__all__ = [
    "KsqlMagics",
    "KsqlServerError",
    "MagicDefaults",
    "MagicError",
    "MagicUsageError",
    "ServerUnreachableError",
    "default_url",
    "load_ipython_extension",
]

DEFAULT_URL = "http://127.0.0.1:8088"


def default_url(env: dict[str, str] | None = None) -> str:
    """FRAUDLAB_KSQL_URL, else the address `fraudlab stack up` recorded for the project's stack, else the
    embedded stack's standard port."""
    env = dict(os.environ) if env is None else env
    if env.get("FRAUDLAB_KSQL_URL"):
        return env["FRAUDLAB_KSQL_URL"]
    from fraudlab.kafka_tools.config import project_root

    meta = project_root() / ".state" / "stack" / "stack.json"
    try:
        recorded = json.loads(meta.read_text()).get("ksql_url")
    except (OSError, ValueError, AttributeError):
        recorded = None
    return str(recorded or DEFAULT_URL)


def _put_venv_bin_on_path() -> None:
    scripts = str(Path(sys.executable).parent)
    path = os.environ.get("PATH", "")
    if scripts not in path.split(os.pathsep):
        os.environ["PATH"] = os.pathsep.join(p for p in (scripts, path) if p)


def load_ipython_extension(ipython: Any) -> None:
    _put_venv_bin_on_path()
    ipython.register_magics(KsqlMagics(ipython, default_url()))


def unload_ipython_extension(ipython: Any) -> None:
    """Nothing to undo: IPython keeps magics until the kernel restarts; loading again replaces them."""
