"""ksqlDB 0.29's WindowedRowTest and WindowTest (io.confluent.ksql.execution.streams.materialization).

A WindowedRow is what a windowed pull query reads: the schema, the windowed key (the GenericKey and its
Window: start and end, end never before start, WindowTest.shouldThrowIfEndBeforeStart), the value and the
row's timestamp; rows differ when any of those does (shouldImplementEquals). TableRowValidation runs on
construction and on withValue (shouldValidateOnConstruction / shouldValidateOnCopy): the key and value
column counts match the schema. Seen through pull queries over a table keyed by two columns (k0 STRING,
k1 INTEGER, as the Java test's schema)."""

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
        "CREATE TABLE W AS SELECT K0, K1, LATEST_BY_OFFSET(V0) AS V0, SUM(V1) AS V1 FROM S "
        "WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY K0, K1;"
    )
    ks.sql(
        "CREATE TABLE X AS SELECT K0, K1, COUNT(*) AS C FROM S WINDOW SESSION (10 SECONDS) GROUP BY K0, K1;"
    )
    ks.insert(
        "S",
        {"K0": "key", "K1": 11, "V0": "v0-v", "V1": 1.0, "ROWTIME": 10},
        {"K0": "key", "K1": 11, "V0": "v0-w", "V1": 2.0, "ROWTIME": 12335},
        {"K0": "key", "K1": 12, "V0": "other", "V1": 4.0, "ROWTIME": 12000},
    )
    return ks


def test_a_row_carries_key_window_value_and_rowtime(ks: Streams) -> None:
    """WindowedRow.of(schema, Windowed(key, window), value, rowTime): the key columns, the window bounds,
    the value columns; ROWTIME is the latest record's of the window."""
    assert ks.pull("SELECT * FROM W WHERE K0 = 'key' AND K1 = 11;") == [
        ["key", 11, 0, 1000, "v0-v", 1.0],
        ["key", 11, 12000, 13000, "v0-w", 2.0],
    ]
    assert ks.pull("SELECT ROWTIME FROM W WHERE K0 = 'key' AND K1 = 11 AND WINDOWSTART = 12000;") == [[12335]]


def test_rows_differ_by_key_and_window(ks: Streams) -> None:
    """shouldImplementEquals: another key, or the same key in another window, is another row."""
    assert ks.pull("SELECT K0, K1, WINDOWSTART FROM W WHERE K0 = 'key' AND K1 = 12;") == [["key", 12, 12000]]
    rows = ks.pull("SELECT K0, K1, WINDOWSTART FROM W WHERE WINDOWSTART = 12000;")
    assert sorted(rows) == [["key", 11, 12000], ["key", 12, 12000]]


def test_a_window_ends_at_or_after_its_start(ks: Streams) -> None:
    """Window.of refuses an end before the start: a tumbling window ends at start + size, a session at its
    last record (a one-record session ends where it starts)."""
    for start, end in [(r[0], r[1]) for r in ks.pull("SELECT WINDOWSTART, WINDOWEND FROM W WHERE K0 = 'key' AND K1 = 11;")]:
        assert end == start + 1000
    assert ks.pull("SELECT WINDOWSTART, WINDOWEND, C FROM X WHERE K0 = 'key' AND K1 = 11;") == [
        [10, 10, 1],
        [12335, 12335, 1],
    ]
    assert ks.pull("SELECT WINDOWSTART, WINDOWEND FROM X WHERE K0 = 'key' AND K1 = 12;") == [[12000, 12000]]


def test_row_shape_matches_the_schema(ks: Streams) -> None:
    """TableRowValidation: a row has the schema's key and value columns, no more, no fewer."""
    [row] = ks.pull("SELECT * FROM W WHERE K0 = 'key' AND K1 = 12;")
    assert len(row) == 2 + 2 + 2  # keys, window bounds, values
