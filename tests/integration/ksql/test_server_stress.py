"""Robustness: the server stays up and answers under 20 concurrent push queries and 1,000 malformed
statements, against `python -m ksqlserver --bootstrap-servers memory://`; and under 1,000
malformed REST requests of every kind (bad JSON, invalid UTF-8, bodies over the limit, deep nesting, unknown
endpoints, broken HTTP, oversized heads, slow clients, half-closed HTTP/2 streams), each answered with a
ksqlDB error entity, with the server's RSS growth bounded.

Also a stress script: `python tests/integration/ksql/test_server_stress.py --url http://127.0.0.1:8088`
runs the same load against any server and prints a JSON summary (`--malformed` runs the request barrage).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import signal
import string
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import h2.config
import h2.connection
import h2.events
import httpx
import psutil
import pytest

from fraudlab.stack import KsqlServerProcess

pytestmark = pytest.mark.integration

MALFORMED = [
    "SELEC * FROM x;",
    "CREATE STREAM (;",
    "CREATE STREAM s1 (id INT) WITH (kafka_topic=;",
    "DROP STREAM;",
    "DESCRIBE;",
    "SHOW STREAMZ;",
    "CREATE TABLE t (id INT) WITH (kafka_topic='t', value_format='NOPE');",
    "INSERT INTO nowhere VALUES (1);",
    "SELECT * FROM does_not_exist EMIT CHANGES;",
    "'unterminated",
    "CREATE STREAM x AS SELECT FROM;",
    "TERMINATE no_such_query;",
    ";;;",
    "\u00e9\u00e8 \u2603",
    "CREATE STREAM " + "a" * 5000 + " (;",
    "SELECT " + "(" * 300 + "1" + ")" * 300 + " FROM x;",
]


def malformed_statement(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return rng.choice(MALFORMED)
    return "".join(rng.choice(string.printable) for _ in range(rng.randint(1, 80))) + ";"


def malformed_statements(count: int) -> list[str]:
    rng = random.Random(42)
    return [malformed_statement(rng) for _ in range(count)]


def hammer_statements(url: str, count: int, workers: int = 4) -> dict[int, int]:
    """Sends `count` malformed statements; returns {error_code: how many}."""
    statements = malformed_statements(count)

    def send(chunk: list[str]) -> dict[int, int]:
        codes: dict[int, int] = {}
        with httpx.Client(base_url=url, timeout=60) as client:
            for statement in chunk:
                response = client.post("/ksql", json={"ksql": statement, "streamsProperties": {}})
                body = response.json()  # must be JSON, whatever happened
                # 200 is fine only as [] (nothing to run, e.g. ";;;" or a comment); anything else is a bug
                code = int(body["error_code"]) if response.status_code != 200 else (200 if body == [] else -1)
                codes[code] = codes.get(code, 0) + 1
        return codes

    totals: dict[int, int] = {}
    with ThreadPoolExecutor(workers) as pool:
        for codes in pool.map(send, [statements[i::workers] for i in range(workers)]):
            for code, n in codes.items():
                totals[code] = totals.get(code, 0) + n
    return totals


def open_push_query(url: str, stream: str, results: dict[str, Any], key: str, expected: int) -> None:
    """Reads one unlimited push query until it holds `expected` rows, then closes it via /close-query."""
    rows: list[Any] = []
    try:
        with httpx.stream(
            "POST",
            url + "/query",
            json={"ksql": f"SELECT * FROM {stream} EMIT CHANGES;", "streamsProperties": {}},
            timeout=60,
        ) as response:
            assert response.status_code == 200, response.read()
            lines = response.iter_lines()
            header = json.loads(next(lines))
            results[key + ".header"] = header
            for line in lines:
                if not line.strip():
                    continue
                rows.append(json.loads(line))
                if len(rows) >= expected:
                    closed = httpx.post(
                        url + "/close-query", content=json.dumps({"queryId": header["queryId"]})
                    )
                    results[key + ".close"] = closed.status_code
                    break
        results[key] = rows
    except Exception as exc:
        results[key] = exc


def run_load(url: str, queries: int = 20, statements: int = 1000, rows: int = 5) -> dict[str, Any]:
    stream = f"STRESS_{uuid.uuid4().hex[:8].upper()}"
    created = httpx.post(
        url + "/ksql",
        json={
            "ksql": f"CREATE STREAM {stream} (ID INT, NAME STRING) "
            f"WITH (kafka_topic='{stream.lower()}', value_format='JSON', partitions=1);",
            "streamsProperties": {},
        },
        timeout=60,
    )
    assert created.status_code == 200, created.text
    results: dict[str, Any] = {}
    threads = [
        threading.Thread(target=open_push_query, args=(url, stream, results, f"q{i}", rows))
        for i in range(queries)
    ]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 60
    while sum(1 for k in results if k.endswith(".header")) < queries and time.monotonic() < deadline:
        time.sleep(0.1)
    headers = sum(1 for k in results if k.endswith(".header"))
    codes = hammer_statements(url, statements)
    inserts = ";".join(f"INSERT INTO {stream} (ID, NAME) VALUES ({i}, 'n{i}')" for i in range(rows)) + ";"
    inserted = httpx.post(url + "/ksql", json={"ksql": inserts, "streamsProperties": {}}, timeout=60)
    assert inserted.status_code == 200, inserted.text
    for thread in threads:
        thread.join(90)
    info = httpx.get(url + "/info", timeout=10)
    return {
        "push_queries": queries,
        "headers_received": headers,
        "queries_with_all_rows": sum(
            1
            for i in range(queries)
            if isinstance(results.get(f"q{i}"), list) and len(results[f"q{i}"]) == rows
        ),
        "close_query_status": sorted({results.get(f"q{i}.close") for i in range(queries)}, key=str),
        "errors": [
            repr(results[f"q{i}"]) for i in range(queries) if isinstance(results.get(f"q{i}"), Exception)
        ],
        "malformed_statements": statements,
        "error_codes": codes,
        "info_status_after": info.status_code,
        "seconds": round(time.perf_counter() - start, 2),
    }


def test_concurrent_push_queries_and_malformed_statements(memory_ksql_url: str) -> None:
    summary = run_load(memory_ksql_url)
    assert summary["errors"] == []
    assert summary["headers_received"] == 20
    assert summary["queries_with_all_rows"] == 20
    assert summary["close_query_status"] == [200]
    assert sum(summary["error_codes"].values()) == 1000
    assert set(summary["error_codes"]) <= {200, 40000, 40001, 40002}, summary["error_codes"]
    # INSERT VALUES into an unknown target is a generic_error 40000 (InsertValuesExecutor's plain KsqlException
    # through Errors.badRequest, as ksqlDB 0.29's REST server answers); nothing else is
    inserts = sum(s.startswith("INSERT INTO nowhere") for s in malformed_statements(summary["malformed_statements"]))
    assert summary["error_codes"].get(40000, 0) == inserts, summary["error_codes"]
    assert summary["info_status_after"] == 200


def test_sigterm_stops_gracefully_with_an_open_push_query(
    launch_ksqlserver: Callable[[str], KsqlServerProcess],
) -> None:
    server = launch_ksqlserver("memory://")
    url = server.url
    stream = f"SIG_{uuid.uuid4().hex[:8].upper()}"
    httpx.post(
        url + "/ksql",
        json={
            "ksql": f"CREATE STREAM {stream} (ID INT) WITH (kafka_topic='{stream.lower()}', "
            "value_format='JSON', partitions=1);"
        },
    ).raise_for_status()
    ended = threading.Event()

    def listen() -> None:
        with httpx.stream(
            "POST", url + "/query", json={"ksql": f"SELECT * FROM {stream} EMIT CHANGES;"}, timeout=30
        ) as response:
            for _ in response.iter_raw():
                pass
        ended.set()

    listener = threading.Thread(target=listen, daemon=True)
    listener.start()
    time.sleep(1.0)
    assert server.stop(signal.SIGTERM, timeout_s=20) == 0
    assert ended.wait(10), "the open push query response did not end on shutdown"


# ---- malformed REST requests ---------------------------------------------------------------------------

BODY_LIMIT = 65_536  # the server under test runs with --max-request-bytes 65536
REQUEST_TIMEOUT = 2.0  # and --request-timeout 2 (head and body)


def _http1(method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None) -> bytes:
    head = {"host": "127.0.0.1", "content-type": "application/json", "content-length": str(len(body)),
            **(headers or {})}
    lines = "".join(f"{k}: {v}\r\n" for k, v in head.items())
    return f"{method} {path} HTTP/1.1\r\n{lines}\r\n".encode() + body


def malformed_kinds() -> dict[str, dict[str, Any]]:
    """name -> how to send it and which ksqlDB error (HTTP status, error_code) must come back."""
    deep = b'{"ksql": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    return {
        "invalid-json": {"raw": _http1("POST", "/ksql", b'{"ksql": "SHOW STREAMS;",'), "want": (400, 40000)},
        "invalid-utf8": {"raw": _http1("POST", "/ksql", b'{"ksql": "SHOW \xff\xfe STREAMS;"}'), "want": (400, 40000)},
        "not-an-object": {"raw": _http1("POST", "/query-stream", b"[1, 2, 3]"), "want": (400, 40000)},
        "wrong-field-type": {"raw": _http1("POST", "/ksql", b'{"ksql": 5}'), "want": (400, 40000)},
        "huge-integer": {"raw": _http1("POST", "/ksql", b'{"ksql": ' + b"9" * 20_000 + b"}"), "want": (400, 40000)},
        "over-the-limit": {"raw": _http1("POST", "/ksql", b'{"ksql": "' + b"x" * (BODY_LIMIT + 10) + b'"}'),
                           "want": (413, 41300)},
        "deeply-nested": {"raw": _http1("POST", "/ksql", deep[:BODY_LIMIT - 10] if len(deep) > BODY_LIMIT else deep),
                          "want": (400, 40000)},
        "unknown-endpoint": {"raw": _http1("GET", "/no/such/endpoint"), "want": (404, None)},
        "wrong-method": {"raw": _http1("DELETE", "/ksql"), "want": (405, None)},
        "garbage-request-line": {"raw": b"\x16\x03\x01 NOT HTTP AT ALL\r\n\r\n", "want": (400, 40000)},
        "header-without-colon": {"raw": b"GET /info HTTP/1.1\r\nhost 127.0.0.1\r\n\r\n", "want": (400, 40000)},
        "oversized-head": {"raw": b"GET /info HTTP/1.1\r\nhost: x\r\nx-big: " + b"a" * 200_000 + b"\r\n\r\n",
                           "want": (431, 43100)},
        "bad-content-length": {"raw": b"POST /ksql HTTP/1.1\r\nhost: x\r\ncontent-length: -5\r\n\r\n",
                               "want": (400, 40000)},
        "slow-head": {"raw": b"POST /ksql HTTP/1.1\r\nhost: 127.0.0.1\r\n", "want": (408, 40800)},
        "slow-body": {"raw": _http1("POST", "/ksql", b'{"ksql": "SHOW STREAMS;"}')[:-10], "want": (408, 40800)},
        "h2-half-closed": {"h2": "half-closed", "want": (408, 40800)},
        "h2-invalid-json": {"h2": "invalid-json", "want": (400, 40000)},
        "h2-unknown-endpoint": {"h2": "unknown", "want": (404, None)},
    }


def _parse_http1(data: bytes) -> tuple[int, bytes]:
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    if b"transfer-encoding: chunked" in head.lower():  # not expected for errors, but decode anyway
        out, rest = b"", body
        while rest:
            size_line, _, rest = rest.partition(b"\r\n")
            size = int(size_line, 16)
            if size == 0:
                break
            out, rest = out + rest[:size], rest[size + 2:]
        body = out
    return status, body


async def _send_http1(host: str, port: int, raw: bytes, timeout: float) -> tuple[int, bytes] | None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(raw)
        await writer.drain()
        data = b""
        try:
            while True:
                chunk = await asyncio.wait_for(reader.read(65536), timeout)
                if not chunk:
                    break
                data += chunk
                if b"\r\n\r\n" in data:
                    head, _, body = data.partition(b"\r\n\r\n")
                    for line in head.split(b"\r\n"):
                        if line.lower().startswith(b"content-length:") and len(body) >= int(line.split(b":")[1]):
                            return _parse_http1(data)
        except (TimeoutError, ConnectionError):
            pass
        return _parse_http1(data) if data else None
    finally:
        writer.close()
        with contextlib.suppress(ConnectionError, OSError):
            await writer.wait_closed()


async def _send_h2(host: str, port: int, kind: str, timeout: float) -> tuple[int, bytes] | None:
    reader, writer = await asyncio.open_connection(host, port)
    conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True, header_encoding="utf-8"))
    conn.initiate_connection()
    path = "/nowhere" if kind == "unknown" else "/query-stream"
    headers = [(":method", "POST"), (":path", path), (":scheme", "http"), (":authority", f"{host}:{port}"),
               ("content-type", "application/json")]
    conn.send_headers(1, headers, end_stream=kind == "unknown")
    if kind == "invalid-json":
        conn.send_data(1, b'{"sql": "SELECT * FROM x;"', end_stream=True)
    # "half-closed": headers sent, the request stream never ended (no body, no END_STREAM)
    writer.write(conn.data_to_send())
    await writer.drain()
    status, body = None, b""
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            data = await asyncio.wait_for(reader.read(65536), max(0.01, deadline - time.monotonic()))
            if not data:
                break
            ended = False
            for event in conn.receive_data(data):
                if isinstance(event, h2.events.ResponseReceived) and event.stream_id == 1:
                    status = int(dict(event.headers)[":status"])
                elif isinstance(event, h2.events.DataReceived) and event.stream_id == 1:
                    body += event.data
                    conn.acknowledge_received_data(event.flow_controlled_length, 1)
                elif isinstance(event, h2.events.StreamEnded | h2.events.StreamReset) and event.stream_id == 1:
                    ended = True
            writer.write(conn.data_to_send())
            if ended:
                break
    except (TimeoutError, ConnectionError):
        pass
    finally:
        writer.close()
    return (status, body) if status is not None else None


NOT_FOUND_PAGE = b"<html><body><h1>Resource not found</h1></body></html>"


def _is_ksql_error(status: int, body: bytes, want: tuple[int, int | None]) -> str | None:
    """None when the answer is the expected ksqlDB error entity, else what is wrong with it. An error code of
    None: Vert.x's router answers, not ksqlDB's (observed on ksqlDB 0.29 built from source): an unknown path
    gets its 404 HTML page, a wrong method 405 with no body."""
    if want[1] is None:
        expected = NOT_FOUND_PAGE if want[0] == 404 else b""
        return None if (status, body) == (want[0], expected) else f"got {status} {body[:80]!r} want {want[0]}"
    try:
        entity = json.loads(body)
    except ValueError:
        return f"{status}: not JSON: {body[:80]!r}"
    if not isinstance(entity, dict) or entity.get("@type") not in ("generic_error", "statement_error"):
        return f"{status}: not an error entity: {body[:80]!r}"
    if not isinstance(entity.get("message"), str) or (status, entity.get("error_code")) != want:
        return f"got {status}/{entity.get('error_code')} want {want[0]}/{want[1]}: {entity.get('message')!r:.80}"
    return None


async def _barrage(host: str, port: int, count: int, concurrency: int) -> dict[str, Any]:
    kinds = malformed_kinds()
    names = [list(kinds)[i % len(kinds)] for i in range(count)]
    results: dict[str, dict[str, int]] = {n: {"sent": 0, "ok": 0} for n in kinds}
    problems: list[str] = []
    gate = asyncio.Semaphore(concurrency)
    answer_within = REQUEST_TIMEOUT + 8.0

    async def one(name: str) -> None:
        spec = kinds[name]
        async with gate:
            try:
                if "h2" in spec:
                    got = await _send_h2(host, port, spec["h2"], answer_within)
                else:
                    got = await _send_http1(host, port, spec["raw"], answer_within)
            except OSError as exc:
                got = None
                problems.append(f"{name}: {type(exc).__name__}: {exc}")
        results[name]["sent"] += 1
        if got is None:
            problems.append(f"{name}: no answer")
            return
        problem = _is_ksql_error(got[0], got[1], spec["want"])
        if problem is None:
            results[name]["ok"] += 1
        elif len(problems) < 40:
            problems.append(f"{name}: {problem}")

    start = time.perf_counter()
    await asyncio.gather(*(one(n) for n in names))
    return {"requests": count, "seconds": round(time.perf_counter() - start, 1), "kinds": results,
            "problems": problems}


def malformed_barrage(url: str, count: int = 1000, concurrency: int = 50) -> dict[str, Any]:
    host, _, port = url.removeprefix("http://").rstrip("/").rpartition(":")
    return asyncio.run(_barrage(host, int(port), count, concurrency))


def _rss_mb(pid: int) -> float:
    return psutil.Process(pid).memory_info().rss / 2**20


@pytest.fixture()
def limited_server(tmp_path: Path) -> Iterator[KsqlServerProcess]:
    """A memory:// server with a small body limit and a short request timeout."""
    extra = ["--max-request-bytes", str(BODY_LIMIT), "--request-timeout", str(REQUEST_TIMEOUT)]
    with KsqlServerProcess("memory://", tmp_path / "state", tmp_path / "server.log", extra_args=extra) as server:
        yield server


def test_malformed_requests_get_ksqldb_errors_with_bounded_memory(
    limited_server: KsqlServerProcess, record_property: pytest.RecordProperty
) -> None:
    server, url = limited_server, limited_server.url
    malformed_barrage(url, count=len(malformed_kinds()) * 2)  # warm-up: first-use allocations
    before = _rss_mb(server.pid)
    peak = before
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.wait(0.1):
            peak = max(peak, _rss_mb(server.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        summary = malformed_barrage(url, count=1000)
    finally:
        done.set()
        sampler.join(5)
    after = _rss_mb(server.pid)
    record_property("rss_mb", {"before": round(before, 1), "peak": round(peak, 1), "after": round(after, 1)})
    print(json.dumps({**summary, "rss_mb_before": round(before, 1), "rss_mb_peak": round(peak, 1),
                      "rss_mb_after": round(after, 1)}))
    assert summary["problems"] == [], (sorted({p.split(":")[0] for p in summary["problems"]}), summary["problems"][:5])
    assert all(k["ok"] == k["sent"] > 0 for k in summary["kinds"].values()), summary["kinds"]
    assert server.running() and httpx.get(url + "/info", timeout=5).status_code == 200
    assert peak - before < 50, f"RSS grew from {before:.0f} MB to a peak of {peak:.0f} MB"
    assert summary["seconds"] < 120


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Stress a running ksqlserver")
    parser.add_argument("--url", required=True)
    parser.add_argument("--queries", type=int, default=20)
    parser.add_argument("--statements", type=int, default=1000)
    parser.add_argument("--malformed", type=int, default=0, help="send this many malformed requests instead")
    options = parser.parse_args()
    if options.malformed:
        print(json.dumps(malformed_barrage(options.url, options.malformed), indent=2))
        sys.exit(0)
    print(json.dumps(run_load(options.url.rstrip("/"), options.queries, options.statements), indent=2))
    sys.exit(0)
