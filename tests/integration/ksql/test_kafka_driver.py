"""The engine over a real broker: a CSAS produces every row and commits its offsets after producing."""

from __future__ import annotations

import time
import uuid

from confluent_kafka import Consumer

from ksqlserver.drivers.base import Record
from ksqlserver.drivers.kafka import KafkaDriver
from ksqlserver.engine import Engine, EngineConfig

ROWS = 2_000


def _read_all(bootstrap: str, topic: str, expected: int, timeout_s: float = 60.0) -> list:
    c = Consumer(
        {
            "bootstrap.servers": bootstrap,
            "group.id": f"reader-{uuid.uuid4().hex}",
            "auto.offset.reset": "earliest",
            "enable.auto.commit": False,
        }
    )
    c.subscribe([topic])
    out: list = []
    deadline = time.monotonic() + timeout_s
    try:
        while len(out) < expected and time.monotonic() < deadline:
            out += [m for m in c.consume(num_messages=1000, timeout=0.5) if m.error() is None]
    finally:
        c.close()
    return out


def test_csas_over_kafka_produces_every_row_and_commits(bootstrap_servers: str) -> None:
    suffix = uuid.uuid4().hex[:8]
    source_topic, sink = f"tx_{suffix}", f"BIG_{suffix.upper()}"
    service_id = f"it_{suffix}_"
    driver = KafkaDriver(bootstrap_servers)
    driver.create_topic(source_topic, partitions=2)
    rows = [Record(str(i).encode(), f"{i},user{i % 7},{i * 1.5}".encode(), 1_000 + i) for i in range(ROWS)]
    rows.append(Record(b"bad", b"not,a,number,too-many", 5))  # goes to the processing log, query goes on
    driver.produce(source_topic, rows)

    engine = Engine(
        EngineConfig(service_id=service_id, properties={"ksql.streams.auto.offset.reset": "earliest"}), driver
    )
    try:
        engine.execute(
            f"CREATE STREAM TX_{suffix} (K STRING KEY, ID BIGINT, NAME STRING, AMOUNT DOUBLE) "
            f"WITH (KAFKA_TOPIC='{source_topic}', VALUE_FORMAT='DELIMITED');"
        )
        created = engine.execute(
            f"CREATE STREAM {sink} WITH (VALUE_FORMAT='JSON') AS SELECT K, ID, "
            f"AMOUNT * 2 AS DOUBLED FROM TX_{suffix} WHERE ID % 2 = 0;"
        )
        query_id = created[0]["commandStatus"]["queryId"]
        # a server numbers by command offset: processing log stream 0, TX 2, this CSAS 4 -> 4 - 1
        assert query_id == f"CSAS_{sink}_3"

        out = _read_all(bootstrap_servers, sink, ROWS // 2)
        assert len(out) == ROWS // 2
        ids = sorted(int(m.key()) for m in out)
        assert ids == list(range(0, ROWS, 2))
        sample = next(m for m in out if m.key() == b"10")
        assert sample.value() == b'{"ID":10,"DOUBLED":30.0}'
        assert sample.timestamp()[1] == 1_010

        group = f"_confluent-ksql-{service_id}query_{query_id}"
        deadline = time.monotonic() + 30
        committed = driver.committed(group, source_topic)
        while committed != ROWS + 1 and time.monotonic() < deadline:
            time.sleep(0.5)
            committed = driver.committed(group, source_topic)
        assert committed == ROWS + 1  # every input, including the malformed one, is accounted for

        log_records = _read_all(bootstrap_servers, f"{service_id}ksql_processing_log", 1)
        assert log_records and b"deserializationError" in log_records[0].value()
    finally:
        engine.close()


def test_consumer_records_built_in_c_equal_the_python_ones(bootstrap_servers: str) -> None:
    """poll_batch's C path (drivers/kafka/_records.c `records`) gives exactly the Records of its Python loop:
    keys, values, timestamps, partitions, offsets, headers and topic; driver.produce keeps them."""
    import ksqlserver.drivers.kafka.records as kafka_driver

    assert kafka_driver._native is not None, "the C helpers did not build"
    topic = f"records_{uuid.uuid4().hex[:8]}"
    driver = KafkaDriver(bootstrap_servers)
    driver.create_topic(topic, partitions=2)
    sent = [
        Record(
            None if i % 3 == 0 else f"k{i}".encode(),
            None if i % 11 == 0 else f"v{i}".encode(),
            1_000 + i,
            headers=(("h", b"x"), ("n", None)) if i % 7 == 0 else (),
        )
        for i in range(3_000)
    ]
    driver.produce(topic, sent)

    def read(native: bool) -> list[Record]:
        saved = kafka_driver._native
        kafka_driver._native = saved if native else None
        try:
            consumer = driver.consumer([topic], f"g-{uuid.uuid4().hex[:8]}", True)
            out: list[Record] = []
            deadline = time.monotonic() + 60
            while len(out) < len(sent) and time.monotonic() < deadline:
                out += consumer.poll_batch(500, 0.5)
            consumer.close()
            return sorted(out, key=lambda r: (r.partition, r.offset))
        finally:
            kafka_driver._native = saved

    fast, slow = read(True), read(False)
    assert len(fast) == len(sent)
    assert fast == slow
    assert all(type(r) is Record and r.topic == topic for r in fast)
    by_ts = {r.timestamp: r for r in fast}
    for s in sent:
        got = by_ts[s.timestamp]
        assert (got.key, got.value, got.headers) == (s.key, s.value, s.headers)


def test_produce_from_c_keeps_every_record_through_a_full_local_queue(bootstrap_servers: str) -> None:
    """driver.produce's C loop (drivers/kafka/_records.c `produce_records`) against a 50-message local queue:
    BufferError hands back to Python, which polls and resumes at that record; every record arrives once,
    in order per partition, with its key, value, timestamp, headers and (kept) partition."""
    import ksqlserver.drivers.kafka.records as kafka_driver
    from ksqlserver.drivers.kafka import KafkaDriverConfig

    assert kafka_driver._native is not None, "the C helpers did not build"
    topic = f"produce_{uuid.uuid4().hex[:8]}"
    driver = KafkaDriver(KafkaDriverConfig(bootstrap_servers, queue_max_messages=50, linger_ms=1))
    driver.create_topic(topic, partitions=3)
    sent = [
        Record(f"k{i}".encode(), f"v{i}".encode(), 5_000 + i, i % 3, headers=(("h", b"1"),) if i % 5 == 0 else ())
        for i in range(3_000)
    ]
    driver.produce(topic, sent, keep_partition=True)
    got = _read_all(bootstrap_servers, topic, len(sent), timeout_s=180)
    assert len(got) == len(sent)
    by_value = {m.value(): m for m in got}
    for r in sent:
        m = by_value[r.value]
        assert (m.key(), m.timestamp()[1], m.partition(), tuple(m.headers() or ())) == (
            r.key, r.timestamp, r.partition, r.headers
        )  # fmt: skip
    for p in range(3):  # per partition, in the order produced
        values = [m.value() for m in sorted((m for m in got if m.partition() == p), key=lambda m: m.offset())]
        assert values == [r.value for r in sent if r.partition == p]


def test_a_caught_up_tail_answers_without_waiting_behind_its_fetch(bootstrap_servers: str) -> None:
    """A table pull query catches its view up with `tail.read(0.0)`: once at the end, that is an offsets
    request and nothing else. Asked on the reading client it queued behind the idle long-poll fetch on the
    same broker connection (fetch.wait.max.ms, 500 ms) and every lookup took half a second."""
    topic = f"tail_{uuid.uuid4().hex[:8]}"
    driver = KafkaDriver(bootstrap_servers)
    driver.create_topic(topic, partitions=2)
    driver.produce(topic, [Record(f"k{i}".encode(), f"v{i}".encode(), 1_000 + i) for i in range(100)])
    tail = driver.tail(topic)
    try:
        got: list[Record] = []
        deadline = time.monotonic() + 60
        while len(got) < 100 and time.monotonic() < deadline:
            got += tail.read(0.0)
        assert sorted(r.value for r in got) == sorted(f"v{i}".encode() for i in range(100))
        seconds = []
        for _ in range(7):
            started = time.monotonic()
            assert tail.read(0.0) == []
            seconds.append(time.monotonic() - started)
        assert sorted(seconds)[3] < 0.25, f"caught-up reads took {seconds} s"
    finally:
        tail.close()
