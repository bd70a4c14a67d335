"""ksqlDB 0.29's VariableSubstitutorTest (ksqldb-parser, io.confluent.ksql.parser), ported against
`sql.variables.substitute` (the statement text with the request's variables), and through the engine for
the refusals; plus SyntaxErrorValidatorTest's variable-name cases (DEFINE/UNDEFINE)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ksqlserver.engine import Engine
from ksqlserver.errors import KsqlError, KsqlParseError
from ksqlserver.sql import ast
from ksqlserver.sql.parser import parse
from ksqlserver.sql.variables import substitute


@pytest.mark.parametrize(
    ("variables", "text", "want"),
    [
        # shouldNotSubstituteWithEscapedVariables / shouldSupportRecursiveVariableReplacement
        ({"env": "qa"}, "DEFINE topicName = 'topic_$${env}';", "DEFINE topicName = 'topic_${env}';"),
        ({"env": "qa"}, "DEFINE topicName = 'topic_$${${env}}';", "DEFINE topicName = 'topic_${qa}';"),
        # shouldSubstituteVariableOnDefine
        ({"env": "qa"}, "DEFINE topicName = 'topic_${env}';", "DEFINE topicName = 'topic_qa';"),
        ({"env_quoted": '"qa"'}, "DEFINE topicName = 'topic_${env_quoted}';", "DEFINE topicName = 'topic_\"qa\"';"),
        ({"env_backQuoted": "`qa`"}, "DEFINE topicName = 'topic_${env_backQuoted}';", "DEFINE topicName = 'topic_`qa`';"),
        # shouldSubstituteVariableOnDescribe
        ({"identifier": "_id_"}, "DESCRIBE ${identifier};", "DESCRIBE _id_;"),
        ({"quotedIdentifier": '"_id_"'}, "DESCRIBE ${quotedIdentifier};", 'DESCRIBE "_id_";'),
        ({"backQuotedIdentifier": "`_id_`"}, "DESCRIBE ${backQuotedIdentifier} EXTENDED;", "DESCRIBE `_id_` EXTENDED;"),
        ({"identifier": "_id_"}, "DESCRIBE FUNCTION ${identifier};", "DESCRIBE FUNCTION _id_;"),
        ({"identifier": "_id_"}, "DESCRIBE CONNECTOR ${identifier};", "DESCRIBE CONNECTOR _id_;"),
        # shouldSubstituteVariableOnInsert
        (
            {"identifier": "_id_", "num": "1", "dec": "0.32", "bool": "false", "str": "'john'"},
            "INSERT INTO ${identifier} VALUES (${num}, ${bool}, ${dec}, ${str});",
            "INSERT INTO _id_ VALUES (1, false, 0.32, 'john');",
        ),
        # shouldSubstituteVariableOnCreate
        (
            {"backQuotedIdentifier": "`_id_`", "topicName": "'name1'", "replicas": "3"},
            "CREATE STREAM ${backQuotedIdentifier} WITH (kafka_topic=${topicName}, replicas=${replicas});",
            "CREATE STREAM `_id_` WITH (kafka_topic='name1', replicas=3);",
        ),
        # shouldSanitizeStatements
        (
            {"escapeQuote": "'t1', value_format='AVRO'"},
            "CREATE STREAM s1 WITH (kafka_topic=${escapeQuote});",
            "CREATE STREAM s1 WITH (kafka_topic='t1'', value_format=''AVRO');",
        ),
        # shouldSubstituteVariablesInString
        ({"event": "birthday"}, "Happy ${event} to you!", "Happy birthday to you!"),
        # shouldSubstituteVariablesInAssert
        ({"name": "foo"}, "ASSERT TOPIC '${name}';", "ASSERT TOPIC 'foo';"),
        ({"name": "foo"}, "ASSERT TOPIC ${name};", "ASSERT TOPIC foo;"),
    ],
)
def test_substitute(variables: dict[str, str], text: str, want: str) -> None:
    """VariableSubstitutorTest's substitution cases (StringSubstitutor with sanitised values)."""
    assert substitute(text, variables) == want


@pytest.mark.parametrize(
    ("value", "text", "message"),
    [
        ("EXTENDED _id_", "DESCRIBE ${v};", "Illegal argument"),  # shouldThrowOnDescribeWhenInvalidVariables
        ("s1 (id, name)", "INSERT INTO ${v} VALUES (1);", "Identifier names cannot start"),  # shouldThrowOnSQLInjection
        ("1, 5", "INSERT INTO s1 VALUES (${v});", "Illegal argument"),
        ("s1 WHERE id = 1", "SELECT * FROM ${v};", "Identifier names cannot start"),
        ("5 and id != 5", "SELECT * FROM s1 WHERE id = ${v};", "Illegal argument"),
        ("s1 (id, name)", "CREATE STREAM ${v} WITH (kafka_topic='t1');", "Identifier names cannot start"),
    ],
)
def test_throw_on_invalid_variables(engine: Engine, value: str, text: str, message: str) -> None:
    """VariableSubstitutorTest.shouldThrowOnDescribeWhenInvalidVariables / shouldThrowOnSQLInjection."""
    with pytest.raises(KsqlError) as info:
        engine.execute(text, variables={"v": value})
    assert message in info.value.message


def test_throw_on_back_quoted_describe_variable(engine: Engine) -> None:
    """VariableSubstitutorTest.shouldThrowOnDescribeWhenInvalidVariables, backQuotedIdentifier2: refused with
    "Illegal argument" by SqlSubstitutorVisitor.throwIfInvalidIdentifier (the back quotes taken off)."""
    with pytest.raises(KsqlError) as info:
        engine.execute("DESCRIBE ${v};", variables={"v": "`EXTENDED _id_`"})
    assert "Illegal argument" in info.value.message


@pytest.mark.parametrize("text", ["DEFINE topic='t';", "DEFINE select='t';", "UNDEFINE stream;"])
def test_allow_reserved_keywords_on_variable_name(text: str) -> None:
    """SyntaxErrorValidatorTest.shouldAllowReservedKeywordsOnVariableName: ANTLR's mismatched input on a
    keyword written in lower case is ignored in a variableName (isValidVariableName); the name keeps its text."""
    [st] = parse(text)
    assert isinstance(st, ast.DefineVariable | ast.UndefineVariable)
    assert st.name == text.split()[1].split("=")[0].rstrip(";")


@pytest.mark.parametrize(("text", "col"), [("DEFINE 1='t';", 8), ("DEFINE TOPIC='t';", 8), ("DEFINE replace='t';", 8)])
def test_throw_on_invalid_non_reserved_keyword_variable_name(text: str, col: int) -> None:
    """SyntaxErrorValidatorTest.shouldThrowOnInvalidNonReservedKeywordVariableName: not an IDENTIFIER and
    not a lower-case keyword (concat, substring and replace are left out of the vocabulary list)."""
    with pytest.raises(KsqlParseError) as info:
        parse(text)
    assert info.value.message == f"line 1:{col}: Syntax Error\nExpecting IDENTIFIER"


def test_reserved_keyword_used_as_identifier(refused: Callable[[str], KsqlError]) -> None:
    """SyntaxErrorValidatorTest.shouldThrowWhenReservedKeywordUsedAsIdentifierOnNoVariablesNames."""
    msg = refused("CREATE STREAM s (size INT) WITH (kafka_topic='t', value_format='JSON');").message
    assert "\"size\" is a reserved keyword and it can't be used as an identifier" in msg
