"""Fault matrix: stop and start the broker (SIGTERM and SIGKILL) under the scoring service, under the KSQL
server's persistent queries and under Connect ingestion, SIGKILL the Connect worker mid-file, and SIGKILL
the KSQL server during a stream pull-query scan and under an EMIT FINAL windowed aggregation; then count
what came out.

    python benchmarks/fault_matrix.py [--records 200000]
                                      [--faults scoring,ksql,connect,connect-worker,ksql-pull,ksql-final]
                                      [--signals TERM,KILL] [--security none|sasl_ssl] [--kill-at 0.3]

Each broker/Connect run feeds `--records` fresh records (keyed by a sequence number) into a 2-partition
topic, starts the consumer under test, and when its output holds about `--kill-at` of the records, applies
the fault: the broker gets the signal, is started again from the same storage (`Stack.up`), and the
clients under test are left to recover by themselves (the Connect worker is restarted after its own
SIGKILL). The KSQL run feeds its input while the query runs, spread over --ksql-feed-s (idempotent
producer), since the engine takes a whole topic produced beforehand within one commit interval. The output
is then read with a read_committed consumer until every sequence number is there (or `--settle` seconds):
  lost        inputs without an output (must be 0 everywhere)
  duplicates  outputs beyond one per input (must be 0 on exactly-once paths; at-least-once paths report
              them against `dup_bound`)
  outage_s    signal to broker (or worker) answering again
  recovery_s  broker (or worker) back to the first new output
  complete_s  signal to the last missing output
`dup_bound` of the KSQL persistent query (at-least-once) is derived from the engine, not from the paced
feed: its producer is idempotent, so an output repeats only when its input is processed again, and that
happens only when the query goes back to its committed offsets (a failed commit after the outage, a
rebalance); each such rewind replays exactly the records processed since the last successful commit,
which the server logs (`rewinds`: at most one commit interval at the rate the query ran then, plus the
batch in which the interval ended). The bound is their sum; `paced_rate_bound` (pre-fault rate x commit
interval + one batch, the former bound) is shown beside it: a query catching up after the outage runs far
faster than the feed, so that figure bounded nothing. The scoring service's and Connect's bounds are
still rate x commit (flush) interval plus two batches.

Connect runs with `exactly.once.source.support=enabled` (records and source offsets in one transaction per
poll), unless --connect-at-least-once. The CSV connector's source partition ({file, version}) serializes in
one key order in every JVM: with an order salted per JVM, a restarted worker missed its offsets half the
time and read the whole file again.

`ksql-pull` and `ksql-final` (benchmarks/ksql_server_faults.py, where their checks are described) run a KSQL
server of their own against the stack's broker: a pull-query scan of `--records` rows cut by a SIGKILL
(the client must see an error, the restarted server must answer the same query in full, the topic must
not change; `restart_s`, `rescan_s`, `recovery_s`), and a 1-second tumbling COUNT ... EMIT FINAL over
`--records` events with the server SIGKILLed at `--kill-at` of the windows, per guarantee (every closed
window once with its full count under exactly_once_v2; `restart_s`, `recovery_s`, `complete_s`).

The embedded stack is started on free ports; prints one JSON object with the load average next to each run.

Not covered: the scoring service has no model hot-reload to fault.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import psutil
from _common import ksql
from confluent_kafka import Consumer, KafkaException, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic
from ksql_server_faults import run_emit_final, run_pull_scan

from fraudlab.kafka import KafkaConfig, send
from fraudlab.stack import KsqlServerProcess, Stack, StackConfig, StackError
from fraudlab.stack.ports import free_ports
from fraudlab.stack.process import PidRecord, process_of

REPO = Path(__file__).resolve().parents[1]
FAULTS = ("scoring", "ksql", "connect", "connect-worker", "ksql-pull", "ksql-final")
SIGNALS = {"TERM": signal.SIGTERM, "KILL": signal.SIGKILL}
SCORING_COMMIT_S = 0.1  # fraudlab score --commit-interval (its default)
SCORING_BATCH = 2000
KSQL_COMMIT_S = 1.0  # the engine's commit interval
CONNECT_FLUSH_S = 1.0  # offset.flush.interval.ms of the stack's worker
CONNECT_BATCH = 5000
KSQL_FEED_S = 10.0  # the KSQL run's input is produced over this long, while the query runs


def load() -> float:
    return round(os.getloadavg()[0], 2)


# ---- the stack and its faults --------------------------------------------------------------------------


@contextlib.contextmanager
def matrix_stack(security: str, connect_eos: bool, work: Path) -> Iterator[StackConfig]:
    kafka, connect, ksql = free_ports(3)
    config = StackConfig.default(
        state_dir=work / "stack", kafka_port=kafka, connect_port=connect, ksql_port=ksql, with_ksql=False,
        with_schema_registry=False, security=security, start_timeout_s=240.0,
    )
    if connect_eos:
        config = replace(config, extra_connect_properties={"exactly.once.source.support": "enabled"})
    stack = Stack(config)
    try:
        stack.up(progress=False)
        yield config
    finally:
        stack.down()


def kafka_of(config: StackConfig) -> KafkaConfig:
    return KafkaConfig.from_stack(config.state_dir)


def service_process(config: StackConfig, name: str) -> psutil.Process:
    svc = next(s for s in Stack(config).services if s.name == name)
    record = PidRecord.load(svc.pid_path)
    proc = process_of(record) if record else None
    if proc is None:
        raise SystemExit(f"{name} is not running")
    return proc


def fault(config: StackConfig, service: str, signum: signal.Signals) -> float:
    """Signal `service`, wait for it to end, start it again; seconds until it answers again."""
    proc = service_process(config, service)
    start = time.perf_counter()
    proc.send_signal(signum)
    try:
        proc.wait(120)
    except psutil.TimeoutExpired:
        proc.kill()
        proc.wait(30)
    Stack(config).up(progress=False)  # restarts what is down, from the same storage
    return time.perf_counter() - start


# ---- Kafka helpers -----------------------------------------------------------------------------------------


def create(kafka: KafkaConfig, topic: str, partitions: int = 2) -> None:
    admin = AdminClient(kafka.as_librdkafka())
    admin.create_topics([NewTopic(topic, partitions, 1)])[topic].result(60)


def produce(kafka: KafkaConfig, topic: str, records: Iterator[tuple[bytes, bytes]]) -> int:
    p = Producer(kafka.as_librdkafka(**{"linger.ms": 20, "compression.type": "lz4",
                                         "queue.buffering.max.messages": 1_000_000}))
    n = 0
    for key, value in records:
        send(p, topic, value, key)
        n += 1
        if n % 50_000 == 0:
            p.poll(0)
    if p.flush(120):
        raise SystemExit(f"input of {topic} not acknowledged")
    return n


class PacedFeed(threading.Thread):
    """Produces `records` into `topic` spread evenly over `seconds`, with an idempotent producer (a broker
    restart mid-feed neither loses nor repeats an input record). For a consumer fast enough to take a
    whole topic produced beforehand in one commit interval, so that the fault lands mid-stream."""

    def __init__(self, kafka: KafkaConfig, topic: str, records: list[tuple[bytes, bytes]], seconds: float) -> None:
        super().__init__(name=f"feed-{topic}", daemon=True)
        self.kafka, self.topic, self.records, self.seconds = kafka, topic, records, max(seconds, 0.1)
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            p = Producer(self.kafka.as_librdkafka(**{"enable.idempotence": True, "linger.ms": 20,
                                                     "compression.type": "lz4",
                                                     "queue.buffering.max.messages": 1_000_000}))
            total, sent, started = len(self.records), 0, time.monotonic()
            while sent < total:
                due = min(total, int((time.monotonic() - started) / self.seconds * total) + 1)
                while sent < due:
                    key, value = self.records[sent]
                    send(p, self.topic, value, key)
                    sent += 1
                p.poll(0)
                time.sleep(0.01)
            if p.flush(360):
                raise RuntimeError(f"input of {self.topic} not acknowledged")
        except BaseException as exc:  # reported by finish()
            self.error = exc

    def finish(self, timeout_s: float = 420) -> None:
        self.join(timeout_s)
        if self.is_alive():
            raise SystemExit(f"the feed of {self.topic} did not end in {timeout_s:.0f} s")
        if self.error is not None:
            raise SystemExit(f"the feed of {self.topic} failed: {self.error}")


def end_offsets(probe: Consumer, topic: str) -> int:
    """Records written to `topic` so far; -1 while the broker cannot say (restarting, leader moving)."""
    try:
        md = probe.list_topics(topic, timeout=10).topics.get(topic)
        if md is None or md.error is not None:
            return 0
        return sum(probe.get_watermark_offsets(TopicPartition(topic, p), timeout=10, cached=False)[1]
                   for p in md.partitions)
    except KafkaException:
        return -1


def written_now(kafka: KafkaConfig, topic: str) -> int:
    """The records in `topic` now, committed or not (the high watermarks)."""
    probe = Consumer(kafka.as_librdkafka(**{"group.id": f"probe-{uuid.uuid4().hex[:6]}"}))
    try:
        return end_offsets(probe, topic)
    finally:
        probe.close()


class Stalled(Exception):
    """The output stopped growing: the consumer under test did not recover."""


def wait_output(kafka: KafkaConfig, topic: str, target: int, timeout_s: float = 600) -> int:
    probe = Consumer(kafka.as_librdkafka(**{"group.id": f"probe-{uuid.uuid4().hex[:6]}"}))
    deadline = time.monotonic() + timeout_s
    try:
        while (written := end_offsets(probe, topic)) < target:
            if time.monotonic() > deadline:
                raise Stalled(f"{topic} reached only {written} of {target} records in {timeout_s:.0f} s")
            time.sleep(0.02)
        return written
    finally:
        probe.close()


def read_sequences(
    kafka: KafkaConfig, topic: str, expect: int, seq_of: Callable[[bytes | None, bytes], int], settle_s: float,
) -> tuple[Counter[int], float | None]:
    """seq -> outputs seen (read_committed), and when the last missing seq was read. Stops once all are
    there and 5 s passed quietly, or after `settle_s`."""
    c = Consumer(kafka.as_librdkafka(**{
        "group.id": f"fault-read-{uuid.uuid4().hex}", "auto.offset.reset": "earliest",
        "enable.auto.commit": False, "isolation.level": "read_committed",
    }))
    c.subscribe([topic])
    seen: Counter[int] = Counter()
    settle_s = max(settle_s, 60.0)
    complete_at: float | None = None
    deadline = time.monotonic() + settle_s
    quiet_since = time.monotonic()
    try:
        while time.monotonic() < deadline:
            msgs = c.consume(10_000, timeout=0.5)
            for m in msgs:
                if m.error() is None and m.value() is not None:
                    seen[seq_of(m.key(), m.value())] += 1
            now = time.monotonic()
            if msgs:
                quiet_since = now
                if complete_at is None and len(seen) >= expect:
                    complete_at = time.perf_counter()
            elif len(seen) >= expect and now - quiet_since > 5:
                break
    finally:
        c.close()
    return seen, complete_at


def first_new_output(kafka: KafkaConfig, topic: str, after: int, timeout_s: float) -> float | None:
    """perf_counter when `topic` holds more than `after` records (its size when the fault was decided), or
    None. Approximate: outputs written between that reading and the signal count as new ones."""
    try:
        wait_output(kafka, topic, after + 1, timeout_s)
    except Stalled as exc:
        print(f"stalled: {exc}", file=sys.stderr, flush=True)
        return None
    return time.perf_counter()


def summarise(name: str, records: int, seen: Counter[int], t: dict[str, float | None], dup_bound: int | None,
              exactly_once: bool, extra: dict[str, Any]) -> dict[str, Any]:
    lost = sum(1 for s in range(records) if seen[s] == 0)
    duplicates = sum(v - 1 for v in seen.values() if v > 1)
    fault_t, back_t, first_t, done_t = t["fault"], t["back"], t["first"], t["complete"]
    return {
        "run": name,
        "records": records,
        "guarantee": "exactly-once" if exactly_once else "at-least-once",
        "lost": lost,
        "duplicates": duplicates,
        "dup_bound": dup_bound,
        "ok": lost == 0 and (duplicates == 0 if exactly_once else duplicates <= (dup_bound or 0)),
        "outage_s": round(back_t - fault_t, 1) if back_t and fault_t else None,
        "recovery_s": round(first_t - back_t, 1) if first_t and back_t else None,
        "complete_s": round(done_t - fault_t, 1) if done_t and fault_t else None,
        "load_avg_1m": load(),
        **extra,
    }


# ---- the runs ---------------------------------------------------------------------------------------------


def kaggle_lines(records: int, seed: int = 3) -> list[bytes]:
    from fraudlab.data import synthetic

    frame = synthetic(records, 0.01, seed=seed)
    return [ln.encode() for ln in frame.to_csv(header=False, index=False, lineterminator="\n").splitlines()]


def train_bundle(out: Path) -> Path:
    if (out / "model.onnx").is_file():
        return out
    from fraudlab.data import synthetic
    from fraudlab.model.config import HeadConfig, TrainConfig
    from fraudlab.model.training import fit_models, write_bundle

    cfg = TrainConfig(epochs=1, baselines=False, reference_ae=False, verbose=0, head=HeadConfig(epochs=1))
    write_bundle(fit_models(synthetic(20_000, 0.01, seed=1), cfg), out, cfg, "synthetic", "0" * 64)
    return out


def run_scoring(config: StackConfig, bundle: Path, records: int, guarantee: str, signame: str, kill_at: float,
                settle_s: float, work: Path) -> dict[str, Any]:
    kafka = kafka_of(config)
    tag = uuid.uuid4().hex[:8]
    topic, out = f"fm-score-in-{tag}", f"fm-score-out-{tag}"
    create(kafka, topic)
    lines = kaggle_lines(records)
    produce(kafka, topic, ((f"{i}".encode(), line) for i, line in enumerate(lines)))
    log = (work / f"score-{tag}.log").open("wb")
    cmd = [sys.executable, "-c", "from fraudlab.cli import main; main()", "score", "--model", str(bundle),
           "--in", topic, "--out", out, "--group", f"fm-{tag}", "--guarantee", guarantee,
           "--state-dir", str(config.state_dir), "--bootstrap-servers", config.bootstrap_servers,
           "--batch-size", str(SCORING_BATCH), "--instance-id", "a", "--report-interval", "5"]
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, cwd=REPO)
    started = time.perf_counter()
    try:
        at_fault = wait_output(kafka, out, int(records * kill_at))
        t_fault = time.perf_counter()
        rate = at_fault / (t_fault - started)
        outage = fault(config, "broker", SIGNALS[signame])
        t_back = t_fault + outage
        t_first = first_new_output(kafka, out, at_fault, settle_s)
        seen, t_done = read_sequences(kafka, out, records, lambda k, v: int(k), settle_s if t_first else 60)
        alive = proc.poll() is None
    finally:
        proc.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(60)
        proc.kill()
    eos = guarantee == "exactly-once"
    bound = int(rate * SCORING_COMMIT_S) + 2 * SCORING_BATCH
    return summarise(f"broker SIG{signame} under the scoring service ({guarantee})", records, seen,
                     {"fault": t_fault, "back": t_back, "first": t_first, "complete": t_done},
                     None if eos else bound, eos,
                     {"output_at_fault": at_fault, "service_survived": alive, "records_per_s_before": round(rate)})


# what the engine logs when a query goes back to its committed offsets (runtime/query.py: `_rewound`)
REWIND = re.compile(r"query (\S+): consumer (\w+), reading again from the committed offsets: (\d+) records "
                    r"processed since the last commit \(largest commit so far: (\d+) records\)")


def rewinds(log: Path) -> list[dict[str, Any]]:
    """Every rewind a KSQL server's log reports: the query, why, and how many records it replays."""
    text = log.read_text(errors="replace") if log.is_file() else ""
    return [{"query": q, "reason": why, "replayed": int(n), "largest_commit_before": int(c)}
            for q, why, n, c in REWIND.findall(text)]


def ksql_extra_args(config: StackConfig) -> list[str]:
    """The KSQL server's client settings on a secured stack."""
    recorded = json.loads((config.state_dir / "stack.json").read_text())
    return ["--kafka-config", recorded["client_config"]] if recorded.get("client_config") else []


def run_ksql(config: StackConfig, records: int, guarantee: str, signame: str, kill_at: float, settle_s: float,
             work: Path, feed_s: float = KSQL_FEED_S) -> dict[str, Any]:
    """The input is fed while the query runs, spread over `feed_s` (the engine takes a whole topic of
    30,000 records produced beforehand in less than one commit interval: the fault came after the end)."""
    kafka = kafka_of(config)
    tag = uuid.uuid4().hex[:8]
    src, out = f"fm-ksql-in-{tag}", f"fm-ksql-out-{tag}"
    create(kafka, src)
    feed = PacedFeed(kafka, src, [(f"k{i}".encode(), f"{i},{i % 997}.25".encode()) for i in range(records)], feed_s)
    log = work / f"ksql-{tag}.log"
    server = KsqlServerProcess(config.bootstrap_servers, work / f"ksql-{tag}", log,
                               service_id=f"fm_{tag}_", extra_args=ksql_extra_args(config), cwd=REPO)
    try:
        try:
            url = server.start(timeout_s=120).url
        except StackError as exc:
            raise SystemExit(f"ksqlserver did not start: {exc}") from exc
        props = {"auto.offset.reset": "earliest", "processing.guarantee": guarantee}
        for sql in (f"CREATE STREAM SRC (ID STRING KEY, SEQ BIGINT, AMOUNT DOUBLE) WITH (KAFKA_TOPIC='{src}', "
                    "VALUE_FORMAT='DELIMITED');",
                    f"CREATE STREAM OUT WITH (KAFKA_TOPIC='{out}', VALUE_FORMAT='JSON') AS "
                    "SELECT ID, SEQ, AMOUNT * 2 AS DOUBLED FROM SRC;"):
            ksql(url, sql, props, timeout_s=60)
        started = time.perf_counter()
        feed.start()
        at_fault = wait_output(kafka, out, int(records * kill_at))
        t_fault = time.perf_counter()
        rate = at_fault / (t_fault - started)
        outage = fault(config, "broker", SIGNALS[signame])
        t_back = t_fault + outage
        t_first = first_new_output(kafka, out, at_fault, settle_s)
        feed.finish()
        seen, t_done = read_sequences(kafka, out, records, lambda k, v: int(json.loads(v)["SEQ"]), settle_s if t_first else 60)
        alive = server.running()
    finally:
        server.stop(timeout_s=60)
    eos = guarantee == "exactly_once_v2"
    # At-least-once, an output is written twice only when its input is processed twice (the producer is
    # idempotent: a retried request is not written again), and an input is processed twice only after a
    # rewind to the committed offsets, which replays exactly the records processed since the last
    # successful commit: the engine logs that count at each rewind. A commit runs after the first batch
    # that ends `commit_interval` after the previous one, so one rewind replays at most one commit
    # interval at the rate the query ran then (during a catch-up far more than the paced feed) plus one
    # batch. The bound is that figure, summed over the rewinds the fault caused (one, if the engine keeps
    # its promise); the pre-fault rate is reported beside it but does not bound anything.
    back = rewinds(log)
    bound = sum(r["replayed"] for r in back)
    report = summarise(f"broker SIG{signame} under a KSQL persistent query ({guarantee})", records, seen,
                     {"fault": t_fault, "back": t_back, "first": t_first, "complete": t_done},
                     None if eos else bound, eos,
                     {"output_at_fault": at_fault, "server_survived": alive, "records_per_s_before": round(rate),
                      "rewinds": back, "replayed": bound,
                      "paced_rate_bound": int(rate * KSQL_COMMIT_S) + 10_000})
    if not report["ok"]:
        # a stalled engine wrote nothing more; a hanging transaction wrote it but holds read_committed back
        report["output_written"] = written_now(kafka, out)
        # what the server said is the first thing anyone needs (CI keeps no work dir)
        report["server_log_tail"] = log_tail(log)
    return report


def log_tail(log: Path, lines: int = 60) -> list[str]:
    """The server log's last warnings and errors (with their tracebacks' last lines)."""
    text = log.read_text(errors="replace").splitlines() if log.is_file() else []
    keep = [line for line in text if " WARNING " in line or " ERROR " in line or line.startswith(("  ", "confluent"))
            or "Error" in line]
    return [line[:400] for line in keep[-lines:]]


def run_connect(config: StackConfig, records: int, service: str, signame: str, kill_at: float, settle_s: float,
                connect_eos: bool) -> dict[str, Any]:
    """CSV rows whose Time field is the sequence number, read by the CSV connector."""
    from fraudlab.connect import ConnectClient
    from fraudlab.connect.ingest import CSV_CONNECTOR
    from fraudlab.connect.schema import KAGGLE_COLUMNS, kaggle_column_spec

    kafka = kafka_of(config)
    tag = uuid.uuid4().hex[:8]
    topic = f"fm-connect-{tag}"
    create(kafka, topic)
    create(kafka, f"{topic}_dlq", 1)
    spool = config.spool_dir / f"fm-{tag}"
    (spool / "input").mkdir(parents=True)
    rest = ",".join(["0.5"] * 28) + ",12.5,0"
    path = spool / "input" / "rows.csv"
    with path.open("w") as fh:
        fh.write(",".join(f'"{c}"' for c in KAGGLE_COLUMNS) + "\n")
        for i in range(records):
            fh.write(f"{i},{rest}\n")
    client = ConnectClient(config.connect_url)
    name = f"fm-{tag}"
    client.put_config(name, {
        "connector.class": CSV_CONNECTOR, "tasks.max": "1", "topic": topic, "input.path": str(path.parent),
        "file.pattern": "^rows[.]csv$", "csv.has.header": "true", "schema.columns": kaggle_column_spec(),
        "finished.path": str(spool / "finished"), "error.path": str(spool / "error"),
        "errors.topic": f"{topic}_dlq", "batch.size": str(CONNECT_BATCH),
    })
    client.wait_running(name, timeout_s=120)
    started = time.perf_counter()
    try:
        at_fault = wait_output(kafka, topic, int(records * kill_at))
        t_fault = time.perf_counter()
        rate = at_fault / (t_fault - started)
        outage = fault(config, service, SIGNALS[signame])
        t_back = t_fault + outage
        t_first = first_new_output(kafka, topic, at_fault, settle_s)
        seen, t_done = read_sequences(kafka, topic, records, lambda k, v: int(json.loads(v)["Time"]), settle_s if t_first else 60)
    finally:
        with contextlib.suppress(Exception):
            client.delete(name)
    bound = int(rate * CONNECT_FLUSH_S) + 2 * CONNECT_BATCH
    what = "broker" if service == "broker" else "Connect worker"
    mode = "exactly-once source" if connect_eos else "at-least-once source"
    return summarise(f"{what} SIG{signame} under Connect CSV ingestion ({mode})", records, seen,
                     {"fault": t_fault, "back": t_back, "first": t_first, "complete": t_done},
                     None if connect_eos else bound, connect_eos,
                     {"output_at_fault": at_fault, "records_per_s_before": round(rate)})


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--records", type=int, default=200_000)
    ap.add_argument("--faults", default=",".join(FAULTS), help=f"comma-separated subset of {', '.join(FAULTS)}")
    ap.add_argument("--signals", default="TERM,KILL", help="for the broker faults: TERM, KILL or both")
    ap.add_argument("--guarantees", default="exactly-once,at-least-once")
    ap.add_argument("--security", default="none", choices=["none", "sasl_plaintext", "sasl_ssl"])
    ap.add_argument("--kill-at", type=float, default=0.3, help="fraction of the output written at the fault")
    ap.add_argument("--settle", type=float, default=600, help="longest wait for the missing outputs")
    ap.add_argument("--connect-at-least-once", action="store_true")
    ap.add_argument("--ksql-feed-s", type=float, default=KSQL_FEED_S,
                    help="the KSQL run's input is produced over this many seconds while the query runs")
    ap.add_argument("--model", type=Path, help="a scoring bundle to reuse (default: train a small one)")
    ap.add_argument("--work-dir", type=Path, help="keep the stack, its logs and the clients' logs here "
                    "(default: a temporary directory, removed at the end)")
    args = ap.parse_args(argv)
    faults = [f for f in args.faults.split(",") if f]
    unknown = set(faults) - set(FAULTS)
    if unknown:
        ap.error(f"unknown faults {sorted(unknown)}")
    signals = [s.strip().upper() for s in args.signals.split(",") if s.strip()]
    guarantees = [g.strip() for g in args.guarantees.split(",") if g.strip()]
    eos_connect = not args.connect_at_least_once
    runs: list[dict[str, Any]] = []
    t0 = time.perf_counter()
    with contextlib.ExitStack() as scope:
        if args.work_dir is not None:
            args.work_dir.mkdir(parents=True, exist_ok=True)
            work = args.work_dir.resolve()
        else:
            work = Path(scope.enter_context(tempfile.TemporaryDirectory(prefix="fault-matrix-")))
        bundle = args.model or (train_bundle(work / "bundle") if "scoring" in faults else None)
        with matrix_stack(args.security, eos_connect, work) as config:
            for signame in signals:
                if "scoring" in faults:
                    for g in guarantees:
                        runs.append(run_scoring(config, bundle, args.records, g, signame, args.kill_at, args.settle,
                                                work))
                        print(json.dumps(runs[-1]), file=sys.stderr, flush=True)
                if "ksql" in faults:
                    for g in guarantees:
                        ksql_g = "exactly_once_v2" if g == "exactly-once" else "at_least_once"
                        runs.append(run_ksql(config, args.records, ksql_g, signame, args.kill_at, args.settle, work,
                                             args.ksql_feed_s))
                        print(json.dumps(runs[-1]), file=sys.stderr, flush=True)
                if "connect" in faults:
                    runs.append(run_connect(config, args.records, "broker", signame, args.kill_at, args.settle,
                                            eos_connect))
                    print(json.dumps(runs[-1]), file=sys.stderr, flush=True)
            if "ksql-pull" in faults:
                runs.append(run_pull_scan(kafka_of(config), args.records, args.kill_at, work, ksql_extra_args(config)))
                print(json.dumps(runs[-1]), file=sys.stderr, flush=True)
            if "ksql-final" in faults:
                for g in guarantees:
                    ksql_g = "exactly_once_v2" if g == "exactly-once" else "at_least_once"
                    runs.append(run_emit_final(kafka_of(config), args.records, ksql_g, args.kill_at, work,
                                               args.settle, ksql_extra_args(config)))
                    print(json.dumps(runs[-1]), file=sys.stderr, flush=True)
            if "connect-worker" in faults:
                runs.append(run_connect(config, args.records, "connect", "KILL", args.kill_at, args.settle,
                                        eos_connect))
                print(json.dumps(runs[-1]), file=sys.stderr, flush=True)
    print(json.dumps({"benchmark": "fault_matrix", "security": args.security, "records": args.records,
                      "kill_at": args.kill_at, "seconds": round(time.perf_counter() - t0, 1),
                      "cpu_count": os.cpu_count(), "runs": runs}, indent=2))
    return 0 if all(r["ok"] for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
