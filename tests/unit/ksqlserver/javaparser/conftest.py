"""Fixtures of the ported ksqldb-parser unit tests: an in-memory engine with one JSON stream, ORDERS, over
topic 'orders' (the WITH-clause tests run their statements through it, as a client would see them)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.errors import KsqlError


@pytest.fixture
def engine() -> Iterator[Engine]:
    d = MemoryDriver()
    for t in ("orders", "foo"):
        d.create_topic(t, partitions=1)
    e = Engine(EngineConfig(service_id="x_", synchronous=True), d)
    e.execute("CREATE STREAM ORDERS (ID INT KEY, ITEMID STRING, V INT) WITH (KAFKA_TOPIC='orders', VALUE_FORMAT='JSON');")
    yield e
    e.close()


@pytest.fixture
def refused(engine: Engine) -> Callable[[str], KsqlError]:
    """The error a statement is refused with."""

    def run(sql: str) -> KsqlError:
        with pytest.raises(KsqlError) as info:
            engine.execute(sql)
        return info.value

    return run
