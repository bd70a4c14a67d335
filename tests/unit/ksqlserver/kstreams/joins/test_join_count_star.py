"""COUNT(*) over a join: ksqlDB 0.29's AggregateAnalyzer gives an aggregate called without arguments
Analysis.getDefaultArgument, the ROWTIME of the first source (`<first alias>.ROWTIME`), and CountKudaf
counts non-null values. Over a right or full outer join the left ROWTIME is null in a row without a left
side, so COUNT(*) does not count it. Observed on ksqlDB 0.29 built from source (the development oracle):
`SELECT RN, COUNT(*) FROM L RIGHT JOIN R ... GROUP BY RN` emits 0 for a right row with no left match.
"""
from __future__ import annotations

import json
import struct
from typing import TYPE_CHECKING

import pytest

from ksqlserver.drivers.base import Record

if TYPE_CHECKING:
    from conftest import Joins


@pytest.mark.parametrize(
    ("n", "kind", "expected"),
    [(0, "RIGHT JOIN", [0, 1]), (1, "FULL OUTER JOIN", [0, 1]), (2, "INNER JOIN", [1])],
)
def test_count_star_counts_left_rowtime(joins: Joins, n: int, kind: str, expected: list[int]) -> None:
    """AggregateAnalyzer.AggregateVisitor.visitFunctionCall with Analysis.getDefaultArgument: COUNT(*) and
    COUNT() are COUNT(L.ROWTIME); COUNT(R.RV) counts the right rows."""
    e, d = joins.engine, joins.driver
    for name, col in (("CL", "LV"), ("CR", "RV")):
        e.execute(
            f"CREATE STREAM {name}{n} (ID INT KEY, {col} STRING) "
            f"WITH (KAFKA_TOPIC='{name.lower()}{n}', PARTITIONS=1, VALUE_FORMAT='JSON');"
        )
    e.execute(
        f"CREATE TABLE CC{n} AS SELECT RV, COUNT(*) AS C, COUNT() AS C2, COUNT(RV) AS C3 FROM CL{n} L "
        f"{kind} CR{n} R WITHIN 10 SECONDS ON L.ID = R.ID GROUP BY RV;"
    )
    d.produce(f"cr{n}", [Record(struct.pack(">i", 1), json.dumps({"RV": "x"}).encode(), 1000)])
    e.drain()
    d.produce(f"cl{n}", [Record(struct.pack(">i", 1), json.dumps({"LV": "a"}).encode(), 1100)])
    e.drain()
    rows = [json.loads(r.value) for r in d.records(f"CC{n}")]
    assert [r["C"] for r in rows] == expected
    assert [r["C2"] for r in rows] == expected
    assert [r["C3"] for r in rows] == list(range(1, len(expected) + 1))  # every joined row has RV
