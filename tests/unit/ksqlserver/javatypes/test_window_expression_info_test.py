"""ksqlDB 0.29's HoppingWindowExpressionTest, TumblingWindowExpressionTest and SessionWindowExpressionTest
(ksqldb-parser, io.confluent.ksql.parser.tree): each window expression's WindowInfo (type, size) becomes the
windowed key of the aggregate's table, which DESCRIBE shows as its window type. The equality assertions have
no observable counterpart."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.mark.parametrize(
    ("window", "kind"),
    [
        ("HOPPING (SIZE 20 MINUTES, ADVANCE BY 10 SECONDS)", "HOPPING"),  # HoppingWindowExpressionTest
        ("TUMBLING (SIZE 11 SECONDS)", "TUMBLING"),  # TumblingWindowExpressionTest.shouldReturnWindowInfo
        ("TUMBLING (SIZE 20 SECONDS, RETENTION 40 SECONDS, GRACE PERIOD 10 SECONDS)", "TUMBLING"),
        ("SESSION (10 SECONDS)", "SESSION"),  # SessionWindowExpressionTest.shouldReturnWindowInfo
    ],
)
def test_return_window_info(t: Any, window: str, kind: str) -> None:
    """*WindowExpressionTest.shouldReturnWindowInfo."""
    t.create("K STRING KEY, V INT", name="A")
    t.run(f"CREATE TABLE W AS SELECT K, COUNT(*) AS C FROM A WINDOW {window} GROUP BY K;")
    [entity] = t.run("DESCRIBE W;")
    assert entity["sourceDescription"]["windowType"] == kind
