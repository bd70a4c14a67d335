"""ksqlDB 0.29's GenericRecordFactoryTest (ksqldb-engine, io.confluent.ksql.engine.generic): the record an
INSERT ... VALUES builds (key, value, timestamp) and the problems GenericRecordFactory.build reports, as
InsertValuesExecutor wraps them ("Failed to insert values into 'X'. " + the factory's message). The Java
test's clock is the wall clock here; its explicit column lists are statements' column lists, its empty list
a statement without one."""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Ksql

_STREAM = "CREATE STREAM S (K0 {key} KEY, COL0 {col0}{more}) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');"


def _stream(ksql: Ksql, key: str = "STRING", col0: str = "STRING", col1: bool = False, table: bool = False) -> None:
    ksql.topic("s")
    sql = _STREAM.format(key=key, col0=col0, more=", COL1 STRING" if col1 else "")
    if table:
        sql = sql.replace("CREATE STREAM", "CREATE TABLE").replace(" KEY,", " PRIMARY KEY,")
    ksql.execute(sql)


def _record(ksql: Ksql) -> tuple[object, object, int]:
    (rec,) = ksql.records("s")
    key = None if rec.key is None else rec.key.decode()
    return key, None if rec.value is None else json.loads(rec.value), rec.timestamp


def test_should_build_expression(ksql: Ksql) -> None:
    """shouldBuildExpression: a function call is evaluated for the key and the value."""
    _stream(ksql)
    ksql.execute("INSERT INTO S (K0, COL0) VALUES (CONCAT('a', 'b'), CONCAT('a', 'b'));")
    key, value, _ = _record(ksql)
    assert (key, value) == ("ab", {"COL0": "ab"})


def test_should_handle_arbitrary_ordering(ksql: Ksql) -> None:
    """shouldHandleArbitraryOrdering: values are matched to the columns the statement names, in its order."""
    _stream(ksql)
    ksql.execute("INSERT INTO S (COL0, K0) VALUES ('value', 'key');")
    key, value, _ = _record(ksql)
    assert (key, value) == ("key", {"COL0": "value"})


def test_should_build_coerce_types(ksql: Ksql) -> None:
    """shouldBuildCoerceTypes: an INTEGER literal is widened to the BIGINT key and value columns."""
    _stream(ksql, key="BIGINT", col0="BIGINT")
    ksql.execute("INSERT INTO S (K0, COL0) VALUES (1, 1);")
    (rec,) = ksql.records("s")
    assert int.from_bytes(rec.key, "big", signed=True) == 1
    assert json.loads(rec.value) == {"COL0": 1}


def test_should_accept_nulls_for_any_column(ksql: Ksql) -> None:
    """shouldAcceptNullsForAnyColumn: NULL for the key and for a BIGINT value column."""
    _stream(ksql, col0="BIGINT")
    ksql.execute("INSERT INTO S (K0, COL0) VALUES (NULL, NULL);")
    key, value, _ = _record(ksql)
    assert (key, value) == (None, {"COL0": None})


def test_should_build_with_rowtime(ksql: Ksql) -> None:
    """shouldBuildWithRowtime: a ROWTIME value is the record's timestamp, not a column of it."""
    _stream(ksql)
    ksql.execute("INSERT INTO S (ROWTIME, K0, COL0) VALUES (1, 'a', 'a');")
    assert _record(ksql) == ("a", {"COL0": "a"}, 1)


def test_should_use_clock_time(ksql: Ksql) -> None:
    """shouldUseClockTime: without ROWTIME the record is stamped with the clock."""
    _stream(ksql)
    before = int(time.time() * 1000)
    ksql.execute("INSERT INTO S (K0, COL0) VALUES ('a', 'a');")
    after = int(time.time() * 1000)
    assert before <= _record(ksql)[2] <= after


def test_should_build_partial_columns(ksql: Ksql) -> None:
    """shouldBuildPartialColumns: a value column the statement leaves out is null."""
    _stream(ksql, col1=True)
    ksql.execute("INSERT INTO S (K0, COL0) VALUES ('a', 'a');")
    key, value, _ = _record(ksql)
    assert (key, value) == ("a", {"COL0": "a", "COL1": None})


def test_should_infer_columns(ksql: Ksql) -> None:
    """shouldInferColumns: without a column list the values fill the key then the value columns."""
    _stream(ksql)
    ksql.execute("INSERT INTO S VALUES ('a', 'a');")
    key, value, _ = _record(ksql)
    assert (key, value) == ("a", {"COL0": "a"})


def test_should_throw_on_column_mismatch(ksql: Ksql) -> None:
    """shouldThrowOnColumnMismatch: with a column list, the count mismatch is refused as the statement is
    built (the parser's AstBuilder, before GenericRecordFactory sees it)."""
    _stream(ksql, col1=True)
    msg = ksql.message("INSERT INTO S (K0, COL0, COL1) VALUES ('a', 'a');")
    assert "Expected number columns and values to match: 3, 2" in msg
    assert ksql.records("s") == []


def test_should_throw_on_column_mismatch_when_inferred(ksql: Ksql) -> None:
    """shouldThrowOnColumnMismatchWhenInferred: "Expected a value for each column", with the (empty) list of
    columns the statement named and the expressions it gave."""
    _stream(ksql, col1=True)
    msg = ksql.message("INSERT INTO S VALUES ('a', 'a');")
    assert msg == "Failed to insert values into 'S'. Expected a value for each column. Expected Columns: []. Got ['a', 'a']"


def test_should_throw_on_unknown_column(ksql: Ksql) -> None:
    """shouldThrowOnUnknownColumn."""
    _stream(ksql)
    msg = ksql.message("INSERT INTO S (K0, COL1) VALUES ('a', 'a');")
    assert msg == "Failed to insert values into 'S'. Column name `COL1` does not exist."


def test_should_throw_on_table_missing_key(ksql: Ksql) -> None:
    """shouldThrowOnTableMissingKey."""
    _stream(ksql, col1=True, table=True)
    msg = ksql.message("INSERT INTO S (COL0, COL1) VALUES ('a', 'a');")
    assert msg == "Failed to insert values into 'S'. Value for primary key column(s) K0 is required for tables"


def test_should_throw_on_type_mismatch_cannot_coerce(ksql: Ksql) -> None:
    """shouldThrowOnTypeMismatchCannotCoerce: text for an INTEGER column."""
    _stream(ksql, col0="INTEGER")
    msg = ksql.message("INSERT INTO S (K0, COL0) VALUES ('a', 'a');")
    assert msg == "Failed to insert values into 'S'. Expected type INTEGER for field `COL0` but got STRING(a)"


@pytest.mark.parametrize("column", ["ROWPARTITION", "ROWOFFSET"])
def test_should_throw_on_insert_pseudo_column(ksql: Ksql, column: str) -> None:
    """shouldThrowOnInsertRowpartition / shouldThrowOnInsertRowoffset (SystemColumns.isDisallowedForInsertValues)."""
    _stream(ksql)
    msg = ksql.message(f"INSERT INTO S (ROWTIME, K0, {column}) VALUES (1, 'a', 'a');")
    assert msg == f"Failed to insert values into 'S'. Inserting into column `{column}` is not allowed."
