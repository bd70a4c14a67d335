"""Compile a C file of this folder once per source version into a per-user cache and load it with
ctypes: `delimited.c` (the line parser) and `batch_consumer.c` (which includes it and links librdkafka)."""

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
from collections.abc import Sequence
from pathlib import Path

log = logging.getLogger(__name__)

SOURCE = Path(__file__).with_name("delimited.c")
_I64P = ctypes.POINTER(ctypes.c_int64)


def _cache_dir() -> Path:
    base = Path.home() / ".cache"
    if not os.access(base if base.exists() else Path.home(), os.W_OK):
        base = Path(tempfile.gettempdir())
    return base / "fraudlab" / "fastparse"


def _compile(target: Path, source: Path, link: Sequence[Path]) -> None:
    compiler = shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
    if compiler is None:
        raise OSError("no C compiler (cc, gcc or clang) on PATH")
    target.parent.mkdir(parents=True, exist_ok=True)
    # Build beside the target, then rename: concurrent first uses never load a half-written file.
    fd, tmp = tempfile.mkstemp(suffix=".so", dir=target.parent)
    os.close(fd)
    try:
        # A shared library linked by path, found again at load time through the rpath of its folder.
        libs = [arg for lib in link for arg in (str(lib), f"-Wl,-rpath,{lib.parent}")]
        cmd = [compiler, "-O2", "-shared", "-fPIC", f"-I{source.parent}", "-o", tmp, str(source), *libs, "-lm"]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise OSError(f"{' '.join(cmd)} failed: {done.stderr.strip()[:500]}")
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def load_library(source: Path, link: Sequence[Path] = ()) -> ctypes.CDLL:
    """Build (once per version of the sources and of the linked libraries) and load `source`;
    OSError when that is impossible. Sources it includes are named `*.c` in the same folder."""
    digest = hashlib.sha256()
    for path in sorted(source.parent.glob("*.c")):
        digest.update(path.read_bytes())
    for lib in link:
        stat = lib.stat()
        digest.update(f"{lib.resolve()}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    tag = sysconfig.get_platform().replace("-", "_")
    version = f"py{sys.version_info[0]}{sys.version_info[1]}"
    target = _cache_dir() / f"{source.stem}-{digest.hexdigest()[:16]}-{tag}-{version}.so"
    if not target.is_file():
        _compile(target, source, link)
    return ctypes.CDLL(str(target))


@functools.cache
def native() -> ctypes.CDLL | None:
    """The loaded library, or None (logged once) when it cannot be built or loaded."""
    try:
        lib = load_library(SOURCE)
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
