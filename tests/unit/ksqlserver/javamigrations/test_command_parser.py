"""Port of ksqlDB 0.29 `io.confluent.ksql.tools.migrations.util.CommandParserTest` (ksqldb-tools):
`splitSql` and `parse` of migration files. The Java statement classes map to `ksqlserver.sql.ast`
(InsertValues, SetProperty, UnsetProperty, CreateConnector, DropConnector, DefineVariable,
UndefineVariable, AssertTopic, AssertSchema); a WindowTimeClause is the AST's Duration."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

import pytest

from ksqlserver.migrations import MigrationError
from ksqlserver.migrations.parser import ParsedCommand, parse, split_sql, to_field_type
from ksqlserver.sql import ast


def _parse(sql: str, variables: Mapping[str, str] | None = None) -> list[ParsedCommand]:
    return [parse(command, variables or {}) for command in split_sql(sql)]


def _one(sql: str, variables: Mapping[str, str] | None = None) -> ParsedCommand:
    [command] = _parse(sql, variables)
    return command


def _insert(command: ParsedCommand) -> ast.InsertValues:
    assert isinstance(command.statement, ast.InsertValues)
    return command.statement


def test_should_parse_insert_values_statement() -> None:
    """shouldParseInsertValuesStatement"""
    stmt = _insert(_one("INSERT INTO FOO VALUES (55);"))
    assert stmt.target == "FOO"
    assert stmt.columns == ()
    assert [to_field_type(v) for v in stmt.values] == [55]


def test_should_parse_insert_null_values_statement() -> None:
    """shouldParseInsertNullValuesStatement"""
    stmt = _insert(_one("INSERT INTO FOO VALUES (NULL);"))
    assert stmt.target == "FOO" and stmt.columns == ()
    assert len(stmt.values) == 1 and to_field_type(stmt.values[0]) is None


@pytest.mark.parametrize(
    "sql",
    ["INSERT INTO `foo` (col1, col2) VALUES (55, '40');", "INSERT INTO `foo`(col1, col2) VALUES(55, '40');"],
)
def test_should_parse_insert_values_statement_with_explicit_fields(sql: str) -> None:
    """shouldParseInsertValuesStatementWithExplicitFields, shouldParseInsertValuesStatementWithoutSpaces"""
    stmt = _insert(_one(sql))
    assert stmt.target == "foo"
    assert stmt.columns == ("COL1", "COL2")
    assert [to_field_type(v) for v in stmt.values] == [55, "40"]


def test_should_parse_insert_values_statement_with_explicit_quoting() -> None:
    """shouldParseInsertValuesStatementWithExplicitQuoting"""
    stmt = _insert(_one("INSERT INTO `foo` (`col1`) VALUES (55);"))
    assert stmt.target == "foo" and stmt.columns == ("col1",)
    assert [to_field_type(v) for v in stmt.values] == [55]


def test_should_parse_insert_values_statement_with_variables() -> None:
    """shouldParseInsertValuesStatementWithVariables"""
    stmt = _insert(_one("INSERT INTO ${stream} VALUES (${num});", {"stream": "FOO", "num": "55"}))
    assert stmt.target == "FOO" and stmt.columns == ()
    assert [to_field_type(v) for v in stmt.values] == [55]


def test_should_throw_on_invalid_insert_values() -> None:
    """shouldThrowOnInvalidInsertValues: the first parse's ParseFailedException, as the tool words it."""
    with pytest.raises(MigrationError) as e:
        _parse("insert into foo values (this_should_not_here) ('val');")
    assert "Failed to parse the statement" in str(e.value)
    assert str(e.value) == (
        "Failed to parse the statement. Statement: insert into foo values (this_should_not_here) ('val');. "
        "Reason: line 1:47: Syntax error at line 1:47"
    )


def test_should_parse_insert_into_statement() -> None:
    """shouldParseInsertIntoStatement: sent to the server as text."""
    command = _one("INSERT INTO FOO SELECT * FROM BAR;")
    assert command.statement is None
    assert command.command == "INSERT INTO FOO SELECT * FROM BAR;"


def test_should_parse_set_unset_statements() -> None:
    """shouldParseSetUnsetStatements"""
    set_, unset = _parse("SeT 'foo.property'='bar';UnSET 'foo.property';")
    assert isinstance(set_.statement, ast.SetProperty)
    assert set_.command == "SeT 'foo.property'='bar';"
    assert (set_.statement.name, set_.statement.value) == ("foo.property", "bar")
    assert isinstance(unset.statement, ast.UnsetProperty)
    assert unset.command == "UnSET 'foo.property';"
    assert unset.statement.name == "foo.property"


def test_should_parse_set_statements_with_variables() -> None:
    """shouldParseSetStatementsWithVariables"""
    command = _one("SET '${name}'='${value}';", {"name": "foo.property", "value": "bar"})
    assert isinstance(command.statement, ast.SetProperty)
    assert command.command == "SET 'foo.property'='bar';"
    assert (command.statement.name, command.statement.value) == ("foo.property", "bar")


def test_should_parse_unset_statements_with_variables() -> None:
    """shouldParseUnsetStatementsWithVariables"""
    command = _one("UnSeT '${name}';", {"name": "foo.property"})
    assert isinstance(command.statement, ast.UnsetProperty)
    assert command.statement.name == "foo.property"


def test_should_parse_multiple_statements() -> None:
    """shouldParseMultipleStatements"""
    first, second = _parse("INSERT INTO foo VALUES (32);INSERT INTO FOO_2 VALUES ('wow',3,'hello ''world''!');")
    a, b = _insert(first), _insert(second)
    assert a.target == "FOO" and [to_field_type(v) for v in a.values] == [32]
    assert b.target == "FOO_2"
    assert [to_field_type(v) for v in b.values] == ["wow", 3, "hello 'world'!"]


@pytest.mark.parametrize(
    "sql",
    [
        "CREATE STREAM FOO (A STRING) WITH (KAFKA_TOPIC='FOO', PARTITIONS=1, VALUE_FORMAT='DELIMITED');",
        "CREATE STREAM FOO AS SELECT col1, col2 + 2 FROM BAR;",
        "create or replace stream FOO (A STRING) WITH (KAFKA_TOPIC='FOO', VALUE_FORMAT='DELIMITED');",
        "terminate some_query_id;",
        "drop stream foo;",
        "alter stream foo add column new_col string;",
        "create type address as struct<street varchar, number int, city string, zip varchar>;",
        "drop type address;",
    ],
    ids=["create", "create_as", "create_or_replace", "terminate", "drop_source", "alter_source", "create_type",
         "drop_type"],
)
def test_should_parse_statements_sent_as_text(sql: str) -> None:
    """shouldParseCreateStatement, shouldParseCreateAsStatement, shouldParseCreateOrReplaceStatement,
    shouldParseTerminateStatement, shouldParseDropSourceStatement, shouldParseAlterSourceStatement,
    shouldParseCreateTypeStatement, shouldParseDropTypeStatement"""
    command = _one(sql)
    assert command.statement is None
    assert command.command == sql


@pytest.mark.parametrize("sql", ["pause some_query_id;", "resume some_query_id;"])
def test_should_parse_pause_resume_statement(sql: str) -> None:
    """shouldParsePauseStatement, shouldParseResumeStatement"""
    assert _one(sql).command == sql


def test_should_parse_several_commands() -> None:
    """shouldParseSeveralCommands"""
    commands = _parse(
        "CREATE STREAM riderLocations (profileId VARCHAR, latitude DOUBLE, longitude DOUBLE) WITH (kafka_topic='locations', value_format='json', partitions=1);\n"
        "INSERT INTO riderLocations (profileId, latitude, longitude) VALUES ('c2309eec', 37.7877, -122.4205);\n"
        "INSERT INTO `riderLocations` (profileId, latitude, longitude) VALUES ('18f4ea86', 37.3903, -122.0643);\n"
        "INSERT INTO \"riderLocations\" (profileId, latitude, longitude) VALUES ('4ab5cbad', 37.3952, -122.0813);\n"
        "INSERT INTO `values` (profileId, latitude, longitude) VALUES ('8b6eae59', 37.3944, -122.0813);\n"
        "INSERT INTO riderLocations (profileId, latitude, longitude) VALUES ('4a7c7b41', 37.4049, -122.0822);\n"
        "INSERT INTO riderLocations (profileId, latitude, longitude) VALUES ('4ddad000', 37.7857, -122.4011);"
    )
    assert len(commands) == 7
    assert commands[0].statement is None
    assert commands[0].command == (
        "CREATE STREAM riderLocations (profileId VARCHAR, latitude DOUBLE, longitude DOUBLE) "
        "WITH (kafka_topic='locations', value_format='json', partitions=1);"
    )
    first = _insert(commands[1])
    assert first.target == "RIDERLOCATIONS"
    assert first.columns == ("PROFILEID", "LATITUDE", "LONGITUDE")
    assert [to_field_type(v) for v in first.values] == ["c2309eec", Decimal("37.7877"), Decimal("-122.4205")]
    assert _insert(commands[2]).target == "riderLocations"
    assert _insert(commands[3]).target == "riderLocations"
    assert _insert(commands[4]).target == "values"


_CONNECTOR = (
    "CREATE SOURCE CONNECTOR {name} WITH(\n"
    "    \"connector.class\"='io.confluent.connect.jdbc.JdbcSourceConnector',\n"
    "    \"connection.url\"={url},\n"
    "    \"mode\"='bulk',\n"
    "    \"topic.prefix\"='jdbc-',\n"
    "    \"table.whitelist\"='users',\n"
    "    \"key\"='username');"
)
_CONNECTOR_CONFIG = {
    "connector.class": "io.confluent.connect.jdbc.JdbcSourceConnector",
    "connection.url": "jdbc:postgresql://localhost:5432/my.db",
    "mode": "bulk",
    "topic.prefix": "jdbc-",
    "table.whitelist": "users",
    "key": "username",
}
_URL = "'jdbc:postgresql://localhost:5432/my.db'"


def _connector(command: ParsedCommand) -> ast.CreateConnector:
    assert isinstance(command.statement, ast.CreateConnector)
    return command.statement


def test_should_parse_create_connector_statement() -> None:
    """shouldParseCreateConnectorStatement"""
    sql = _CONNECTOR.format(name="`jdbc-connector`", url=_URL)
    command = _one(sql)
    stmt = _connector(command)
    assert command.command == sql
    assert stmt.name == "jdbc-connector" and stmt.connector_type == "SOURCE"
    assert stmt.properties == _CONNECTOR_CONFIG


@pytest.mark.parametrize("if_not_exists", [False, True])
def test_should_parse_create_connector_statement_with_variables(if_not_exists: bool) -> None:
    """shouldParseCreateConnectorStatementWithVariables, shouldParseCreateConnectorIfNotExistsStatement"""
    template = _CONNECTOR.replace("CONNECTOR {name}", "CONNECTOR IF NOT EXISTS {name}") if if_not_exists else _CONNECTOR
    command = _one(template.format(name="${name}", url="${url}"), {"url": _URL, "name": "`jdbc_connector`"})
    stmt = _connector(command)
    assert command.command == template.format(name="`jdbc_connector`", url=_URL)
    assert stmt.name == "jdbc_connector" and stmt.connector_type == "SOURCE"
    assert stmt.properties == _CONNECTOR_CONFIG
    assert stmt.if_not_exists is if_not_exists


@pytest.mark.parametrize(
    ("sql", "if_exists"),
    [("DRoP CONNEcTOR `jdbc-connector` ;", False), ("DRoP CONNEcTOR IF EXISTS `jdbc-connector` ;", True)],
)
def test_should_parse_drop_connector_statement(sql: str, if_exists: bool) -> None:
    """shouldParseDropConnectorStatement, shouldParseDropConnectorIfExistsStatement (the space before the
    `;` is kept)"""
    command = _one(sql)
    assert command.command == sql
    assert isinstance(command.statement, ast.DropConnector)
    assert command.statement.name == "jdbc-connector"
    assert command.statement.if_exists is if_exists


def test_should_split_commands_with_comments() -> None:
    """shouldSplitCommandsWithComments"""
    commands = split_sql(
        "-- Before\n"
        "CREATE STREAM valid_purchases AS\n"
        "  SELECT *\n"
        "  FROM purchases\n"
        "  WHERE cost > 0.00 AND quantity > 0;\n"
        "-- After\n"
        "CREATE OR REPLACE STREAM valid_purchases AS\n"
        "  SELECT *\n"
        "  FROM purchases\n"
        "  WHERE quantity > 0;"
        "/* Let's insert some values now! -- it's fun! */\n"
        "INSERT INTO purchases VALUES ('c''ow', -90);\n"
        "INSERT INTO purchases VALUES ('/*she*/ep',     80);\n"
        "INSERT INTO purchases VALUES ('pol/*ar;;be--ar*/;', 200000);"
    )
    assert commands == [
        "CREATE STREAM valid_purchases AS\n  SELECT *\n  FROM purchases\n  WHERE cost > 0.00 AND quantity > 0;",
        "\nCREATE OR REPLACE STREAM valid_purchases AS\n  SELECT *\n  FROM purchases\n  WHERE quantity > 0;",
        "\nINSERT INTO purchases VALUES ('c''ow', -90);",
        "\nINSERT INTO purchases VALUES ('/*she*/ep',     80);",
        "\nINSERT INTO purchases VALUES ('pol/*ar;;be--ar*/;', 200000);",
    ]


def test_should_parse_define_statement() -> None:
    """shouldParseDefineStatement"""
    command = _one("DEFINE var = 'foo';")
    assert command.command == "DEFINE var = 'foo';"
    assert command.statement == ast.DefineVariable("var", "foo")


def test_should_define_statement_with_variable() -> None:
    """shouldDefineStatementWithVariable"""
    command = _one("DEFiNe word = 'walk${suffix}';", {"suffix": "ing"})
    assert command.statement == ast.DefineVariable("word", "walking")


def test_should_parse_undefine_statement() -> None:
    """shouldParseUndefineStatement"""
    command = _one("UNDEFINE var;")
    assert command.command == "UNDEFINE var;"
    assert command.statement == ast.UndefineVariable("var")


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("/* Comment ", "Invalid sql - failed to find closing token '*/'"),
        ("select 'unclosed quote;", "Invalid sql - failed to find closing token '''"),
    ],
)
def test_should_throw_on_malformed_comment_or_quote(sql: str, message: str) -> None:
    """shouldThrowOnMalformedComment, shouldThrowOnMalformedQuote"""
    with pytest.raises(MigrationError) as e:
        split_sql(sql)
    assert str(e.value) == message


def test_should_throw_on_missing_semicolon() -> None:
    """shouldThrowOnMissingSemicolon"""
    with pytest.raises(MigrationError) as e:
        _parse("create stream foo as select * from no_semicolon_after_this")
    assert "Unmatched command at end of file; missing semicolon" in str(e.value)
    assert str(e.value) == (
        "Unmatched command at end of file; missing semicolon: "
        "'create stream foo as select * from no_semicolon_after_this'"
    )


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("describe my_stream;", "'DESCRIBE' statements are not supported."),
        ("explain my_query_id;", "'EXPLAIN' statements are not supported."),
        ("select * from my_stream emit changes;", "'SELECT' statements are not supported."),
        ("print 'my_topic';", "'PRINT' statements are not supported."),
        ("show connectors;", "'SHOW' statements are not supported."),
        ("list queries;", "'LIST' statements are not supported."),
        ("RUN SCRIPT 'my_script.sql';", "'RUN SCRIPT' statements are not supported."),
    ],
)
def test_should_throw_on_unsupported_statement(sql: str, message: str) -> None:
    """shouldThrowOnDescribeStatement, shouldThrowOnExplainStatement, shouldThrowOnSelectStatement,
    shouldThrowOnPrintStatement, shouldThrowOnShowStatement, shouldThrowOnListStatement,
    shouldThrowOnRunScriptStatement"""
    with pytest.raises(MigrationError) as e:
        _parse(sql)
    assert str(e.value) == message


def test_should_parse_assert_topic() -> None:
    """shouldParseAssertTopic"""
    commands = _parse(
        "assert topic abc; assert not exists topic 'abcd' with (foo=2, bar=3) timeout 4 minutes;"
        "assert topic ${topic} with (replicas=${replicas}, partitions=${partitions}) timeout 10 seconds;",
        {"replicas": "3", "partitions": "5", "topic": "name"},
    )
    assert [c.command for c in commands] == [
        "assert topic abc;",
        "assert not exists topic 'abcd' with (foo=2, bar=3) timeout 4 minutes;",
        "assert topic name with (replicas=3, partitions=5) timeout 10 seconds;",
    ]
    first, second, third = (c.statement for c in commands)
    assert isinstance(first, ast.AssertTopic) and isinstance(second, ast.AssertTopic)
    assert isinstance(third, ast.AssertTopic)
    assert (first.topic, dict(first.properties), first.exists, first.timeout) == ("abc", {}, True, None)
    assert (second.topic, dict(second.properties), second.exists) == ("abcd", {"FOO": 2, "BAR": 3}, False)
    assert second.timeout == ast.Duration(4, "MINUTE")
    assert (third.topic, dict(third.properties), third.exists) == ("name", {"REPLICAS": 3, "PARTITIONS": 5}, True)
    assert third.timeout == ast.Duration(10, "SECOND")


def test_should_parse_assert_schema() -> None:
    """shouldParseAssertSchema"""
    commands = _parse(
        "assert schema id 3; assert not exists schema subject 'abcd' timeout 4 minutes;"
        "assert schema subject ${subject} id ${id} timeout 10 seconds;",
        {"subject": "name", "id": "4"},
    )
    assert [c.command for c in commands] == [
        "assert schema id 3;",
        "assert not exists schema subject 'abcd' timeout 4 minutes;",
        "assert schema subject name id 4 timeout 10 seconds;",
    ]
    assert [c.statement for c in commands] == [
        ast.AssertSchema(None, 3, True, None),
        ast.AssertSchema("abcd", None, False, ast.Duration(4, "MINUTE")),
        ast.AssertSchema("name", 4, True, ast.Duration(10, "SECOND")),
    ]
