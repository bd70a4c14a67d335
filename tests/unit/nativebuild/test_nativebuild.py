"""The one C build-and-load helper of both packages."""

from __future__ import annotations

from pathlib import Path

import pytest

import nativebuild
from nativebuild import BuildError, NativeSpec, load_ctypes, load_extension

C_LIB = "int twice(int x) { return 2 * x; }\n"
C_EXT = """#define PY_SSIZE_T_CLEAN
#include <Python.h>
static PyObject *k(PyObject *self, PyObject *arg) { return PyLong_FromLong(K); }
static PyMethodDef methods[] = {{"k", k, METH_O, ""}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "ext", NULL, -1, methods};
PyMODINIT_FUNC PyInit_ext(void) { return PyModule_Create(&module); }
"""


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    where = tmp_path / "cache"
    monkeypatch.setattr(nativebuild, "cache_dir", lambda namespace: where / namespace)
    return where


def test_ctypes_library_built_once_per_source_version(tmp_path: Path, cache: Path) -> None:
    src = tmp_path / "lib.c"
    src.write_text(C_LIB)
    spec = NativeSpec("t", (src,))
    assert load_ctypes(spec).twice(21) == 42
    first = nativebuild.build(spec)
    assert nativebuild.build(spec) == first  # cached
    src.write_text(C_LIB.replace("2 * x", "3 * x"))
    second = nativebuild.build(spec)
    assert second != first and load_ctypes(spec).twice(2) == 6
    assert sorted(p.name for p in (cache / "t").iterdir()) == sorted([first.name, second.name])  # no temp left


def test_extension_with_defines_and_dependencies(tmp_path: Path, cache: Path) -> None:
    src = tmp_path / "ext.c"
    src.write_text(C_EXT)
    header = tmp_path / "dep.h"
    header.write_text("/* v1 */\n")
    spec = NativeSpec("t", (src,), depends=(header,), defines={"K": "7"}, python=True)
    assert load_extension(spec).k(None) == 7
    other = NativeSpec("t", (src,), depends=(header,), defines={"K": "8"}, python=True)
    assert nativebuild.build(other) != nativebuild.build(spec)  # the flags are part of the digest
    before = nativebuild.build(spec)
    header.write_text("/* v2 */\n")
    assert nativebuild.build(spec) != before  # so are the files it includes


def test_failures_are_build_errors_naming_the_file(tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "bad.c"
    bad.write_text("this is not C\n")
    with pytest.raises(BuildError, match=r"bad\.c"):
        load_ctypes(NativeSpec("t", (bad,)))
    with pytest.raises(BuildError, match="cannot read"):
        nativebuild.build(NativeSpec("t", (tmp_path / "missing.c",)))
    ok = tmp_path / "ok.c"
    ok.write_text(C_LIB)
    monkeypatch.setattr(nativebuild.shutil, "which", lambda _name: None)
    with pytest.raises(BuildError, match="no C compiler"):
        nativebuild.build(NativeSpec("t", (ok,)))
