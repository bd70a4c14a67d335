"""Focused parser tests: precedence, quoting, literal typing, clauses, statement splitting and errors."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ksqlserver.errors import KsqlError, KsqlParseError
from ksqlserver.sql import ast
from ksqlserver.sql.parser import (
    StatementSource,
    checked_variable_references,
    parse,
    parse_expression,
    split_statements,
    variable_references,
)


def col(name: str, source: str | None = None) -> ast.ColumnRef:
    return ast.ColumnRef(name, source)


def one(sql: str) -> ast.Statement:
    (statement,) = parse(sql)
    return statement


def query(sql: str) -> ast.Query:
    statement = one(sql)
    assert isinstance(statement, ast.Query)
    return statement


def parse_error(sql: str) -> KsqlParseError:
    with pytest.raises(KsqlParseError) as info:
        parse(sql)
    return info.value


# ------------------------------------------------------------------------------------------ precedence


def test_multiplication_binds_tighter_than_addition() -> None:
    assert parse_expression("a + b * c % d") == ast.ArithmeticBinary(
        "+", col("A"), ast.ArithmeticBinary("%", ast.ArithmeticBinary("*", col("B"), col("C")), col("D"))
    )


def test_arithmetic_is_left_associative() -> None:
    assert parse_expression("a - b - c") == ast.ArithmeticBinary(
        "-", ast.ArithmeticBinary("-", col("A"), col("B")), col("C")
    )


def test_unary_minus_binds_tighter_than_multiplication() -> None:
    assert parse_expression("-a * b") == ast.ArithmeticBinary(
        "*", ast.ArithmeticUnary("-", col("A")), col("B")
    )


def test_concat_operator_is_lowest_arithmetic_level() -> None:
    # ksqlDB parses `a || b` as the call CONCAT(a, b)
    assert parse_expression("a || b + c") == ast.FunctionCall(
        "CONCAT", (col("A"), ast.ArithmeticBinary("+", col("B"), col("C")))
    )


def test_not_and_or_precedence() -> None:
    expected = ast.LogicalBinary(
        "OR",
        ast.LogicalBinary("AND", ast.Not(ast.Comparison("=", col("A"), ast.IntegerLiteral(1))), col("B")),
        col("C"),
    )
    assert parse_expression("NOT a = 1 AND b OR c") == expected


def test_comparison_takes_arithmetic_operands() -> None:
    assert parse_expression("a + 1 >= b * 2") == ast.Comparison(
        ">=",
        ast.ArithmeticBinary("+", col("A"), ast.IntegerLiteral(1)),
        ast.ArithmeticBinary("*", col("B"), ast.IntegerLiteral(2)),
    )


def test_between_bounds_do_not_swallow_the_following_and() -> None:
    assert parse_expression("a BETWEEN 1 AND 2 AND b") == ast.LogicalBinary(
        "AND", ast.Between(col("A"), ast.IntegerLiteral(1), ast.IntegerLiteral(2)), col("B")
    )


def test_parentheses_override_precedence() -> None:
    assert parse_expression("(a + b) * c") == ast.ArithmeticBinary(
        "*", ast.ArithmeticBinary("+", col("A"), col("B")), col("C")
    )


def test_postfix_chains_dereference_and_subscript() -> None:
    assert parse_expression("s->f[1]->g") == ast.Dereference(
        ast.Subscript(ast.Dereference(col("S"), "F"), ast.IntegerLiteral(1)), "G"
    )


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("a != b", ast.Comparison("<>", col("A"), col("B"))),
        ("a NOT BETWEEN 1 AND 2", ast.Between(col("A"), ast.IntegerLiteral(1), ast.IntegerLiteral(2), True)),
        ("a NOT LIKE 'x!%' ESCAPE '!'", ast.Like(col("A"), ast.StringLiteral("x!%"), "!", True)),
        ("a NOT IN (1, b)", ast.InList(col("A"), (ast.IntegerLiteral(1), col("B")), True)),
        ("a IS NOT NULL", ast.IsNull(col("A"), True)),
        ("a IS DISTINCT FROM b", ast.Comparison("IS DISTINCT FROM", col("A"), col("B"))),
        ("a IS NOT DISTINCT FROM b", ast.Comparison("IS NOT DISTINCT FROM", col("A"), col("B"))),
    ],
)
def test_predicates(sql: str, expected: ast.Expression) -> None:
    assert parse_expression(sql) == expected


def test_case_searched_and_simple() -> None:
    assert parse_expression("CASE WHEN a THEN 1 ELSE 2 END") == ast.SearchedCase(
        (ast.WhenClause(col("A"), ast.IntegerLiteral(1)),), ast.IntegerLiteral(2)
    )
    assert parse_expression("CASE a WHEN 1 THEN 'x' END") == ast.SimpleCase(
        col("A"), (ast.WhenClause(ast.IntegerLiteral(1), ast.StringLiteral("x")),), None
    )


def test_constructors_cast_and_count_star() -> None:
    assert parse_expression("ARRAY[1, a]") == ast.CreateArray((ast.IntegerLiteral(1), col("A")))
    assert parse_expression("MAP('k' := 1)") == ast.CreateMap(
        ((ast.StringLiteral("k"), ast.IntegerLiteral(1)),)
    )
    assert parse_expression("STRUCT(f := 1, `g` := 2)") == ast.CreateStruct(
        (("F", ast.IntegerLiteral(1)), ("g", ast.IntegerLiteral(2)))
    )
    assert parse_expression("CAST(a AS DECIMAL(4, 2))") == ast.Cast(col("A"), ast.DecimalType(4, 2))
    assert parse_expression("count(*)") == ast.FunctionCall("COUNT", (), star=True)


def test_lambda_parameters_become_lambda_variables_only_inside_the_body() -> None:
    expr = parse_expression("REDUCE(x, 0, (s, x) => s + x) + x")
    assert expr == ast.ArithmeticBinary(
        "+",
        ast.FunctionCall(
            "REDUCE",
            (
                col("X"),
                ast.IntegerLiteral(0),
                ast.Lambda(
                    ("S", "X"), ast.ArithmeticBinary("+", ast.LambdaVariable("S"), ast.LambdaVariable("X"))
                ),
            ),
        ),
        col("X"),
    )


def test_time_unit_function_argument() -> None:
    assert parse_expression("TIMESTAMPADD(MINUTES, 5, ts)") == ast.FunctionCall(
        "TIMESTAMPADD", (ast.IntervalUnit("MINUTE"), ast.IntegerLiteral(5), col("TS"))
    )


# ---------------------------------------------------------------------------------- quoting and names


def test_unquoted_identifiers_are_upper_cased_and_quoted_keep_case() -> None:
    assert parse_expression("abc") == col("ABC")
    assert parse_expression("`MixedCase`") == col("MixedCase")
    assert parse_expression('"MixedCase"') == col("MixedCase")
    assert parse_expression("t.`x`") == col("x", "T")


def test_doubled_quotes_escape_inside_strings_and_identifiers() -> None:
    assert parse_expression("'it''s'") == ast.StringLiteral("it's")
    assert parse_expression("`a``b`") == col("a`b")


def test_keywords_are_case_insensitive_and_non_reserved_words_are_identifiers() -> None:
    q = query("select key, `SELECT` from s where date = 1;")
    assert q.select == (ast.SelectItem(col("KEY")), ast.SelectItem(col("SELECT")))
    assert q.where == ast.Comparison("=", col("DATE"), ast.IntegerLiteral(1))


def test_reserved_word_as_identifier_is_rejected_with_ksqldb_message() -> None:
    # (expected texts in this file were checked against ANTLR's parser generated from ksqlDB's grammar,
    # with ksqlDB's rewording of its messages)
    err = parse_error("CREATE STREAM s (select INT) WITH (kafka_topic='t', value_format='JSON');")
    assert err.message == (
        "line 1:18: Syntax Error\n\"select\" is a reserved keyword and it can't be used as an identifier. "
        "You can use it as an identifier by escaping it as 'select' "
    )
    # where ANTLR cannot tell the statement apart yet, it is "no viable alternative"
    err = parse_error("CREATE STREAM from (a INT) WITH (kafka_topic='t', value_format='JSON');")
    assert err.message == "line 1:15: Syntax Error\nSyntax error at or near 'from' at line 1:15"


# --------------------------------------------------------------------------------------- literal types


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("2147483647", ast.IntegerLiteral(2147483647)),
        ("-2147483648", ast.IntegerLiteral(-2147483648)),
        ("2147483648", ast.LongLiteral(2147483648)),
        ("-2147483649", ast.LongLiteral(-2147483649)),
        ("9223372036854775807", ast.LongLiteral(9223372036854775807)),
        ("-9223372036854775808", ast.LongLiteral(-9223372036854775808)),
        ("1.50", ast.DecimalLiteral(Decimal("1.50"))),
        (".5", ast.DecimalLiteral(Decimal("0.5"))),
        ("-0.25", ast.DecimalLiteral(Decimal("-0.25"))),
        ("1e3", ast.DoubleLiteral(1000.0)),
        ("1.5E-2", ast.DoubleLiteral(0.015)),
        ("true", ast.BooleanLiteral(True)),
        ("NULL", ast.NullLiteral()),
    ],
)
def test_literal_types(sql: str, expected: ast.Literal) -> None:
    assert parse_expression(sql) == expected
    assert type(parse_expression(sql)) is type(expected)


def test_decimal_literal_keeps_its_scale() -> None:
    literal = parse_expression("1.50")
    assert isinstance(literal, ast.DecimalLiteral)
    assert literal.value.as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("SELECT 9223372036854775808 FROM s;", "Invalid numeric literal: 9223372036854775808"),
        ("SELECT -9223372036854775809 FROM s;", "Invalid numeric literal: -9223372036854775809"),
        ("SELECT 1.8E308 FROM s;", "Number overflows DOUBLE: 1.8E308"),
    ],
)
def test_out_of_range_literals_fail_like_ksqldb(sql: str, message: str) -> None:
    err = parse_error(sql)
    # ksqlDB reports these after parsing, with its column counted one past the token's 1-based position.
    assert err.message == f"Failed to prepare statement: line 1:9: {message}"
    assert (err.line, err.column) == (1, 8)


# ------------------------------------------------------------------------------- types and CREATE


def test_create_stream_with_columns_constraints_and_properties() -> None:
    stmt = one(
        "CREATE OR REPLACE STREAM IF NOT EXISTS s (id BIGINT KEY, v VARCHAR, h BYTES HEADER('k'), "
        "hs ARRAY<STRUCT<`key` STRING, value BYTES>> HEADERS, m MAP<STRING, ARRAY<INT>>, e STRUCT<>) "
        "WITH (kafka_topic='t', 'value_format'='DELIMITED', PARTITIONS=2, wrap_single_value=false, r=-1.5);"
    )
    assert stmt == ast.CreateSource(
        "STREAM",
        "S",
        (
            ast.ColumnDef("ID", ast.PrimitiveType("BIGINT"), "KEY"),
            ast.ColumnDef("V", ast.PrimitiveType("STRING")),
            ast.ColumnDef("H", ast.PrimitiveType("BYTES"), "HEADER", "k"),
            ast.ColumnDef(
                "HS",
                ast.ArrayType(
                    ast.StructType(
                        (
                            ast.StructField("key", ast.PrimitiveType("STRING")),
                            ast.StructField("VALUE", ast.PrimitiveType("BYTES")),
                        )
                    )
                ),
                "HEADERS",
            ),
            ast.ColumnDef(
                "M", ast.MapType(ast.PrimitiveType("STRING"), ast.ArrayType(ast.PrimitiveType("INTEGER")))
            ),
            ast.ColumnDef("E", ast.StructType(())),
        ),
        {
            "KAFKA_TOPIC": "t",
            "VALUE_FORMAT": "DELIMITED",
            "PARTITIONS": 2,
            "WRAP_SINGLE_VALUE": False,
            "R": Decimal("-1.5"),
        },
        or_replace=True,
        if_not_exists=True,
    )


def test_create_table_primary_key_and_custom_type() -> None:
    stmt = one("CREATE SOURCE TABLE t (id INT PRIMARY KEY, a ADDRESS) WITH (kafka_topic='t');")
    assert isinstance(stmt, ast.CreateSource)
    assert stmt.kind == "TABLE" and stmt.is_source
    assert stmt.columns[0].is_key and stmt.columns[0].constraint == "PRIMARY KEY"
    assert stmt.columns[1].type == ast.CustomType("ADDRESS")


def test_create_as_select_carries_properties_and_query() -> None:
    stmt = one("CREATE TABLE agg WITH (KAFKA_TOPIC='out') AS SELECT k, COUNT(*) AS n FROM s GROUP BY k;")
    assert isinstance(stmt, ast.CreateAsSelect)
    assert (stmt.kind, stmt.name, stmt.properties) == ("TABLE", "AGG", {"KAFKA_TOPIC": "out"})
    assert stmt.query.select[1] == ast.SelectItem(ast.FunctionCall("COUNT", (), star=True), "N")
    assert stmt.query.group_by == (col("K"),)


# ------------------------------------------------------------------------------------------- queries


def test_select_items_star_source_star_struct_star_and_aliases() -> None:
    q = query("SELECT *, a.*, s->*, x AS y, z w, `q` FROM a;")
    assert q.select == (
        ast.AllColumns(),
        ast.AllColumns("A"),
        ast.StructAll(col("S")),
        ast.SelectItem(col("X"), "Y"),
        ast.SelectItem(col("Z"), "W"),
        ast.SelectItem(col("q")),
    )


def test_push_and_pull_queries() -> None:
    push = query("SELECT * FROM s EMIT CHANGES LIMIT 5;")
    assert (push.emit, push.limit, push.is_pull, push.from_) == ("CHANGES", 5, False, ast.AliasedSource("S"))
    pull = query("SELECT * FROM t WHERE k = 'a';")
    assert pull.is_pull and pull.emit is None


def test_source_alias_is_not_confused_with_clause_keywords() -> None:
    assert query("SELECT * FROM s x EMIT CHANGES;").from_ == ast.AliasedSource("S", "X")
    assert query("SELECT * FROM s EMIT CHANGES;").from_ == ast.AliasedSource("S")
    q = query("SELECT * FROM s PARTITION BY a, b EMIT FINAL;")
    assert (q.from_, q.partition_by, q.emit) == (ast.AliasedSource("S"), (col("A"), col("B")), "FINAL")


def test_group_by_parenthesised_list_and_parenthesised_expression() -> None:
    assert query("SELECT 1 FROM s GROUP BY (a, b);").group_by == (col("A"), col("B"))
    assert query("SELECT 1 FROM s GROUP BY (a + 1), b;").group_by == (
        ast.ArithmeticBinary("+", col("A"), ast.IntegerLiteral(1)),
        col("B"),
    )


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        ("TUMBLING (SIZE 1 MINUTE)", ast.WindowClause("TUMBLING", ast.Duration(1, "MINUTE"))),
        (
            "TUMBLING (SIZE 30 SECONDS, RETENTION 2 DAYS, GRACE PERIOD 10 MILLISECONDS)",
            ast.WindowClause(
                "TUMBLING",
                ast.Duration(30, "SECOND"),
                None,
                ast.Duration(2, "DAY"),
                ast.Duration(10, "MILLISECOND"),
            ),
        ),
        (
            "HOPPING (SIZE 1 HOUR, ADVANCE BY 5 MINUTES, GRACE PERIOD 0 SECONDS)",
            ast.WindowClause(
                "HOPPING", ast.Duration(1, "HOUR"), ast.Duration(5, "MINUTE"), None, ast.Duration(0, "SECOND")
            ),
        ),
        ("SESSION (30 SECONDS)", ast.WindowClause("SESSION", ast.Duration(30, "SECOND"))),
    ],
)
def test_window_clauses(clause: str, expected: ast.WindowClause) -> None:
    assert query(f"SELECT k, COUNT(*) FROM s WINDOW {clause} GROUP BY k EMIT CHANGES;").window == expected


def test_duration_millis() -> None:
    assert ast.Duration(2, "HOUR").millis == 7_200_000
    assert ast.Duration(3, "MILLISECOND").millis == 3


def test_joins_kinds_within_and_grace() -> None:
    q = query(
        "SELECT * FROM a JOIN b ON a.id = b.id "
        "LEFT OUTER JOIN c cc WITHIN 10 SECONDS ON a.id = cc.id "
        "RIGHT JOIN d WITHIN (1 SECOND, 2 MINUTES) GRACE PERIOD 3 HOURS ON a.id = d.id "
        "FULL OUTER JOIN e AS ee ON a.id = ee.id EMIT CHANGES;"
    )
    kinds = [(j.kind, j.source) for j in q.joins]
    assert kinds == [
        ("INNER", ast.AliasedSource("B")),
        ("LEFT", ast.AliasedSource("C", "CC")),
        ("RIGHT", ast.AliasedSource("D")),
        ("FULL", ast.AliasedSource("E", "EE")),
    ]
    assert q.joins[0].on == ast.Comparison("=", col("ID", "A"), col("ID", "B"))
    assert q.joins[1].within == ast.WithinClause(ast.Duration(10, "SECOND"), ast.Duration(10, "SECOND"))
    assert q.joins[2].within == ast.WithinClause(
        ast.Duration(1, "SECOND"), ast.Duration(2, "MINUTE"), ast.Duration(3, "HOUR")
    )


# ------------------------------------------------------------------------------------ other statements


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("SHOW STREAMS;", ast.Show("STREAMS")),
        ("list tables extended;", ast.Show("TABLES", True)),
        ("SHOW ALL TOPICS;", ast.Show("TOPICS", all_topics=True)),
        ("SHOW QUERIES EXTENDED;", ast.Show("QUERIES", True)),
        ("SHOW PROPERTIES;", ast.Show("PROPERTIES")),
        ("SHOW FUNCTIONS;", ast.Show("FUNCTIONS")),
        ("SHOW TYPES;", ast.Show("TYPES")),
        ("SHOW VARIABLES;", ast.Show("VARIABLES")),
        ("SHOW SOURCE CONNECTORS;", ast.Show("CONNECTORS", connector_type="SOURCE")),
        ("DESCRIBE s EXTENDED;", ast.DescribeSource("S", True)),
        ("DESCRIBE FUNCTION mask;", ast.DescribeFunction("mask")),
        ("DESCRIBE STREAMS;", ast.DescribeSources("STREAMS")),
        ("DESCRIBE TABLES EXTENDED;", ast.DescribeSources("TABLES", True)),
        ("EXPLAIN CSAS_OUT_0;", ast.Explain(query_id="CSAS_OUT_0")),
        ("TERMINATE CSAS_OUT_0;", ast.Terminate("CSAS_OUT_0")),
        ("TERMINATE ALL;", ast.Terminate(None)),
        ("DROP STREAM IF EXISTS s DELETE TOPIC;", ast.DropSource("STREAM", "S", True, True)),
        ("DROP TABLE t;", ast.DropSource("TABLE", "T")),
        ("SET 'auto.offset.reset' = 'earliest';", ast.SetProperty("auto.offset.reset", "earliest")),
        ("UNSET 'auto.offset.reset';", ast.UnsetProperty("auto.offset.reset")),
        ("DEFINE topicName = 'x';", ast.DefineVariable("topicName", "x")),
        ("UNDEFINE topicName;", ast.UndefineVariable("topicName")),
        (
            "CREATE TYPE addr AS STRUCT<n INT>;",
            ast.CreateType("ADDR", ast.StructType((ast.StructField("N", ast.PrimitiveType("INTEGER")),))),
        ),
        ("DROP TYPE IF EXISTS addr;", ast.DropType("ADDR", True)),
        (
            "ASSERT TOPIC t WITH (partitions=1) TIMEOUT 5 SECONDS;",
            ast.AssertTopic("t", True, {"PARTITIONS": 1}, ast.Duration(5, "SECOND")),
        ),
        ("ASSERT NOT EXISTS SCHEMA ID 4;", ast.AssertSchema(None, 4, False)),
        ("PRINT 'Topic' FROM BEGINNING LIMIT 2;", ast.PrintTopic("Topic", True, None, 2)),
    ],
)
def test_other_statements(sql: str, expected: ast.Statement) -> None:
    assert one(sql) == expected


def test_insert_values_and_insert_select() -> None:
    assert one("INSERT INTO s (ROWTIME, k, v) VALUES (1, 'a', -2.5);") == ast.InsertValues(
        "S",
        ("ROWTIME", "K", "V"),
        (ast.IntegerLiteral(1), ast.StringLiteral("a"), ast.DecimalLiteral(Decimal("-2.5"))),
    )
    assert one("INSERT INTO s VALUES ();") == ast.InsertValues("S", (), ())
    stmt = one("INSERT INTO s WITH (QUERY_ID='q') SELECT * FROM t EMIT CHANGES;")
    assert isinstance(stmt, ast.InsertInto)
    assert (stmt.target, stmt.properties, stmt.query.from_) == (
        "S",
        {"QUERY_ID": "q"},
        ast.AliasedSource("T"),
    )


def test_explain_statement_keeps_the_inner_text() -> None:
    stmt = one("EXPLAIN SELECT * FROM s EMIT CHANGES;")
    assert isinstance(stmt, ast.Explain) and isinstance(stmt.statement, ast.Query)
    assert stmt.statement.text == "SELECT * FROM s EMIT CHANGES"


# --------------------------------------------------------------------------- splitting and positions


def test_statements_split_on_semicolons_outside_strings_and_comments() -> None:
    sql = (
        "-- leading comment; not a statement\n"
        "CREATE STREAM s (v STRING) WITH (kafka_topic='a;b', value_format='JSON');\n"
        "/* block; comment */ SELECT ';' AS `x;y` FROM s EMIT CHANGES;\n"
        "show streams;"
    )
    statements = parse(sql)
    assert [s.text for s in statements] == [
        "CREATE STREAM s (v STRING) WITH (kafka_topic='a;b', value_format='JSON');",
        "SELECT ';' AS `x;y` FROM s EMIT CHANGES;",
        "show streams;",
    ]
    assert statements[1].select == (ast.SelectItem(ast.StringLiteral(";"), "x;y"),)  # type: ignore[attr-defined]


def test_split_statements_keeps_text_and_position_without_parsing() -> None:
    sql = "DEFINE t = 'a;b';  -- x;\nSELECT * FROM ${t} EMIT CHANGES; /* ; */\n  SHOW STREAMS"
    assert split_statements(sql) == [
        StatementSource("DEFINE t = 'a;b';", 1, 1),
        StatementSource("SELECT * FROM ${t} EMIT CHANGES;", 2, 1),
        StatementSource("SHOW STREAMS", 3, 3),
    ]


def test_parse_with_offset_reports_positions_in_the_whole_request() -> None:
    err = parse_error_at("SELECT a FROM s GROUP BY a AND b;", line=3, column=5)
    assert err.message.startswith("line 3:32: Syntax Error")
    (q,) = parse("SELECT a FROM s;", line=2, column=4)
    assert (q.line, q.column) == (2, 4)


def parse_error_at(sql: str, line: int, column: int) -> KsqlParseError:
    with pytest.raises(KsqlParseError) as info:
        parse(sql, line=line, column=column)
    return info.value


def test_variables_are_left_for_the_engine() -> None:
    err = parse_error("SELECT * FROM ${src} EMIT CHANGES;")
    assert "${src}" in err.message


def test_nodes_carry_line_and_column() -> None:
    statements = parse("SHOW STREAMS;\n  SELECT a,\n    b + 1 FROM s;")
    q = statements[1]
    assert isinstance(q, ast.Query)
    assert (q.line, q.column) == (2, 3)
    item = q.select[1]
    assert isinstance(item, ast.SelectItem)
    assert (item.expression.line, item.expression.column) == (3, 5)


def test_position_is_ignored_by_equality() -> None:
    assert parse_expression("a + 1") == parse_expression("  a   +   1")


# ------------------------------------------------------------------------------------------- errors


def test_syntax_error_reports_line_column_and_statement() -> None:
    sql = "SHOW STREAMS;\nCREATE TABLE t AS SELECT a, COUNT(*) FROM s GROUP BY a, (b, c;"
    err = parse_error(sql)
    assert isinstance(err, KsqlError) and err.error_code == 40001
    assert err.message == "line 2:59: Syntax Error\nmissing ')' at ','"
    assert (err.line, err.column) == (2, 59)
    assert err.statement_text == "CREATE TABLE t AS SELECT a, COUNT(*) FROM s GROUP BY a, (b, c;"
    entity = err.to_entity()
    assert entity["@type"] == "statement_error" and entity["error_code"] == 40001


def test_mismatched_input_message() -> None:
    # ksqlDB shows ANTLR's expected tokens only when there are at most three
    err = parse_error("SELECT * FROM s GROUP BY a AND b;")
    assert err.message == "line 1:28: Syntax Error\n"
    err = parse_error("SELECT * FRM s;")
    assert err.message == "line 1:10: Syntax Error\nExpecting {',', 'FROM'}"
    err = parse_error("CREATE STREAM s (a INT) WITH (kafka_topic='t' value_format='JSON');")
    assert err.message == "line 1:47: Syntax Error\nExpecting {',', ')'}"
    err = parse_error("INSERT INTO s (a, b) VALUES (1, 2;")
    assert err.message == "line 1:34: Syntax Error\nExpecting {',', ')'}"
    err = parse_error("SELECT ARRAY[1, 2 FROM s;")
    assert err.message == "line 1:19: Syntax Error\nSyntax error at or near 'FROM' at line 1:19"
    err = parse_error("SELECT * FROM s WHERE a IN 1, 2;")
    assert err.message == "line 1:28: Syntax Error\nmissing '(' at '1'"


def test_unknown_statement_suggests_a_keyword() -> None:
    err = parse_error("SELCT * FROM s;")
    assert err.message == "line 1:1: Syntax Error\nUnknown statement 'SELCT'\nDid you mean 'SELECT'?"


def test_missing_terminator_between_statements() -> None:
    err = parse_error("SHOW STREAMS SHOW TABLES;")
    assert err.message == "line 1:14: Syntax Error\nmissing ';' at 'SHOW'"


def test_null_is_not_a_type() -> None:
    """ANTLR reports "mismatched input 'NULL' expecting {<every type>}": SyntaxErrorValidator.getExpectations
    shows no list longer than three, so the detail is empty (checked against ksqlDB 0.29's generated parser)."""
    err = parse_error("CREATE STREAM s (a ARRAY<NULL>) WITH (kafka_topic='t');")
    assert err.message == "line 1:26: Syntax Error\n"


@pytest.mark.parametrize(
    "sql", ["SELECT 'unterminated FROM s;", "SELECT a # b FROM s;", "SELECT /* open FROM s;"]
)
def test_lexical_errors_are_parse_errors(sql: str) -> None:
    err = parse_error(sql)
    assert err.message.startswith("line 1:") and "Syntax Error" in err.message


def test_deep_nesting_is_a_parse_error_not_a_crash() -> None:
    err = parse_error("SELECT " + "(" * 2000 + "1" + ")" * 2000 + " FROM s;")
    # DefaultKsqlParser.getParseTree's StackOverflowError message
    assert "Statement is too large to parse." in err.message


def test_incomplete_input_says_a_bracket_is_missing() -> None:
    err = parse_error("SELECT a FROM")
    assert err.message == "line 1:14: Syntax Error\nSyntax error at or near \";\"\n'}', ']', or ')' is missing"


def test_describe_function_keeps_the_name_as_written() -> None:
    """AstBuilder.visitDescribeFunction: `ctx.identifier().getText()`, not the identifier's upper-cased
    value; InternalFunctionRegistry looks it up in upper case and reports an unknown name as written
    ("Can't find any functions with the name 'foobar'", CliTest.shouldPrintErrorIfCantFindFunction)."""
    assert parse("describe function foobar;") == [ast.DescribeFunction("foobar")]
    assert parse("DESCRIBE FUNCTION `Foo`;") == [ast.DescribeFunction("`Foo`")]


def test_assert_schema_id_variable_is_checked_once_substituted() -> None:
    """DefaultKsqlParser.parse takes `ID ${id}` as a #variableLiteral; AstBuilder.visitAssertSchema's "ID
    must be an integer" applies to the substituted text only (ksql-migrations' CommandParser parses the
    unsubstituted statement first, VariableSubstitutor then substitutes)."""
    sql = "assert schema subject ${subject} id ${id} timeout 10 seconds;"
    assert [(r.kind, r.name) for r in checked_variable_references(sql)] == [
        ("identifier", "subject"), ("literal", "id")]
    assert variable_references("assert schema id 'x';") is None  # a literal that is not an INT still fails
    with pytest.raises(KsqlParseError) as e:
        checked_variable_references("assert schema id 'x';")
    assert e.value.message == "Failed to prepare statement: ID must be an integer"
