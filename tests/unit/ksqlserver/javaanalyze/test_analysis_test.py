"""ksqlDB 0.29's AnalysisTest (ksqldb-engine, io.confluent.ksql.analyzer): Analysis.getFromSourceSchemas gives
the window bounds (WINDOWSTART, WINDOWEND) to a source's columns when the source is windowed, before and
after the aggregation, and after it only when the query has a WINDOW clause. Here each case is the column
reference a statement may or may not make; the messages are ColumnReferenceValidator's (UnknownColumnException)
and, for a WHERE typed before a windowed aggregation, the filter's."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from ksqlserver.drivers.base import Record

if TYPE_CHECKING:
    from conftest import Ksql

_PLAIN = "CREATE STREAM S (K STRING KEY, V INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');"
_WINDOWED = (
    "CREATE STREAM WS (K STRING KEY, V INT) WITH (KAFKA_TOPIC='ws', VALUE_FORMAT='JSON', "
    "WINDOW_TYPE='TUMBLING', WINDOW_SIZE='1 SECOND');"
)


def _sources(ksql: Ksql) -> None:
    ksql.topic("s")
    ksql.topic("ws")
    ksql.execute(_PLAIN)
    ksql.execute(_WINDOWED)


def test_none_windowed_source_schemas_pre_aggregate(ksql: Ksql) -> None:
    """shouldGetNoneWindowedSourceSchemasPreAggregate: a plain source has no window bounds."""
    _sources(ksql)
    msg = ksql.message("CREATE STREAM A AS SELECT K, WINDOWSTART AS W FROM S;")
    assert msg == "Line: 1, Col: 30: SELECT column 'WINDOWSTART' cannot be resolved."


def test_windowed_source_schemas_pre_aggregate(ksql: Ksql) -> None:
    """shouldGetWindowedSourceSchemasPreAggregate: a windowed source's bounds are columns, in WHERE and
    SELECT; they are read from its windowed key (TUMBLING: the start, the end = start + size)."""
    _sources(ksql)
    ksql.execute("CREATE STREAM B AS SELECT K, WINDOWSTART AS W0, WINDOWEND AS W1, V FROM WS WHERE WINDOWSTART >= 1000;")
    ksql.driver.produce(
        "ws",
        [
            Record(b"a" + (0).to_bytes(8, "big"), json.dumps({"V": 1}).encode(), 10),
            Record(b"a" + (1000).to_bytes(8, "big"), json.dumps({"V": 2}).encode(), 1010),
        ],
    )
    assert ksql.values("B") == [{"W0": 1000, "W1": 2000, "V": 2}]


def test_windowed_group_by_source_schemas_pre_aggregate(ksql: Ksql) -> None:
    """shouldGetWindowedGroupBySourceSchemasPreAggregate: a WINDOW clause gives a plain source no bounds
    before the aggregation; a WHERE over them is refused when it is typed against the source."""
    _sources(ksql)
    msg = ksql.message(
        "CREATE TABLE W2 AS SELECT K, COUNT(*) AS N FROM S WINDOW TUMBLING (SIZE 1 SECOND) "
        "WHERE WINDOWSTART > 0 GROUP BY K;"
    )
    assert msg.startswith("Error in WHERE expression: Unknown column WINDOWSTART.")


def test_none_windowed_source_schemas_post_aggregate(ksql: Ksql) -> None:
    """shouldGetNonWindowedSourceSchemasPostAggregate: an aggregation without WINDOW has no bounds to select."""
    _sources(ksql)
    msg = ksql.message("CREATE TABLE C AS SELECT K, COUNT(*) AS N, WINDOWSTART AS W0 FROM S GROUP BY K;")
    assert msg == "Line: 1, Col: 44: SELECT column 'WINDOWSTART' cannot be resolved."


def test_windowed_source_schemas_post_aggregate(ksql: Ksql) -> None:
    """shouldGetWindowedSourceSchemasPostAggregate: a windowed source's bounds resolve after the aggregation
    too; not being grouped by, they are refused by the aggregate analysis, not as unknown columns."""
    _sources(ksql)
    msg = ksql.message("CREATE TABLE E AS SELECT K, COUNT(*) AS N FROM WS GROUP BY K HAVING WINDOWSTART >= 0;")
    assert msg.startswith("Non-aggregate HAVING expression not part of GROUP BY: WINDOWSTART")


def test_windowed_group_by_source_schemas_post_aggregate(ksql: Ksql) -> None:
    """shouldGetWindowedGroupBySourceSchemasPostAggregate: a windowed aggregation selects its bounds."""
    _sources(ksql)
    ksql.execute(
        "CREATE TABLE D AS SELECT K, COUNT(*) AS N, WINDOWSTART AS W0, WINDOWEND AS W1 FROM S "
        "WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY K;"
    )
    ksql.produce("s", [("a", {"V": 1}, 1500)])
    assert ksql.values("D") == [{"N": 1, "W0": 1000, "W1": 2000}]
