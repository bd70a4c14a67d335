"""ASSERT [NOT EXISTS] TOPIC / SCHEMA: entities when they hold, ksqlDB's 417 error at the timeout."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from ksqlserver.config import EngineConfig
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine
from ksqlserver.errors import KsqlAssertionError
from ksqlserver.formats.sr.client import MemoryRegistryClient, RegisteredSchema


@pytest.fixture
def engine() -> Iterator[Engine]:
    registry = MemoryRegistryClient()
    e = Engine(EngineConfig(synchronous=True, processing_log=False, command_topic=False), MemoryDriver(), registry)
    e.driver.create_topic("orders", 3, 1)
    yield e
    e.close()


def _fails(engine: Engine, sql: str) -> KsqlAssertionError:
    with pytest.raises(KsqlAssertionError) as e:
        engine.execute(sql)
    return e.value


def test_assert_topic(engine: Engine) -> None:
    [ok] = engine.execute("ASSERT TOPIC 'orders' WITH (PARTITIONS=3, REPLICAS=1);")
    assert ok == {
        "@type": "assert_topic", "statementText": "ASSERT TOPIC 'orders' WITH (PARTITIONS=3, REPLICAS=1);",
        "topicName": "orders", "exists": True, "warnings": [],
    }  # fmt: skip
    assert engine.execute("ASSERT NOT EXISTS TOPIC 'nope' TIMEOUT 0 SECONDS;")[0]["exists"] is False
    started = time.monotonic()
    err = _fails(engine, "ASSERT TOPIC 'nope' TIMEOUT 300 MILLISECONDS;")
    assert 0.2 < time.monotonic() - started < 2  # retried until the timeout
    assert err.message == "Topic nope does not exist" and err.error_code == 41700
    assert err.to_entity() == {"@type": "generic_error", "error_code": 41700, "message": "Topic nope does not exist"}
    err = _fails(engine, "ASSERT TOPIC 'orders' WITH (PARTITIONS=2, FOO=1) TIMEOUT 0 SECONDS;")
    assert err.message == (
        "Mismatched configuration for topic orders: For config partitions, expected 2 got 3\n"
        "Cannot assert unknown topic property: FOO"
    )
    assert _fails(engine, "ASSERT NOT EXISTS TOPIC 'orders' TIMEOUT 0 SECONDS;").message == "Topic orders exists"


def test_assert_schema(engine: Engine) -> None:
    registry = engine.state.schema_registry
    assert isinstance(registry, MemoryRegistryClient)
    schema_id = registry.register("orders-value", RegisteredSchema('{"type": "string"}', "AVRO"))
    assert engine.execute("ASSERT SCHEMA SUBJECT 'orders-value';")[0]["subject"] == "orders-value"
    [ok] = engine.execute(f"ASSERT SCHEMA SUBJECT 'orders-value' ID {schema_id};")
    assert (ok["@type"], ok["id"], ok["exists"]) == ("assert_schema", schema_id, True)
    err = _fails(engine, "ASSERT SCHEMA SUBJECT 'other-value' TIMEOUT 0 SECONDS;")
    assert err.message == "Schema with subject name other-value does not exist"
    err = _fails(engine, f"ASSERT NOT EXISTS SCHEMA ID {schema_id} TIMEOUT 0 SECONDS;")
    assert err.message == f"Schema with id {schema_id} exists"


def test_a_failing_assert_waits_out_its_whole_timeout() -> None:
    """AssertExecutor.execute: RetryUtil.retryWithBackoff(timeout / 100, 100, 100, check) runs the check once
    and retries timeout / 100 times, 100 ms apart: the error comes after the full TIMEOUT (RestApiTest.
    shouldTimeoutTheCorrectAmountOfTime), never a slice early."""
    engine = Engine(EngineConfig(service_id="t_", processing_log=False, command_topic=False), MemoryDriver())
    try:
        start = time.monotonic()
        with pytest.raises(KsqlAssertionError, match="Topic X does not exist"):
            engine.execute("ASSERT TOPIC X TIMEOUT 1 SECONDS;")
        assert 1.0 <= time.monotonic() - start < 1.6
    finally:
        engine.close()
