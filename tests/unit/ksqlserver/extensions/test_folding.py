"""Deterministic plugin functions: a call whose arguments are all literals is evaluated once per
micro-batch, with the same outputs and processing-log entries as per-row calls; calls of other functions
(plugins not declared deterministic, built-ins such as RANDOM and UUID) and calls with column arguments are
never folded."""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path

import pytest

from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig


def _write(directory: Path, name: str, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def _module(path: Path) -> object:
    """The module the engine imported from a plugin file (to read the counters it keeps)."""
    return next(m for m in list(sys.modules.values()) if getattr(m, "__file__", None) == str(path))

PLUGIN = '''
from ksqlserver.extensions import udf

CALLS = []   # arguments LIMIT_OF was called with
TWIN_CALLS = []
DRAWS = []

def _limit(name):
    if name == "bad":
        raise ValueError("no such limit")
    return {"a": 10.0, "b": 20.0}.get(name)

@udf("LIMIT_OF", params=[("NAME", "STRING")], returns="DOUBLE", deterministic=True, description="a limit")
def limit_of(name):
    CALLS.append(name)
    return _limit(name)

@udf("LIMIT_OF_ROW", params=[("NAME", "STRING")], returns="DOUBLE", description="a limit")
def limit_of_row(name):
    TWIN_CALLS.append(name)
    return _limit(name)

@udf("DRAW", params=[("NAME", "STRING")], returns="DOUBLE", description="not deterministic")
def draw(name):
    DRAWS.append(name)
    return float(len(DRAWS))

@udf("LIMIT_DEFAULT", params=[], returns="DOUBLE", deterministic=True)
class LimitDefault:
    def __init__(self, ctx):
        self.value = 5.0
    def __call__(self):
        CALLS.append("()")
        return self.value

@udf("BUMP", params=[("X", "DOUBLE")], returns="DOUBLE", batch=True)
def bump(rows):
    return [r[0] + 1 for r in rows]

@udf("ADD_TO", params=[("K", "STRING"), ("X", "DOUBLE"), ("Y", "DOUBLE")], returns="STRING", batch=True)
def add_to(rows):
    return [f"{k}:{x + y}" for k, x, y in rows]
'''

ROWS = 60


@pytest.fixture
def plugin(tmp_path: Path) -> Path:
    d = tmp_path / "ext"
    _write(d, "fold.py", PLUGIN)
    return d


def _run(plugin: Path, select: str, fast: bool, fmt: str = "JSON") -> tuple[list[bytes], list[str], object]:
    driver = MemoryDriver()
    driver.create_topic("tx", partitions=1)
    config = EngineConfig(
        service_id="fold_", synchronous=True, extension_dir=plugin,
        properties={"ksql.streams.auto.offset.reset": "earliest"}, fast_paths=fast,
    )
    engine = Engine(config, driver)
    engine.execute(f"CREATE STREAM TX (ID STRING KEY, X DOUBLE, S STRING) WITH (KAFKA_TOPIC='tx', VALUE_FORMAT='{fmt}');")
    engine.execute(f"CREATE STREAM OUT WITH (VALUE_FORMAT='JSON') AS SELECT ID, {select} FROM TX;")
    if fmt == "JSON":
        values = [json.dumps({"X": float(i), "S": "ab"[i % 2]}).encode() for i in range(ROWS)]
    else:
        values = [f"{float(i)},{'ab'[i % 2]}".encode() for i in range(ROWS)]
    driver.produce("tx", [Record(f"k{i}".encode(), v, 100 + i) for i, v in enumerate(values)])
    engine.drain()
    log = [json.loads(r.value)["message"] for r in driver.records("fold_ksql_processing_log")]
    errors = [m["recordProcessingError"]["errorMessage"] for m in log if m.get("recordProcessingError")]
    return [r.value for r in driver.records("OUT")], errors, _module(plugin / "fold.py")


@pytest.mark.parametrize(("fast", "fmt"), [(True, "JSON"), (False, "JSON"), (True, "DELIMITED")])
def test_literal_calls_are_folded_per_batch_with_per_row_results(plugin: Path, fast: bool, fmt: str) -> None:
    select = (
        "X >= LIMIT_OF('a') AS F, LIMIT_OF('a') AS L, LIMIT_OF('b') + X AS LB, LIMIT_DEFAULT() AS D, "
        "BUMP(LIMIT_OF('a')) AS BL, LIMIT_OF(S) AS LS"
    )
    folded, errors, module = _run(plugin, select, fast, fmt)
    twin, twin_errors, twin_module = _run(plugin, select.replace("LIMIT_OF(", "LIMIT_OF_ROW(").replace(
        "LIMIT_DEFAULT()", "5.0"), fast, fmt)
    assert folded == twin and errors == twin_errors == []
    out = [json.loads(v) for v in folded]
    assert len(out) == ROWS
    assert out[11] == {"F": True, "L": 10.0, "LB": 31.0, "D": 5.0, "BL": 11.0, "LS": 20.0}
    calls = module.CALLS  # type: ignore[attr-defined]
    # a column argument is called per row; literal-only calls at most once per micro-batch each
    batches = calls.count("()")  # LIMIT_DEFAULT() is only ever folded
    assert 1 <= batches <= 4, calls[:20]
    assert calls.count("a") + calls.count("b") == ROWS + 2 * batches
    assert twin_module.TWIN_CALLS.count("a") >= 3 * ROWS  # type: ignore[attr-defined]


@pytest.mark.parametrize("fast", [True, False])
def test_a_failing_folded_call_fails_every_row_as_per_row_calls_do(plugin: Path, fast: bool) -> None:
    select = "LIMIT_OF('bad') AS L, BUMP(LIMIT_OF('bad')) AS B, X + 1 AS Y"
    folded, errors, _ = _run(plugin, select, fast)
    twin, twin_errors, _ = _run(plugin, select.replace("LIMIT_OF(", "LIMIT_OF_ROW("), fast)
    assert folded == twin
    assert [json.loads(v) for v in folded][:2] == [{"L": None, "B": None, "Y": 1.0}, {"L": None, "B": None, "Y": 2.0}]
    assert len(errors) == len(twin_errors) >= ROWS  # every row reported, as the per-row function is
    assert [e.replace("LIMIT_OF_ROW", "LIMIT_OF") for e in twin_errors] == errors


@pytest.mark.parametrize("fast", [True, False])
def test_nondeterministic_functions_are_never_folded(plugin: Path, fast: bool) -> None:
    out, errors, module = _run(plugin, "DRAW('a') AS P, RANDOM() AS R, UUID() AS U, LIMIT_OF('a') AS L", fast)
    rows = [json.loads(v) for v in out]
    assert errors == [] and len(rows) == ROWS
    assert len(module.DRAWS) == ROWS  # type: ignore[attr-defined]
    assert len({r["P"] for r in rows}) == ROWS  # a new value per row
    assert len({r["R"] for r in rows}) == ROWS and len({r["U"] for r in rows}) == ROWS


def test_describe_is_unchanged_by_the_declaration(plugin: Path) -> None:
    driver = MemoryDriver()
    engine = Engine(EngineConfig(service_id="fold_", synchronous=True, extension_dir=plugin), driver)
    [folded] = engine.execute("DESCRIBE FUNCTION LIMIT_OF;")
    [twin] = engine.execute("DESCRIBE FUNCTION LIMIT_OF_ROW;")
    assert json.loads(json.dumps(folded).replace("LIMIT_OF", "X")) == json.loads(
        json.dumps(twin).replace("LIMIT_OF_ROW", "X")
    )
    [shown] = engine.execute("SHOW FUNCTIONS;")
    kinds = {f["name"]: {k: v for k, v in f.items() if k != "name"} for f in shown["functions"]}
    assert kinds["LIMIT_OF"] == kinds["LIMIT_OF_ROW"]


@pytest.mark.parametrize("fast", [True, False])
def test_batch_arguments_of_literals_and_columns(plugin: Path, fast: bool) -> None:
    """Literals followed by plain columns: the argument tuples are built in one step, same values."""
    out, errors, _ = _run(plugin, "ADD_TO('k', X, X) AS A, ADD_TO(S, X, 1.0) AS B, ADD_TO('k', X, X + 1) AS C", fast)
    rows = [json.loads(v) for v in out]
    assert errors == [] and len(rows) == ROWS
    assert rows[3] == {"A": "k:6.0", "B": "b:4.0", "C": "k:7.0"}
