"""The Kafka Streams peer: the CSAS, the tumbling-window aggregation and the stream-table join of fraudlab's
KSQL benchmarks as a Kafka Streams (Java 17) application, at-least-once and exactly-once.

    .venv/bin/python benchmarks/peers/kafka_streams.py [--records 1000000] [--repeat 3]
        [--workload csas,windowed,join] [--guarantee at_least_once,exactly_once_v2] [--bootstrap-servers H:P]

One JVM (-Xms1g -Xmx1g) runs everything: for each workload and guarantee a warm-up run, then `--repeat`
timed runs, each a fresh KafkaStreams instance (new application.id, new sink), one at a time. A run is timed from the command that starts it
until its sink holds the last output record (peerlib.watch_completion). The jar is built by
benchmarks/peers/build.sh (a no-op when it is up to date). Prints JSON. Without --bootstrap-servers the
embedded stack is started on free ports and stopped afterwards.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import peerlib
from peerlib import PEERS_DIR, REPO, Inputs, PeerError

from fraudlab.kafka import KafkaConfig, create_topic

TARGET = PEERS_DIR / "kafka-streams" / "target"
JAR = TARGET / "fraudlab-peers-streams.jar"
HEAP = ["-Xms1g", "-Xmx1g"]
GUARANTEES = ("at_least_once", "exactly_once_v2")
WORKLOADS = ("csas", "windowed", "join")

# Client settings of every run. The producer batches as fraudlab's engine does (ksqlserver's
# KafkaDriverConfig: linger 20 ms, 1 MB batches, lz4, acks=all). Commit interval and record cache are
# ksqlDB's (KsqlConfig: 2000 ms, 10,000,000 bytes), which the engine's server runs with by default: the
# aggregation forwards a key's latest value per commit interval, as ksqlDB's does.
SETTINGS: dict[str, str] = {
    "commit.interval.ms": "2000",
    "statestore.cache.max.bytes": "10000000",
    "producer.linger.ms": "20",
    "producer.batch.size": "1000000",
    "producer.compression.type": "lz4",
    "producer.acks": "all",
    "consumer.fetch.max.bytes": "52428800",
    "consumer.max.partition.fetch.bytes": "10485760",
    "consumer.max.poll.records": "10000",
}
# Kafka Streams' own client defaults, for the one "defaults" comparison run (commit interval and cache
# as ksqlDB sets them, so the outputs are the same records).
DEFAULTS: dict[str, str] = {"commit.interval.ms": "2000", "statestore.cache.max.bytes": "10000000"}


def build() -> Path:
    """Build the jar and its classpath with Maven (benchmarks/peers/build.sh; a no-op when up to date)."""
    done = subprocess.run(["bash", str(PEERS_DIR / "build.sh")], capture_output=True, text=True, cwd=REPO)
    if done.returncode != 0 or not JAR.is_file():
        raise PeerError(f"building the Kafka Streams peer failed:\n{done.stderr[-3000:]}")
    return JAR


def classpath() -> str:
    return f"{JAR}:{TARGET / 'lib'}/*"


class StreamsApp:
    """One JVM running StreamsBench; runs are started and stopped by commands on its stdin."""

    def __init__(self, bootstrap: str, log_dir: Path) -> None:
        self.state_dir = Path(tempfile.mkdtemp(prefix="peer-streams-state-"))
        self.log_path = log_dir / "kafka-streams.log"
        command = ["java", *HEAP, "-cp", classpath(), "io.fraudlab.peers.StreamsBench",
                   "--bootstrap-servers", bootstrap, "--state-dir", str(self.state_dir)]  # fmt: skip
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._log, text=True, bufsize=1
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.errors: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        self._expect("ready", 120)

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            line = line.strip()
            if line.startswith("error"):
                self.errors.append(line)
            self.lines.put(line)

    def _expect(self, prefix: str, timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise PeerError(f"Kafka Streams app exited: {self.log_path.read_text()[-2000:]}")
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                continue
            if line.startswith(prefix):
                return
            if line.startswith("error"):
                raise PeerError(f"Kafka Streams app: {line}")
        raise PeerError(f"Kafka Streams app: no '{prefix}' within {timeout_s:.0f} s (log {self.log_path})")

    def send(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def failed(self) -> str | None:
        if self.errors:
            return f"Kafka Streams app: {self.errors[-1]}"
        if self.process.poll() is not None:
            return f"Kafka Streams app exited: {self.log_path.read_text()[-2000:]}"
        return None

    def stop_run(self, app_id: str) -> None:
        self.send(f"stop {app_id}")
        self._expect("stopped", 120)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.send("quit")
            self.process.wait(60)
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(30)
        self._log.close()
        shutil.rmtree(self.state_dir, ignore_errors=True)


@contextlib.contextmanager
def streams_app(*args: Any, **kwargs: Any) -> Iterator[StreamsApp]:
    app = StreamsApp(*args, **kwargs)
    try:
        yield app
    finally:
        app.close()


def one_run(
    bootstrap: str, app: StreamsApp, workload: str, guarantee: str, inputs: Inputs, settings: dict[str, str],
    timeout_s: float,
) -> dict[str, Any]:
    app_id = peerlib.new_name(f"peer-ks-{workload}")
    sink = f"{app_id}-sink"
    create_topic(KafkaConfig(bootstrap_servers=bootstrap), sink)
    sources = [inputs.source] + ([inputs.users] if inputs.users else [])
    pairs = " ".join(f"{k}={v}" for k, v in settings.items())
    load_start = peerlib.load1()
    start = time.perf_counter()
    app.send(f"run {workload} {guarantee} {app_id} {sink} {inputs.source} {inputs.users or '-'} {pairs}")
    try:
        done = peerlib.watch_completion(bootstrap, app_id, sources, sink, timeout_s, app.failed)
    finally:
        app.stop_run(app_id)
    seconds = done.end - start
    return {
        "seconds": round(seconds, 3),
        "records_per_s": peerlib.rate(inputs.records, seconds) if done.complete else None,
        "sink_end_offset": done.sink_end_offset,
        "complete": done.complete,
        "load_1min": [load_start, peerlib.load1()],
    }


def measure(
    bootstrap: str, app: StreamsApp, workload: str, guarantee: str, inputs: Inputs, repeat: int, warmup: bool,
    timeout_s: float, settings: dict[str, str] | None = None,
) -> dict[str, Any]:
    """A warm-up run, then `repeat` timed runs; the median rate and every run."""
    chosen = SETTINGS if settings is None else settings
    runs: list[dict[str, Any]] = []
    warm: dict[str, Any] | None = None
    with peerlib.cleanup_new_topics(bootstrap):
        if warmup:
            warm = one_run(bootstrap, app, workload, guarantee, inputs, chosen, timeout_s)
            print(f"kafka streams {workload} {guarantee} warm-up: {warm}", file=sys.stderr)
        for i in range(repeat):
            runs.append(one_run(bootstrap, app, workload, guarantee, inputs, chosen, timeout_s))
            print(f"kafka streams {workload} {guarantee} {i + 1}/{repeat}: {runs[-1]}", file=sys.stderr)
    rates = [r["records_per_s"] for r in runs]
    return {
        "workload": workload,
        "guarantee": guarantee,
        "records_per_s": peerlib.median(rates) if None not in rates else None,
        "runs": runs,
        "warmup": warm,
        "settings": dict(chosen),
        "heap": " ".join(HEAP),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workload", default=",".join(WORKLOADS))
    parser.add_argument("--guarantee", default=",".join(GUARANTEES))
    parser.add_argument("--bootstrap-servers", default=None)
    parser.add_argument("--no-warmup", action="store_true")
    parser.add_argument("--timeout", type=float, default=900.0)
    args = parser.parse_args(argv)
    import topics  # the benchmark topics, produced as fraudlab's own benchmarks produce them

    build()
    with contextlib.ExitStack() as stack:
        bootstrap = args.bootstrap_servers or stack.enter_context(topics.embedded_kafka())
        data = stack.enter_context(topics.benchmark_topics(bootstrap, args.records))
        log_dir = Path(tempfile.mkdtemp(prefix="peer-logs-"))
        app = stack.enter_context(streams_app(bootstrap, log_dir))
        out: dict[str, Any] = {"benchmark": "peers.kafka_streams", "records": args.records, "results": []}
        for workload in args.workload.split(","):
            for guarantee in args.guarantee.split(","):
                out["results"].append(measure(bootstrap, app, workload, guarantee, data.inputs(workload),
                                              args.repeat, not args.no_warmup, args.timeout))
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
