"""ksqlDB 0.29's AggregateParamsFactoryTest (io.confluent.ksql.execution.streams).

AggregateParamsFactory builds the initializer (the non-aggregate columns null, then each function's initial
value), the aggregator over all functions, the undo aggregator of a table aggregation (createUndoable; none
for a stream), the aggregate schema (the non-aggregate columns, then each function's intermediate type) and
the output schema (each function's return type, plus WINDOWSTART / WINDOWEND as value columns when
windowed). What a user sees: the first result of each group is the initial value folded with one row, the
sink's types are the functions' return types, the window bounds can be selected, and only undoable functions
may aggregate a table."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Streams


@pytest.fixture
def ks(ks: Streams) -> Streams:
    ks.sql("CREATE STREAM S (K STRING KEY, I INT, D DOUBLE, T STRING) WITH (KAFKA_TOPIC='s', PARTITIONS=1, FORMAT='JSON');")
    return ks


def test_should_return_correct_initializer(ks: Streams) -> None:
    """shouldReturnCorrectInitializer / shouldCreateAggregatorWithCorrectParams: a row of nulls folds into
    each function's initial value (COUNT and SUM 0, AVG 0.0 for no values, MIN / MAX / LATEST_BY_OFFSET null,
    TOPK empty); the next row folds into that."""
    ks.sql(
        "CREATE TABLE A AS SELECT K, COUNT(I) AS C, COUNT(*) AS CS, SUM(I) AS SI, SUM(D) AS SD, AVG(D) AS AV, "
        "MIN(I) AS MN, MAX(D) AS MX, LATEST_BY_OFFSET(T) AS L, TOPK(I, 2) AS TK, COUNT_DISTINCT(I) AS CD "
        "FROM S GROUP BY K;"
    )
    ks.insert("S", {"K": "a", "I": None, "D": None, "T": None, "ROWTIME": 1})
    ks.insert("S", {"K": "a", "I": 3, "D": 1.5, "T": "x", "ROWTIME": 2})
    assert ks.values("A") == [
        {"C": 0, "CS": 1, "SI": 0, "SD": 0.0, "AV": 0.0, "MN": None, "MX": None, "L": None, "TK": [], "CD": 0},
        {"C": 1, "CS": 2, "SI": 3, "SD": 1.5, "AV": 1.5, "MN": 3, "MX": 1.5, "L": "x", "TK": [3], "CD": 1},
    ]


def test_should_return_correct_schema(ks: Streams) -> None:
    """shouldReturnCorrectSchema / shouldReturnCorrectAggregateSchema: the output columns carry the return
    types (AVG's DOUBLE, not its STRUCT<SUM, COUNT> intermediate; TOPK's ARRAY)."""
    ks.sql("CREATE TABLE A AS SELECT K, AVG(I) AS AV, TOPK(D, 2) AS TK, COUNT(T) AS C FROM S GROUP BY K;")
    assert ks.schema("A") == "`K` STRING PRIMARY KEY, `AV` DOUBLE, `TK` ARRAY<DOUBLE>, `C` BIGINT"


def test_should_return_correct_windowed_schema(ks: Streams) -> None:
    """shouldReturnCorrectWindowedSchema: a windowed aggregation's rows have WINDOWSTART and WINDOWEND
    (BIGINT) to select."""
    ks.sql(
        "CREATE TABLE A AS SELECT K, WINDOWSTART AS WS, WINDOWEND AS WE, COUNT(*) AS C FROM S "
        "WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY K;"
    )
    assert ks.schema("A") == "`K` STRING PRIMARY KEY, `WS` BIGINT, `WE` BIGINT, `C` BIGINT"
    ks.insert("S", {"K": "a", "I": 1, "D": 1.0, "T": "x", "ROWTIME": 2500})
    assert ks.values("A") == [{"WS": 2000, "WE": 3000, "C": 1}]


def test_should_create_undo_aggregator(ks: Streams) -> None:
    """shouldCreateUndoAggregatorWithCorrectParams / shouldReturnUndoAggregator: a table aggregation undoes
    an updated row's old contribution."""
    ks.sql("CREATE TABLE T (K STRING PRIMARY KEY, G STRING, I INT) WITH (KAFKA_TOPIC='t', PARTITIONS=1, FORMAT='JSON');")
    ks.sql("CREATE TABLE A AS SELECT G, SUM(I) AS S, COUNT(I) AS C FROM T GROUP BY G;")
    ks.insert("T", {"K": "a", "G": "x", "I": 5, "ROWTIME": 1})
    ks.insert("T", {"K": "a", "G": "x", "I": 7, "ROWTIME": 2})
    assert ks.values("A")[-1] == {"S": 7, "C": 1}


def test_should_return_empty_undo_aggregator(ks: Streams) -> None:
    """shouldReturnEmptyUndoAggregator: a stream aggregation has no undo: a later row only adds."""
    ks.sql("CREATE TABLE A AS SELECT K, SUM(I) AS S FROM S GROUP BY K;")
    ks.insert("S", {"K": "a", "I": 5, "ROWTIME": 1})
    ks.insert("S", {"K": "a", "I": 7, "ROWTIME": 2})
    assert ks.values("A") == [{"S": 5}, {"S": 12}]
