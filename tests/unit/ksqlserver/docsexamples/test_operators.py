"""docs/developer-guide/ksqldb-reference/operators.md, docs/reference/sql/syntax/lexical-structure.md and
docs/reference/sql/time.md: the operators' examples on a USERS stream, the expression syntax (AT TIME ZONE
parses but ksqlDB 0.29's AstBuilder has no visitor for it), numeric / string / boolean constants,
backticked identifiers, reserved keywords, comments, operator precedence, the time units of window
clauses and the escaped TIMESTAMP_FORMAT examples."""

from __future__ import annotations

import json
import struct
from typing import Any

import pytest

from ksqlserver.drivers.base import Record
from ksqlserver.errors import KsqlError

from .conftest import Docs, pull

USERS = (
    "CREATE STREAM USERS (USERID BIGINT KEY, FIRST_NAME STRING, LAST_NAME STRING, NICKNAMES ARRAY<STRING>, "
    "ADDRESS STRUCT<STREET STRING, HOUSE_NUM INT>) WITH (KAFKA_TOPIC='users', VALUE_FORMAT='JSON');"
)
USER = {"FIRST_NAME": "Ada", "LAST_NAME": "Lovelace", "NICKNAMES": ["Countess", "Enchantress"],
        "ADDRESS": {"STREET": "St James's Square", "HOUSE_NUM": 12}}  # fmt: skip


def _users(docs: Any) -> Docs:
    h: Docs = docs()
    h.ensure_topics("users")
    h.sql(USERS)
    h.driver.produce("users", [Record(struct.pack(">q", 1), json.dumps(USER).encode(), 1000)])
    return h


def _error(h: Docs, sql: str) -> str:
    with pytest.raises(KsqlError) as info:
        h.sql(sql)
    return info.value.message


def _query_error(h: Docs, sql: str) -> str:
    """The error of a push query's statement."""
    with pytest.raises(KsqlError) as info:
        h.engine.start_query(sql).close()
    return info.value.message


def _columns(h: Docs, sql: str) -> list[str]:
    q = h.engine.start_query(sql)
    try:
        return [name for name, _ in q.columns]
    finally:
        q.close()


# ---- operators.md -----------------------------------------------------------------------------------------


def test_arithmetic_and_concatenation(docs: Any) -> None:
    """"Arithmetic" and "Concatenation": LEN(FIRST_NAME) + LEN(LAST_NAME); FIRST_NAME + LAST_NAME and
    `||` (AstBuilder.visitConcatenation: a CONCAT call) concatenate."""
    h = _users(docs)
    assert h.push("SELECT USERID, LEN(FIRST_NAME) + LEN(LAST_NAME) AS NAME_LENGTH FROM USERS EMIT CHANGES;") == [[1, 11]]
    assert h.push("SELECT USERID, FIRST_NAME + LAST_NAME AS FULL_NAME, FIRST_NAME || ' ' || LAST_NAME AS SPACED "
                  "FROM USERS EMIT CHANGES;") == [[1, "AdaLovelace", "Ada Lovelace"]]  # fmt: skip
    assert _query_error(h, "SELECT FIRST_NAME || 1 FROM USERS EMIT CHANGES;").startswith(
        "Function 'concat' does not accept parameters (STRING, INTEGER).\nValid alternatives are:\n"
    )


def test_multi_part_concatenation(docs: Any) -> None:
    """The alert message of INVALID_USERS_LOGINS_PER_HOST: TIMESTAMPTOSTRING(ROWTIME, ...) + text + HOST +
    CAST(INVALID_LOGIN_COUNT AS VARCHAR), for the rows with at least 4 failures."""
    h = docs()
    h.ensure_topics("logins")
    h.sql("CREATE STREAM INVALID_USERS_LOGINS_PER_HOST (USERID STRING KEY, HOST STRING, INVALID_LOGIN_COUNT INT) "
          "WITH (KAFKA_TOPIC='logins', VALUE_FORMAT='JSON');")  # fmt: skip
    for host, count, ts in [("h1", 3, 0), ("h2", 4, 60_000)]:
        h.produce("logins", "u", {"HOST": host, "INVALID_LOGIN_COUNT": count}, ts)
    assert h.push("""SELECT USERID,
    TIMESTAMPTOSTRING(ROWTIME, 'yyyy-MM-dd HH:mm:ss') +
        ': :heavy_exclamation_mark: On ' +
        HOST +
        ' there were ' +
        CAST(INVALID_LOGIN_COUNT AS VARCHAR) +
        ' attempts in the last minute (threshold is >=4)'
  FROM INVALID_USERS_LOGINS_PER_HOST
  WHERE INVALID_LOGIN_COUNT>=4
  EMIT CHANGES;""") == [["u", "1970-01-01 00:01:00: :heavy_exclamation_mark: On h2 there were 4 attempts in the "
                                "last minute (threshold is >=4)"]]  # fmt: skip


def test_dereference_and_subscript(docs: Any) -> None:
    """"Source Dereference" (USERS.FIRST_NAME), "Subscript" (NICKNAMES[1]), "STRUCT dereference"
    (ADDRESS->STREET, ADDRESS->*, USERS.ADDRESS->STREET and U.ADDRESS->STREET through an alias)."""
    h = _users(docs)
    assert h.push("SELECT USERID, USERS.FIRST_NAME FROM USERS EMIT CHANGES;") == [[1, "Ada"]]
    assert h.push("SELECT USERID, NICKNAMES[1] FROM USERS EMIT CHANGES;") == [[1, "Countess"]]
    assert h.push("SELECT USERID, ADDRESS->STREET, ADDRESS->HOUSE_NUM FROM USERS EMIT CHANGES;") == [
        [1, "St James's Square", 12]
    ]
    assert _columns(h, "SELECT USERID, ADDRESS->* FROM USERS EMIT CHANGES;") == ["USERID", "STREET", "HOUSE_NUM"]
    assert h.push("SELECT USERID, ADDRESS->* FROM USERS EMIT CHANGES;") == [[1, "St James's Square", 12]]
    assert h.push("SELECT USERID, U.ADDRESS->STREET FROM USERS U EMIT CHANGES;") == [[1, "St James's Square"]]
    # the page's last example qualifies by the name USERS while aliasing it U: AstBuilder's SourceAccumulator
    # knows both names, but the analyzer resolves qualifiers against the alias only (the source wins)
    assert _query_error(h, "SELECT USERID, USERS.ADDRESS->STREET, U.ADDRESS->STREET FROM USERS U EMIT CHANGES;") == (
        "Line: 1, Col: 16: SELECT column 'USERS.ADDRESS' cannot be resolved."
    )


def test_predicates(docs: Any) -> None:
    """The expression syntax's predicates: BETWEEN, LIKE ... ESCAPE, IS [NOT] NULL, IS [NOT] DISTINCT
    FROM; unary minus and plus."""
    h = _users(docs)
    assert h.push(
        "SELECT 'a_b' LIKE 'a!_b' ESCAPE '!', 'axb' LIKE 'a!_b' ESCAPE '!', FIRST_NAME IS DISTINCT FROM 'Ada', "
        "FIRST_NAME IS NOT DISTINCT FROM 'Ada', 5 NOT BETWEEN 1 AND 3, LAST_NAME IS NOT NULL, -USERID, +USERID "
        "FROM USERS EMIT CHANGES;"
    ) == [[True, False, False, True, True, True, -1, 1]]


def test_at_time_zone_is_not_implemented(docs: Any) -> None:
    """`value_expr AT timezone` is in SqlBase.g4 (#atTimeZone), but AstBuilder does not visit it: the
    default visitChildren meets the AT terminal's null result and AbstractParseTreeVisitor.aggregateResult
    throws "not yet implemented", which DefaultKsqlParser.prepare reports as "Failed to prepare statement"."""
    h = _users(docs)
    for sql in ("SELECT ROWTIME AT TIME ZONE 'UTC' FROM USERS EMIT CHANGES;",
                "SELECT USERID FROM USERS WHERE 1 + ROWTIME AT TIME ZONE 'UTC' > 0 EMIT CHANGES;"):  # fmt: skip
        assert _query_error(h, sql) == "Failed to prepare statement: not yet implemented"


# ---- lexical-structure.md ---------------------------------------------------------------------------------


def test_example_statements(docs: Any) -> None:
    """"Syntax": the three example statements are valid input (s1, s2 and t1 declared first)."""
    h = docs()
    h.sql("CREATE STREAM s1 (a VARCHAR KEY, b VARCHAR) WITH (kafka_topic='s1', partitions=1, value_format='json');")
    h.sql("CREATE TABLE t1 (k1 VARCHAR PRIMARY KEY, v INT) WITH (kafka_topic='t1', partitions=1, "
          "value_format='json');")  # fmt: skip
    h.sql("INSERT INTO s1 (a, b) VALUES ('k1', 'v1');")
    h.sql("CREATE STREAM s2 AS\n    SELECT a, b\n    FROM s1\n    EMIT CHANGES;")
    h.produce("t1", "foo", {"V": 1}, 0)
    h.produce("t1", "bar", {"V": 2}, 0)
    h.drain()
    assert [(r.key, r.value) for r in h.records("S2")] == [(b"k1", b'{"B":"v1"}')]
    assert h.push("SELECT * FROM t1 WHERE k1='foo' EMIT CHANGES;") == [["foo", 1]]


def test_keywords_and_identifiers(docs: Any) -> None:
    """"Keywords": case-insensitive and reserved unless backticked (SyntaxErrorValidator's message);
    "Identifiers": unquoted names are upper-cased, so s1 and S1 are one stream."""
    h = docs()
    h.ensure_topics("t")
    assert _error(h, "CREATE STREAM bad (select INT) WITH (kafka_topic='t', value_format='json');") == (
        "line 1:20: Syntax Error\n\"select\" is a reserved keyword and it can't be used as an identifier. You can "
        "use it as an identifier by escaping it as 'select' "
    )  # fmt: skip
    h.sql("create stream `SELECT` (`SELECT` INT) with (kafka_topic='t', value_format='json');")
    h.sql("create stream s1 (v int) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON');")
    assert h.source("S1") is not None and h.source("SELECT") is not None
    assert _error(h, "CREATE STREAM S1 (v int) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON');").startswith(
        "Cannot add stream 'S1': A stream with the same name already exists"
    )


def test_backticked_identifiers(docs: Any) -> None:
    """The `s1` stream with the column `@MY-identifier-stream-column!`: selected by its exact, backticked
    names; the names are case-sensitive."""
    h = docs()
    h.sql("""CREATE STREAM `s1` (
    k VARCHAR KEY,
    `@MY-identifier-stream-column!` INT
) WITH (
    kafka_topic = 's1',
    partitions = 3,
    value_format = 'json'
);""")
    h.produce("s1", "a", {"@MY-identifier-stream-column!": 3}, 0)
    assert h.push("SELECT `@MY-identifier-stream-column!` FROM `s1` EMIT CHANGES;") == [[3]]
    assert _query_error(h, "SELECT * FROM s1 EMIT CHANGES;") == (
        'Exception while preparing statement: S1 does not exist.\nDid you mean "s1"? Hint: wrap the source name in '
        "double quotes to make it case-sensitive."
    )
    assert "cannot be resolved" in _query_error(h, "SELECT `@my-identifier-stream-column!` FROM `s1` EMIT CHANGES;")


def test_constants(docs: Any) -> None:
    """"Constants": the page's numeric examples (5 is an INT, a decimal point makes a DECIMAL of the digits
    written - DecimalUtil.fromValue, an exponent a DOUBLE, +/- are functions of the constant), a quote
    doubled inside a string, and case-insensitive booleans."""
    h = _users(docs)
    sql = ("SELECT 5, 7.2, 0.0087, 1., .5, 1e-3, 1.332434e+2, +100, -250, "
           "'You can call me ''Stuart'', or Stu.', true, TRUE, FaLsE FROM USERS EMIT CHANGES;")  # fmt: skip
    q = h.engine.start_query(sql)
    try:
        types = [str(t) for _, t in q.columns]
    finally:
        q.close()
    assert types == ["INTEGER", "DECIMAL(2, 1)", "DECIMAL(5, 4)", "DECIMAL(1, 0)", "DECIMAL(2, 1)", "DOUBLE",
                     "DOUBLE", "INTEGER", "INTEGER", "STRING", "BOOLEAN", "BOOLEAN", "BOOLEAN"]  # fmt: skip
    assert [str(v) for v in h.push(sql)[0]] == ["5", "7.2", "0.0087", "1", "0.5", "0.001", "133.2434", "100", "-250",
                                                "You can call me 'Stuart', or Stu.", "True", "True", "False"]  # fmt: skip


def test_comments(docs: Any) -> None:
    """"Comments": a `--` line and a C-style block spanning lines are skipped."""
    h = docs()
    h.sql("-- Here is a comment.\n/* Here is\n   another comment.\n */\n"
          "CREATE STREAM s (v INT) WITH (kafka_topic='s', partitions=1, value_format='json'); -- trailing")  # fmt: skip
    assert h.source("S") is not None


def test_lexical_precedence(docs: Any) -> None:
    """"Lexical precedence": * / % before + -, comparisons after arithmetic, NOT before AND before OR,
    left-to-right within a level, parentheses first. BETWEEN is SqlBase.g4's predicate, so it binds before
    AND (`2 BETWEEN 1 AND 3 AND false` is false) whatever the page's list says (the grammar wins)."""
    h = _users(docs)
    assert h.push("SELECT 5 + 2 * 3, (5 + 2) * 3, 7 - 2 - 1, 7 % 4, 7 / 2, 16 / 4 / 2, 1 + 2 = 3, "
                  "true OR false AND false, NOT false AND false, 2 BETWEEN 1 AND 3 AND false, "
                  "'ab' LIKE 'a%' OR false FROM USERS EMIT CHANGES;") == [
        [11, 21, 4, 3, 3, 2, True, True, False, False, True]
    ]  # fmt: skip


# ---- time.md ----------------------------------------------------------------------------------------------


def test_time_units(docs: Any) -> None:
    """"Time units": DAYS, HOURS, MINUTES, SECONDS and MILLISECONDS (and their singular forms) in SIZE,
    ADVANCE BY and SESSION; anything else is a syntax error (SyntaxErrorValidator shows no expectations
    when ANTLR's list has more than three)."""
    h = docs()
    h.ensure_topics("t")
    h.sql("CREATE STREAM T (ID BIGINT KEY, V INT) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON');")
    for i, window in enumerate(["TUMBLING (SIZE 1 DAYS)", "HOPPING (SIZE 2 HOURS, ADVANCE BY 30 MINUTES)",
                                "SESSION (10 SECONDS)", "TUMBLING (SIZE 500 MILLISECONDS)", "TUMBLING (SIZE 1 DAY)"]):
        h.sql(f"CREATE TABLE W{i} AS SELECT ID, COUNT(*) AS C FROM T WINDOW {window} GROUP BY ID;")
    sizes = [h.source(f"W{i}").window for i in range(5)]
    assert [(w.kind, w.size_ms) for w in sizes] == [("TUMBLING", 86_400_000), ("HOPPING", 7_200_000),
                                                 ("SESSION", None), ("TUMBLING", 500), ("TUMBLING", 86_400_000)]  # fmt: skip
    assert _error(h, "CREATE TABLE X AS SELECT ID, COUNT(*) FROM T WINDOW TUMBLING (SIZE 1 WEEKS) GROUP BY ID;"
                  ) == "line 1:70: Syntax Error\n"  # fmt: skip


TIMESTAMP_FORMATS = [
    ("yyyy-MM-dd''T''HH:mm:ssX", "2021-06-01T10:00:00Z", 1_622_541_600_000),
    ("yyyy.MM.dd G ''at'' HH:mm:ss z", "2001.07.04 AD at 12:08:56 PDT", 994_273_736_000),
]


@pytest.mark.parametrize(("fmt", "text", "ms"), TIMESTAMP_FORMATS)
def test_escaped_timestamp_formats(docs: Any, fmt: str, text: str, ms: int) -> None:
    """"Timestamp formats": a quote inside TIMESTAMP_FORMAT is written twice in the SQL string; the record's
    event_timestamp becomes its ROWTIME."""
    h = docs()
    h.ensure_topics("test_topic")
    h.sql(f"CREATE STREAM TEST (id BIGINT KEY, event_timestamp VARCHAR) WITH (kafka_topic='test_topic', "
          f"value_format='JSON', timestamp='event_timestamp', timestamp_format='{fmt}');")  # fmt: skip
    h.driver.produce("test_topic", [Record(struct.pack(">q", 1), json.dumps({"EVENT_TIMESTAMP": text}).encode(), 5)])
    assert pull(h, "SELECT ROWTIME, EVENT_TIMESTAMP FROM TEST;") == [[ms, text]]


def test_timestamp_format_rules(docs: Any) -> None:
    """The third example, 'hh ''o''clock'' a, zzzz', is `hh 'o'clock' a, zzzz` once the SQL string is read:
    the quoted section ends after o, so `clock` are pattern letters and DateTimeFormatterBuilder refuses l
    (the docs meant ''''; the source wins). Without TIMESTAMP_FORMAT the column must be a BIGINT or
    TIMESTAMP; with one it must be a STRING (TimestampExtractionPolicyFactory)."""
    h = docs()
    h.ensure_topics("test_topic")
    assert _error(h, "CREATE STREAM TEST (id BIGINT KEY, event_timestamp VARCHAR) WITH (kafka_topic='test_topic', "
                     "value_format='JSON', timestamp='event_timestamp', timestamp_format='hh ''o''clock'' a, zzzz');") == (
        "Failed to prepare statement: Invalid datetime format for config:TIMESTAMP_FORMAT, reason:Unknown pattern "
        "letter: l"
    )  # fmt: skip
    h.sql("CREATE STREAM T1 (id BIGINT KEY, ts BIGINT) WITH (kafka_topic='test_topic', value_format='JSON', timestamp='ts');")
    h.sql("CREATE STREAM T2 (id BIGINT KEY, ts TIMESTAMP) WITH (kafka_topic='test_topic', value_format='JSON', "
          "timestamp='ts');")  # fmt: skip
    assert _error(h, "CREATE STREAM T3 (id BIGINT KEY, ts BIGINT) WITH (kafka_topic='test_topic', value_format='JSON', "
                     "timestamp='ts', timestamp_format='yyyy');") == (
        "'TIMESTAMP_FORMAT' set in the WITH clause can only be used when the timestamp column is of type STRING."
    )  # fmt: skip
    assert _error(h, "CREATE STREAM T4 (id BIGINT KEY, ts VARCHAR) WITH (kafka_topic='test_topic', "
                     "value_format='JSON', timestamp='ts');") == (
        "A String timestamp field has been specified without also specifying the timestamp_format"
    )  # fmt: skip
