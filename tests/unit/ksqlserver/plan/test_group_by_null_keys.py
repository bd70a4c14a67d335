"""A row whose grouping column is null, or fails to compute, is left out of the aggregation and reported to
the processing log by the column's index, the first such column only (ksqlDB's
GroupByParamsFactory.processColumn) — on the fast aggregation loop as on the generic operator."""

from __future__ import annotations

import json

import pytest

from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig

EARLIEST = {"ksql.streams.auto.offset.reset": "earliest"}
NULL = "Group-by column with index {} resolved to null. The source row will be excluded from the table."
FAILED = "Error calculating group-by column with index {}. The source row will be excluded from the table."


def run(query: str, values: list[dict[str, object]], fast: bool) -> tuple[list[tuple[bytes, str]], list[str]]:
    d = MemoryDriver()
    d.create_topic("input", partitions=1)
    e = Engine(EngineConfig(service_id="g_", synchronous=True, properties=EARLIEST, fast_paths=fast), d)
    try:
        e.execute("CREATE STREAM TEST (ID INT KEY, K STRING, I INT) WITH (KAFKA_TOPIC='input', VALUE_FORMAT='JSON');")
        e.execute(query)
        d.produce("input", [Record(None, json.dumps(v).encode(), i) for i, v in enumerate(values)])
        e.drain()
        out = [(r.key, r.value.decode()) for r in d.records("OUTPUT")]
        log = [
            json.loads(r.value)["message"]["recordProcessingError"]["errorMessage"]
            for r in d.records("g_ksql_processing_log")
        ]
        return out, log
    finally:
        e.close()


@pytest.mark.parametrize("fast", [True, False])
def test_null_grouping_column_is_reported_by_index(fast: bool) -> None:
    out, log = run(
        "CREATE TABLE OUTPUT WITH (KEY_FORMAT='JSON') AS SELECT K, I, COUNT(*) AS C FROM TEST GROUP BY K, I;",
        [{"K": "a", "I": None}, {"K": None, "I": None}, {"K": "a", "I": 1}],
        fast,
    )
    assert out == [(b'{"K":"a","I":1}', '{"C":1}')]
    assert log == [NULL.format(1), NULL.format(0)]  # the first null column only


@pytest.mark.parametrize("fast", [True, False])
def test_failing_grouping_column_is_reported_by_index(fast: bool) -> None:
    out, log = run(
        "CREATE TABLE OUTPUT AS SELECT 10 / I AS X, COUNT(*) AS C FROM TEST GROUP BY 10 / I;",
        [{"I": 0}, {"I": 5}],
        fast,
    )
    assert out == [(b"\x00\x00\x00\x02", '{"C":1}')]
    assert log == [FAILED.format(0)]
