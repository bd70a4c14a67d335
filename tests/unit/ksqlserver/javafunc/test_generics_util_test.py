"""ksqlDB 0.29's GenericsUtilTest (ksqldb-common io.confluent.ksql.util.GenericsUtilTest), ported to
`paramtypes`: `PT.generics` is constituentGenerics, `to_sql(p, None, mapping)` applyResolved and
`reserve(p, arg, reserved)` reserveGenerics (None when the generics bind, else GenericsUtil's reason).
"""

from __future__ import annotations

import pytest

from ksqlserver.catalog import types as T
from ksqlserver.catalog.types import SqlType
from ksqlserver.errors import KsqlFunctionError
from ksqlserver.functions.paramtypes import LambdaArg, parse, reserve, to_sql


def reserved(text: str, arg: object) -> dict[str, SqlType | None]:
    """GenericsUtil.reserveGenerics(type, instance): the mapping, failing with its message."""
    out: dict[str, SqlType | None] = {}
    err = reserve(parse(text), arg, out)  # type: ignore[arg-type]
    if err is not None:
        raise KsqlFunctionError(err)
    return out


def test_should_identify_generic_correctly() -> None:
    """shouldIdentifyGenericCorrectly, shouldNotIdentifyGenericIncorrectly"""
    assert parse("T").kind == "GENERIC"
    assert parse("ARRAY<T>").kind != "GENERIC"


def test_should_find_all_constituent_generics() -> None:
    """shouldFindAllConstituentGenerics, shouldFindAllConstituentGenericsInLambdaType,
    shouldFindNoConstituentGenerics"""
    assert parse("STRUCT<a A, b B, c MAP<C, D>>").generics == {"A", "B", "C", "D"}
    assert parse("LAMBDA (C, A, B) => D").generics == {"A", "B", "C", "D"}
    assert parse("STRUCT<a BIGINT, b DECIMAL>").generics == frozenset()


def test_should_resolve_schema_with_mapping() -> None:
    """shouldResolveSchemaWithMapping, shouldResolveArraySchemaWithMapping, shouldResolveMapSchemaWithMapping"""
    assert to_sql(parse("A"), None, {"A": T.STRING}) == T.STRING
    assert to_sql(parse("ARRAY<A>"), None, {"A": T.STRING}) == T.array(T.STRING)
    assert to_sql(parse("MAP<A, B>"), None, {"A": T.INTEGER, "B": T.DOUBLE}) == T.map_of(T.INTEGER, T.DOUBLE)


def test_should_fail_resolve_schema_with_incomplete_mapping() -> None:
    """shouldFailResolveSchemaWithIncompleteMapping"""
    with pytest.raises(KsqlFunctionError):
        to_sql(parse("A"), None, {})


def test_should_identify_generics() -> None:
    """shouldIdentifyGeneric, shouldIdentifyArrayGeneric, shouldIdentifyMapGeneric,
    shouldIdentifySqlLambdaResolvedGenerics"""
    assert reserved("A", T.STRING) == {"A": T.STRING}
    assert reserved("ARRAY<A>", T.array(T.STRING)) == {"A": T.STRING}
    assert reserved("MAP<A, B>", T.map_of(T.DOUBLE, T.BIGINT)) == {"A": T.DOUBLE, "B": T.BIGINT}
    lam = LambdaArg(2, (T.DOUBLE, T.BIGINT), T.BIGINT)
    assert reserved("LAMBDA (A, B) => B", lam) == {"A": T.DOUBLE, "B": T.BIGINT}


def test_should_fail_to_identify_sql_lambda_resolved_with_different_schema() -> None:
    """shouldFailToIdentifySqlLambdaResolvedWithDifferentSchema"""
    with pytest.raises(KsqlFunctionError) as e:
        reserved("LAMBDA (A, C) => B", LambdaArg(1, (T.DOUBLE,), T.BIGINT))
    assert (
        "Cannot infer generics for LAMBDA (A, C) => B from LAMBDA (DOUBLE) => BIGINT "
        "because they do not have the same schema structure" in str(e.value)
    )


def test_should_not_map_generics_for_non_sql_lambda_resolved() -> None:
    """shouldNotMapGenericsForNonSqlLambdaResolved: a lambda whose types are not resolved binds nothing"""
    assert reserved("LAMBDA (A, C) => B", LambdaArg(2)) == {}


def test_should_fail_to_identify_lambdas_with_different_argument_list() -> None:
    """shouldFailToIdentifyLambdasWithDifferentArgumentList"""
    with pytest.raises(KsqlFunctionError) as e:
        reserved("LAMBDA (A, C) => B", LambdaArg(4))
    assert (
        "Cannot infer generics for LAMBDA (A, C) => B from LAMBDA "
        "because they do not have the same schema structure." in str(e.value)
    )


def test_should_fail_to_identify_mismatched_generics_in_lambda() -> None:
    """shouldFailToIdentifyMismatchedGenericsInLambda"""
    with pytest.raises(KsqlFunctionError) as e:
        reserved("LAMBDA (A) => A", LambdaArg(1, (T.DOUBLE,), T.BOOLEAN))
    assert (
        "Found invalid instance of generic schema when mapping LAMBDA (A) => A to LAMBDA (DOUBLE) => BOOLEAN. "
        "Cannot map A to both DOUBLE and BOOLEAN" in str(e.value)
    )


def test_should_identify_instance_of_lambda() -> None:
    """shouldIdentifyInstanceOfLambda"""
    assert reserve(parse("LAMBDA (A) => B"), LambdaArg(1, (T.INTEGER,), T.BIGINT), {}) is None


def test_should_not_identify_instance_of_type_mismatch() -> None:
    """shouldNotIdentifyInstanceOfTypeMismatchLambda, shouldNotIdentifyInstanceOfTypeMismatch,
    shouldFailIdentifyMismatchStructureGeneric"""
    assert reserve(parse("MAP<A, B>"), LambdaArg(1, (T.INTEGER,), T.BIGINT), {}) is not None
    assert reserve(parse("LAMBDA (A) => B"), T.map_of(T.STRING, T.BOOLEAN), {}) is not None
    assert reserve(parse("MAP<A, B>"), T.array(T.STRING), {}) is not None
    with pytest.raises(KsqlFunctionError):
        reserved("MAP<A, B>", T.array(T.STRING))
