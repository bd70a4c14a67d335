"""The columnar form of a batch call (extensions/columns.py, `@udf(..., batch=True, columnar=True)`): our
plugin API's own (ksqlDB's UDFs have no batch form). `ArgumentColumns` is the sequence of argument tuples
the row API would have been handed, and a columnar function's outputs, nulls and processing-log entries
are the row API's: a differential run of the same function declared both ways, on the generated fast loop
and on the generic operators."""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.extensions import ArgumentColumns, DeclarationError, udf
from ksqlserver.extensions.batching import column_rows
from ksqlserver.extensions.invoke import ScalarCall

ROWS = [[1.0, "a", 2, None], [3.5, "b", 4, 7], [None, "c", 6, 8]]


@pytest.mark.parametrize(("columns", "prefix"), [((0, 2), ("dir",)), ((1,), ()), ((3,), (1, 2)), ((0, 1, 2), ())])
def test_argument_columns_is_the_sequence_of_the_row_apis_tuples(columns: tuple[int, ...], prefix: tuple[Any, ...]) -> None:
    batch = ArgumentColumns(ROWS, columns, prefix)
    tuples = column_rows(columns, prefix)(ROWS)  # what the row API is handed
    assert batch.tuples() == tuples == list(batch) == [batch[i] for i in range(len(batch))]
    assert len(batch) == 3 and batch.width == len(prefix) + len(columns)
    assert batch[1:] == tuples[1:] and batch[-1] == tuples[-1]
    for start in range(batch.width + 1):
        for stop in range(start, batch.width + 1):
            assert list(batch.values(start, stop)) == [v for t in tuples for v in t[start:stop]]
    for arg in range(batch.width):
        assert batch.column(arg) == [t[arg] for t in tuples]
        assert batch.is_literal(arg) == (arg < len(prefix))
    assert [batch.literal(i) for i in range(len(prefix))] == list(prefix)
    with pytest.raises(IndexError):
        batch.literal(len(prefix))
    with pytest.raises(IndexError):
        batch.values(0, batch.width + 1)


def test_column_rows_hands_a_columnar_function_the_rows_unbuilt() -> None:
    got = column_rows((0, 2), ("d",), columnar=True)(ROWS)
    assert type(got) is ArgumentColumns and got.tuples() == column_rows((0, 2), ("d",))(ROWS)


def test_columnar_needs_batch() -> None:
    with pytest.raises(DeclarationError, match="columnar=True needs batch=True"):
        udf("NOT_BATCH", params=["DOUBLE"], returns="DOUBLE", columnar=True)


def test_the_batch_call_hands_the_columns_on_and_retries_a_failed_batch_with_tuples() -> None:
    """ScalarCall._batch: a columnar function gets the ArgumentColumns; when the batch call raises, each
    row is retried alone as a one-tuple list (the row API), only the failing rows becoming null."""
    seen: list[type] = []

    def fn(rows: Any) -> list[Any]:
        seen.append(type(rows))
        if len(rows) > 1 and any(r[1] == 4 for r in rows):
            raise ValueError("batch refused")
        if rows[0][1] == 4:
            raise ValueError("this row")
        return [f"{r[0]}:{r[1]}" for r in rows]

    call = ScalarCall("F", fn, batch=True, null_in_null_out=False, columnar=True)
    assert call.ksql_columnar
    got = call.ksql_batch(ArgumentColumns(ROWS, (0, 2)))
    assert got == ["1.0:2", None, "None:6"]
    assert seen == [ArgumentColumns, list, list, list]
    # a null-in-null-out function gets no columns: the engine looks at each row for nulls
    assert not ScalarCall("G", fn, batch=True, null_in_null_out=True, columnar=True).ksql_columnar


PLUGIN = '''
from ksqlserver.extensions import ArgumentColumns, udf

SEEN = []

def _score(rows):
    out = []
    for r in rows:
        if r[1] is None or r[2] is None:
            out.append(None)
        elif r[1] < 0:
            raise ValueError("negative X")
        else:
            out.append(f"{r[0]}:{r[1] * 2 + r[2]}")
    return out

@udf("SCORE_COLS", params=[("K", "STRING"), ("X", "DOUBLE"), ("Y", "INTEGER")], returns="STRING",
     batch=True, columnar=True, null_in_null_out=False)
def score_cols(rows):
    SEEN.append(type(rows).__name__)
    if type(rows) is ArgumentColumns:
        k = rows.literal(0) if rows.is_literal(0) else None
        xs, ys = rows.column(1), rows.column(2)
        assert list(rows.values(1)) == [v for pair in zip(xs, ys) for v in pair]
        assert rows.is_literal(0) or k is None
    return _score(rows)

@udf("SCORE_ROWS", params=[("K", "STRING"), ("X", "DOUBLE"), ("Y", "INTEGER")], returns="STRING",
     batch=True, null_in_null_out=False)
def score_rows(rows):
    return _score(rows)
'''

N = 40


@pytest.fixture(scope="module")
def plugin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("columnar") / "ext"
    d.mkdir()
    (d / "cols.py").write_text(textwrap.dedent(PLUGIN), encoding="utf-8")
    return d


def _run(plugin: Path, select: str, fast: bool) -> tuple[list[Record], list[str], Any]:
    driver = MemoryDriver()
    driver.create_topic("tx", partitions=1)
    config = EngineConfig(
        service_id="cols_", synchronous=True, extension_dir=plugin,
        properties={"ksql.streams.auto.offset.reset": "earliest"}, fast_paths=fast,
    )
    engine = Engine(config, driver)
    engine.execute("CREATE STREAM TX (ID STRING KEY, X DOUBLE, Y INTEGER, K STRING) "
                   "WITH (KAFKA_TOPIC='tx', VALUE_FORMAT='JSON');")
    engine.execute(f"CREATE STREAM OUT WITH (VALUE_FORMAT='JSON') AS SELECT ID, {select} FROM TX;")
    values = [
        {"X": float(i % 7) - (1.0 if i == 13 else 0.0) * 20, "Y": None if i % 9 == 4 else i, "K": "k" if i % 5 else None}
        for i in range(N)
    ]
    values[21]["X"] = None
    driver.produce("tx", [Record(f"r{i}".encode(), json.dumps(v).encode(), 100 + i) for i, v in enumerate(values)])
    engine.drain()
    log = [json.loads(r.value)["message"] for r in driver.records("cols_ksql_processing_log")]
    errors = [m["recordProcessingError"]["errorMessage"] for m in log if m.get("recordProcessingError")]
    module = next(m for m in list(sys.modules.values()) if getattr(m, "__file__", None) == str(plugin / "cols.py"))
    engine.close()
    return driver.records("OUT"), errors, module


@pytest.mark.parametrize("fast", [True, False])
def test_a_columnar_function_gives_the_row_apis_outputs(plugin: Path, fast: bool) -> None:
    select = ("SCORE_COLS('m', X, Y) AS S, SCORE_COLS('m', X, Y) IS NULL AS N, SCORE_COLS(K, X, Y) AS SK, "
              "SCORE_COLS('m', X + 1, Y) AS SX")
    out, errors, module = _run(plugin, select, fast)
    seen = list(module.SEEN)
    twin, twin_errors, _ = _run(plugin, select.replace("SCORE_COLS", "SCORE_ROWS"), fast)
    assert [(r.key, r.value, r.timestamp) for r in out] == [(r.key, r.value, r.timestamp) for r in twin]
    assert errors == [e.replace("SCORE_ROWS", "SCORE_COLS") for e in twin_errors]
    rows = [json.loads(r.value) for r in out]
    assert rows[2] == {"S": "m:6.0", "N": False, "SK": "k:6.0", "SX": "m:8.0"}
    assert rows[4]["S"] is None and rows[21]["S"] is None  # a null argument: the function's own null
    assert rows[13]["S"] is None  # the batch failed on it: retried row by row, only this row null
    assert "ArgumentColumns" in seen  # the calls of a literal and plain columns took the columnar form
