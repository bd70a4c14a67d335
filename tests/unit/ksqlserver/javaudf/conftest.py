"""Helpers of the ported ksqlDB 0.29 built-in function unit tests (ksqldb-engine/src/test/java/io/confluent/
ksql/function/udf/): `call` runs a function's resolved implementation directly, as the Java tests call the UDF
class; `udf.select` runs expressions through the engine over a one-row stream on the memory driver, so argument
coercion, the result type and the processing log are covered too; `select` (the string, URL and JSON
modules) runs one projection the same way and gives the output row by column name."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from ksqlserver.catalog.types import SqlType
from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.functions import default_registry

PROPS = {"ksql.streams.auto.offset.reset": "earliest"}
LOG_TOPIC = "udf_ksql_processing_log"


def _call(name: str, types: list[SqlType | None], *args: Any) -> Any:
    return default_registry().require(name).resolve_call(types).impl(*args)


@pytest.fixture
def call() -> Callable[..., Any]:
    """The implementation ksqlDB's UdfIndex picks for these argument types, called with these values."""
    return _call


@dataclass
class Selected:
    values: list[Any]  # JSON values of the output row, one per expression
    types: list[str]  # SQL types of the output columns
    errors: list[str]  # processing-log messages (error message, then causes) this row wrote

    @property
    def value(self) -> Any:
        return self.values[0]

    @property
    def type(self) -> str:
        return self.types[0]


def _typed(v: Any, sql_type: str) -> Any:
    if sql_type == "DOUBLE" and isinstance(v, str | Decimal):
        return float(v)
    if sql_type.startswith("DECIMAL") and isinstance(v, int):
        return Decimal(v)
    return v


class Udf:
    """One engine; each select creates its own input stream and sink."""

    def __init__(self, engine: Engine, driver: MemoryDriver) -> None:
        self.engine = engine
        self.driver = driver
        self.n = 0
        self.logged = 0

    def select(self, *exprs: str, columns: str = "X INT", row: dict[str, Any] | None = None) -> Selected:
        self.n += 1
        n = self.n
        self.driver.create_topic(f"in{n}", partitions=1)
        self.engine.execute(
            f"CREATE STREAM IN{n} (ID STRING KEY, {columns}) WITH (KAFKA_TOPIC='in{n}', VALUE_FORMAT='JSON');"
        )
        cols = ", ".join(f"{e} AS C{i}" for i, e in enumerate(exprs))
        self.engine.execute(f"CREATE STREAM OUT{n} AS SELECT ID, {cols} FROM IN{n};")
        self.driver.produce(f"in{n}", [Record(b"k", json.dumps(row or {}).encode(), 1000)])
        self.engine.drain()
        recs = self.driver.records(f"OUT{n}")
        assert len(recs) == 1
        out = json.loads(recs[0].value, parse_float=Decimal)  # DECIMAL values keep their scale
        schema = self.engine.state.metastore.require(f"OUT{n}").schema
        types = [str(schema.find(f"C{i}").type) for i in range(len(exprs))]  # type: ignore[union-attr]
        values = [out[f"C{i}"] for i in range(len(exprs))]
        # Jackson writes non-finite doubles as the strings "NaN", "Infinity", "-Infinity"
        values = [_typed(v, t) for v, t in zip(values, types, strict=True)]
        return Selected(values, types, self._new_errors())

    def _new_errors(self) -> list[str]:
        recs = self.driver.records(LOG_TOPIC) if LOG_TOPIC in self.driver.topics() else []
        out = []
        for r in recs[self.logged:]:
            err = json.loads(r.value)["message"].get("recordProcessingError")
            if err:
                out.append("\n".join([err["errorMessage"], *err["cause"]]))
        self.logged = len(recs)
        return out


@pytest.fixture
def udf() -> Iterator[Udf]:
    d = MemoryDriver()
    # the Java unit tests run no SchemaRegisterInjector
    e = Engine(EngineConfig(service_id="udf_", synchronous=True, properties=PROPS, schema_register_injector=False), d)
    yield Udf(e, d)
    e.close()


@dataclass
class SelectedRow:
    value: dict[str, Any]
    types: dict[str, str]
    errors: list[str]


def run_select(projection: str, columns: str = "C STRING", row: dict[str, Any] | None = None) -> SelectedRow:
    """`CREATE STREAM O AS SELECT <projection> FROM S` over one JSON row of S (ID STRING KEY, <columns>):
    the output value, its column types and the processing-log error messages."""
    d = MemoryDriver()
    d.create_topic("s", partitions=1)
    # the Java unit tests run no SchemaRegisterInjector
    e = Engine(EngineConfig(service_id="ju_", synchronous=True, properties=PROPS, schema_register_injector=False), d)
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
        return SelectedRow(out[0], types, errors)
    finally:
        e.close()


@pytest.fixture
def select() -> Callable[..., SelectedRow]:
    return run_select
