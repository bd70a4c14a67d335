"""ksqlDB 0.29's ExpressionParserTest (ksqldb-parser, io.confluent.ksql.parser), ported against
`sql.parser.parse_expression`.

Not ported: parseSelectExpression and parseWindowExpression, which ksqlDB uses to read back query plans
(ours keeps its plans as objects, so no text of that kind is ever parsed)."""

from __future__ import annotations

from ksqlserver.sql import ast
from ksqlserver.sql.parser import parse_expression


def test_parse_expression() -> None:
    """ExpressionParserTest.shouldParseExpression: ExpressionParser.parseExpression("1 + 2")."""
    assert parse_expression("1 + 2") == ast.ArithmeticBinary("+", ast.IntegerLiteral(1), ast.IntegerLiteral(2))
