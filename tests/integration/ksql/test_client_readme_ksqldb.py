"""The PyPI `ksqldb` client's documented calls (its README, in order; the sdist ships no tests), run by
scripts/client_readme_ksqldb.py from the sdist it downloads into the git-ignored cache (pinned by
SHA-256), all answer against ksqlserver on the session broker as ksqlDB 0.29 answers them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]


def test_the_ksqldb_clients_readme_calls_pass(bootstrap_servers: str, tmp_path: Path) -> None:
    out = tmp_path / "client-readme.json"
    proc = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "client_readme_ksqldb.py"), "--bootstrap-servers", bootstrap_servers,
         "--json", str(out)],
        cwd=REPO, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert out.exists(), proc.stderr[-3000:]
    result = json.loads(out.read_text())
    assert result["errors"] == {}
    assert result["counts"]["passed"] == 13, result["counts"]
