"""A stream joined on something other than its key, over a topic of several partitions, is re-keyed by its
join expression through ksqlDB's repartition topic first; the join reads that topic instead of the source,
so a join key meets its match under one key (hence one partition, one server); results are unchanged."""

from __future__ import annotations

import json

from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.plan.repartition import JOIN_KEY_HEADER

EARLIEST = {"ksql.streams.auto.offset.reset": "earliest"}
CARDS = ["c1", "c2", "c3", "c4", "c5"]
ENRICH = (
    "CREATE STREAM ENRICHED AS SELECT T.CARD, T.ID, C.OWNER, T.AMOUNT "
    "FROM TX T JOIN CARDS C ON T.CARD = C.CARD;"
)


def _engine(partitions: int, join_repartition: bool | None = True) -> tuple[Engine, MemoryDriver]:
    driver = MemoryDriver()
    driver.create_topic("tx", partitions=partitions)
    driver.create_topic("cards", partitions=partitions)
    config = EngineConfig(
        service_id="rp_",
        synchronous=True,
        properties=EARLIEST,
        command_topic=False,
        join_repartition=join_repartition,
    )
    engine = Engine(config, driver)
    engine.execute(
        "CREATE STREAM TX (ID STRING KEY, CARD STRING, AMOUNT DOUBLE) WITH (KAFKA_TOPIC='tx', VALUE_FORMAT='JSON');"
    )
    engine.execute(  # the same transactions, as a second stream to join with
        "CREATE STREAM TX2 (ID STRING KEY, CARD STRING, AMOUNT DOUBLE) "
        "WITH (KAFKA_TOPIC='tx', VALUE_FORMAT='JSON');"
    )
    engine.execute(
        "CREATE TABLE CARDS (CARD STRING PRIMARY KEY, OWNER STRING) "
        "WITH (KAFKA_TOPIC='cards', VALUE_FORMAT='JSON');"
    )
    driver.produce(
        "cards",
        [Record(c.encode(), json.dumps({"OWNER": f"o{k}"}).encode(), 10, k % partitions) for k, c in enumerate(CARDS)],
    )
    # every card's transactions spread over every partition of the stream, keyed by transaction id
    rows = [
        Record(f"t{i}".encode(), json.dumps({"CARD": CARDS[i % 5], "AMOUNT": i * 1.5}).encode(), 1_000 + i,
               i % partitions, 0, (("trace", f"h{i}".encode()),))
        for i in range(60)
    ]  # fmt: skip
    rows.append(Record(b"bad", b"{not json", 5_000, 0))  # to the processing log, once
    driver.produce("tx", rows)
    return engine, driver


def _output(driver: MemoryDriver, topic: str) -> list[tuple[bytes | None, dict[str, object], int, tuple]]:
    return [(r.key, json.loads(r.value), r.timestamp, r.headers) for r in driver.records(topic)]


def test_stream_table_join_on_a_value_column_reads_the_repartition_topic() -> None:
    engine, driver = _engine(3)
    engine.execute(ENRICH)
    engine.drain()
    (qid,) = engine.state.persistent
    internal = f"_confluent-ksql-rp_query_{qid}-Join-repartition"
    assert driver.topic(internal) is not None and driver.topic(internal).partitions == 3

    # the stage: every stream record (the malformed one too) keyed by its card as the table keys it
    staged = driver.records(internal)
    assert len(staged) == 61
    table_keys = {json.loads(r.value)["OWNER"]: r.key for r in driver.records("cards")}
    for r in staged:
        original = dict(r.headers)[JOIN_KEY_HEADER]
        if r.value == b"{not json":
            assert r.key is None and original == b"bad"
            continue
        card = json.loads(r.value)["CARD"]
        assert r.key == table_keys[f"o{CARDS.index(card)}"] == card.encode()
        assert original is not None and original.startswith(b"t")

    # the join consumed the repartition topic, not the source stream
    group = f"_confluent-ksql-rp_query_{qid}"
    assert driver.committed(group, internal) == 61
    assert driver.committed(group, "tx") is None

    out = _output(driver, "ENRICHED")
    assert len(out) == 60
    for key, value, ts, headers in out:
        i = ts - 1_000
        assert key == CARDS[i % 5].encode()
        assert value == {"ID": f"t{i}", "OWNER": f"o{i % 5}", "AMOUNT": i * 1.5}
        assert headers == (("trace", f"h{i}".encode()),)  # the source's headers, not the stage's
    log = [json.loads(r.value) for r in driver.records("rp_ksql_processing_log")]
    assert sum(1 for m in log if m["message"].get("deserializationError")) == 1

    # the same join over one partition, or with re-keying off: same output, no repartition topic
    for one, one_driver in (_engine(1), _engine(3, join_repartition=False)):
        one.execute(ENRICH)
        one.drain()
        assert not [t for t in one_driver.topics() if t.endswith("-repartition")]
        assert _output(one_driver, "ENRICHED") == out

    # TERMINATE stops the stage with the join and deletes its topic
    engine.execute(f"TERMINATE {qid};")
    assert driver.topic(internal) is None
    driver.produce("tx", [Record(b"late", json.dumps({"CARD": "c1", "AMOUNT": 1.0}).encode(), 9_000, 1)])
    engine.drain()
    assert len(driver.records("ENRICHED")) == 60


def test_in_memory_default_and_key_joins_need_no_repartition() -> None:
    engine, driver = _engine(3, join_repartition=None)  # the in-memory driver: off by default
    engine.execute(ENRICH)
    engine.drain()
    assert not [t for t in driver.topics() if t.endswith("-repartition")]
    assert len(driver.records("ENRICHED")) == 60

    keyed, keyed_driver = _engine(3)
    keyed.execute(
        "CREATE STREAM BY_ID AS SELECT A.ID, A.AMOUNT, B.AMOUNT AS B_AMOUNT "
        "FROM TX A JOIN TX2 B WITHIN 1 HOUR ON A.ID = B.ID;"
    )
    keyed.drain()
    assert not [t for t in keyed_driver.topics() if t.endswith("-repartition")]
    assert len(keyed_driver.records("BY_ID")) == 60


def test_stream_stream_join_re_keys_both_sides() -> None:
    engine, driver = _engine(3)
    engine.execute(
        "CREATE STREAM PAIRS AS SELECT A.CARD, A.ID AS A_ID, B.ID AS B_ID "
        "FROM TX A JOIN TX2 B WITHIN 1 HOUR ON A.CARD = B.CARD;"
    )
    engine.drain()
    (qid,) = engine.state.persistent
    prefix = f"_confluent-ksql-rp_query_{qid}-"
    for side in ("Join-left-repartition", "Join-right-repartition"):
        staged = driver.records(prefix + side)
        assert len(staged) == 61
        assert {r.key for r in staged} == {c.encode() for c in CARDS} | {None}
    pairs = {(json.loads(r.value)["A_ID"], json.loads(r.value)["B_ID"]) for r in driver.records("PAIRS")}
    # every transaction pairs with every one of its card (all within the hour), as without re-keying
    one, one_driver = _engine(1)
    one.execute(
        "CREATE STREAM PAIRS AS SELECT A.CARD, A.ID AS A_ID, B.ID AS B_ID "
        "FROM TX A JOIN TX2 B WITHIN 1 HOUR ON A.CARD = B.CARD;"
    )
    one.drain()
    expected = {(json.loads(r.value)["A_ID"], json.loads(r.value)["B_ID"]) for r in one_driver.records("PAIRS")}
    assert pairs == expected
    assert len(pairs) == 5 * 12 * 12
