"""ksqlDB 0.29's StreamAggregateBuilderTest (io.confluent.ksql.execution.streams).

The Java test checks the wiring of StreamAggregateBuilder with mocks: the grouped stream is aggregated with
the initializer and aggregator of AggregateParamsFactory.create (windowed = true for a windowed aggregate),
into a store named `<context>-Materialize` whose key and value are the aggregate schema (the non-aggregate
columns then the aggregates' intermediate results); the result mapper turns the intermediate results into
the output columns; a time window is TimeWindows.ofSizeAndGrace(size, grace) (advanceBy the hop for a
hopping one), a session window SessionWindows.ofInactivityGapAndGrace(gap, grace) aggregated with the
merger; a windowed result gets the window bounds (WINDOWSTART, WINDOWEND) and a windowed key serde. What a
user sees of that: the sink's schema, its records (the mapped output values, windowed keys, late records
past the grace period dropped, merged sessions replaced), and the materialization a pull query reads (the
same mapped values, with the window bounds)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Streams

# INPUT_SCHEMA: REQUIRED0 BIGINT, REQUIRED1 STRING, ARGUMENT0 INTEGER, ARGUMENT1 DOUBLE
SOURCE = (
    "CREATE STREAM SRC (K STRING KEY, REQUIRED0 BIGINT, REQUIRED1 STRING, ARGUMENT0 INTEGER, ARGUMENT1 DOUBLE) "
    "WITH (KAFKA_TOPIC='src', PARTITIONS=1, FORMAT='JSON');"
)
# AGG0 / AGG1 over ARGUMENT0 / ARGUMENT1: COUNT (intermediate = output) and AVG (a STRUCT<SUM, COUNT>
# intermediate the result mapper turns into a DOUBLE)
SELECT = "SELECT REQUIRED0, REQUIRED1, COUNT(ARGUMENT0) AS OUTPUT0, AVG(ARGUMENT1) AS OUTPUT1"
RETENTION, GRACE = "RETENTION 1000 SECONDS", "GRACE PERIOD 0 SECONDS"
WINDOWS = {
    "TUMBLING": f"TUMBLING (SIZE 30 SECONDS, {RETENTION}, {GRACE})",
    "HOPPING": f"HOPPING (SIZE 30 SECONDS, ADVANCE BY 10 SECONDS, {RETENTION}, {GRACE})",
    "SESSION": f"SESSION (30 SECONDS, {RETENTION}, {GRACE})",
}


@pytest.fixture
def ks(make_streams: Callable[..., Streams]) -> Streams:
    ks = make_streams()
    ks.sql(SOURCE)
    return ks


def row(ts: int, required0: int = 1, required1: str = "x", argument1: float | None = None) -> dict:
    return {"K": "k", "REQUIRED0": required0, "REQUIRED1": required1, "ARGUMENT0": 1,
            "ARGUMENT1": ts / 1000 if argument1 is None else argument1, "ROWTIME": ts}  # fmt: skip


def aggregate(ks: Streams, window: str | None = None) -> None:
    windowing = f" WINDOW {WINDOWS[window]}" if window else ""
    ks.sql(f"CREATE TABLE AGG AS {SELECT} FROM SRC{windowing} GROUP BY REQUIRED0, REQUIRED1;")


def test_should_build_unwindowed_aggregate_correctly(ks: Streams) -> None:
    """shouldBuildUnwindowedAggregateCorrectly (+ shouldBuildAggregatorParamsCorrectlyForUnwindowedAggregate):
    aggregate then map each result; with no record cache every input emits the mapped aggregate, with the
    timestamp of the record that changed it."""
    aggregate(ks)
    ks.insert("SRC", row(1000, argument1=2.0), row(2000, argument1=4.0), row(3000, required1="y", argument1=1.0))
    assert ks.records("AGG") == [
        ({"REQUIRED0": 1, "REQUIRED1": "x"}, {"OUTPUT0": 1, "OUTPUT1": 2.0}, 1000),
        ({"REQUIRED0": 1, "REQUIRED1": "x"}, {"OUTPUT0": 2, "OUTPUT1": 3.0}, 2000),
        ({"REQUIRED0": 1, "REQUIRED1": "y"}, {"OUTPUT0": 1, "OUTPUT1": 1.0}, 3000),
    ]


@pytest.mark.parametrize("window", [None, "TUMBLING", "HOPPING", "SESSION"])
def test_should_build_schema_correctly(ks: Streams, window: str | None) -> None:
    """shouldBuildUnwindowedAggregateWithCorrectSchema / shouldBuildSchemaCorrectlyForWindowedAggregate: the
    OUTPUT_SCHEMA (the group-by columns as the key, the aggregates' output types: AVG's DOUBLE, not its
    intermediate STRUCT), the same with or without a window; a multi-column key needs a format other than
    KAFKA (FORMAT='JSON' on the source)."""
    aggregate(ks, window)
    expected = "`REQUIRED0` BIGINT PRIMARY KEY, `REQUIRED1` STRING PRIMARY KEY, `OUTPUT0` BIGINT, `OUTPUT1` DOUBLE"
    assert ks.schema("AGG") == expected
    src = ks.source("AGG")
    assert (src.window.kind if src.window else None) == window
    assert (src.window.size_ms if src.window else None) == (None if window in (None, "SESSION") else 30_000)


def test_should_build_materialization_correctly_for_unwindowed_aggregate(ks: Streams) -> None:
    """shouldBuildMaterializationCorrectlyForUnwindowedAggregate: the pull query reads the
    `...-Materialize` store through the aggregate's result mapper (the output values, not the intermediate)."""
    aggregate(ks)
    ks.insert("SRC", row(1000, argument1=2.0), row(2000, argument1=4.0))
    assert ks.pull("SELECT * FROM AGG WHERE REQUIRED0 = 1 AND REQUIRED1 = 'x';") == [[1, "x", 2, 3.0]]
    assert ks.pull("SELECT * FROM AGG;") == [[1, "x", 2, 3.0]]


INPUTS = (1000, 31000, 29000, 45000, 5000, 100000)


def test_should_build_tumbling_windowed_aggregate_correctly(ks: Streams) -> None:
    """shouldBuildTumblingWindowedAggregateCorrectly: TimeWindows.ofSizeAndGrace(30 s, 0): a record of a
    window that stream time has passed the end of (29000 and 5000, after 31000) is dropped; the key is
    windowed (TimeWindowedSerializer: the key, then the window start)."""
    aggregate(ks, "TUMBLING")
    ks.insert("SRC", *(row(ts) for ts in INPUTS))
    key = {"REQUIRED0": 1, "REQUIRED1": "x"}
    assert [(k[1], v, ts) for k, v, ts in ks.records("AGG")] == [
        (0, {"OUTPUT0": 1, "OUTPUT1": 1.0}, 1000),
        (30000, {"OUTPUT0": 1, "OUTPUT1": 31.0}, 31000),
        (30000, {"OUTPUT0": 2, "OUTPUT1": 38.0}, 45000),
        (90000, {"OUTPUT0": 1, "OUTPUT1": 100.0}, 100000),
    ]
    assert {k[0] == key for k, _, _ in ks.records("AGG")} == {True}


def test_should_build_hopping_windowed_aggregate_correctly(ks: Streams) -> None:
    """shouldBuildHoppingWindowedAggregateCorrectly: ofSizeAndGrace(30 s, 0).advanceBy(10 s): each record
    updates the (up to three) windows holding it, in window-start order, windows before 0 left out; a closed
    window ([0, 30000) once stream time is 31000) drops the record, the open ones take it."""
    aggregate(ks, "HOPPING")
    ks.insert("SRC", *(row(ts) for ts in INPUTS))
    assert [(k[1], v["OUTPUT0"], v["OUTPUT1"], ts) for k, v, ts in ks.records("AGG")] == [
        (0, 1, 1.0, 1000),
        (10000, 1, 31.0, 31000), (20000, 1, 31.0, 31000), (30000, 1, 31.0, 31000),
        (10000, 2, 30.0, 31000), (20000, 2, 30.0, 31000),
        (20000, 3, 35.0, 45000), (30000, 2, 38.0, 45000), (40000, 1, 45.0, 45000),
        (80000, 1, 100.0, 100000), (90000, 1, 100.0, 100000), (100000, 1, 100.0, 100000),
    ]  # fmt: skip


def test_should_build_session_windowed_aggregate_correctly(ks: Streams) -> None:
    """shouldBuildSessionWindowedAggregateCorrectly: SessionWindows.ofInactivityGapAndGrace(30 s, 0) with the
    merger: a record within the gap of a session merges it (a tombstone for the old session, then the merged
    one, stamped with its end); 5000 joins the open session [1000, 45000] (its end is not before stream time
    less the grace); the key is windowed (SessionKeySchema: key, end, start)."""
    aggregate(ks, "SESSION")
    ks.insert("SRC", *(row(ts) for ts in INPUTS))
    assert [(k[1:], v and (v["OUTPUT0"], v["OUTPUT1"]), ts) for k, v, ts in ks.records("AGG")] == [
        ((1000, 1000), (1, 1.0), 1000),
        ((1000, 1000), None, 1000),
        ((1000, 31000), (2, 16.0), 31000),
        ((1000, 31000), None, 31000),
        ((1000, 31000), (3, 61 / 3), 31000),
        ((1000, 31000), None, 31000),
        ((1000, 45000), (4, 26.5), 45000),
        ((1000, 45000), None, 45000),
        ((1000, 45000), (5, 22.2), 45000),
        ((100000, 100000), (1, 100.0), 100000),
    ]


@pytest.mark.parametrize(
    ("window", "expected"),
    [
        ("TUMBLING", [[1, "x", 0, 30000, 1, 1.0], [1, "x", 30000, 60000, 2, 38.0],
                      [1, "x", 90000, 120000, 1, 100.0]]),
        ("SESSION", [[1, "x", 1000, 45000, 5, 22.2], [1, "x", 100000, 100000, 1, 100.0]]),
    ],
)  # fmt: skip
def test_should_build_materialization_correctly_for_windowed_aggregate(
    ks: Streams, window: str, expected: list
) -> None:
    """shouldBuildMaterializationCorrectlyForWindowedAggregate: two transforms over the windowed store, the
    result mapper and the window bounds: a pull query gives the key, WINDOWSTART, WINDOWEND and the output
    values."""
    aggregate(ks, window)
    ks.insert("SRC", *(row(ts) for ts in INPUTS))
    assert ks.pull("SELECT * FROM AGG WHERE REQUIRED0 = 1 AND REQUIRED1 = 'x';") == expected


def test_windowed_aggregate_window_bounds_in_the_value(ks: Streams) -> None:
    """The window-bounds transform (windowedWithWindowBounds): WINDOWSTART and WINDOWEND selected into the
    value are the record's window."""
    ks.sql(
        "CREATE TABLE AGG AS SELECT REQUIRED1, WINDOWSTART AS WS, WINDOWEND AS WE, COUNT(*) AS C FROM SRC "
        f"WINDOW {WINDOWS['HOPPING']} GROUP BY REQUIRED1;"
    )
    ks.insert("SRC", row(25000))
    assert [(k, v) for k, v, _ in ks.records("AGG")] == [
        (("x", 0), {"WS": 0, "WE": 30000, "C": 1}),
        (("x", 10000), {"WS": 10000, "WE": 40000, "C": 1}),
        (("x", 20000), {"WS": 20000, "WE": 50000, "C": 1}),
    ]
