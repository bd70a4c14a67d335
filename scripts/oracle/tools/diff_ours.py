"""diff-ours: the cases on which our engine and real ksqlDB 0.29.0 behave differently.

    diff-ours [-v] [--strict] [-j N] [--keep DIR] FILE|DIR...
    env OURS_SRC=<checkout>/src picks whose engine (default: the checkout that built the oracle)

Runs the files on the oracle (qtt-oracle --actual), writes copies whose expectations are the real engine's
(as fill-outputs does; without --strict an expected error keeps only its type, so any error of ours
matches), runs those through our QTT runner (ksqlserver.conformance.qtt.run_case) and prints each case
whose outcome differs: other records, an error on one side only, or (--strict) another error message;
also records we wrote to a topic on which ksqlDB wrote none. -v adds what each side did.
Closes with 'N passed, N failed' (same / different). Dev tool; not part of ksqlserver or fraudlab.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import checkout
import exactjson
import fill_outputs
import qtt_oracle


def describe_actual(actual: dict[str, Any]) -> str:
    if "exception" in actual:
        return f"error {actual['exception']['type']}: {actual['exception']['message'][:300]}"
    if "harness_error" in actual:
        return f"HARNESS ERROR {actual['harness_error']}"
    parts = []
    for topic, recs in actual.get("topics", {}).items():
        shown = "; ".join(
            f"{exactjson.dumps(r.get('key'), indent=None)}->{exactjson.dumps(r.get('value'), indent=None)}"
            f"@{r.get('timestamp')}" + (f" w{r['window']['start']}-{r['window']['end']}" if "window" in r else "")
            for r in recs[:8]
        )
        parts.append(f"{topic}: {len(recs)} records" + (f" [{shown}{' ...' if len(recs) > 8 else ''}]" if recs else ""))
    return "; ".join(parts) or "no output topics"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="diff-ours", description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="+")
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("--strict", action="store_true", help="error messages must match too")
    ap.add_argument("-j", "--jobs", type=int, default=1)
    ap.add_argument("--keep", help="keep the filled copies and the oracle's actuals in this directory")
    a = ap.parse_args(argv)
    ours_src = checkout.ours_src()
    files = qtt_oracle.expand_paths(a.paths)
    work = Path(a.keep) if a.keep else Path(tempfile.mkdtemp(prefix="diff-ours-"))
    work.mkdir(parents=True, exist_ok=True)

    oracle: dict[str, dict[str, Any]] = {}  # case name -> oracle record
    per_file: dict[str, list[dict[str, Any]]] = {}
    for r in qtt_oracle.run(files, actual=True, jobs=a.jobs, quiet=True):
        per_file.setdefault(r["file"], []).append(r)
    filled: list[Path] = []
    empty_topics: dict[str, list[str]] = {}
    for f in files:
        cases = per_file.get(str(f), [])
        for c in cases:
            oracle[c["name"]] = c
            act = c.get("actual", {})
            empty_topics[c["name"]] = [t for t, recs in act.get("topics", {}).items() if not recs]
        doc = fill_outputs.fill_file(f, cases, with_message=a.strict)
        out = work / f.name
        out.write_text(exactjson.dumps(doc) + "\n", encoding="utf-8")
        filled.append(out)
    (work / "empty_topics.json").write_text(json.dumps(empty_topics))

    env = dict(os.environ, PYTHONPATH=ours_src)
    py = checkout.python()
    proc = subprocess.run(
        ["nice", py, str(Path(__file__).resolve().parent / "ours_qtt.py"), str(work / "empty_topics.json"),
         *map(str, filled)],
        env=env, stdout=subprocess.PIPE, text=True, check=False,
    )
    same = diff = 0
    for line in proc.stdout.splitlines():
        if not line.startswith("{"):
            continue
        ours = json.loads(line)
        name = ours["name"]
        o = oracle.get(name)
        if o is None or "actual" not in o:
            print(f"NOORACLE {name}: {o['reason'][:200] if o else 'the oracle did not run it'}")
            diff += 1
            continue
        problems = []
        if ours["verdict"] != "pass":
            problems.append(ours["reason"])
        for topic, n in ours["extra"].items():
            problems.append(f"topic {topic}: ksqlDB wrote no records, ours wrote {n}")
        if not problems:
            same += 1
            continue
        diff += 1
        print(f"DIFF  {name}: {problems[0].splitlines()[0][:300] if problems[0] else ours['verdict']}")
        if a.verbose:
            print(f"      ksqlDB: {describe_actual(o['actual'])}")
            for p in problems[1:]:
                print(f"      also: {p[:300]}")
    if proc.returncode != 0:
        print(f"diff-ours: our runner exited with {proc.returncode}", file=sys.stderr)
    print(f"{same} passed, {diff} failed")
    if not a.keep:
        for p in work.iterdir():
            p.unlink()
        work.rmdir()
    return 0 if diff == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
