"""ksqlDB 0.29's UdtfLoaderTest (ksqldb-engine/src/test/java/io/confluent/ksql/function/UdtfLoaderTest.java):
a table function's overloads are found by their parameter types (primitives, DECIMAL, STRUCT, lists and
maps of them) and give their declared return type (getReturnType: the element type of the list), DECIMAL
with an explicit precision; one that fails is KsqlFunctionException's "Failed to invoke function" in the
processing log, the row dropped. The Java test's `test_udtf` class from udf-example.jar is a Python
plugin here, loaded from the extension directory (extensions.api.udtf)."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.errors import KsqlError

PLUGIN = '''
from decimal import Decimal
from ksqlserver.extensions import udtf

SIMPLE = ["INTEGER", "BIGINT", "DOUBLE", "BOOLEAN", "STRING", "DECIMAL(2, 1)", "STRUCT<A STRING>"]

@udtf("TEST_UDTF", params=SIMPLE, returns="STRING")
def simple_params(*args):
    return [str(a) for a in args]

@udtf("TEST_UDTF", params=[f"ARRAY<{t}>" for t in SIMPLE], returns="STRING")
def list_params(*args):
    return [str(a) for a in args]

@udtf("TEST_UDTF", params=["MAP<BIGINT, INTEGER>"] + [f"MAP<STRING, {t}>" for t in SIMPLE[1:]], returns="STRING")
def map_params(*args):
    return [str(a) for a in args]

@udtf("TEST_UDTF", params=["INTEGER"], returns="INTEGER")
def list_int_return(i):
    return [i, i]

@udtf("TEST_UDTF", params=["BIGINT"], returns="BIGINT")
def list_long_return(i):
    return [i]

@udtf("TEST_UDTF", params=["DOUBLE"], returns="DOUBLE")
def list_double_return(i):
    return [i]

@udtf("TEST_UDTF", params=["BOOLEAN"], returns="BOOLEAN")
def list_boolean_return(i):
    return [i]

@udtf("TEST_UDTF", params=["STRING"], returns="STRING")
def list_string_return(s):
    return [s]

@udtf("TEST_UDTF", params=["DECIMAL(2, 1)"], returns="DECIMAL(30, 10)")
def list_decimal_return(d):
    return [Decimal(d).quantize(Decimal("1.0000000000"))]

@udtf("TEST_UDTF", params=["STRUCT<A STRING>"], returns="STRUCT<A STRING>")
def list_struct_return(s):
    return [s]

@udtf("BAD_TEST_UDTF", params=["STRING"], returns="STRING")
def bad_list_string_return(s):
    raise RuntimeError("boom")

@udtf("NULL_TEST_UDTF", params=["STRING"], returns="STRING")
def null_return(s):
    return None
'''

SIMPLE = ["INTEGER", "BIGINT", "DOUBLE", "BOOLEAN", "STRING", "DECIMAL(2, 1)", "STRUCT<A STRING>"]


class Udtfs:
    def __init__(self, ext: Path) -> None:
        self.driver = MemoryDriver()
        self.driver.create_topic("s", partitions=1)
        # the Java unit tests run no SchemaRegisterInjector
        self.engine = Engine(EngineConfig(service_id="tf_", synchronous=True, extension_dir=ext,
                                          properties={"ksql.streams.auto.offset.reset": "earliest"},
                                          schema_register_injector=False), self.driver)
        self.n = 0

    def return_type(self, *arg_types: str) -> str:
        """The column type TEST_UDTF gives for arguments of these types."""
        self.n += 1
        cols = ", ".join(f"C{i} {t}" for i, t in enumerate(arg_types))
        self.engine.execute(f"CREATE STREAM S{self.n} (K STRING KEY, {cols}) WITH (KAFKA_TOPIC='s', "
                            "KEY_FORMAT='KAFKA', VALUE_FORMAT='JSON');")
        args = ", ".join(f"C{i}" for i in range(len(arg_types)))
        self.engine.execute(f"CREATE STREAM O{self.n} AS SELECT K, TEST_UDTF({args}) AS R FROM S{self.n};")
        src = self.engine.state.metastore.require(f"O{self.n}")
        return str(src.schema.find("R").type)  # type: ignore[union-attr]


@pytest.fixture
def udtfs(tmp_path: Path) -> Iterator[Udtfs]:
    ext = tmp_path / "ext"
    ext.mkdir()
    (ext / "test_udtf.py").write_text(textwrap.dedent(PLUGIN), encoding="utf-8")
    u = Udtfs(ext)
    yield u
    u.engine.close()


def test_should_load_simple_params(udtfs: Udtfs) -> None:
    """shouldLoadSimpleParams"""
    assert udtfs.return_type(*SIMPLE) == "STRING"


def test_should_load_parameterized_list_params(udtfs: Udtfs) -> None:
    """shouldLoadParameterizedListParams"""
    assert udtfs.return_type(*(f"ARRAY<{t}>" for t in SIMPLE)) == "STRING"


def test_should_load_parameterized_map_params(udtfs: Udtfs) -> None:
    """shouldLoadParameterizedMapParams (the BIGINT-keyed map built in the query: the serialization formats
    hold STRING-keyed maps only)"""
    cols = ", ".join(f"C{i} MAP<STRING, {t}>" for i, t in enumerate(SIMPLE[1:]))
    udtfs.engine.execute(f"CREATE STREAM M (K STRING KEY, {cols}) WITH (KAFKA_TOPIC='s', FORMAT='JSON');")
    args = ", ".join(f"C{i}" for i in range(len(SIMPLE) - 1))
    udtfs.engine.execute(f"CREATE STREAM MO AS SELECT K, TEST_UDTF(MAP(CAST(1 AS BIGINT) := 1), {args}) AS R FROM M;")
    src = udtfs.engine.state.metastore.require("MO")
    assert str(src.schema.find("R").type) == "STRING"  # type: ignore[union-attr]


@pytest.mark.parametrize("arg,expected", [
    ("INTEGER", "INTEGER"),  # shouldLoadListIntReturn
    ("BIGINT", "BIGINT"),  # shouldLoadListLongReturn
    ("DOUBLE", "DOUBLE"),  # shouldLoadListDoubleReturn
    ("BOOLEAN", "BOOLEAN"),  # shouldLoadListBooleanReturn
    ("STRING", "STRING"),  # shouldLoadListStringReturn
    ("DECIMAL(2, 1)", "DECIMAL(30, 10)"),  # shouldLoadListBigDecimalReturnWithSchemaProvider
    ("STRUCT<A STRING>", "STRUCT<`A` STRING>"),  # shouldLoadListStructReturnWithSchemaAnnotation / VarArgs
])
def test_should_load_list_return(udtfs: Udtfs, arg: str, expected: str) -> None:
    """shouldLoadList*Return: the element type of the returned list is the column's type."""
    assert udtfs.return_type(arg) == expected


def test_one_row_per_element(udtfs: Udtfs) -> None:
    """KudtfFlatMapper over the loaded function: [i, i] gives two rows."""
    udtfs.return_type("INTEGER")
    udtfs.driver.produce("s", [Record(b"k", json.dumps({"C0": 7}).encode(), 1)])
    udtfs.engine.drain()
    assert [json.loads(r.value) for r in udtfs.driver.records("O1")] == [{"R": 7}, {"R": 7}]


def logged_errors(udtfs: Udtfs) -> list[dict[str, object]]:
    return [json.loads(r.value)["message"]["recordProcessingError"]
            for r in udtfs.driver.records("tf_ksql_processing_log")]


def test_should_not_let_bad_udtfs_fail_the_query(udtfs: Udtfs) -> None:
    """shouldNotLetBadUdtfsExit: the failure is logged as TableFunctionApplier does ("Table function X
    threw an exception", the function's error as the cause), the row gives no output, the query goes on."""
    udtfs.engine.execute("CREATE STREAM B (K STRING KEY, S STRING) WITH (KAFKA_TOPIC='s', KEY_FORMAT='KAFKA', "
                         "VALUE_FORMAT='JSON');")
    udtfs.engine.execute("CREATE STREAM BO AS SELECT K, BAD_TEST_UDTF(S) AS R FROM B;")
    udtfs.driver.produce("s", [Record(b"k", json.dumps({"S": "foo"}).encode(), 1)])
    udtfs.engine.drain()
    assert udtfs.driver.records("BO") == []
    assert logged_errors(udtfs) == [
        {"errorMessage": "Table function BAD_TEST_UDTF threw an exception", "record": None, "cause": ["boom"]}
    ]
    assert len(udtfs.engine.state.persistent) == 1


def test_unknown_overload_is_refused(udtfs: Udtfs) -> None:
    """getTableFunction: argument types no overload takes."""
    udtfs.engine.execute("CREATE STREAM B (K STRING KEY, T TIME) WITH (KAFKA_TOPIC='s', FORMAT='JSON');")
    with pytest.raises(KsqlError) as err:
        udtfs.engine.execute("CREATE STREAM BO AS SELECT K, TEST_UDTF(T) AS R FROM B;")
    assert err.value.message.startswith("Function 'TEST_UDTF' does not accept parameters (TIME).")
