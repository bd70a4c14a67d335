"""`.proto` text -> descriptors, with protoc in one long-lived child process (see `_protoc_worker`), and
Confluent's known dependencies (`confluent/meta.proto`, `confluent/type/decimal.proto`, `google/type/
date.proto`, `google/type/timeofday.proto`) supplied when a schema imports them without a reference.

`pool_for(main, files)` gives a `DescriptorPool` holding the main file and everything it imports; results
are cached by the texts, so a schema is compiled once per process.
"""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import threading
from collections.abc import Mapping

from google.protobuf import descriptor_pb2, descriptor_pool

from knownprotos import KNOWN_DEPENDENCIES
from ksqlserver.errors import FormatError

_WELL_KNOWN_PREFIX = "google/protobuf/"


class ProtobufSchemaError(FormatError):
    """A `.proto` text protoc rejects (its messages), or a schema whose imports cannot be resolved."""


class _Worker:
    def __init__(self) -> None:
        self._proc: subprocess.Popen[str] | None = None
        self._lock = threading.Lock()

    def compile(self, main: str, files: Mapping[str, str]) -> list[bytes]:
        request = json.dumps({"main": main, "files": dict(files)}) + "\n"
        with self._lock:
            for attempt in (1, 2):
                proc = self._proc
                if proc is None or proc.poll() is not None:
                    proc = self._proc = subprocess.Popen(
                        [sys.executable, "-m", "ksqlserver.formats.sr._protoc_worker"],
                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1,
                    )
                try:
                    assert proc.stdin is not None and proc.stdout is not None
                    proc.stdin.write(request)
                    proc.stdin.flush()
                    line = proc.stdout.readline()
                except (BrokenPipeError, OSError):
                    line = ""
                if line:
                    reply = json.loads(line)
                    break
                self._proc = None
                if attempt == 2:
                    raise ProtobufSchemaError("protoc could not run (grpcio-tools missing or crashed)")
        if "errors" in reply:
            raise ProtobufSchemaError("Invalid protobuf schema: " + "; ".join(reply["errors"]))
        return [base64.b64decode(d) for d in reply["descriptors"]]

    def close(self) -> None:
        with self._lock:
            if self._proc is not None and self._proc.poll() is None:
                assert self._proc.stdin is not None
                self._proc.stdin.close()
                self._proc.wait(timeout=5)
            self._proc = None


_worker = _Worker()
_cache: dict[tuple[str, tuple[tuple[str, str], ...]], list[descriptor_pb2.FileDescriptorProto]] = {}
_cache_lock = threading.Lock()


def imports_of(text: str) -> list[str]:
    """The file names a `.proto` text imports (quick scan; protoc has the final word)."""
    out = []
    for line in text.replace(";", ";\n").splitlines():
        words = line.strip().split()
        if words and words[0] == "import":
            quoted = line.split('"')
            if len(quoted) >= 2:
                out.append(quoted[1])
    return out


def compile_files(main: str, files: Mapping[str, str]) -> list[descriptor_pb2.FileDescriptorProto]:
    """FileDescriptorProtos of `main` and every file it imports (known dependencies added), dependencies
    first; google/protobuf/* files come from the protobuf runtime and are not included."""
    all_files = dict(files)
    todo = [main]
    while todo:
        for dep in imports_of(all_files.get(todo.pop(), "")):
            if dep not in all_files and dep in KNOWN_DEPENDENCIES:
                all_files[dep] = KNOWN_DEPENDENCIES[dep]
                todo.append(dep)
    key = (main, tuple(sorted(all_files.items())))
    with _cache_lock:
        found = _cache.get(key)
    if found is not None:
        return found
    raw = _worker.compile(main, all_files)
    protos = []
    for data in raw:
        fdp = descriptor_pb2.FileDescriptorProto()
        fdp.ParseFromString(data)
        protos.append(fdp)
    ordered = _dependency_order(protos)
    with _cache_lock:
        _cache[key] = ordered
    return ordered


def _dependency_order(protos: list[descriptor_pb2.FileDescriptorProto]) -> list[descriptor_pb2.FileDescriptorProto]:
    by_name = {p.name: p for p in protos}
    out: list[descriptor_pb2.FileDescriptorProto] = []
    seen: set[str] = set()

    def visit(p: descriptor_pb2.FileDescriptorProto) -> None:
        if p.name in seen:
            return
        seen.add(p.name)
        for dep in p.dependency:
            if dep in by_name:
                visit(by_name[dep])
        out.append(p)

    for p in protos:
        visit(p)
    return out


def _well_known(name: str) -> descriptor_pb2.FileDescriptorProto:
    import importlib

    module = name[: -len(".proto")].replace("/", ".") + "_pb2"
    importlib.import_module(module)  # registers the file in the default pool
    fdp = descriptor_pb2.FileDescriptorProto()
    descriptor_pool.Default().FindFileByName(name).CopyToProto(fdp)
    return fdp


def new_pool(protos: list[descriptor_pb2.FileDescriptorProto]) -> descriptor_pool.DescriptorPool:
    """A fresh pool with `protos` and the well-known google/protobuf files they import."""
    pool = descriptor_pool.DescriptorPool()
    added: set[str] = set()

    def add(fdp: descriptor_pb2.FileDescriptorProto) -> None:
        if fdp.name in added:
            return
        for dep in fdp.dependency:
            if dep.startswith(_WELL_KNOWN_PREFIX) and dep not in added:
                add(_well_known(dep))
        pool.Add(fdp)
        added.add(fdp.name)

    for p in protos:
        add(p)
    return pool


def known_protos(names: list[str]) -> list[descriptor_pb2.FileDescriptorProto]:
    """Compiled known dependencies (for schemas built from SQL columns, which import them)."""
    out: list[descriptor_pb2.FileDescriptorProto] = []
    for name in names:
        if name in KNOWN_DEPENDENCIES and name not in {p.name for p in out}:
            out.extend(p for p in compile_files(name, {name: KNOWN_DEPENDENCIES[name]}) if p.name not in {q.name for q in out})
    return out
