"""fraudlab's own figures for the peer comparison, measured by the existing benchmarks' own functions on
the run's shared topics:

- CSAS: ksql_throughput.csas_run against a `python -m ksqlserver` (ksql_throughput.ksqlserver), timed
  from the statement until the sink holds every filtered row;
- windowed aggregation: ksql_windowed.windowed (the engine in this process, on the server's default Kafka
  I/O, kafkanative, as the CSAS's server), from the statement until every input is processed and its output
  flushed;
- stream-table join: ksql_join.join, likewise;
- scoring: scoring_e2e.service_rate (the scoring service in this process, at-least-once), from its first
  input batch to its drained end.
"""

from __future__ import annotations

import contextlib
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import _common
import ksql_join
import ksql_throughput
import ksql_windowed
import peerlib
import scoring_e2e
from topics import BenchmarkTopics

from fraudlab.kafka import KafkaConfig
from ksqlserver.runtime import gc_policy


class OurCsas:
    """A ksqlserver process and a DELIMITED source stream over the cards topic, for repeated CSAS runs."""

    def __init__(self, bootstrap: str, topics: BenchmarkTopics, url: str, timeout_s: float) -> None:
        self.bootstrap, self.topics, self.url, self.timeout_s = bootstrap, topics, url, timeout_s
        self.source = f"PEERS_SRC_{uuid.uuid4().hex[:8].upper()}"
        columns = ", ".join(f"{c} STRING" if c == "Class" else f"{c} DOUBLE" for c in ksql_throughput.COLUMNS)
        _common.ksql(
            url,
            f"CREATE STREAM {self.source} ({columns}) WITH (KAFKA_TOPIC='{topics.cards}', VALUE_FORMAT='DELIMITED');",
        )

    def run(self) -> dict[str, Any]:
        load_start = peerlib.load1()
        result = ksql_throughput.csas_run(
            self.url, self.bootstrap, self.source, self.topics.filtered, self.topics.records, self.timeout_s
        )
        return {**result, "load_1min": [load_start, peerlib.load1()]}


@contextlib.contextmanager
def our_csas(bootstrap: str, topics: BenchmarkTopics, timeout_s: float) -> Iterator[OurCsas]:
    with ksql_throughput.ksqlserver(bootstrap) as url:
        yield OurCsas(bootstrap, topics, url, timeout_s)


def windowed(bootstrap: str, topics: BenchmarkTopics) -> dict[str, Any]:
    gc_policy.apply()  # the engine runs in this process: the server's garbage-collector policy
    load_start = peerlib.load1()
    with peerlib.cleanup_new_topics(bootstrap):
        seconds = ksql_windowed.windowed(bootstrap, topics.keyed, topics.records)
    return {"seconds": round(seconds, 3), "records_per_s": peerlib.rate(topics.records, seconds),
            "load_1min": [load_start, peerlib.load1()]}  # fmt: skip


def join(bootstrap: str, topics: BenchmarkTopics) -> dict[str, Any]:
    load_start = peerlib.load1()
    with peerlib.cleanup_new_topics(bootstrap):
        seconds, _ = ksql_join.join(
            KafkaConfig(bootstrap_servers=bootstrap), topics.tx, topics.users, topics.records, topics.n_users
        )
    return {"seconds": round(seconds, 3), "records_per_s": peerlib.rate(topics.records, seconds),
            "load_1min": [load_start, peerlib.load1()]}  # fmt: skip


def scoring(bootstrap: str, topics: BenchmarkTopics, model: Path) -> dict[str, Any]:
    load_start = peerlib.load1()
    with peerlib.cleanup_new_topics(bootstrap):
        result = scoring_e2e.service_rate(
            KafkaConfig(bootstrap_servers=bootstrap), model, topics.cards, topics.records, "at-least-once"
        )
    return {**result, "load_1min": [load_start, peerlib.load1()]}
