"""`python -m ksqlserver.conformance PATH... [--json FILE] [--index FILE]`: run QTT files, print counts.

Per file: `<file>: P passed, F failed, S skipped`; then per class; then the Schema Registry cases (the
AVRO/PROTOBUF/JSON_SR/PROTOBUF_NOSR expansions index.json marks out of the first milestone's scope) as
their own line `SR cases: P passed / F failed`; the last line is exactly `N passed, M failed, K skipped`
for the other cases (failures include unexpected errors), so it stays comparable with earlier runs.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

from ksqlserver.conformance.qtt import PASS, SKIP, SR_GROUP, CaseResult, Index, run_file


def collect(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for p in paths:
        files += sorted(p.glob("*.json")) if p.is_dir() else [p]
    return files


def find_index(files: list[Path], explicit: Path | None) -> Path | None:
    if explicit is not None:
        return explicit
    for f in files:
        for cand in (f.parent / "index.json", f.parent.parent / "index.json"):
            if cand.exists() and cand != f:
                return cand
    return None


def summarise(results: list[CaseResult]) -> tuple[int, int, int]:
    p = sum(r.verdict == PASS for r in results)
    s = sum(r.verdict == SKIP for r in results)
    return p, len(results) - p - s, s


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m ksqlserver.conformance")
    ap.add_argument("paths", nargs="+", type=Path)
    ap.add_argument("--json", type=Path, help="write every case's verdict here")
    ap.add_argument("--index", type=Path, help="index.json (default: next to the files)")
    ap.add_argument("--verbose", "-v", action="store_true", help="print each failing case and why")
    args = ap.parse_args(argv)
    files = [f for f in collect(args.paths) if f.name != "index.json"]
    index = Index.load(find_index(files, args.index))
    results: list[CaseResult] = []
    for f in files:
        rs = run_file(f, index)
        results += rs
        p, m, s = summarise(rs)
        print(f"{f.name}: {p} passed, {m} failed, {s} skipped", flush=True)
        if args.verbose:
            for r in rs:
                if r.verdict not in (PASS, SKIP):
                    print(f"  FAIL {r.name}: {r.reason[:400]}")
    sr = [r for r in results if r.group == SR_GROUP]
    results_all = results
    results = [r for r in results if r.group != SR_GROUP]
    by_class: dict[str, list[CaseResult]] = defaultdict(list)
    for r in results:
        by_class[r.klass or "?"].append(r)
    for k in sorted(by_class):
        p, m, s = summarise(by_class[k])
        rate = 100.0 * p / (p + m) if p + m else 0.0
        print(f"class {k}: {p} passed, {m} failed, {s} skipped ({rate:.1f}% of in-scope)")
    if sr:
        sp, sm, _ = summarise(sr)
        print(f"SR cases: {sp} passed / {sm} failed")
    if args.json:
        args.json.write_text(json.dumps([r.__dict__ for r in results_all], indent=1))
    p, m, s = summarise(results)
    print(f"{p} passed, {m} failed, {s} skipped")
    return 0 if m == 0 and not any(r.verdict not in (PASS, SKIP) for r in sr) else 1


if __name__ == "__main__":
    sys.exit(main())
