"""The kernel manager the runner starts notebooks' kernels with: IPC sockets instead of TCP.

ipykernel warns on every start that a TCP kernel without CurveZMQ keys is unencrypted (the warning
`make demo` printed once per notebook). The runner and its kernel share one machine, so Unix-domain
sockets are the transport that fits: nothing listens on a port, and there is nothing to warn about.
Its PATH also gets the venv's `bin/`, so a notebook's `!kafka-topics.sh ...` finds the venv's tools, and
what the kernel process itself writes to stderr (TensorFlow's C++ start-up lines, ipykernel's own log)
can go to a log file instead of the runner's terminal; the notebooks' outputs are unaffected.
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


def ipc_kernel_manager(stderr_log: Path | None = None) -> type[IpcKernelManager]:
    """IpcKernelManager whose kernels append their process stderr to `stderr_log` (None: inherit it)."""
    if stderr_log is None:
        return IpcKernelManager

    class LoggingIpcKernelManager(IpcKernelManager):
        async def start_kernel(self, **kw: Any) -> None:  # type: ignore[override]
            stderr_log.parent.mkdir(parents=True, exist_ok=True)
            with stderr_log.open("ab") as log:  # the kernel keeps its own copy of the descriptor
                kw["stderr"] = log
                await super().start_kernel(**kw)

    return LoggingIpcKernelManager
