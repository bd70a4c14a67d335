"""ksqlDB 0.29 io.confluent.ksql.integration.SelectValueMapperIntegrationTest on our engine.

The Java test builds the projection of a query over MetaStoreFixture's TEST1 (COL0 BIGINT KEY, COL1 STRING,
COL2 STRING, COL3 DOUBLE, COL4 ARRAY<DOUBLE>, COL5 MAP<STRING, DOUBLE>, HEAD HEADERS) and applies it alone
(SelectValueMapper) to one row, without the query's WHERE (its key 1 or 2 would not pass `col0 > 100`).
Here the same row goes through a query with that projection and no WHERE; the Java rows put strings in
COL4/COL5, which the mapper never reads, so they are left null here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from ksqlserver.drivers.base import Record


@pytest.fixture
def h(harness_factory: Callable[..., Any]) -> Any:
    h = harness_factory()
    h.ensure_topics("test1")
    h.sql(
        "CREATE STREAM TEST1 (COL0 BIGINT KEY, COL1 STRING, COL2 STRING, COL3 DOUBLE, COL4 ARRAY<DOUBLE>, "
        "COL5 MAP<STRING, DOUBLE>, HEAD ARRAY<STRUCT<KEY STRING, VALUE BYTES>> HEADERS) "
        "WITH (KAFKA_TOPIC='test1', KEY_FORMAT='KAFKA', VALUE_FORMAT='JSON');"
    )
    return h


def transform(h: Any, select: str, key: int, col1: str, col2: str, col3: float) -> tuple[Any, ...]:
    h.sql(f"CREATE STREAM OUT AS {select} FROM test1 EMIT CHANGES;")
    value = f'{{"COL1": "{col1}", "COL2": "{col2}", "COL3": {col3}}}'.encode()
    h.driver.produce("test1", [Record(key.to_bytes(8, "big", signed=True), value, 1521834663)])
    h.drain()
    (record,) = h.records(h.source("OUT").topic)
    row = h.decode_value("JSON", record.value)
    return (int.from_bytes(record.key, "big", signed=True), *row.values())  # a KAFKA BIGINT key


def test_should_select_chosen_columns(h: Any) -> None:
    """SelectValueMapperIntegrationTest.shouldSelectChosenColumns."""
    got = transform(h, "SELECT col0, col2, col3", 1, "hi", "bye", 2.0)
    assert got == (1, "bye", 2.0)


def test_should_apply_udfs_to_columns(h: Any) -> None:
    """SelectValueMapperIntegrationTest.shouldApplyUdfsToColumns."""
    got = transform(h, "SELECT col0, col1, col2, CEIL(col3)", 2, "foo", "whatever", 6.9)
    assert got == (2, "foo", "whatever", 7.0)
