"""GROUP BY on ARRAY, STRUCT and MAP expressions as ksqlDB 0.29 treats them: ARRAY and STRUCT keys are
accepted where the sink's key format can write them (JSON here; KAFKA and DELIMITED refuse the type with
0.29's message), equal values group together whatever their source record, and MAP keys (or keys holding
a map) are refused at statement time (ksqlDB's GenericKeySerDe check)."""

from __future__ import annotations

import json

import pytest

from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.errors import KsqlError

EARLIEST = {"ksql.streams.auto.offset.reset": "earliest"}
SOURCE = (
    "CREATE STREAM S (ID INT KEY, A ARRAY<INT>, M MAP<STRING, INT>, ST STRUCT<X INT, Y ARRAY<STRING>>) "
    "WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');"
)
ROWS = [
    {"A": [1, 2], "M": {"k": 1}, "ST": {"X": 1, "Y": ["a"]}},
    {"A": [1, 2], "M": {"k": 2}, "ST": {"X": 1, "Y": ["a"]}},
    {"A": [2, 1], "M": {"k": 1}, "ST": {"X": 1, "Y": ["b"]}},
    {"A": None, "M": None, "ST": None},  # a null grouping key: the row is dropped
    {"A": [1, 2], "M": {"k": 1}, "ST": {"X": 1, "Y": ["a"]}},
]


@pytest.fixture
def engine() -> tuple[Engine, MemoryDriver]:
    d = MemoryDriver()
    d.create_topic("s")
    e = Engine(EngineConfig(service_id="g_", synchronous=True, properties=EARLIEST), d)
    e.execute(SOURCE)
    yield e, d
    e.close()


def _run(e: Engine, d: MemoryDriver, statement: str) -> list[tuple[object, object]]:
    e.execute(statement)
    d.produce("s", [Record(i.to_bytes(4, "big"), json.dumps(r).encode(), i, 0, i) for i, r in enumerate(ROWS)])
    e.drain()
    (q,) = e.state.persistent.values()
    return [(json.loads(r.key), json.loads(r.value)) for r in d.records(q.sink.topic)]


@pytest.mark.parametrize("fast", [True, False])
def test_group_by_array_expression_with_json_key(fast: bool) -> None:
    d = MemoryDriver()
    d.create_topic("s")
    e = Engine(EngineConfig(service_id="g_", synchronous=True, properties=EARLIEST, fast_paths=fast), d)
    try:
        e.execute(SOURCE)
        got = _run(e, d, "CREATE TABLE G WITH (KEY_FORMAT='JSON') AS SELECT A, COUNT(*) AS N FROM S GROUP BY A;")
    finally:
        e.close()
    assert got == [([1, 2], {"N": 1}), ([1, 2], {"N": 2}), ([2, 1], {"N": 1}), ([1, 2], {"N": 3})]


def test_group_by_struct_holding_an_array(engine: tuple[Engine, MemoryDriver]) -> None:
    e, d = engine
    got = _run(e, d, "CREATE TABLE G WITH (KEY_FORMAT='JSON') AS SELECT ST, COUNT(*) AS N FROM S GROUP BY ST;")
    a, b = {"X": 1, "Y": ["a"]}, {"X": 1, "Y": ["b"]}
    assert got == [(a, {"N": 1}), (a, {"N": 2}), (b, {"N": 1}), (a, {"N": 3})]


def test_group_by_built_array_with_several_columns(engine: tuple[Engine, MemoryDriver]) -> None:
    e, d = engine
    got = _run(
        e, d,
        "CREATE TABLE G WITH (KEY_FORMAT='JSON') AS SELECT ARRAY[A[1], ST->X] AS K, COUNT(*) AS N FROM S "
        "GROUP BY ARRAY[A[1], ST->X];",
    )  # fmt: skip
    # the null row's array is [null, null]: a non-null key, so it groups (as in ksqlDB)
    assert [k for k, _ in got] == [[1, 1], [1, 1], [2, 1], [None, None], [1, 1]]
    assert got[-1][1] == {"N": 3}


@pytest.mark.parametrize("expr", ["A", "ST"])
def test_array_and_struct_keys_need_a_key_format_that_writes_them(
    engine: tuple[Engine, MemoryDriver], expr: str
) -> None:
    e, _ = engine
    # KafkaSerdeFactory names the type only (DELIMITED's message adds the column)
    with pytest.raises(KsqlError, match=r"reason: The 'KAFKA' format does not support type '(ARRAY|STRUCT)'$"):
        e.execute(f"CREATE TABLE G AS SELECT {expr}, COUNT(*) AS N FROM S GROUP BY {expr};")


@pytest.mark.parametrize(
    "expr, column_type",
    [("M", "MAP<STRING, INTEGER>"), ("STRUCT(X := M)", "STRUCT<`X` MAP<STRING, INTEGER>>")],
)
def test_map_keys_are_refused(engine: tuple[Engine, MemoryDriver], expr: str, column_type: str) -> None:
    e, _ = engine
    with pytest.raises(KsqlError, match="Map keys, including types that contain maps, are not supported") as err:
        e.execute(f"CREATE TABLE G WITH (KEY_FORMAT='JSON') AS SELECT {expr} AS K, COUNT(*) AS N FROM S GROUP BY {expr};")
    assert f"Column type: {column_type}." in str(err.value)
