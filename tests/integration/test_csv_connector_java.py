"""The CSV connector's own JUnit tests (connectors/csv-source/src/test), run by Maven: the stack builds the
connector with -DskipTests, so this is where they run in CI. Among them: the source partition serializes
the same way in every JVM (the worker finds a restarted task's offsets by those bytes)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
POM = REPO / "connectors" / "csv-source" / "pom.xml"


@pytest.mark.skipif(shutil.which("mvn") is None, reason="Maven is installed by scripts/setup.sh")
def test_connector_unit_tests_pass(tmp_path: Path) -> None:
    # a copy to build in: the stack's jar build uses the checkout's target/
    build = tmp_path / "csv-source"
    shutil.copytree(POM.parent / "src", build / "src")
    shutil.copy2(POM, build / "pom.xml")
    done = subprocess.run(
        ["mvn", "-B", "-q", "-f", str(build / "pom.xml"), "test"],
        capture_output=True, text=True, timeout=600, cwd=build,
    )
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
    reports = build / "target" / "surefire-reports"
    names = {p.name for p in reports.glob("TEST-*.xml")}
    assert "TEST-io.fraudlab.connect.csv.CsvSourceTaskTest.xml" in names, names
    text = (reports / "TEST-io.fraudlab.connect.csv.CsvSourceTaskTest.xml").read_text()
    assert 'failures="0"' in text and 'errors="0"' in text
    assert "sourcePartitionSerializesTheSameInEveryJvm" in text
