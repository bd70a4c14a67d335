"""Fault test of ksqlserver (issue 5, item 10): SIGKILL the server in the middle of a persistent query,
start it again, and check every input has its output.

    python benchmarks/ksql_fault.py [--records 200000] [--guarantee at_least_once|exactly_once_v2|both]
                                    [--bootstrap-servers HOST:PORT] [--kill-at 0.4]

Per guarantee: `--records` DELIMITED rows (ID, SEQ, AMOUNT) go into a fresh 2-partition topic; a server
(`python -m ksqlserver`, fresh service id and state dir) runs `CREATE STREAM ... AS SELECT` over them from
the earliest offset with `processing.guarantee` set; when the output topic holds about `--kill-at` of the
records the server gets SIGKILL; a new server with the same service id and state dir replays the command
topic and the query resumes from its committed offsets. The output is then read with a read_committed
consumer: `missing` (inputs without output, must be 0) and `duplicates` (outputs beyond one per input).
As a baseline the same run measures the raw confluent-kafka copy rate of the input topic.
Prints one JSON object. Without --bootstrap-servers the embedded stack is started on free ports.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
from confluent_kafka import Consumer, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import REPO, embedded_stack

GUARANTEES = ("at_least_once", "exactly_once_v2")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(
    bootstrap: str, service_id: str, state_dir: Path, log: Path
) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    cmd = [
        sys.executable,
        "-m",
        "ksqlserver",
        "--bootstrap-servers",
        bootstrap,
        "--listen",
        f"127.0.0.1:{port}",
        "--state-dir",
        str(state_dir),
        "--service-id",
        service_id,
    ]
    proc = subprocess.Popen(cmd, stdout=log.open("ab"), stderr=subprocess.STDOUT, cwd=REPO)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"ksqlserver exited with {proc.returncode}: {log.read_text()[-2000:]}")
        try:
            if httpx.get(url + "/info", timeout=2).status_code == 200:
                return proc, url
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    proc.kill()
    raise SystemExit(f"ksqlserver did not start: {log.read_text()[-2000:]}")


def ksql(url: str, sql: str, props: dict[str, Any] | None = None) -> Any:
    r = httpx.post(url + "/ksql", json={"ksql": sql, "streamsProperties": props or {}}, timeout=60)
    if r.status_code != 200:
        raise SystemExit(f"{sql!r} failed: {r.status_code} {r.text}")
    return r.json()


def end_offsets(probe: Consumer, topic: str) -> int:
    """Records written to `topic` so far (its partitions' high watermarks); one probe consumer is reused,
    so a poll costs milliseconds and the kill lands close to its target even on a fast query."""
    md = probe.list_topics(topic, timeout=10).topics.get(topic)
    if md is None or md.error is not None:
        return 0
    return sum(
        probe.get_watermark_offsets(TopicPartition(topic, p), timeout=10, cached=False)[1] for p in md.partitions
    )


def produce_input(bootstrap: str, topic: str, n: int) -> None:
    admin = AdminClient({"bootstrap.servers": bootstrap})  # kept alive until the future resolves
    admin.create_topics([NewTopic(topic, 2, 1)])[topic].result(30)
    p = Producer(
        {
            "bootstrap.servers": bootstrap,
            "linger.ms": 20,
            "compression.type": "lz4",
            "queue.buffering.max.messages": 1_000_000,
        }
    )
    for i in range(n):
        p.produce(topic, f"{i},{i % 997}.25".encode(), f"k{i}".encode())
        if i % 50_000 == 0:
            p.poll(0)
    if p.flush(60):
        raise SystemExit("input not acknowledged")


def read_output(bootstrap: str, topic: str, expect: int, timeout: float) -> Counter[int]:
    """SEQ -> how many output records carry it; reads until every SEQ is seen, or `timeout`."""
    c = Consumer(
        {
            "bootstrap.servers": bootstrap,
            "group.id": f"fault-read-{uuid.uuid4().hex}",
            "auto.offset.reset": "earliest",
            "enable.auto.commit": False,
            "isolation.level": "read_committed",
        }
    )
    c.subscribe([topic])
    seen: Counter[int] = Counter()
    deadline = time.monotonic() + timeout
    quiet_since = time.monotonic()
    try:
        while time.monotonic() < deadline:
            msgs = c.consume(10_000, timeout=0.5)
            for m in msgs:
                if m.error() is None and m.value() is not None:
                    seen[int(json.loads(m.value())["SEQ"])] += 1
            if msgs:
                quiet_since = time.monotonic()
            # all there, and nothing more for 3 s: late duplicates would have arrived by now
            elif len(seen) >= expect and time.monotonic() - quiet_since > 3:
                break
    finally:
        c.close()
    return seen


def raw_copy_rate(bootstrap: str, topic: str, n: int) -> float:
    """Records/s of a plain consume -> produce copy of the input (the baseline of the same run)."""
    out = f"{topic}-copy"
    c = Consumer(
        {
            "bootstrap.servers": bootstrap,
            "group.id": f"copy-{uuid.uuid4().hex}",
            "auto.offset.reset": "earliest",
            "enable.auto.commit": False,
        }
    )
    p = Producer(
        {
            "bootstrap.servers": bootstrap,
            "linger.ms": 20,
            "compression.type": "lz4",
            "queue.buffering.max.messages": 1_000_000,
        }
    )
    c.subscribe([topic])
    done, start = 0, time.perf_counter()
    try:
        while done < n:
            for m in c.consume(10_000, timeout=1.0):
                if m.error() is None:
                    p.produce(out, m.value(), m.key())
                    done += 1
            p.poll(0)
        p.flush(60)
    finally:
        c.close()
    return n / (time.perf_counter() - start)


def run_once(bootstrap: str, records: int, guarantee: str, kill_at: float, work: Path) -> dict[str, Any]:
    tag = uuid.uuid4().hex[:8]
    service_id = f"fault_{tag}_"
    src_topic, out_topic = f"fault-in-{tag}", f"fault-out-{tag}"
    state_dir, log = work / f"state-{tag}", work / f"server-{tag}.log"
    produce_input(bootstrap, src_topic, records)
    proc, url = start_server(bootstrap, service_id, state_dir, log)
    props = {"auto.offset.reset": "earliest", "processing.guarantee": guarantee}
    started = time.perf_counter()
    ksql(
        url,
        f"CREATE STREAM SRC (ID STRING KEY, SEQ BIGINT, AMOUNT DOUBLE) "
        f"WITH (KAFKA_TOPIC='{src_topic}', VALUE_FORMAT='DELIMITED');",
        props,
    )
    ksql(
        url,
        f"CREATE STREAM OUT WITH (KAFKA_TOPIC='{out_topic}', VALUE_FORMAT='JSON') AS "
        f"SELECT ID, SEQ, AMOUNT * 2 AS DOUBLED FROM SRC;",
        props,
    )
    target = int(records * kill_at)
    probe = Consumer({"bootstrap.servers": bootstrap, "group.id": "fault-probe"})
    try:
        while (written := end_offsets(probe, out_topic)) < target:
            if time.perf_counter() - started > 300:
                raise SystemExit(f"the query wrote only {written} records in 300 s: {log.read_text()[-2000:]}")
            time.sleep(0.02)
    finally:
        probe.close()
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    killed_at = time.perf_counter() - started
    restart = time.perf_counter()
    proc, url = start_server(bootstrap, service_id, state_dir, log)
    try:
        queries = [q["id"] for q in ksql(url, "SHOW QUERIES;")[0]["queries"]]
        seen = read_output(bootstrap, out_topic, records, timeout=300)
        recovered = time.perf_counter() - restart
    finally:
        proc.terminate()
        proc.wait(30)
    missing = records - len([s for s in range(records) if seen[s] > 0])
    duplicates = sum(v - 1 for v in seen.values() if v > 1)
    return {
        "guarantee": guarantee,
        "records": records,
        "output_at_kill": written,
        "killed_after_s": round(killed_at, 2),
        "queries_after_restart": queries,
        "missing": missing,
        "duplicates": duplicates,
        "duplicate_rate": round(duplicates / records, 5),
        "extra_records": sum(seen.values()) - records,
        "restart_to_complete_s": round(recovered, 2),
        "records_per_s_overall": round(records / (killed_at + recovered), 1),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--records", type=int, default=200_000)
    ap.add_argument("--guarantee", choices=[*GUARANTEES, "both"], default="both")
    ap.add_argument("--kill-at", type=float, default=0.4, help="fraction of the output written at SIGKILL")
    ap.add_argument("--bootstrap-servers")
    args = ap.parse_args(argv)
    guarantees = GUARANTEES if args.guarantee == "both" else (args.guarantee,)
    with (
        embedded_stack(args.bootstrap_servers) as stack,
        tempfile.TemporaryDirectory(prefix="ksql-fault-") as tmp,
    ):
        bootstrap = stack if isinstance(stack, str) else stack.bootstrap_servers
        runs = [run_once(bootstrap, args.records, g, args.kill_at, Path(tmp)) for g in guarantees]
        tag = uuid.uuid4().hex[:8]
        produce_input(bootstrap, f"fault-copy-{tag}", args.records)
        baseline = raw_copy_rate(bootstrap, f"fault-copy-{tag}", args.records)
    print(
        json.dumps(
            {"benchmark": "ksql_fault", "raw_copy_records_per_s": round(baseline, 1), "runs": runs}, indent=2
        )
    )
    return 0 if all(r["missing"] == 0 for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
