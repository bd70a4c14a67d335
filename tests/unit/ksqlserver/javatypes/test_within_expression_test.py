"""ksqlDB 0.29's WithinExpressionTest (ksqldb-parser, io.confluent.ksql.parser.tree): a join's WITHIN clause
as SqlFormatter writes it back (WithinExpression.toString: one size, or before/after in parentheses, then
any GRACE PERIOD), the text a CREATE ... AS SELECT answers with. The JoinWindows assertions concern the
Kafka Streams object built from it."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.mark.parametrize(
    ("within", "written"),
    [
        ("WITHIN 20 SECONDS", " WITHIN 20 SECONDS"),  # shouldDisplayCorrectStringWithSingleWithin
        ("WITHIN (30 MINUTES, 40 HOURS)", " WITHIN (30 MINUTES, 40 HOURS)"),  # ...WithBeforeAndAfter
        ("WITHIN 20 SECONDS GRACE PERIOD 5 SECONDS", " WITHIN 20 SECONDS GRACE PERIOD 5 SECONDS"),  # ...WithGracePeriod
        (
            "WITHIN (30 MINUTES, 40 HOURS) GRACE PERIOD 5 SECONDS",
            " WITHIN (30 MINUTES, 40 HOURS) GRACE PERIOD 5 SECONDS",
        ),  # shouldDisplayCorrectStringWithBeforeAndAfterWithGracePeriod
        ("WITHIN 1 SECOND", " WITHIN 1 SECONDS"),  # the unit as TimeUnit names it
    ],
)
def test_display_correct_string(t: Any, within: str, written: str) -> None:
    """WithinExpressionTest.shouldDisplayCorrectString*."""
    t.create("K STRING KEY, V INT", name="A")
    t.create("K STRING KEY, W INT", name="B")
    [entity] = t.run(f"CREATE STREAM J AS SELECT A.K, V, W FROM A JOIN B {within} ON A.K = B.K;")
    assert f"INNER JOIN B B{written} ON ((A.K = B.K))" in entity["statementText"]
