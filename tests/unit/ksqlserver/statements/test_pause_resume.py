"""PAUSE / RESUME of persistent queries: nothing is read while paused, the query goes on where it stopped."""

from __future__ import annotations

import json
import struct
from collections.abc import Iterator

import pytest

from ksqlserver.config import EngineConfig
from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine
from ksqlserver.errors import KsqlError


@pytest.fixture
def engine() -> Iterator[Engine]:
    config = EngineConfig(
        synchronous=True,
        processing_log=False,
        command_topic=False,
        properties={"ksql.streams.auto.offset.reset": "earliest"},
    )
    e = Engine(config, MemoryDriver())
    e.execute("CREATE STREAM s (id INT KEY, a INT) WITH (kafka_topic='s', partitions=1, value_format='JSON');")
    e.execute("CREATE STREAM out AS SELECT * FROM s;")
    yield e
    e.close()


def _state(engine: Engine) -> str:
    [q] = engine.execute("SHOW QUERIES;")[0]["queries"]
    return str(q["state"])


def test_a_paused_query_reads_nothing_until_resumed(engine: Engine) -> None:
    [qid] = list(engine.state.persistent)
    [paused] = engine.execute(f"PAUSE {qid};")
    assert paused["commandId"] == f"pause/{qid}/execute"
    assert paused["commandStatus"]["message"] == "Query paused."
    assert _state(engine) == "PAUSED"
    engine.execute("INSERT INTO s (id, a) VALUES (1, 1);")
    engine.drain()
    assert engine.driver.records("OUT") == []
    [resumed] = engine.execute("RESUME ALL;")
    assert resumed["commandId"] == "resume/ALL/execute" and resumed["commandStatus"]["message"] == "Query resumed."
    engine.drain()
    assert len(engine.driver.records("OUT")) == 1 and _state(engine) == "RUNNING"


def test_unknown_ids_are_refused_and_transient_ones_ignored(engine: Engine) -> None:
    with pytest.raises(KsqlError) as e:
        engine.execute("PAUSE CSAS_NOPE_9;")
    assert e.value.message == "Unknown queryId: CSAS_NOPE_9"
    assert engine.execute("RESUME transient_S_123;")[0]["commandStatus"]["message"] == "Query resumed."


def _produce(engine: Engine, n: int) -> None:
    """A record on the source table's topic (INSERT VALUES refuses a source table: it is read-only)."""
    engine.driver.produce("t", [Record(struct.pack(">i", n), json.dumps({"A": n}).encode(), n)])


def _source_table_rows(engine: Engine) -> list[list[object]]:
    q = engine.start_query("SELECT * FROM T;")
    try:
        rows: list[list[object]] = []
        while not q.done:
            rows.extend(q.poll(0.2))
        return rows
    finally:
        q.close()


def test_a_source_tables_query_pauses_and_resumes_with_all_only(engine: Engine) -> None:
    """ValidatedCommandFactory.createForPauseQuery / createForResumeQuery: a CST_ query named by id is
    refused ("Cannot pause query '...' because it is linked to a source table."); PAUSE ALL / RESUME ALL
    (getPersistentQueries, CST_ queries among them) pause and resume it: while paused its state stops
    following the topic (KafkaStreams.pause), so a pull query answers what it held at PAUSE, and SHOW
    QUERIES / EXPLAIN show PAUSED."""
    engine.execute(
        "CREATE SOURCE TABLE t (id INT PRIMARY KEY, a INT) WITH (kafka_topic='t', partitions=1, value_format='JSON');"
    )
    cst = engine.state.source_tables["T"].query_id
    _produce(engine, 1)
    assert _source_table_rows(engine) == [[1, 1]]
    for verb in ("PAUSE", "RESUME"):
        with pytest.raises(KsqlError) as e:
            engine.execute(f"{verb} {cst};")
        assert e.value.message == f"Cannot {verb.lower()} query '{cst}' because it is linked to a source table."
    [paused] = engine.execute("PAUSE ALL;")
    assert paused["commandStatus"]["message"] == "Query paused."
    states = {q["id"]: q["state"] for q in engine.execute("SHOW QUERIES;")[0]["queries"]}
    assert states[cst] == "PAUSED" and set(states.values()) == {"PAUSED"}
    assert engine.execute(f"EXPLAIN {cst};")[0]["queryDescription"]["state"] == "PAUSED"
    _produce(engine, 2)
    assert _source_table_rows(engine) == [[1, 1]]
    engine.execute("RESUME ALL;")
    states = {q["id"]: q["state"] for q in engine.execute("SHOW QUERIES;")[0]["queries"]}
    assert set(states.values()) == {"RUNNING"}
    assert _source_table_rows(engine) == [[1, 1], [2, 2]]
