"""Port of ksqlDB 0.29 `io.confluent.ksql.query.QueryIdTest`: QueryId compares case-insensitively
(shouldImplementEqualsProperly, shouldBeCaseInsensitiveOnCommparison) and keeps its case
(shouldPreserveCase), as EXPLAIN, TERMINATE and SHOW QUERIES show."""

from __future__ import annotations

from typing import Any


def _setup(ksql: Any) -> None:
    ksql.run("CREATE STREAM S (ID INT KEY, V INT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, VALUE_FORMAT='JSON');")
    ksql.run("CREATE STREAM A AS SELECT * FROM S;")


def test_should_be_case_insensitive_on_comparison(ksql: Any) -> None:
    """A quoted id in another case names the same query (EXPLAIN answers with the query's own id)."""
    _setup(ksql)
    assert ksql.run("EXPLAIN `csas_a_0`;")[0]["queryDescription"]["id"] == "CSAS_A_0"
    assert ksql.run("TERMINATE `Csas_A_0`;")[0]["commandStatus"]["status"] == "SUCCESS"
    assert ksql.run("SHOW QUERIES;")[0]["queries"] == []


def test_should_preserve_case(ksql: Any) -> None:
    """A transient query's id keeps its lower-case `transient_` prefix; EXPLAIN in upper case finds it."""
    _setup(ksql)
    q = ksql.engine.start_query("SELECT * FROM S EMIT CHANGES;")
    try:
        assert q.query_id.startswith("transient_S_")
        [described] = ksql.run(f"EXPLAIN {q.query_id.upper()};")
        assert described["queryDescription"]["id"] == q.query_id
    finally:
        q.close()
