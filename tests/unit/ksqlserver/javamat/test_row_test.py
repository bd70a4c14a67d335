"""ksqlDB 0.29's RowTest and TableRowValidationTest (io.confluent.ksql.execution.streams.materialization).

A Row is what a non-windowed pull query reads: the schema, the GenericKey, the value and the row's
timestamp (Row.of); TableRowValidation.validate checks, on construction and on withValue, that the key and
value have the schema's column counts (shouldThrowOnKeyFieldCountMismatch /
shouldThrowOnValueFieldCountMismatch / shouldNotThrowOnMatching). Seen through pull queries over a table
keyed by two columns."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Streams


@pytest.fixture
def ks(ks: Streams) -> Streams:
    ks.sql(
        "CREATE STREAM S (K0 STRING KEY, K1 INT KEY, V0 STRING, V1 DOUBLE) WITH (KAFKA_TOPIC='s', PARTITIONS=1, "
        "FORMAT='JSON');"
    )
    ks.sql(
        "CREATE TABLE T AS SELECT K0, K1, LATEST_BY_OFFSET(V0) AS V0, SUM(V1) AS V1 FROM S GROUP BY K0, K1 "
        "HAVING SUM(V1) < 10;"
    )
    ks.insert(
        "S",
        {"K0": "key", "K1": 11, "V0": "v0-v", "V1": 1.0, "ROWTIME": 12335},
        {"K0": "key", "K1": 12, "V0": "x", "V1": 20.0, "ROWTIME": 5},
    )
    return ks


def test_a_row_carries_key_value_and_rowtime(ks: Streams) -> None:
    """Row.of(schema, key, value, rowTime): the key columns, then the value columns; its ROWTIME."""
    assert ks.pull("SELECT * FROM T WHERE K0 = 'key' AND K1 = 11;") == [["key", 11, "v0-v", 1.0]]
    assert ks.pull("SELECT ROWTIME, K1 FROM T WHERE K0 = 'key' AND K1 = 11;") == [[12335, 11]]


def test_rows_differ_by_key(ks: Streams) -> None:
    """shouldImplementEquals: another key is another row; a key not present is no row."""
    assert ks.pull("SELECT * FROM T WHERE K0 = 'key' AND K1 = 13;") == []
    assert ks.pull("SELECT * FROM T WHERE K0 = 'other' AND K1 = 11;") == []


def test_with_value_keeps_the_key(ks: Streams) -> None:
    """Row.withValue (the materialization's transforms: HAVING filter, then projection): the key stays, the
    value is the transformed one, and a row the HAVING rejects is left out."""
    assert ks.pull("SELECT K1, V1 * 2 AS D FROM T WHERE K0 = 'key' AND K1 = 11;") == [[11, 2.0]]
    assert ks.pull("SELECT * FROM T WHERE K0 = 'key' AND K1 = 12;") == []


def test_should_not_throw_on_matching(ks: Streams) -> None:
    """TableRowValidation.validate: a row has exactly the schema's key and value columns."""
    [row] = ks.pull("SELECT * FROM T;")
    assert len(row) == 4
