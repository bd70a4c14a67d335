"""Port of ksqlDB 0.29 `io.confluent.ksql.rest.server.execution.VariableExecutorTest`,
`ListVariablesExecutorTest`, `ListTypesExecutorTest` and `PropertyExecutorTest`, over /ksql (DEFINE,
UNDEFINE, SET and UNSET change the request's session; LIST VARIABLES shows it)."""

from __future__ import annotations

from typing import Any

import pytest


def _variables(res: Any, sql: str, **extra: Any) -> list[dict[str, str]]:
    entity = res.ok(sql + "LIST VARIABLES;", **extra)[-1]
    assert entity["@type"] == "variables"
    variables: list[dict[str, str]] = entity["variables"]
    return variables


def test_should_list_empty_variables(res: Any) -> None:
    """ListVariablesExecutorTest.shouldListEmptyVariables"""
    assert _variables(res, "") == []


def test_should_list_variables(res: Any) -> None:
    """ListVariablesExecutorTest.shouldListVariables"""
    entity = res.one("LIST VARIABLES;", sessionVariables={"var1": "1", "var2": "2"})
    assert entity["statementText"] == "LIST VARIABLES;"
    assert entity["variables"] == [{"name": "var1", "value": "1"}, {"name": "var2", "value": "2"}]


def test_should_set_variables(res: Any) -> None:
    """VariableExecutorTest.shouldSetVariables: DEFINE gives no entity; '' is an escaped quote"""
    results = res.ok("DEFINE var1 = 'John Peter';DEFINE var2 = '''John Peter''';")
    assert results == []
    assert _variables(res, "DEFINE var1 = 'John Peter';DEFINE var2 = '''John Peter''';") == [
        {"name": "var1", "value": "John Peter"},
        {"name": "var2", "value": "'John Peter'"},
    ]


def test_should_set_case_insensitive_variables(res: Any) -> None:
    """VariableExecutorTest.shouldSetCaseInsensitiveVariables: ${a} and ${A} are one variable"""
    [described] = res.ok("DEFINE A = 'TEST_STREAM';DEFINE b = 'S2_F1';DESCRIBE ${a};")
    assert described["sourceDescription"]["name"] == "TEST_STREAM"
    # in an expression a reference is SqlBase.g4's #variableLiteral (the first alternative of
    # primaryExpression), so its value must be a literal (VariableSubstitutor.throwIfInvalidLiteral)
    [explained] = res.ok("DEFINE b = '5';EXPLAIN SELECT ${B} AS X FROM TEST_STREAM EMIT CHANGES;")
    # a push query's fields: its key column first (as ksqlDB 0.29 lists a transient query's schema), then X
    assert [(f["name"], f["schema"]["type"], f.get("type")) for f in explained["queryDescription"]["fields"]] == [
        ("ROWKEY", "STRING", "KEY"),
        ("X", "INTEGER", None),
    ]


def test_should_unset_variables(res: Any) -> None:
    """VariableExecutorTest.shouldUnsetVariables / shouldUnsetCaseInsensitiveVariables: UNDEFINE gives no
    entity"""
    variables = {"var1": "1", "VAR2": "2"}
    assert res.ok("UNDEFINE var1;UNDEFINE var2;", sessionVariables=variables) == []
    assert _variables(res, "UNDEFINE var1;", sessionVariables={"var1": "1", "var2": "2"}) == [
        {"name": "var2", "value": "2"}
    ]


def test_should_override_case_insensitive_variables(res: Any) -> None:
    """VariableExecutorTest.shouldOverrideCaseInsensitiveVariables: one variable, the last value"""
    [variable] = _variables(res, "DEFINE var1 = '1';DEFINE VAR1 = '2';DEFINE vAr1 = '3';")
    assert variable["name"].lower() == "var1" and variable["value"] == "3"


def test_should_return_warning_when_undefine_an_unknown_variable(res: Any) -> None:
    """VariableExecutorTest.shouldReturnWarningWhenUndefineAnUnknownVariable: a WarningEntity"""
    entity = res.one("UNDEFINE var1;")
    assert entity["@type"] == "warning_entity"
    assert "Cannot undefine variable 'var1' which was never defined" in entity["message"]


@pytest.mark.parametrize("value", ['"3"', "`3`", "3"])
def test_should_throw_on_invalid_values(res: Any, value: str) -> None:
    """VariableExecutorTest.shouldThrowOnInvalidValues: ParseFailedException, whose unlogged message (the
    one /ksql returns) is "line 1:13: Syntax Error\\nExpecting STRING" """
    sql = f"DEFINE var1={value};"
    error = res.fail(sql)
    assert error["error_code"] == 40001
    assert error["message"] == "line 1:13: Syntax Error\nExpecting STRING"
    assert sql in error["statementText"]


def test_should_list_types(res: Any) -> None:
    """ListTypesExecutorTest.shouldListTypes: a TypeList of name -> EntityUtil.schemaInfo"""
    res.ok("CREATE TYPE foo AS STRING;")
    entity = res.one("LIST TYPES;")
    assert entity["@type"] == "type_list"
    assert entity["types"] == {"FOO": {"type": "STRING", "fields": None, "memberSchema": None}}


def test_should_set_and_unset_property(res: Any) -> None:
    """PropertyExecutorTest.shouldSetProperty / shouldUnSetProperty: SET changes the session's properties
    for what follows, UNSET removes the override"""
    entity = res.ok("SET 'auto.offset.reset' = 'none';LIST PROPERTIES;")[-1]
    values = {p["name"]: p["value"] for p in entity["properties"]}
    assert values["ksql.streams.auto.offset.reset"] == "none"
    # the Java test's session holds 'none', which a REST request cannot carry (KsqlRequest.getConfigOverrides:
    # LocalPropertyValidator refuses it), so the request's override here is 'earliest'
    entity = res.ok(
        "UNSET 'auto.offset.reset';LIST PROPERTIES;", streamsProperties={"auto.offset.reset": "earliest"}
    )[-1]
    assert "ksql.streams.auto.offset.reset" not in entity["overwrittenProperties"]
