"""diff-rest: send the same REST requests to real ksqlDB 0.29.0 (:28088) and to ours, print what differs.

    diff-rest [--ours-up] [--ours URL] [--oracle URL] [-v] [--raw] [--keep] SCENARIO...

SCENARIO is a JSON file:
    {"properties": {...},            streamsProperties of every request
                                     (default {"ksql.streams.auto.offset.reset": "earliest"})
     "steps": [
       {"ksql": "CREATE STREAM ${P}S (...) WITH (kafka_topic='${P}s', ...);"},   POST /ksql
       {"query": "SELECT * FROM ${P}T WHERE ID='a';"},                           POST /query (v1 JSON)
       {"query_stream": "SELECT ...;", "accept": "application/json"},            POST /query-stream
       {"wait": "SELECT * FROM ${P}T;", "rows": 2, "timeout": 60},               poll /query until N rows
       {"sleep": 2}]}
or a .sql file: one step per statement, SELECTs as {"query": ...}, others as {"ksql": ...}.
`${P}` is replaced by a prefix unique to the server and the run (K<run>_ / O<run>_), so both servers share
the broker without sharing topics; responses are compared after putting `${P}` back and (unless --raw)
replacing volatile values (query ids, command sequence numbers). Push queries need a LIMIT (each request
times out after 30 s). Sources the scenario created are dropped afterwards (DELETE TOPIC) unless --keep.
--ours-up starts ours on 127.0.0.1:28089 (`python -m ksqlserver`, OURS_SRC, the oracle server's properties)
for the run. Closes with 'N passed, N failed' (steps alike / different). Dev tool; not part of ksqlserver.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any

import checkout

HOME = Path(os.environ.get("ORACLE_HOME", Path(__file__).resolve().parent.parent))
V1 = "application/vnd.ksql.v1+json"
DEFAULT_PROPS = {"ksql.streams.auto.offset.reset": "earliest"}


def load_scenario(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        return json.loads(text)
    steps: list[dict[str, Any]] = []
    for stmt in (s.strip() for s in re.split(r";\s*(?:\n|$)", text)):
        lines = [ln for ln in stmt.splitlines() if not ln.strip().startswith("--")]
        stmt = "\n".join(lines).strip()
        if stmt:
            kind = "query" if stmt.upper().startswith("SELECT") else "ksql"
            steps.append({kind: stmt + ";"})
    return {"steps": steps}


def post(url: str, path: str, body: dict[str, Any], accept: str, timeout: float = 30) -> tuple[int, str]:
    req = urllib.request.Request(
        url + path, data=json.dumps(body).encode(), method="POST",
        headers={"Content-Type": V1 if path != "/query-stream" else "application/json", "Accept": accept},
    )
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")
    except TimeoutError:
        return -1, "<timed out>"
    except OSError as e:
        return -2, f"<{e}>"


def parse_body(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        out = []
        for line in text.splitlines():
            line = line.strip().rstrip(",")
            if not line or line in ("[", "]"):
                continue
            try:
                out.append(json.loads(line))
            except ValueError:
                out.append(line)
        return out


VOLATILE = [
    (re.compile(r"\bquery_\d+\b"), "query_N"),
    (re.compile(r"\btransient_\w+?_\d+\b"), "transient_N"),
    (re.compile(r"\b(CSAS|CTAS|INSERTQUERY)_(\w+?)_\d+\b"), r"\1_\2_N"),
]
DROP_KEYS = {"commandSequenceNumber"}


def normalize(v: Any, prefix: str, raw: bool) -> Any:
    if isinstance(v, str):
        if not raw:  # before the prefix goes: the patterns want word characters
            for rx, rep in VOLATILE:
                v = rx.sub(rep, v)
        return v.replace(prefix, "${P}").replace(prefix.upper(), "${P}")
    if isinstance(v, dict):
        return {k: normalize(x, prefix, raw) for k, x in v.items() if raw or k not in DROP_KEYS}
    if isinstance(v, list):
        return [normalize(x, prefix, raw) for x in v]
    return v


def run_step(url: str, step: dict[str, Any], prefix: str, props: dict[str, Any]) -> tuple[int, Any] | None:
    def sub(s: str) -> str:
        return s.replace("${P}", prefix)

    if "ksql" in step:
        return post(url, "/ksql", {"ksql": sub(step["ksql"]), "streamsProperties": props}, V1)
    if "query" in step:
        return post(url, "/query", {"ksql": sub(step["query"]), "streamsProperties": props}, V1)
    if "query_stream" in step:
        accept = step.get("accept", "application/vnd.ksqlapi.delimited.v1")
        return post(url, "/query-stream", {"sql": sub(step["query_stream"]), "properties": props}, accept)
    if "wait" in step:
        deadline = time.monotonic() + float(step.get("timeout", 60))
        status, body = 0, ""
        while time.monotonic() < deadline:
            status, body = post(url, "/query", {"ksql": sub(step["wait"]), "streamsProperties": props}, V1)
            rows = [r for r in parse_body(body) if isinstance(r, dict) and "row" in r] if status == 200 else []
            if len(rows) >= int(step.get("rows", 1)):
                break
            time.sleep(1)
        return status, body
    if "sleep" in step:
        time.sleep(float(step["sleep"]))
        return None
    raise ValueError(f"unknown step {step}")


def cleanup(url: str, prefix: str, props: dict[str, Any]) -> None:
    """Drop the sources whose names carry this run's prefix, sinks first (DROP terminates their queries)."""
    for _ in range(3):
        names = []
        for kind in ("STREAMS", "TABLES"):
            status, body = post(url, "/ksql", {"ksql": f"SHOW {kind};", "streamsProperties": props}, V1)
            if status == 200:
                for ent in parse_body(body):
                    for s in ent.get(kind.lower(), []):
                        if s["name"].startswith(prefix.upper()):
                            names.append((s["type"], s["name"]))
        if not names:
            return
        for typ, name in reversed(names):
            post(url, "/ksql", {"ksql": f"DROP {typ} IF EXISTS {name} DELETE TOPIC;", "streamsProperties": props}, V1)


def start_ours(port: int) -> tuple[subprocess.Popen[bytes], Path]:
    state = Path(tempfile.mkdtemp(prefix="diff-rest-ours-"))
    props = (HOME / "conf" / "ksql-server.properties").read_text().replace("@HOME@", str(state))
    (state / "ksql-server.properties").write_text(props)
    env = dict(os.environ, PYTHONPATH=checkout.ours_src())
    py = checkout.python()
    log = open(state / "ours.log", "wb")  # noqa: SIM115 - lives as long as the server
    proc = subprocess.Popen(
        ["nice", py, "-m", "ksqlserver", str(state / "ksql-server.properties"), "--listen", f"127.0.0.1:{port}",
         "--service-id", "ours_", "--state-dir", str(state / "engine")],
        env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/info", timeout=3):
                return proc, state
        except Exception:
            if proc.poll() is not None:
                break
            time.sleep(1)
    proc.kill()
    sys.exit(f"diff-rest: our server did not come up; see {state / 'ours.log'}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="diff-rest", description=__doc__.splitlines()[0])
    ap.add_argument("scenarios", nargs="+", type=Path)
    ap.add_argument("--oracle", default="http://127.0.0.1:28088")
    ap.add_argument("--ours", default="http://127.0.0.1:28089")
    ap.add_argument("--ours-up", action="store_true", help="start ours on :28089 for this run")
    ap.add_argument("-v", "--verbose", action="store_true", help="print both responses of differing steps")
    ap.add_argument("--raw", action="store_true", help="compare volatile values too")
    ap.add_argument("--keep", action="store_true", help="do not drop the scenario's sources afterwards")
    a = ap.parse_args(argv)
    ours_proc = None
    if a.ours_up:
        port = int(a.ours.rsplit(":", 1)[1])
        ours_proc, _state = start_ours(port)
    same = diff = 0
    try:
        for path in a.scenarios:
            sc = load_scenario(path)
            props = sc.get("properties", DEFAULT_PROPS)
            run = uuid.uuid4().hex[:6]
            sides = {"ksqlDB": (a.oracle, f"k{run}_"), "ours": (a.ours, f"o{run}_")}
            answers: dict[str, list[tuple[int, Any] | None]] = {}
            for side, (url, prefix) in sides.items():
                answers[side] = []
                for step in sc["steps"]:
                    answers[side].append(run_step(url, step, prefix, props))
            for i, step in enumerate(sc["steps"]):
                k, o = answers["ksqlDB"][i], answers["ours"][i]
                if k is None or o is None:
                    continue
                kn = (k[0], normalize(parse_body(k[1]), sides["ksqlDB"][1], a.raw))
                on = (o[0], normalize(parse_body(o[1]), sides["ours"][1], a.raw))
                what = next(iter(v for key, v in step.items() if key not in ("accept", "rows", "timeout")))
                if kn == on:
                    same += 1
                    continue
                diff += 1
                print(f"DIFF  {path.name} step {i + 1} {str(what)[:120]!r}: HTTP {kn[0]} vs ours {on[0]}")
                if a.verbose:
                    print(f"      ksqlDB: {json.dumps(kn[1])[:1500]}")
                    print(f"      ours:   {json.dumps(on[1])[:1500]}")
            if not a.keep:
                for url, prefix in sides.values():
                    cleanup(url, prefix, props)
    finally:
        if ours_proc is not None:
            ours_proc.terminate()
            try:
                ours_proc.wait(20)
            except subprocess.TimeoutExpired:
                ours_proc.kill()
    print(f"{same} passed, {diff} failed")
    return 0 if diff == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
