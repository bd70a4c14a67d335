"""qtt-oracle: run QTT-format files through real ksqlDB 0.29.0's own TestExecutor (built from source).

    qtt-oracle FILE|DIR... [--json OUT] [--actual OUTDIR] [-j N] [-q]

Prints one line per expanded case (PASS/FAIL/ERROR name: reason) and a closing 'N passed, N failed' line.
--json OUT       the verdicts as a JSON list of {name, file, verdict, reason} (the shape of
                 `python -m ksqlserver.conformance --json`).
--actual OUTDIR  also records what the real engine did, per file OUTDIR/<stem>.actual.json:
                 {"file", "cases": [{name, verdict, reason, actual}]} where actual is
                 {"exception": {type, message}} or {"topics": {topic: [records]}, "sources": [...]}.
                 Numbers keep the engine's JSON text.
Dev tool of the fraudlab project (scripts/oracle); not part of ksqlserver or fraudlab.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import exactjson

HOME = Path(os.environ.get("ORACLE_HOME", Path(__file__).resolve().parent.parent))
MAIN_CLASS = "io.confluent.ksql.test.tools.FraudlabOracle"


def java_cmd(extra: list[str]) -> list[str]:
    opts = os.environ.get("ORACLE_JAVA_OPTS", "-Xmx1500m -XX:+UseSerialGC -Xss4m").split()
    return [
        "nice",
        "java",
        *opts,
        f"-Dlog4j.configuration=file:{HOME / 'conf' / 'log4j.properties'}",
        "-cp",
        # ksqldb-engine's test UDFs first, as ksqlDB's functional tests have them on the class path
        f"{HOME / 'test-udfs'}:{HOME / 'harness' / 'target' / 'classes'}:{HOME / 'lib'}/*",
        MAIN_CLASS,
        *extra,
    ]


def expand_paths(paths: list[str]) -> list[Path]:
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(p.glob("*.json")))
        elif p.exists():
            out.append(p)
        else:
            sys.exit(f"qtt-oracle: no such file or directory: {p}")
    return out


def run(files: list[Path], actual: bool, jobs: int = 1, quiet: bool = False) -> list[dict[str, Any]]:
    """Runs the files on `jobs` JVMs; returns one dict per expanded case, in file order."""
    chunks: list[list[Path]] = [files[i::jobs] for i in range(max(1, jobs))]
    results: dict[str, list[dict[str, Any]]] = {}
    lock = threading.Lock()

    def worker(chunk: list[Path]) -> None:
        if not chunk:
            return
        args = (["--actual"] if actual else []) + [str(f) for f in chunk]
        proc = subprocess.Popen(java_cmd(args), stdout=subprocess.PIPE, text=True, encoding="utf-8")
        assert proc.stdout is not None
        for line in proc.stdout:
            line = line.strip()
            if not line.startswith("{"):
                continue
            rec = exactjson.loads(line)
            with lock:
                results.setdefault(rec["file"], []).append(rec)
                if not quiet:
                    tag = rec["verdict"].upper()
                    reason = rec["reason"].splitlines()[0][:200] if rec["reason"] else ""
                    print(f"{tag:5} {rec['name']}" + (f": {reason}" if reason else ""), flush=True)
        if proc.wait() != 0:
            print(f"qtt-oracle: the JVM exited with {proc.returncode}", file=sys.stderr)

    threads = [threading.Thread(target=worker, args=(c,)) for c in chunks]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ordered: list[dict[str, Any]] = []
    for f in files:
        ordered.extend(results.get(str(f), []))
    return ordered


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="qtt-oracle", description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--json", dest="json_out")
    ap.add_argument("--actual", dest="actual_dir")
    ap.add_argument("-j", "--jobs", type=int, default=1)
    ap.add_argument("-q", "--quiet", action="store_true", help="only the closing line")
    a = ap.parse_args(argv)
    files = expand_paths(a.paths)
    res = run(files, a.actual_dir is not None, a.jobs, a.quiet)
    if a.json_out:
        Path(a.json_out).write_text(
            json.dumps(
                [
                    {"name": r["name"], "file": Path(r["file"]).name, "verdict": r["verdict"], "reason": r["reason"]}
                    for r in res
                ],
                indent=1,
            )
        )
    if a.actual_dir:
        out = Path(a.actual_dir)
        out.mkdir(parents=True, exist_ok=True)
        by_file: dict[str, list[dict[str, Any]]] = {}
        for r in res:
            by_file.setdefault(r["file"], []).append(r)
        for f, cases in by_file.items():
            doc = {"file": f, "cases": [{k: v for k, v in c.items() if k != "file"} for c in cases]}
            (out / (Path(f).stem + ".actual.json")).write_text(exactjson.dumps(doc) + "\n")
    c = Counter(r["verdict"] for r in res)
    print(f"{c['pass']} passed, {c['fail'] + c['error']} failed" + (f" ({c['error']} errors)" if c["error"] else ""))
    return 0 if c["fail"] + c["error"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
