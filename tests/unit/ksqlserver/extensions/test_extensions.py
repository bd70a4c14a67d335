"""Python UDF / UDTF / UDAF plugins from the extension directory: loading, SHOW/DESCRIBE FUNCTION,
broken plugins, per-record and batched calls (same results), resources set up once, table functions.
UDAFs in queries: test_udaf.py."""

from __future__ import annotations

import json
import logging
import textwrap
from pathlib import Path

import pytest

from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.errors import KsqlError
from ksqlserver.extensions import load_extensions

EARLIEST = {"ksql.streams.auto.offset.reset": "earliest"}
CREATE_TX = (
    "CREATE STREAM TX (ID STRING KEY, N INT, X DOUBLE, S STRING) "
    "WITH (KAFKA_TOPIC='tx', VALUE_FORMAT='JSON');"
)

GOOD = '''
from ksqlserver.extensions import FunctionContext, udf, udtf, udaf

BATCHES = []   # sizes of the batches SCALE saw
SETUPS = []    # one entry per set-up of the shared resource

@udf("TIMES_TWO", params=[("X", "INTEGER")], returns="INTEGER", description="twice x",
     author="tests", version="1.2")
def times_two(x):
    return x * 2

@udf("TIMES_TWO", params=[("X", "DOUBLE")], returns="DOUBLE", description="twice a double")
def times_two_double(x):
    return x * 2.0

@udf("SCALE", params=[("X", "DOUBLE")], returns="DOUBLE", batch=True, description="x * factor")
class Scale:
    def __init__(self, ctx: FunctionContext):
        self.factor = ctx.shared("factor", lambda: SETUPS.append(1) or float(ctx.require("factor")))
    def __call__(self, rows):
        BATCHES.append(len(rows))
        if any(r[0] == 13.0 for r in rows):
            raise ValueError("unlucky")
        return [r[0] * self.factor for r in rows]

@udf("SCALE_ONE", params=[("X", "DOUBLE")], returns="DOUBLE", description="per-record twin of SCALE")
class ScaleOne:
    def __init__(self, ctx: FunctionContext):
        self.factor = float(ctx.require("factor"))
    def __call__(self, x):
        if x == 13.0:
            raise ValueError("unlucky")
        return x * self.factor

@udtf("WORDS", params=["STRING"], returns="STRING", description="the words of a text")
def words(s):
    return s.split()

@udtf("UPTO", params=["INTEGER"], returns="INTEGER")
def upto(n):
    return list(range(1, n + 1))

@udaf("MY_SUM", params=["INTEGER"], returns="BIGINT", aggregate="BIGINT", description="a sum")
class MySum:
    def initialize(self): return 0
    def aggregate(self, v, a): return a + v
    def merge(self, a, b): return a + b
    def map(self, a): return a
'''


def _write(directory: Path, name: str, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def ext_dir(tmp_path: Path) -> Path:
    d = tmp_path / "ext"
    _write(d, "good.py", GOOD)
    return d


def _engine(
    ext_dir: Path | None, props: dict[str, str] | None = None, fast_paths: bool = True
) -> tuple[Engine, MemoryDriver]:
    driver = MemoryDriver()
    driver.create_topic("tx", partitions=1)
    properties = dict(EARLIEST)
    properties.update(props or {})
    config = EngineConfig(
        service_id="ext_", synchronous=True, extension_dir=ext_dir, properties=properties, fast_paths=fast_paths
    )
    return Engine(config, driver), driver


def _produce(driver: MemoryDriver, rows: list[dict[str, object]]) -> None:
    driver.produce(
        "tx", [Record(f"k{i}".encode(), json.dumps(r).encode(), 100 + i) for i, r in enumerate(rows)]
    )


def _values(driver: MemoryDriver, topic: str) -> list[tuple[str, dict[str, object]]]:
    return [(r.key.decode(), json.loads(r.value)) for r in driver.records(topic)]


def _module(path: Path) -> object:
    """The module the engine imported from a plugin file (to read the counters it keeps)."""
    import sys

    return next(m for m in list(sys.modules.values()) if getattr(m, "__file__", None) == str(path))


def test_no_directory_means_builtins_only() -> None:
    from ksqlserver.functions import default_registry

    assert load_extensions(None, {}) is default_registry()


def test_show_and_describe_functions(ext_dir: Path) -> None:
    engine, _ = _engine(ext_dir, {"ksql.functions.scale.factor": "3"})
    [shown] = engine.execute("SHOW FUNCTIONS;")
    kinds = {f["name"]: f["type"] for f in shown["functions"]}
    assert (kinds["TIMES_TWO"], kinds["SCALE"], kinds["WORDS"], kinds["MY_SUM"]) == (
        "SCALAR", "SCALAR", "TABLE", "AGGREGATE"
    )
    assert kinds["UCASE"] == "SCALAR" and shown["warnings"] == []
    [desc] = engine.execute("DESCRIBE FUNCTION times_two;")
    assert desc["@type"] == "describe_function"
    assert (desc["name"], desc["author"], desc["version"], desc["type"]) == ("TIMES_TWO", "tests", "1.2", "SCALAR")
    assert desc["path"] == str(ext_dir / "good.py")
    assert desc["description"] == "twice x"
    assert [(f["arguments"][0]["name"], f["arguments"][0]["type"], f["returnType"]) for f in desc["functions"]] == [
        ("X", "DOUBLE", "DOUBLE"),  # udfIndex.values(): HashMap order of [DOUBLE] and [INT]
        ("X", "INTEGER", "INTEGER"),
    ]
    assert desc["functions"][0]["description"] == "twice a double"
    [builtin] = engine.execute("DESCRIBE FUNCTION SUBSTRING;")
    assert (builtin["author"], builtin["path"]) == ("Confluent", "internal")


def test_broken_plugins_are_reported_and_the_rest_loads(
    ext_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    _write(ext_dir, "import_error.py", "import no_such_module_for_ksql_tests\n")
    _write(ext_dir, "syntax_error.py", "def broken(:\n")
    _write(ext_dir, "bad_type.py", """
        from ksqlserver.extensions import udf
        @udf("BAD_TYPE", params=["NOT_A_TYPE"], returns="INTEGER")
        def f(x): return x
    """)
    _write(ext_dir, "clash.py", """
        from ksqlserver.extensions import udf
        @udf("UCASE", params=["STRING"], returns="STRING")
        def f(x): return x
    """)
    _write(ext_dir, "empty.py", "X = 1\n")
    _write(ext_dir, "_private_helper.py", "raise RuntimeError('never imported')\n")
    with caplog.at_level(logging.ERROR, logger="ksqlserver.extensions"):
        engine, _ = _engine(ext_dir, {"ksql.functions.scale.factor": "3"})
    [shown] = engine.execute("SHOW FUNCTIONS;")
    warnings = [w["message"] for w in shown["warnings"]]
    by_file = {Path(w.split("Failed to load extension ")[1].split(":")[0]).name: w for w in warnings}
    assert sorted(by_file) == ["bad_type.py", "clash.py", "empty.py", "import_error.py", "syntax_error.py"]
    assert "No module named 'no_such_module_for_ksql_tests'" in by_file["import_error.py"]
    assert "SyntaxError" in by_file["syntax_error.py"]
    assert "unknown type 'NOT_A_TYPE'" in by_file["bad_type.py"]
    assert "clashes with a built-in" in by_file["clash.py"]
    assert "declares no functions" in by_file["empty.py"]
    assert any("syntax_error.py" in r.getMessage() for r in caplog.records)
    names = {f["name"] for f in shown["functions"]}
    assert {"TIMES_TWO", "SCALE"} <= names and "BAD_TYPE" not in names
    engine.execute(CREATE_TX)  # the engine works


def test_missing_directory_is_a_warning(tmp_path: Path) -> None:
    engine, _ = _engine(tmp_path / "nowhere")
    [shown] = engine.execute("SHOW FUNCTIONS;")
    assert "does not exist" in shown["warnings"][0]["message"]


def test_udf_in_a_persistent_query_with_overloads_and_nulls(ext_dir: Path) -> None:
    engine, driver = _engine(ext_dir, {"ksql.functions.scale.factor": "3"})
    engine.execute(CREATE_TX)
    engine.execute("CREATE STREAM OUT AS SELECT ID, TIMES_TWO(N) AS I, TIMES_TWO(X) AS D FROM TX;")
    _produce(driver, [{"N": 4, "X": 1.25}, {"N": None, "X": 2.0}])
    engine.drain()
    assert _values(driver, "OUT") == [("k0", {"I": 8, "D": 2.5}), ("k1", {"I": None, "D": 4.0})]


def test_batched_calls_match_per_record_calls(ext_dir: Path) -> None:
    engine, driver = _engine(ext_dir, {"ksql.functions._global_.factor": "3"})  # both functions read it
    engine.execute(CREATE_TX)
    engine.execute(
        "CREATE STREAM OUT AS SELECT ID, SCALE(X) AS B, SCALE_ONE(X) AS P, "
        "SCALE(SCALE(X)) + 1 AS BB, SCALE_ONE(SCALE_ONE(X)) + 1 AS PP, "
        "SCALE(CAST(10 / N AS DOUBLE)) AS BE, SCALE_ONE(CAST(10 / N AS DOUBLE)) AS PE, "
        "SCALE(X) >= 6 AS FLAG FROM TX WHERE N <> 7;"
    )
    rows = [
        {"N": 1, "X": 1.5},
        {"N": 2, "X": None},  # null in, null out (never passed to the function)
        {"N": 7, "X": 2.0},  # filtered out
        {"N": 0, "X": 13.0},  # the function raises for 13.0; 10 / 0 raises in the arguments
        {"N": 5, "X": 4.0},
    ]
    _produce(driver, rows)
    engine.drain()
    out = _values(driver, "OUT")
    assert [k for k, _ in out] == ["k0", "k1", "k3", "k4"]
    for _, v in out:
        assert (v["B"], v["BB"], v["BE"]) == (v["P"], v["PP"], v["PE"])
    assert out[0][1] == {"B": 4.5, "P": 4.5, "BB": 14.5, "PP": 14.5, "BE": 30.0, "PE": 30.0, "FLAG": False}
    assert out[2][1]["B"] is None and out[2][1]["BE"] is None  # one failing row, not the whole batch
    assert out[3][1]["B"] == 12.0 and out[3][1]["FLAG"] is True
    module = _module(ext_dir / "good.py")
    # the first call of each batch site covers the whole micro-batch (3 non-null rows after the filter)
    assert module.BATCHES[0] == 3  # type: ignore[attr-defined]
    assert module.SETUPS == [1]  # type: ignore[attr-defined]  (the resource was set up once)
    # the failing argument was reported to the processing log for both paths, as the CAST's nested failure
    # (SqlToJavaVisitor.visitCast: evaluateOrReturnNull's "Error processing DOUBLE")
    log = [json.loads(r.value)["message"] for r in driver.records("ext_ksql_processing_log")]
    errors = [m["recordProcessingError"]["errorMessage"] for m in log if m.get("recordProcessingError")]
    assert errors.count("Error processing DOUBLE") == 2


def test_batched_calls_in_a_push_query(ext_dir: Path) -> None:
    engine, driver = _engine(ext_dir, {"ksql.functions.scale.factor": "2"})
    engine.execute(CREATE_TX)
    _produce(driver, [{"N": 1, "X": 1.0}, {"N": 2, "X": 2.5}])
    q = engine.start_query("SELECT ID, SCALE(X) AS S FROM TX EMIT CHANGES LIMIT 2;", EARLIEST)
    engine.drain()
    assert q.poll(1.0) == [["k0", 2.0], ["k1", 5.0]]
    q.close()


def test_missing_setting_is_a_statement_error_naming_the_property(ext_dir: Path) -> None:
    engine, _ = _engine(ext_dir)
    engine.execute(CREATE_TX)
    with pytest.raises(KsqlError) as err:
        engine.execute("CREATE STREAM OUT AS SELECT ID, SCALE(X) AS S FROM TX;")
    assert "ksql.functions.scale.factor" in err.value.message
    assert err.value.to_entity()["error_code"] == 40001


def test_table_functions_expand_rows(ext_dir: Path) -> None:
    engine, driver = _engine(ext_dir)
    engine.execute(CREATE_TX)
    engine.execute("CREATE STREAM W AS SELECT ID, WORDS(S) AS W, UPTO(N) AS U, N FROM TX;")
    _produce(driver, [{"N": 1, "S": "a b"}, {"N": 2, "S": None}, {"N": 0, "S": ""}])
    engine.drain()
    assert _values(driver, "W") == [
        ("k0", {"W": "a", "U": 1, "N": 1}),
        ("k0", {"W": "b", "U": None, "N": 1}),  # shorter lists are padded with nulls
        ("k1", {"W": None, "U": 1, "N": 2}),  # a null argument gives no elements
        ("k1", {"W": None, "U": 2, "N": 2}),
    ]  # k2: both lists empty, no rows
    # as in ksqlDB, a table function may sit inside a column's expression (evaluated per element)
    engine.execute("CREATE STREAM W2 AS SELECT ID, UCASE(WORDS(S)) AS W FROM TX;")
    _produce(driver, [{"N": 1, "S": "c d"}])
    engine.drain()
    assert [v for _, v in _values(driver, "W2")][-2:] == [{"W": "C"}, {"W": "D"}]
    with pytest.raises(KsqlError, match="can only be used in the columns of a SELECT"):
        engine.execute("CREATE STREAM W3 AS SELECT ID FROM TX WHERE WORDS(S) = 'a';")


def test_udaf_is_described_and_aggregates_like_a_builtin(ext_dir: Path) -> None:
    """A UDAF is usable wherever a built-in aggregate is (extensions/test_udaf.py covers the rest); outside
    GROUP BY it gets the built-ins' error."""
    engine, driver = _engine(ext_dir)
    engine.execute(CREATE_TX)
    [desc] = engine.execute("DESCRIBE FUNCTION MY_SUM;")
    assert desc["type"] == "AGGREGATE" and desc["functions"][0]["returnType"] == "BIGINT"
    with pytest.raises(KsqlError) as err:
        engine.execute("CREATE STREAM A AS SELECT MY_SUM(N) AS S FROM TX;")
    assert err.value.message == PLANNED + (
        "CREATE TABLE AS SELECT statement does not support aggregate function [MY_SUM(N)] without a GROUP BY "
        "clause."
    )
    # a non-aggregate column beside it fails ksqlDB's aggregate analysis first
    with pytest.raises(KsqlError) as err:
        engine.execute("CREATE STREAM A AS SELECT ID, MY_SUM(N) AS S FROM TX;")
    assert err.value.message == PLANNED + (
        "Non-aggregate SELECT expression(s) not part of GROUP BY: ID\n"
        "Either add the column(s) to the GROUP BY or remove them from the SELECT."
    )
    engine.execute("CREATE TABLE A AS SELECT S, MY_SUM(N) AS T, SUM(N) AS B FROM TX GROUP BY S;")
    _produce(driver, [{"N": 4, "S": "x"}, {"N": 5, "S": "x"}])
    engine.drain()
    assert _values(driver, "A") == [("x", {"T": 4, "B": 4}), ("x", {"T": 9, "B": 9})]


PLANNED = "Could not determine output schema for query due to error: "  # SchemaRegisterInjector's wrapper


def test_declaration_errors_name_the_problem() -> None:
    from ksqlserver.extensions import DeclarationError, udaf, udf

    with pytest.raises(DeclarationError, match="is not a valid function name"):  # ksqlDB's text
        udf("bad name", params=[], returns="INTEGER")
    with pytest.raises(DeclarationError, match="initialize"):
        udaf("A", params=["INTEGER"], returns="INTEGER", aggregate="INTEGER")(type("A", (), {}))


def _delimited_run(ext_dir: Path, lines: list[str], fast: bool) -> tuple[list[tuple[bytes, bytes]], bool]:
    engine, driver = _engine(ext_dir, {"ksql.functions._global_.factor": "0.0001"}, fast_paths=fast)
    engine.execute(
        "CREATE STREAM D (ID STRING KEY, N INT, X DOUBLE, S STRING) "
        "WITH (KAFKA_TOPIC='tx', VALUE_FORMAT='DELIMITED');"
    )
    engine.execute(
        "CREATE STREAM OUT AS SELECT ID, SCALE(X) AS B, SCALE(X) >= 0.0002 AS FLAG, "
        "SCALE(CAST(10 / N AS DOUBLE)) AS BE, S FROM D WHERE N <> 7;"
    )
    used_fast = next(iter(engine.state.persistent.values())).pipeline.fast_path
    driver.produce("tx", [Record(f"k{i}".encode(), x.encode(), 100 + i) for i, x in enumerate(lines)])
    engine.drain()
    return [(r.key, r.value) for r in driver.records("OUT")], used_fast


def test_batch_functions_on_the_delimited_fast_path_match_the_generic_path(ext_dir: Path) -> None:
    """The generated loop stages rows, calls the batch function once per micro-batch and keeps input order,
    with lines it leaves to the generic path (quotes, nulls, bad numbers), failing rows, and scores below
    1e-3 written as Java text; byte-identical to the generic path."""
    import random

    rnd = random.Random(8)
    xs = ["1.5", "2", "13", "0.5", "-3.25", "", "x", "1e9", '"4.5"', "0"]
    ns = ["1", "0", "7", "5", "", '"2"']
    ss = ["a", '"b,c"', '"q""q"', "", "é"]
    lines = [f"{rnd.choice(ns)},{rnd.choice(xs)},{rnd.choice(ss)}" for _ in range(400)]
    fast, used_fast = _delimited_run(ext_dir, lines, True)
    assert used_fast
    generic, used = _delimited_run(ext_dir, lines, False)
    assert not used
    assert fast == generic
    assert len(fast) > 200
    assert any(b"E-4" in v for _, v in fast)  # 1.5 * 0.0001: Java's text, not orjson's 0.00015
