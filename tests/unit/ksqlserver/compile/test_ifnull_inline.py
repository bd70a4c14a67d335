"""IFNULL of a column and a constant is compiled inline (no call per row: the pipeline's preprocessing fills
31 gaps a row with it); its values and, as a nested call's argument, the nested failures around it must be
those of the function call (functions/nulls.ifnull, ksqlDB's IfNullKudf: the first argument unless null)."""

from __future__ import annotations

import json
from typing import Any

from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig

ROWS = [{"D": None, "S": None, "I": None}, {"D": 1.5, "S": "12", "I": 3}, {"D": -0.0, "S": "x"}, {"S": ""}]


def run(select: str) -> tuple[list[Any], list[str]]:
    d = MemoryDriver()
    d.create_topic("s", partitions=1)
    e = Engine(EngineConfig(service_id="n_", synchronous=True, properties={"auto.offset.reset": "earliest"}), d)
    try:
        e.execute("CREATE STREAM S (ID STRING KEY, D DOUBLE, S STRING, I INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');")
        e.execute(f"CREATE STREAM O AS {select} FROM S;")
        d.produce("s", [Record(f"k{i}".encode(), json.dumps(r).encode(), 1000 + i) for i, r in enumerate(ROWS)])
        e.drain()
        out = [json.loads(r.value) for r in d.records("O")]
        log = [json.loads(r.value)["message"]["recordProcessingError"]["errorMessage"]
               for r in d.records("n_ksql_processing_log")]  # fmt: skip
        return out, log
    finally:
        e.close()


def test_inline_ifnull_gives_the_calls_values() -> None:
    out, log = run("SELECT ID, IFNULL(D, CAST(0 AS DOUBLE)) AS D0, IFNULL(S, 'none') AS S0, IFNULL(I, 7) AS I0, "
                   "IFNULL(I, -1) AS IM")  # fmt: skip
    assert out == [
        {"D0": 0.0, "S0": "none", "I0": 7, "IM": -1},
        {"D0": 1.5, "S0": "12", "I0": 3, "IM": 3},
        {"D0": -0.0, "S0": "x", "I0": 7, "IM": -1},
        {"D0": 0.0, "S0": "", "I0": 7, "IM": -1},
    ]
    assert log == []


def test_inline_ifnull_as_a_nested_argument_is_the_call() -> None:
    """The same expressions with the constant made a call (LCASE('n')), which keeps IFNULL a function
    call: the outputs and the nested failures logged (the CAST of 'x') are the same."""
    inline = run("SELECT ID, CONCAT(IFNULL(S, 'n'), CAST(CAST(S AS INT) AS STRING)) AS C, "
                 "LEN(IFNULL(S, 'n')) AS L")  # fmt: skip
    called = run("SELECT ID, CONCAT(IFNULL(S, LCASE('n')), CAST(CAST(S AS INT) AS STRING)) AS C, "
                 "LEN(IFNULL(S, LCASE('n'))) AS L")  # fmt: skip
    assert inline == called
    assert [r["L"] for r in inline[0]] == [1, 2, 1, 0]
    assert inline[1]  # the CAST of 'x' (and of '') failed and was logged
