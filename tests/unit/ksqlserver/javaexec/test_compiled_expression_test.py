"""ksqlDB 0.29 CompiledExpressionTest (ksqldb-execution, codegen): CompiledExpression.evaluate returns the
caller's default when the generated code throws, and logs RecordProcessingError(errorMsgSupplier.get(),
exception, row) (shouldLogIfEvalThrows, shouldReturnDefaultIfEvalThrows). Its callers give the default and
the message: SelectValueMapper null and "Error computing expression <expr> for column <name> with index <i>",
SqlPredicate false and "Error evaluating predicate <expr>"."""

from __future__ import annotations

import json

from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig

from .conftest import PROPS


def _run(sql: str, rows: list[dict[str, int]], props: dict[str, str] | None = None) -> tuple[list, list]:
    d = MemoryDriver()
    d.create_topic("s", partitions=1)
    e = Engine(EngineConfig(service_id="ce_", synchronous=True, properties={**PROPS, **(props or {})}), d)
    try:
        e.execute(
            "CREATE STREAM S (ID STRING KEY, I INT, J INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');"
        )
        e.execute(sql)
        d.produce("s", [Record(f"k{n}".encode(), json.dumps(r).encode(), 1000) for n, r in enumerate(rows)])
        e.drain()
        out = [json.loads(r.value) for r in d.records("O")]
        errors = [
            json.loads(r.value)["message"]["recordProcessingError"]
            for r in d.records("ce_ksql_processing_log")
        ]
        return out, errors
    finally:
        e.close()


def test_projection_default_is_null() -> None:
    """shouldReturnDefaultIfEvalThrows / shouldLogIfEvalThrows, through SelectValueMapper: the failing column
    is null, the other columns and rows are computed, one error per failing evaluation (the index counts
    the select expressions of the persistent query's select step, from which FinalProjectNode removed the
    key column ID: Q is the first)."""
    out, errors = _run(
        "CREATE STREAM O AS SELECT ID, I / J AS Q, I AS P FROM S;", [{"I": 4, "J": 0}, {"I": 4, "J": 2}]
    )
    assert out == [{"Q": None, "P": 4}, {"Q": 2, "P": 4}]
    assert errors == [
        {"errorMessage": "Error computing expression (I / J) for column Q with index 0", "record": None,
         "cause": ["/ by zero"]},
    ]  # fmt: skip


def test_predicate_default_is_false() -> None:
    """The same through SqlPredicate: the default is false, so the row is filtered out."""
    out, errors = _run(
        "CREATE STREAM O AS SELECT ID, I FROM S WHERE I / J > 1;", [{"I": 4, "J": 0}, {"I": 4, "J": 1}]
    )
    assert out == [{"I": 4}]
    assert errors == [
        {"errorMessage": "Error evaluating predicate ((I / J) > 1)", "record": None, "cause": ["/ by zero"]}
    ]


def test_failing_row_is_logged_when_rows_are_included() -> None:
    """shouldLogIfEvalThrows: the error carries the row (RecordProcessingError.serializeRow, a JSON array of
    the row's values: value columns first), shown when ProcessingLogConfig.INCLUDE_ROWS is true. The row is
    LogicalSchema.withPseudoAndKeyColsInValue's: I, J, ROWTIME, ROWPARTITION, ROWOFFSET, then the key ID."""
    _, errors = _run(
        "CREATE STREAM O AS SELECT ID, I / J AS Q FROM S;", [{"I": 4, "J": 0}],
        props={"ksql.logging.processing.rows.include": "true"},
    )  # fmt: skip
    record = errors[0]["record"]
    assert record is not None
    values = json.loads(record)
    assert values[:2] == [4, 0] and "k0" in values
    assert record == '[4,0,1000,0,0,"k0"]'


def test_failing_predicate_row_is_logged_when_rows_are_included() -> None:
    """SqlPredicate logs the row it was given, as SelectValueMapper does."""
    _, errors = _run(
        "CREATE STREAM O AS SELECT ID, I FROM S WHERE I / J > 1;", [{"I": 4, "J": 0}],
        props={"ksql.logging.processing.rows.include": "true"},
    )  # fmt: skip
    assert errors[0]["record"] == '[4,0,1000,0,0,"k0"]'


def test_row_is_not_logged_by_default() -> None:
    """ProcessingLogConfig.INCLUDE_ROWS defaults to false: `record` is null."""
    _, errors = _run("CREATE STREAM O AS SELECT ID, I / J AS Q FROM S;", [{"I": 4, "J": 0}])
    assert errors[0]["record"] is None
