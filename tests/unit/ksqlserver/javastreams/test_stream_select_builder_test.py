"""ksqlDB 0.29's StreamSelectBuilderTest (io.confluent.ksql.execution.streams).

StreamSelectBuilder maps each value through the SelectValueMapper (transformValues) under the step's name
and logger: the schema is the key (renamed by the key aliases) and one value column per select expression,
typed by the expression; a failing expression is logged with its text and leaves the column null."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Streams


@pytest.fixture
def ks(make_streams: Callable[..., Streams]) -> Streams:
    ks = make_streams(processing_log=True)
    ks.sql(
        "CREATE STREAM S (ROWKEY STRING KEY, `foo` STRING, `bar` BIGINT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, "
        "FORMAT='JSON');"
    )
    return ks


def test_should_return_correct_schema(ks: Streams) -> None:
    """shouldReturnCorrectSchema / shouldReturnResultKStream: 'baz' AS expr1, 123 AS expr2."""
    ks.sql("CREATE STREAM O AS SELECT ROWKEY, 'baz' AS `expr1`, 123 AS `expr2` FROM S;")
    assert ks.schema("O") == "`ROWKEY` STRING KEY, `expr1` STRING, `expr2` INTEGER"
    ks.insert("S", {"ROWKEY": "k", "foo": "f", "bar": 1, "ROWTIME": 10})
    assert ks.records("O") == [("k", {"expr1": "baz", "expr2": 123}, 10)]


def test_should_return_correct_schema_with_key_aliases(ks: Streams) -> None:
    """shouldReturnCorrectSchemaWithKeyAliases: the key column renamed NEW_KEY."""
    ks.sql("CREATE STREAM O AS SELECT ROWKEY AS NEW_KEY, 'baz' AS `expr1`, 123 AS `expr2` FROM S;")
    assert ks.schema("O") == "`NEW_KEY` STRING KEY, `expr1` STRING, `expr2` INTEGER"
    ks.insert("S", {"ROWKEY": "k", "foo": "f", "bar": 1, "ROWTIME": 10})
    assert ks.records("O") == [("k", {"expr1": "baz", "expr2": 123}, 10)]


def test_should_build_select_value_mapper_logger_correctly(ks: Streams) -> None:
    """shouldBuildSelectValueMapperLoggerCorrectly: the mapper logs a failing expression under the query and
    the row still goes out, that column null; the expression is printed unquoted (Expression.toString:
    FormatOptions.of(s -> false)) and the index counts the value columns only."""
    ks.sql("CREATE STREAM O AS SELECT ROWKEY, `foo`, 10 / `bar` AS Q FROM S;")
    ks.insert("S", {"ROWKEY": "k", "foo": "f", "bar": 0, "ROWTIME": 10})
    assert ks.records("O") == [("k", {"foo": "f", "Q": None}, 10)]
    [log] = ks.processing_log()
    # FinalProjectNode leaves the key column out of a persistent query's select expressions: Q is index 1
    assert log["recordProcessingError"]["errorMessage"] == "Error computing expression (10 / bar) for column Q with index 1"


def test_push_query_select_expressions_keep_the_key_columns(ks: Streams) -> None:
    """FinalProjectNode keeps a push query's key columns among the select expressions (its rows carry them
    as values): there ROWKEY is index 0 and Q index 2."""
    ks.insert("S", {"ROWKEY": "k", "foo": "f", "bar": 0, "ROWTIME": 10})
    rows = ks.push("SELECT ROWKEY, `foo`, 10 / `bar` AS Q FROM S EMIT CHANGES;")
    assert rows == [["k", "f", None]]
    [log] = ks.processing_log()
    assert log["recordProcessingError"]["errorMessage"] == "Error computing expression (10 / bar) for column Q with index 2"


def test_join_select_expressions_leave_the_key_out(make_streams: Callable[..., Streams]) -> None:
    """The same FinalProjectNode rule over a join's select step: the join key L_K is no select expression."""
    ks = make_streams(processing_log=True)
    ks.sql("CREATE STREAM L (K STRING KEY, A INT) WITH (KAFKA_TOPIC='l', PARTITIONS=1, FORMAT='JSON');")
    ks.sql("CREATE TABLE R (K STRING PRIMARY KEY, B INT) WITH (KAFKA_TOPIC='r', PARTITIONS=1, FORMAT='JSON');")
    ks.sql("CREATE STREAM J AS SELECT L.K, R.B, L.A / R.B AS Q FROM L JOIN R ON L.K = R.K;")
    ks.insert("R", {"K": "k", "B": 0, "ROWTIME": 1})
    ks.insert("L", {"K": "k", "A": 1, "ROWTIME": 2})
    assert ks.records("J") == [("k", {"B": 0, "Q": None}, 2)]
    [log] = ks.processing_log()
    assert log["recordProcessingError"]["errorMessage"].endswith(" for column Q with index 1")
