"""ksqlDB 0.29's KsqlParserTest (ksqldb-parser, io.confluent.ksql.parser), ported where a client can see
the outcome: whether a statement parses, the error it is refused with (the REST answer carries the
ParseFailedException's unlogged details and its statement text), and the text of the expressions parsed.

Not ported: the assertions on AST classes that have no counterpart a client sees (node types of joins, the
toString of ListProperties/SetProperty nodes, the mocked-metastore type registrations)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from ksqlserver.errors import KsqlError, KsqlParseError
from ksqlserver.sql import ast
from ksqlserver.sql.parser import parse
from ksqlserver.sql.printer import sql


def _one(text: str) -> ast.Statement:
    [st] = parse(text)
    return st


def _query(text: str) -> ast.Query:
    st = _one(text)
    assert isinstance(st, ast.Query)
    return st


def _refused(text: str) -> KsqlParseError:
    with pytest.raises(KsqlParseError) as info:
        parse(text)
    return info.value


def _items(q: ast.Query) -> list[str]:
    out = []
    for item in q.select:
        assert isinstance(item, ast.SelectItem) and item.alias is None
        out.append(sql(item.expression))
    return out


def test_literals() -> None:
    """KsqlParserTest.testLiterals: each literal prints back as ksqlDB's Expression.toString does."""
    q = _query("SELECT 10, col2, 'test', 2.5, true, -5, 2.5e2 FROM test1;")
    assert _items(q) == ["10", "COL2", "'test'", "2.5", "true", "-5", "2.5E2"]


@pytest.mark.parametrize(
    ("text", "cls", "value"),
    [
        ("0", ast.IntegerLiteral, 0),  # shouldParseIntegerLiterals
        ("10", ast.IntegerLiteral, 10),
        (str(2**31 - 1), ast.IntegerLiteral, 2**31 - 1),
        (str(2**31 - 1 + 100), ast.LongLiteral, 2**31 - 1 + 100),  # shouldParseLongLiterals
        ("-12345", ast.IntegerLiteral, -12345),  # shouldParseNegativeInteger
    ],
)
def test_numeric_literals(text: str, cls: type[ast.Literal], value: int) -> None:
    """KsqlParserTest.shouldParseIntegerLiterals, shouldParseLongLiterals, shouldParseNegativeInteger."""
    [item] = _query(f"SELECT {text} FROM test1;").select
    assert isinstance(item, ast.SelectItem)
    assert type(item.expression) is cls
    assert item.expression.value == value  # type: ignore[attr-defined]


def test_double_negative_integer() -> None:
    """KsqlParserTest.shouldParseDoubleNegativeInteger: a minus over the literal -12345 (the parentheses leave
    no node), printed as ExpressionFormatter.visitArithmeticUnary prints it (a space between the minuses)."""
    [item] = _query("SELECT -(-12345) FROM test1;").select
    assert isinstance(item, ast.SelectItem)
    assert isinstance(item.expression, ast.ArithmeticUnary)
    assert item.expression.operand == ast.IntegerLiteral(-12345)
    assert sql(item.expression) == "- -12345"


def _where_literal(text: str) -> ast.Node:
    where = _query(f"SELECT * FROM TEST1 WHERE COL3 > {text};").where
    assert isinstance(where, ast.Comparison)
    return where.right


@pytest.mark.parametrize(("text", "value"), [("1.23E-1", 0.123), ("1.230E+1", 12.3), ("01.23e1", 12.3)])
def test_floating_point_numbers(text: str, value: float) -> None:
    """KsqlParserTest.shouldParseFloatingPointNumbers: an exponent makes a DOUBLE literal."""
    lit = _where_literal(text)
    assert isinstance(lit, ast.DoubleLiteral) and lit.value == value


@pytest.mark.parametrize(("text", "value"), [("0.1", "0.1"), ("0.123", "0.123"), ("00123.000", "123.000")])
def test_decimals(text: str, value: str) -> None:
    """KsqlParserTest.shouldParseDecimals: a point without exponent makes a DECIMAL literal, scale kept."""
    lit = _where_literal(text)
    assert isinstance(lit, ast.DecimalLiteral)
    assert lit.value == Decimal(value) and str(lit.value) == value


def test_select_sink_properties() -> None:
    """KsqlParserTest.testSelectSinkProperties: the WHERE clause as ksqlDB prints it."""
    st = _one(
        "create stream s1 with (timestamp='orderid', partitions = 3) as select col1, col2 from orders where col2 is "
        "null and col3 is not null or (col3*col2 = 12);"
    )
    assert isinstance(st, ast.CreateAsSelect) and st.query.where is not None
    assert sql(st.query.where) == "(((COL2 IS NULL) AND (COL3 IS NOT NULL)) OR ((COL3 * COL2) = 12))"


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("CREATE STREAM S AS SELECT address FROM address a;", "ADDRESS"),  # shouldAddPrefixEvenIf...
        ("CREATE STREAM S AS SELECT address.orderid FROM address a;", "ADDRESS.ORDERID"),  # shouldNotAddPrefix...
        ("CREATE STREAM S AS SELECT a.address->city FROM address a;", "A.ADDRESS->CITY"),
        ("CREATE STREAM S AS SELECT address.address->city FROM address a;", "ADDRESS.ADDRESS->CITY"),
        (
            "CREATE STREAM S AS SELECT itemid.itemid FROM address a JOIN itemid on a.itemid = itemid.itemid;",
            "ITEMID.ITEMID",
        ),
    ],
)
def test_column_prefixes(text: str, want: str) -> None:
    """KsqlParserTest.shouldAddPrefixEvenIfColumnNameIsTheSameAsStream, shouldNotAddPrefixIfStreamNameIsPrefix,
    shouldPassIfStreamColumnNameWithAliasIsNotAmbiguous, shouldPassIfStreamColumnNameIsNotAmbiguous,
    shouldPassJoinQueryParseIfStreamColumnNameWithAliasIsNotAmbiguous."""
    st = _one(text)
    assert isinstance(st, ast.CreateAsSelect)
    assert _items(st.query) == [want]


def test_searched_case() -> None:
    """KsqlParserTest.shouldBuildSearchedCaseStatement / shouldBuildSearchedCaseWithoutDefaultStatement."""
    st = _one(
        "CREATE STREAM S AS SELECT CASE WHEN orderunits < 10 THEN 'small' WHEN orderunits < 100 THEN 'medium' "
        "ELSE 'large' END FROM orders;"
    )
    assert isinstance(st, ast.CreateAsSelect)
    item = st.query.select[0]
    assert isinstance(item, ast.SelectItem) and isinstance(item.expression, ast.SearchedCase)
    case = item.expression
    assert [(sql(w.condition), sql(w.result)) for w in case.whens] == [
        ("(ORDERUNITS < 10)", "'small'"),
        ("(ORDERUNITS < 100)", "'medium'"),
    ]
    assert case.default is not None and sql(case.default) == "'large'"
    st = _one("CREATE STREAM S AS SELECT CASE WHEN orderunits < 10 THEN 'small' END FROM orders;")
    assert isinstance(st, ast.CreateAsSelect)
    item = st.query.select[0]
    assert isinstance(item, ast.SelectItem) and isinstance(item.expression, ast.SearchedCase)
    assert item.expression.default is None


@pytest.mark.parametrize(
    "text",
    [
        "--this is a comment.\nSHOW STREAMS;",  # shouldParseSimpleComment
        "/* this is a bracketed comment. */\nSHOW STREAMS;/*another comment!*/",  # shouldParseBracketedComment
        "SHOW -- inline comment\nSTREAMS;",  # shouldParseMultiLineWithInlineComments
        "SHOW /* inline\ncomment */\nSTREAMS;",  # shouldParseMultiLineWithInlineBracketedComments
    ],
)
def test_comments(text: str) -> None:
    """KsqlParserTest's comment tests: one SHOW STREAMS each."""
    st = _one(text)
    assert isinstance(st, ast.Show) and st.what == "STREAMS"


def test_create_source_table_and_stream() -> None:
    """KsqlParserTest.testCreateSourceTable / testCreateSourceStream / testNegativeInWith."""
    for kind, key in (("TABLE", "PRIMARY KEY"), ("STREAM", "KEY")):
        st = _one(
            f"CREATE SOURCE {kind} foozball (id VARCHAR {key}) WITH (kafka_topic='foozball', value_format='json', "
            "partitions=1, replicas=-1);"
        )
        assert isinstance(st, ast.CreateSource) and st.is_source
        assert st.properties["REPLICAS"] == -1


def test_non_reserved_keyword_should_not_throw_exception() -> None:
    """KsqlParserTest.testNonReservedKeywordShouldNotThrowException: SINK is a non-reserved keyword."""
    st = _one("CREATE STREAM ORDERS (place VARCHAR, Sink INTEGER)\n WITH (kafka_topic='orders_topic', value_format='json');")
    assert isinstance(st, ast.CreateSource) and st.name == "ORDERS"
    assert st.properties["KAFKA_TOPIC"] == "orders_topic"


def test_allow_escaped_terminate_query() -> None:
    """KsqlParserTest.shouldAllowEscapedTerminateQuery."""
    st = _one("TERMINATE `CSAS-foo_2`;")
    assert isinstance(st, ast.Terminate) and st.query_id == "CSAS-foo_2"


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("PRINT topic_name_in_lower_case;", "topic_name_in_lower_case"),
        ("PRINT TOPIC_NAME_IN_UPPER_CASE;", "TOPIC_NAME_IN_UPPER_CASE"),
        ("PRINT 'topic_name_in_lower_case';", "topic_name_in_lower_case"),
    ],
)
def test_print_topic_name(text: str, topic: str) -> None:
    """KsqlParserTest.testPrintTopicNameLowerCase / UpperCase / Quoted: the topic keeps its case."""
    st = _one(text)
    assert isinstance(st, ast.PrintTopic) and st.topic == topic


def test_set_and_alter_system_properties() -> None:
    """KsqlParserTest.testSetProperties / testAlterSystemProperties."""
    st = _one("set 'auto.offset.reset'='earliest';")
    assert isinstance(st, ast.SetProperty) and (st.name, st.value) == ("auto.offset.reset", "earliest")
    st = _one("ALTER SYSTEM 'ksql.persistent.prefix'='test';")
    assert isinstance(st, ast.AlterSystem) and (st.name, st.value) == ("ksql.persistent.prefix", "test")


@pytest.mark.parametrize(("text", "kind"), [("CREATE SOURCE CONNECTOR foo WITH ('foo.bar'='foo');", "SOURCE"),
                                            ('CREATE SINK CONNECTOR foo WITH ("foo.bar"=\'foo\');', "SINK")])
def test_create_connector(text: str, kind: str) -> None:
    """KsqlParserTest.shouldBuildCreateSourceConnectorStatement / shouldBuildCreateSinkConnectorStatement."""
    st = _one(text)
    assert isinstance(st, ast.CreateConnector)
    assert (st.name, st.connector_type, st.properties) == ("FOO", kind, {"foo.bar": "foo"})


def test_throw_on_non_alphanumeric_source_name() -> None:
    """KsqlParserTest.shouldThrowOnNonAlphanumericSourceName (ParserUtil.getSourceName)."""
    e = _refused("CREATE STREAM `foo!bar` WITH (kafka_topic='foo', value_format='AVRO');")
    assert "Got: 'foo!bar'" in e.message
    assert (
        "Illegal argument at Line: 1, Col: 15. Source names may only contain alphanumeric values, '_' or '-'."
        in e.message
    )
    assert "foo!bar" in e.statement_text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (  # testShouldFailIfWrongKeyword
            "SELLECT col0, col2, col3 FROM test1 WHERE col0 > 100;",
            "line 1:1: Syntax Error\nUnknown statement 'SELLECT'\nDid you mean 'SELECT'?",
        ),
        ("SELECT ONLY, COLUMNS;", "line 1:21: Syntax Error\nExpecting {',', 'FROM'}"),  # testSelectWithOnlyColumns
        ("SELECT A B C FROM address;", "line 1:12: Syntax Error"),  # testSelectWithMissingComma
        (  # testReservedKeywordSyntaxError
            "CREATE STREAM ORDERS (c1 VARCHAR, size INTEGER)\n  WITH (kafka_topic='ords', value_format='json');",
            "line 1:35: Syntax Error\n\"size\" is a reserved keyword and it can't be used as an identifier. "
            "You can use it as an identifier by escaping it as 'size' ",
        ),
        (  # testReservedKeywordSyntaxErrorCaseInsensitive
            "CREATE STREAM ORDERS (Load VARCHAR, size INTEGER)\n  WITH (kafka_topic='ords', value_format='json');",
            "line 1:23: Syntax Error\n\"Load\" is a reserved keyword and it can't be used as an identifier. "
            "You can use it as an identifier by escaping it as 'Load'",
        ),
        ("SELECT * FROM address, itemid;", "line 1:22: Syntax Error"),  # testSelectWithMultipleFroms
        (  # shouldThrowSyntaxErrorOnInvalidCreateStatement
            "CRETE STREAM s1(id INT) WITH (kafka_topic='s1', value_format='JSON')",
            "line 1:1: Syntax Error\nUnknown statement 'CRETE'\nDid you mean 'CREATE'?",
        ),
        ("SELECT FROM FROM TEST_TOPIC", "line 1:8: Syntax Error"),  # shouldThrowSyntaxErrorOnMisMatchStatement
        ("SELECT * FORM TEST_TOPIC", "line 1:10: Syntax Error"),  # shouldThrowSyntaxErrorAndShowExpecting
        (  # shouldThrowSyntaxErrorOnWrongEOF
            "SELECT * FROM artist WHERE first_name = 'Vincent' and (last_name = 'Monet' or last_name = 'Da Vinci'",
            "line 1:101: Syntax Error\nSyntax error at or near \";\"\n'}', ']', or ')' is missing",
        ),
        (  # shouldThrowSyntaxErrorOnNoViableAltException
            "CREATE TABLE AS SELECT x, count(*) FROM TEST_TOPIC GROUP BY x",
            "line 1:14: Syntax Error\nSyntax error at or near 'AS' at line 1:14",
        ),
        ("sho streams;", "line 1:1: Syntax Error\nUnknown statement 'sho'\nDid you mean 'SHOW'?"),  # shouldGuess...
    ],
)
def test_syntax_errors(text: str, message: str) -> None:
    """KsqlParserTest's syntax-error tests: the unlogged message (what the REST answer carries) and the
    statement text, which is the failed line (DefaultKsqlParser.parse's `failedLine`): the Java tests assert
    that it contains the statement's first line (all of these fail on line 1)."""
    e = _refused(text)
    assert message in e.message
    first_line = text.split("\n")[0]
    assert first_line.rstrip(";") in e.statement_text and "\n" not in e.statement_text


def test_fail_if_sourced_by_connector_provided_cxas(refused: Callable[[str], KsqlError]) -> None:
    """KsqlParserTest.shouldFailIfSourcedByConnectorProvidedCXAS: CreateAsConfigs has no SOURCED_BY_CONNECTOR."""
    for source in ("STREAM", "TABLE"):
        e = refused(
            f"CREATE {source} bigorders_json WITH (value_format = 'json', kafka_topic='bigorders_topic', "
            "sourced_by_connector='jdbc') AS SELECT * FROM orders;"
        )
        assert (
            "Failed to prepare statement: Invalid config variable(s) in the WITH clause: SOURCED_BY_CONNECTOR"
            in e.message
        )
