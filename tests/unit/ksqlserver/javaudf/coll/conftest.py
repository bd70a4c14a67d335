"""Fixture of the ported ksqlDB 0.29 collection/lambda UDF tests (io.confluent.ksql.function.udf.array,
.list, .map, .lambda and AsValue): a SELECT over a one-row stream on the memory driver, which covers
argument coercion and the declared result type (the modules also call the registry's implementations)."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig

PROPS = {"ksql.streams.auto.offset.reset": "earliest"}


class OneRow:
    """`SELECT <exprs> FROM S` over one record of a fresh stream: the values, their SQL types, and the
    processing-log messages the row wrote (a UDF that throws: null value plus a log entry)."""

    def __init__(self, engine: Engine, driver: MemoryDriver) -> None:
        self.engine, self.driver = engine, driver
        self._n = itertools.count()
        self.types: list[str] = []
        self.log: list[str] = []

    def select(self, *exprs: str, columns: str = "", row: dict[str, Any] | None = None) -> list[Any]:
        n = next(self._n)
        topic = f"in{n}"
        self.driver.create_topic(topic, partitions=1)
        cols = f", {columns}" if columns else ""
        self.engine.execute(
            f"CREATE STREAM S{n} (ID STRING KEY, DUMMY INT{cols}) WITH (KAFKA_TOPIC='{topic}', VALUE_FORMAT='JSON');"
        )
        projection = ", ".join(f"{e} AS C{i}" for i, e in enumerate(exprs))
        self.engine.execute(f"CREATE STREAM O{n} AS SELECT ID, {projection} FROM S{n};")
        logged = len(self.driver.records("udf_ksql_processing_log"))
        self.driver.produce(topic, [Record(b"k", json.dumps(row or {"DUMMY": 0}).encode(), 100)])
        self.engine.drain()
        out = self.driver.records(f"O{n}")
        assert len(out) == 1
        value = json.loads(out[0].value, parse_float=Decimal)
        schema = self.engine.state.metastore.require(f"O{n}").schema
        self.types = [str(schema.find(f"C{i}").type) for i in range(len(exprs))]  # type: ignore[union-attr]
        self.log = []
        for r in self.driver.records("udf_ksql_processing_log")[logged:]:
            err = json.loads(r.value)["message"].get("recordProcessingError")
            if err:
                self.log.append("\n".join([err["errorMessage"], *err["cause"]]))
        return [value[f"C{i}"] for i in range(len(exprs))]

    def one(self, expr: str, columns: str = "", row: dict[str, Any] | None = None) -> Any:
        return self.select(expr, columns=columns, row=row)[0]


@pytest.fixture
def sql() -> Iterator[OneRow]:
    d = MemoryDriver()
    # the Java unit tests run no SchemaRegisterInjector
    e = Engine(EngineConfig(service_id="udf_", synchronous=True, properties=PROPS, schema_register_injector=False), d)
    yield OneRow(e, d)
    e.close()
