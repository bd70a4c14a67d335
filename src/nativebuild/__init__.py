"""Build a C file once per source version into a per-user cache, then load it (as a CPython extension
module or as a plain shared library through ctypes).

Both `ksqlserver` (its format and Kafka helpers) and `fraudlab` (its DELIMITED parser and librdkafka batch
consumer) compile small C files at first use. They share this one helper rather than each other: the
engine must not import fraudlab, and fraudlab's scoring paths must not depend on the engine, so the helper
is a package of its own that imports neither.

The rules: the system C compiler (`cc`, `gcc` or `clang`); a cache under `~/.cache/<namespace>/native`
(the temp dir when home is not writable); the shared object named by a digest of every source it is built
from, the flags, the linked libraries and the Python ABI, so a changed file is never loaded stale; and
compiled to a temporary name beside the target then renamed, so a concurrent first use never loads a
half-written file.
"""

from __future__ import annotations

import ctypes
import hashlib
import importlib.machinery
import importlib.util
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

__all__ = ["BuildError", "NativeSpec", "build", "cache_dir", "load_ctypes", "load_extension"]


class BuildError(OSError):
    """A C file could not be built or loaded; `spec` names it (an OSError: callers fall back to Python)."""

    def __init__(self, message: str, spec: NativeSpec | None = None) -> None:
        super().__init__(message)
        self.spec = spec


@dataclass(frozen=True)
class NativeSpec:
    """What to build: `sources` are compiled together (the first names the shared object); `depends` are
    files they include (hashed, not compiled); `defines` become -D flags; `link` are shared libraries
    linked by path (found again at load time through an rpath); `python` adds this interpreter's headers."""

    namespace: str
    sources: tuple[Path, ...]
    depends: tuple[Path, ...] = ()
    include_dirs: tuple[Path, ...] = ()
    defines: Mapping[str, str] = field(default_factory=dict)
    link: tuple[Path, ...] = ()
    libraries: tuple[str, ...] = ()
    python: bool = False

    @property
    def stem(self) -> str:
        return self.sources[0].stem


def cache_dir(namespace: str) -> Path:
    """Where built objects of `namespace` live (per user; the temp dir when home is not writable)."""
    base = Path.home() / ".cache"
    if not os.access(base if base.exists() else Path.home(), os.W_OK):
        base = Path(tempfile.gettempdir())
    return base / namespace / "native"


def compiler() -> str:
    """The system C compiler; BuildError when there is none."""
    cc = shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
    if cc is None:
        raise BuildError("no C compiler (cc, gcc or clang) on PATH")
    return cc


def _command(spec: NativeSpec, cc: str, out: str) -> list[str]:
    flags = [cc, "-O2", "-shared", "-fPIC"]
    if spec.python:
        include = sysconfig.get_paths()["include"]
        if not (Path(include) / "Python.h").is_file():
            raise BuildError(f"no Python.h under {include}", spec)
        flags.append(f"-I{include}")
    flags += [f"-I{d}" for d in (*spec.include_dirs, *{s.parent for s in spec.sources})]
    flags += [f"-D{k}={v}" for k, v in sorted(spec.defines.items())]
    libs = [arg for lib in spec.link for arg in (str(lib), f"-Wl,-rpath,{lib.parent}")]
    return [*flags, "-o", out, *map(str, spec.sources), *libs, *(f"-l{x}" for x in spec.libraries)]


def _target(spec: NativeSpec) -> Path:
    digest = hashlib.sha256()
    for path in (*spec.sources, *sorted(spec.depends)):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    for k, v in sorted(spec.defines.items()):
        digest.update(f"-D{k}={v}".encode())
    for lib in spec.link:
        stat = lib.stat()
        digest.update(f"{lib.resolve()}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    digest.update(",".join(spec.libraries).encode())
    if spec.python:  # an extension is tied to the interpreter's ABI
        tag = sysconfig.get_config_var("SOABI") or sysconfig.get_platform().replace("-", "_")
    else:
        tag = f"{sysconfig.get_platform().replace('-', '_')}-py{sys.version_info[0]}{sys.version_info[1]}"
    return cache_dir(spec.namespace) / f"{spec.stem}-{digest.hexdigest()[:16]}.{tag}.so"


def build(spec: NativeSpec) -> Path:
    """The shared object for `spec`, compiled now unless the cache holds it; BuildError on failure."""
    try:
        target = _target(spec)
    except OSError as exc:  # a missing source or library
        raise BuildError(f"cannot read the sources of {spec.stem}: {exc}", spec) from None
    if target.is_file():
        return target
    cc = compiler()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(suffix=".so", dir=target.parent)
    except OSError as exc:
        raise BuildError(f"no writable cache for {spec.stem}: {exc}", spec) from None
    os.close(fd)
    try:
        cmd = _command(spec, cc, tmp)
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
        except (OSError, subprocess.SubprocessError) as exc:
            raise BuildError(f"{' '.join(cmd)} failed: {exc}", spec) from None
        if done.returncode != 0:
            raise BuildError(f"{' '.join(cmd)} failed: {done.stderr.strip()[:500]}", spec)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target


def load_extension(spec: NativeSpec, module: str | None = None) -> ModuleType:
    """Build `spec` (with Python's headers) and import it as the extension module `module` (its init
    function is PyInit_<module>; default: the first source's stem)."""
    name = module or spec.stem
    path = build(spec if spec.python else NativeSpec(**{**spec.__dict__, "python": True}))
    try:
        loader = importlib.machinery.ExtensionFileLoader(name, str(path))
        found = importlib.util.spec_from_file_location(name, path, loader=loader)
        assert found is not None
        mod = importlib.util.module_from_spec(found)
        loader.exec_module(mod)
    except ImportError as exc:
        raise BuildError(f"cannot import {path}: {exc}", spec) from None
    return mod


def load_ctypes(spec: NativeSpec) -> ctypes.CDLL:
    """Build `spec` and load it as a plain shared library."""
    path = build(spec)
    try:
        return ctypes.CDLL(str(path))
    except OSError as exc:
        raise BuildError(f"cannot load {path}: {exc}", spec) from None
