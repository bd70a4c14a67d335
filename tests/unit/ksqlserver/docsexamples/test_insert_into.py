"""docs/developer-guide/ksqldb-reference/insert-into.md: INSERT INTO streams a query's result into an
existing stream (records of every query land in its topic), its schema and key must match the stream's
(else an error), only streams are allowed, PARTITION BY applies before the projection, and QUERY_ID names
the query (upper-cased). Messages are EngineExecutor's and AstSanitizer's."""

from __future__ import annotations

import json
from typing import Any

import pytest

from ksqlserver.errors import KsqlError

from .conftest import Docs


def _setup(h: Docs) -> None:
    h.ensure_topics("a", "b", "t")
    h.sql("CREATE STREAM A (K STRING KEY, V INT) WITH (KAFKA_TOPIC='a', VALUE_FORMAT='JSON');")
    h.sql("CREATE STREAM B (K2 STRING KEY, V INT, W STRING) WITH (KAFKA_TOPIC='b', VALUE_FORMAT='JSON');")
    h.sql("CREATE TABLE T (K STRING PRIMARY KEY, V INT) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON');")
    h.sql("CREATE STREAM ALL_V AS SELECT * FROM A;")


def _error(h: Docs, sql: str) -> str:
    with pytest.raises(KsqlError) as err:
        h.sql(sql)
    return err.value.message


def test_insert_into_merges_queries_into_one_stream(docs: Any) -> None:
    """"Stream the result of the SELECT query into an existing stream and its underlying topic": the
    records of the CSAS and of the INSERT INTO both reach ALL_V's topic; with PARTITION BY the key is the
    partitioning expression (applied before the SELECT)."""
    h = docs()
    _setup(h)
    [status] = h.sql("INSERT INTO ALL_V SELECT K2 AS K, V FROM B;")
    assert status["commandStatus"]["queryId"] == "INSERTQUERY_1"
    h.sql("INSERT INTO ALL_V SELECT W AS K, V FROM B PARTITION BY W;")
    h.produce("a", "a1", {"V": 1}, 1000)
    h.produce("b", "b1", {"V": 2, "W": "w1"}, 2000)
    h.drain()
    got = sorted((k, json.loads(r.value)["V"]) for r in h.records("ALL_V") for k in [r.key.decode()])
    assert got == [("a1", 1), ("b1", 2), ("w1", 2)]


def test_insert_into_query_id(docs: Any) -> None:
    """"QUERY_ID": the query's id, "displayed in uppercase with SHOW QUERIES"."""
    h = docs()
    _setup(h)
    [status] = h.sql("INSERT INTO ALL_V WITH (QUERY_ID='my_insert') SELECT K2 AS K, V FROM B;")
    assert status["commandStatus"]["queryId"] == "MY_INSERT"
    [listed] = h.sql("SHOW QUERIES;")
    assert "MY_INSERT" in [q["id"] for q in listed["queries"]]


def test_insert_into_incompatible_schema(docs: Any) -> None:
    """"If the schema and partitioning column(s) are incompatible with the stream, then the statement will
    return an error" (EngineExecutor.validateExistingSink)."""
    h = docs()
    _setup(h)
    assert _error(h, "INSERT INTO ALL_V SELECT * FROM B;") == (
        "Incompatible schema between results and sink.\n"
        "Result schema is `K2` STRING KEY, `V` INTEGER, `W` STRING\n"
        "Sink schema is `K` STRING KEY, `V` INTEGER"
    )
    assert _error(h, "INSERT INTO ALL_V SELECT K2 AS K, W AS V FROM B;") == (
        "Incompatible schema between results and sink.\n"
        "Result schema is `K` STRING KEY, `V` STRING\n"
        "Sink schema is `K` STRING KEY, `V` INTEGER"
    )


def test_insert_into_streams_only(docs: Any) -> None:
    """"The stream_name and from_stream parameters must both refer to a Stream. Tables are not
    supported" (AstSanitizer for the target, EngineExecutor.validateExistingSink for the source)."""
    h = docs()
    _setup(h)
    # AstSanitizer's KsqlException, which EngineContext.prepare words (as ksqlDB 0.29 built from source does)
    assert _error(h, "INSERT INTO T SELECT * FROM A;") == (
        "Exception while preparing statement: INSERT INTO can only be used to insert into a stream. T is a table."
    )
    assert _error(h, "INSERT INTO ALL_V SELECT * FROM T;") == (
        "Incompatible data sink and query result. Data sink (ALL_V) type is KSTREAM but select query "
        "result is KTABLE."
    )
