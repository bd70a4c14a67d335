"""ksqlDB 0.29 io.confluent.ksql.analyzer.PullQueryValidatorTest and PushQueryValidatorTest on our engine.

The Java tests feed mocked Analysis objects to the validators; here the same rules are reached with
statements over MetaStoreFixture's sources and two tables materialised from them. The Java cases about user
columns named like the ROWPARTITION / ROWOFFSET pseudocolumns (sources from before 0.23) are not translated:
a 0.29 DDL refuses those names. Also checked: a push query whose LIMIT is already passed (0, or -1, which the
grammar takes) ends at once (TransientQueryQueue.setLimitHandler).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from ksqlserver.errors import KsqlError

HELP = " See https://cnfl.io/queries for more info.\nAdd EMIT CHANGES if you intended to issue a push query."
LIMIT_DISABLED = (
    "LIMIT clause in pull queries is currently disabled. "
    "You can enable them by setting ksql.query.pull.limit.clause.enabled=true."
)


def make(factory: Callable[..., Any], props: dict[str, str] | None = None) -> Any:
    h = factory(props)
    h.metastore_fixture()
    h.sql("CREATE TABLE AGG AS SELECT COL1, COUNT(*) AS C FROM TEST1 GROUP BY COL1;")
    h.sql("CREATE TABLE AGG2 AS SELECT COL2, COUNT(*) AS C FROM TEST1 GROUP BY COL2;")
    h.sql("CREATE TABLE WAGG AS SELECT COL1, COUNT(*) AS C FROM TEST1 WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY COL1;")
    return h


@pytest.fixture
def h(harness_factory: Callable[..., Any]) -> Any:
    return make(harness_factory)


def refused(h: Any, sql: str, properties: dict[str, str] | None = None) -> str:
    with pytest.raises(KsqlError) as info:
        h.engine.start_query(sql, properties)
    return str(info.value.message)


@pytest.mark.parametrize(
    "sql, message",
    [
        ("SELECT * FROM AGG A JOIN AGG2 B ON A.COL1 = B.COL2;", "Pull queries don't support JOIN clauses."),
        ("SELECT * FROM AGG WINDOW TUMBLING (SIZE 1 SECOND);", "Pull queries don't support WINDOW clauses."),
        ("SELECT COL1, COUNT(*) FROM AGG GROUP BY COL1;", "Pull queries don't support GROUP BY clauses."),
        ("SELECT * FROM AGG PARTITION BY C;", "Pull queries don't support PARTITION BY clauses."),
        ("SELECT * FROM AGG HAVING C > 1;", "Pull queries don't support HAVING clauses."),
        (
            "SELECT * FROM AGG LIMIT -1;",
            "Pull queries don't support negative integers in the LIMIT clause." + HELP,
        ),
        (
            "SELECT ROWPARTITION, ROWOFFSET FROM AGG;",
            "Pull queries don't support the following columns in SELECT clauses: `ROWPARTITION`, `ROWOFFSET`",
        ),
        (
            "SELECT * FROM AGG WHERE ROWPARTITION = 1 AND ROWOFFSET = 2;",
            "Pull queries don't support the following columns in WHERE clauses: `ROWPARTITION`, `ROWOFFSET`",
        ),
    ],
)
def test_pull_query_rules(h: Any, sql: str, message: str) -> None:
    """PullQueryValidatorTest: each rule's message (containsString), with the syntax help appended."""
    got = refused(h, sql)
    assert message in got
    assert got.endswith(HELP)


def test_should_throw_if_limit_disabled(harness_factory: Callable[..., Any]) -> None:
    """PullQueryValidatorTest.shouldThrowIfLimitDisabled: the server's ksql.query.pull.limit.clause.enabled
    (KsqlEngine.analyzeQueryWithNoOutputTopic reads the server config, so a request's own value does not
    enable it); the rule comes before the negative LIMIT's."""
    h = make(harness_factory, {"ksql.query.pull.limit.clause.enabled": "false"})
    assert refused(h, "SELECT * FROM AGG LIMIT 5;") == LIMIT_DISABLED + HELP
    assert refused(h, "SELECT * FROM AGG LIMIT -1;") == LIMIT_DISABLED + HELP
    on = {"ksql.query.pull.limit.clause.enabled": "true"}
    assert refused(h, "SELECT * FROM AGG LIMIT 5;", on) == LIMIT_DISABLED + HELP
    h.engine.start_query("SELECT * FROM AGG;").close()  # without LIMIT: fine


def test_pull_limit_enabled_by_default(h: Any) -> None:
    """KsqlConfig: ksql.query.pull.limit.clause.enabled defaults to true."""
    h.engine.start_query("SELECT * FROM AGG LIMIT 5;").close()


def test_unknown_source_of_a_pull_query(h: Any) -> None:
    """StatementParser.parseSingleStatement prepares a /query statement as /ksql does: DataSourceExtractor's
    message, wrapped by EngineContext.prepare."""
    assert refused(h, "SELECT * FROM NOPE;") == "Exception while preparing statement: NOPE does not exist."
    assert refused(h, "SELECT * FROM NOPE EMIT CHANGES;") == "Exception while preparing statement: NOPE does not exist."


def test_should_throw_on_persistent_push_query_on_windowed_table(h: Any) -> None:
    """PushQueryValidatorTest.shouldThrowOnPersistentPushQueryOnWindowedTable."""
    with pytest.raises(KsqlError) as info:
        h.sql("CREATE TABLE X AS SELECT * FROM WAGG;")
    assert "KSQL does not support persistent queries on windowed tables." in info.value.message


def test_push_queries_allowed_by_the_push_validator(h: Any) -> None:
    """PushQueryValidatorTest.shouldNotThrowOnTransientPushQueryOnWindowedTable /
    shouldNotThrowOnPersistentPushQueryOnWindowedStream / shouldNotThrowOnPersistentPushQueryOnUnwindowedTable."""
    h.engine.start_query("SELECT * FROM WAGG EMIT CHANGES;").close()
    h.sql("CREATE STREAM WS AS SELECT * FROM TEST1;")
    h.sql("CREATE TABLE T2 AS SELECT * FROM AGG;")


@pytest.mark.parametrize("limit", [0, -1])
def test_a_push_query_past_its_limit_ends_at_once(h: Any, limit: int) -> None:
    """TransientQueryQueue: `remaining` starts at the LIMIT, and setLimitHandler fires limitReached when it is
    already <= 0, before any row."""
    q = h.engine.start_query(f"SELECT * FROM TEST1 EMIT CHANGES LIMIT {limit};")
    try:
        h.drain()
        assert q.poll(0.01) == []
        assert q.done
        assert q.final_message == "Limit Reached"
    finally:
        q.close()
