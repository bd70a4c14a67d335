"""GROUP BY on a non-key column of a multi-partition stream goes through a repartition topic first, so a
group's records meet in one partition (and, in a scale-out, at one server); results are unchanged."""

from __future__ import annotations

import json

from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.plan.repartition import repartition_topic

EARLIEST = {"ksql.streams.auto.offset.reset": "earliest"}
CARDS = ["c1", "c2", "c3", "c4", "c5"]


def _engine(partitions: int) -> tuple[Engine, MemoryDriver]:
    driver = MemoryDriver()
    driver.create_topic("tx", partitions=partitions)
    engine = Engine(
        EngineConfig(service_id="rp_", synchronous=True, properties=EARLIEST, command_topic=False), driver
    )
    engine.execute(
        "CREATE STREAM TX (ID STRING KEY, CARD STRING, AMOUNT DOUBLE) "
        "WITH (KAFKA_TOPIC='tx', VALUE_FORMAT='JSON');"
    )
    # every card's transactions spread over every partition of the source
    rows = [
        Record(f"t{i}".encode(), json.dumps({"CARD": CARDS[i % 5], "AMOUNT": i * 1.5}).encode(), 1_000 + i,
               i % partitions)
        for i in range(200)
    ]  # fmt: skip
    rows.append(Record(b"bad", b"{not json", 5_000, 0))  # to the processing log, once
    driver.produce("tx", rows)
    return engine, driver


def _final(driver: MemoryDriver, topic: str) -> dict[str, dict[str, object]]:
    out: dict[str, dict[str, object]] = {}
    for r in driver.records(topic):
        out[r.key.decode()] = json.loads(r.value)
    return out


def test_non_key_group_by_goes_through_a_repartition_topic() -> None:
    engine, driver = _engine(3)
    engine.execute("CREATE TABLE BY_CARD AS SELECT CARD, COUNT(*) AS N, SUM(AMOUNT) AS S FROM TX GROUP BY CARD;")
    engine.drain()
    (qid,) = engine.state.persistent
    internal = repartition_topic("rp_", qid)
    assert driver.topic(internal).partitions == 3
    staged = driver.records(internal)
    assert len(staged) == 201  # every source record, the malformed one included
    by_card: dict[str, set[int]] = {}
    for r in staged:
        if r.value != b"{not json":
            by_card.setdefault(json.loads(r.value)["CARD"], set()).add(r.partition)
    assert all(len(parts) == 1 for parts in by_card.values())  # a group's records share one partition
    assert len({p for parts in by_card.values() for p in parts}) > 1  # and groups are spread
    final = _final(driver, "BY_CARD")
    for k, card in enumerate(CARDS):
        amounts = [i * 1.5 for i in range(200) if i % 5 == k]
        assert final[card] == {"N": 40, "S": sum(amounts)}
    log = [json.loads(r.value) for r in driver.records("rp_ksql_processing_log")]
    assert sum(1 for m in log if m["message"].get("deserializationError")) == 1  # reported once

    # the same query over a one-partition copy gives the same table, without a repartition topic
    one, one_driver = _engine(1)
    one.execute("CREATE TABLE BY_CARD AS SELECT CARD, COUNT(*) AS N, SUM(AMOUNT) AS S FROM TX GROUP BY CARD;")
    one.drain()
    (qid1,) = one.state.persistent
    assert one_driver.topic(repartition_topic("rp_", qid1)) is None
    assert _final(one_driver, "BY_CARD") == final

    # TERMINATE stops both stages and deletes the internal topic (as ksqlDB cleans up a query)
    [entity] = engine.execute(f"TERMINATE {qid};")
    assert entity["commandStatus"]["status"] == "SUCCESS"
    assert not engine.state.persistent
    assert driver.topic(internal) is None
    driver.produce("tx", [Record(b"late", json.dumps({"CARD": "c1", "AMOUNT": 1.0}).encode(), 9_000, 1)])
    engine.drain()
    assert driver.topic(internal) is None  # no stage recreated it
    assert _final(driver, "BY_CARD") == final


def test_grouping_by_the_key_or_a_table_needs_no_repartition() -> None:
    engine, driver = _engine(3)
    engine.execute("CREATE TABLE BY_ID AS SELECT ID, COUNT(*) AS N FROM TX GROUP BY ID;")
    engine.execute("CREATE TABLE T (ID STRING PRIMARY KEY, CARD STRING) WITH (KAFKA_TOPIC='tx', VALUE_FORMAT='JSON');")
    engine.execute("CREATE TABLE T_BY_CARD AS SELECT CARD, COUNT(*) AS N FROM T GROUP BY CARD;")
    engine.drain()
    assert not [t for t in driver.topics() if t.endswith("-GroupBy-repartition")]
