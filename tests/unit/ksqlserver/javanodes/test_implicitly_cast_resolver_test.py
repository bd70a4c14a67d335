"""Port of ksqlDB 0.29 `io.confluent.ksql.planner.plan.ImplicitlyCastResolverTest` (shouldNotResolveNonDecimalTarget,
shouldCastToDecimal, shouldNotCastToDecimal).

ImplicitlyCastResolver serves SelectionUtil.resolveSingleColumn when an INSERT INTO ... SELECT has a target
schema: a numeric literal selected into a DECIMAL sink column becomes a DECIMAL literal of the column's
scale when its own precision and scale fit (DecimalUtil.canImplicitlyCast); anything else is left as it is,
and the sink's schema check then refuses a type that differs. Here: INSERT INTO a stream with a
DECIMAL(5, 2) column, the raw JSON values it writes, and the refusals. A DecimalLiteral's own type comes
from its value (`5.00` is DECIMAL(3, 2)), which the refusal of the other column shows."""

from __future__ import annotations

from typing import Any

import pytest

from ksqlserver.drivers.base import Record


@pytest.fixture
def n(nodes: Any) -> Any:
    for topic in ("source", "target"):
        nodes.driver.create_topic(topic, partitions=1)
    nodes.sql("CREATE STREAM SOURCE (I INT) WITH (KAFKA_TOPIC='source', VALUE_FORMAT='JSON');")
    nodes.sql("CREATE STREAM TARGET (C1 DECIMAL(5, 2), S STRING) WITH (KAFKA_TOPIC='target', VALUE_FORMAT='JSON');")
    return nodes


def _written(n: Any, literal: str) -> bytes:
    n.sql(f"INSERT INTO TARGET SELECT {literal} AS C1, 'x' AS S FROM SOURCE;")
    n.driver.produce("source", [Record(None, b'{"I": 7}', 0)])
    n.engine.drain()
    value: bytes = n.driver.records("target")[-1].value
    return value


@pytest.mark.parametrize(
    ("literal", "json"),
    [
        ("5", b'{"C1":5.00,"S":"x"}'),  # IntegerLiteral
        ("5E0", b'{"C1":5.00,"S":"x"}'),  # DoubleLiteral
        ("10", b'{"C1":10.00,"S":"x"}'),  # the Java DecimalLiteral(BigDecimal.TEN) -> 10.00
        ("10.1", b'{"C1":10.10,"S":"x"}'),  # DecimalLiteral
        ("-5", b'{"C1":-5.00,"S":"x"}'),  # the grammar's `MINUS? INTEGER_VALUE`: a literal too
    ],
)
def test_should_cast_to_decimal(n: Any, literal: str, json: bytes) -> None:
    """shouldCastToDecimal: the literal is cast to DECIMAL(5, 2) (5 -> 5.00, 10.1 -> 10.10)."""
    assert _written(n, literal) == json


@pytest.mark.parametrize(
    ("literal", "kind"),
    [("true", "BOOLEAN"), ("'10.2'", "STRING"), ("10.133", "DECIMAL(5, 3)"), ("5000000000", "BIGINT")],
)
def test_should_not_cast_to_decimal(n: Any, literal: str, kind: str) -> None:
    """shouldNotCastToDecimal: a BOOLEAN or STRING literal, or a number that does not fit DECIMAL(5, 2)
    (scale 3; ten digits), keeps its type, which the sink refuses."""
    assert n.fails(f"INSERT INTO TARGET SELECT {literal} AS C1, 'x' AS S FROM SOURCE;") == (
        "Incompatible schema between results and sink.\n"
        f"Result schema is `C1` {kind}, `S` STRING\n"
        "Sink schema is `C1` DECIMAL(5, 2), `S` STRING"
    )


def test_should_not_resolve_non_decimal_target(n: Any) -> None:
    """shouldNotResolveNonDecimalTarget: an INTEGER literal selected into a STRING column stays INTEGER;
    the DECIMAL column's literal is cast, to a DECIMAL literal of its own precision."""
    assert n.fails("INSERT INTO TARGET SELECT 5 AS C1, 5 AS S FROM SOURCE;") == (
        "Incompatible schema between results and sink.\n"
        "Result schema is `C1` DECIMAL(3, 2), `S` INTEGER\n"
        "Sink schema is `C1` DECIMAL(5, 2), `S` STRING"
    )


def test_only_literals_are_cast(n: Any) -> None:
    """ImplicitlyCastResolver.resolve returns any other expression as it is: an INT column stays INT."""
    assert n.fails("INSERT INTO TARGET SELECT I AS C1, 'x' AS S FROM SOURCE;") == (
        "Incompatible schema between results and sink.\n"
        "Result schema is `C1` INTEGER, `S` STRING\n"
        "Sink schema is `C1` DECIMAL(5, 2), `S` STRING"
    )
