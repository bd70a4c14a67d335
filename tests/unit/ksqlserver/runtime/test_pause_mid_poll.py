"""PAUSE arriving while a query waits in its poll: the batch the poll returns is neither processed nor
committed until RESUME, as nothing is processed once KafkaStreams.pause() has returned (ksqlDB's
PauseResumeIntegrationTest produces right after PAUSE and expects the paused sink unchanged)."""

from __future__ import annotations

from typing import Any

from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig


def test_a_batch_polled_as_pause_comes_waits_for_resume() -> None:
    driver = MemoryDriver()
    engine = Engine(EngineConfig(service_id="p_", synchronous=True,
                                 properties={"ksql.streams.auto.offset.reset": "earliest"}), driver)
    try:
        engine.execute("CREATE STREAM S (K STRING KEY, V INT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, VALUE_FORMAT='JSON');")
        engine.execute("CREATE STREAM OUT AS SELECT K, V FROM S;")
        [query] = engine.state.persistent.values()
        poll = query.consumer.poll_batch

        def poll_then_pause(max_records: int, timeout: float) -> list[Any]:
            records = poll(max_records, timeout)
            query.pause()  # PAUSE lands while the poll waited
            return records

        query.consumer.poll_batch = poll_then_pause  # type: ignore[method-assign]
        driver.produce("s", [Record(b"a", b'{"V": 1}', 1), Record(b"b", b'{"V": 2}', 2)])
        assert query.step(0.0) == 0
        assert driver.records("OUT") == []
        assert query.state == "PAUSED"
        query.consumer.poll_batch = poll  # type: ignore[method-assign]
        query.resume()
        assert query.step(0.0) == 2
        assert [r.key for r in driver.records("OUT")] == [b"a", b"b"]
    finally:
        engine.close()
