"""Runs the npm `ksqldb-client` package's own mocha suite (tests/index.spec.js) against ksqlserver.

    .venv/bin/python scripts/client_suite_npm.py [--bootstrap-servers HOST:PORT | memory://] [--json FILE]

The package tarball (ISC licence) is downloaded at run time from the npm registry into the git-ignored
`.cache/client-suite/` and pinned by SHA-256; its code is never copied into git. Its two runtime needs
(@babel/runtime, which the compiled lib/ requires, and the mocha version its package.json names) are
installed there by `npm install` with pinned versions. The suite talks HTTP/2 with prior knowledge to
KSQLDB_HOST:KSQLDB_PORT (/ksql, /query-stream, /inserts-stream, /close-query); the copy that runs differs
from the published one only in requiring the shipped `lib/` instead of the unpublished `src/`. Without
--bootstrap-servers the embedded stack is started on free ports and stopped afterwards. Prints the counts
and each test's outcome as JSON, with the failures this server cannot cause named in `client_faults`;
exits 1 when any other test fails.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from _clients import SuiteError, fetch_pinned, start_server

REPO = Path(__file__).resolve().parent.parent
PACKAGE = "ksqldb-client"
VERSION = "1.0.5"
TARBALL_URL = f"https://registry.npmjs.org/{PACKAGE}/-/{PACKAGE}-{VERSION}.tgz"
TARBALL_SHA256 = "416da135a1ae8487e75967cda6fe7bd16e7d71240ce14ab1c05de7ffe4be2d80"
NODE_DEPENDENCIES = ("@babel/runtime@7.29.17", "mocha@9.2.2")
SUITE = "tests/index.spec.js"

# Failures that no server can cause or prevent, with the evidence.
CLIENT_FAULTS = {
    "KsqlDB Client integration test Should throw a timeout error connecting to an invalid source": (
        "connects to host '127.0.0.' (no server involved) and expects 'Connection timeout.'; Node resolves it "
        "to 127.0.0.0, which Linux refuses at once (ECONNREFUSED); the test's own comment says the timeout "
        "is what macOS does"
    ),
}


def fetch_tarball(cache: Path) -> Path:
    """The package tarball in `cache`, downloaded when missing; its SHA-256 checked either way."""
    path = fetch_pinned(TARBALL_URL, TARBALL_SHA256, cache)
    return path


def prepare_package(tarball: Path, cache: Path) -> Path:
    """The unpacked package, its runtime dependency and mocha installed beside it (kept in the cache)."""
    root = cache / f"npm-{PACKAGE}-{VERSION}"
    package = root / "package"
    marker = root / ".installed"
    if not marker.exists():
        shutil.rmtree(root, ignore_errors=True)
        root.mkdir(parents=True)
        with tarfile.open(tarball) as tar:
            tar.extractall(root, filter="data")
        # installed beside package/ (Node resolves `require` up the tree), not as the package's devDependencies
        (root / "package.json").write_text('{"private": true}\n')
        command = ["npm", "install", "--ignore-scripts", "--no-audit", "--no-fund", *NODE_DEPENDENCIES]
        proc = subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=600, check=False)
        if proc.returncode != 0:
            raise SuiteError(f"npm install failed: {proc.stderr[-2000:]}")
        marker.write_text(" ".join(NODE_DEPENDENCIES) + "\n")
    spec = (package / SUITE).read_text()
    # the tarball ships the compiled lib/ only; the suite requires the source tree it was compiled from
    runnable = spec.replace('require("../src")', 'require("../lib")').replace(
        'require("../src/Handlers")', 'require("../lib/Handlers")'
    )
    (package / "tests" / "run.spec.js").write_text(runnable)
    return package


def run_suite(package: Path, url: str, timeout_s: float = 300) -> dict[str, Any]:
    host, _, port = url.removeprefix("http://").rpartition(":")
    env = {"PATH": _path_env(), "KSQLDB_HOST": host, "KSQLDB_PORT": port}
    mocha = package.parent / "node_modules" / ".bin" / "mocha"
    # the package's own `npm test` command, with the JSON reporter
    command = [str(mocha), "tests/run.spec.js", "--reporter", "json"]
    proc = subprocess.run(command, cwd=package, env=env, capture_output=True, text=True, timeout=timeout_s,
                          check=False)  # fmt: skip
    start = proc.stdout.find("{\n")
    if start < 0:
        raise SuiteError(f"mocha wrote no report: {proc.stderr[-2000:]}")
    report = json.loads(proc.stdout[start:])
    outcomes: dict[str, str] = {}
    errors: dict[str, str] = {}
    for kind, key in (("passed", "passes"), ("failure", "failures"), ("skipped", "pending")):
        for test in report.get(key, []):
            outcomes[test["fullTitle"]] = kind
            if kind == "failure":
                errors[test["fullTitle"]] = str(test.get("err", {}).get("message", ""))[:500]
    counts = {k: sum(1 for v in outcomes.values() if v == k) for k in ("passed", "failure", "skipped")}
    faults = {name: CLIENT_FAULTS[name] for name in errors if name in CLIENT_FAULTS}
    return {"counts": counts, "tests": outcomes, "errors": errors, "client_faults": faults}


def _path_env() -> str:
    return os.environ.get("PATH", "/usr/bin:/bin")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bootstrap-servers", default=None, help="a running broker (default: embedded stack)")
    parser.add_argument("--json", type=Path, default=None, help="also write the result here")
    args = parser.parse_args()
    if shutil.which("npm") is None or shutil.which("node") is None:
        raise SuiteError("node and npm are needed")
    cache = REPO / ".cache" / "client-suite"
    package = prepare_package(fetch_tarball(cache), cache)
    # the stack and server stop (ExitStack) before their state directory is removed
    with tempfile.TemporaryDirectory(prefix="client-suite-npm-") as tmp, ExitStack() as stack:
        server, bootstrap = start_server(stack, Path(tmp), args.bootstrap_servers, "client_suite_npm")
        result = {"client": f"npm {PACKAGE} {VERSION}", "server": server.url, "bootstrap_servers": bootstrap}
        result |= run_suite(package, server.url)
    text = json.dumps(result, indent=2)
    print(text)
    if args.json is not None:
        args.json.write_text(text + "\n")
    unexplained = [name for name in result["errors"] if name not in result["client_faults"]]
    sys.exit(1 if unexplained else 0)


if __name__ == "__main__":
    main()
