"""Port of ksqlDB 0.29 `io.confluent.ksql.engine.QueryIdUtilTest`: the ids QueryIdUtil.buildId gives
persistent queries (CSAS_/CTAS_/INSERTQUERY_/CST_ with the engine's next id), a replaced query's id, an
INSERT's WITH (QUERY_ID=...) id, and transient query ids.

The Java test mocks the id generator (always "1") and the query registry; here the engine's own counter
runs, so ids are asserted by their shape and by which ones repeat."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

W = "VALUE_FORMAT='JSON', PARTITIONS=1"


@pytest.fixture
def p(make_pull: Callable[..., Any]) -> Any:
    p = make_pull(tables=False)
    for name in ("A", "B", "C"):
        p.execute(f"CREATE STREAM {name} (ID INT KEY, X INT) WITH (KAFKA_TOPIC='{name.lower()}', {W});")
    return p


def _id(entities: list[dict[str, Any]]) -> str:
    return str(entities[-1]["commandStatus"]["queryId"])


def test_should_generate_unique_random_ids_for_transient_queries(p: Any) -> None:
    """shouldGenerateUniqueRandomIdsForTransientQueries / shouldCreateTransientQueryIdWithSourceName."""
    ids = set()
    for _ in range(100):
        q = p.query("SELECT * FROM A EMIT CHANGES;")
        ids.add(q.query_id)
        q.close()
    assert len(ids) == 100
    assert all(re.fullmatch(r"transient_A_\d+", i) for i in ids)


def test_should_compute_query_ids(p: Any) -> None:
    """shouldComputeQueryIdCorrectlyForNewStream / ...ForNewTable / ...ForInsertInto / ...ForNewSourceTable:
    `<prefix>_<sink>_<next id>`, INSERTQUERY_<next id>."""
    assert re.fullmatch(r"CSAS_FOO_\d+", _id(p.execute("CREATE STREAM FOO AS SELECT * FROM A;")))
    assert re.fullmatch(r"CTAS_TFOO_\d+", _id(p.execute("CREATE TABLE TFOO AS SELECT ID, COUNT(*) AS C FROM A GROUP BY ID;")))
    assert re.fullmatch(r"INSERTQUERY_\d+", _id(p.execute("INSERT INTO FOO SELECT * FROM B;")))
    cst = p.execute(f"CREATE SOURCE TABLE STFOO (ID INT PRIMARY KEY, X INT) WITH (KAFKA_TOPIC='stfoo', {W});")
    assert re.fullmatch(r"CST_STFOO_\d+", _id(cst))


def test_should_reuse_existing_query_id(p: Any) -> None:
    """shouldReuseExistingQueryId: CREATE OR REPLACE keeps the sink's query id."""
    first = _id(p.execute("CREATE TABLE TFOO AS SELECT ID, COUNT(*) AS C FROM A GROUP BY ID;"))
    again = _id(p.execute("CREATE OR REPLACE TABLE TFOO AS SELECT ID, COUNT(*) AS C FROM A GROUP BY ID;"))
    assert again == first


def test_should_throw_on_reuse_if_create_or_replace_is_disabled(make_pull: Callable[..., Any]) -> None:
    """shouldThrowOnReuseIfCreateOrReplacedIsDisabled: ksql.create.or.replace.enabled=false."""
    p = make_pull(tables=False, **{"ksql.create.or.replace.enabled": "false"})
    p.execute(f"CREATE STREAM A (ID INT KEY, X INT) WITH (KAFKA_TOPIC='a', {W});")
    p.execute("CREATE STREAM SFOO AS SELECT * FROM A;")
    assert p.fails("CREATE OR REPLACE STREAM SFOO AS SELECT * FROM A;") == (
        "Cannot add stream 'SFOO': A stream with the same name already exists"
    )


def test_should_throw_if_multiple_queries_exist(p: Any) -> None:
    """shouldThrowIfMultipleQueriesExist."""
    csas = _id(p.execute("CREATE STREAM FOO AS SELECT * FROM A;"))
    insert = _id(p.execute("INSERT INTO FOO SELECT * FROM B;"))
    assert p.fails("CREATE OR REPLACE STREAM FOO AS SELECT * FROM A;") == (
        f"REPLACE for sink `FOO` is not supported because there are multiple queries writing into it: [{csas}, {insert}]"
    )


def test_with_query_id(p: Any) -> None:
    """shouldReturnWithQueryIdInUppercase, shouldThrowIfWithQueryIdIsReserved and
    shouldThrowIfWithQueryIdIsNotValid (and EngineExecutor's check that the id is new)."""
    p.execute("CREATE STREAM FOO AS SELECT * FROM A;")
    assert _id(p.execute("INSERT INTO FOO WITH (QUERY_ID='my_query_id') SELECT * FROM B;")) == "MY_QUERY_ID"
    assert p.fails("INSERT INTO FOO WITH (QUERY_ID='insertquery_custom') SELECT * FROM C;") == (
        "Query IDs must not start with a reserved query ID prefix (INSERTQUERY_, CTAS_, CSAS_, CST_). "
        "Got 'INSERTQUERY_CUSTOM'."
    )
    assert p.fails("INSERT INTO FOO WITH (QUERY_ID='with space') SELECT * FROM C;") == (
        "Query IDs may contain only alphanumeric characters and '_'. Got: 'WITH SPACE'"
    )
    assert p.fails("INSERT INTO FOO WITH (QUERY_ID='my_query_id') SELECT * FROM C;") == (
        "Query ID 'MY_QUERY_ID' already exists."
    )
