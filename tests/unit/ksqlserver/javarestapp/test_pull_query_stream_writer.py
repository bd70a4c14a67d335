"""Port of ksqlDB 0.29 `io.confluent.ksql.rest.server.resources.streaming.PullQueryStreamWriterTest`
(ksqldb-rest-app): the body StreamedQueryResource's pull-query writer gives /query (a JSON array of StreamedRow:
the header, then a row per line; the whole body parses as JSON; column text JSON-escaped).

The Java test feeds the writer a mocked queue; here a table `(ID STRING PRIMARY KEY, A STRING)` is pulled over
/query with `ksql.endpoint.migrate.query` = false, which keeps the request on StreamedQueryResource. Failures
injected into the queue (shouldWriteAnyPendingRowsBeforeReportingException) have no request and are not
ported."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from ksqlserver.drivers.base import Record


@pytest.fixture(scope="module")
def app(rest_module: Any) -> Iterator[Any]:
    rest = rest_module
    _, driver, server = rest.start()
    driver.create_topic("t", 1, 1)
    driver.produce(
        "t",
        [Record(f"k{i}".encode(), json.dumps({"A": text}).encode(), i, 0)
         for i, text in enumerate(["Row1", "Row2", "Row3", "foo\nbar"])],
    )  # fmt: skip
    rest.ok(server, "CREATE TABLE T (ID STRING PRIMARY KEY, A STRING) WITH (kafka_topic='t', value_format='json');")
    rest.ok(server, "CREATE TABLE QT AS SELECT * FROM T;")
    rest.eventually(lambda: _lines(server, "SELECT * FROM QT;"), lambda lines: len(lines) == 5)
    yield server


def _lines(server: Any, sql: str) -> list[str]:
    body = {"ksql": sql, "streamsProperties": {"ksql.endpoint.migrate.query": False}}
    r = httpx.post(server.url + "/query", json=body, headers={"Accept": "application/vnd.ksql.v1+json"}, timeout=30)
    assert r.status_code == 200, r.text
    json.loads(r.text)  # getOutput: the whole body parses
    return [line for line in r.text.split("\n") if line]


def test_should_write_no_rows(app: Any) -> None:
    """PullQueryStreamWriterTest.shouldWriteNoRows: the header alone"""
    lines = _lines(app, "SELECT * FROM QT WHERE ID='nope';")
    assert len(lines) == 1 and "header" in lines[0]


def test_should_write_one_and_close(app: Any) -> None:
    """PullQueryStreamWriterTest.shouldWriteOneAndClose"""
    lines = _lines(app, "SELECT * FROM QT WHERE ID='k0';")
    assert len(lines) == 2
    assert "header" in lines[0] and "Row1" in lines[1]


def test_should_write_rows_and_close(app: Any) -> None:
    """PullQueryStreamWriterTest.shouldWriteTwoAndClose / shouldWriteTwoAndCloseWithOneMoreQueue /
    shouldExitAndDrainIfAlreadyComplete / shouldExitAndDrainIfLimitReached: the header, then every row"""
    lines = _lines(app, "SELECT * FROM QT WHERE ID IN ('k0', 'k1', 'k2');")
    assert "header" in lines[0]
    assert sorted(line for name in ("Row1", "Row2", "Row3") for line in lines[1:] if name in line) == sorted(lines[1:])
    assert len(lines) == 4


def test_should_properly_escape_json(app: Any) -> None:
    """PullQueryStreamWriterTest.shouldProperlyEscapeJSON: a newline in a column is written escaped, the row
    stays on one line and reads back as the text"""
    lines = _lines(app, "SELECT * FROM QT WHERE ID='k3';")
    assert len(lines) == 2
    assert "foo\\nbar" in lines[1]
    row = json.loads(lines[1].removesuffix("]").removesuffix(","))
    assert row["row"]["columns"][1] == "foo\nbar"
