"""Fetches the Kafka, Connect and connector jars with Maven into the project's git-ignored cache.

Layout under `.cache/jars/`: `lib/` is the classpath of the broker and the Connect worker;
`plugins/filestream/` and `plugins/csv-source/` are Connect's `plugin.path` (one folder per plugin, so
each gets its own class loader). A stamp of the inputs' hashes makes a second run a no-op.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

from fraudlab.stack.config import StackConfig
from fraudlab.stack.errors import JarFetchError
from fraudlab.stack.prereqs import maven_path

STAMP = ".fetched"


def _inputs(config: StackConfig) -> list[Path]:
    connectors = config.project_root / "connectors"
    files = [connectors / "pom.xml"]
    csv = connectors / "csv-source"
    if (csv / "pom.xml").is_file():
        files.append(csv / "pom.xml")
        files.extend(sorted((csv / "src" / "main").rglob("*")))
    return [f for f in files if f.is_file()]


def _digest(config: StackConfig) -> str:
    h = hashlib.sha256()
    for f in _inputs(config):
        h.update(str(f.relative_to(config.project_root)).encode())
        h.update(f.read_bytes())
    return h.hexdigest()


def jars_ready(config: StackConfig) -> bool:
    stamp = config.jars_dir / STAMP
    return stamp.is_file() and stamp.read_text().strip() == _digest(config)


def _mvn(config: StackConfig, args: list[str], pom: Path, log: Path) -> None:
    cmd = [maven_path(config.maven), "-B", "-q", "-f", str(pom), *args]
    with log.open("w") as out:
        proc = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=config.project_root)
    if proc.returncode != 0:
        lines = log.read_text(errors="replace").splitlines()
        noise = ("[Help 1]", "-e switch", "-X switch", "For more information", "Re-run Maven")
        errors = [
            ln
            for ln in lines
            if "ERROR" in ln and ln.strip() != "[ERROR]" and not any(n in ln for n in noise)
        ]
        raise JarFetchError(pom, "\n".join((errors or lines)[:8]))


def ensure_jars(config: StackConfig, force: bool = False) -> Path:
    """Fetch (and build the CSV connector) unless the cache already matches the poms and sources."""
    if not force and jars_ready(config):
        return config.jars_dir
    connectors = config.project_root / "connectors"
    config.jars_dir.mkdir(parents=True, exist_ok=True)
    staging = config.jars_dir / "lib.new"
    shutil.rmtree(staging, ignore_errors=True)
    log = config.jars_dir / "maven.log"
    _mvn(
        config, ["dependency:copy-dependencies", f"-DoutputDirectory={staging}"], connectors / "pom.xml", log
    )

    plugins = config.plugins_dir
    shutil.rmtree(plugins, ignore_errors=True)
    (plugins / "filestream").mkdir(parents=True)
    # The FileStream connectors live on plugin.path, not on the worker's classpath.
    for jar in staging.glob("connect-file-*.jar"):
        shutil.move(str(jar), plugins / "filestream" / jar.name)

    csv_pom = connectors / "csv-source" / "pom.xml"
    if csv_pom.is_file():
        _mvn(config, ["-DskipTests", "package"], csv_pom, config.jars_dir / "maven-csv.log")
        (plugins / "csv-source").mkdir()
        built = sorted((csv_pom.parent / "target").glob("fraudlab-csv-source-*.jar"))
        built = [j for j in built if not j.name.endswith(("-sources.jar", "-javadoc.jar"))]
        if not built:
            raise JarFetchError(csv_pom, "the build produced no fraudlab-csv-source-*.jar in target/")
        for jar in built:
            shutil.copy2(jar, plugins / "csv-source" / jar.name)

    shutil.rmtree(config.lib_dir, ignore_errors=True)
    staging.rename(config.lib_dir)
    (config.jars_dir / STAMP).write_text(_digest(config) + "\n")
    return config.jars_dir
