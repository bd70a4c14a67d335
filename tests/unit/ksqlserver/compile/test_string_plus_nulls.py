"""`STRING + STRING` as ksqlDB 0.29's SqlToJavaVisitor.visitArithmeticBinary generates it: Java's `(left +
right)`, whose String concatenation writes a null operand as "null" (String.valueOf), so the result is never
null. Observed on the real engine (the /work/oracle differential oracle): NULL + NULL -> 'nullnull'."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig

CREATE = "CREATE STREAM S (ID STRING KEY, A STRING, B STRING) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');"


@pytest.fixture(scope="module")
def outputs() -> Iterator[list[dict[str, object]]]:
    d = MemoryDriver()
    d.create_topic("s", partitions=1)
    e = Engine(EngineConfig(service_id="x_", synchronous=True, properties={"auto.offset.reset": "earliest"}), d)
    e.execute(CREATE)
    e.execute(
        "CREATE STREAM O AS SELECT ID, A + B AS AB, A + 'x' AS AX, CONCAT(A + B, '!') AS C FROM S "
        "WHERE A + B <> 'ab!';"
    )
    rows = [{"A": "a", "B": "b"}, {"A": None, "B": None}, {"A": "a", "B": None}, {"A": "", "B": ""}]
    d.produce("s", [Record(b"k", json.dumps(r).encode(), i) for i, r in enumerate(rows)])
    e.drain()
    yield [json.loads(r.value) for r in d.records("O")]
    e.close()


def test_null_operands_concatenate_as_null_text(outputs: list[dict[str, object]]) -> None:
    assert outputs == [
        {"AB": "ab", "AX": "ax", "C": "ab!"},
        {"AB": "nullnull", "AX": "nullx", "C": "nullnull!"},
        {"AB": "anull", "AX": "ax", "C": "anull!"},
        {"AB": "", "AX": "x", "C": "!"},
    ]
