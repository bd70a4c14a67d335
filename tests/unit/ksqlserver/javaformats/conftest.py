"""Helpers of the ported ksqlDB 0.29 format tests (ksqldb-serde/src/test/java/io/confluent/ksql/serde: the
format factory, key/value formats, JSON, Connect, Avro, Protobuf and unwrapped serdes).

The Java tests call a format's serde or translator directly; a user sees what those produce through
statements: the records a query writes to a topic in each format, the schemas registered in the Schema
Registry (in-memory here), the columns a CREATE infers from a registered schema, the errors of CREATE / CSAS
properties, and deserialization errors in the processing log. `Fmt` is one synchronous engine over the
in-memory driver (processing log on) with an in-memory registry; `serde` builds one format's serde over
columns, as ksqlDB's GenericSerdeFactory does for a source, for the tests that feed bytes in and out."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import pytest

from ksqlserver.catalog.types import Column, parse_type
from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.errors import KsqlError
from ksqlserver.formats import Serde, SerdeOptions, get_format
from ksqlserver.formats.sr.client import AVRO, MemoryRegistryClient, RegisteredSchema

SERVICE_ID = "fmt_"


class Fmt:
    """One engine with (or without) a registry, reading topics from the earliest offset."""

    def __init__(self, registry: MemoryRegistryClient | None, properties: dict[str, str]) -> None:
        self.registry = registry
        self.driver = MemoryDriver()
        self.engine = Engine(
            EngineConfig(
                service_id=SERVICE_ID,
                synchronous=True,
                command_topic=False,
                properties={"ksql.streams.auto.offset.reset": "earliest", **properties},
            ),
            self.driver,
            registry,
        )

    def close(self) -> None:
        self.engine.close()

    def topic(self, name: str) -> None:
        if name not in self.driver.topics():
            self.driver.create_topic(name, partitions=1)

    def sql(self, text: str, properties: dict[str, str] | None = None) -> list[dict[str, Any]]:
        return self.engine.execute(text, properties)

    def error(self, text: str) -> KsqlError:
        with pytest.raises(KsqlError) as err:
            self.engine.execute(text)
        return err.value

    def message(self, text: str) -> str:
        return self.error(text).message

    def produce(self, topic: str, value: bytes | None, key: bytes | None = None, ts: int = 0) -> None:
        self.topic(topic)
        self.driver.produce(topic, [Record(key, value, ts)])
        self.engine.drain()

    def records(self, topic: str) -> list[Record]:
        self.engine.drain()
        return list(self.driver.records(topic))

    def values(self, topic: str) -> list[bytes | None]:
        return [r.value for r in self.records(topic)]

    def processing_log(self) -> list[dict[str, Any]]:
        """The processing log's messages (the `message` struct of each), in order."""
        return [json.loads(r.value)["message"] for r in self.driver.records(f"{SERVICE_ID}ksql_processing_log")]

    def deserialization_errors(self) -> list[dict[str, Any]]:
        return [m["deserializationError"] for m in self.processing_log() if m.get("deserializationError")]

    def serialization_errors(self) -> list[dict[str, Any]]:
        return [m["serializationError"] for m in self.processing_log() if m.get("serializationError")]

    def register(self, subject: str, schema: Any, schema_type: str = AVRO, schema_id: int | None = None) -> int:
        assert self.registry is not None
        text = schema if isinstance(schema, str) else json.dumps(schema)
        return self.registry.register_with_id(subject, RegisteredSchema(schema_type, text), schema_id)

    def registered(self, subject: str) -> RegisteredSchema:
        assert self.registry is not None
        return self.registry.latest(subject).schema

    def subjects(self) -> list[str]:
        assert self.registry is not None
        return sorted(self.registry.subjects())

    def schema(self, name: str) -> str:
        """The source's LogicalSchema as ksqlDB prints it: `K` STRING KEY, `V` INTEGER."""
        src = self.engine.state.metastore.require(name)
        return src.schema.describe(src.is_table)

    def source(self, name: str) -> Any:
        return self.engine.state.metastore.require(name)

    def describe(self, name: str) -> dict[str, Any]:
        [entity] = self.sql(f"DESCRIBE {name} EXTENDED;")
        description: dict[str, Any] = entity["sourceDescription"]
        return description


@pytest.fixture
def make_fmt() -> Iterator[Callable[..., Fmt]]:
    """`make_fmt(registry=True, **properties)`; every engine is closed at teardown."""
    made: list[Fmt] = []

    def make(registry: bool | MemoryRegistryClient = True, **properties: str) -> Fmt:
        client = registry if isinstance(registry, MemoryRegistryClient) else (
            MemoryRegistryClient() if registry else None
        )
        f = Fmt(client, dict(properties))
        made.append(f)
        return f

    yield make
    for f in made:
        f.close()


@pytest.fixture
def fmt(make_fmt: Callable[..., Fmt]) -> Fmt:
    return make_fmt()


def _columns(spec: str) -> list[Column]:
    """`A INT, B STRING` -> columns (names as written, without backquotes)."""
    out = []
    depth = 0
    start = 0
    parts = []
    for i, ch in enumerate(spec):
        depth += ch in "<("
        depth -= ch in ">)"
        if ch == "," and depth == 0:
            parts.append(spec[start:i])
            start = i + 1
    parts.append(spec[start:])
    for part in parts:
        name, _, type_text = part.strip().partition(" ")
        out.append(Column(name.strip("`"), parse_type(type_text)))
    return out


def _serde(
    fmt: str,
    spec: str | Sequence[Column],
    *,
    registry: MemoryRegistryClient | None = None,
    is_key: bool = False,
    wrap: bool | None = None,
    topic: str = "t",
    **extra: str,
) -> Serde:
    """The serde ksqlDB builds for a source's key or value columns in `fmt`."""
    cols = _columns(spec) if isinstance(spec, str) else list(spec)
    options = SerdeOptions(wrap_single_value=wrap, extra=dict(extra), topic=topic, registry=registry)
    return get_format(fmt).serde(cols, options, is_key)


@pytest.fixture
def make_serde() -> Callable[..., Serde]:
    """`make_serde(fmt, "A INT, B STRING", registry=..., is_key=..., wrap=..., **format_properties)`."""
    return _serde
