"""Build and load the engine's C decoder (`_ctext.c`) once per source version and Python.

The extension is compiled at first use with the system C compiler against this interpreter's headers,
into a per-user cache, and imported from there; a missing compiler or headers only costs speed (the
pure-Python decoders then serve, and the reason is logged once).
"""

from __future__ import annotations

import functools
import hashlib
import importlib.machinery
import importlib.util
import logging
import os
import shutil
import subprocess
import sysconfig
import tempfile
from pathlib import Path
from types import ModuleType

log = logging.getLogger("ksqlserver.native")

SOURCE = Path(__file__).with_name("_ctext.c")
MODULE = "_ctext"


def cache_dir() -> Path:
    base = Path.home() / ".cache"
    if not os.access(base if base.exists() else Path.home(), os.W_OK):
        base = Path(tempfile.gettempdir())
    return base / "ksqlserver" / "native"


def _build(target: Path) -> None:
    cc = shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
    if cc is None:
        raise OSError("no C compiler (cc, gcc or clang) on PATH")
    include = sysconfig.get_paths()["include"]
    if not (Path(include) / "Python.h").is_file():
        raise OSError(f"no Python.h under {include}")
    target.parent.mkdir(parents=True, exist_ok=True)
    # compiled beside the target and renamed: a concurrent first use never imports a half-written file
    fd, tmp = tempfile.mkstemp(suffix=".so", dir=target.parent)
    os.close(fd)
    try:
        cmd = [cc, "-O2", "-shared", "-fPIC", f"-I{include}", "-o", tmp, str(SOURCE)]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise OSError(f"{' '.join(cmd)} failed: {done.stderr.strip()[:500]}")
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


@functools.cache
def ctext() -> ModuleType | None:
    """The compiled decoder module, or None (logged once) when it cannot be built or imported."""
    digest = hashlib.sha256(SOURCE.read_bytes()).hexdigest()[:16]
    tag = sysconfig.get_config_var("SOABI") or sysconfig.get_platform().replace("-", "_")
    target = cache_dir() / f"{MODULE}-{digest}.{tag}.so"
    try:
        if not target.is_file():
            _build(target)
        loader = importlib.machinery.ExtensionFileLoader(MODULE, str(target))
        spec = importlib.util.spec_from_file_location(MODULE, target, loader=loader)
        assert spec is not None
        module = importlib.util.module_from_spec(spec)
        loader.exec_module(module)
    except (OSError, ImportError, subprocess.SubprocessError) as exc:
        log.warning("C DELIMITED decoder unavailable (%s); using the Python decoders", exc)
        return None
    log.debug("C DELIMITED decoder loaded from %s", target)
    return module
