"""DECIMAL values of more than 28 digits (ksqlDB allows up to 38): Python's default decimal context keeps
28 digits, so every operation that goes through it rounded them (or raised, on a rescale), where
ksqlDB's BigDecimal is exact."""

from __future__ import annotations

import json
from decimal import Decimal

from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig

WIDE = "12345678987654321.2345678987654321"  # 33 digits, DECIMAL(33, 16)


def _run(select: str) -> dict[str, Decimal]:
    driver = MemoryDriver()
    driver.create_topic("s", 1)
    engine = Engine(EngineConfig(service_id="w_", synchronous=True,
                                 properties={"ksql.streams.auto.offset.reset": "earliest"}), driver)
    engine.execute("CREATE STREAM S (ID STRING KEY, V DECIMAL(33, 16)) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');")
    engine.execute(f"CREATE STREAM O AS SELECT ID, {select} FROM S;")
    driver.produce("s", [Record(b"k", b'{"V": ' + WIDE.encode() + b'}', 1)])
    engine.drain()
    [out] = driver.records("O")
    return json.loads(out.value, parse_float=Decimal)  # type: ignore[no-any-return]


def test_negation_and_abs_are_exact() -> None:
    out = _run("-V AS NEG, ABS(-V) AS A, -(-V) AS BACK, V AS SAME")
    assert out == {"NEG": Decimal("-" + WIDE), "A": Decimal(WIDE), "BACK": Decimal(WIDE), "SAME": Decimal(WIDE)}


def test_negating_zero_gives_zero() -> None:
    out = _run("-(V - V) AS Z")
    assert out["Z"] == 0 and not out["Z"].is_signed()


def test_rescaling_casts_and_rounding_keep_every_digit() -> None:
    out = _run("CAST(V AS DECIMAL(38, 20)) AS C, ROUND(V, 2) AS R, V + 1 AS P")
    assert out == {"C": Decimal(WIDE + "0000"), "R": Decimal("12345678987654321.2300000000000000"),
                   "P": Decimal("12345678987654322.2345678987654321")}
