"""Fixtures of the ported ksqlDB 0.29 built-in function unit tests (ksqldb-engine's function/udf tests):
a SELECT over a one-row stream on the memory driver, so argument coercion, the result type and the
processing log are covered too."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig

PROPS = {"ksql.streams.auto.offset.reset": "earliest"}


@dataclass
class Selected:
    value: dict[str, Any]
    types: dict[str, str]
    errors: list[str]


def run_select(projection: str, columns: str = "C STRING", row: dict[str, Any] | None = None) -> Selected:
    """`CREATE STREAM O AS SELECT <projection> FROM S` over one JSON row of S (ID STRING KEY, <columns>):
    the output value, its column types and the processing-log error messages."""
    d = MemoryDriver()
    d.create_topic("s", partitions=1)
    e = Engine(EngineConfig(service_id="ju_", synchronous=True, properties=PROPS), d)
    try:
        e.execute(f"CREATE STREAM S (ID STRING KEY, {columns}) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');")
        e.execute(f"CREATE STREAM O AS SELECT ID, {projection} FROM S;")
        d.produce("s", [Record(b"k", json.dumps(row or {}).encode(), 100)])
        e.drain()
        out = [json.loads(r.value) for r in d.records("O")]
        src = e.state.metastore.get("O")
        assert src is not None
        types = {c.name: str(c.type) for c in src.schema.value}
        errors = []
        for r in d.records("ju_ksql_processing_log"):
            err = json.loads(r.value)["message"].get("recordProcessingError")
            if err:
                errors.append("\n".join([err["errorMessage"], *err["cause"]]))
        return Selected(out[0], types, errors)
    finally:
        e.close()


@pytest.fixture
def select() -> Callable[..., Selected]:
    return run_select
