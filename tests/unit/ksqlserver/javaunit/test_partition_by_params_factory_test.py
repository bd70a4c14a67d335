"""ksqlDB 0.29's PartitionByParamsFactoryTest (ksqldb-streams, io.confluent.ksql.execution.streams): PARTITION
BY's result schema (PartitionByParamsFactory.buildSchema, then SELECT *'s ordering) and the re-keying of rows:
tombstones keep a key computed from the key alone, a key that fails to compute is null and logged."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from ksqlserver.drivers.base import Record

if TYPE_CHECKING:  # the fixture's helper (conftest is not importable under --import-mode=importlib)
    from conftest import Ksql

_REST = "`KSQL_COL_3` INTEGER, `COL3` STRUCT<`someField` BIGINT>"


@pytest.fixture
def p(ksql: Ksql) -> Ksql:
    """The test's SCHEMA: a STRING key COL0, then COL1 INTEGER, KSQL_COL_3 INTEGER and a struct COL3."""
    ksql.engine.driver.create_topic("p", partitions=1)
    ksql.execute(
        "CREATE STREAM P (COL0 STRING KEY, COL1 INT, KSQL_COL_3 INT, COL3 STRUCT<`someField` BIGINT>) "
        "WITH (KAFKA_TOPIC='p', KEY_FORMAT='JSON', VALUE_FORMAT='JSON');"
    )
    return ksql


@pytest.mark.parametrize(
    ("partition_by", "expected"),
    [
        # shouldBuildResultSchemaWhenPartitioningByColumnRef
        ("COL1", f"`COL1` INTEGER KEY, {_REST}, `COL0` STRING"),
        # shouldBuildResultSchemaWhenPartitioningByStructField
        ("COL3->`someField`", f"`someField` BIGINT KEY, `COL1` INTEGER, {_REST}, `COL0` STRING"),
        # shouldBuildResultSchemaWhenPartitioningByOtherExpressionType: KSQL_COL_0 (no clash with KSQL_COL_3)
        ("-COL1", f"`KSQL_COL_0` INTEGER KEY, `COL1` INTEGER, {_REST}, `COL0` STRING"),
        # shouldBuildResultSchemaWhenPartitioningByNull
        ("NULL", f"`COL1` INTEGER, {_REST}, `COL0` STRING"),
        # shouldBuildResultSchemaWhenPartitioningByMultipleFields
        ("COL1, COL3->`someField`, -COL1",
         f"`COL1` INTEGER KEY, `someField` BIGINT KEY, `KSQL_COL_0` INTEGER KEY, {_REST}, `COL0` STRING"),
        ("COL0", f"`COL0` STRING KEY, `COL1` INTEGER, {_REST}"),
    ],
)  # fmt: skip
def test_result_schema(p: Ksql, partition_by: str, expected: str) -> None:
    """PartitionByParamsFactory.buildSchema: the new key columns, the source's values and the synthesised keys
    copied into the value; SELECT * lists the keys first and each column once (PlanNode.orderColumns)."""
    key_format = "" if partition_by in ("COL1", "COL0", "NULL", "-COL1") else " WITH (KEY_FORMAT='JSON')"
    p.execute(f"CREATE STREAM OUT{key_format} AS SELECT * FROM P PARTITION BY {partition_by};")
    assert p.schema("OUT") == expected


def test_multiple_columns_including_null(p: Ksql) -> None:
    """shouldThrowIfPartitioningByMultipleExpressionsIncludingNull."""
    msg = p.message("CREATE STREAM OUT AS SELECT * FROM P PARTITION BY COL1, NULL;")
    assert "Cannot PARTITION BY multiple columns including NULL" in msg


def _run(p: Ksql, partition_by: str) -> list[tuple[bytes | None, bytes | None]]:
    p.execute(f"CREATE STREAM OUT WITH (KEY_FORMAT='JSON') AS SELECT * FROM P PARTITION BY {partition_by};")
    value = {"COL1": 123, "KSQL_COL_3": 1, "COL3": {"someField": 5}}
    p.engine.driver.produce("p", [Record(b'"oldKey"', json.dumps(value).encode(), 1)])
    p.engine.driver.produce("p", [Record(b'"oldKey"', None, 2)])
    p.engine.drain()
    return [(r.key, r.value) for r in p.engine.driver.records("OUT")]


@pytest.mark.parametrize(
    ("partition_by", "tombstone_key"),
    [
        ("COL0", b'"oldKey"'),  # shouldPropagateNullValueWhenPartitioningByKey
        ("COL0 + '-foo'", b'"oldKey-foo"'),  # shouldPropagateNullValueWhenPartitioningByKeyExpression
        # shouldPropagateNullValueWhenPartitioningByMixOfKeyAndNonKeyExpressions
        ("COL0 + '-foo', COL1", b'{"KSQL_COL_0":"oldKey-foo","COL1":null}'),
        ("COL1", None),  # a value column of a tombstone is null
    ],
)
def test_tombstones(p: Ksql, partition_by: str, tombstone_key: bytes | None) -> None:
    """PartitionByParamsFactory's mapper on a null value: expressions of the key columns alone are evaluated
    on the key (PartitionByExpressionEvaluator.evaluateOnKeyOnly); the value stays null."""
    out = _run(p, partition_by)
    assert out[1] == (tombstone_key, None)


@pytest.mark.parametrize(
    ("partition_by", "key", "value_tail"),
    [
        # shouldSetNewKey / shouldNotChangeValueIfPartitioningByColumnReference
        ("COL1", b"123", '"COL3":{"someField":5},"COL0":"oldKey"}'),
        # shouldAppendNewKeyColumnToValueIfPartitioningByKeyExpression (the copy is not selected by *)
        ("COL0 + '-foo'", b'"oldKey-foo"', '"COL3":{"someField":5},"COL0":"oldKey"}'),
    ],
)
def test_new_key(p: Ksql, partition_by: str, key: bytes, value_tail: str) -> None:
    """shouldSetNewKey and the value mapping."""
    out = _run(p, partition_by)
    assert out[0][0] == key
    assert out[0][1] is not None and out[0][1].decode().endswith(value_tail)


def test_key_that_fails_to_compute(p: Ksql) -> None:
    """shouldLogOnErrorExtractingNewKey / shouldPartitionByNullAnyRowsWhereFailedToExtractKey: the failing
    key column is null, the others are computed, and the error is logged with the expression's text. (The
    Java test's FAILING_UDF fails at the top of the expression; a CAST would log its own "Error processing".)"""
    out = _run(p, "COL1 / 0, COL1")
    assert out[0][0] == b'{"KSQL_COL_0":null,"COL1":123}'
    log = [r.value for r in p.engine.driver.records("default_ksql_processing_log") if r.value is not None]
    assert any(b"Error computing new key from expression (COL1 / 0)" in v for v in log)
