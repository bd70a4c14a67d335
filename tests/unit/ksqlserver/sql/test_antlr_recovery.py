"""Syntax errors where ksqlDB's ANTLR parser recovers or predicts before it reports (round parsefuzz).

Each expected text is the output of ANTLR 4.9.2 (the version ksqlDB 0.29's pom pins) running the parser
generated from ksqlDB 0.29's SqlBase.g4 with DefaultKsqlParser.getParseTree's set-up (CaseInsensitiveStream,
SLL prediction, SyntaxErrorValidator as the only error listener, ParsingException's "line L:C: " prefix).
They follow org.antlr.v4.runtime.DefaultErrorStrategy:

* recoverInline tries single-token deletion ("extraneous input", when the next token is the expected one)
  before single-token insertion ("missing X at 'Y'", when the current token may follow the expected one);
* sync at a loop's or an optional block's entry reports an unwanted token as extraneous;
* inside adaptivePredict (CREATE STREAM/TABLE with columns or AS query are told apart only past the name),
  a wrong token is a NoViableAltException;

and SyntaxErrorValidator.syntaxError / isKeywordError / getExpectations then reword them.
"""

from __future__ import annotations

import pytest

from ksqlserver.errors import KsqlParseError
from ksqlserver.sql.parser import parse


def _reserved(word: str) -> str:
    return (
        f'"{word}" is a reserved keyword and it can\'t be used as an identifier. '
        f"You can use it as an identifier by escaping it as '{word}' "
    )


CASES = [
    # a reserved word before a statement: extraneous input at `statements`' loop (sync), isKeywordError
    (
        "STREAM CREATE INPUT (ID STRING KEY) WITH (kafka_topic='t');",
        "line 1:1: Syntax Error\n" + _reserved("STREAM"),
    ),
    ("streams SHOW TABLES;", "line 1:1: Syntax Error\n" + _reserved("streams")),
    ("STREAM", "line 1:1: Syntax Error\n" + _reserved("STREAM")),
    # ... but mismatched input when what follows cannot start a statement: the unknown-statement hint
    ("STREAM;", "line 1:1: Syntax Error\nUnknown statement 'STREAM'\nDid you mean 'SELECT'?"),
    ("TABLE foo;", "line 1:1: Syntax Error\nUnknown statement 'TABLE'\nDid you mean 'PAUSE'?"),
    # a stray word just before ';' is extraneous (deletion is tried before insertion)
    (
        "CREATE TABLE T (ID STRING PRIMARY KEY) WITH (kafka_topic='t') SELECT;",
        "line 1:63: Syntax Error\n" + _reserved("SELECT"),
    ),
    (
        "CREATE TABLE T (ID STRING PRIMARY KEY) WITH (kafka_topic='t') foo;",
        "line 1:63: Syntax Error\nExpecting ';'",
    ),
    ("SHOW STREAMS SHOW TABLES;", "line 1:14: Syntax Error\nmissing ';' at 'SHOW'"),
    # a reserved word as a type: mismatched input expecting every type, a list too long to show
    ("CREATE STREAM s (a ARRAY<NULL>) WITH (kafka_topic='t');", "line 1:26: Syntax Error\n"),
    ("CREATE STREAM INPUT (ROWKEY INT KEY, COL0 NULL) WITH (kafka_topic='t');", "line 1:43: Syntax Error\n"),
    (
        "CREATE STREAM I (ID INT KEY, COL0 MAP<STRING, NULL>) WITH (kafka_topic='t');",
        "line 1:47: Syntax Error\n",
    ),
    (
        "CREATE STREAM I (ID INT KEY, COL0 STRUCT<fo NULL>) WITH (kafka_topic='t');",
        "line 1:45: Syntax Error\n",
    ),
    ("CREATE STREAM T (K STRING KEY, ID CASE) WITH (kafka_topic='t');", "line 1:35: Syntax Error\n"),
    # IF NOT EXISTS inside CREATE STREAM/TABLE's prediction: no viable alternative
    (
        "create stream if not exist s1(id int) with (kafka_topic='s1');",
        "line 1:22: Syntax Error\nSyntax error at or near 'exist' at line 1:22",
    ),
    (
        "create or replace stream if not exist s1(id int) with (kafka_topic='s1');",
        "line 1:33: Syntax Error\nSyntax error at or near 'exist' at line 1:33",
    ),
    (
        "create stream if not exist s1 as select * from x;",
        "line 1:22: Syntax Error\nSyntax error at or near 'exist' at line 1:22",
    ),
    (
        "create table if not 1 s1(id int);",
        "line 1:21: Syntax Error\nSyntax error at or near '1' at line 1:21",
    ),
    ("create stream if not;", "line 1:21: Syntax Error\nSyntax error at or near ';' at line 1:21"),
    ("create stream if not", "line 1:21: Syntax Error\nSyntax error at or near '<EOF>' at line 1:21"),
    # ... and outside it (CREATE SOURCE, TYPE, CONNECTOR): recoverInline
    ("create type if not exist t AS INT;", "line 1:20: Syntax Error\nmissing 'EXISTS' at 'exist'"),
    (
        "create source connector if not exist c WITH ('a'='b');",
        "line 1:32: Syntax Error\nmissing 'EXISTS' at 'exist'",
    ),
    (
        "create source stream if not exist s1(id int) with (kafka_topic='s1');",
        "line 1:29: Syntax Error\nmissing 'EXISTS' at 'exist'",
    ),
    ("create type if not;", "line 1:19: Syntax Error\nExpecting 'EXISTS'"),
    ("create type if not foo exists t as int;", "line 1:20: Syntax Error\nExpecting 'EXISTS'"),
    # single-token insertion: the current token may follow the expected one
    ("CREATE TABLE O AS SELCT * FROM I;", "line 1:19: Syntax Error\nmissing 'SELECT' at 'SELCT'"),
    ("CREATE TABLE O AS 'x' FROM I;", "line 1:19: Syntax Error\nmissing 'SELECT' at ''x''"),
    ("CREATE TABLE O AS * FROM I;", "line 1:19: Syntax Error\nmissing 'SELECT' at '*'"),
    ("CREATE TABLE O AS ( SELECT * FROM I);", "line 1:19: Syntax Error\nExpecting 'SELECT'"),
    ("CREATE TABLE O AS DISTINCT * FROM I;", "line 1:19: Syntax Error\nExpecting 'SELECT'"),
    (
        "CREATE STREAM I (B MAP<STRING INT>) WITH (kafka_topic='t');",
        "line 1:31: Syntax Error\nmissing ',' at 'INT'",
    ),
    (
        "CREATE STREAM I (B MAP<STRING `X`>) WITH (kafka_topic='t');",
        "line 1:31: Syntax Error\nmissing ',' at '`X`'",
    ),
    ("INSERT INTO T (A, B) (1, 2);", "line 1:22: Syntax Error\nmissing 'VALUES' at '('"),
    ("INSERT INTO T (A, B) VALUE (1, 2);", "line 1:22: Syntax Error\nExpecting 'VALUES'"),
    (
        "CREATE TABLE I (ID STRING PRIMARY , N STRING) WITH (kafka_topic='t');",
        "line 1:35: Syntax Error\nmissing 'KEY' at ','",
    ),
    (
        "CREATE TABLE I (ID STRING PRIMARY) WITH (kafka_topic='t');",
        "line 1:34: Syntax Error\nmissing 'KEY' at ')'",
    ),
    (
        "CREATE TABLE I (ID STRING PRIMARY N STRING) WITH (kafka_topic='t');",
        "line 1:35: Syntax Error\nExpecting 'KEY'",
    ),
    (
        "SELECT * FROM X WHERE A IS DISTINCT FRO 1 EMIT CHANGES;",
        "line 1:37: Syntax Error\nmissing 'FROM' at 'FRO'",
    ),
    ("SELECT * FROM X WHERE A IS DISTINCT 1 EMIT CHANGES;", "line 1:37: Syntax Error\nmissing 'FROM' at '1'"),
    (
        "SELECT * FROM X WINDOW TUMBLING SIZE 30 SECONDS GROUP BY A EMIT CHANGES;",
        "line 1:33: Syntax Error\nmissing '(' at 'SIZE'",
    ),
    (
        "SELECT * FROM X WINDOW HOPPING SIZE 30 SECONDS, ADVANCE BY 1 SECOND) GROUP BY A;",
        "line 1:32: Syntax Error\nmissing '(' at 'SIZE'",
    ),
    ("UNDEFINE ;", "line 1:10: Syntax Error\nmissing IDENTIFIER at ';'"),
    ("SET 'a'=;", "line 1:9: Syntax Error\nmissing STRING at ';'"),
    ("UNSET ;", "line 1:7: Syntax Error\nmissing STRING at ';'"),
    ("DEFINE x=;", "line 1:10: Syntax Error\nmissing STRING at ';'"),
    ("DEFINE =1;", "line 1:8: Syntax Error\nmissing IDENTIFIER at '='"),
    ("PRINT 'x' FROM ;", "line 1:16: Syntax Error\nmissing 'BEGINNING' at ';'"),
    ("PRINT 'x' FROM LIMIT 1;", "line 1:16: Syntax Error\nmissing 'BEGINNING' at 'LIMIT'"),
    # EOF is not in the follow set (`statements` wants the ';'): mismatched input '<EOF>'
    ("UNDEFINE", "line 1:9: Syntax Error\nSyntax error at or near \";\"\n'}', ']', or ')' is missing"),
    ("SET 'a'=", "line 1:9: Syntax Error\nSyntax error at or near \";\"\n'}', ']', or ')' is missing"),
]


@pytest.mark.parametrize(("sql", "message"), CASES, ids=[c[0][:50] for c in CASES])
def test_message_as_antlr(sql: str, message: str) -> None:
    with pytest.raises(KsqlParseError) as info:
        parse(sql)
    assert info.value.message == message


WINDOW_NAME_CASES = [
    # windowExpression's optional name is a plain IDENTIFIER token: no keyword, no quoted name
    (
        "SELECT A, COUNT(*) FROM S WINDOW WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY A;",
        "line 1:34: Syntax Error\n" + _reserved("WINDOW"),
    ),
    (
        "SELECT A, COUNT(*) FROM S WINDOW FROM w TUMBLING (SIZE 1 SECOND) GROUP BY A;",
        "line 1:34: Syntax Error\n" + _reserved("FROM"),
    ),
    ("SELECT A, COUNT(*) FROM S WINDOW FROM (SIZE 1 SECOND) GROUP BY A;", "line 1:34: Syntax Error\n"),
    (
        "SELECT A, COUNT(*) FROM S WINDOW SHOW TUMBLING (SIZE 1 SECOND) GROUP BY A;",
        "line 1:34: Syntax Error\n",
    ),
    (
        "SELECT A, COUNT(*) FROM S WINDOW `w` TUMBLING (SIZE 1 SECOND) GROUP BY A;",
        "line 1:34: Syntax Error\n",
    ),
    ("SELECT A, COUNT(*) FROM S WINDOW (SIZE 1 SECOND) GROUP BY A;", "line 1:34: Syntax Error\n"),
    (
        "SELECT A, COUNT(*) FROM S WINDOW w x TUMBLING (SIZE 1 SECOND) GROUP BY A;",
        "line 1:36: Syntax Error\nExpecting {'TUMBLING', 'HOPPING', 'SESSION'}",
    ),
]


@pytest.mark.parametrize(("sql", "message"), WINDOW_NAME_CASES, ids=[c[0][26:60] for c in WINDOW_NAME_CASES])
def test_window_name_as_antlr(sql: str, message: str) -> None:
    """SqlBase.g4's windowExpression `(IDENTIFIER)? (tumbling | hopping | session)`, errors as ANTLR 4.9.2
    reports them through SyntaxErrorValidator."""
    with pytest.raises(KsqlParseError) as info:
        parse(sql)
    assert info.value.message == message


def test_window_name_is_ignored() -> None:
    """A plain identifier before TUMBLING parses (AstBuilder.visitWindowExpression ignores it)."""
    parse("SELECT A, COUNT(*) FROM S WINDOW w TUMBLING (SIZE 1 SECOND) GROUP BY A;")


def test_identifier_then_string_is_a_type_constructor() -> None:
    """SqlBase.g4's #typeConstructor `identifier STRING` makes `SELECT ID 'x'` parse (ANTLR accepts it);
    AstBuilder.visitTypeConstructor then throws "Unknown type: " + type + ", location:" + location
    (NodeLocation.toString "Line: L, Col: C" in an Optional), which DefaultKsqlParser.prepare prefixes."""
    with pytest.raises(KsqlParseError) as info:
        parse("CREATE TABLE O AS SELECT ID, COUNT(1) AS C FROM I GROUP BY ID 'x';")
    assert (
        info.value.message
        == "Failed to prepare statement: Unknown type: ID, location:Optional[Line: 1, Col: 60]"
    )
    with pytest.raises(KsqlParseError) as info:
        parse("SELECT `id` 'x' FROM S;")
    assert (
        info.value.message
        == "Failed to prepare statement: Unknown type: id, location:Optional[Line: 1, Col: 8]"
    )


def test_decimal_type_constructor() -> None:
    """AstBuilder.visitTypeConstructor: a DECIMAL type name builds a DecimalLiteral from the string (DECIMAL
    is reserved, so only the quoted name reaches it)."""
    (stmt,) = parse("SELECT `DECIMAL` '1.50' AS D FROM S;")
    assert "1.50" in str(stmt)


MORE_CASES = [
    # `identifier '.'` is predicted as a qualified column: the error is at what follows the dot
    ("SELECT I1.", "line 1:11: Syntax Error\nSyntax error at or near '<EOF>' at line 1:11"),
    ("SELECT I1. FROM X;", "line 1:12: Syntax Error\nSyntax error at or near 'FROM' at line 1:12"),
    (
        "SELECT A FROM X WHERE I1.",
        "line 1:26: Syntax Error\nSyntax error at or near \";\"\n'}', ']', or ')' is missing",
    ),
    ("SELECT A FROM X WHERE I1.;", "line 1:26: Syntax Error\n"),
    ("SELECT A FROM X WHERE I1.FROM B;", "line 1:26: Syntax Error\n" + _reserved("FROM")),
    ("SELECT A + I1. FROM X;", "line 1:16: Syntax Error\n" + _reserved("FROM")),
    ("SELECT f(I1.) FROM X;", "line 1:13: Syntax Error\nSyntax error at or near ')' at line 1:13"),
    ("SELECT A FROM X JOIN Y ON X.A = Y.;", "line 1:35: Syntax Error\n"),
    # after a query's EMIT / LIMIT clause the expected set is short enough to show
    (
        "SELECT * FROM input EMIT CHANGES PARTITION BY col0;",
        "line 1:34: Syntax Error\nExpecting {';', 'LIMIT'}",
    ),
    ("SELECT * FROM X EMIT CHANGES `a;", "line 1:30: Syntax Error\nExpecting {';', 'LIMIT'}"),
    ("SELECT * FROM X EMIT CHANGES foo;", "line 1:30: Syntax Error\nExpecting ';'"),
    ("SELECT * FROM X LIMIT 1 EMIT CHANGES;", "line 1:25: Syntax Error\nExpecting ';'"),
    ("INSERT INTO S SELECT * FROM X EMIT CHANGES foo;", "line 1:44: Syntax Error\nExpecting ';'"),
    # ARRAY, MAP, STRUCT are non-reserved: without '<' they name a type (`<>` is one token)
    (
        "CREATE STREAM I (A INT KEY, B ARRAY<>, C INT) WITH (kafka_topic='t');",
        "line 1:36: Syntax Error\nExpecting {',', ')'}",
    ),
    (
        "CREATE STREAM I (A INT KEY, B MAP INT) WITH (kafka_topic='t');",
        "line 1:35: Syntax Error\nExpecting {',', ')'}",
    ),
    (
        "CREATE STREAM I (A INT KEY, B STRUCT INT) WITH (kafka_topic='t');",
        "line 1:38: Syntax Error\nExpecting {',', ')'}",
    ),
    (
        "CREATE STREAM I (A INT KEY, B ARRAY ARRAY<INT>, C INT) WITH (kafka_topic='t');",
        "line 1:42: Syntax Error\nExpecting {',', ')'}",
    ),
    # recoverInline's single-token insertion
    ("SELECT A FROM X WHERE COUNT(* > 1;", "line 1:31: Syntax Error\nmissing ')' at '>'"),
    ("SELECT A FROM X WHERE COUNT(*;", "line 1:30: Syntax Error\nmissing ')' at ';'"),
    ("SELECT COUNT(* > 1 FROM X;", "line 1:16: Syntax Error\nSyntax error at or near '>' at line 1:16"),
    (
        "CREATE STREAM I (K DECIMAL(6,4 KEY, V INT) WITH (kafka_topic='t');",
        "line 1:32: Syntax Error\nmissing ')' at 'KEY'",
    ),
    (
        "CREATE STREAM I (K DECIMAL(6,4 V INT) WITH (kafka_topic='t');",
        "line 1:32: Syntax Error\nExpecting ')'",
    ),
    (
        "CREATE STREAM I (ID STRING KEY, v DECIMAL(33 16)) WITH (kafka_topic='t');",
        "line 1:46: Syntax Error\nmissing ',' at '16'",
    ),
    (
        "CREATE STREAM I (ID STRING KEY, v DECIMAL(33 a)) WITH (kafka_topic='t');",
        "line 1:46: Syntax Error\nExpecting ','",
    ),
]


@pytest.mark.parametrize(("sql", "message"), MORE_CASES, ids=[c[0][:50] for c in MORE_CASES])
def test_more_messages_as_antlr(sql: str, message: str) -> None:
    """Checked against ANTLR 4.9.2 on ksqlDB 0.29's SqlBase.g4 (see the module docstring)."""
    with pytest.raises(KsqlParseError) as info:
        parse(sql)
    assert info.value.message == message


def test_array_map_struct_as_type_names_parse() -> None:
    """SqlBase.g4's nonReserved lists ARRAY, MAP and STRUCT: `B ARRAY` is a type named ARRAY for the grammar
    (resolved, and refused if unknown, after parsing, as SqlTypeParser.getSqlType does)."""
    parse("CREATE STREAM I (A INT KEY, B ARRAY, C MAP, D STRUCT) WITH (kafka_topic='t');")
    parse("CREATE STREAM I (A INT KEY, B INT ARRAY ARRAY) WITH (kafka_topic='t');")


STATEMENT_CASES = [
    # CREATE STREAM/TABLE without columns: its WITH clause is inside the alternative's prediction
    (
        "CREATE STREAM S WITH (k='v' b='c');",
        "line 1:29: Syntax Error\nSyntax error at or near 'b' at line 1:29",
    ),
    ("CREATE STREAM S WITH (k='v';", "line 1:28: Syntax Error\nSyntax error at or near ';' at line 1:28"),
    ("CREATE STREAM S WITH (k=", "line 1:25: Syntax Error\nSyntax error at or near '<EOF>' at line 1:25"),
    (
        "CREATE TABLE S WITH (k='v' b='c') AS SELECT * FROM X;",
        "line 1:28: Syntax Error\nSyntax error at or near 'b' at line 1:28",
    ),
    ("CREATE STREAM S (A INT) WITH (k='v' b='c');", "line 1:37: Syntax Error\nExpecting {',', ')'}"),
    # what may follow the statement's last clause
    ("CREATE STREAM S WITH (k='v') foo bar;", "line 1:30: Syntax Error\nExpecting ';'"),
    ("CREATE STREAM S (A INT) WITH (k='v') foo bar;", "line 1:38: Syntax Error\nExpecting ';'"),
    ("CREATE STREAM S (A INT) foo;", "line 1:25: Syntax Error\nExpecting ';'"),
    ("CREATE STREAM S (A INT) foo bar;", "line 1:25: Syntax Error\nExpecting {';', 'WITH'}"),
    # STRUCT's field list
    (
        "CREATE STREAM I (f0 STRUCT<F0 INT INT, `f1` INT>) WITH (kafka_topic='t');",
        "line 1:35: Syntax Error\nExpecting {',', '>'}",
    ),
    ("CREATE STREAM I (f0 STRUCT<F0 INT;", "line 1:34: Syntax Error\nExpecting {',', '>'}"),
    # statements told apart by prediction: ASSERT ..., SHOW / LIST ...
    (
        "ASSERT VALUES j (a) VALUES (1);",
        "line 1:8: Syntax Error\nSyntax error at or near 'VALUES' at line 1:8",
    ),
    ("ASSERT NOT EXISTS foo 'x';", "line 1:19: Syntax Error\nSyntax error at or near 'foo' at line 1:19"),
    ("ASSERT NOT foo;", "line 1:12: Syntax Error\nSyntax error at or near 'foo' at line 1:12"),
    ("SHOW ROPERTIES;", "line 1:6: Syntax Error\nSyntax error at or near 'ROPERTIES' at line 1:6"),
    ("LIST foo;", "line 1:6: Syntax Error\nSyntax error at or near 'foo' at line 1:6"),
    ("SHOW ALL foo;", "line 1:10: Syntax Error\nExpecting 'TOPICS'"),
    ("SHOW SOURCE foo;", "line 1:13: Syntax Error\nExpecting 'CONNECTORS'"),
    ("SHOW SOURCE;", "line 1:12: Syntax Error\nmissing 'CONNECTORS' at ';'"),
]


@pytest.mark.parametrize(("sql", "message"), STATEMENT_CASES, ids=[c[0][:50] for c in STATEMENT_CASES])
def test_statement_messages_as_antlr(sql: str, message: str) -> None:
    """Checked against ANTLR 4.9.2 on ksqlDB 0.29's SqlBase.g4 (see the module docstring)."""
    with pytest.raises(KsqlParseError) as info:
        parse(sql)
    assert info.value.message == message


CLAUSE_CASES = [
    # SET / ALTER SYSTEM / DEFINE: only a STRING follows '=', so only before one is '=' reported missing
    ("SET 'auto.offset.reset='earliest';", "line 1:25: Syntax Error\nExpecting '='"),
    ("ALTER SYSTEM 'auto.offset.reset='earliest';", "line 1:34: Syntax Error\nExpecting '='"),
    ("SET 'auto.offset.reset' 'earliest';", "line 1:25: Syntax Error\nmissing '=' at ''earliest''"),
    ("DEFINE x foo;", "line 1:10: Syntax Error\nExpecting '='"),
    # a subscript's ']': deletion, insertion before a predicate keyword, else the index loop's long set
    ("SELECT * FROM X WHERE THING['status]='false';", "line 1:39: Syntax Error\n"),
    ("SELECT * FROM X WHERE A[1 foo] = 2;", "line 1:27: Syntax Error\nExpecting ']'"),
    ("SELECT * FROM X WHERE A[1 AND B;", "line 1:27: Syntax Error\nmissing ']' at 'AND'"),
    ("SELECT * FROM X WHERE A[1 = 2;", "line 1:27: Syntax Error\nmissing ']' at '='"),
    # BETWEEN's AND: single-token deletion, then insertion before a bound, else the bound loop's long set
    ("SELECT * FROM X WHERE A BETWEEN 1 ND 2;", "line 1:35: Syntax Error\nmissing 'AND' at 'ND'"),
    ("SELECT * FROM X WHERE A BETWEEN 1 1 AND 2;", "line 1:35: Syntax Error\nExpecting 'AND'"),
    ("SELECT * FROM X WHERE A BETWEEN 1 OR 2;", "line 1:35: Syntax Error\n"),
    # EMIT's CHANGES / FINAL
    (
        "CREATE STREAM O AS SELECT * FROM X WHERE A = 1 EMIT ;",
        "line 1:53: Syntax Error\nmissing {'CHANGES', 'FINAL'} at ';'",
    ),
    (
        "SELECT * FROM X WHERE A = 1 EMIT LIMIT 2;",
        "line 1:34: Syntax Error\nmissing {'CHANGES', 'FINAL'} at 'LIMIT'",
    ),
    ("SELECT * FROM X WHERE A = 1 EMIT foo;", "line 1:34: Syntax Error\nExpecting {'CHANGES', 'FINAL'}"),
    # JOIN ... WITHIN ... ON
    (
        "SELECT * FROM L LEFT JOIN R WITHIN 10 SECONDS  L.A = R.A;",
        "line 1:48: Syntax Error\nmissing 'ON' at 'L'",
    ),
    (
        "SELECT * FROM L LEFT JOIN R WITHIN 10 SECONDS  foo ON 1 = 1;",
        "line 1:48: Syntax Error\nExpecting 'ON'",
    ),
    (
        "SELECT * FROM L LEFT JOIN R WITHIN 10 SECONDS  = 1;",
        "line 1:48: Syntax Error\nExpecting {'GRACE', 'ON'}",
    ),
    # WINDOW's optional RETENTION / GRACE PERIOD, then ')'
    (
        "SELECT * FROM X WINDOW TUMBLING (SIZE 30 SECONDS GROUP BY A;",
        "line 1:50: Syntax Error\nExpecting {',', ')'}",
    ),
    ("SELECT * FROM X WINDOW TUMBLING (SIZE 30 SECONDS;", "line 1:49: Syntax Error\nExpecting {',', ')'}"),
    (
        "SELECT * FROM X WINDOW SESSION (30 SECONDS GROUP BY A;",
        "line 1:44: Syntax Error\nExpecting {',', ')'}",
    ),
    (
        "SELECT * FROM X WINDOW TUMBLING (SIZE 30 SECONDS, RETENTION 1 DAY GROUP BY A;",
        "line 1:67: Syntax Error\nExpecting {',', ')'}",
    ),
    (
        "SELECT * FROM X WINDOW TUMBLING (SIZE 30 SECONDS, GRACE PERIOD 1 DAY GROUP BY A;",
        "line 1:70: Syntax Error\nmissing ')' at 'GROUP'",
    ),
]


@pytest.mark.parametrize(("sql", "message"), CLAUSE_CASES, ids=[c[0][:50] for c in CLAUSE_CASES])
def test_clause_messages_as_antlr(sql: str, message: str) -> None:
    """Checked against ANTLR 4.9.2 on ksqlDB 0.29's SqlBase.g4 (see the module docstring)."""
    with pytest.raises(KsqlParseError) as info:
        parse(sql)
    assert info.value.message == message


# Round parsemsg: where ANTLR's adaptivePredict is still open when the input ends or goes wrong, the error
# is ParserATNSimulator's NoViableAltException at the offending token ("Syntax error at or near"), not
# the mismatched token's bracket hint / expected set
PREDICTION_CASES = [
    ('SELECT a FROM s WHERE g(',
     "line 1:25: Syntax Error\nSyntax error at or near '<EOF>' at line 1:25"),
    ('SELECT a FROM s GROUP BY f(',
     "line 1:28: Syntax Error\nSyntax error at or near '<EOF>' at line 1:28"),
    ('SELECT a FROM s GROUP BY f(x,',
     "line 1:30: Syntax Error\nSyntax error at or near '<EOF>' at line 1:30"),
    ('SELECT a FROM s PARTITION BY f(',
     "line 1:32: Syntax Error\nSyntax error at or near '<EOF>' at line 1:32"),
    ('SELECT a FROM s GROUP BY (',
     "line 1:27: Syntax Error\nSyntax error at or near '<EOF>' at line 1:27"),
    ('SELECT a FROM s GROUP BY (a',
     "line 1:28: Syntax Error\nSyntax error at or near '<EOF>' at line 1:28"),
    ('SELECT a FROM s GROUP BY (a,',
     'line 1:29: Syntax Error\nSyntax error at or near ";"\n\'}\', \']\', or \')\' is missing'),
    ('SELECT a FROM s GROUP BY (a, b',
     'line 1:31: Syntax Error\nSyntax error at or near ";"\n\'}\', \']\', or \')\' is missing'),
    ('SELECT a FROM s GROUP BY (f3, f2, f1;',
     "line 1:37: Syntax Error\nExpecting {',', ')'}"),
    ('SELECT a FROM s GROUP BY (f3 f2, f1);',
     "line 1:30: Syntax Error\nSyntax error at or near 'f2' at line 1:30"),
    ('SELECT a FROM s GROUP BY (a:=A, b:=B);',
     "line 1:28: Syntax Error\nSyntax error at or near ':=' at line 1:28"),
    ('SELECT a FROM s PARTITION BY (NAME IS NULL;',
     "line 1:43: Syntax Error\nmissing ')' at ';'"),
    ('SELECT a FROM s WHERE STRUCT(',
     "line 1:30: Syntax Error\nSyntax error at or near '<EOF>' at line 1:30"),
    ('SELECT a FROM s WHERE STRUCT(a',
     "line 1:31: Syntax Error\nSyntax error at or near '<EOF>' at line 1:31"),
    ('SELECT a FROM s WHERE MAP(',
     "line 1:27: Syntax Error\nSyntax error at or near '<EOF>' at line 1:27"),
    ('SELECT a FROM s WHERE MAP(a',
     "line 1:28: Syntax Error\nSyntax error at or near '<EOF>' at line 1:28"),
    ('SELECT a FROM s WHERE ARRAY[',
     "line 1:29: Syntax Error\nSyntax error at or near '<EOF>' at line 1:29"),
    ('SELECT a FROM s WHERE ARRAY[a',
     "line 1:30: Syntax Error\nSyntax error at or near '<EOF>' at line 1:30"),
    ('SELECT a FROM s WHERE CASE',
     "line 1:27: Syntax Error\nSyntax error at or near '<EOF>' at line 1:27"),
    ('SELECT ARRAY[v FROM s;',
     "line 1:16: Syntax Error\nSyntax error at or near 'FROM' at line 1:16"),
    ('SELECT f(a, b c) FROM s;',
     "line 1:15: Syntax Error\nSyntax error at or near 'c' at line 1:15"),
    ("SELECT STRUCT(`Corge` 'v3', `garply` := 8) FROM s;",
     "line 1:38: Syntax Error\nSyntax error at or near ':=' at line 1:38"),
]


@pytest.mark.parametrize(("sql", "message"), PREDICTION_CASES, ids=[c[0][:50] for c in PREDICTION_CASES])
def test_prediction_messages_as_antlr(sql: str, message: str) -> None:
    """ParserATNSimulator.execATN / DefaultErrorStrategy.reportNoViableAlternative over SqlBase.g4's
    primaryExpression (`f(` predicts `*` or arguments, `,` argument or lambda, STRUCT( / MAP( / ARRAY[ a
    constructor or a function call / subscript, CASE simple or searched) and groupBy / partitionBy (a
    parenthesised list or a parenthesised expression, decided at the first ','), reworded by
    SyntaxErrorValidator.syntaxError. Texts from ANTLR 4.9.2 on ksqlDB 0.29's SqlBase.g4."""
    with pytest.raises(KsqlParseError) as info:
        parse(sql)
    assert info.value.message == message


@pytest.mark.parametrize("sql", ["SELECT STRUCT(1, 2) FROM s;", "SELECT MAP(1, 2) FROM s;", "SELECT MAP(kv) FROM s;"])
def test_struct_and_map_as_function_names(sql: str) -> None:
    """STRUCT and MAP are nonReserved in SqlBase.g4, so `STRUCT(1, 2)` / `MAP(kv)` parse as #functionCall
    (ANTLR 4.9.2 accepts them; the function is looked up later, as for any other name)."""
    (stmt,) = parse(sql)
    call = stmt.select[0].expression  # type: ignore[attr-defined]
    assert type(call).__name__ == "FunctionCall"
    assert call.name == sql.split()[1].split("(")[0]


def test_struct_call_with_type_constructor_argument() -> None:
    """`STRUCT(f1 'key')` is #functionCall over #typeConstructor (ANTLR accepts it); AstBuilder's
    visitTypeConstructor then throws "Unknown type", which DefaultKsqlParser.prepare reports."""
    with pytest.raises(KsqlParseError) as info:
        parse("SELECT STRUCT(f1 'key') FROM s;")
    assert info.value.message == "Failed to prepare statement: Unknown type: F1, location:Optional[Line: 1, Col: 15]"


# the token after a function call's '(' / ',', after DESCRIBE, or after GROUP BY's '(' (before the first
# ',') decides an ANTLR prediction: one that starts no alternative is "no viable alternative"
PREDICTION_START_CASES = [
    ('DESCRIBE AND EXTENDED;',
     "line 1:10: Syntax Error\nSyntax error at or near 'AND' at line 1:10"),
    ('DESCRIBE AND;',
     "line 1:10: Syntax Error\nSyntax error at or near 'AND' at line 1:10"),
    ('DESCRIBE WITH;',
     "line 1:10: Syntax Error\nSyntax error at or near 'WITH' at line 1:10"),
    ('DESCRIBE ,;',
     "line 1:10: Syntax Error\nSyntax error at or near ',' at line 1:10"),
    ("DESCRIBE 'x';",
     "line 1:10: Syntax Error\nSyntax error at or near ''x'' at line 1:10"),
    ('DESCRIBE 1;',
     "line 1:10: Syntax Error\nSyntax error at or near '1' at line 1:10"),
    ('SELECT a FROM s WHERE f(;',
     "line 1:25: Syntax Error\nSyntax error at or near ';' at line 1:25"),
    ('SELECT a FROM s WHERE f(,);',
     "line 1:25: Syntax Error\nSyntax error at or near ',' at line 1:25"),
    ('SELECT a FROM s WHERE f(a,);',
     "line 1:27: Syntax Error\nSyntax error at or near ')' at line 1:27"),
    ('SELECT a FROM s WHERE f(a,;',
     "line 1:27: Syntax Error\nSyntax error at or near ';' at line 1:27"),
    ('SELECT a FROM s WHERE f(a, =);',
     "line 1:28: Syntax Error\nSyntax error at or near '=' at line 1:28"),
    ('SELECT a FROM s GROUP BY x (;',
     "line 1:29: Syntax Error\nSyntax error at or near ';' at line 1:29"),
    ('SELECT a FROM s GROUP BY (;',
     "line 1:27: Syntax Error\nSyntax error at or near ';' at line 1:27"),
    ('SELECT a FROM s GROUP BY (a;',
     "line 1:28: Syntax Error\nSyntax error at or near ';' at line 1:28"),
    ('SELECT a FROM s GROUP BY (a + b;',
     "line 1:32: Syntax Error\nSyntax error at or near ';' at line 1:32"),
]


@pytest.mark.parametrize(("sql", "message"), PREDICTION_START_CASES, ids=[c[0][:50] for c in PREDICTION_START_CASES])
def test_prediction_start_messages_as_antlr(sql: str, message: str) -> None:
    """DefaultErrorStrategy.reportNoViableAlternative for SqlBase.g4's functionCall (`*` / arguments,
    argument / lambda), describe statements (DESCRIBE's alternatives) and groupBy / partitionBy, reworded
    by SyntaxErrorValidator.syntaxError. Texts from ANTLR 4.9.2 on ksqlDB 0.29's SqlBase.g4."""
    with pytest.raises(KsqlParseError) as info:
        parse(sql)
    assert info.value.message == message


# a clause keyword whose next word is mismatched: DefaultErrorStrategy.recoverInline's "mismatched input"
# (at the end of the input, SyntaxErrorValidator's bracket hint)
CLAUSE_KEYWORD_CASES = [
    ('SELECT ID, count(1) AS count FROM test WINDOW',
     'line 1:46: Syntax Error\nSyntax error at or near ";"\n\'}\', \']\', or \')\' is missing'),
    ('SELECT * FROM L WHERE a = 1 PARTITION',
     'line 1:38: Syntax Error\nSyntax error at or near ";"\n\'}\', \']\', or \')\' is missing'),
    ('SELECT * FROM L JOIN R WITHIN 10 SECONDS ON L.A = R.X PARTITION',
     'line 1:64: Syntax Error\nSyntax error at or near ";"\n\'}\', \']\', or \')\' is missing'),
    ('SELECT * FROM L WHERE a = 1 PARTITION x;',
     "line 1:39: Syntax Error\nmissing 'BY' at 'x'"),
    ('SELECT * FROM L AS x PARTITION',
     'line 1:31: Syntax Error\nSyntax error at or near ";"\n\'}\', \']\', or \')\' is missing'),
    ('SELECT * FROM L GROUP BY a PARTITION',
     'line 1:37: Syntax Error\nSyntax error at or near ";"\n\'}\', \']\', or \')\' is missing'),
]


@pytest.mark.parametrize(("sql", "message"), CLAUSE_KEYWORD_CASES, ids=[c[0][:50] for c in CLAUSE_KEYWORD_CASES])
def test_clause_keyword_messages_as_antlr(sql: str, message: str) -> None:
    """SqlBase.g4's query: WINDOW must be followed by a window name or kind, and PARTITION (a nonReserved
    word, an alias only right after a source name) by BY; ANTLR matches them as soon as it sees the word.
    Texts from ANTLR 4.9.2 on ksqlDB 0.29's SqlBase.g4."""
    with pytest.raises(KsqlParseError) as info:
        parse(sql)
    assert info.value.message == message


# a stray token after a statement that ends with a fixed element (INSERT VALUES' ')', SET's value, SHOW
# PROPERTIES) or with an optional EXTENDED left out (SHOW TABLES, DESCRIBE x): the expected set is short
TAIL_CASES = [
    ('SHOW PROPERTIES `a;',
     "line 1:17: Syntax Error\nExpecting ';'"),
    ('SHOW TABLES EXTENDED `a;',
     "line 1:22: Syntax Error\nExpecting ';'"),
    ('SHOW TABLES `a;',
     "line 1:13: Syntax Error\nExpecting {';', 'EXTENDED'}"),
    ('SHOW TOPICS `a;',
     "line 1:13: Syntax Error\nExpecting {';', 'EXTENDED'}"),
    ('SHOW ALL TOPICS `a;',
     "line 1:17: Syntax Error\nExpecting {';', 'EXTENDED'}"),
    ('SHOW QUERIES x;',
     "line 1:14: Syntax Error\nExpecting ';'"),
    ('SHOW FUNCTIONS x;',
     "line 1:16: Syntax Error\nExpecting ';'"),
    ('SHOW TYPES x;',
     "line 1:12: Syntax Error\nExpecting ';'"),
    ('SHOW VARIABLES x;',
     "line 1:16: Syntax Error\nExpecting ';'"),
    ('SHOW CONNECTORS x;',
     "line 1:17: Syntax Error\nExpecting ';'"),
    ('DESCRIBE x y;',
     "line 1:12: Syntax Error\nExpecting ';'"),
    ('DESCRIBE x EXTENDED y;',
     "line 1:21: Syntax Error\nExpecting ';'"),
    ('DESCRIBE x SELECT;',
     'line 1:12: Syntax Error\n"SELECT" is a reserved keyword and it can\'t be used as an identifier. You can use it as an identifier by escaping it as \'SELECT\' '),
    ('INSERT INTO s VALUES (1) x;',
     "line 1:26: Syntax Error\nExpecting ';'"),
    ("SET 'a'='b' x;",
     "line 1:13: Syntax Error\nExpecting ';'"),
    ("ALTER SYSTEM 'a'='b' x;",
     "line 1:22: Syntax Error\nExpecting ';'"),
    ('show queries queries extended;',
     "line 1:14: Syntax Error\nExpecting {';', 'EXTENDED'}"),
]


@pytest.mark.parametrize(("sql", "message"), TAIL_CASES, ids=[c[0][:50] for c in TAIL_CASES])
def test_statement_tail_messages_as_antlr(sql: str, message: str) -> None:
    """DefaultErrorStrategy.sync at `statements`' ';' (reportUnwantedToken / InputMismatchException with
    the ATN's expected set {';'} or {';', 'EXTENDED'}), reworded by SyntaxErrorValidator.getExpectations.
    Texts from ANTLR 4.9.2 on ksqlDB 0.29's SqlBase.g4."""
    with pytest.raises(KsqlParseError) as info:
        parse(sql)
    assert info.value.message == message
