"""ksqlDB 0.29's ParserKeywordValidatorUtilTest (ksqldb-parser, io.confluent.ksql.util): which names a UDF,
UDTF or UDAF may take (InternalFunctionRegistry.validateFunctionName). Ported through our plugin API, which
refuses the declaration with InternalFunctionRegistry's message."""

from __future__ import annotations

import pytest

from ksqlserver.extensions import DeclarationError, udf

# SqlBaseLexer.VOCABULARY's symbolic names below getMaxTokenType() (0.29): keywords, then the other tokens
_VOCABULARY_TEXT = (
    "EMIT CHANGES FINAL SELECT FROM AS ALL DISTINCT WHERE WITHIN WINDOW GROUP BY HAVING LIMIT AT OR AND IN NOT "
    "EXISTS BETWEEN LIKE ESCAPE IS NULL TRUE FALSE INTEGER DATE TIME TIMESTAMP INTERVAL YEAR MONTH DAY HOUR "
    "MINUTE SECOND MILLISECOND YEARS MONTHS DAYS HOURS MINUTES SECONDS MILLISECONDS ZONE TUMBLING HOPPING SIZE "
    "ADVANCE RETENTION GRACE PERIOD CASE WHEN THEN ELSE END JOIN FULL OUTER INNER LEFT RIGHT ON PARTITION "
    "STRUCT WITH VALUES CREATE TABLE TOPIC STREAM STREAMS INSERT DELETE INTO DESCRIBE EXTENDED PRINT EXPLAIN "
    "ANALYZE TYPE TYPES CAST SHOW LIST TABLES TOPICS QUERY QUERIES TERMINATE PAUSE RESUME LOAD COLUMNS COLUMN "
    "PARTITIONS FUNCTIONS FUNCTION DROP TO RENAME ARRAY MAP SET DEFINE UNDEFINE RESET SESSION SAMPLE EXPORT "
    "CATALOG PROPERTIES BEGINNING UNSET RUN SCRIPT DECIMAL KEY CONNECTOR CONNECTORS SINK SOURCE NAMESPACE "
    "MATERIALIZED VIEW PRIMARY REPLACE ASSERT ADD ALTER VARIABLES PLUGINS HEADERS HEADER SYSTEM TIMEOUT "
    "SCHEMA SUBJECT ID IF EQ NEQ LT LTE GT GTE PLUS MINUS ASTERISK SLASH PERCENT CONCAT ASSIGN STRUCT_FIELD_REF "
    "LAMBDA_EXPRESSION STRING INTEGER_VALUE DECIMAL_VALUE FLOATING_POINT_VALUE IDENTIFIER DIGIT_IDENTIFIER "
    "QUOTED_IDENTIFIER BACKQUOTED_IDENTIFIER VARIABLE SIMPLE_COMMENT DIRECTIVE_COMMENT BRACKETED_COMMENT WS "
    "UNRECOGNIZED"
)
VOCABULARY = _VOCABULARY_TEXT.split()

MESSAGE = "is not a valid function name. Function names must be valid java identifiers and not a KSQL reserved word"


def _valid(name: str) -> bool:
    try:
        udf(name, params=[], returns="INTEGER")
    except DeclarationError as e:
        assert f"{name} {MESSAGE}" in str(e)
        return False
    return True


@pytest.mark.parametrize(
    "name", ["enum", "static", "final", "do", "while", "double", "float", "private", "public", "goto", "default"]
)
def test_not_allow_java_reserved_words(name: str) -> None:
    """ParserKeywordValidatorUtilTest.shouldNotAllowJavaReservedWords."""
    assert not _valid(name)


@pytest.mark.parametrize("symbol", VOCABULARY)
def test_not_allow_ksql_reserved_words_except_substring_and_concat_and_replace(symbol: str) -> None:
    """ParserKeywordValidatorUtilTest.shouldNotAllowKsqlReservedWordsExceptSubstringAndConcatAndReplace:
    every symbolic name of the lexer's vocabulary is refused, CONCAT (and substring/replace) aside."""
    assert _valid(symbol) is (symbol.lower() in ("substring", "concat", "replace"))


@pytest.mark.parametrize("name", ["@foo", "1foo", "^foo", "&foo", "%foo", "+foo", "-foo", "#foo", "f1@%$"])
def test_not_allow_invalid_java_identifiers(name: str) -> None:
    """ParserKeywordValidatorUtilTest.shouldNotAllowInvalidJavaIdentifiers."""
    assert not _valid(name)


@pytest.mark.parametrize("name", ["foo", "$foo", "f1_b", "__blah"])
def test_allow_valid_java_identifiers(name: str) -> None:
    """ParserKeywordValidatorUtilTest.shouldAllowValidJavaIdentifiers."""
    assert _valid(name)
