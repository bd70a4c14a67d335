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
       {"sleep": 2},
       {"get": "/info", "ignore": ["kafkaClusterId"]},                         GET any path
       {"post": "/close-query", "body": {...}, "content_type": null},            POST any path, any body
       {"close": "SELECT ... EMIT CHANGES;", "endpoint": "query_stream"},       push query (`query` or
            `query_stream` with "accept"), read its header, POST /close-query {queryId} without a content
            type (as ksql-python does); compares the close answer and the stream's whole body
     ]}
Every step may also carry "properties" (this step's streamsProperties instead of the scenario's),
"variables" (sessionVariables), "ignore" (keys dropped wherever they occur), "only_prefix" (lists of objects
keep only the entries that mention this run's prefix: listings on a shared server), "drop" ({key: value}: list
entries with that key and value go, e.g. {"queryType": "PUSH"}: transient queries end asynchronously),
"sort" (lists of objects compared as sets: ksqlDB lists sources in a hash order of identity hashes),
"sort_rows" (a query's rows compared as a set: the header and final messages keep their place), "headers" (response
headers compared too, e.g. ["content-type"]), "mask" (regexes whose matches in any string become <masked>:
wall-clock values), "capture" ({"NAME": regex with one group}: later steps' `${NAME}` is the group as this
side saw it, e.g. a query id for EXPLAIN / TERMINATE), "text" (compare the raw body text, after masking, instead of
its parsed JSON: framing such as `,\n` between rows) and "chunks" (compare the HTTP chunks one by one).
A .sql file: one step per statement, SELECTs as {"query": ...}, others as {"ksql": ...}.
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


class Answer(tuple):  # (status, body) with the response headers and chunks alongside
    headers: dict[str, str]
    chunks: list[str]


def _answer(status: int, body: str, headers: Any = None, chunks: list[str] | None = None) -> Answer:
    a = Answer((status, body))
    a.headers = {k.lower(): v for k, v in (headers.items() if headers is not None else [])}
    a.chunks = chunks if chunks is not None else []
    return a


def _read_chunks(r: Any) -> list[str]:
    """http.client's read1 on a chunked body stops at the chunk's end: one item per chunk."""
    out: list[bytes] = []
    while True:
        b = r.read1(1 << 20)
        if not b:
            break
        if out and r.chunked and getattr(r, "chunk_left", None) not in (None, 0):
            out[-1] += b  # rest of a chunk larger than one read
        else:
            out.append(b)
    return [c.decode("utf-8", "replace") for c in out]


def post(
    url: str, path: str, body: Any, accept: str | None, timeout: float = 30, content_type: str | None = "default",
    method: str = "POST",
) -> Answer:
    headers = {}
    if content_type == "default":
        content_type = V1 if path != "/query-stream" else "application/json"
    if content_type is not None:
        headers["Content-Type"] = content_type
    if accept is not None:
        headers["Accept"] = accept
    data = None if method == "GET" else (body if isinstance(body, bytes) else json.dumps(body).encode())
    req = urllib.request.Request(url + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            chunks = _read_chunks(r)
            return _answer(r.status, "".join(chunks), r.headers, chunks)
    except urllib.error.HTTPError as e:
        text = e.read().decode("utf-8", "replace")
        return _answer(e.code, text, e.headers, [text])
    except TimeoutError:
        return _answer(-1, "<timed out>")
    except OSError as e:
        return _answer(-2, f"<{e}>")


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
    (re.compile(r"\b(CSAS|CTAS|CST|INSERTQUERY)_(\w+?)_\d+\b"), r"\1_\2_N"),
]
DROP_KEYS = {"commandSequenceNumber"}


def normalize(v: Any, prefix: str, raw: bool, ignore: frozenset[str] = frozenset()) -> Any:
    if isinstance(v, str):
        if not raw:  # before the prefix goes: the patterns want word characters
            for rx, rep in VOLATILE:
                v = rx.sub(rep, v)
        return v.replace(prefix, "${P}").replace(prefix.upper(), "${P}")
    if isinstance(v, dict):
        return {  # keys too: SHOW TYPES maps type names
            normalize(k, prefix, raw): normalize(x, prefix, raw, ignore) for k, x in v.items()
            if (raw or k not in DROP_KEYS) and k not in ignore
        }
    if isinstance(v, list):
        return [normalize(x, prefix, raw, ignore) for x in v]
    return v


def only_prefix(v: Any) -> Any:
    """Lists of objects keep the entries that mention the (already masked) prefix."""
    if isinstance(v, dict):
        return {k: only_prefix(x) for k, x in v.items()}
    if isinstance(v, list):
        if v and all(isinstance(x, dict) for x in v) and not any("@type" in x for x in v):
            return [only_prefix(x) for x in v if "${P}" in json.dumps(x)]
        return [only_prefix(x) for x in v]
    return v


def dropped(v: Any, what: dict[str, Any]) -> Any:
    if isinstance(v, dict):
        return {k: dropped(x, what) for k, x in v.items()}
    if isinstance(v, list):
        return [dropped(x, what) for x in v
                if not (isinstance(x, dict) and any(x.get(k) == w for k, w in what.items()))]
    return v


def sorted_lists(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: sorted_lists(x) for k, x in v.items()}
    if isinstance(v, list):
        items = [sorted_lists(x) for x in v]
        if items and all(isinstance(x, dict) for x in items) and not any("@type" in x for x in items):
            items.sort(key=lambda x: json.dumps(x, sort_keys=True))
        return items
    return v


def sorted_rows(body: list[Any]) -> list[Any]:
    def is_row(x: Any) -> bool:
        return isinstance(x, list) or (isinstance(x, dict) and "row" in x)

    rows = iter(sorted((x for x in body if is_row(x)), key=lambda x: json.dumps(x, sort_keys=True)))
    return [next(rows) if is_row(x) else x for x in body]


def masked(v: Any, rxs: list[re.Pattern[str]]) -> Any:
    if isinstance(v, str):
        for rx in rxs:
            v = rx.sub("<masked>", v)
        return v
    if isinstance(v, dict):
        return {k: masked(x, rxs) for k, x in v.items()}
    if isinstance(v, list):
        return [masked(x, rxs) for x in v]
    return v


def compared(ans: Answer, step: dict[str, Any], prefix: str, raw: bool) -> tuple[Any, ...]:
    ignore = frozenset(step.get("ignore", ()))
    if step.get("chunks"):
        body: Any = [normalize(c, prefix, raw) for c in ans.chunks]
    elif step.get("text"):
        body = normalize(ans[1], prefix, raw)
    else:
        body = normalize(parse_body(ans[1]), prefix, raw, ignore)
    if step.get("only_prefix"):
        body = only_prefix(body)
    if step.get("drop"):
        body = dropped(body, step["drop"])
    if step.get("sort"):
        body = sorted_lists(body)
    if step.get("sort_rows") and isinstance(body, list):
        body = sorted_rows(body)
    if step.get("mask"):
        body = masked(body, [re.compile(m) for m in step["mask"]])
    heads = tuple((h, ans.headers.get(h.lower())) for h in step.get("headers", ()))
    extra = tuple(compared(x, {**step, "headers": ()}, prefix, raw) for x in getattr(ans, "more", ()))
    return (ans[0], body, *heads, *extra)


def run_step(
    url: str, step: dict[str, Any], prefix: str, props: dict[str, Any], captured: dict[str, str] | None = None,
) -> Answer | None:
    captured = {} if captured is None else captured
    ans = _run_step(url, step, prefix, props, captured)
    for name, rx in step.get("capture", {}).items():
        m = re.search(rx, ans[1]) if ans is not None else None
        captured[name] = m.group(1) if m else f"<{name} not found>"
    return ans


def _run_step(
    url: str, step: dict[str, Any], prefix: str, props: dict[str, Any], captured: dict[str, str],
) -> Answer | None:
    def sub(s: str) -> str:
        for name, value in captured.items():
            s = s.replace("${" + name + "}", value)
        return s.replace("${P}", prefix)

    props = step.get("properties", props)
    variables = {"sessionVariables": step["variables"]} if "variables" in step else {}
    if "ksql" in step:
        return post(url, "/ksql", {"ksql": sub(step["ksql"]), "streamsProperties": props, **variables},
                    step.get("accept", V1))
    if "query" in step:
        return post(url, "/query", {"ksql": sub(step["query"]), "streamsProperties": props, **variables},
                    step.get("accept", V1))
    if "query_stream" in step:
        accept = step.get("accept", "application/vnd.ksqlapi.delimited.v1")
        return post(url, "/query-stream", {"sql": sub(step["query_stream"]), "properties": props, **variables},
                    accept)
    if "get" in step:
        return post(url, sub(step["get"]), None, step.get("accept"), method="GET")
    if "post" in step:
        body = json.loads(sub(json.dumps(step.get("body", {}))))
        return post(url, sub(step["post"]), body, step.get("accept"), content_type=step.get("content_type", V1))
    if "close" in step:
        return close_step(url, step, sub(step["close"]), props)
    if "wait" in step:
        deadline = time.monotonic() + float(step.get("timeout", 60))
        ans = _answer(0, "")
        while time.monotonic() < deadline:
            ans = post(url, "/query", {"ksql": sub(step["wait"]), "streamsProperties": props}, V1)
            rows = [r for r in parse_body(ans[1]) if isinstance(r, dict) and "row" in r] if ans[0] == 200 else []
            if len(rows) >= int(step.get("rows", 1)):
                break
            time.sleep(1)
        return ans
    if "sleep" in step:
        time.sleep(float(step["sleep"]))
        return None
    raise ValueError(f"unknown step {step}")


def close_step(url: str, step: dict[str, Any], sql: str, props: dict[str, Any]) -> Answer:
    """Start a push query, read its header, close it through /close-query; the answer is the close's, with
    the stream's status and whole body as a second answer."""
    endpoint = step.get("endpoint", "query_stream")
    if endpoint == "query":
        path, body = "/query", {"ksql": sql, "streamsProperties": props}
    else:
        path, body = "/query-stream", {"sql": sql, "properties": props}
    accept = step.get("accept", "application/vnd.ksqlapi.delimited.v1")
    req = urllib.request.Request(
        url + path, data=json.dumps(body).encode(), method="POST",
        headers={"Content-Type": V1 if path == "/query" else "application/json", "Accept": accept},
    )
    try:
        r = urllib.request.urlopen(req, timeout=30)
    except urllib.error.HTTPError as e:
        return _answer(e.code, e.read().decode("utf-8", "replace"), e.headers)
    with r:
        first = r.read1(1 << 16).decode("utf-8", "replace")
        m = re.search(r'"queryId"\s*:\s*"([^"]+)"', first)
        qid = m.group(1) if m else "<no query id>"
        closed = post(url, "/close-query", json.dumps({"queryId": qid}).encode(), None, content_type=None)
        try:
            rest = r.read().decode("utf-8", "replace")
        except (TimeoutError, OSError) as e:
            rest = f"<{e}>"
        stream = _answer(r.status, first + rest, r.headers)
    closed.more = (stream,)  # type: ignore[attr-defined]
    return closed


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


def _dump(ans: Answer | None) -> Any:
    if ans is None:
        return None
    return {"status": ans[0], "body": ans[1], "headers": ans.headers, "chunks": ans.chunks,
            "more": [_dump(m) for m in getattr(ans, "more", ())]}


def _load(d: Any) -> Answer | None:
    if d is None:
        return None
    ans = _answer(d["status"], d["body"], d["headers"], d["chunks"])
    if d["more"]:
        ans.more = tuple(_load(m) for m in d["more"])  # type: ignore[attr-defined]
    return ans


def _cache_file(cache: Path, path: Path) -> Path:
    return cache / (path.stem + ".oracle.json")


def load_cache(cache: Path, path: Path) -> tuple[str, list[Answer | None]] | None:
    f = _cache_file(cache, path)
    if not f.exists():
        return None
    d = json.loads(f.read_text())
    if d["scenario"] != path.read_text(encoding="utf-8"):
        return None
    return d["prefix"], [_load(x) for x in d["answers"]]


def save_cache(cache: Path, path: Path, prefix: str, answers: list[Answer | None]) -> None:
    cache.mkdir(parents=True, exist_ok=True)
    d = {"scenario": path.read_text(encoding="utf-8"), "prefix": prefix, "answers": [_dump(x) for x in answers]}
    _cache_file(cache, path).write_text(json.dumps(d, indent=1))


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
    ap.add_argument("--width", type=int, default=1500, help="characters of each body -v prints")
    ap.add_argument("--cache", type=Path, help="keep ksqlDB's answers per scenario in this directory and reuse "
                    "them while the scenario's text is unchanged (then only ours runs)")
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
            answers: dict[str, list[Answer | None]] = {}
            cached = load_cache(a.cache, path) if a.cache else None
            if cached is not None:
                sides["ksqlDB"] = (a.oracle, cached[0])
                answers["ksqlDB"] = cached[1]
            for side, (url, prefix) in sides.items():
                if side in answers:
                    continue
                answers[side] = []
                captured: dict[str, str] = {}
                for step in sc["steps"]:
                    answers[side].append(run_step(url, step, prefix, props, captured))
            if a.cache and cached is None:
                save_cache(a.cache, path, sides["ksqlDB"][1], answers["ksqlDB"])
            for i, step in enumerate(sc["steps"]):
                k, o = answers["ksqlDB"][i], answers["ours"][i]
                if k is None or o is None:
                    continue
                kn = compared(k, step, sides["ksqlDB"][1], a.raw)
                on = compared(o, step, sides["ours"][1], a.raw)
                what = next(iter(v for key, v in step.items() if key not in ("accept", "rows", "timeout")))
                if kn == on:
                    same += 1
                    continue
                diff += 1
                print(f"DIFF  {path.name} step {i + 1} {str(what)[:120]!r}: HTTP {kn[0]} vs ours {on[0]}")
                if a.verbose:
                    print(f"      ksqlDB: {json.dumps(kn[1:])[:a.width]}")
                    print(f"      ours:   {json.dumps(on[1:])[:a.width]}")
            if not a.keep:
                for side, (url, prefix) in sides.items():
                    if side == "ksqlDB" and cached is not None:
                        continue
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
