"""ksqlDB 0.29's KsMaterializationTest (io.confluent.ksql.execution.streams.materialization.ks).

KsMaterialization hands out the store of a table by its window type (shouldReturnWindowType): nonWindowed()
for a plain table (shouldReturnNonWindowed), windowed() for a session, tumbling or hopping one
(shouldReturnWindowedForSession / ...Tumbling / ...Hopping), each refusing the other kind
(shouldThrowOnWindowedIfNotWindowed / shouldThrowOnNonWindowedIfWindowed). Seen as: the window type a
persistent query's description and its table's description carry (QueryDescriptionFactory takes the result
topic's key format's), the window bounds a windowed pull query returns, and the rows each kind holds."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Streams

WINDOWS = {
    "TUMBLING": "WINDOW TUMBLING (SIZE 10 SECONDS)",
    "HOPPING": "WINDOW HOPPING (SIZE 10 SECONDS, ADVANCE BY 5 SECONDS)",
    "SESSION": "WINDOW SESSION (10 SECONDS)",
    None: "",
}


def table(ks: Streams, window: str | None) -> None:
    ks.sql("CREATE STREAM S (K STRING KEY, V INT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, FORMAT='JSON');")
    ks.sql(f"CREATE TABLE A AS SELECT K, COUNT(*) AS C FROM S {WINDOWS[window]} GROUP BY K;")
    ks.insert("S", {"K": "a", "V": 1, "ROWTIME": 6000}, {"K": "a", "V": 1, "ROWTIME": 7000})


@pytest.mark.parametrize("window", ["TUMBLING", "HOPPING", "SESSION", None])
def test_should_return_window_type(ks: Streams, window: str | None) -> None:
    """shouldReturnWindowType: the result topic's key format's window type, in EXPLAIN and DESCRIBE."""
    table(ks, window)
    [explained] = ks.sql("EXPLAIN CTAS_A_0;")
    assert explained["queryDescription"]["windowType"] == window
    [described] = ks.sql("DESCRIBE A EXTENDED;")
    assert described["sourceDescription"]["windowType"] == window


def test_should_return_non_windowed(ks: Streams) -> None:
    """shouldReturnNonWindowed: a plain table's rows have no window bounds."""
    table(ks, None)
    assert ks.pull("SELECT * FROM A WHERE K = 'a';") == [["a", 2]]


def test_should_return_windowed_for_tumbling(ks: Streams) -> None:
    table(ks, "TUMBLING")
    assert ks.pull("SELECT * FROM A WHERE K = 'a';") == [["a", 0, 10000, 2]]


def test_should_return_windowed_for_hopping(ks: Streams) -> None:
    """A hopping window store holds each record in every window that covers it."""
    table(ks, "HOPPING")
    assert ks.pull("SELECT * FROM A WHERE K = 'a';") == [["a", 0, 10000, 2], ["a", 5000, 15000, 2]]


def test_should_return_windowed_for_session(ks: Streams) -> None:
    table(ks, "SESSION")
    assert ks.pull("SELECT * FROM A WHERE K = 'a';") == [["a", 6000, 7000, 2]]


def test_window_bounds_need_a_windowed_table(ks: Streams) -> None:
    """shouldThrowOnWindowedIfNotWindowed: a plain table has no WINDOWSTART to bound."""
    table(ks, None)
    assert "WINDOWSTART" in ks.pull_error("SELECT * FROM A WHERE K = 'a' AND WINDOWSTART = 0;")
