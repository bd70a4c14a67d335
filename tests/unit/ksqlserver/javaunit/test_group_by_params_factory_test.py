"""ksqlDB 0.29's GroupByParamsFactoryTest and StreamGroupByBuilderTest (ksqldb-streams,
io.confluent.ksql.execution.streams): the grouping key of each row, and rows whose key is null or fails to
compute, which are excluded (and logged)."""

from __future__ import annotations

import json
import struct
from typing import TYPE_CHECKING, Any

import pytest

from ksqlserver.drivers.base import Record

if TYPE_CHECKING:  # the fixture's helper (conftest is not importable under --import-mode=importlib)
    from conftest import Ksql

_ROWS = [{"A": "x", "B": 1}, {"A": None, "B": 2}, {"A": "x", "B": None}, {"A": "y", "B": 0}]


@pytest.fixture
def s(ksql: Ksql) -> Ksql:
    ksql.engine.driver.create_topic("s", partitions=1)
    ksql.execute("CREATE STREAM S (K INT KEY, A STRING, B INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');")
    return ksql


def _run(k: Ksql, sql: str) -> tuple[list[tuple[bytes | None, Any]], list[str]]:
    k.execute(sql)
    for i, row in enumerate(_ROWS):
        k.engine.driver.produce("s", [Record(struct.pack(">i", i), json.dumps(row).encode(), 100 + i)])
    k.engine.drain()
    out = [(r.key, json.loads(r.value)) for r in k.engine.driver.records("O")]
    log = [json.loads(r.value)["message"] for r in k.engine.driver.records("default_ksql_processing_log")]
    return out, [m["recordProcessingError"]["errorMessage"] for m in log if m["type"] == 1]


def test_single_expression_null(s: Ksql) -> None:
    """shouldReturnNullIfSingleExpressionResolvesToNull / shouldLogProcessingErrorIfSingleExpressionResolves
    ToNull / StreamGroupByBuilderTest.shouldFilterNullRowsBeforeGroupBy."""
    out, errors = _run(s, "CREATE TABLE O AS SELECT A, COUNT(*) AS C FROM S GROUP BY A;")
    assert out == [(b"x", {"C": 1}), (b"x", {"C": 2}), (b"y", {"C": 1})]
    assert errors == [
        "Group-by column with index 0 resolved to null. The source row will be excluded from the table."
    ]


def test_multi_expression_null(s: Ksql) -> None:
    """shouldReturnNullIfAnyMultiExpressionResolvesToNull / shouldLogProcessingErrorIfAnyMultiExpression
    ResolvesToNull: the index is the failing expression's."""
    out, errors = _run(
        s, "CREATE TABLE O WITH (KEY_FORMAT='JSON') AS SELECT A, B, COUNT(*) AS C FROM S GROUP BY A, B;"
    )
    assert [json.loads(k) for k, _ in out] == [{"A": "x", "B": 1}, {"A": "y", "B": 0}]
    assert errors == [
        "Group-by column with index 0 resolved to null. The source row will be excluded from the table.",
        "Group-by column with index 1 resolved to null. The source row will be excluded from the table.",
    ]


def test_expression_that_fails(s: Ksql) -> None:
    """GroupByParamsFactory.processColumn: an expression that fails to evaluate excludes the row, logged with
    the evaluation's 'Error calculating group-by column with index n...'."""
    out, errors = _run(s, "CREATE TABLE O AS SELECT 10 / B AS Q, COUNT(*) AS C FROM S GROUP BY 10 / B;")
    assert [k for k, _ in out] == [b"\x00\x00\x00\n", b"\x00\x00\x00\x05"]
    # B = 0 throws "/ by zero", a null B throws as well: the generated `(10 / var0)` unboxes it
    # (SqlToJavaVisitor), so neither row's key resolves to null
    assert errors == ["Error calculating group-by column with index 0. The source row will be excluded from the table."] * 2


@pytest.mark.parametrize(
    ("group_by", "key"),
    [
        ("A", "`A` STRING PRIMARY KEY"),  # shouldSetKeyNameFromColumnName
        ("LCASE(A)", "`KSQL_COL_0` STRING PRIMARY KEY"),  # shouldGenerateKeyNameFromOtherExpressionType
    ],
)
def test_key_names(s: Ksql, group_by: str, key: str) -> None:
    """GroupByParamsFactoryTest: the key's name (the column's, else KSQL_COL_n) when the grouping expression
    is projected unaliased."""
    s.execute(f"CREATE TABLE O AS SELECT {group_by}, COUNT(*) AS C FROM S GROUP BY {group_by};")
    assert s.schema("O") == f"{key}, `C` BIGINT"
