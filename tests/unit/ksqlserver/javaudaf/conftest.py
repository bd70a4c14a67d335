"""Helpers of the ported ksqlDB 0.29 aggregate and table function unit tests (ksqldb-engine/src/test/java/io/
confluent/ksql/function and ksqldb-execution/src/test/java/io/confluent/ksql/execution/function).

`udaf(name, types, literals)` is the built-in aggregate ksqlDB's UdafFactoryInvoker builds for those
argument types, with the calls the Java tests make on a Kudaf: `init` (initialize), `add(acc, value)`
(aggregate), `undo`, `merge` and `result` (map). `Agg` runs SQL over a one-partition JSON stream on the
memory driver and gives what a query observes: the rows a stream or table aggregation emits (a table's
updates undo the old row), and the types and errors of the statement."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

import pytest

from ksqlserver.catalog.types import SqlType
from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.errors import KsqlError
from ksqlserver.functions import aggregates
from ksqlserver.functions.aggregator import Aggregator

PROPS = {"ksql.streams.auto.offset.reset": "earliest"}


def udaf(name: str, types: Sequence[SqlType | None], lits: Sequence[Any] = (), star: bool = False) -> Aggregator:
    """The aggregate as a query runs it (literal arguments bound, as the Java tests' factory calls)."""
    return aggregates.build(name, list(types), list(lits), star, {})


def fold(agg: Aggregator, values: Iterable[Any], acc: Any = None, start: bool = True) -> Any:
    """aggregate(value, acc) for each value, from `acc` (the Java test's starting value) or init()."""
    current = agg.init() if start and acc is None else acc
    for v in values:
        current = agg.add(current, v)
    return current


def to_json(v: Any) -> Any:
    if isinstance(v, bytes):
        return base64.b64encode(v).decode()
    if isinstance(v, Decimal):
        return float(v) if v == v.to_integral_value() and "E" in str(v) else v
    return v


class _Encoder(json.JSONEncoder):
    def default(self, o: Any) -> Any:
        if isinstance(o, Decimal):
            return float(o)
        return super().default(o)


def _key(raw: bytes | None) -> Any:
    """A JSON key, or the raw bytes of a windowed one."""
    if raw is None:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return raw


class Agg:
    """An engine over one JSON stream `S (K STRING KEY, <columns>)` on topic `s`."""

    def __init__(self) -> None:
        self.driver = MemoryDriver()
        self.driver.create_topic("s", partitions=1)
        # the Java unit tests run no SchemaRegisterInjector
        config = EngineConfig(service_id="ag_", synchronous=True, properties=PROPS, schema_register_injector=False)
        self.engine = Engine(config, self.driver)
        self.ts = 0

    def source(self, columns: str, kind: str = "STREAM") -> None:
        k = "PRIMARY KEY" if kind == "TABLE" else "KEY"
        self.engine.execute(f"CREATE {kind} S (K STRING {k}, {columns}) WITH (KAFKA_TOPIC='s', FORMAT='JSON');")

    def execute(self, sql: str) -> list[dict[str, Any]]:
        return self.engine.execute(sql)

    def error(self, sql: str) -> KsqlError:
        with pytest.raises(KsqlError) as err:
            self.engine.execute(sql)
        return err.value

    def produce(self, rows: Iterable[tuple[str, dict[str, Any] | None]]) -> None:
        """Rows of (key, value); a None value is a tombstone."""
        recs = []
        for k, v in rows:
            self.ts += 1
            body = None if v is None else json.dumps({c: to_json(x) for c, x in v.items()}, cls=_Encoder).encode()
            recs.append(Record(json.dumps(k).encode(), body, self.ts))
        self.driver.produce("s", recs)
        self.engine.drain()

    def outputs(self, topic: str = "OUT") -> list[tuple[Any, Any]]:
        """(key, value) of every record the sink got, JSON decoded (DECIMALs as Decimal)."""
        out = []
        for r in self.driver.records(topic):
            key = _key(r.key)
            value = json.loads(r.value, parse_float=Decimal) if r.value is not None else None
            out.append((key, value))
        return out

    def last(self, column: str, topic: str = "OUT") -> Any:
        return self.outputs(topic)[-1][1][column]

    def types(self, name: str = "OUT") -> dict[str, str]:
        src = self.engine.state.metastore.require(name)
        return {c.name: str(c.type) for c in src.schema.value}

    def errors(self) -> list[str]:
        topic = "ag_ksql_processing_log"
        if topic not in self.driver.topics():
            return []
        out = []
        for r in self.driver.records(topic):
            err = json.loads(r.value)["message"].get("recordProcessingError")
            if err:
                out.append(err["errorMessage"])
        return out


@pytest.fixture
def agg_engine() -> Iterator[Agg]:
    a = Agg()
    yield a
    a.engine.close()


def aggregate_stream(
    make: Callable[[], Agg], func: str, sql_type: str, values: Sequence[Any]
) -> Any:
    """`func(V)` over a stream of `values` (one key): the last result the table emits."""
    a = make()
    try:
        a.source(f"V {sql_type}")
        a.execute(f"CREATE TABLE OUT AS SELECT K, {func} AS R FROM S GROUP BY K;")
        a.produce(("a", {"V": v}) for v in values)
        out = a.last("R")
        return float(out) if isinstance(out, Decimal) and a.types()["R"] == "DOUBLE" else out
    finally:
        a.engine.close()


@pytest.fixture
def stream_result() -> Callable[[str, str, Sequence[Any]], Any]:
    """`stream_result("MIN(V)", "INT", [3, 1])`: the last aggregate a query emits."""
    return lambda func, sql_type, values: aggregate_stream(Agg, func, sql_type, values)
