"""Schema registry: registration rate, lookup latency and restart (replay) time, printed as JSON.

    python benchmarks/schema_registry.py --bootstrap-servers HOST:PORT [--schemas 300] [--lookups 2000]

Without --bootstrap-servers the registry keeps its state in memory (no Kafka round trip per write).
Each run uses a fresh `_schemas_bench_*` topic. Lookups go over HTTP without a client cache (the
worst case: confluent-kafka's client caches by id, so a serializer asks once per id per process).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import uuid

import requests

from fraudlab.stack.ports import free_ports

CT = {"Content-Type": "application/vnd.schemaregistry.v1+json"}


def start(bootstrap: str, port: int, topic: str) -> tuple[subprocess.Popen, float]:  # type: ignore[type-arg]
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "schemaregistry", "--bootstrap-servers", bootstrap, "--listen",
         f"127.0.0.1:{port}", "--topic", topic, "--log-level", "WARNING"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    while True:
        try:
            if requests.get(f"http://127.0.0.1:{port}/subjects", timeout=1).status_code == 200:
                return proc, time.perf_counter() - started
        except requests.RequestException:
            pass
        if proc.poll() is not None or time.perf_counter() - started > 120:
            raise SystemExit("the registry did not start")
        time.sleep(0.05)


def schema(i: int) -> str:
    fields = [{"name": f"f{k}", "type": "double"} for k in range(30)] + [{"name": f"x{i}", "type": "long", "default": 0}]
    return json.dumps({"type": "record", "name": "Tx", "namespace": "bench", "fields": fields})


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bootstrap-servers", default="memory://")
    parser.add_argument("--schemas", type=int, default=300)
    parser.add_argument("--lookups", type=int, default=2000)
    args = parser.parse_args()
    (port,) = free_ports(1)
    url = f"http://127.0.0.1:{port}"
    topic = f"_schemas_bench_{uuid.uuid4().hex[:8]}"
    load_before = os.getloadavg()
    proc, first_start = start(args.bootstrap_servers, port, topic)
    session = requests.Session()
    try:
        ids, reg_times = [], []
        t0 = time.perf_counter()
        for i in range(args.schemas):
            s = time.perf_counter()
            resp = session.post(f"{url}/subjects/bench-{i % 10}-value/versions", data=json.dumps({"schema": schema(i)}),
                                headers=CT)
            reg_times.append(time.perf_counter() - s)
            resp.raise_for_status()
            ids.append(resp.json()["id"])
        register_s = time.perf_counter() - t0
        lookups = []
        for k in range(args.lookups):
            s = time.perf_counter()
            session.get(f"{url}/schemas/ids/{ids[k % len(ids)]}").raise_for_status()
            lookups.append(time.perf_counter() - s)
        latest = []
        for k in range(min(500, args.lookups)):
            s = time.perf_counter()
            session.get(f"{url}/subjects/bench-{k % 10}-value/versions/latest").raise_for_status()
            latest.append(time.perf_counter() - s)
    finally:
        proc.terminate()
        proc.wait(30)
    restart_s = None
    if args.bootstrap_servers != "memory://":
        proc, restart_s = start(args.bootstrap_servers, port, topic)
        try:
            assert session.get(f"{url}/schemas/ids/{ids[-1]}").status_code == 200
        finally:
            proc.terminate()
            proc.wait(30)
    print(json.dumps({
        "benchmark": "schema_registry",
        "store": "memory" if args.bootstrap_servers == "memory://" else "kafka",
        "schemas": args.schemas,
        "registrations_per_s": round(args.schemas / register_s, 1),
        "register_ms_median": round(statistics.median(reg_times) * 1000, 2),
        "lookup_by_id_ms_median": round(statistics.median(lookups) * 1000, 3),
        "lookup_by_id_ms_p99": round(percentile(lookups, 0.99) * 1000, 3),
        "latest_version_ms_median": round(statistics.median(latest) * 1000, 3),
        "start_s": round(first_start, 2),
        "restart_with_state_s": None if restart_s is None else round(restart_s, 2),
        "loadavg_before": [round(x, 2) for x in load_before],
        "loadavg_after": [round(x, 2) for x in os.getloadavg()],
    }, indent=2))


if __name__ == "__main__":
    main()
