"""ksqlDB 0.29's InternalFunctionRegistryTest (ksqldb-engine io.confluent.ksql.function), the assertions
observable with our registry of built-ins and the plugin API (`ksqlserver.extensions`)."""

from __future__ import annotations

import pytest

from ksqlserver.errors import KsqlFunctionError
from ksqlserver.extensions import DeclarationError, udaf, udf, udtf
from ksqlserver.functions import default_registry, is_aggregate_function


def test_should_know_if_function_is_aggregate() -> None:
    """shouldKnowIfFunctionIsAggregate"""
    assert not is_aggregate_function("lcase")
    assert is_aggregate_function("topk")


def test_should_throw_exception_if_no_functions_with_name_exist() -> None:
    """shouldThrowExceptionIfNoFunctionsWithNameExist: the name as the caller spelt it
    (InternalFunctionRegistry.getUdfFactory: functionName.text())"""
    with pytest.raises(KsqlFunctionError) as e:
        default_registry().require("foo_bar")
    assert "'foo_bar'" in str(e.value)


def test_should_have_all_initialized_function_names_in_uppercase() -> None:
    """shouldHaveAllInitializedFunctionNamesInUppercase"""
    for name in default_registry().names():
        assert name == name.upper()


def test_should_know_if_function_is_present() -> None:
    """shouldKnowIfFunctionIsPresent (lookups ignore case: udfs.get(text().toUpperCase()))"""
    registry = default_registry()
    assert registry.get("count") is not None
    assert registry.get("not_found") is None


@pytest.mark.parametrize("declare", [udf, udtf])
def test_should_throw_on_invalid_function_name(declare: object) -> None:
    """shouldThrowOnInvalidUdfFunctionName (and ensureFunctionFactory for table functions)"""
    with pytest.raises(DeclarationError) as e:
        declare("i am invalid", params=[], returns="INTEGER")  # type: ignore[operator]
    assert "is not a valid function name" in str(e.value)


def test_should_throw_on_invalid_udaf_function_name() -> None:
    """shouldThrowOnInvalidUdafFunctionName"""
    with pytest.raises(DeclarationError) as e:
        udaf("i am invalid", params=["INTEGER"], returns="INTEGER", aggregate="INTEGER")
    assert str(e.value).startswith(
        "i am invalid is not a valid function name. Function names must be valid java identifiers and not a "
        "KSQL reserved word"
    )


@pytest.mark.parametrize("name", ["select", "Window", "plus", "unrecognized", "class", "pause", "1abc"])
def test_reserved_words_are_not_function_names(name: str) -> None:
    """InternalFunctionRegistry.validateFunctionName with ParserKeywordValidatorUtil: Java reserved words,
    the symbolic names of SqlBaseLexer's tokens and non-identifiers are refused"""
    with pytest.raises(DeclarationError, match="is not a valid function name"):
        udf(name, params=[], returns="INTEGER")


@pytest.mark.parametrize("name", ["my_func", "concat", "delimiter", "Score2", "ab$c"])
def test_allowed_function_names(name: str) -> None:
    """ParserKeywordValidatorUtil: concat/substring/replace are allowed keywords; DELIMITER is past the
    vocabulary loop's bound"""
    udf(name, params=[], returns="INTEGER")
