"""ksqlDB 0.29 ParamTypesTest (ksqldb-common, function/types): ParamTypes.areCompatible as function
resolution applies it to built-in functions: an ARRAY argument must match the parameter's element type
(AS_MAP's ARRAY<VARCHAR> keys), a lambda matches a LAMBDA parameter by its number of arguments only
(TRANSFORM over an array takes a one-argument lambda whatever its types), an interval unit matches an
INTERVALUNIT parameter (TIMESTAMPADD). The implicit casts (shouldPassCompatibleSchemasWithImplicitCasting /
shouldNot...) are SqlBaseTypeTest's; STRUCT parameters have no built-in function."""

from __future__ import annotations

from .conftest import Exec

COLUMNS = "A ARRAY<INT>, S ARRAY<STRING>, TS TIMESTAMP"


def test_should_fail_incompatible_array_element(ex: Exec) -> None:
    """shouldFailINonCompatibleSchemas: ARRAY<INTEGER> is not ARRAY<STRING>."""
    assert ex.refuse("AS_MAP(A, A)", columns=COLUMNS).startswith(
        "Function 'AS_MAP' does not accept parameters (ARRAY<INTEGER>, ARRAY<INTEGER>).\n"
        "Valid alternatives are:\nAS_MAP(ARRAY<VARCHAR> keys, ARRAY<T> values)"
    )


def test_should_pass_compatible_schemas(ex: Exec) -> None:
    """shouldPassCompatibleSchemas: the array, the generic values, the interval unit."""
    sel = ex.select("AS_MAP(S, A)", "TIMESTAMPADD(SECONDS, 1, TS)", columns=COLUMNS)
    assert sel.types == ["MAP<STRING, INTEGER>", "TIMESTAMP"]


def test_should_only_look_at_input_type_size_for_lambdas(ex: Exec) -> None:
    """shouldOnlyLookAtInputTypeSizeForCompatibleLambdaTypeAndSqlLambda: one argument matches TRANSFORM's
    LAMBDA (T) => R, two do not (and the MAP variant wants a map)."""
    assert ex.select("TRANSFORM(S, x => LEN(x))", columns=COLUMNS).type == "ARRAY<INTEGER>"
    assert ex.refuse("TRANSFORM(A, (x, y) => x)", columns=COLUMNS).startswith(
        "Function 'transform' does not accept parameters (ARRAY<INTEGER>, LAMBDA)."
    )
