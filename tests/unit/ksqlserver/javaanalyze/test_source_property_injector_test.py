"""ksqlDB 0.29's SourcePropertyInjectorTest (ksqldb-engine, io.confluent.ksql.statement): every new CREATE
STREAM/TABLE and CREATE ... AS SELECT gets withUnwrapProtobufPrimitives(true), so its PROTOBUF key and value
formats carry `unwrapPrimitives=true` (CreateSourceProperties.getKeyFormatProperties /
getValueFormatProperties: PROTOBUF only, not PROTOBUF_NOSR nor other formats)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.formats.sr.client import MemoryRegistryClient

_UNWRAP = "unwrapPrimitives"


@pytest.fixture
def engine() -> Iterator[Engine]:
    d = MemoryDriver()
    for topic in ("t", "n"):
        d.create_topic(topic, partitions=1)
    e = Engine(
        EngineConfig(
            service_id="default_",
            synchronous=True,
            command_topic=False,
            properties={"ksql.schema.registry.url": "mem://"},
        ),
        d,
        schema_registry=MemoryRegistryClient(),
    )
    yield e
    e.close()


def _props(e: Engine, name: str) -> tuple[dict[str, str], dict[str, str]]:
    src = e.state.metastore.require(name)
    return dict(src.key_options.extra), dict(src.value_options.extra)


def test_should_inject_for_create_source(engine: Engine) -> None:
    """shouldInjectForCreateSource."""
    engine.execute(
        "CREATE STREAM S (K STRING KEY, V STRING) WITH (KAFKA_TOPIC='t', FORMAT='PROTOBUF');"
    )
    key, value = _props(engine, "S")
    assert (key.get(_UNWRAP), value.get(_UNWRAP)) == ("true", "true")


def test_should_inject_for_create_as_select(engine: Engine) -> None:
    """shouldInjectForCreateAsSelect: the sink's PROTOBUF formats, whatever its source's format."""
    engine.execute("CREATE STREAM S (K STRING KEY, V STRING) WITH (KAFKA_TOPIC='n', FORMAT='JSON');")
    engine.execute("CREATE STREAM P WITH (FORMAT='PROTOBUF') AS SELECT * FROM S;")
    key, value = _props(engine, "P")
    assert (key.get(_UNWRAP), value.get(_UNWRAP)) == ("true", "true")


@pytest.mark.parametrize("fmt", ["PROTOBUF_NOSR", "JSON", "AVRO"])
def test_other_formats_get_no_unwrap_property(engine: Engine, fmt: str) -> None:
    """CreateSourceProperties adds the property only when the format is PROTOBUF."""
    engine.execute(f"CREATE STREAM S (K STRING KEY, V STRING) WITH (KAFKA_TOPIC='t', KEY_FORMAT='KAFKA', VALUE_FORMAT='{fmt}');")
    key, value = _props(engine, "S")
    assert _UNWRAP not in key and _UNWRAP not in value
