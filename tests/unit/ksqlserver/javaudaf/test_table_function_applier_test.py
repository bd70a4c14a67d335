"""ksqlDB 0.29's TableFunctionApplierTest (ksqldb-execution/src/test/java/io/confluent/ksql/execution/
function/udtf/TableFunctionApplierTest.java): TableFunctionApplier.apply evaluates the parameters
("Failed to evaluate table function parameter <i>" when one fails), and a table function that throws or
returns null is logged ("Table function X threw an exception" / "... returned null. This is invalid.
Table functions should always return a valid list.") and gives an empty list: no rows for that input.
The mocked functions are plugin table functions here."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig

PLUGIN = '''
from ksqlserver.extensions import udf, udtf

@udtf("SOME_FUNC", params=["BIGINT"], returns="BIGINT")
def some_func(v):
    if v == 13:
        raise RuntimeError("Boom")
    if v == 0:
        return None
    return [v, v + 1]

@udf("FAILING", params=["BIGINT"], returns="BIGINT")
def failing(v):
    raise RuntimeError("param boom")
'''


class Applier:
    def __init__(self, ext: Path) -> None:
        self.driver = MemoryDriver()
        self.driver.create_topic("s", partitions=1)
        self.engine = Engine(EngineConfig(service_id="tfa_", synchronous=True, extension_dir=ext,
                                          properties={"ksql.streams.auto.offset.reset": "earliest"}), self.driver)
        self.engine.execute("CREATE STREAM S (K STRING KEY, V BIGINT) WITH (KAFKA_TOPIC='s', KEY_FORMAT='KAFKA', "
                            "VALUE_FORMAT='JSON');")

    def run(self, projection: str, value: int) -> tuple[list[Any], list[dict[str, Any]]]:
        self.engine.execute(f"CREATE STREAM O AS SELECT K, {projection} FROM S;")
        self.driver.produce("s", [Record(b"k", json.dumps({"V": value}).encode(), 1)])
        self.engine.drain()
        rows = [json.loads(r.value) for r in self.driver.records("O")]
        log = [json.loads(r.value)["message"]["recordProcessingError"]
               for r in self.driver.records("tfa_ksql_processing_log")]
        return rows, log


@pytest.fixture
def applier(tmp_path: Path) -> Iterator[Applier]:
    ext = tmp_path / "ext"
    ext.mkdir()
    (ext / "funcs.py").write_text(textwrap.dedent(PLUGIN), encoding="utf-8")
    a = Applier(ext)
    yield a
    a.engine.close()


def test_should_apply_the_function_to_the_evaluated_parameters(applier: Applier) -> None:
    """shouldCallEvaluatorWithCorrectParams: the parameter is evaluated against the row."""
    rows, log = applier.run("SOME_FUNC(V * 2) AS R", 10)
    assert rows == [{"R": 20}, {"R": 21}]
    assert log == []


def test_should_log_processing_error_if_udtf_throws(applier: Applier) -> None:
    """shouldLogProcessingErrorIfUdtfThrows / shouldReturnEmptyListIfUdtfThrows"""
    rows, log = applier.run("SOME_FUNC(V) AS R", 13)
    assert rows == []
    assert log == [{"errorMessage": "Table function SOME_FUNC threw an exception", "record": None,
                    "cause": ["Boom"]}]


def test_should_log_if_udtf_returns_null(applier: Applier) -> None:
    """shouldLogIfUdtfReturnsNull / shouldReturnEmptyListIfUdtfReturnsNull"""
    rows, log = applier.run("SOME_FUNC(V) AS R", 0)
    assert rows == []
    assert log == [{"errorMessage": "Table function SOME_FUNC returned null. This is invalid. Table functions "
                                    "should always return a valid list.", "record": None, "cause": []}]


def test_a_failed_function_leaves_the_other_functions_rows(applier: Applier) -> None:
    """The failing applier's list is empty; the SELECT's other table functions still give their rows
    (KudtfFlatMapper zips them, nulls for the shorter list)."""
    rows, log = applier.run("SOME_FUNC(V) AS R, EXPLODE(ARRAY[1, 2]) AS E", 13)
    assert rows == [{"R": None, "E": 1}, {"R": None, "E": 2}]
    assert [e["errorMessage"] for e in log] == ["Table function SOME_FUNC threw an exception"]


def test_should_log_if_a_parameter_fails(applier: Applier) -> None:
    """shouldCallEvaluatorWithCorrectParams: a parameter that fails to evaluate is logged as "Failed to
    evaluate table function parameter 0" and is null, which gives no elements."""
    rows, log = applier.run("SOME_FUNC(FAILING(V)) AS R", 10)
    assert rows == []
    assert [e["errorMessage"] for e in log] == ["Failed to evaluate table function parameter 0"]
