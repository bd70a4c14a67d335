"""fill-outputs: copies of QTT files whose expectations are what real ksqlDB 0.29.0 produced.

    fill-outputs OUTDIR FILE... [-j N] [--actual-dir DIR]

Each test's `outputs`, `expectedException` and `post.sources` are replaced by the real engine's: the
output records of every topic it wrote that no input record names (topic, key, value, timestamp, window,
headers), or the exception it threw (type and full message); other `post` checks are kept. Numbers keep
their text (0.0 stays 0.0). A test whose expansions (format/config lists) behave differently is left
as it was, with a warning. --actual-dir reuses `qtt-oracle --actual` output instead of running the oracle.
Dev tool of the fraudlab project (scripts/oracle); not part of ksqlserver or fraudlab.
"""

from __future__ import annotations

import argparse
import re
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import exactjson
import qtt_oracle

RECORD_KEYS = ("topic", "key", "value", "timestamp", "window", "headers")
COMMENT = "expected outputs observed on ksqlDB 0.29.0 built from source (the scripts/oracle differential oracle)"


_LONG = 2**63


def double_text(v: Any) -> Any:
    """`v` with every integer text beyond the long range that is a Double written back as the text
    ksqlDB's JSON serializer gave it (Double.toString, read by the harness as a BigDecimal).

    The harness writes the BigDecimal it read with toPlainString (TestJsonMapper's
    WRITE_BIGDECIMAL_AS_PLAIN): 9.223372036854776E18 comes out as 9223372036854776000, which Jackson
    reads back as a BigInteger node, and ExpectedRecordComparator.compareDecimal never matches a
    BigInteger node with the actual BigDecimal, so ksqlDB's own TestExecutor failed such a recorded
    file. Within the long range the plain text matches (compareDecimal takes a scale <= 0 for an
    integer node), so only texts beyond it are rewritten, and only when the float's shortest
    representation (Java's Double.toString for these values) has exactly that value."""
    if isinstance(v, exactjson.Num):
        s = str(v)
        if re.fullmatch(r"-?\d+", s) and abs(int(s)) >= _LONG:
            m = re.fullmatch(r"(-?)(\d)(?:\.(\d+))?e\+?(-?\d+)", repr(float(int(s))))
            if m is not None:
                sign, lead, frac, exp = m.groups()
                text = str(Decimal(f"{sign}{lead}.{frac or '0'}E{int(exp)}"))  # BigDecimal.toString
                if Decimal(text) == int(s):
                    return exactjson.Num(text)
        return v
    if isinstance(v, dict):
        return {k: double_text(x) for k, x in v.items()}
    if isinstance(v, list):
        return [double_text(x) for x in v]
    return v


def expectations(actual: dict[str, Any], with_message: bool = True) -> dict[str, Any]:
    """The QTT fields that state `actual` (one case's qtt-oracle --actual record) as expectations."""
    if "exception" in actual:
        exc: dict[str, Any] = {"type": actual["exception"]["type"]}
        if with_message:
            exc["message"] = actual["exception"]["message"]
        return {"expectedException": exc}
    if "harness_error" in actual:
        raise ValueError(f"the harness failed: {actual['harness_error']}")
    for records in actual.get("topics", {}).values():
        for rec in records:
            for part in ("key", "value"):
                if f"{part}_error" in rec:
                    # recorded as null, but ksqlDB's TestExecutor fails on such a record ("Failed to
                    # deserialize key: ..."): no expectation can pass on the real harness
                    raise ValueError(f"the harness cannot read a {part} on {rec.get('topic')}: {rec[part + '_error']}")
    outputs = [
        {k: double_text(rec[k]) if k in ("key", "value") else rec[k] for k in RECORD_KEYS if k in rec}
        for records in actual.get("topics", {}).values()
        for rec in records
    ]
    return {"outputs": outputs, "sources": actual.get("sources", [])}


def fill_test(test: dict[str, Any], actuals: list[dict[str, Any]], with_message: bool = True) -> dict[str, Any]:
    """A copy of `test` with its expectations replaced by the real engine's."""
    exps = [expectations(a, with_message) for a in actuals]
    if not exps or any(e != exps[0] for e in exps[1:]):
        raise ValueError("its expansions behave differently" if exps else "no case ran")
    exp = exps[0]
    out = {k: v for k, v in test.items() if k not in ("outputs", "expectedException", "post")}
    if "expectedException" in exp:
        out["expectedException"] = exp["expectedException"]
        return out
    out["outputs"] = exp["outputs"]
    post = dict(test.get("post") or {})
    # the metastore's order is a hash order: keep the order the file had, new sources after
    was = [s.get("name") for s in post.get("sources") or []]
    post["sources"] = sorted(
        exp["sources"], key=lambda s: (was.index(s["name"]) if s["name"] in was else len(was))
    )
    out["post"] = post
    return out


def fill_file(
    path: Path, cases: list[dict[str, Any]], with_message: bool = True, warn: bool = True
) -> dict[str, Any]:
    doc = exactjson.loads(path.read_text(encoding="utf-8"))
    by_index: dict[int, list[dict[str, Any]]] = {}
    for c in cases:
        by_index.setdefault(int(c["test_index"]), []).append(c)
    tests = []
    for i, test in enumerate(doc["tests"]):
        runs = by_index.get(i, [])
        try:
            if any("actual" not in c for c in runs):
                raise ValueError(runs[0]["reason"] if runs else "no case ran")
            tests.append(fill_test(test, [c["actual"] for c in runs], with_message))
        except ValueError as e:
            if warn:
                print(f"fill-outputs: {path.name}: test {test.get('name')!r} left as it was: {e}", file=sys.stderr)
            tests.append(test)
    doc["tests"] = tests
    comments = doc.get("comments")
    if isinstance(comments, list) and COMMENT not in comments:
        comments.append(COMMENT)
    elif comments is None:
        doc = {"comments": [COMMENT], **doc}
    return doc


def indent_of(text: str) -> int:
    """The indent step the file was written with (json.dumps(indent=N)), 1 when unknown."""
    for line in text.splitlines()[1:]:
        stripped = line.lstrip(" ")
        if stripped and len(line) > len(stripped):
            return len(line) - len(stripped)
    return 1


def load_actuals(actual_dir: Path, path: Path) -> list[dict[str, Any]]:
    return exactjson.loads((actual_dir / (path.stem + ".actual.json")).read_text(encoding="utf-8"))["cases"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="fill-outputs", description=__doc__.splitlines()[0])
    ap.add_argument("outdir")
    ap.add_argument("files", nargs="+")
    ap.add_argument("-j", "--jobs", type=int, default=1)
    ap.add_argument("--actual-dir", help="use this qtt-oracle --actual output instead of running the oracle")
    a = ap.parse_args(argv)
    files = qtt_oracle.expand_paths(a.files)
    outdir = Path(a.outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    if a.actual_dir:
        per_file = {str(f): load_actuals(Path(a.actual_dir), f) for f in files}
    else:
        per_file = {}
        for r in qtt_oracle.run(files, actual=True, jobs=a.jobs, quiet=True):
            per_file.setdefault(r["file"], []).append(r)
    for f in files:
        if (outdir / f.name).resolve() == f.resolve():
            sys.exit(f"fill-outputs: {outdir} would overwrite {f}")
        doc = fill_file(f, per_file.get(str(f), []))
        indent = indent_of(f.read_text(encoding="utf-8"))
        (outdir / f.name).write_text(exactjson.dumps(doc, indent=indent) + "\n", encoding="utf-8")
        print(f"wrote {outdir / f.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
