"""ksqlDB 0.29's ReservedWordMetaTest (ksqldb-parser, io.confluent.ksql.parser): every word of SqlBaseLexer's
vocabulary is either in the grammar's nonReserved rule (so it can name a column unquoted) or in the test's
RESERVED list (so it cannot). Ported by naming a column with each keyword of the 0.29 lexer."""

from __future__ import annotations

from typing import Any

import pytest

# ReservedWordMetaTest.RESERVED (the token names among them, EQ..UNRECOGNIZED, are no words a user types)
RESERVED = {
    "SELECT", "FROM", "AS", "ALL", "DISTINCT", "WHERE", "WITHIN", "WINDOW", "GROUP", "BY", "HAVING", "LIMIT",
    "AT", "OR", "AND", "IN", "NOT", "EXISTS", "BETWEEN", "LIKE", "IS", "NULL", "TRUE", "FALSE", "MILLISECOND",
    "YEARS", "MONTHS", "DAYS", "HOURS", "MINUTES", "SECONDS", "MILLISECONDS", "TUMBLING", "HOPPING", "SIZE",
    "ADVANCE", "RETENTION", "CASE", "WHEN", "THEN", "ELSE", "END", "JOIN", "FULL", "OUTER", "INNER", "LEFT",
    "RIGHT", "ON", "WITH", "VALUES", "CREATE", "TABLE", "TOPIC", "STREAM", "STREAMS", "INSERT", "DELETE",
    "INTO", "DESCRIBE", "EXTENDED", "PRINT", "CAST", "LIST", "TOPICS", "QUERY", "QUERIES", "TERMINATE",
    "PAUSE", "RESUME", "LOAD", "DROP", "TO", "RENAME", "SAMPLE", "EXPORT", "CATALOG", "PROPERTIES",
    "BEGINNING", "UNSET", "RUN", "SCRIPT", "DECIMAL", "CONNECTOR", "CONNECTORS", "NAMESPACE", "MATERIALIZED",
    "VIEW",
}

# the keyword rules of SqlBase.g4 (0.29), in grammar order
_KEYWORDS_TEXT = (
    "EMIT CHANGES FINAL SELECT FROM AS ALL DISTINCT WHERE WITHIN WINDOW GROUP BY HAVING LIMIT AT OR AND IN NOT "
    "EXISTS BETWEEN LIKE ESCAPE IS NULL TRUE FALSE INTEGER DATE TIME TIMESTAMP INTERVAL YEAR MONTH DAY HOUR "
    "MINUTE SECOND MILLISECOND YEARS MONTHS DAYS HOURS MINUTES SECONDS MILLISECONDS ZONE TUMBLING HOPPING SIZE "
    "ADVANCE RETENTION GRACE PERIOD CASE WHEN THEN ELSE END JOIN FULL OUTER INNER LEFT RIGHT ON PARTITION "
    "STRUCT WITH VALUES CREATE TABLE TOPIC STREAM STREAMS INSERT DELETE INTO DESCRIBE EXTENDED PRINT EXPLAIN "
    "ANALYZE TYPE TYPES CAST SHOW LIST TABLES TOPICS QUERY QUERIES TERMINATE PAUSE RESUME LOAD COLUMNS COLUMN "
    "PARTITIONS FUNCTIONS FUNCTION DROP TO RENAME ARRAY MAP SET DEFINE UNDEFINE RESET SESSION SAMPLE EXPORT "
    "CATALOG PROPERTIES BEGINNING UNSET RUN SCRIPT DECIMAL KEY CONNECTOR CONNECTORS SINK SOURCE NAMESPACE "
    "MATERIALIZED VIEW PRIMARY REPLACE ASSERT ADD ALTER VARIABLES PLUGINS HEADERS HEADER SYSTEM TIMEOUT "
    "SCHEMA SUBJECT ID IF"
)
KEYWORDS = _KEYWORDS_TEXT.split()


@pytest.mark.parametrize("word", [w for w in KEYWORDS if w not in RESERVED])
def test_non_reserved_word_names_a_column(t: Any, word: str) -> None:
    """ReservedWordMetaTest.shouldAddWordToNonReserved: a word outside RESERVED is in nonReserved, so it
    names a column without quotes (and keeps its upper-case spelling)."""
    t.create(f"V INT, {word.lower()} INT", name="S")
    assert list(t.types("S")) == ["V", word]


@pytest.mark.parametrize("word", sorted(w for w in KEYWORDS if w in RESERVED))
def test_reserved_word_cannot_name_a_column(t: Any, word: str) -> None:
    """ReservedWordMetaTest.RESERVED: these words are refused as unquoted names (SyntaxErrorValidator's
    reserved-keyword message) and accepted back-quoted."""
    msg = t.create_error(f"V INT, {word} INT")
    assert f'"{word}" is a reserved keyword and it can\'t be used as an identifier.' in msg
    t.create(f"V INT, `{word}` INT", name="S")
    assert list(t.types("S")) == ["V", word]
