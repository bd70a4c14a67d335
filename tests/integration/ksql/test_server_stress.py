"""Robustness: the server stays up and answers under 20 concurrent push queries and 1,000 malformed
statements (issue 3 target), against `python -m ksqlserver --bootstrap-servers memory://`.

Also a stress script: `python tests/integration/ksql/test_server_stress.py --url http://127.0.0.1:8088`
runs the same load against any server and prints a JSON summary.
"""

from __future__ import annotations

import argparse
import json
import random
import signal
import string
import sys
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
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
    assert set(summary["error_codes"]) <= {200, 40001, 40002}, summary["error_codes"]
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


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Stress a running ksqlserver")
    parser.add_argument("--url", required=True)
    parser.add_argument("--queries", type=int, default=20)
    parser.add_argument("--statements", type=int, default=1000)
    options = parser.parse_args()
    print(json.dumps(run_load(options.url.rstrip("/"), options.queries, options.statements), indent=2))
    sys.exit(0)
