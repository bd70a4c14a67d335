"""Port of ksqlDB 0.29 `io.confluent.ksql.rest.server.resources.streaming.TombstoneFactoryTest`
(shouldHandleKeyInProjection, shouldHandleKeyColumnNotInProjection, shouldHandleSomeKeyColumnsNotInProjection;
shouldThrowIfDataRowNotATombstone and shouldThrowIfTombstoneKeyHasTooFewColumns guard internal invariants no
request reaches): a push query on a table turns a deletion into a row flagged `tombstone`, whose key
columns carry the deleted key wherever the projection puts them and every other column is null."""

from __future__ import annotations

import json
from typing import Any

import pytest

from ksqlserver.drivers.base import Record


def _server(rest: Any) -> Any:
    _, driver, server = rest.start()
    driver.create_topic("t", 1, 1)
    rest.ok(
        server,
        "CREATE TABLE T (K1 INT PRIMARY KEY, K2 INT PRIMARY KEY, V0 INT, V1 INT, V2 INT) "
        "WITH (kafka_topic='t', key_format='JSON', value_format='JSON');",
    )
    key = json.dumps({"K1": 4, "K2": 2}).encode()
    driver.produce(
        "t", [Record(key, json.dumps({"V0": 1, "V1": 3, "V2": 5}).encode(), 1, 0), Record(key, None, 2, 0)]
    )
    return server


@pytest.mark.parametrize(
    ("projection", "tombstone"),
    [
        ("V0, K2, V1, K1, V2", [None, 2, None, 4, None]),  # shouldHandleKeyInProjection
        ("V0, V1, V2", [None, None, None]),  # shouldHandleKeyColumnNotInProjection
        ("V0, K2, V1, V2", [None, 2, None, None]),  # shouldHandleSomeKeyColumnsNotInProjection
    ],
)
def test_tombstone_row(rest: Any, projection: str, tombstone: list[Any]) -> None:
    """TombstoneFactory.createRow: the key columns in their projected places, nulls elsewhere."""
    rows = rest.query_rows(_server(rest), f"SELECT {projection} FROM T EMIT CHANGES LIMIT 2;")
    assert rows[2] == {"row": {"columns": tombstone, "tombstone": True}}
