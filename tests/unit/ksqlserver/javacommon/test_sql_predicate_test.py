"""ksqlDB 0.29 SqlPredicateTest, SelectionTest (ksqldb-execution, transform) and RecordProcessingErrorTest
(ksqldb-execution, logging/processing) on a stream of SqlPredicateTest's SCHEMA (ID INT KEY, COL0 BIGINT,
COL1 DOUBLE, COL2 STRING): a WHERE keeps the rows its predicate holds for; a failure inside it is logged to
the processing log and the row dropped; the projection's result schema; the RecordProcessingError the log
gets (type 1, its message, the cause chain, the row only with ksql.logging.processing.rows.include). Each
runs over the generated fast loop and the generic operators (EngineConfig.fast_paths)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig

from .conftest import LOG_TOPIC, PROPS, Exec

COLUMNS = "ID INT KEY, COL0 BIGINT, COL1 DOUBLE, COL2 STRING"
VALUE = {"COL0": 22, "COL1": 33.3, "COL2": "a string"}


@pytest.fixture(params=[True, False], ids=["fast", "generic"])
def make(request: pytest.FixtureRequest) -> Iterator[Any]:
    made: list[Engine] = []

    def build(**properties: str) -> Exec:
        d = MemoryDriver()
        e = Engine(
            EngineConfig(
                service_id="ex_",
                synchronous=True,
                fast_paths=request.param,
                properties={**PROPS, **properties},
            ),
            d,
        )
        made.append(e)
        ex = Exec(e, d)
        ex.topic("s")
        ex.run(f"CREATE STREAM S ({COLUMNS}) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');")
        return ex

    yield build
    for e in made:
        e.close()


def _key(i: int) -> bytes:
    return i.to_bytes(4, "big")


def _log(ex: Exec) -> list[dict[str, Any]]:
    if LOG_TOPIC not in ex.driver.topics():
        return []
    return [json.loads(r.value)["message"] for r in ex.driver.records(LOG_TOPIC)]


def test_should_compile_evaluator(make: Any) -> None:
    """shouldCompileEvaluator: COL0 < 100 passes 99 and drops 100."""
    ex = make()
    ex.run("CREATE STREAM O AS SELECT * FROM S WHERE COL0 < 100;")
    ex.produce("s", [(_key(1), {"COL0": 99}, 1), (_key(2), {"COL0": 100}, 2)])
    ex.engine.drain()
    assert [json.loads(r.value)["COL0"] for r in ex.driver.records("O")] == [99]


def test_should_pass_and_not_pass_filter(make: Any) -> None:
    """shouldPassFilter / shouldNotPassFilter: the row unchanged when the predicate holds; dropped when it
    is false or null."""
    ex = make()
    ex.run("CREATE STREAM O AS SELECT * FROM S WHERE COL2 = 'a string';")
    ex.produce(
        "s", [(_key(1), VALUE, 1), (_key(2), {**VALUE, "COL2": "other"}, 2), (_key(3), {"COL0": 1}, 3)]
    )
    ex.engine.drain()
    assert [json.loads(r.value) for r in ex.driver.records("O")] == [VALUE]


def test_should_ignore_null_rows(make: Any) -> None:
    """shouldIgnoreNullRows: a null value never reaches the predicate (nothing logged, nothing out)."""
    ex = make()
    ex.run("CREATE STREAM O AS SELECT * FROM S WHERE COL0 IS NULL;")
    ex.produce("s", [(_key(1), None, 1)])
    ex.engine.drain()
    assert ex.driver.records("O") == []
    assert _log(ex) == []


def test_failure_in_predicate_is_logged(make: Any) -> None:
    """A failure inside the predicate (a CAST, which SqlToJavaVisitor.evaluateOrReturnNull wraps) is null
    and logged as RecordProcessingError("Error processing INTEGER", cause); the row fails the filter."""
    ex = make()
    ex.run("CREATE STREAM O AS SELECT * FROM S WHERE CAST(COL2 AS INT) > 0;")
    ex.produce("s", [(_key(1), VALUE, 1), (_key(2), {**VALUE, "COL2": "7"}, 2)])
    ex.engine.drain()
    assert [json.loads(r.value)["COL2"] for r in ex.driver.records("O")] == ["7"]
    # the CAST's failure, then the predicate's own: the CAST's catch block returns SqlPredicate's default
    # value (false) as `(java.lang.Integer) defaultValue`, a ClassCastException (evaluateOrReturnNull)
    message, predicate = _log(ex)
    assert message["type"] == 1
    assert message["recordProcessingError"]["errorMessage"] == "Error processing INTEGER"
    assert message["recordProcessingError"]["cause"] == ['For input string: "a string"']
    assert predicate["recordProcessingError"]["errorMessage"] == "Error evaluating predicate (CAST(COL2 AS INTEGER) > 0)"
    assert predicate["recordProcessingError"]["cause"][0].startswith("class java.lang.Boolean cannot be cast to")


def test_should_build_correct_result_schema(make: Any) -> None:
    """SelectionTest.shouldBuildCorrectResultSchema / shouldBuildCorrectSchemaWithNoKeyColumnNames: the key
    (aliased or not) then the selected expressions' types."""
    ex = make()
    ex.run("CREATE STREAM O1 AS SELECT ID AS KEY, COL2 AS FOO, COL0 + ID AS BAR FROM S;")
    ex.run("CREATE STREAM O2 AS SELECT ID, COL2 AS FOO, COL0 + ID AS BAR FROM S;")
    meta = ex.engine.state.metastore
    assert meta.require("O1").schema.describe(False) == "`KEY` INTEGER KEY, `FOO` STRING, `BAR` BIGINT"
    assert meta.require("O2").schema.describe(False) == "`ID` INTEGER KEY, `FOO` STRING, `BAR` BIGINT"


def test_should_build_record_processing_error_if_no_row(make: Any) -> None:
    """RecordProcessingErrorTest.shouldBuildRecordProcessingErrorWithNullRowIfIncludeRowsFalse (the
    default): the record field is null; the cause list is the chain's messages after the error's."""
    ex = make()
    ex.run("CREATE STREAM O AS SELECT ID, CAST(COL2 AS INT) AS X FROM S;")
    ex.produce("s", [(_key(1), VALUE, 1)])
    ex.engine.drain()
    [message] = _log(ex)
    assert message["recordProcessingError"] == {
        "errorMessage": "Error processing INTEGER",
        "record": None,
        "cause": ['For input string: "a string"'],
    }


def test_should_build_record_processing_error_correctly(make: Any) -> None:
    """shouldBuildRecordProcessingErrorCorrectly: with rows included, the record is the row as a JSON list."""
    ex = make(**{"ksql.logging.processing.rows.include": "true"})
    ex.run("CREATE STREAM O AS SELECT ID, CAST(COL2 AS INT) AS X FROM S;")
    ex.produce("s", [(_key(1), VALUE, 1)])
    ex.engine.drain()
    [message] = _log(ex)
    record = message["recordProcessingError"]["record"]
    assert record is not None
    assert json.loads(record)[:3] == [22, 33.3, "a string"]


def test_aggregate_where(make: Any) -> None:
    """The WHERE of an aggregation is the same SqlPredicate: "Error evaluating predicate <expression>" with
    the cause, and nested failures logged as such; the row is not aggregated."""
    ex = make()
    ex.run("CREATE TABLE A AS SELECT ID, COUNT(*) AS C FROM S WHERE CAST(COL2 AS INT) > 0 GROUP BY ID;")
    ex.run("CREATE TABLE B AS SELECT ID, COUNT(*) AS C FROM S WHERE 10 / COL0 > 1 GROUP BY ID;")
    ex.produce("s", [(_key(1), {"COL0": 0, "COL2": "x"}, 1), (_key(1), {"COL0": 1, "COL2": "5"}, 2)])
    ex.engine.drain()
    errors = sorted(
        (m["recordProcessingError"]["errorMessage"], *m["recordProcessingError"]["cause"]) for m in _log(ex)
    )
    cast_failure = (
        "class java.lang.Boolean cannot be cast to class java.lang.Integer (java.lang.Boolean and "
        "java.lang.Integer are in module java.base of loader 'bootstrap')"
    )
    assert errors == [  # sorted; the CAST's failure fails the predicate too (its false default is no INTEGER)
        ("Error evaluating predicate ((10 / COL0) > 1)", "/ by zero"),
        ("Error evaluating predicate (CAST(COL2 AS INTEGER) > 0)", cast_failure),
        ("Error processing INTEGER", 'For input string: "x"'),
    ]
    assert [json.loads(r.value) for r in ex.driver.records("A")] == [{"C": 1}]
    assert [json.loads(r.value) for r in ex.driver.records("B")] == [{"C": 1}]
