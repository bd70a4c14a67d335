"""ksqlDB 0.29's KudafAggregatorTest (ksqldb-execution/src/test/java/io/confluent/ksql/execution/function/
udaf/KudafAggregatorTest.java): KudafAggregator.apply, getMerger and getResultMapper build new rows and
leave their inputs as they were; multi-column (Pair) and variadic inputs are converted from the value's
columns. Observed in queries: a second query over the same rows, earlier outputs and merged session
windows see every input and aggregate unchanged; CORRELATION (two columns) and TOPK (a column and
variadic others) aggregate their columns."""

from __future__ import annotations

import math

from .conftest import Agg


def test_should_not_mutate_parameters_on_apply(agg_engine: Agg) -> None:
    """shouldNotMutateParametersOnApply: each update is a new aggregate; the rows read stay as they were
    for another query over the same source."""
    agg_engine.source("V INT")
    agg_engine.execute("CREATE TABLE OUT AS SELECT K, COLLECT_LIST(V) AS L, COUNT(*) AS N FROM S GROUP BY K;")
    agg_engine.execute("CREATE STREAM COPY AS SELECT K, V FROM S;")
    agg_engine.produce([("k", {"V": 1}), ("k", {"V": 2}), ("k", {"V": 3})])
    assert [v for _, v in agg_engine.outputs()] == [
        {"L": [1], "N": 1}, {"L": [1, 2], "N": 2}, {"L": [1, 2, 3], "N": 3},
    ]
    assert [v for _, v in agg_engine.outputs("COPY")] == [{"V": 1}, {"V": 2}, {"V": 3}]


def test_should_not_mutate_parameters_on_merge(agg_engine: Agg) -> None:
    """shouldNotMutateParametersOnMerge: a record bridging two sessions merges their aggregates into a
    new one; the two old sessions are retracted as they were."""
    agg_engine.source("V INT")
    agg_engine.execute("CREATE TABLE OUT AS SELECT K, COLLECT_LIST(V) AS L, SUM(V) AS T FROM S "
                       "WINDOW SESSION (20 SECONDS) GROUP BY K;")
    for ts, v in ((0, 1), (30_000, 2), (15_000, 4)):
        agg_engine.ts = ts - 1
        agg_engine.produce([("k", {"V": v})])
    # KStreamSessionWindowAggregate: the merger folds the old sessions in order, then the new value is
    # aggregated; the old sessions are deleted (tombstones)
    assert [v for _, v in agg_engine.outputs()] == [
        {"L": [1], "T": 1}, {"L": [2], "T": 2}, None, None, {"L": [1, 2, 4], "T": 7},
    ]


def test_should_not_mutate_parameters_on_results_map(agg_engine: Agg) -> None:
    """shouldNotMutateParametersOnResultsMap: AVG maps its (sum, count) state to a DOUBLE for each output;
    the state goes on from the unmapped aggregate."""
    agg_engine.source("V INT")
    agg_engine.execute("CREATE TABLE OUT AS SELECT K, AVG(V) AS A FROM S GROUP BY K;")
    agg_engine.produce([("k", {"V": 1}), ("k", {"V": 2}), ("k", {"V": 3})])
    assert [float(v["A"]) for _, v in agg_engine.outputs()] == [1.0, 1.5, 2.0]


def test_should_aggregate_multi_param(agg_engine: Agg) -> None:
    """shouldNotMutateParametersOnApplyMultiParam: CORRELATION's Pair input from two columns."""
    agg_engine.source("X DOUBLE, Y DOUBLE")
    agg_engine.execute("CREATE TABLE OUT AS SELECT K, CORRELATION(X, Y) AS C FROM S GROUP BY K;")
    agg_engine.produce([("k", {"X": 1.0, "Y": 2.0}), ("k", {"X": 2.0, "Y": 4.0}), ("k", {"X": 3.0, "Y": 6.0})])
    results = [v["C"] for _, v in agg_engine.outputs()]
    assert results[0] is None or math.isnan(float(results[0])) or results[0] == "NaN"
    assert float(results[-1]) == 1.0


def test_should_aggregate_variadic_param(agg_engine: Agg) -> None:
    """shouldNotMutateParametersOnApplyVariadicParam: TOPK's Pair of the sort column and VariadicArgs of
    the other columns."""
    agg_engine.source("I INT, S STRING, B BIGINT")
    agg_engine.execute("CREATE TABLE OUT AS SELECT K, TOPK(I, S, B, 2) AS T FROM S GROUP BY K;")
    agg_engine.produce([("k", {"I": 1, "S": "a", "B": 10}), ("k", {"I": 3, "S": "c", "B": 30}),
                        ("k", {"I": 2, "S": "b", "B": 20})])
    assert agg_engine.last("T") == [
        {"sort_col": 3, "col0": "c", "col1": 30}, {"sort_col": 2, "col0": "b", "col1": 20},
    ]
