"""INSERT INTO an existing stream: numeric literals selected into DECIMAL sink columns are implicitly cast
(ksqlDB's ImplicitlyCastResolver through SelectionUtil.resolveSingleColumn); other expressions must already
be of a type the sink's accepts (LogicalSchema.compatibleSchema)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.errors import KsqlError

EARLIEST = {"auto.offset.reset": "earliest"}


@pytest.fixture
def env() -> Iterator[tuple[Engine, MemoryDriver]]:
    d = MemoryDriver()
    d.create_topic("source", partitions=1)
    d.create_topic("target", partitions=1)
    e = Engine(EngineConfig(service_id="x_", synchronous=True, properties=EARLIEST), d)
    e.execute("CREATE STREAM SOURCE (I INT) WITH (KAFKA_TOPIC='source', VALUE_FORMAT='JSON');")
    e.execute(
        "CREATE STREAM TARGET (C1 DECIMAL(5, 2), C2 DECIMAL(5, 2)) WITH (KAFKA_TOPIC='target', VALUE_FORMAT='JSON');"
    )
    yield e, d
    e.close()


def test_literals_cast_to_the_sinks_decimal(env: tuple[Engine, MemoryDriver]) -> None:
    e, d = env
    e.execute("INSERT INTO TARGET SELECT 1 AS C1, 2.0 AS C2 FROM SOURCE;")
    d.produce("source", [Record(None, b'{"I": 7}', 0)])
    e.drain()
    [out] = d.records("target")
    assert json.loads(out.value) == {"C1": 1.0, "C2": 2.0}


@pytest.mark.parametrize(
    "select",
    [
        "1000 AS C1, 2.0 AS C2",  # four integer digits do not fit DECIMAL(5, 2)
        "1 AS C1, 2.125 AS C2",  # scale 3 does not fit scale 2
        "I AS C1, 2.0 AS C2",  # only literals are cast: an INT column stays INT
    ],
)
def test_what_does_not_widen_is_refused(env: tuple[Engine, MemoryDriver], select: str) -> None:
    e, _ = env
    with pytest.raises(KsqlError, match="Incompatible schema between results and sink"):
        e.execute(f"INSERT INTO TARGET SELECT {select} FROM SOURCE;")
