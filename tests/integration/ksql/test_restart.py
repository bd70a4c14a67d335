"""Durability of ksqlserver on real Kafka: restart (SIGTERM) brings streams, tables and queries back from
the command topic; SIGKILL in the middle of a persistent query loses nothing (benchmarks/ksql_fault.py)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
from confluent_kafka import Consumer, Producer

from fraudlab.stack import KsqlServerProcess

REPO_ROOT = Path(__file__).resolve().parents[3]


def start(bootstrap: str, state: Path, service_id: str, log: Path) -> tuple[KsqlServerProcess, str]:
    server = KsqlServerProcess(bootstrap, state, log, service_id=service_id, cwd=REPO_ROOT).start()
    return server, server.url


def ksql(url: str, sql: str, props: dict[str, str] | None = None) -> list[dict]:
    r = httpx.post(url + "/ksql", json={"ksql": sql, "streamsProperties": props or {}}, timeout=60)
    assert r.status_code == 200, r.text
    return r.json()


def read_keys(bootstrap: str, topic: str, expect: int, timeout: float = 60) -> list[bytes]:
    c = Consumer(
        {"bootstrap.servers": bootstrap, "group.id": f"t-{uuid.uuid4().hex}", "auto.offset.reset": "earliest"}
    )
    c.subscribe([topic])
    keys: list[bytes] = []
    deadline = time.monotonic() + timeout
    try:
        while len(keys) < expect and time.monotonic() < deadline:
            keys += [m.key() for m in c.consume(1000, timeout=0.5) if m.error() is None]
    finally:
        c.close()
    return keys


def test_restart_lists_sources_and_queries_and_the_query_resumes(
    bootstrap_servers: str, tmp_path: Path
) -> None:
    tag = uuid.uuid4().hex[:8]
    src, out = f"restart-in-{tag}", f"restart-out-{tag}"
    service_id = f"restart_{tag}_"
    earliest = {"auto.offset.reset": "earliest"}
    proc, url = start(bootstrap_servers, tmp_path / "state", service_id, tmp_path / "server.log")
    try:
        ksql(
            url,
            f"CREATE STREAM TX (ID STRING KEY, AMOUNT DOUBLE) WITH (KAFKA_TOPIC='{src}', "
            f"VALUE_FORMAT='DELIMITED', PARTITIONS=2);"
            f"CREATE TABLE USERS (ID STRING PRIMARY KEY, NAME STRING) WITH (KAFKA_TOPIC='users-{tag}', "
            f"VALUE_FORMAT='JSON', PARTITIONS=1);",
        )
        [created] = ksql(url, f"CREATE STREAM BIG WITH (KAFKA_TOPIC='{out}') AS SELECT * FROM TX "
                              f"WHERE AMOUNT > 10;", earliest)  # fmt: skip
        query_id = created["commandStatus"]["queryId"]
        p = Producer({"bootstrap.servers": bootstrap_servers})
        for i in range(20):
            p.produce(src, f"{i * 2}.0".encode(), f"a{i}".encode())
        p.flush(30)
        assert len(read_keys(bootstrap_servers, out, 14)) == 14  # AMOUNT = 2i > 10 for i = 6..19
    finally:
        proc.stop()  # SIGTERM
    assert proc.returncode == 0
    p.produce(src, b"100.0", b"while-down")
    p.flush(30)

    proc, url = start(bootstrap_servers, tmp_path / "state", service_id, tmp_path / "server.log")
    try:
        streams = {s["name"] for s in ksql(url, "SHOW STREAMS;")[0]["streams"]}
        tables = {t["name"] for t in ksql(url, "SHOW TABLES;")[0]["tables"]}
        queries = ksql(url, "SHOW QUERIES;")[0]["queries"]
        assert {"TX", "BIG"} <= streams and "USERS" in tables
        assert [q["id"] for q in queries] == [query_id]
        assert queries[0]["state"] == "RUNNING"
        keys = read_keys(bootstrap_servers, out, 15, timeout=60)
        # resumed from the committed offset: the record written while down, nothing processed twice
        assert keys.count(b"while-down") == 1
        assert len(keys) == 15
    finally:
        proc.stop()


def test_sigkill_mid_query_loses_nothing_and_exactly_once_has_no_duplicates(bootstrap_servers: str) -> None:
    script = REPO_ROOT / "benchmarks" / "ksql_fault.py"
    done = subprocess.run(
        # 400,000 records killed at a quarter: the query (about 100,000 rec/s now) must still be mid-way
        [sys.executable, str(script), "--bootstrap-servers", bootstrap_servers, "--records", "400000",
         "--kill-at", "0.25"],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=REPO_ROOT,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    report = json.loads(done.stdout)
    runs = {r["guarantee"]: r for r in report["runs"]}
    for r in runs.values():
        assert r["output_at_kill"] < r["records"], f"the kill came after the query finished: {r}"
        assert r["missing"] == 0, r
        # processing log stream, SRC, OUT at command offsets 0, 2, 4: CSAS_OUT_3 (setNextId(offset + 1))
        assert r["queries_after_restart"] == ["CSAS_OUT_3"]
    assert runs["exactly_once_v2"]["duplicates"] == 0
    assert runs["exactly_once_v2"]["extra_records"] == 0
    print("at_least_once duplicates:", runs["at_least_once"]["duplicates"])
