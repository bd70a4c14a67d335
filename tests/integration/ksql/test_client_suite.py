"""ksql-python-ng's own test suite (its PyPI sdist, downloaded by scripts/client_suite.py into the
git-ignored cache and pinned by SHA-256) passes against ksqlserver on the session broker: the client's
authors' expectations of a ksqlDB server, not ours."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]


def test_the_client_librarys_own_suite_passes(bootstrap_servers: str, tmp_path: Path) -> None:
    out = tmp_path / "client-suite.json"
    proc = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "client_suite.py"), "--bootstrap-servers", bootstrap_servers,
         "--json", str(out)],
        cwd=REPO, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert out.exists(), proc.stderr[-3000:]
    result = json.loads(out.read_text())
    counts = result["counts"]
    failed = {name: outcome for name, outcome in result["tests"].items() if outcome != "passed"}
    assert counts["failure"] == 0 and counts["error"] == 0, failed
    assert counts["passed"] >= 40 and counts["skipped"] == 0, counts
