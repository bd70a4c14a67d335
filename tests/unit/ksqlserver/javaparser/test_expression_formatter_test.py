"""ksqlDB 0.29's ExpressionFormatterTest (ksqldb-execution, io.confluent.ksql.execution.expression.formatter),
ported against `sql.printer.sql`, which prints expressions as ExpressionFormatter.formatExpression does:
by default with FormatOptions.of(s -> false) (no name quoted), or with the `escape` given.

Not ported: BytesLiteral, TimeLiteral, DateLiteral and TimestampLiteral (no SQL text makes these nodes:
they only come from values a plan carries), the bare WhenClause, InListExpression and Type nodes (printed
here only inside their parents)."""

from __future__ import annotations

import sys
from decimal import Decimal

import pytest

from ksqlserver.sql import ast
from ksqlserver.sql.printer import sql

S = ast.StringLiteral
L = ast.LongLiteral


def _all(n: str) -> str:
    return f"`{n}`"  # FormatOptions.none(): every name quoted


@pytest.mark.parametrize(
    ("node", "want"),
    [
        (ast.BooleanLiteral(True), "true"),  # shouldFormatBooleanLiteral
        (S("string"), "'string'"),  # shouldFormatStringLiteral
        (ast.Subscript(S("abc"), ast.IntegerLiteral(3)), "'abc'[3]"),  # shouldFormatSubscriptExpression
        (  # shouldFormatCreateArrayExpression
            ast.CreateArray((S("foo"), ast.Subscript(ast.ColumnRef("abc"), ast.IntegerLiteral(1)))),
            "ARRAY['foo', abc[1]]",
        ),
        (  # shouldFormatCreateMapExpression
            ast.CreateMap(((S("foo"), ast.Subscript(ast.ColumnRef("abc"), ast.IntegerLiteral(1))), (S("bar"), S("val")))),
            "MAP('foo':=abc[1], 'bar':='val')",
        ),
        (L(1), "1"),  # shouldFormatLongLiteral
        (ast.DoubleLiteral(2.0), "2E0"),  # shouldFormatDoubleLiteralWithSmallScale
        (ast.DoubleLiteral(1234.56789876), "1.23456789876E3"),  # shouldFormatDoubleLiteralWithLargeScale
        (ast.DoubleLiteral(sys.float_info.max), "1.7976931348623157E308"),  # shouldFormatMaxDoubleLiteral
        (ast.DoubleLiteral(5e-324), "4.9E-324"),  # shouldFormatMinDoubleLiteral
        (ast.DecimalLiteral(Decimal("3.5")), "3.5"),  # shouldFormatDecimalLiteral
        (ast.IntervalUnit("DAYS"), "DAYS"),  # shouldFormatIntervalExpression
        (ast.NullLiteral(), "null"),  # shouldFormatNullLiteral
        (ast.ColumnRef("name"), "name"),  # shouldFormatColumnReference
        (ast.ColumnRef("bar", "foo"), "foo.bar"),  # shouldFormatQualifiedColumnReference
        (ast.Dereference(S("foo"), "name"), "'foo'->name"),  # shouldFormatDereferenceExpression
        (  # shouldFormatLambdaExpression
            ast.Lambda(("X", "Y"), ast.LogicalBinary("OR", ast.LambdaVariable("X"), ast.LambdaVariable("Y"))),
            "(X, Y) => (X OR Y)",
        ),
        (ast.FunctionCall("COUNT", (S("name"),)), "COUNT('name')"),  # shouldFormatFunctionCallWithCount
        (ast.FunctionCall("COUNT", ()), "COUNT(*)"),  # shouldFormatFunctionCountStar
        (ast.LogicalBinary("AND", S("a"), S("b")), "('a' AND 'b')"),  # shouldFormatLogicalBinaryExpression
        (ast.Not(L(1)), "(NOT 1)"),  # shouldFormatNotExpression
        (ast.Comparison("=", L(1), L(1)), "(1 = 1)"),  # shouldFormatComparisonExpression
        (ast.IsNull(S("name")), "('name' IS NULL)"),  # shouldFormatIsNullPredicate
        (ast.IsNull(S("name"), negated=True), "('name' IS NOT NULL)"),  # shouldFormatIsNotNullPredicate
        (ast.ArithmeticUnary("-", L(1)), "-1"),  # shouldFormatArithmeticUnary
        (ast.ArithmeticBinary("+", L(1), L(2)), "(1 + 2)"),  # shouldFormatArithmeticBinary
        (ast.Like(S("string"), S("*")), "('string' LIKE '*')"),  # shouldFormatLikePredicate
        (ast.Like(S("string"), S("*"), "!"), "('string' LIKE '*' ESCAPE '!')"),  # shouldFormatLikePredicateWithEscape
        (ast.Cast(L(1), ast.PrimitiveType("DOUBLE")), "CAST(1 AS DOUBLE)"),  # shouldFormatCast
        (  # shouldFormatSearchedCaseExpression
            ast.SearchedCase((ast.WhenClause(S("foo"), L(1)),)),
            "(CASE WHEN 'foo' THEN 1 END)",
        ),
        (  # shouldFormatSearchedCaseExpressionWithDefaultValue
            ast.SearchedCase((ast.WhenClause(S("foo"), L(1)),), L(2)),
            "(CASE WHEN 'foo' THEN 1 ELSE 2 END)",
        ),
        (  # shouldFormatSimpleCaseExpressionWithDefaultValue
            ast.SimpleCase(S("operand"), (ast.WhenClause(S("foo"), L(1)),), L(2)),
            "(CASE 'operand' WHEN 'foo' THEN 1 ELSE 2 END)",
        ),
        (  # shouldFormatSimpleCaseExpression
            ast.SimpleCase(S("operand"), (ast.WhenClause(S("foo"), L(1)),)),
            "(CASE 'operand' WHEN 'foo' THEN 1 END)",
        ),
        (ast.Between(S("blah"), L(5), L(10)), "('blah' BETWEEN 5 AND 10)"),  # shouldFormatBetweenPredicate
        (ast.InList(S("foo"), (S("a"),)), "('foo' IN ('a'))"),  # shouldFormatInPredicate
        (  # shouldFormatStruct (a Type: here inside a CAST, with the default options)
            ast.Cast(S("x"), ast.StructType((ast.StructField("field1", ast.PrimitiveType("INTEGER")),
                                             ast.StructField("field2", ast.PrimitiveType("STRING"))))),
            "CAST('x' AS STRUCT<field1 INTEGER, field2 STRING>)",
        ),
        (  # shouldFormatMap / shouldFormatArray (inside a CAST)
            ast.Cast(S("x"), ast.MapType(ast.PrimitiveType("INTEGER"), ast.ArrayType(ast.PrimitiveType("BOOLEAN")))),
            "CAST('x' AS MAP<INTEGER, ARRAY<BOOLEAN>>)",
        ),
    ],
)
def test_format_expression(node: ast.Node, want: str) -> None:
    """ExpressionFormatterTest.shouldFormat*: ExpressionFormatter.formatExpression(expression)."""
    assert sql(node) == want


def test_format_struct_expression() -> None:
    """ExpressionFormatterTest.shouldFormatStructExpression: FormatOptions quoting only `foo`."""
    node = ast.CreateStruct((("foo", S("abc")), ("bar", ast.Subscript(ast.ColumnRef("abc"), ast.IntegerLiteral(1)))))
    assert sql(node, lambda n: f"`{n}`" if n == "foo" else n) == "STRUCT(`foo`:='abc', bar:=abc[1])"


def test_format_cast_to_struct_with_none_options() -> None:
    """ExpressionFormatterTest.shouldFormatCastToStruct / shouldFormatStructWithColumnWithReservedWordName:
    FormatOptions.none() quotes every field name."""
    cast = ast.Cast(S("foo"), ast.StructType((ast.StructField("field", ast.PrimitiveType("STRING")),)))
    assert sql(cast, _all) == "CAST('foo' AS STRUCT<`field` STRING>)"
    cast = ast.Cast(S("x"), ast.StructType((ast.StructField("RESERVED", ast.PrimitiveType("INTEGER")),)))
    assert sql(cast, _all).endswith("AS STRUCT<`RESERVED` INTEGER>)")
