"""Port of ksqlDB 0.29 `io.confluent.ksql.rest.server.execution.DescribeFunctionExecutorTest` and
`ListFunctionsExecutorTest`, over /ksql. The test-jar UDFs (TEST_UDF_1, TEST_UDTF1, MID_VAR_ARG, ...) are
replaced by built-ins of the same kind."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture()
def empty(make_resource: Any) -> Any:
    return make_resource(sources=False)


@pytest.mark.parametrize(
    ("name", "kind"),
    [("TRIM", "SCALAR"), ("MAX", "AGGREGATE"), ("LATEST_BY_OFFSET", "AGGREGATE"), ("EXPLODE", "TABLE")],
)
def test_should_describe_function(empty: Any, name: str, kind: str) -> None:
    """DescribeFunctionExecutorTest.shouldDescribeUDF / shouldDescribeUDAF / shouldDescribeUDAFWithInitialArgs /
    shouldDescribeUDTF: a FunctionDescriptionList with the name and type"""
    entity = empty.one(f"DESCRIBE FUNCTION {name};")
    assert entity["@type"] == "describe_function"
    assert entity["name"] == name and entity["type"] == kind
    for fn in entity["functions"]:
        assert set(fn) >= {"arguments", "returnType", "description"}
        for arg in fn["arguments"]:
            assert set(arg) >= {"name", "type", "description", "isVariadic"}


def test_should_list_functions(empty: Any) -> None:
    """ListFunctionsExecutorTest.shouldListFunctions: SimpleFunctionInfo of each kind"""
    functions = empty.one("LIST FUNCTIONS;")["functions"]
    for expected in (
        {"name": "TOPK", "type": "AGGREGATE", "category": "AGGREGATE"},
        {"name": "MAX", "type": "AGGREGATE", "category": "AGGREGATE"},
        {"name": "EXPLODE", "type": "TABLE", "category": "TABLE"},
    ):
        assert expected in functions
