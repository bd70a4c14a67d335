"""Compile `delimited.c` once per source version into a per-user cache and load it with ctypes."""

from __future__ import annotations

import ctypes
import functools
import hashlib
import logging
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)

SOURCE = Path(__file__).with_name("delimited.c")
_I64P = ctypes.POINTER(ctypes.c_int64)


def _cache_dir() -> Path:
    base = Path.home() / ".cache"
    if not os.access(base if base.exists() else Path.home(), os.W_OK):
        base = Path(tempfile.gettempdir())
    return base / "fraudlab" / "fastparse"


def _compile(target: Path) -> None:
    compiler = shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
    if compiler is None:
        raise OSError("no C compiler (cc, gcc or clang) on PATH")
    target.parent.mkdir(parents=True, exist_ok=True)
    # Build beside the target, then rename: concurrent first uses never load a half-written file.
    fd, tmp = tempfile.mkstemp(suffix=".so", dir=target.parent)
    os.close(fd)
    try:
        cmd = [compiler, "-O2", "-shared", "-fPIC", "-o", tmp, str(SOURCE), "-lm"]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise OSError(f"{' '.join(cmd)} failed: {done.stderr.strip()[:500]}")
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


@functools.cache
def native() -> ctypes.CDLL | None:
    """The loaded library, or None (logged once) when it cannot be built or loaded."""
    digest = hashlib.sha256(SOURCE.read_bytes()).hexdigest()[:16]
    tag = sysconfig.get_platform().replace("-", "_")
    target = _cache_dir() / f"delimited-{digest}-{tag}-py{sys.version_info[0]}{sys.version_info[1]}.so"
    try:
        if not target.is_file():
            _compile(target)
        lib = ctypes.CDLL(str(target))
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("native DELIMITED parser unavailable (%s); using the numpy path", exc)
        return None
    fn = lib.fl_parse_lines
    fn.restype = ctypes.c_int64
    fn.argtypes = [
        ctypes.c_char_p, _I64P, _I64P, ctypes.c_int64, ctypes.c_int, ctypes.POINTER(ctypes.c_int32),
        ctypes.c_int, ctypes.c_int, ctypes.POINTER(ctypes.c_float), _I64P, ctypes.POINTER(ctypes.c_uint8),
    ]
    return lib
