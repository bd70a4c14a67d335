"""Values of expressions as ksqlDB 0.29's InterpretedExpressionTest, CastEvaluatorTest and DecimalUtilTest
specify them (result type and value), evaluated by the Engine on the in-memory driver."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig

CREATE = (
    "CREATE STREAM S (ID STRING KEY, I INT, BI BIGINT, DB DOUBLE, DEC DECIMAL(4, 2), STR STRING, BO BOOLEAN, "
    "TS TIMESTAMP, DT DATE, TM TIME, B BYTES, A ARRAY<INT>, ST STRUCT<X INT, Y STRING>) "
    "WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');"
)
ROW = {
    "I": 7, "BI": 5, "DB": 6.5, "DEC": 1.25, "STR": "abc", "BO": True, "TS": 864000000, "DT": 10, "TM": 1000,
    "B": "ew==", "A": [10, 20, 30], "ST": {"X": 10, "Y": "y"},
}  # fmt: skip


@pytest.fixture
def env() -> Iterator[tuple[Engine, MemoryDriver]]:
    d = MemoryDriver()
    d.create_topic("s", partitions=1)
    e = Engine(EngineConfig(service_id="x_", synchronous=True, properties={"auto.offset.reset": "earliest"}), d)
    e.execute(CREATE)
    yield e, d
    e.close()


def evaluate(env: tuple[Engine, MemoryDriver], expression: str) -> tuple[str, Any]:
    e, d = env
    e.execute(f"CREATE STREAM O AS SELECT ID, {expression} AS X FROM S;")
    d.produce("s", [Record(b"k", json.dumps(ROW).encode(), 1)])
    e.drain()
    [out] = [json.loads(r.value) for r in d.records("O")]
    column = e.state.metastore.require("O").schema.value[0]
    return str(column.type), out["X"]


@pytest.mark.parametrize(
    ("expression", "type_", "value"),
    [
        # shouldEvaluateCastToInteger / Bigint / Double / Decimal / String
        ("CAST(10 AS INTEGER)", "INTEGER", 10),
        ("CAST('1234' AS INTEGER)", "INTEGER", 1234),
        ("CAST(12.5e0 AS INTEGER)", "INTEGER", 12),
        ("CAST(4567.5 AS INTEGER)", "INTEGER", 4567),
        ("CAST(12.5e0 AS BIGINT)", "BIGINT", 12),
        ("CAST('1234.5' AS DOUBLE)", "DOUBLE", 1234.5),
        ("CAST(4567.5 AS DOUBLE)", "DOUBLE", 4567.5),
        ("CAST(10 AS DECIMAL(10, 1))", "DECIMAL(10, 1)", 10.0),
        ("CAST('1234.5' AS DECIMAL(10, 1))", "DECIMAL(10, 1)", 1234.5),
        ("CAST(12.5e0 AS STRING)", "STRING", "12.5"),
        ("CAST(4567.5 AS STRING)", "STRING", "4567.5"),
        # shouldEvaluateCastToTimestamp / Time / Date
        ("CAST('2017-11-13T23:59:58' AS TIMESTAMP)", "TIMESTAMP", 1510617598000),
        ("CAST(DT AS TIMESTAMP)", "TIMESTAMP", 864000000),
        ("CAST('23:59:58' AS TIME)", "TIME", 86398000),
        ("CAST(TS AS TIME)", "TIME", 0),
        ("CAST('2017-11-13' AS DATE)", "DATE", 17483),
        ("CAST(TS AS DATE)", "DATE", 10),
        # shouldEvaluateCastToArray / Map / Bytes
        ("CAST(ARRAY['1', '2'] AS ARRAY<INTEGER>)", "ARRAY<INTEGER>", [1, 2]),
        ("CAST(ARRAY[2.5e0, 3.6e0] AS ARRAY<INTEGER>)", "ARRAY<INTEGER>", [2, 3]),
        ("CAST(ARRAY[2.5e0, 3.6e0] AS ARRAY<STRING>)", "ARRAY<STRING>", ["2.5", "3.6"]),
        ("CAST(MAP(2.5e0 := '2', 3.5e0 := '4') AS MAP<STRING, BIGINT>)", "MAP<STRING, BIGINT>",
         {"2.5": 2, "3.5": 4}),
        ("CAST(B AS BYTES)", "BYTES", "ew=="),
        # DecimalUtil.cast(double): the double's exact value rounded to the precision, then to the scale
        ("CAST(1.005e0 AS DECIMAL(4, 2))", "DECIMAL(4, 2)", 1.01),
        ("CAST(1.005e0 AS DECIMAL(20, 2))", "DECIMAL(20, 2)", 1.00),
        # shouldEvaluateArithmetic
        ("1 + 2", "INTEGER", 3),
        ("5.5e0 + BI", "DOUBLE", 10.5),
        ("5 * BI", "BIGINT", 25),
        ("BI / 2", "BIGINT", 2),
        ("BI % 3", "BIGINT", 2),
        ("DEC + 12.5", "DECIMAL(5, 2)", 13.75),
        ("DEC + 12.5e0", "DOUBLE", 13.75),
        # shouldEvaluateUnaryArithmetic
        ("-I", "INTEGER", -7),
        ("+I", "INTEGER", 7),
        ("-DEC", "DECIMAL(4, 2)", -1.25),
        ("-DB", "DOUBLE", -6.5),
        # comparisons of time types with each other and with text; BYTES compare signed
        ("TS > '1970-01-10T23:59:59'", "BOOLEAN", True),
        ("TS = DT", "BOOLEAN", True),
        ("TM <= '00:01:32'", "BOOLEAN", True),
        ("DT >= '1970-01-20'", "BOOLEAN", False),
        ("B > TO_BYTES('bg==', 'base64')", "BOOLEAN", True),
        # shouldEvaluateBetween / InPredicate / LikePredicate / SearchedCase / Struct / Subscript
        ("I BETWEEN 5 AND 10", "BOOLEAN", True),
        ("I NOT BETWEEN 5 AND 10", "BOOLEAN", False),
        ("I IN (6, 7, 8)", "BOOLEAN", True),
        ("STR IN ('a', 'b')", "BOOLEAN", False),
        ("STR LIKE 'a%'", "BOOLEAN", True),
        ("STR LIKE '%b'", "BOOLEAN", False),
        ("CASE WHEN I > 10 THEN 'Large' WHEN I > 6 THEN 'Medium' ELSE 'Small' END", "STRING", "Medium"),
        ("ST->X", "INTEGER", 10),
        ("A[1]", "INTEGER", 10),
        ("A[-1]", "INTEGER", 30),
        ("STRUCT(A := I, B := STR)", "STRUCT<`A` INTEGER, `B` STRING>", {"A": 7, "B": "abc"}),
        ("TRANSFORM(A, X => X + 1)", "ARRAY<INTEGER>", [11, 21, 31]),
    ],
)  # fmt: skip
def test_values(env: tuple[Engine, MemoryDriver], expression: str, type_: str, value: Any) -> None:
    assert evaluate(env, expression) == (type_, value)
