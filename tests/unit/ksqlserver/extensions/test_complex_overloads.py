"""Plugin overloads that differ only inside ARRAY, MAP or STRUCT parameter types stay apart, as in ksqlDB
0.29: UdfLoader takes each parameter's ParamType from its Java type (UdfUtil.getSchemaFromType: List<T> ->
ArrayType of T's type, Map<K, V> -> MapType, a STRUCT parameter -> StructType of its schema, BigDecimal ->
ParamTypes.DECIMAL of any precision), and UdfIndex keys its functions by those parameter lists and matches
arguments with ParamTypes.areCompatible: element, key and value types must match (implicit casts allowed
in the second pass), struct fields exactly, with no cast inside a struct."""

from __future__ import annotations

import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.errors import KsqlError
from ksqlserver.extensions import load_extensions

PLUGIN = '''
from ksqlserver.extensions import udf, udaf

@udf("FIRST_OF", params=[("A", "ARRAY<INTEGER>")], returns="STRING")
def first_int(a):
    return f"int:{a[0]}"

@udf("FIRST_OF", params=[("A", "ARRAY<STRING>")], returns="STRING")
def first_str(a):
    return f"str:{a[0]}"

@udf("FIELD_OF", params=[("S", "STRUCT<A INTEGER>")], returns="STRING")
def field_a(s):
    return f"a:{s['A']}"

@udf("FIELD_OF", params=[("S", "STRUCT<B STRING>")], returns="STRING")
def field_b(s):
    return f"b:{s['B']}"

@udf("MAPPED", params=[("M", "MAP<STRING, INTEGER>")], returns="STRING")
def m_int(m):
    return "int"

@udf("MAPPED", params=[("M", "MAP<STRING, DOUBLE>")], returns="STRING")
def m_double(m):
    return "double"
'''


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    d = tmp_path / "ext"
    d.mkdir()
    (d / "overloads.py").write_text(textwrap.dedent(PLUGIN), encoding="utf-8")
    props = {"ksql.streams.auto.offset.reset": "earliest"}
    e = Engine(EngineConfig(service_id="ov_", extension_dir=d, properties=props), MemoryDriver())
    assert e.state.registry.load_warnings == []
    e.execute("CREATE STREAM X (ID INT KEY, N INT) WITH (KAFKA_TOPIC='x', PARTITIONS=1, VALUE_FORMAT='JSON');")
    e.execute("INSERT INTO X (ID, N) VALUES (1, 2);")
    yield e
    e.close()


def _value(engine: Engine, expression: str) -> object:
    q = engine.start_query(f"SELECT {expression} AS R FROM X EMIT CHANGES LIMIT 1;")
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            rows = q.poll(0.2)
            if rows:
                return rows[0][0]
        raise AssertionError("no row")
    finally:
        q.close()


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("FIRST_OF(ARRAY['x'])", "str:x"),
        ("FIRST_OF(ARRAY[1])", "int:1"),
        ("FIELD_OF(STRUCT(B:='q'))", "b:q"),
        ("FIELD_OF(STRUCT(A:=1))", "a:1"),
        ("MAPPED(MAP('a':=1))", "int"),
        ("MAPPED(MAP('a':=1.5))", "double"),  # DECIMAL -> DOUBLE: the second pass's implicit cast
        ("MAPPED(MAP('a':=CAST(1 AS BIGINT)))", "double"),
    ],
)
def test_each_call_reaches_its_own_overload(engine: Engine, expression: str, expected: str) -> None:
    """UdfIndex.getFunction over ArrayType / StructType / MapType parameter lists (ParamTypes.areCompatible)."""
    assert _value(engine, expression) == expected


@pytest.mark.parametrize(
    ("expression", "arguments"),
    [
        ("FIRST_OF(ARRAY[CAST(1 AS BIGINT)])", "(ARRAY<BIGINT>)"),  # BIGINT does not narrow to INTEGER
        ("FIELD_OF(STRUCT(C:=1))", "(STRUCT<C INTEGER>)"),
        ("FIELD_OF(STRUCT(A:=CAST(1 AS BIGINT)))", "(STRUCT<A BIGINT>)"),  # no implicit cast inside a struct
    ],
)
def test_no_overload_accepts_other_inner_types(engine: Engine, expression: str, arguments: str) -> None:
    """UdfIndex.createNoMatchingFunctionException: no parameter list is compatible."""
    name = expression.split("(", 1)[0]
    with pytest.raises(KsqlError) as info:
        engine.start_query(f"SELECT {expression} AS R FROM X EMIT CHANGES;")
    assert f"Function '{name}' does not accept parameters {arguments}." in info.value.message


def test_decimals_of_any_precision_are_one_parameter_type(tmp_path: Path) -> None:
    """ParamTypes.DECIMAL has no precision: two overloads differing only in it are the same parameter list,
    which UdfIndex.addFunction refuses; the loader reports the function and skips it."""
    d = tmp_path / "ext"
    d.mkdir()
    (d / "dup.py").write_text(
        textwrap.dedent(
            """
            from ksqlserver.extensions import udf

            @udf("HALF", params=["DECIMAL(4, 2)"], returns="DOUBLE")
            def half_small(x):
                return float(x) / 2

            @udf("HALF", params=["DECIMAL(10, 2)"], returns="DOUBLE")
            def half_big(x):
                return float(x) / 2
            """
        ),
        encoding="utf-8",
    )
    registry = load_extensions(d, {})
    assert registry.get("HALF") is None
    assert registry.load_warnings == [f"Failed to load extension {d / 'dup.py'}: function HALF declares the same parameters twice"]
