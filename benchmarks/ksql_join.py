"""Stream-table join throughput of ksqlserver beside a raw confluent-kafka copy of the same topic.

    .venv/bin/python benchmarks/ksql_join.py [--rows 1000000] [--users 10000] [--repeat 1]
        [--bootstrap-servers HOST:PORT]

Produces `--users` users (JSON, keyed by user id) into a table topic, then `--rows` credit-card
transactions (DELIMITED, the real Kaggle rows, cycled) keyed by a synthetic user id. Then, `--repeat`
times, measures on the real broker:
- raw copy: `_common.raw_copy` of the transactions, consumer -> producer, records/s;
- join: `CREATE STREAM ... AS SELECT t.USERID, t.Amount, t.Class, u.REGION FROM TX t LEFT JOIN USERS u
  ON t.USERID = u.USERID`, run by the engine in this process over the Kafka driver (its I/O as the server's
  default, kafkanative; `--kafka-io confluent`: confluent-kafka), records/s (transaction
  records) from the statement until every input is processed and its output flushed.
Prints one JSON object with medians and every run, and how many outputs found their user. Without
--bootstrap-servers the embedded stack is started on free ports and stopped afterwards.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import uuid
from pathlib import Path

from confluent_kafka import Consumer
from tqdm import tqdm

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import creditcard_lines, embedded_stack, median, raw_copy

from fraudlab.kafka import KafkaConfig, create_topic, produce_values
from ksqlserver.drivers.kafka import KafkaDriver, KafkaDriverConfig
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.runtime import gc_policy

TARGET = 40_000  # records/s
COLUMNS = ", ".join(["Time DOUBLE", *[f"V{i} DOUBLE" for i in range(1, 29)], "Amount DOUBLE", "Class INT"])


def produce(config: KafkaConfig, topic: str, records: list[tuple[bytes, bytes]], desc: str) -> None:
    print(f"producing {desc}", file=sys.stderr)
    produce_values(config, topic, [v for _, v in records], keys=[k for k, _ in records], total=len(records),
                   flush_timeout_s=300)


def matched(config: KafkaConfig, topic: str, expected: int) -> int:
    """How many of the join's outputs carry a user's region (the table side was found)."""
    consumer = Consumer(
        config.as_librdkafka(
            **{"group.id": f"bench-check-{uuid.uuid4().hex[:6]}", "auto.offset.reset": "earliest"}
        )
    )
    consumer.subscribe([topic])
    seen = hits = 0
    deadline = time.monotonic() + 300
    while seen < expected and time.monotonic() < deadline:
        for msg in consumer.consume(10_000, timeout=1.0):
            if msg.error() is None:
                seen += 1
                hits += json.loads(msg.value())["REGION"] is not None
    consumer.close()
    return hits


def join(
    config: KafkaConfig, tx: str, users: str, rows: int, n_users: int, kafka_io: str = "native"
) -> tuple[float, str]:
    """Seconds of one join run and its sink topic; `kafka_io` as the server's --kafka-io (its default: native)."""
    sink = f"BENCH_J_{uuid.uuid4().hex[:6].upper()}"
    gc_policy.apply()  # the engine runs in this process: the server's garbage-collector policy (ksqlserver.cli)
    engine = Engine(
        EngineConfig(service_id=f"bench_{uuid.uuid4().hex[:6]}_", processing_log=False),
        KafkaDriver(KafkaDriverConfig(config.bootstrap_servers, native_io=kafka_io == "native")),
    )
    try:
        props = {"ksql.streams.auto.offset.reset": "earliest"}
        engine.execute(
            f"CREATE STREAM TX (USERID STRING KEY, {COLUMNS}) WITH (KAFKA_TOPIC='{tx}', "
            f"VALUE_FORMAT='DELIMITED');",
            props,
        )
        engine.execute(
            f"CREATE TABLE USERS (USERID STRING PRIMARY KEY, REGION STRING) WITH (KAFKA_TOPIC='{users}', "
            f"VALUE_FORMAT='JSON');",
            props,
        )
        start = time.perf_counter()
        engine.execute(
            f"CREATE STREAM {sink} WITH (KAFKA_TOPIC='{sink.lower()}', VALUE_FORMAT='JSON') AS "
            f"SELECT t.USERID, t.Amount, t.Class, u.REGION FROM TX t LEFT JOIN USERS u ON t.USERID = u.USERID;",
            props,
        )
        (query,) = engine.state.persistent.values()
        total = rows + n_users  # the query reads both topics
        deadline = time.monotonic() + 1800
        with tqdm(total=total, desc="join CSAS", unit="rec", mininterval=2) as bar:
            while query.processed < total and time.monotonic() < deadline:
                if query.error:
                    raise SystemExit(f"query failed: {query.error}")
                time.sleep(0.2)
                bar.update(query.processed - bar.n)
        query.stop()  # flushes the producer and commits: every output acknowledged
        elapsed = time.perf_counter() - start
        if query.processed < total:
            raise SystemExit(f"timed out: {query.processed} of {total} processed")
        return elapsed, sink.lower()
    finally:
        engine.close()


def run(bootstrap: str, rows: int, n_users: int, repeat: int, kafka_io: str = "native") -> dict[str, object]:
    config = KafkaConfig(bootstrap_servers=bootstrap)
    tag = uuid.uuid4().hex[:6]
    tx, users = f"bench-tx-{tag}", f"bench-users-{tag}"
    create_topic(config, tx)
    create_topic(config, users)
    produce(
        config,
        users,
        [(f"user-{i}".encode(), json.dumps({"REGION": f"region-{i % 7}"}).encode()) for i in range(n_users)],
        "users",
    )
    lines = creditcard_lines(rows)
    produce(
        config, tx, [(f"user-{i % n_users}".encode(), line) for i, line in enumerate(lines)], "transactions"
    )
    copies, joins, hits = [], [], []
    for _ in range(repeat):
        copies.append(raw_copy(config, tx, rows))
        seconds, out_topic = join(config, tx, users, rows, n_users, kafka_io)
        joins.append(seconds)
        hits.append(matched(config, out_topic, rows))
    join_rate = rows / median(joins)
    copy_rate = rows / median(copies)
    return {
        "benchmark": "ksql_join",
        "query": "stream-table LEFT JOIN on the user id (DELIMITED transactions, JSON users -> JSON)",
        "rows": rows,
        "users": n_users,
        "repeat": repeat,
        "kafka_io": kafka_io,
        "join_records_per_s": round(join_rate),
        "raw_copy_records_per_s": round(copy_rate),
        "ratio_to_raw_copy": round(join_rate / copy_rate, 3),
        "target_records_per_s": TARGET,
        "meets_target": join_rate >= TARGET,
        "outputs_with_user_all": hits,
        "join_seconds_all": [round(s, 2) for s in joins],
        "copy_seconds_all": [round(s, 2) for s in copies],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--bootstrap-servers", default=None)
    parser.add_argument("--kafka-io", choices=["confluent", "native"], default="native",
                        help="the query's Kafka I/O, as the server's --kafka-io (default native, the server's)")
    args = parser.parse_args()
    with embedded_stack(args.bootstrap_servers) as stack:
        bootstrap = stack if isinstance(stack, str) else stack.bootstrap_servers
        print(json.dumps(run(bootstrap, args.rows, args.users, args.repeat, args.kafka_io), indent=2))


if __name__ == "__main__":
    main()
