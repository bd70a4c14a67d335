"""Fault test of ksqlserver: SIGKILL the server in the middle of a persistent query, start it again, and
check every input has its output.

    python benchmarks/ksql_fault.py [--records 200000] [--guarantee at_least_once|exactly_once_v2|both]
                                    [--bootstrap-servers HOST:PORT] [--kill-at 0.4]

Per guarantee: `--records` DELIMITED rows (ID, SEQ, AMOUNT) go into a fresh 2-partition topic; a server
(`python -m ksqlserver`, fresh service id and state dir) runs `CREATE STREAM ... AS SELECT` over them from
the earliest offset with `processing.guarantee` set; when the output topic holds about `--kill-at` of the
records the server gets SIGKILL; a new server with the same service id and state dir replays the command
topic and the query resumes from its committed offsets. The output is then read with a read_committed
consumer: `missing` (inputs without output, must be 0) and `duplicates` (outputs beyond one per input).
As a baseline the same run measures the raw confluent-kafka copy rate of the input topic (`_common.raw_copy`).
Prints one JSON object. Without --bootstrap-servers the embedded stack is started on free ports.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

from confluent_kafka import Consumer, KafkaException, TopicPartition

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import REPO, embedded_stack, ksql, raw_copy

from fraudlab.kafka import KafkaConfig, create_topic, produce_values
from fraudlab.stack import KsqlServerProcess

GUARANTEES = ("at_least_once", "exactly_once_v2")


def start_server(bootstrap: str, service_id: str, state_dir: Path, log: Path) -> KsqlServerProcess:
    return KsqlServerProcess(bootstrap, state_dir, log, service_id=service_id, cwd=REPO).start()


def end_offsets(probe: Consumer, topic: str) -> int:
    """Records written to `topic` so far (its partitions' high watermarks); one probe consumer is reused,
    so a poll costs milliseconds and the kill lands close to its target even on a fast query."""
    md = probe.list_topics(topic, timeout=10).topics.get(topic)
    if md is None or md.error is not None:
        return 0
    try:
        return sum(
            probe.get_watermark_offsets(TopicPartition(topic, p), timeout=10, cached=False)[1] for p in md.partitions
        )
    except KafkaException:  # the query has just created the topic: no leader yet on a busy broker
        return 0


def produce_input(bootstrap: str, topic: str, n: int) -> None:
    config = KafkaConfig(bootstrap_servers=bootstrap)
    create_topic(config, topic, partitions=2)
    produce_values(config, topic, (f"{i},{i % 997}.25".encode() for i in range(n)),
                   keys=(f"k{i}".encode() for i in range(n)), total=n, progress=False, flush_timeout_s=60)


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


def run_once(bootstrap: str, records: int, guarantee: str, kill_at: float, work: Path) -> dict[str, Any]:
    tag = uuid.uuid4().hex[:8]
    service_id = f"fault_{tag}_"
    src_topic, out_topic = f"fault-in-{tag}", f"fault-out-{tag}"
    state_dir, log = work / f"state-{tag}", work / f"server-{tag}.log"
    produce_input(bootstrap, src_topic, records)
    server = start_server(bootstrap, service_id, state_dir, log)
    url = server.url
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
    server.stop(signal.SIGKILL)
    killed_at = time.perf_counter() - started
    restart = time.perf_counter()
    server.start()  # the same service id and state dir
    try:
        queries = [q["id"] for q in ksql(server.url, "SHOW QUERIES;")[0]["queries"]]
        seen = read_output(bootstrap, out_topic, records, timeout=300)
        recovered = time.perf_counter() - restart
    finally:
        server.stop()
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
        baseline = args.records / raw_copy(KafkaConfig(bootstrap_servers=bootstrap), f"fault-copy-{tag}", args.records)
    print(
        json.dumps(
            {"benchmark": "ksql_fault", "raw_copy_records_per_s": round(baseline, 1), "runs": runs}, indent=2
        )
    )
    return 0 if all(r["missing"] == 0 for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
