"""ksqlDB 0.29's ParserUtilTest (ksqldb-parser, io.confluent.ksql.parser.util): ParserUtil.parseFloatLiteral
and parseDecimalLiteral, which AstBuilder calls for every FLOATING_POINT_VALUE and DECIMAL_VALUE literal.
A ParsingException there fails the statement's preparation (DefaultKsqlParser.prepare); its details name the
literal's position (ParsingException(message, NodeLocation) counts the column from the NodeLocation's 1-based
column, so one past the literal's start). The NaN and 'What?' cases cannot be written as SQL literals: the
lexer never makes those texts a number token."""

from __future__ import annotations

from typing import Any


def test_throw_when_parsing_decimal_if_overflows_double(t: Any) -> None:
    """ParserUtilTest.shouldThrowWhenParsingDecimalIfOverflowsDouble: 'Number overflows DOUBLE'."""
    t.topic("t")
    t.run("CREATE STREAM S (K STRING KEY, V INT) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON');")
    msg = t.error("CREATE STREAM O AS SELECT K, 1.7976931348623159E308 AS X FROM S;")
    assert msg == "Failed to prepare statement: line 1:31: Number overflows DOUBLE: 1.7976931348623159E308"


def test_largest_double_is_no_overflow(t: Any) -> None:
    """ParserUtil.parseFloatLiteral refuses only what Double.parseDouble makes infinite."""
    s = t.select("1.7976931348623157E308")
    assert s.type == "DOUBLE"
    assert float(s.value) == 1.7976931348623157e308
