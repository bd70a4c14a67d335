"""Helpers of the ported ksqlDB 0.29 expression unit tests (ksqldb-execution/src/test/java/io/confluent/ksql/
execution/), also used by javacommon/: `ex.select` evaluates expressions through the engine over one JSON row
of a fresh stream on the memory driver (values, SQL types of the results, processing-log errors); `ex.refuse`
gives the message of a statement the engine refuses; `ex.run` / `ex.error` run any statement; `ex.push` gives a
transient query's rows over produced records."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.errors import KsqlError

PROPS = {"ksql.streams.auto.offset.reset": "earliest"}
LOG_TOPIC = "ex_ksql_processing_log"


@dataclass
class Selected:
    values: list[Any]  # JSON values of the output row (DECIMALs as Decimal), one per expression
    types: list[str]  # SQL types of the output columns
    errors: list[str]  # processing-log messages (error message, then causes) this row wrote

    @property
    def value(self) -> Any:
        return self.values[0]

    @property
    def type(self) -> str:
        return self.types[0]


class Exec:
    """One engine; each statement gets its own input stream and sink."""

    def __init__(self, engine: Engine, driver: MemoryDriver) -> None:
        self.engine = engine
        self.driver = driver
        self.n = 0
        self.logged = 0

    def _source(self, columns: str) -> int:
        self.n += 1
        self.driver.create_topic(f"in{self.n}", partitions=1)
        self.engine.execute(
            f"CREATE STREAM IN{self.n} (ID STRING KEY, {columns}) "
            f"WITH (KAFKA_TOPIC='in{self.n}', VALUE_FORMAT='JSON');"
        )
        return self.n

    def select(self, *exprs: str, columns: str = "X INT", row: dict[str, Any] | None = None) -> Selected:
        n = self._source(columns)
        cols = ", ".join(f"{e} AS C{i}" for i, e in enumerate(exprs))
        self.engine.execute(f"CREATE STREAM OUT{n} AS SELECT ID, {cols} FROM IN{n};")
        self.driver.produce(f"in{n}", [Record(b"k", json.dumps(row or {}).encode(), 1000)])
        self.engine.drain()
        recs = self.driver.records(f"OUT{n}")
        assert len(recs) == 1
        out = json.loads(recs[0].value, parse_float=Decimal)
        schema = self.engine.state.metastore.require(f"OUT{n}").schema
        types = [str(schema.find(f"C{i}").type) for i in range(len(exprs))]  # type: ignore[union-attr]
        return Selected([out[f"C{i}"] for i in range(len(exprs))], types, self._new_errors())

    def refuse(self, expr: str, columns: str = "X INT") -> str:
        n = self._source(columns)
        with pytest.raises(KsqlError) as err:
            self.engine.execute(f"CREATE STREAM OUT{n} AS SELECT ID, {expr} AS C0 FROM IN{n};")
        return err.value.message

    def run(self, sql: str, properties: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = self.engine.execute(sql, properties)
        return out

    def error(self, sql: str, properties: dict[str, Any] | None = None) -> str:
        with pytest.raises(KsqlError) as err:
            self.engine.execute(sql, properties)
        return err.value.message

    def topic(self, name: str, partitions: int = 1) -> None:
        if name not in self.driver.topics():
            self.driver.create_topic(name, partitions=partitions)

    def produce(self, topic: str, records: list[tuple[bytes | None, Any, int]]) -> None:
        """(key bytes, JSON value, timestamp) records."""
        self.driver.produce(
            topic, [Record(k, None if v is None else json.dumps(v).encode(), ts) for k, v, ts in records]
        )

    def push(self, sql: str, properties: dict[str, Any] | None = None) -> list[list[Any]]:
        """A transient query's rows once every query has drained."""
        q = self.engine.start_query(sql, properties)
        try:
            self.engine.drain()
            rows: list[list[Any]] = q.poll(0.1)
            return rows
        finally:
            q.close()

    def deserialization_error(self, column_type: str, value: Any) -> str:
        """The processing-log errorMessage of a JSON value {"V": value} read as a `V column_type` column."""
        n = self._source(f"V {column_type}")
        self.engine.execute(f"CREATE STREAM OUT{n} AS SELECT * FROM IN{n};")
        self.driver.produce(f"in{n}", [Record(b"k", json.dumps({"V": value}).encode(), 1000)])
        self.engine.drain()
        recs = self.driver.records(LOG_TOPIC)[self.logged :]
        self.logged += len(recs)
        [rec] = recs
        message: str = json.loads(rec.value)["message"]["deserializationError"]["errorMessage"]
        return message

    def properties(self, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
        """SHOW PROPERTIES as {name: value}, plus its "overwritten" and "default" name lists."""
        [listed] = self.engine.execute("SHOW PROPERTIES;", overrides)
        out = {p["name"]: p["value"] for p in listed["properties"]}
        out["<overwritten>"] = listed["overwrittenProperties"]
        out["<default>"] = listed["defaultProperties"]
        return out

    def _new_errors(self) -> list[str]:
        recs = self.driver.records(LOG_TOPIC) if LOG_TOPIC in self.driver.topics() else []
        out = []
        for r in recs[self.logged :]:
            err = json.loads(r.value)["message"].get("recordProcessingError")
            if err:
                out.append("\n".join([err["errorMessage"], *err["cause"]]))
        self.logged = len(recs)
        return out


@pytest.fixture
def ex() -> Iterator[Exec]:
    d = MemoryDriver()
    # the Java unit tests run no SchemaRegisterInjector
    e = Engine(EngineConfig(service_id="ex_", synchronous=True, properties=PROPS, schema_register_injector=False), d)
    yield Exec(e, d)
    e.close()


@pytest.fixture
def make_ex() -> Iterator[Any]:
    """A factory of `Exec`s over engines with only the given server properties (closed at teardown)."""
    made: list[Engine] = []

    def make(**properties: Any) -> Exec:
        d = MemoryDriver()
        config = EngineConfig(
            service_id="ex_", synchronous=True, properties=dict(properties), schema_register_injector=False
        )
        e = Engine(config, d)
        made.append(e)
        return Exec(e, d)

    yield make
    for e in made:
        e.close()
