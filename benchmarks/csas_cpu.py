"""CPU per record of the CSAS (filter + projection, DELIMITED -> JSON) in this process, beside the raw
confluent-kafka copy of the same topic, in alternating runs: the figure to judge a change by on a shared
machine (wall-clock rates move with the load; CPU time per record much less).

    python benchmarks/csas_cpu.py [--rows 300000] [--repeat 5] [--bootstrap-servers HOST:PORT]
        [--variant NAME=JSON ...] [--broker-pid PID] [--no-copy]

Each round runs every variant's CSAS (`SELECT Time, V1..V4, Amount, Class ... WHERE Amount > 0`, the
engine in this process on kafkanative, as the server runs it) and then the raw copy (`_common.raw_copy`),
each over the same pre-loaded topic from its start until every input is processed and the output
acknowledged and committed. Per record it reports: the process's CPU (user + sys, all threads), the
query thread's own, librdkafka's threads', and the broker's (`--broker-pid`, read from /proc; a broker the
benchmark starts itself is found by its port). A variant is a name and a JSON object of
`KafkaDriverConfig` fields (e.g. `nocomp={"compression": "none"}`); `base` (no change) always runs.
Prints JSON: medians per variant, every run, the 1-minute load at each. Without --bootstrap-servers the
embedded stack is started on free ports and stopped afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import creditcard_lines, embedded_stack, raw_copy

from fraudlab.kafka import KafkaConfig, create_topic, produce_values
from ksqlserver.drivers.kafka import KafkaDriver, KafkaDriverConfig
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.runtime import gc_policy

COLUMNS = ", ".join(["Time DOUBLE", *[f"V{i} DOUBLE" for i in range(1, 29)], "Amount DOUBLE", "Class STRING"])
PROJECTION = "Time, V1, V2, V3, V4, Amount, Class"


def process_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _ticks(stat_path: str) -> float:
    fields = Path(stat_path).read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def thread_cpu() -> dict[int, tuple[str, float]]:
    """CPU seconds of every live thread of this process, by thread id, with its name."""
    out = {}
    for tid in os.listdir("/proc/self/task"):
        try:
            name = Path(f"/proc/self/task/{tid}/comm").read_text().strip()
            out[int(tid)] = (name, _ticks(f"/proc/self/task/{tid}/stat"))
        except OSError:  # the thread ended meanwhile
            continue
    return out


def broker_cpu(pid: int | None) -> float:
    return _ticks(f"/proc/{pid}/stat") if pid else 0.0


def csas(bootstrap: str, topic: str, rows: int, settings: dict[str, Any], broker: int | None) -> dict[str, float]:
    """One CSAS over `topic`; CPU microseconds per input record (process, query thread, librdkafka, broker)."""
    engine = Engine(
        EngineConfig(service_id=f"cpu_{uuid.uuid4().hex[:6]}_", processing_log=False),
        KafkaDriver(KafkaDriverConfig(bootstrap, native_io=True, **settings)),
    )
    props = {"ksql.streams.auto.offset.reset": "earliest"}
    source, sink = f"S_{uuid.uuid4().hex[:6].upper()}", f"O_{uuid.uuid4().hex[:6].upper()}"
    try:
        engine.execute(f"CREATE STREAM {source} ({COLUMNS}) WITH (KAFKA_TOPIC='{topic}', VALUE_FORMAT='DELIMITED');",
                       props)  # fmt: skip
        threads_before = thread_cpu()
        cpu, wall, brk = process_cpu(), time.perf_counter(), broker_cpu(broker)
        engine.execute(
            f"CREATE STREAM {sink} WITH (VALUE_FORMAT='JSON') AS SELECT {PROJECTION} FROM {source} WHERE Amount > 0;",
            props,
        )
        (query,) = engine.state.persistent.values()
        if not query.pipeline.fast_path:
            raise SystemExit("the CSAS did not get the generated loop")
        deadline = time.monotonic() + 900
        while query.processed < rows and time.monotonic() < deadline:
            if query.error:
                raise SystemExit(f"query failed: {query.error}")
            time.sleep(0.05)
        threads = thread_cpu()  # before stop: the query thread and the clients' threads end with it
        query_tid = query._thread.native_id if query._thread is not None else None
        query.stop()  # flushes the producer and commits
        cpu, wall, brk = process_cpu() - cpu, time.perf_counter() - wall, broker_cpu(broker) - brk
        if query.processed < rows:
            raise SystemExit(f"timed out: {query.processed} of {rows} processed")
    finally:
        engine.close()
    grown = {tid: (name, t - threads_before.get(tid, (name, 0.0))[1]) for tid, (name, t) in threads.items()}
    per = 1e6 / rows
    return {
        "cpu_us": round(cpu * per, 3),
        "query_thread_us": round(grown.get(query_tid or -1, ("", 0.0))[1] * per, 3),
        "librdkafka_us": round(sum(t for name, t in grown.values() if name.startswith("rdk:")) * per, 3),
        "broker_us": round(brk * per, 3) if broker else None,
        "seconds": round(wall, 3),
    }  # type: ignore[return-value]


def copy(config: KafkaConfig, topic: str, rows: int, broker: int | None) -> dict[str, float]:
    cpu, brk = process_cpu(), broker_cpu(broker)
    seconds = raw_copy(config, topic, rows)
    cpu, brk = process_cpu() - cpu, broker_cpu(broker) - brk
    per = 1e6 / rows
    return {"cpu_us": round(cpu * per, 3), "broker_us": round(brk * per, 3) if broker else None,
            "seconds": round(seconds, 3)}  # type: ignore[return-value]  # fmt: skip


def _broker_pid(port: int) -> int | None:
    """The pid of the java process listening on `port` (the broker this benchmark started), else None."""
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:] + Path("/proc/net/tcp6").read_text().splitlines()[1:]:
        parts = line.split()
        if parts[3] == "0A" and int(parts[1].rsplit(":", 1)[1], 16) == port:
            inodes.add(parts[9])
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                link = os.readlink(f"/proc/{pid}/fd/{fd}")
                if link.startswith("socket:[") and link[8:-1] in inodes:
                    return int(pid)
        except OSError:
            continue
    return None


def run(bootstrap: str, rows: int, repeat: int, variants: dict[str, dict[str, Any]], broker: int | None,
        with_copy: bool) -> dict[str, Any]:  # fmt: skip
    gc_policy.apply()  # the server's garbage-collector policy: the engine runs in this process
    config = KafkaConfig(bootstrap_servers=bootstrap)
    topic = f"bench-cpu-{uuid.uuid4().hex[:6]}"
    create_topic(config, topic)
    produce_values(config, topic, creditcard_lines(rows), total=rows, progress=False, flush_timeout_s=300)
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in [*variants, *(["copy"] if with_copy else [])]}
    for _ in range(repeat):
        for name, settings in variants.items():
            result = {**csas(bootstrap, topic, rows, settings, broker), "load_1min": round(os.getloadavg()[0], 2)}
            runs[name].append(result)
            print(name, result, file=sys.stderr, flush=True)
        if with_copy:
            result = {**copy(config, topic, rows, broker), "load_1min": round(os.getloadavg()[0], 2)}
            runs["copy"].append(result)
            print("copy", result, file=sys.stderr, flush=True)

    def median(name: str, key: str) -> float | None:
        values = [r[key] for r in runs[name] if r.get(key) is not None]
        return round(statistics.median(values), 3) if values else None

    keys = ("cpu_us", "query_thread_us", "librdkafka_us", "broker_us", "seconds")
    return {
        "benchmark": "csas_cpu",
        "rows": rows,
        "repeat": repeat,
        "variants": variants,
        "medians_per_record": {name: {k: median(name, k) for k in keys if k in runs[name][0]} for name in runs},
        "runs": runs,
        "load_average_end": [round(x, 2) for x in os.getloadavg()],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=300_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--bootstrap-servers", default=None)
    parser.add_argument("--variant", action="append", default=[], metavar="NAME=JSON",
                        help="KafkaDriverConfig fields of a variant, e.g. nocomp='{\"compression\": \"none\"}'")
    parser.add_argument("--broker-pid", type=int, default=None, help="the broker's pid, for its CPU per record")
    parser.add_argument("--no-copy", action="store_true", help="skip the raw copy runs")
    args = parser.parse_args()
    variants: dict[str, dict[str, Any]] = {"base": {}}
    for item in args.variant:
        name, _, text = item.partition("=")
        variants[name] = json.loads(text)
    with embedded_stack(args.bootstrap_servers) as stack:
        bootstrap = stack if isinstance(stack, str) else stack.bootstrap_servers
        broker = args.broker_pid
        if broker is None and not args.bootstrap_servers:
            broker = _broker_pid(int(bootstrap.rsplit(":", 1)[1]))
        print(json.dumps(run(bootstrap, args.rows, args.repeat, variants, broker, not args.no_copy), indent=2))


if __name__ == "__main__":
    main()
