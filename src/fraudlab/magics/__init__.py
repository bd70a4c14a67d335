"""IPython magics for KSQL: `%load_ext fraudlab.magics`, then `%%ksql`, `%ksql`, `%ksql_config`,
`%ksql_connect`. They talk to the server only through ksqlDB's REST API, so they work on the embedded
`ksqlserver` and on real ksqlDB alike.

Loading the extension also puts this Python's `bin/` folder on the kernel's PATH, so that shell escapes
find the venv's executables (`!kafka-topics.sh --bootstrap-server ... --create ...`) even when the
kernel was started without the venv activated.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from fraudlab.magics.connection import (
    DEFAULT_URL,
    client_config_connection,
    default_connection,
    default_url,
    stack_connection,
)
from fraudlab.magics.errors import KsqlServerError, MagicError, MagicUsageError, ServerUnreachableError
from fraudlab.magics.magic import KsqlMagics, MagicDefaults

__all__ = [
    "DEFAULT_URL",
    "KsqlMagics",
    "KsqlServerError",
    "MagicDefaults",
    "MagicError",
    "MagicUsageError",
    "ServerUnreachableError",
    "client_config_connection",
    "default_connection",
    "default_url",
    "load_ipython_extension",
    "stack_connection",
]


def _put_venv_bin_on_path() -> None:
    scripts = str(Path(sys.executable).parent)
    path = os.environ.get("PATH", "")
    if scripts not in path.split(os.pathsep):
        os.environ["PATH"] = os.pathsep.join(p for p in (scripts, path) if p)


def load_ipython_extension(ipython: Any) -> None:
    _put_venv_bin_on_path()
    ipython.register_magics(KsqlMagics(ipython, default_connection()))


def unload_ipython_extension(ipython: Any) -> None:
    """Nothing to undo: IPython keeps magics until the kernel restarts; loading again replaces them."""
