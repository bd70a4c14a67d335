"""What every peer benchmark shares: the completion watch (the same end-of-run rule for every peer), the
load-average sampler, topic helpers, machine facts, and imports of the existing benchmarks.

The end of a run is the moment the sink topic first held its final record: the sink's end offset is
polled every 50 ms (for a transactional sink the final offset includes the last commit marker, so it is
reached when the last outputs are committed), and the run is over once the peer's consumer group has committed every input
offset (for at-least-once after its producer flushed, for exactly-once in the same transaction as the
outputs). The end time is then the first poll that saw the sink at that final offset. Polling offsets
costs the machine nothing per record, unlike reading the output beside the peer being measured.
"""

from __future__ import annotations

import contextlib
import os
import platform
import re
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PEERS_DIR = Path(__file__).resolve().parent
BENCH_DIR = PEERS_DIR.parent
REPO = BENCH_DIR.parent
CACHE = REPO / ".cache" / "peers"
for _path in (str(BENCH_DIR), str(PEERS_DIR)):
    if _path not in sys.path:
        sys.path.insert(0, _path)

from confluent_kafka import Consumer, TopicPartition  # noqa: E402
from confluent_kafka.admin import AdminClient  # noqa: E402

POLL_S = 0.05


class PeerError(RuntimeError):
    """A peer could not be built, started or measured; the message names the peer and the cause."""


def kafka_version() -> str:
    """The Kafka version the stack runs (connectors/pom.xml), which the Java peers are built against."""
    match = re.search(r"<kafka.version>([^<]+)</kafka.version>", (REPO / "connectors" / "pom.xml").read_text())
    if not match:
        raise PeerError("no <kafka.version> in connectors/pom.xml")
    return match.group(1)


def median(values: Iterable[float]) -> float | None:
    items = [v for v in values if v is not None]
    return statistics.median(items) if items else None


def load1() -> float:
    return round(os.getloadavg()[0], 2)


class LoadSampler:
    """The 1-minute load average every `interval_s` on a daemon thread, from `start()` to `stop()`."""

    def __init__(self, interval_s: float = 5.0) -> None:
        self.interval_s = interval_s
        self.samples: list[float] = []
        self.start_avg: list[float] = []
        self.end_avg: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="load-sampler", daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            self.samples.append(load1())

    def start(self) -> LoadSampler:
        self.start_avg = [round(x, 2) for x in os.getloadavg()]
        self.samples.append(self.start_avg[0])
        self._thread.start()
        return self

    def stop(self) -> dict[str, Any]:
        self._stop.set()
        self._thread.join(timeout=self.interval_s + 1)
        self.end_avg = [round(x, 2) for x in os.getloadavg()]
        self.samples.append(self.end_avg[0])
        return {
            "start_1_5_15": self.start_avg,
            "end_1_5_15": self.end_avg,
            "median_1min": round(statistics.median(self.samples), 2),
            "max_1min": max(self.samples),
            "samples": len(self.samples),
            "sample_interval_s": self.interval_s,
        }


def machine_facts() -> dict[str, Any]:
    """What the figures were measured on."""
    import confluent_kafka

    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem_gib = None
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_gib = round(int(line.split()[1]) / 1024 / 1024, 1)
    java = ""
    with contextlib.suppress(OSError):
        done = subprocess.run(["java", "-version"], capture_output=True, text=True, timeout=30)
        java = (done.stderr or done.stdout).splitlines()[0] if (done.stderr or done.stdout) else ""
    return {
        "cpu_model": cpu,
        "cpus": os.cpu_count(),
        "memory_gib": mem_gib,
        "kernel": platform.release(),
        "python": platform.python_version(),
        "java": java,
        "kafka": kafka_version(),
        "confluent_kafka": confluent_kafka.__version__,
        "librdkafka": confluent_kafka.libversion()[0],
    }


# -- topics ------------------------------------------------------------------------------------------
def admin(bootstrap: str) -> AdminClient:
    return AdminClient({"bootstrap.servers": bootstrap, "log_level": 3})


def list_topics(bootstrap: str) -> set[str]:
    return set(admin(bootstrap).list_topics(timeout=30).topics)


def delete_topics(bootstrap: str, topics: Iterable[str]) -> None:
    names = [t for t in topics if not t.startswith("__")]
    if not names:
        return
    client = admin(bootstrap)  # keep a reference until the futures resolve
    for future in client.delete_topics(names, operation_timeout=30).values():
        with contextlib.suppress(Exception):
            future.result(timeout=60)


@contextlib.contextmanager
def cleanup_new_topics(bootstrap: str, keep: Iterable[str] = ()) -> Iterator[None]:
    """Delete every topic created inside the block (sinks, changelogs, repartition topics), except `keep`:
    a 1,000,000-record run leaves hundreds of MB per sink on the shared machine's disk."""
    before = list_topics(bootstrap)
    try:
        yield
    finally:
        with contextlib.suppress(Exception):
            delete_topics(bootstrap, sorted(list_topics(bootstrap) - before - set(keep)))


def end_offsets(consumer: Consumer, topic: str, partitions: list[int]) -> int:
    return sum(
        consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=10, cached=False)[1] for p in partitions
    )


def partitions_of(consumer: Consumer, topic: str, timeout_s: float = 30.0) -> list[int]:
    deadline = time.monotonic() + timeout_s
    while True:
        meta = consumer.list_topics(topic, timeout=10).topics.get(topic)
        if meta is not None and meta.error is None and meta.partitions:
            return sorted(meta.partitions)
        if time.monotonic() > deadline:
            raise PeerError(f"topic {topic} has no partitions after {timeout_s:.0f} s")
        time.sleep(0.1)


# -- the completion watch ----------------------------------------------------------------------------
@dataclass
class Completion:
    """When a run's sink first held its final record (perf_counter and wall clock), its end offset, and
    when its first output appeared."""

    end: float
    end_wall: float
    sink_end_offset: int
    first_output: float | None
    complete: bool
    waited_s: float = 0.0
    notes: list[str] = field(default_factory=list)


def watch_completion(
    bootstrap: str,
    group: str,
    sources: list[str],
    sink: str,
    timeout_s: float,
    failed: Callable[[], str | None] = lambda: None,
) -> Completion:
    """Poll until `group` has committed the end of every source partition; see the module docstring."""
    consumer = Consumer(
        {
            "bootstrap.servers": bootstrap,
            "group.id": group,  # never subscribes: only reads the group's committed offsets
            "enable.auto.commit": False,
            "isolation.level": "read_committed",
        }
    )
    try:
        source_ends = []
        for topic in sources:
            for p in partitions_of(consumer, topic):
                source_ends.append((TopicPartition(topic, p), consumer.get_watermark_offsets(
                    TopicPartition(topic, p), timeout=10, cached=False)[1]))
        sink_parts = partitions_of(consumer, sink)
        last_value = -1
        last_change = time.perf_counter()
        last_change_wall = time.time()
        first_output = None
        deadline = time.monotonic() + timeout_s
        while True:
            now, now_wall = time.perf_counter(), time.time()
            value = end_offsets(consumer, sink, sink_parts)
            if value != last_value:
                last_value, last_change, last_change_wall = value, now, now_wall
            if value > 0 and first_output is None:
                first_output = now
            committed = consumer.committed([tp for tp, _ in source_ends], timeout=10)
            done = all(
                c.offset >= end for c, (_, end) in zip(committed, source_ends, strict=True) if end > 0
            )
            if done:
                # the commit follows the flush (or is in the last transaction): read the sink once more
                value = end_offsets(consumer, sink, sink_parts)
                if value != last_value:
                    last_value, last_change, last_change_wall = value, time.perf_counter(), time.time()
                return Completion(last_change, last_change_wall, last_value, first_output, True)
            problem = failed()
            if problem:
                raise PeerError(problem)
            if time.monotonic() > deadline:
                return Completion(last_change, last_change_wall, last_value, first_output, False)
            time.sleep(POLL_S)
    finally:
        consumer.close()


@dataclass(frozen=True)
class Inputs:
    """The topics one workload reads: `source` (and `users` for the join), and how many input records
    count towards its rate (the transactions; the join's users are loaded as a table)."""

    source: str
    records: int
    users: str | None = None


def new_name(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def rate(records: int, seconds: float) -> float:
    return round(records / seconds, 1) if seconds > 0 else 0.0
