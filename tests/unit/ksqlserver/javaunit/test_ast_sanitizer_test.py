"""ksqlDB 0.29's AstSanitizerTest (ksqldb-engine, io.confluent.ksql.engine.rewrite): unknown sources, header
sinks, lambda arguments, ambiguous and aliased column references, as the statements' outcomes."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:  # the fixture's helper (conftest is not importable under --import-mode=importlib)
    from conftest import Ksql


def test_insert_into_source_with_header(ksql: Ksql) -> None:
    """shouldThrowIfInsertIntoSourceWithHeader."""
    assert "Cannot insert into TEST1 because it has header columns" in ksql.message(
        "INSERT INTO TEST1 SELECT * FROM TEST0;"
    )


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM UNKNOWN EMIT CHANGES;",  # shouldThrowIfSourceDoesNotExist / shouldThrowOnUnknownSource
        # shouldThrowIfLeftJoinSourceDoesNotExist / shouldThrowOnUnknownLeftJoinSource
        "SELECT * FROM UNKNOWN JOIN TEST2 T2 WITHIN 1 SECOND ON UNKNOWN.ID = T2.ID EMIT CHANGES;",
        # shouldThrowIfRightJoinSourceDoesNotExist / shouldThrowOnUnknownRightJoinSource
        "SELECT * FROM TEST1 T1 JOIN UNKNOWN WITHIN 1 SECOND ON T1.ID = UNKNOWN.ID EMIT CHANGES;",
    ],
)
def test_unknown_sources(ksql: Ksql, sql: str) -> None:
    """AstSanitizer.DataSourceExtractor: the first unknown source is named."""
    assert "UNKNOWN does not exist." in ksql.query_error(sql).message
    assert "UNKNOWN does not exist." in ksql.message(f"CREATE STREAM OUT AS {sql}")


@pytest.mark.parametrize(
    ("select", "expected"),
    [
        # shouldThrowOnColumnNamesUsedForLambdaArguments
        ("TRANSFORM(Col4, Col0 => Col0 + 5)", "Lambda function argument can't be a column name: COL0"),
        # shouldThrowOnDuplicateLambdaArgumentsInNestedLambda
        ("TRANSFORM(Col4, X => TRANSFORM(Col4, X => X))", "Reusing lambda arguments in nested lambda is not allowed"),
        # shouldThrowOnAmbiguousQualifierForJoinColumnReference
        ("COL0", None),
    ],
)  # fmt: skip
def test_sanitizer_refusals(ksql: Ksql, select: str, expected: str | None) -> None:
    """AstSanitizerTest's refusals, for a persistent query and a push query."""
    if expected is None:
        msg = ksql.message("CREATE STREAM OUT AS SELECT COL0 FROM TEST1 JOIN TEST2 ON TEST1.COL0=TEST2.COL0;")
        assert "Column 'COL0' is ambiguous. Could be TEST1.COL0 or TEST2.COL0." in msg
        return
    assert expected in ksql.message(f"CREATE STREAM OUT AS SELECT COL0, {select} AS X FROM TEST1;")
    assert expected in ksql.query_error(f"SELECT {select} AS X FROM TEST1 EMIT CHANGES;").message


def test_separate_lambdas_may_share_arguments(ksql: Ksql) -> None:
    """shouldAllowDuplicateLambdaArgumentInSeparateExpression / shouldAllowNestedLambdaFunctionsWithoutDuplicate."""
    ksql.execute(
        "CREATE STREAM OUT AS SELECT COL0, TRANSFORM(COL5, (X, Y) => X, (X, Y) => Y + 5) AS A, "
        "TRANSFORM(COL4, X => X + 5) AS B, TRANSFORM(COL4, X => REDUCE(COL4, 0e0, (S, Q) => S + Q)) AS C "
        "FROM TEST1;"
    )
    assert ksql.schema("OUT") == (
        "`COL0` BIGINT KEY, `A` MAP<STRING, DOUBLE>, `B` ARRAY<DOUBLE>, `C` ARRAY<DOUBLE>"
    )


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        # shouldAddQualifierForJoinColumnReferenceFromLeft / ...FromRight: COL5 is TEST1's only
        ("SELECT TEST1.COL0, COL5 FROM TEST1 JOIN TEST2 ON TEST1.COL0=TEST2.COL0",
         "`TEST1_COL0` BIGINT KEY, `COL5` MAP<STRING, DOUBLE>"),
        ("SELECT TEST2.COL0, COL4 AS C FROM TEST1 JOIN TEST2 ON TEST1.COL0=TEST2.COL0",
         None),
        # shouldAddAliasForStructDereference
        ("SELECT ORDERTIME, ADDRESS->NUMBER FROM ORDERS", "`ORDERTIME` BIGINT KEY, `NUMBER` BIGINT"),
        # shouldAddAliasForExpression
        ("SELECT ORDERTIME, 1 + 2 FROM ORDERS", "`ORDERTIME` BIGINT KEY, `KSQL_COL_0` INTEGER"),
        # shouldPreserveAliasIfPresent / shouldPreserveQualifierOnAliasQualifiedColumnReference
        ("SELECT T.COL0, T.COL1 AS BOB FROM TEST1 T", "`COL0` BIGINT KEY, `BOB` STRING"),
    ],
)  # fmt: skip
def test_aliases(ksql: Ksql, sql: str, expected: str | None) -> None:
    """AstSanitizer.visitSingleColumn: qualified clashing join columns get <source>_<column>, struct fields
    their field name, other expressions KSQL_COL_n."""
    if expected is None:  # COL4 is both sources': ambiguous
        assert "Column 'COL4' is ambiguous." in ksql.message(f"CREATE STREAM OUT AS {sql};")
        return
    ksql.execute(f"CREATE STREAM OUT AS {sql};")
    assert ksql.schema("OUT") == expected


def test_lambda_checks_in_pull_queries(ksql: Ksql) -> None:
    """AstSanitizer runs on every statement: a table pull query's lambdas too."""
    ksql.execute("CREATE TABLE T AS SELECT COL1, COLLECT_LIST(COL3) AS L FROM TEST1 GROUP BY COL1;")
    msg = ksql.query_error("SELECT TRANSFORM(L, COL1 => COL1 + 1) AS X FROM T;").message
    assert "Lambda function argument can't be a column name: COL1" in msg
    msg = ksql.query_error(
        "SELECT TRANSFORM(L, Y => TRANSFORM(L, Y => Y)) AS X FROM T WHERE COL1 = 'a';"
    ).message
    assert "Reusing lambda arguments in nested lambda is not allowed" in msg
