"""Pull-query speed of ksqlserver on the real broker: key lookups on a table, and a stream scan beside the raw
consume rate of the same topic, measured in the same run.

    .venv/bin/python benchmarks/pull_queries.py [--rows 1000000] [--lookups 2000] [--repeat 3]
        [--bootstrap-servers HOST:PORT] [--json FILE]

Produces `--rows` credit-card transactions (the real Kaggle rows, cycled, DELIMITED) keyed by a unique id
into one topic, then starts `python -m ksqlserver` against the broker and declares on that topic a stream
(`TX`) and a source table (`TXT`, materialised by the server). Measures:
- key lookup: `SELECT * FROM TXT WHERE ID = '<key>';` on /query-stream (HTTP/1.1, one kept-alive connection,
  delimited framing), one request per key, `--lookups` random keys of the table after a warm-up; latency from
  the request to the end of its response, p50/p90/p99/max in ms (target p99 <= 20 ms);
- stream scan: `SELECT * FROM TX;` (every row, every column) and `SELECT ... WHERE Class = 1` (a filter
  keeping few rows), pull queries that read the topic to its end offsets and complete; rows scanned per
  second from the request to the end of the response, and from the first row out to the end;
- raw consume: `kafka_copy.consume` of the same topic (confluent-kafka, no decoding), records/s from its
  first batch to the end. Target: the full scan >= 0.8 x the raw consume rate.
Scans and raw consumes alternate `--repeat` times; medians are reported with every run and the 1-, 5- and
15-minute load averages at each step (the machine is shared). Without --bootstrap-servers the embedded
stack is started on free ports and stopped afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
from tqdm import tqdm

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import REPO, creditcard_lines, embedded_stack, median
from kafka_copy import consume

from fraudlab.kafka import KafkaConfig, create_topic, produce_values
from fraudlab.stack import KsqlServerProcess

LOOKUP_P99_TARGET_MS = 20.0
SCAN_RATIO_TARGET = 0.8
COLUMNS = ", ".join(["Time DOUBLE", *[f"V{i} DOUBLE" for i in range(1, 29)], "Amount DOUBLE", "Class INT"])
DELIMITED = {"Accept": "application/vnd.ksqlapi.delimited.v1"}


def load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def produce(config: KafkaConfig, topic: str, lines: list[bytes]) -> None:
    """Every line, keyed `tx-<i>`, acknowledged."""
    keys = (f"tx-{i}".encode() for i in range(len(lines)))
    produce_values(config, topic, lines, keys, total=len(lines), flush_timeout_s=300)


def ksql(client: httpx.Client, statement: str) -> None:
    r = client.post("/ksql", json={"ksql": statement, "streamsProperties": {}})
    if r.status_code != 200:
        raise SystemExit(f"{statement!r} failed: {r.status_code} {r.text[:500]}")


def pull(client: httpx.Client, sql: str) -> tuple[int, float, float]:
    """Runs one pull query on /query-stream; returns (rows, seconds to the end, seconds to the first row).
    Rows are counted as lines of the delimited framing (after the header line), not parsed, so the client
    costs the server as little as possible."""
    lines = 0
    first = None
    start = time.perf_counter()
    with client.stream("POST", "/query-stream", json={"sql": sql, "properties": {}}, headers=DELIMITED) as r:
        if r.status_code != 200:
            raise SystemExit(f"{sql!r} failed: {r.status_code} {r.read()[:500]!r}")
        for chunk in r.iter_bytes():
            if first is None and chunk:
                first = time.perf_counter()
            lines += chunk.count(b"\n")
    end = time.perf_counter()
    return max(lines - 1, 0), end - start, end - (first or end)


def wait_materialised(client: httpx.Client, last_key: str, timeout_s: float = 1800.0) -> float:
    """Seconds until the table answers its last key (one partition: every earlier key is in by then)."""
    start = time.monotonic()
    with tqdm(desc="materialise table", unit="poll", mininterval=5) as bar:
        while time.monotonic() - start < timeout_s:
            rows, _, _ = pull(client, f"SELECT ID FROM TXT WHERE ID = '{last_key}';")
            if rows == 1:
                return time.monotonic() - start
            bar.update()
            time.sleep(0.5)
    raise SystemExit(f"the table did not materialise its {last_key!r} within {timeout_s:.0f} s")


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    rank = max(1, min(len(sorted_values), round(q / 100 * len(sorted_values) + 0.5)))
    return sorted_values[rank - 1]


def lookups(client: httpx.Client, rows: int, n: int, rng: random.Random) -> dict[str, object]:
    for _ in range(min(50, n)):  # warm-up: connection, compiled plan paths
        pull(client, f"SELECT * FROM TXT WHERE ID = 'tx-{rng.randrange(rows)}';")
    load_before = load()
    latencies, misses = [], 0
    for _ in tqdm(range(n), desc="key lookups", unit="q", mininterval=2):
        got, seconds, _ = pull(client, f"SELECT * FROM TXT WHERE ID = 'tx-{rng.randrange(rows)}';")
        misses += got != 1
        latencies.append(seconds * 1000)
    latencies.sort()
    p99 = percentile(latencies, 99)
    return {
        "lookups": n,
        "lookup_ms_p50": round(percentile(latencies, 50), 3),
        "lookup_ms_p90": round(percentile(latencies, 90), 3),
        "lookup_ms_p99": round(p99, 3),
        "lookup_ms_max": round(latencies[-1], 3),
        "lookup_ms_mean": round(statistics.fmean(latencies), 3),
        "lookups_without_one_row": misses,
        "lookup_p99_target_ms": LOOKUP_P99_TARGET_MS,
        "lookup_meets_target": p99 <= LOOKUP_P99_TARGET_MS,
        "lookup_load_before_after": [load_before, load()],
    }


def scans(
    client: httpx.Client, config: KafkaConfig, topic: str, rows: int, frauds: int, repeat: int
) -> dict[str, object]:
    full, first_full, filtered, raw, runs = [], [], [], [], []
    for i in range(repeat):
        at = load()
        got, seconds, after_first = pull(client, "SELECT * FROM TX;")
        if got != rows:
            raise SystemExit(f"the scan returned {got} rows, not {rows}")
        full.append(seconds)
        first_full.append(after_first)
        at_filtered = load()
        got, seconds_f, _ = pull(client, "SELECT ID, Amount FROM TX WHERE Class = 1;")
        if got != frauds:
            raise SystemExit(f"the filtered scan returned {got} rows, not {frauds}")
        filtered.append(seconds_f)
        at_raw = load()
        raw_s = consume(config, topic, rows)
        raw.append(raw_s)
        runs.append({
            "round": i + 1,
            "scan_seconds": round(seconds, 3), "scan_first_row_to_end_seconds": round(after_first, 3),
            "filtered_scan_seconds": round(seconds_f, 3), "raw_consume_seconds": round(raw_s, 3),
            "load_at_scan": at, "load_at_filtered_scan": at_filtered, "load_at_raw_consume": at_raw,
        })  # fmt: skip
    scan_rate, raw_rate = rows / median(full), rows / median(raw)
    return {
        "scan_rows_per_s": round(scan_rate),
        "scan_rows_per_s_first_row_to_end": round(rows / median(first_full)),
        "filtered_scan_rows_scanned_per_s": round(rows / median(filtered)),
        "filtered_scan_rows_out": frauds,
        "raw_consume_records_per_s": round(raw_rate),
        "scan_ratio_to_raw_consume": round(scan_rate / raw_rate, 3),
        "scan_ratio_target": SCAN_RATIO_TARGET,
        "scan_meets_target": scan_rate / raw_rate >= SCAN_RATIO_TARGET,
        "scan_runs": runs,
    }


def run(bootstrap: str, rows: int, n_lookups: int, repeat: int, seed: int) -> dict[str, object]:
    config = KafkaConfig(bootstrap_servers=bootstrap)
    topic = f"bench-pull-{uuid.uuid4().hex[:6]}"
    create_topic(config, topic)
    lines = creditcard_lines(rows)
    frauds = sum(1 for line in lines if line.rstrip().endswith((b',"1"', b",1")))
    load_start = load()
    produce(config, topic, lines)
    del lines
    # its own service id: a fresh command topic, so nothing of an earlier run on this broker is replayed
    service_id = f"bench_pull_{uuid.uuid4().hex[:6]}_"
    with (
        tempfile.TemporaryDirectory(prefix="bench-pull-") as tmp,
        KsqlServerProcess(bootstrap, Path(tmp) / "state", Path(tmp) / "ksqlserver.log", service_id, cwd=REPO) as server,
    ):
        url = server.url
        timeout = httpx.Timeout(600.0, connect=10.0)
        with httpx.Client(base_url=url, timeout=timeout) as client:
            ksql(client, f"CREATE STREAM TX (ID STRING KEY, {COLUMNS}) "
                         f"WITH (KAFKA_TOPIC='{topic}', VALUE_FORMAT='DELIMITED');")  # fmt: skip
            ksql(client, f"CREATE SOURCE TABLE TXT (ID STRING PRIMARY KEY, {COLUMNS}) "
                         f"WITH (KAFKA_TOPIC='{topic}', VALUE_FORMAT='DELIMITED');")  # fmt: skip
            materialise_s = wait_materialised(client, f"tx-{rows - 1}")
            result: dict[str, object] = {
                "benchmark": "pull_queries",
                "rows": rows,
                "topic_partitions": 1,
                "repeat": repeat,
                "table_materialise_seconds": round(materialise_s, 2),
            }
            result |= lookups(client, rows, n_lookups, random.Random(seed))
            result |= scans(client, config, topic, rows, frauds, repeat)
    result["load_start_end"] = [load_start, load()]
    result["cpus"] = os.cpu_count()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of the topic (table and stream)")
    parser.add_argument("--lookups", type=int, default=2000, help="timed key lookups")
    parser.add_argument("--repeat", type=int, default=3, help="rounds of stream scan + raw consume")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--bootstrap-servers", default=None)
    parser.add_argument("--json", type=Path, default=None, help="also write the result here")
    args = parser.parse_args()
    with embedded_stack(args.bootstrap_servers) as stack:
        bootstrap = stack if isinstance(stack, str) else stack.bootstrap_servers
        text = json.dumps(run(bootstrap, args.rows, args.lookups, args.repeat, args.seed), indent=2)
    print(text)
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(text + "\n")


if __name__ == "__main__":
    main()
