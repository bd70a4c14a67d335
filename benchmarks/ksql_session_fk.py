"""Session-window aggregation and foreign-key table join throughput of ksqlserver beside a raw
confluent-kafka copy of the same topics, and the peak memory of an `EMIT FINAL` aggregation.

    .venv/bin/python benchmarks/ksql_session_fk.py [--records 1000000] [--cards 10000] [--users 10000]
        [--final-keys 100000] [--final-sizes 200000,500000] [--repeat 1] [--bootstrap-servers HOST:PORT]

Produces, into fresh one-partition topics on the real broker:
- `--records` credit-card transactions (DELIMITED, the real Kaggle rows, cycled) keyed by one of `--cards`
  card ids drawn at random, one every 100 ms of event time (so a card comes back after about
  `--cards` / 10 seconds on average);
- `--users` users (JSON, keyed by user id) and `--records` transaction rows of a table (DELIMITED, keyed
  by transaction id, a user id column first) referencing them.
Then, `--repeat` times, measures:
- raw copy: `_common.raw_copy` of each of the two `--records` topics, consumer -> producer, records/s;
- session CTAS: `SELECT CARD, COUNT(*), SUM(Amount) ... WINDOW SESSION (20 MINUTES) GROUP BY CARD` to JSON,
  records/s from the statement until every input is processed and its output flushed, and the records its
  sink got per input;
- foreign-key join CTAS: `CREATE TABLE ... AS SELECT ... FROM TXT t JOIN USERS u ON t.USERID = u.USERID`
  (the left table's column against the right table's key), records/s of the left table's records (the
  query reads both topics; the users are counted in `processed` but not in the rate).
Finally, once (and once per `--final-sizes` N over the first N records), a child process runs `WINDOW TUMBLING (SIZE 1 MINUTE, GRACE PERIOD 1 MINUTE) GROUP BY CARD
EMIT FINAL` over `--records` transactions keyed by `--final-keys` cards at random, and reports its peak
RSS (VmHWM) beside its RSS before the query started: the suppression buffer holds only open windows, so
the peak should not grow with `--records`.
Every query runs with the server's defaults, ksqlDB's: the record cache on (`streams_config` in the output).
Prints one JSON object with medians, every run and the load average before and after. Without
--bootstrap-servers the embedded stack is started on free ports and stopped afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
import uuid
from pathlib import Path

from confluent_kafka import Consumer, TopicPartition
from tqdm import tqdm

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import creditcard_lines, embedded_stack, median, raw_copy

from fraudlab.kafka import KafkaConfig, create_topic, produce_values
from ksqlserver.catalog.properties import Properties
from ksqlserver.drivers.kafka import KafkaDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.runtime import gc_policy

TARGET_RATIO = 0.5  # of the raw copy, for each query
COLUMNS = ", ".join(["Time DOUBLE", *[f"V{i} DOUBLE" for i in range(1, 29)], "Amount DOUBLE", "Class INT"])
STEP_MS = 100  # event time between two transactions
EARLIEST = {"ksql.streams.auto.offset.reset": "earliest"}


def _base_ms(records: int) -> int:
    """Event time of the first record: every record within the broker's 7-day retention, none ahead of now."""
    return int(time.time() * 1000) - records * STEP_MS - 3_600_000


def produce(config: KafkaConfig, topic: str, records: list[tuple[bytes, bytes, int]], desc: str) -> None:
    print(f"producing {desc}", file=sys.stderr)
    produce_values(
        config,
        topic,
        [v for _, v, _ in records],
        keys=[k for k, _, _ in records],
        timestamps=[t for _, _, t in records],
        total=len(records),
        flush_timeout_s=300,
    )


def card_records(lines: list[bytes], cards: int, seed: int) -> list[tuple[bytes, bytes, int]]:
    rnd = random.Random(seed)
    base = _base_ms(len(lines))
    return [(f"card-{rnd.randrange(cards)}".encode(), line, base + i * STEP_MS) for i, line in enumerate(lines)]


def _engine(bootstrap: str) -> Engine:
    """A threaded engine with the server's defaults (no properties): what `python -m ksqlserver` runs, as
    ksqlDB's server does, with the record cache on (cache.max.bytes.buffering, commit.interval.ms)."""
    return Engine(
        EngineConfig(service_id=f"bench_{uuid.uuid4().hex[:6]}_", processing_log=False), KafkaDriver(bootstrap)
    )


def streams_config() -> dict[str, str]:
    """The record-cache settings the benchmark's queries run with (the server defaults)."""
    props = Properties()
    return {name: props.get(name) for name in ("cache.max.bytes.buffering", "commit.interval.ms")}


def sink_records(config: KafkaConfig, topic: str) -> int:
    """Records written to a one-partition sink topic (its high watermark)."""
    consumer = Consumer(config.as_librdkafka(**{"group.id": f"bench-count-{uuid.uuid4().hex[:6]}"}))
    try:
        low, high = consumer.get_watermark_offsets(TopicPartition(topic, 0), timeout=30)
        return high - low
    finally:
        consumer.close()


def _run_query(engine: Engine, statement: str, total: int, desc: str) -> float:
    """Seconds from `statement` until the query processed `total` inputs and flushed its outputs."""
    start = time.perf_counter()
    engine.execute(statement, EARLIEST)
    (query,) = engine.state.persistent.values()
    deadline = time.monotonic() + 3600
    with tqdm(total=total, desc=desc, unit="rec", mininterval=2) as bar:
        while query.processed < total and time.monotonic() < deadline:
            if query.error:
                raise SystemExit(f"query failed: {query.error}")
            time.sleep(0.2)
            bar.update(query.processed - bar.n)
    query.stop()  # flushes the producer and commits: every output acknowledged
    elapsed = time.perf_counter() - start
    if query.processed < total:
        raise SystemExit(f"timed out: {query.processed} of {total} processed")
    return elapsed


def session(bootstrap: str, source: str, records: int) -> tuple[float, str]:
    """(seconds, sink topic) of the session CTAS."""
    engine = _engine(bootstrap)
    try:
        engine.execute(
            f"CREATE STREAM TX (CARD STRING KEY, {COLUMNS}) WITH (KAFKA_TOPIC='{source}', VALUE_FORMAT='DELIMITED');",
            EARLIEST,
        )
        sink = f"BENCH_S_{uuid.uuid4().hex[:6].upper()}"
        seconds = _run_query(
            engine,
            f"CREATE TABLE {sink} WITH (KAFKA_TOPIC='{sink.lower()}', VALUE_FORMAT='JSON') AS SELECT CARD, "
            f"COUNT(*) AS N, SUM(Amount) AS TOTAL FROM TX WINDOW SESSION (20 MINUTES) GROUP BY CARD EMIT CHANGES;",
            records,
            "session CTAS",
        )
        return seconds, sink.lower()
    finally:
        engine.close()


def fk_join(bootstrap: str, left: str, users: str, records: int, n_users: int) -> tuple[float, str]:
    engine = _engine(bootstrap)
    try:
        engine.execute(
            f"CREATE TABLE TXT (TXID STRING PRIMARY KEY, USERID STRING, {COLUMNS}) "
            f"WITH (KAFKA_TOPIC='{left}', VALUE_FORMAT='DELIMITED');",
            EARLIEST,
        )
        engine.execute(
            f"CREATE TABLE USERS (USERID STRING PRIMARY KEY, REGION STRING) "
            f"WITH (KAFKA_TOPIC='{users}', VALUE_FORMAT='JSON');",
            EARLIEST,
        )
        sink = f"BENCH_FK_{uuid.uuid4().hex[:6].upper()}"
        seconds = _run_query(
            engine,
            f"CREATE TABLE {sink} WITH (KAFKA_TOPIC='{sink.lower()}', VALUE_FORMAT='JSON') AS "
            f"SELECT t.TXID, t.Amount, u.REGION FROM TXT t JOIN USERS u ON t.USERID = u.USERID;",
            records + n_users,
            "foreign-key join CTAS",
        )
        return seconds, sink.lower()
    finally:
        engine.close()


def count_outputs(config: KafkaConfig, topic: str, expected: int) -> tuple[int, int]:
    """(outputs, outputs carrying a user's region) of the join's sink, read until `expected` or idle."""
    consumer = Consumer(
        config.as_librdkafka(**{"group.id": f"bench-check-{uuid.uuid4().hex[:6]}", "auto.offset.reset": "earliest"})
    )
    consumer.subscribe([topic])
    seen = hits = idle = 0
    deadline = time.monotonic() + 600
    while seen < expected and time.monotonic() < deadline and idle < 10:
        batch = consumer.consume(10_000, timeout=1.0)
        idle = 0 if batch else idle + 1
        for msg in batch:
            if msg.error() is None and msg.value() is not None:
                seen += 1
                hits += json.loads(msg.value())["REGION"] is not None
    consumer.close()
    return seen, hits


def _rss_kb(field: str) -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def emit_final_child(bootstrap: str, source: str, records: int) -> dict[str, object]:
    """Runs in a child process: RSS before the query, then the EMIT FINAL aggregation and its peak RSS."""
    gc_policy.apply()
    engine = _engine(bootstrap)
    try:
        engine.execute(
            f"CREATE STREAM TX (CARD STRING KEY, {COLUMNS}) WITH (KAFKA_TOPIC='{source}', VALUE_FORMAT='DELIMITED');",
            EARLIEST,
        )
        rss_before = _rss_kb("VmRSS")
        sink = f"BENCH_F_{uuid.uuid4().hex[:6].upper()}"
        seconds = _run_query(
            engine,
            f"CREATE TABLE {sink} WITH (VALUE_FORMAT='JSON') AS SELECT CARD, COUNT(*) AS N, SUM(Amount) AS TOTAL "
            f"FROM TX WINDOW TUMBLING (SIZE 1 MINUTE, GRACE PERIOD 1 MINUTE) GROUP BY CARD EMIT FINAL;",
            records,
            "EMIT FINAL CTAS",
        )
        return {
            "rss_before_query_mb": round(rss_before / 1024, 1),
            "peak_rss_mb": round(_rss_kb("VmHWM") / 1024, 1),
            "seconds": round(seconds, 2),
        }
    finally:
        engine.close()


def run(
    bootstrap: str,
    records: int,
    cards: int,
    n_users: int,
    final_keys: int,
    repeat: int,
    final_sizes: tuple[int, ...] = (),
) -> dict[str, object]:
    config = KafkaConfig(bootstrap_servers=bootstrap)
    tag = uuid.uuid4().hex[:6]
    tx, left, users, final_src = (f"bench-{n}-{tag}" for n in ("tx", "txt", "users", "final"))
    for topic in (tx, left, users, final_src):
        create_topic(config, topic)
    lines = creditcard_lines(records)
    base = _base_ms(records)
    produce(config, tx, card_records(lines, cards, seed=7), "transactions")
    # users first in event time, so every transaction row finds its user
    produce(
        config,
        users,
        [(f"user-{i}".encode(), json.dumps({"REGION": f"region-{i % 7}"}).encode(), base - 1000) for i in range(n_users)],
        "users",
    )
    produce(
        config,
        left,
        [(f"tx-{i}".encode(), f"user-{i % n_users},".encode() + line, base + i * STEP_MS) for i, line in enumerate(lines)],
        "transaction rows",
    )
    produce(config, final_src, card_records(lines, final_keys, seed=11), "transactions (EMIT FINAL)")
    del lines

    load_before = os.getloadavg()
    copies_tx, copies_left, sessions, joins, outputs = [], [], [], [], []
    session_outputs: list[int] = []
    for _ in range(repeat):
        copies_tx.append(raw_copy(config, tx, records))
        copies_left.append(raw_copy(config, left, records))
        seconds, session_topic = session(bootstrap, tx, records)
        sessions.append(seconds)
        session_outputs.append(sink_records(config, session_topic))
        seconds, out_topic = fk_join(bootstrap, left, users, records, n_users)
        joins.append(seconds)
        outputs.append(count_outputs(config, out_topic, records))
    finals = []
    for size in sorted({min(n, records) for n in final_sizes} | {records}):
        child = subprocess.run(
            [sys.executable, __file__, "--emit-final-child", bootstrap, final_src, str(size)],
            check=True,
            capture_output=True,
            text=True,
        )
        finals.append({"records": size, **json.loads(child.stdout.strip().splitlines()[-1])})
    final = finals[-1]
    load_after = os.getloadavg()

    session_rate = records / median(sessions)
    join_rate = records / median(joins)
    copy_tx_rate = records / median(copies_tx)
    copy_left_rate = records / median(copies_left)
    return {
        "benchmark": "ksql_session_fk",
        "records": records,
        "cards": cards,
        "users": n_users,
        "repeat": repeat,
        "session": {
            "query": "WINDOW SESSION (20 MINUTES) COUNT(*) + SUM(Amount) GROUP BY card, DELIMITED -> JSON",
            "records_per_s": round(session_rate),
            "raw_copy_records_per_s": round(copy_tx_rate),
            "ratio_to_raw_copy": round(session_rate / copy_tx_rate, 3),
            "meets_target": session_rate / copy_tx_rate >= TARGET_RATIO,
            "seconds_all": [round(s, 2) for s in sessions],
            "copy_seconds_all": [round(s, 2) for s in copies_tx],
            "outputs_all": session_outputs,
            "outputs_per_input": round(median([float(n) for n in session_outputs]) / records, 3),
        },
        "foreign_key_join": {
            "query": "table-table JOIN on the left table's USERID column = USERS key, DELIMITED + JSON -> JSON",
            "records_per_s": round(join_rate),
            "raw_copy_records_per_s": round(copy_left_rate),
            "ratio_to_raw_copy": round(join_rate / copy_left_rate, 3),
            "meets_target": join_rate / copy_left_rate >= TARGET_RATIO,
            "seconds_all": [round(s, 2) for s in joins],
            "copy_seconds_all": [round(s, 2) for s in copies_left],
            "outputs_and_outputs_with_user_all": outputs,
        },
        "emit_final": {
            "query": "WINDOW TUMBLING (SIZE 1 MINUTE, GRACE PERIOD 1 MINUTE) COUNT + SUM GROUP BY card EMIT FINAL",
            "keys": final_keys,
            **final,
            # the same query over the first N records of the same topic (same keys): bounded state means
            # the peak does not grow with N
            "by_records": finals,
        },
        "target_ratio_to_raw_copy": TARGET_RATIO,
        # every query runs with the server's defaults, ksqlDB's (record cache on): what users run
        "streams_config": {**streams_config(), "source": "ksqlDB server defaults (KsqlConfig)"},
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_after],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--cards", type=int, default=10_000, help="distinct cards of the session aggregation")
    parser.add_argument("--users", type=int, default=10_000, help="rows of the join's right table")
    parser.add_argument("--final-keys", type=int, default=100_000, help="distinct cards of the EMIT FINAL run")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument(
        "--final-sizes", default="", help="also run EMIT FINAL over the first N records, e.g. 200000,500000"
    )
    parser.add_argument("--bootstrap-servers", default=None)
    parser.add_argument("--emit-final-child", nargs=3, metavar=("BOOTSTRAP", "TOPIC", "RECORDS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.emit_final_child:
        bootstrap, topic, records = args.emit_final_child
        print(json.dumps(emit_final_child(bootstrap, topic, int(records))))
        return
    with embedded_stack(args.bootstrap_servers) as stack:
        bootstrap = stack if isinstance(stack, str) else stack.bootstrap_servers
        gc_policy.apply()  # the engine runs in this process: the server's garbage-collector policy (ksqlserver.cli)
        sizes = tuple(int(x) for x in args.final_sizes.split(",") if x.strip())
        result = run(bootstrap, args.records, args.cards, args.users, args.final_keys, args.repeat, sizes)
        print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
