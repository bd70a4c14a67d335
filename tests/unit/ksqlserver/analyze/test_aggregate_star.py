"""`F(*)` is `F()`: ksqlDB 0.29's AstBuilder.visitFunctionCall builds a FunctionCall without arguments for
`identifier '(' ASTERISK ')'`, and an aggregate without arguments aggregates ROWTIME
(aggregate-functions.md: "providing a `*` character or an empty argument list causes the function to
return only the ROWTIME column ... calling AVG(*) or AVG() returns the average of ROWTIME")."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig


@pytest.fixture(params=[True, False], ids=["fast", "generic"])
def engine(request: pytest.FixtureRequest) -> Iterator[tuple[Engine, MemoryDriver]]:
    d = MemoryDriver()
    d.create_topic("o", partitions=1)
    props = {"ksql.streams.auto.offset.reset": "earliest"}
    e = Engine(EngineConfig(synchronous=True, properties=props, fast_paths=request.param), d)
    e.execute("CREATE STREAM O (ID STRING KEY, Z STRING, T INT) WITH (KAFKA_TOPIC='o', VALUE_FORMAT='JSON');")
    yield e, d
    e.close()


def test_avg_star_is_the_average_of_rowtime(engine: tuple[Engine, MemoryDriver]) -> None:
    e, d = engine
    e.execute("CREATE TABLE A AS SELECT Z, AVG(*) AS A1, AVG() AS A2, COUNT(*) AS C1, MAX(*) AS M "
              "FROM O GROUP BY Z;")  # fmt: skip
    d.produce("o", [Record(f"o{i}".encode(), json.dumps({"Z": "a", "T": i}).encode(), ts)
                    for i, ts in enumerate([1000, 3000, 2000])])  # fmt: skip
    e.drain()
    got = [json.loads(r.value) for r in d.records("A")]
    assert got == [
        {"A1": 1000.0, "A2": 1000.0, "C1": 1, "M": 1000},
        {"A1": 2000.0, "A2": 2000.0, "C1": 2, "M": 3000},
        {"A1": 2000.0, "A2": 2000.0, "C1": 3, "M": 3000},
    ]
