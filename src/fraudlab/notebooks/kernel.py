"""The kernel manager the runner starts notebooks' kernels with: IPC sockets instead of TCP.

ipykernel warns on every start that a TCP kernel without CurveZMQ keys is unencrypted (the warning
`make demo` printed once per notebook). The runner and its kernel share one machine, so Unix-domain
sockets are the transport that fits: nothing listens on a port, and there is nothing to warn about.
Its PATH also gets the venv's `bin/`, so a notebook's `!kafka-topics.sh ...` finds the venv's tools.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from jupyter_client.manager import AsyncKernelManager
from traitlets import default


class IpcKernelManager(AsyncKernelManager):
    @default("transport")
    def _default_transport(self) -> str:
        return "ipc"

    async def start_kernel(self, **kw: Any) -> None:  # type: ignore[override]
        kw["env"] = with_scripts_on_path(kw.get("env") or os.environ)
        await super().start_kernel(**kw)


def with_scripts_on_path(env: Any) -> dict[str, str]:
    """A copy of `env` whose PATH starts with this Python's `bin/` (unless it is on it already)."""
    out = dict(env)
    scripts = str(Path(sys.executable).parent)
    if scripts not in out.get("PATH", "").split(os.pathsep):
        out["PATH"] = os.pathsep.join(p for p in (scripts, out.get("PATH", "")) if p)
    return out
