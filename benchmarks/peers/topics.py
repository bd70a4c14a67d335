"""The input topics every peer and fraudlab's own benchmarks read in one run, produced by the existing
benchmarks' own functions, so every figure of a run is over the same records:

- `cards`: the real Kaggle rows as DELIMITED lines, unkeyed, one partition (ksql_throughput.produce_rows):
  the CSAS, the scoring service, ConsumerPerformance;
- `keyed`: the same rows keyed by 1,000 card ids, timestamped by their `Time` (ksql_windowed.produce_keyed):
  the tumbling-window aggregation;
- `tx` + `users`: the rows keyed by 10,000 user ids, and those users' regions as JSON (ksql_join.produce):
  the stream-table join.
"""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import _common
import ksql_join
import ksql_throughput
import ksql_windowed
import peerlib
from peerlib import Inputs

from fraudlab.kafka import KafkaConfig, create_topic

KEYS = 1000  # ksql_windowed's default
USERS = 10_000  # ksql_join's default


@dataclass(frozen=True)
class BenchmarkTopics:
    cards: str
    keyed: str
    tx: str
    users: str
    records: int
    filtered: int  # rows with Amount > 0: the CSAS's outputs
    n_users: int
    keys: int
    lines: list[bytes]

    def inputs(self, workload: str) -> Inputs:
        if workload == "csas":
            return Inputs(self.cards, self.records)
        if workload == "windowed":
            return Inputs(self.keyed, self.records)
        if workload == "join":
            return Inputs(self.tx, self.records, self.users)
        raise ValueError(f"unknown workload {workload!r}")


@contextlib.contextmanager
def embedded_kafka() -> Iterator[str]:
    # ksql_throughput's stack also names its schema registry: the peers need only the broker
    with ksql_throughput.embedded_kafka() as (bootstrap, _registry):
        yield bootstrap


@contextlib.contextmanager
def benchmark_topics(
    bootstrap: str, records: int, keys: int = KEYS, n_users: int = USERS, data: Path | None = None,
    kinds: tuple[str, ...] = ("cards", "keyed", "join"),
) -> Iterator[BenchmarkTopics]:
    """Produce the topics of `kinds` (deleted again on exit)."""
    config = KafkaConfig(bootstrap_servers=bootstrap)
    lines = ksql_throughput.load_rows(data or _common.creditcard_path(), records)
    tag = peerlib.new_name("peers")
    topics = BenchmarkTopics(
        cards=f"{tag}-cards", keyed=f"{tag}-keyed", tx=f"{tag}-tx", users=f"{tag}-users", records=records,
        filtered=sum(1 for line in lines if ksql_throughput.passes_filter(line)), n_users=n_users, keys=keys,
        lines=lines,
    )
    try:
        if "cards" in kinds:
            ksql_throughput.create_topic(bootstrap, topics.cards, 1)
            ksql_throughput.produce_rows(bootstrap, topics.cards, lines)
        if "keyed" in kinds:
            create_topic(config, topics.keyed)
            ksql_windowed.produce_keyed(config, topics.keyed, lines, keys)
        if "join" in kinds:
            create_topic(config, topics.users)
            create_topic(config, topics.tx)
            users = [(f"user-{i}".encode(), json.dumps({"REGION": f"region-{i % 7}"}).encode()) for i in range(n_users)]
            ksql_join.produce(config, topics.users, users, "users")
            keyed = [(f"user-{i % n_users}".encode(), line) for i, line in enumerate(lines)]
            ksql_join.produce(config, topics.tx, keyed, "transactions")
        print(f"topics ready ({', '.join(kinds)}) with prefix {tag}", file=sys.stderr)
        yield topics
    finally:
        with contextlib.suppress(Exception):
            peerlib.delete_topics(bootstrap, [topics.cards, topics.keyed, topics.tx, topics.users])
