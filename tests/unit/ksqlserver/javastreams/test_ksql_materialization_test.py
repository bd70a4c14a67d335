"""ksqlDB 0.29's KsqlMaterializationTest (io.confluent.ksql.execution.streams.materialization).

KsqlMaterialization wraps the Kafka Streams store: each row read (by key or by a scan) becomes the
"intermediate row" (the value plus ROWTIME, the key columns and, windowed, WINDOWSTART / WINDOWEND:
getIntermediateRow) and goes through the query's transforms in order (shouldCallTransformsInOrder,
shouldPipeTransforms): the aggregate's result mapper, the HAVING filter (a row it rejects is left out:
shouldFilterNonWindowed / shouldFilterWindowed, full scans too) and the final projection
(shouldReturnSelectTransformedFromNonWindowed / ...Windowed). Seen through pull queries."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Streams

ROWS = [("c", 1, 100), ("a", 2, 200), ("b", 1, 300), ("d", 5, 400), ("b", 3, 500), ("aa", 4, 600)]


@pytest.fixture
def ks(ks: Streams) -> Streams:
    ks.sql("CREATE STREAM S (K STRING KEY, V INT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, FORMAT='JSON');")
    return ks


def insert(ks: Streams) -> None:
    for k, v, ts in ROWS:
        ks.insert("S", {"K": k, "V": v, "ROWTIME": ts})


def test_should_filter_non_windowed(ks: Streams) -> None:
    """shouldFilterNonWindowed / shouldFilterNonWindowed_fullScan / shouldReturnEmptyIfInnerNonWindowedReturns
    Empty: HAVING SUM(V) > 1 leaves c out of both a key lookup and a scan."""
    ks.sql("CREATE TABLE A AS SELECT K, COUNT(*) AS C, SUM(V) AS SV FROM S GROUP BY K HAVING SUM(V) > 1;")
    insert(ks)
    assert ks.pull("SELECT * FROM A WHERE K = 'c';") == []
    assert ks.pull("SELECT * FROM A WHERE K = 'b';") == [["b", 2, 4]]
    assert ks.pull("SELECT * FROM A;") == [["a", 1, 2], ["aa", 1, 4], ["b", 2, 4], ["d", 1, 5]]
    assert ks.pull("SELECT * FROM A WHERE K = 'zz';") == []


def test_should_return_select_transformed_from_non_windowed(ks: Streams) -> None:
    """shouldReturnSelectTransformedFromNonWindowed / shouldReturnIntermediateRowNonWindowed: the projection
    runs over the intermediate row, whose ROWTIME is the group's latest record time."""
    ks.sql("CREATE TABLE B AS SELECT K, SUM(V) * 10 AS X, COUNT(*) AS C FROM S GROUP BY K;")
    insert(ks)
    assert ks.pull("SELECT K, ROWTIME, X, C FROM B WHERE K = 'b';") == [["b", 500, 40, 2]]


def test_should_filter_windowed(ks: Streams) -> None:
    """shouldFilterWindowed / shouldFilterWindowed_fullScan / shouldReturnSelectTransformedFromWindowed /
    shouldReturnIntermediateRowWindowed: the HAVING filter and the projection over each window's row."""
    ks.sql(
        "CREATE TABLE W AS SELECT K, SUM(V) AS SV, COUNT(*) * 100 AS C100 FROM S "
        "WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY K HAVING SUM(V) > 1;"
    )
    insert(ks)
    assert ks.pull("SELECT * FROM W WHERE K = 'c';") == []
    assert ks.pull("SELECT * FROM W WHERE K = 'b';") == [["b", 0, 1000, 4, 200]]
    assert ks.pull("SELECT K, WINDOWSTART, WINDOWEND, ROWTIME, SV FROM W WHERE K = 'd';") == [["d", 0, 1000, 400, 5]]
    assert [r[0] for r in ks.pull("SELECT * FROM W;")] == ["a", "aa", "b", "d"]


def test_should_maintain_result_ordering(ks: Streams) -> None:
    """shouldMaintainResultOrdering: a key's windows come in window-start order."""
    ks.sql("CREATE TABLE W AS SELECT K, COUNT(*) AS C FROM S WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY K;")
    for ts in (5000, 1000, 3000):
        ks.insert("S", {"K": "k", "V": 1, "ROWTIME": ts})
    assert [r[1] for r in ks.pull("SELECT * FROM W WHERE K = 'k';")] == [1000, 3000, 5000]
