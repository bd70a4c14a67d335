"""ksqlDB 0.29's ExpressionTreeRewriterTest (ksqldb-engine, io.confluent.ksql.engine.rewrite): the rewriter
reaches every child of every expression type. Its user-visible use is AstSanitizer's, which qualifies each
column reference with its source's alias before the statement is re-formatted (ExpressionFormatter) into the
text a CREATE ... AS SELECT reports: a reference the rewriter missed would stay unqualified there (MAP and
STRUCT constructors did). Each case also runs, so the rewritten expression is still the one evaluated. The
plugin variants (a rewriter replacing a whole node) have no statement-level counterpart; the simple CASE
has no type in ksqlDB 0.29 (ExpressionTypeManager refuses it) so is absent."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Ksql

_ROW = {"I": 1, "J": 2, "STR": "xa", "ARR": [1, 2], "M": {"a": 1}, "ST": {"F": 3}, "TS": 1000}

CASES = [
    # (Java test, expression, formatted, value)
    ("shouldRewriteArithmeticBinary", "I + J", "(S.I + S.J)", 3),
    ("shouldRewriteLambdaFunction", "TRANSFORM(ARR, x => x + I)", "TRANSFORM(S.ARR, (X) => (X + S.I))", [2, 3]),
    ("shouldRewriteBetweenPredicate", "I BETWEEN J AND 10", "(S.I BETWEEN S.J AND 10)", False),
    ("shouldRewriteComparisonExpression", "I > J", "(S.I > S.J)", False),
    ("shouldRewriteInListExpression / shouldRewriteInPredicate", "I IN (J, 1)", "(S.I IN (S.J, 1))", True),
    ("shouldRewriteFunctionCall", "ABS(I)", "ABS(S.I)", 1),
    ("shouldRewriteDereferenceExpression", "ST->F", "S.ST->F", 3),
    ("shouldRewriteArithmeticUnary", "-I", "-S.I", -1),
    ("shouldRewriteNotExpression", "NOT (I > J)", "(NOT (S.I > S.J))", True),
    (
        "shouldRewriteSearchedCaseExpression",
        "CASE WHEN I > J THEN STR ELSE 'b' END",
        "(CASE WHEN (S.I > S.J) THEN S.STR ELSE 'b' END)",
        "b",
    ),
    ("shouldRewriteLikePredicate", "STR LIKE '%a'", "(S.STR LIKE '%a')", True),
    ("shouldRewriteIsNotNullPredicate", "STR IS NOT NULL", "(S.STR IS NOT NULL)", True),
    ("shouldRewriteIsNullPredicate", "STR IS NULL", "(S.STR IS NULL)", False),
    ("shouldRewriteSubscriptExpression", "ARR[I]", "S.ARR[S.I]", 1),
    ("shouldRewriteSubscriptExpression (map)", "M['a']", "S.M['a']", 1),
    ("shouldRewriteCreateArrayExpression", "ARRAY[I, J]", "ARRAY[S.I, S.J]", [1, 2]),
    ("shouldRewriteCreateMapExpression", "MAP(STR := I)", "MAP(S.STR:=S.I)", {"xa": 1}),
    ("shouldRewriteStructExpression", "STRUCT(A := I, B := STR)", "STRUCT(A:=S.I, B:=S.STR)", {"A": 1, "B": "xa"}),
    ("shouldRewriteLogicalBinaryExpression", "I > 1 AND J < 2", "((S.I > 1) AND (S.J < 2))", False),
    ("shouldRewriteCast / shouldRewriteType", "CAST(I AS BIGINT)", "CAST(S.I AS BIGINT)", 1),
    ("shouldRewriteQualifiedColumnReference", "S.I", "S.I", 1),
    ("shouldRewriteColumnReference", "I", "S.I", 1),
    ("shouldRewriteLiteral", "'lit'", "'lit'", "lit"),
    # IntervalUnit prints as java.util.concurrent.TimeUnit names it, plural whatever was written (SECOND,
    # MINUTE, HOUR and DAY are non-reserved words: written singular they are column names)
    ("shouldRewriteIntervalUnit", "TIMESTAMPADD(SECONDS, I, TS)", "TIMESTAMPADD(SECONDS, S.I, S.TS)", 2000),
    ("shouldRewriteIntervalUnit (singular)", "TIMESTAMPADD(MILLISECOND, I, TS)", "TIMESTAMPADD(MILLISECONDS, S.I, S.TS)", 1001),
]


@pytest.fixture
def s(ksql: Ksql) -> Ksql:
    ksql.topic("s")
    ksql.execute(
        "CREATE STREAM S (K STRING KEY, I INT, J INT, STR STRING, ARR ARRAY<INT>, M MAP<STRING, INT>, "
        "ST STRUCT<F INT>, TS TIMESTAMP) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');"
    )
    return ksql


@pytest.mark.parametrize(("test", "expr", "formatted", "value"), CASES, ids=[c[0] for c in CASES])
def test_rewrites_every_child(s: Ksql, test: str, expr: str, formatted: str, value: object) -> None:
    (status,) = s.execute(f"CREATE STREAM O AS SELECT K, {expr} AS X FROM S;")
    assert f"  {formatted} X\n" in status["statementText"]
    s.produce("s", [("k", _ROW, 1)])
    (rec,) = s.records("O")
    assert json.loads(rec.value) == {"X": value}
