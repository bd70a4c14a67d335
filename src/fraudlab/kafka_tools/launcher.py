"""Starting a Kafka tool's JVM: the class path, the options, class-data sharing, then exec.

The usual run replaces this Python process with the JVM (`os.execv`), so stdin, stdout, exit code and
signals are the tool's own, as with Kafka's scripts. Only a run that writes the tool's class-data
archive (the first, for a JVM and set of jars) keeps Python as the parent, to move the archive into
place once the JVM has exited.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from fraudlab.kafka_tools import cds
from fraudlab.kafka_tools.config import LOG4J_CONFIG, ToolsConfig
from fraudlab.kafka_tools.errors import JarsMissingError, JavaMissingError
from fraudlab.kafka_tools.tools import KafkaTool

# The jars that hold the tools' main classes: without them the class path is not the tools'.
REQUIRED_JARS = ("kafka-tools-", "kafka_2.13-", "kafka-clients-")
# Short runs: C1 only, the serial collector (no GC threads to start), no hsperfdata file.
FAST_START = ("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData")
STREAMING = ("-XX:+UseSerialGC", "-XX:-UsePerfData")


@dataclass(frozen=True)
class Launch:
    """One start of a tool: the full command, and the archive it maps or writes (if any)."""

    command: list[str]
    archive: Path | None
    dump_to: Path | None


def classpath(lib_dir: Path) -> list[Path]:
    """The jars in a fixed order (a class-data archive is tied to the exact class path)."""
    try:
        jars = sorted(p for p in lib_dir.iterdir() if p.suffix == ".jar")
    except OSError:
        jars = []
    names = [j.name for j in jars]
    for prefix in REQUIRED_JARS:
        if not any(n.startswith(prefix) for n in names):
            raise JarsMissingError(lib_dir, f"{prefix}*.jar")
    return jars


def resolve_java(java: str) -> str:
    if os.sep in java:
        if os.path.isfile(java) and os.access(java, os.X_OK):
            return java
        raise JavaMissingError(java)
    found = shutil.which(java)
    if found is None:
        raise JavaMissingError(java)
    return found


def jvm_options(config: ToolsConfig, tool: KafkaTool) -> list[str]:
    heap = list(config.heap_opts) if config.heap_opts is not None else [tool.heap]
    if config.performance_opts is not None:
        perf = list(config.performance_opts)
    else:
        perf = list(STREAMING if tool.streams_data else FAST_START)
    log4j = (
        list(config.log4j_opts)
        if config.log4j_opts is not None
        else [f"-Dlog4j2.configurationFile={LOG4J_CONFIG}"]
    )
    # no JMX MBeans for log4j: nothing reads them in a short run, and registering them costs start-up
    log4j.append("-Dlog4j2.disableJmx=true")
    return [*heap, *perf, "-Djava.awt.headless=true", *cds.QUIET_JVM_LOG, *log4j, *config.extra_opts]


def plan(config: ToolsConfig, tool: KafkaTool, args: Sequence[str]) -> Launch:
    """What to run: raises JavaMissingError / JarsMissingError before anything starts."""
    java = resolve_java(config.java)
    jars = classpath(config.lib_dir)
    options = jvm_options(config, tool)
    archive = dump_to = None
    share: list[str] = []
    if config.class_data_sharing:
        candidate = cds.archive_path(config.cds_dir, tool, cds.archive_key(java, jars, options))
        if candidate.is_file():
            archive, share = candidate, cds.use_options(candidate)
        else:
            dump_to = cds.dump_target(candidate)
            if dump_to is not None:
                archive, share = candidate, cds.dump_options(dump_to)
    cp = os.pathsep.join(str(j) for j in jars)
    return Launch([java, *options, *share, "-cp", cp, tool.main_class, *args], archive, dump_to)


def check_java_version(java: str) -> None:
    """Java 17+ (checked once per JVM: only the run that writes an archive pays for `java -version`)."""
    from fraudlab.stack.prereqs import java_major_version

    java_major_version(java)


def run(config: ToolsConfig, tool: KafkaTool, args: Sequence[str]) -> int:
    """Run the tool; returns its exit code (only when it wrote an archive: otherwise exec never returns)."""
    launch = plan(config, tool, args)
    if launch.dump_to is None:
        sys.stdout.flush()
        sys.stderr.flush()
        os.execv(launch.command[0], launch.command)
    check_java_version(launch.command[0])
    return _run_writing_archive(launch, tool)


def _run_writing_archive(launch: Launch, tool: KafkaTool) -> int:
    assert launch.dump_to is not None and launch.archive is not None
    proc = subprocess.Popen(launch.command)

    def forward(signum: int, _frame: FrameType | None) -> None:
        proc.send_signal(signum)

    # Ctrl-C reaches the JVM through the terminal's process group; the parent only waits for it.
    previous = {
        signal.SIGINT: signal.signal(signal.SIGINT, signal.SIG_IGN),
        signal.SIGTERM: signal.signal(signal.SIGTERM, forward),
    }
    try:
        code = proc.wait()
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    cds.publish(launch.dump_to, launch.archive, tool)
    return 128 - code if code < 0 else code
