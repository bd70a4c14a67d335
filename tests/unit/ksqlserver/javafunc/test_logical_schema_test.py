"""ksqlDB 0.29's LogicalSchemaTest (ksqldb-common io.confluent.ksql.schema.ksql.LogicalSchemaTest), the
assertions observable here: the schema's text (`LogicalSchema.describe`, LogicalSchema.toString) and the
builder's refusals as CREATE STREAM reports them (TableElements.toLogicalSchema)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ksqlserver.catalog.types import parse_schema
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.errors import KsqlError

_HEADERS = "ARRAY<STRUCT<key STRING, value BYTES>>"


@pytest.fixture
def engine() -> Iterator[Engine]:
    e = Engine(EngineConfig(service_id="test_", synchronous=True), MemoryDriver())
    yield e
    e.close()


def test_should_convert_schema_to_string() -> None:
    """shouldConvertSchemaToString"""
    text = (
        "`k0` BIGINT KEY, `k1` DOUBLE KEY, `f0` BOOLEAN, `f1` INTEGER, `f2` BIGINT, `f4` DOUBLE, `f5` STRING, "
        "`f6` STRUCT<`a` BIGINT>, `f7` ARRAY<STRING>, `f8` MAP<STRING, STRING>, "
        "`h0` ARRAY<STRUCT<`KEY` STRING, `VALUE` BYTES>> HEADERS"
    )
    assert parse_schema(text).describe() == text


def _create(engine: Engine, columns: str) -> str:
    with pytest.raises(KsqlError) as e:
        engine.execute(
            f"CREATE STREAM S (ID INT KEY, {columns}) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);"
        )
    return e.value.message


def test_should_throw_on_multiple_headers_columns(engine: Engine) -> None:
    """shouldThrowOnMultipleHeadersColumns: no header column may follow a HEADERS column"""
    assert _create(engine, f"H0 {_HEADERS} HEADERS, F0 {_HEADERS} HEADERS") == (
        "Schema already contains a HEADERS column."
    )
    assert _create(engine, f"H0 {_HEADERS} HEADERS, F0 BYTES HEADER('k')") == (
        "Schema already contains a HEADERS column."
    )


def test_should_throw_on_repeated_header_key(engine: Engine) -> None:
    """shouldThrowOnRepeatedHeaderKey"""
    assert _create(engine, "H0 BYTES HEADER('key'), F0 BYTES HEADER('key')") == (
        "Schema already contains a HEADER('key') column."
    )


def test_headers_column_may_follow_header_key_columns(engine: Engine) -> None:
    """LogicalSchema.Builder.addColumn only refuses columns after a HEADERS column"""
    engine.execute(
        f"CREATE STREAM S (ID INT KEY, A BYTES HEADER('k'), H {_HEADERS} HEADERS) "
        "WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);"
    )
