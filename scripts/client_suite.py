"""Runs ksql-python-ng's own test suite (from its PyPI sdist) against ksqlserver on the embedded stack.

    .venv/bin/python scripts/client_suite.py [--bootstrap-servers HOST:PORT] [--json FILE] [-- PYTEST_ARGS]

The sdist of the client version the project installs is downloaded at run time into the git-ignored
`.cache/client-suite/` (pinned by SHA-256; the suite is MIT-licensed but is not copied into git). Its tests
hard-code a ksqlDB server at http://localhost:8088 and Kafka at localhost:29092 (its docker-compose); the
copy that runs has those two addresses replaced by the ones of this run, and nothing else changed. The
server gets the suite's docker-compose setting `ksql.schema.registry.url=http://schema-registry:8081`
(the suite reads it back through SHOW PROPERTIES). Without --bootstrap-servers the embedded stack is
started on free ports and stopped afterwards. Prints the pass/fail counts and each test's outcome as
JSON; exits 1 when any test fails.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tarfile
import tempfile
import xml.etree.ElementTree as ET
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from _clients import SuiteError, fetch_pinned, start_server

REPO = Path(__file__).resolve().parent.parent
VERSION = "0.29.0.1"
SDIST_URL = (
    "https://files.pythonhosted.org/packages/d6/fe/f60ac4daf12822b36beaf94bd87f02a1cad45fcce1d8860eae86330a3bfb/"
    f"ksql_python_ng-{VERSION}.tar.gz"
)
SDIST_SHA256 = "a508683809f4eed6781d60c48feb9bc5cb7503eb200c4d9b8d3bf043ceecd060"
SUITE_URL = "http://localhost:8088"  # what the suite's tests address
SUITE_KAFKA = "localhost:29092"
SUITE_PROPERTIES = {"ksql.schema.registry.url": "http://schema-registry:8081"}  # the suite's docker-compose


def fetch_sdist(cache: Path) -> Path:
    """The sdist in `cache`, downloaded when missing; its SHA-256 checked either way."""
    return fetch_pinned(SDIST_URL, SDIST_SHA256, cache)


def installed_version() -> str:
    from importlib.metadata import version

    return version("ksql-python-ng")


def prepare_tests(sdist: Path, workdir: Path, url: str, bootstrap: str) -> Path:
    """The sdist's tests/ folder in `workdir`, its server and Kafka addresses set to this run's."""
    with tarfile.open(sdist) as tar:
        members = [m for m in tar.getmembers() if "/tests/" in m.name and m.isfile()]
        tar.extractall(workdir, members=members, filter="data")
    tests = workdir / f"ksql_python_ng-{VERSION}" / "tests"
    for path in tests.glob("*.py"):
        text = path.read_text()
        path.write_text(text.replace(SUITE_URL, url).replace(SUITE_KAFKA, bootstrap))
    return tests


def run_suite(tests: Path, junit: Path, pytest_args: list[str]) -> dict[str, Any]:
    command = [sys.executable, "-m", "pytest", str(tests), "-p", "no:cacheprovider", "-q",
               f"--junitxml={junit}", "--rootdir", str(tests.parent), *pytest_args]  # fmt: skip
    subprocess.run(command, cwd=tests.parent, check=False)
    if not junit.exists():
        raise SuiteError("pytest wrote no report")
    outcomes: dict[str, str] = {}
    for case in ET.parse(junit).getroot().iter("testcase"):
        name = f"{case.get('classname')}::{case.get('name')}"
        kinds = {child.tag for child in case}
        outcomes[name] = next((k for k in ("failure", "error", "skipped") if k in kinds), "passed")
    counts = {k: sum(1 for v in outcomes.values() if v == k) for k in ("passed", "failure", "error", "skipped")}
    return {"counts": counts, "tests": outcomes}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bootstrap-servers", default=None, help="a running broker (default: embedded stack)")
    parser.add_argument("--json", type=Path, default=None, help="also write the result here")
    parser.add_argument("pytest_args", nargs="*", help="passed to pytest after --")
    args = parser.parse_args()
    if installed_version() != VERSION:
        raise SuiteError(f"the venv has ksql-python-ng {installed_version()}, this suite is {VERSION}")
    sdist = fetch_sdist(REPO / ".cache" / "client-suite")
    # the stack and server stop (ExitStack) before their state directory is removed
    with tempfile.TemporaryDirectory(prefix="client-suite-") as tmp, ExitStack() as stack:
        properties = [f"--property={k}={v}" for k, v in SUITE_PROPERTIES.items()]
        server, bootstrap = start_server(stack, Path(tmp), args.bootstrap_servers, "client_suite", properties)
        tests = prepare_tests(sdist, Path(tmp), server.url, bootstrap)
        result = {"client": f"ksql-python-ng {VERSION}", "server": server.url, "bootstrap_servers": bootstrap}
        result |= run_suite(tests, Path(tmp) / "junit.xml", args.pytest_args)
    text = json.dumps(result, indent=2)
    print(text)
    if args.json is not None:
        args.json.write_text(text + "\n")
    counts = result["counts"]
    sys.exit(1 if counts["failure"] or counts["error"] else 0)


if __name__ == "__main__":
    main()
