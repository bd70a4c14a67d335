"""ksqlDB 0.29's UdfLoaderTest (ksqldb-engine io.confluent.ksql.function.UdfLoaderTest), the assertions
observable with our built-ins (the rest loads Java test classes and jars)."""

from __future__ import annotations

import pytest

from ksqlserver.catalog import types as T
from ksqlserver.errors import KsqlFunctionError
from ksqlserver.functions import default_registry
from ksqlserver.functions.paramtypes import LambdaArg
from ksqlserver.functions.registry import FunctionRegistry


def test_should_load_functions_in_ksql_engine() -> None:
    """shouldLoadFunctionsInKsqlEngine"""
    fn = default_registry().require("substring")
    _, impl, _ = fn.resolve([T.STRING, T.INTEGER])
    assert impl("foo", 2) == "oo"
    _, impl, _ = fn.resolve([T.STRING, T.INTEGER, T.INTEGER])
    assert impl("foo", 2, 1) == "o"


def test_should_load_decimal_and_lambda_udfs() -> None:
    """shouldLoadDecimalUdfs, shouldLoadLambdaReduceUdfs, shouldLoadLambdaTransformUdfs"""
    registry = default_registry()
    assert registry.require("floor").match([T.decimal(2, 1)])
    lam3 = LambdaArg(3, (T.INTEGER, T.INTEGER, T.INTEGER), T.INTEGER)
    assert registry.require("reduce").match([T.map_of(T.INTEGER, T.INTEGER), T.INTEGER, lam3])
    lam1 = LambdaArg(1, (T.INTEGER,), T.INTEGER)
    assert registry.require("transform").match([T.array(T.INTEGER), lam1])


def test_should_create_udf_factory_with_internal_path_when_internal() -> None:
    """shouldCreateUdfFactoryWithInternalPathWhenInternal"""
    assert default_registry().require("substring").path == "internal"


def test_should_not_load_internal_udfs() -> None:
    """shouldNotLoadInternalUdfs: a registry without the built-ins does not know SUBSTRING"""
    with pytest.raises(KsqlFunctionError) as e:
        FunctionRegistry().require("substring")
    assert "Can't find any functions with the name 'substring'" in str(e.value)
