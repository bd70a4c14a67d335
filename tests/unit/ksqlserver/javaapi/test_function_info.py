"""Port of ksqlDB 0.29 `io.confluent.ksql.rest.entity.FunctionInfoTest` (shouldDeserializeV2AsV1): a
DESCRIBE FUNCTION's FunctionInfo keeps the deprecated `argumentTypes` (getArgumentTypes) beside `arguments`,
so a v5.0 client reading `argumentTypes`, `returnType` and `description` still understands it."""

from __future__ import annotations

from typing import Any


def test_should_deserialize_v2_as_v1(res: Any) -> None:
    """FunctionInfoTest.shouldDeserializeV2AsV1: each variant's `argumentTypes` are its arguments' types."""
    entity = res.one("DESCRIBE FUNCTION SUBSTRING;")
    assert entity["@type"] == "describe_function"
    for info in entity["functions"]:
        assert list(info) == ["arguments", "returnType", "description", "argumentTypes"]
        assert info["argumentTypes"] == [a["type"] for a in info["arguments"]]
        for argument in info["arguments"]:
            assert list(argument) == ["name", "type", "description", "isVariadic"]
    v1 = [(f["argumentTypes"], f["returnType"]) for f in entity["functions"]]
    assert (["VARCHAR", "INT"], "VARCHAR") in v1
