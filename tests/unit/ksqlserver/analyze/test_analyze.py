"""`analyze()` picks the analysis of a query's shape: aggregate, join or single-source select."""

from __future__ import annotations

import pytest

from ksqlserver.analyze import AggregateQuery, AnalyzedQuery, analyze, analyze_stateless
from ksqlserver.catalog.metastore import MetaStore
from ksqlserver.config import EngineConfig
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine
from ksqlserver.errors import KsqlStatementError
from ksqlserver.functions import FunctionRegistry
from ksqlserver.sql import ast
from ksqlserver.sql.parser import parse


@pytest.fixture(scope="module")
def catalog() -> tuple[MetaStore, FunctionRegistry]:
    driver = MemoryDriver()
    engine = Engine(EngineConfig(synchronous=True, processing_log=False, command_topic=False), driver)
    engine.execute(
        "CREATE STREAM TX (ID STRING KEY, CARD STRING, AMOUNT DOUBLE) "
        "WITH (KAFKA_TOPIC='tx', VALUE_FORMAT='JSON', PARTITIONS=1);"
        "CREATE TABLE USERS (CARD STRING PRIMARY KEY, REGION STRING) "
        "WITH (KAFKA_TOPIC='users', VALUE_FORMAT='JSON', PARTITIONS=1);"
    )
    return engine.state.metastore, engine.state.registry


def _query(sql: str) -> ast.Query:
    [q] = parse(sql)
    assert isinstance(q, ast.Query)
    return q


def test_the_shape_of_the_query_picks_the_analysis(catalog: tuple[MetaStore, FunctionRegistry]) -> None:
    ms, reg = catalog
    grouped = analyze(_query("SELECT CARD, COUNT(*) FROM TX GROUP BY CARD EMIT CHANGES;"), ms, reg, "OUT")
    assert isinstance(grouped, AggregateQuery) and [c.name for c in grouped.schema.key] == ["CARD"]
    # an aggregate call alone makes a push aggregation with one running group
    running = analyze(_query("SELECT COUNT(*) AS N FROM TX EMIT CHANGES;"), ms, reg)
    assert isinstance(running, AggregateQuery) and running.sink_name is None
    joined = analyze(
        _query("SELECT t.CARD, u.REGION FROM TX t JOIN USERS u ON t.CARD = u.CARD EMIT CHANGES;"),
        ms,
        reg,
        "J",
    )
    assert isinstance(joined, AnalyzedQuery) and joined.join is not None
    assert [c.name for c in joined.schema.key] == ["T_CARD"]
    assert joined.topics == ["tx", "users"]
    plain = analyze(_query("SELECT ID, AMOUNT * 2 AS TWICE FROM TX EMIT CHANGES;"), ms, reg)
    assert isinstance(plain, AnalyzedQuery) and plain.join is None
    assert [c.name for c in plain.schema.columns] == ["ID", "TWICE"]  # a push query has no key columns


def test_a_select_that_must_not_aggregate_refuses_group_by(
    catalog: tuple[MetaStore, FunctionRegistry],
) -> None:
    ms, reg = catalog
    q = _query("SELECT CARD, COUNT(*) FROM TX GROUP BY CARD EMIT CHANGES;")
    with pytest.raises(KsqlStatementError, match="GROUP BY, WINDOW and HAVING are not supported yet"):
        analyze_stateless(q, ms, reg, "OUT")
    with pytest.raises(KsqlStatementError, match=r"^Exception while preparing statement: NOPE does not exist\.$"):
        analyze(_query("SELECT * FROM NOPE EMIT CHANGES;"), ms, reg)


def _error(sql: str, catalog: tuple[MetaStore, FunctionRegistry]) -> str:
    ms, reg = catalog
    with pytest.raises(KsqlStatementError) as err:
        analyze(_query(sql), ms, reg, "OUT")
    return str(err.value.message)


def test_having_errors_name_the_aggregates_as_written(catalog: tuple[MetaStore, FunctionRegistry]) -> None:
    assert _error(
        "SELECT CARD, SUM(AMOUNT) AS S FROM TX GROUP BY CARD HAVING COUNT(*) > 1 AND SUM(AMOUNT) > '9';", catalog
    ) == (  # FilterTypeValidator's raw unlogged details: the comparison's detailed message, which names it
        "Error in HAVING expression: Cannot compare SUM(AMOUNT) (DOUBLE) to '9' (STRING) with GREATER_THAN.\n"
        "Statement: (SUM(AMOUNT) > '9')"
    )
    assert _error("SELECT CARD, COUNT(*) AS N FROM TX GROUP BY CARD HAVING SUM(AMOUNT);", catalog) == (
        "Type error in HAVING expression: Should evaluate to boolean but is SUM(AMOUNT) (DOUBLE) instead."
    )


def test_join_where_errors_name_the_joined_columns(catalog: tuple[MetaStore, FunctionRegistry]) -> None:
    assert _error(
        "SELECT t.CARD, u.REGION FROM TX t JOIN USERS u ON t.CARD = u.CARD WHERE t.AMOUNT > u.REGION;", catalog
    ) == (
        "Error in WHERE expression: Cannot compare T_AMOUNT (DOUBLE) to U_REGION (STRING) with GREATER_THAN.\n"
        "Statement: (T_AMOUNT > U_REGION)"
    )
    assert _error(
        "SELECT t.CARD, u.REGION FROM TX t JOIN USERS u ON t.CARD = u.CARD WHERE t.AMOUNT;", catalog
    ) == "Type error in WHERE expression: Should evaluate to boolean but is T_AMOUNT (DOUBLE) instead."
