"""Class-data sharing for the tools' JVMs: an archive per tool, written by the tool's first run.

A Kafka tool loads about 2,500 classes from 90 jars; parsing and verifying them is most of its start-up.
Java 17 can write the classes a run loaded into a dynamic archive at exit (`-XX:ArchiveClassesAtExit`)
and map it at the next start (`-XX:SharedArchiveFile`). The archive is only valid for the same JVM and
the same class path, so its name carries a digest of both (and of the JVM options): a new JDK or new jars
simply mean a new archive, never a mismatch warning.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
from collections.abc import Sequence
from pathlib import Path

from fraudlab.kafka_tools.tools import KafkaTool

# Unified JVM logging writes warnings to stdout by default: keep stdout for the tool's output, and leave
# out CDS's own remarks (classes it cannot archive, an archive it cannot map).
QUIET_JVM_LOG = ("-Xlog:disable", "-Xlog:all=warning:stderr", "-Xlog:cds*=off:stderr")
STALE_TMP_S = 3600.0


def _stat_key(path: Path) -> str:
    st = path.stat()
    return f"{path}:{st.st_size}:{st.st_mtime_ns}"


def archive_key(java: str, jars: Sequence[Path], options: Sequence[str]) -> str:
    h = hashlib.sha256()
    for part in (_stat_key(Path(os.path.realpath(java))), *(_stat_key(j) for j in jars), *options):
        h.update(part.encode())
        h.update(b"\0")
    return h.hexdigest()[:16]


def archive_path(cds_dir: Path, tool: KafkaTool, key: str) -> Path:
    return cds_dir / f"{tool.name}-{key}.jsa"


def use_options(archive: Path) -> list[str]:
    return [f"-XX:SharedArchiveFile={archive}"]


def dump_target(archive: Path) -> Path | None:
    """A private file for this run to write the archive into (renamed into place once complete), or None
    when the cache is not writable (the tool then just runs without an archive)."""
    try:
        archive.parent.mkdir(parents=True, exist_ok=True)
        _drop_stale(archive.parent)
        probe = archive.parent / f".probe-{os.getpid()}"
        probe.touch()
        probe.unlink()
    except OSError:
        return None
    return archive.with_name(f".{archive.stem}.{os.getpid()}.tmp")


def dump_options(target: Path) -> list[str]:
    return [f"-XX:ArchiveClassesAtExit={target}"]


def publish(target: Path, archive: Path, tool: KafkaTool) -> bool:
    """Move a completed dump into place (and drop the tool's archives for an older JVM or jars); a run
    that died before its exit leaves no usable file."""
    try:
        if target.is_file() and target.stat().st_size > 0:
            os.replace(target, archive)
            for old in archive.parent.glob(f"{tool.name}-{'?' * 16}.jsa"):
                if old != archive:
                    with contextlib.suppress(OSError):
                        old.unlink()
            return True
    except OSError:
        pass
    with contextlib.suppress(OSError):
        target.unlink()
    return False


def _drop_stale(folder: Path) -> None:
    now = time.time()
    for tmp in folder.glob(".*.tmp"):
        with contextlib.suppress(OSError):
            if now - tmp.stat().st_mtime > STALE_TMP_S:
                tmp.unlink()
