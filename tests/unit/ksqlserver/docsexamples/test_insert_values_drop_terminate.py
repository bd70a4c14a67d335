"""docs/developer-guide/ksqldb-reference/insert-values.md, drop-stream.md, drop-table.md and terminate.md:
the page's INSERT VALUES forms on `foo (KEY_COL VARCHAR KEY, COL_A VARCHAR)` and the records they produce,
the pseudo columns it allows (InsertValuesExecutor), DROP [IF EXISTS] ... [DELETE TOPIC] (DropSourceFactory,
TopicDeleteInjector, EngineContext's "Cannot drop" of a source a query uses) and TERMINATE (TerminateQuery:
one query or ALL)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from ksqlserver.errors import KsqlError

from .conftest import Docs

FOO = "CREATE STREAM foo (KEY_COL VARCHAR KEY, COL_A VARCHAR) WITH (KAFKA_TOPIC='foo', VALUE_FORMAT='JSON');"


def _error(h: Docs, sql: str) -> str:
    with pytest.raises(KsqlError) as err:
        h.sql(sql)
    return err.value.message


def _records(h: Docs, topic: str) -> list[tuple[Any, Any, int]]:
    return [
        (None if r.key is None else r.key.decode(), None if r.value is None else json.loads(r.value), r.timestamp)
        for r in h.records(topic)
    ]


def test_insert_values_forms(docs: Any) -> None:
    """The page's five statements: ROWTIME given in any column order, no column list (values in schema
    order, key first), and a column left out (null). Without ROWTIME the record has the current time."""
    h = docs()
    h.ensure_topics("foo")
    h.sql(FOO)
    h.sql("INSERT INTO foo (ROWTIME, KEY_COL, COL_A) VALUES (1510923225000, 'key', 'A');")
    h.sql("INSERT INTO foo (COL_A, ROWTIME, KEY_COL) VALUES ('A', 1510923225000, 'key');")
    h.sql("INSERT INTO foo VALUES ('key', 'A');")
    h.sql("INSERT INTO foo (KEY_COL, COL_A) VALUES ('key', 'A');")
    h.sql("INSERT INTO foo (KEY_COL) VALUES ('key');")
    got = _records(h, "foo")
    assert [(k, v, ts) for k, v, ts in got[:2]] == [("key", {"COL_A": "A"}, 1510923225000)] * 2
    assert [(k, v) for k, v, _ in got[2:]] == [("key", {"COL_A": "A"}), ("key", {"COL_A": "A"}),
                                               ("key", {"COL_A": None})]  # fmt: skip
    assert all(ts > 1510923225000 for _, _, ts in got[2:])


def test_insert_values_is_no_tombstone(docs: Any) -> None:
    """"If a column is given a null value or is not set, it does not act as a tombstone": a table row
    inserted with only its key is a row of nulls, not a deletion."""
    h = docs()
    h.ensure_topics("t")
    h.sql("CREATE TABLE t (K VARCHAR PRIMARY KEY, V VARCHAR) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON');")
    h.sql("INSERT INTO t (K, V) VALUES ('k', 'v');")
    h.sql("INSERT INTO t (K) VALUES ('k');")
    assert [(k, v) for k, v, _ in _records(h, "t")] == [("k", {"V": "v"}), ("k", {"V": None})]


def test_insert_values_pseudo_columns(docs: Any) -> None:
    """"ROWTIME, may be provided. However, ROWPARTITION and ROWOFFSET are disallowed" (InsertValuesExecutor:
    the pseudo columns a user may not set, GenericRecordFactory's message in InsertValuesExecutor's
    "Failed to insert values into ..."); too many values, or an unknown column, are refused (the first
    message lists the statement's column names, none here, as GenericRecordFactory.build does)."""
    h = docs()
    h.ensure_topics("foo")
    h.sql(FOO)
    for col in ["ROWPARTITION", "ROWOFFSET"]:
        assert _error(h, f"INSERT INTO foo ({col}, KEY_COL) VALUES (0, 'k');") == (
            f"Failed to insert values into 'FOO'. Inserting into column `{col}` is not allowed."
        )
    assert _error(h, "INSERT INTO foo VALUES ('k', 'a', 'b');") == (
        "Failed to insert values into 'FOO'. Expected a value for each column. Expected Columns: []. "
        "Got ['k', 'a', 'b']"
    )
    assert _error(h, "INSERT INTO foo (KEY_COL, NOPE) VALUES ('k', 'a');") == (
        "Failed to insert values into 'FOO'. Column name `NOPE` does not exist."
    )


def test_drop_stream_and_table(docs: Any) -> None:
    """drop-stream.md / drop-table.md: DROP removes the source (the topic stays); DELETE TOPIC deletes it;
    IF EXISTS makes a missing name no failure; the wrong kind is refused (DropSourceFactory); a source a
    query reads or writes cannot be dropped (EngineContext / MetaStoreImpl's "Cannot drop")."""
    h = docs()
    h.ensure_topics("s", "t")
    h.sql("CREATE STREAM S (K VARCHAR KEY, V INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');")
    h.sql("CREATE TABLE T (K VARCHAR PRIMARY KEY, V INT) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON');")
    h.sql("CREATE STREAM D AS SELECT * FROM S;")
    assert _error(h, "DROP STREAM nosuch;") == "Stream NOSUCH does not exist."
    [status] = h.sql("DROP STREAM IF EXISTS nosuch;")
    assert status["commandStatus"]["message"] == "Source `NOSUCH` does not exist."
    assert _error(h, "DROP TABLE S;") == "Incompatible data source type is stream, but statement was DROP table"
    assert _error(h, "DROP STREAM S;").startswith("Cannot drop S.\nThe following streams and/or tables read from")
    [status] = h.sql("DROP TABLE T;")
    assert status["commandStatus"]["message"] == "Source `T` (topic: t) was dropped."
    assert "t" in h.topics()
    h.sql("TERMINATE CSAS_D_0;")
    [status] = h.sql("DROP STREAM D DELETE TOPIC;")
    assert status["commandStatus"]["message"] == "Source `D` (topic: D) was dropped."
    assert "D" not in h.topics()


def test_terminate(docs: Any) -> None:
    """terminate.md: TERMINATE a query id stops that query (its sink stays, receives no more records);
    TERMINATE ALL stops every persistent query; an unknown id is refused."""
    h = docs()
    h.ensure_topics("s")
    h.sql("CREATE STREAM S (K VARCHAR KEY, V INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');")
    h.sql("CREATE STREAM A AS SELECT * FROM S;")
    h.sql("CREATE STREAM B AS SELECT * FROM S;")
    h.sql("CREATE STREAM C AS SELECT * FROM S;")
    assert _error(h, "TERMINATE nosuch;") == "Unknown queryId: NOSUCH"
    [status] = h.sql("TERMINATE CSAS_A_0;")
    assert status["commandStatus"]["message"] == "Query terminated."
    h.produce("s", "k", {"V": 1}, 1000)
    h.drain()
    assert (len(h.records("A")), len(h.records("B"))) == (0, 1)
    h.sql("TERMINATE ALL;")
    [listed] = h.sql("SHOW QUERIES;")
    assert listed["queries"] == []
    h.produce("s", "k", {"V": 2}, 2000)
    h.drain()
    assert (len(h.records("B")), len(h.records("C"))) == (1, 1)
    assert h.source("A") is not None
