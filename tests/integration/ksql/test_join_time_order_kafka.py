"""Over a real broker, a stream-stream join reads its two topics through the timestamp-ordered merge: a big
topic of scores spanning two days of event time and a small topic of labels that arrive up to 12 hours
after their transactions, both written before the join starts, join completely and once, and the
query's group commits every input record. (Which topic librdkafka fetches first is up to it, so the
fetch order that lost matches before the merge is reproduced deterministically in
tests/unit/ksqlserver/drivers/test_kafka_merge.py; notebook 05's join lost 10 % of its labels that way.)"""

from __future__ import annotations

import json
import random
import time
import uuid

from confluent_kafka import Consumer

from ksqlserver.drivers.base import Record
from ksqlserver.drivers.kafka import KafkaDriver
from ksqlserver.engine import Engine, EngineConfig

SCORES = 12_000
HOUR_MS = 3_600_000
START_MS = 1_700_000_000_000


def _count(bootstrap: str, topic: str, expected: int, timeout_s: float = 120.0) -> int:
    c = Consumer({"bootstrap.servers": bootstrap, "group.id": f"reader-{uuid.uuid4().hex}",
                  "auto.offset.reset": "earliest", "enable.auto.commit": False})
    c.subscribe([topic])
    seen: set[bytes] = set()
    deadline = time.monotonic() + timeout_s
    quiet_until = None
    try:
        while time.monotonic() < deadline:
            msgs = [m for m in c.consume(num_messages=5000, timeout=0.5) if m.error() is None]
            seen.update(m.value() for m in msgs)
            if len(seen) >= expected:
                # a few more seconds: duplicates or extra rows would show up here
                quiet_until = quiet_until or time.monotonic() + 3
                if time.monotonic() > quiet_until:
                    break
    finally:
        c.close()
    return len(seen)


def test_a_stream_stream_join_reads_its_topics_in_timestamp_order(bootstrap_servers: str) -> None:
    suffix = uuid.uuid4().hex[:8]
    scores, labels, sink = f"tos_{suffix}", f"tol_{suffix}", f"SCORED_LABELLED_{suffix.upper()}"
    driver = KafkaDriver(bootstrap_servers)
    driver.create_topic(scores, partitions=1)
    driver.create_topic(labels, partitions=1)
    rng = random.Random(7)
    span = 48 * HOUR_MS
    score_ts = [START_MS + i * span // SCORES for i in range(SCORES)]
    pad = "x" * 600  # several MB of scores: many fetches, against one for the labels
    driver.produce(scores, [Record(None, json.dumps({"ID": i, "SCORE": i / SCORES, "PAD": pad}).encode(), ts)
                            for i, ts in enumerate(score_ts)])
    arrivals = sorted((ts + rng.randrange(HOUR_MS // 6, 12 * HOUR_MS), i) for i, ts in enumerate(score_ts))
    driver.produce(labels, [Record(None, json.dumps({"ID": i, "CLASS": i % 2}).encode(), at) for at, i in arrivals])
    engine = Engine(EngineConfig(service_id=f"to_{suffix}_",
                                 properties={"ksql.streams.auto.offset.reset": "earliest"}), driver)
    try:
        engine.execute(f"CREATE STREAM S (ID BIGINT, SCORE DOUBLE, PAD STRING) "
                       f"WITH (KAFKA_TOPIC='{scores}', VALUE_FORMAT='JSON');")
        engine.execute(f"CREATE STREAM L (ID BIGINT, CLASS INT) WITH (KAFKA_TOPIC='{labels}', VALUE_FORMAT='JSON');")
        engine.execute(f"CREATE STREAM {sink} WITH (KAFKA_TOPIC='{sink}', VALUE_FORMAT='JSON') AS "
                       f"SELECT S.ID AS ID, S.SCORE AS SCORE, L.CLASS AS CLASS "
                       f"FROM S JOIN L WITHIN 1 DAYS ON S.ID = L.ID EMIT CHANGES;")
        # every label is within 12 h of its score: all of them join, once
        assert _count(bootstrap_servers, sink, SCORES) == SCORES
        [query] = [q for q in engine.execute("SHOW QUERIES;")[0]["queries"] if sink in q["sinks"]]
        group = f"_confluent-ksql-to_{suffix}_query_{query['id']}"
        deadline = time.monotonic() + 30
        while (driver.committed(group, scores), driver.committed(group, labels)) != (SCORES, SCORES) \
                and time.monotonic() < deadline:
            time.sleep(0.5)
        assert (driver.committed(group, scores), driver.committed(group, labels)) == (SCORES, SCORES)
    finally:
        engine.close()
