"""ksqlDB 0.29 io.confluent.ksql.engine.rewrite.AstSanitizerTest on our engine: what AstSanitizer refuses
while EngineContext.prepare prepares a statement (so its messages come wrapped as "Exception while preparing
statement: ..."), reached with statements over MetaStoreFixture's sources. The Java cases that only check how
the AST is rewritten (qualifiers, aliases) are not translated; the two that accept lambda shapes are, with
functions that exist (TRANSFORM, REDUCE) instead of the test registry's TRANSFORM_ARRAY / TRANSFORM_MAP."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from ksqlserver.errors import KsqlError

PREPARING = "Exception while preparing statement: "


@pytest.fixture
def h(harness_factory: Callable[..., Any]) -> Any:
    h = harness_factory()
    h.metastore_fixture()
    return h


def error(h: Any, sql: str) -> str:
    with pytest.raises(KsqlError) as info:
        h.sql(sql)
    return str(info.value.message)


def test_should_throw_if_insert_into_source_with_header(h: Any) -> None:
    """AstSanitizerTest.shouldThrowIfInsertIntoSourceWithHeader (TEST1 has a HEADERS column)."""
    h.sql("CREATE STREAM TEST0 AS SELECT * FROM TEST1;")
    assert "Cannot insert into TEST1 because it has header columns" in error(h, "INSERT INTO TEST1 SELECT * FROM TEST0;")


@pytest.mark.parametrize(
    "query",
    [
        pytest.param("SELECT * FROM UNKNOWN", id="shouldThrowIfSourceDoesNotExist"),
        pytest.param("SELECT * FROM Unknown", id="shouldThrowOnUnknownSource"),
        pytest.param(
            "SELECT * FROM UNKNOWN JOIN TEST2 ON UNKNOWN.col1 = test2.col1", id="shouldThrowIfLeftJoinSourceDoesNotExist"
        ),
        pytest.param(
            "SELECT * FROM TEST1 JOIN UNKNOWN ON test1.col1 = UNKNOWN.col1", id="shouldThrowIfRightJoinSourceDoesNotExist"
        ),
        pytest.param(
            "SELECT * FROM UNKNOWN JOIN TEST2 T2 WITHIN 1 SECOND ON UNKNOWN.ID = T2.ID",
            id="shouldThrowOnUnknownLeftJoinSource",
        ),
        pytest.param(
            "SELECT * FROM TEST1 T1 JOIN UNKNOWN WITHIN 1 SECOND ON T1.ID = UNKNOWN.ID",
            id="shouldThrowOnUnknownRightJoinSource",
        ),
    ],
)
def test_unknown_sources(h: Any, query: str) -> None:
    """AstSanitizerTest's unknown sources (DataSourceExtractor), in a CREATE STREAM AS and a push query."""
    assert error(h, f"CREATE STREAM X AS {query};") == PREPARING + "UNKNOWN does not exist."
    with pytest.raises(KsqlError) as info:
        h.engine.start_query(f"{query} EMIT CHANGES;")
    assert info.value.message == PREPARING + "UNKNOWN does not exist."


def test_should_throw_if_lambdas_are_disabled(harness_factory: Callable[..., Any]) -> None:
    """AstSanitizerTest.shouldThrowIfLambdasAreDisabled: the engine's ksql.lambdas.enabled."""
    h = harness_factory({"ksql.lambdas.enabled": "false"})
    h.metastore_fixture()
    sql = "CREATE STREAM X AS SELECT COL0, transform(COL4, x => x+1) FROM TEST1;"
    assert error(h, sql) == PREPARING + "Lambdas are not enabled at this time."
    with pytest.raises(KsqlError, match=r"Lambdas are not enabled at this time\."):
        h.engine.start_query("SELECT transform(COL4, x => x+1) FROM TEST1 EMIT CHANGES;")
    h.sql("CREATE STREAM Y AS SELECT COL0, COL4 FROM TEST1;")  # no lambda: fine


def test_should_throw_on_ambiguous_qualifier_for_join_column_reference(h: Any) -> None:
    """AstSanitizerTest.shouldThrowOnAmbiguousQualifierForJoinColumnReference."""
    got = error(h, "CREATE STREAM X AS SELECT COL0 FROM TEST1 JOIN TEST2 ON TEST1.COL0=TEST2.COL0;")
    assert got.startswith(PREPARING)
    assert "Column 'COL0' is ambiguous. Could be TEST1.COL0 or TEST2.COL0." in got


def test_should_throw_on_column_names_used_for_lambda_arguments(h: Any) -> None:
    """AstSanitizerTest.shouldThrowOnColumnNamesUsedForLambdaArguments."""
    got = error(h, "CREATE STREAM X AS SELECT COL0, TRANSFORM(Col4, Col0 => Col0 + 5) FROM TEST1;")
    assert got == PREPARING + "Lambda function argument can't be a column name: COL0"


@pytest.mark.parametrize(
    "sql",
    [
        "CREATE STREAM X AS SELECT COL0, TRANSFORM(Col4, X => TRANSFORM(Col4, X => X)) FROM TEST1;",
        "CREATE STREAM X AS SELECT COL0, TRANSFORM(COL5, (X, Y) => X, (X, Y) => REDUCE(COL4, 0e0, (T, X) => T)) "
        "FROM TEST1;",
    ],
)
def test_should_throw_on_duplicate_lambda_arguments_in_nested_lambda(h: Any, sql: str) -> None:
    """AstSanitizerTest.shouldThrowOnDuplicateLambdaArgumentsInNestedLambda."""
    assert error(h, sql) == PREPARING + "Reusing lambda arguments in nested lambda is not allowed"


def test_should_allow_duplicate_lambda_argument_in_separate_expression(h: Any) -> None:
    """AstSanitizerTest.shouldAllowDuplicateLambdaArgumentInSeparateExpression /
    shouldAllowNestedLambdaFunctionsWithoutDuplicate: sibling lambdas may share names."""
    h.sql(
        "CREATE STREAM X AS SELECT COL0, TRANSFORM(COL4, X => X + 5) AS A, "
        "TRANSFORM(COL5, (X, Y) => X, (X, Y) => REDUCE(COL4, Y, (S, Q) => S + Q)) AS B FROM TEST1;"
    )
