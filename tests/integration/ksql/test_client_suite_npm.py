"""The npm `ksqldb-client` package's own mocha suite (its registry tarball, downloaded by
scripts/client_suite_npm.py into the git-ignored cache and pinned by SHA-256) passes against ksqlserver on
the session broker, over HTTP/2 with prior knowledge: the client's authors' expectations of a ksqlDB
server, not ours. The one test that cannot pass on Linux whatever the server (it expects a connect timeout
to the address 127.0.0.0, which Linux refuses at once) is named by the runner as the client's own."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]


@pytest.mark.skipif(shutil.which("npm") is None or shutil.which("node") is None, reason="needs node and npm")
def test_the_npm_clients_own_suite_passes(bootstrap_servers: str, tmp_path: Path) -> None:
    out = tmp_path / "client-suite-npm.json"
    proc = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "client_suite_npm.py"), "--bootstrap-servers", bootstrap_servers,
         "--json", str(out)],
        cwd=REPO, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert out.exists(), proc.stderr[-3000:]
    result = json.loads(out.read_text())
    unexplained = {name: error for name, error in result["errors"].items() if name not in result["client_faults"]}
    assert unexplained == {}
    assert result["counts"]["passed"] >= 27 and result["counts"]["skipped"] == 0, result["counts"]
