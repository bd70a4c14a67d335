"""PAUSE / RESUME of persistent queries: nothing is read while paused, the query goes on where it stopped."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ksqlserver.config import EngineConfig
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
