"""`ToolsConfig`: where the jars and the class-data archives are and how the JVM of a tool is started.

Built once at the edge (`from_environment` reads the variables Kafka's own scripts honour: JAVA_HOME,
KAFKA_HEAP_OPTS, KAFKA_JVM_PERFORMANCE_OPTS, KAFKA_OPTS, KAFKA_LOG4J_OPTS) and passed down.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

LOG4J_CONFIG = Path(__file__).resolve().parent.parent / "resources" / "kafka-tools-log4j2.properties"


def project_root(start: Path | None = None) -> Path:
    """The checkout holding `connectors/pom.xml`, searched upwards from `start` (the cwd), then from this
    package (an editable install). Kept here, not imported from `fraudlab.stack`, so that a tool's start
    does not pay for importing the stack manager."""
    for origin in ((start or Path.cwd()).resolve(), Path(__file__).resolve()):
        for folder in (origin, *origin.parents):
            if (folder / "connectors" / "pom.xml").is_file():
                return folder
    return Path.cwd().resolve()


@dataclass(frozen=True)
class ToolsConfig:
    lib_dir: Path  # the jars `fraudlab stack fetch` copies (`.cache/jars/lib`)
    cds_dir: Path  # one class-data archive per tool, JVM and set of jars
    java: str = "java"  # a name looked up on PATH, or a path
    class_data_sharing: bool = True
    heap_opts: tuple[str, ...] | None = None  # replaces the tool's default heap
    performance_opts: tuple[str, ...] | None = None  # replaces fraudlab's start-up tuned JVM options
    extra_opts: tuple[str, ...] = ()
    log4j_opts: tuple[str, ...] | None = None

    @classmethod
    def for_project(cls, root: Path, **overrides: object) -> ToolsConfig:
        cache = root / ".cache"
        return cls(lib_dir=cache / "jars" / "lib", cds_dir=cache / "kafka-tools", **overrides)  # type: ignore[arg-type]

    @classmethod
    def from_environment(cls, env: Mapping[str, str], root: Path | None = None) -> ToolsConfig:
        def opts(name: str) -> tuple[str, ...] | None:
            value = env.get(name, "").strip()
            return tuple(shlex.split(value)) if value else None

        java_home = env.get("JAVA_HOME", "").strip()
        return cls.for_project(
            root or project_root(),
            java=str(Path(java_home) / "bin" / "java") if java_home else "java",
            class_data_sharing=env.get("FRAUDLAB_KAFKA_CDS", "1").strip().lower() not in ("0", "false", "no", "off"),
            heap_opts=opts("KAFKA_HEAP_OPTS"),
            performance_opts=opts("KAFKA_JVM_PERFORMANCE_OPTS"),
            extra_opts=opts("KAFKA_OPTS") or (),
            log4j_opts=opts("KAFKA_LOG4J_OPTS"),
        )
