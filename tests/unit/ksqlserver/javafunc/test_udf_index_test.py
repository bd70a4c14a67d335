"""ksqlDB 0.29's UdfIndexTest (ksqldb-common io.confluent.ksql.function.UdfIndexTest), ported.

Each Java function in a test index becomes one variant of a `ScalarFunction` whose variants carry the
Java function's name as their description; the index's own name ("name") is the function's `java_name`,
as UdfIndex names itself in its errors. A variadic `ArrayType.of(X)` parameter at the variadic index is
written `X...`; `OBJ_VARARGS` is `ANY...`.
"""

from __future__ import annotations

import pytest

from ksqlserver.catalog import types as T
from ksqlserver.errors import KsqlFunctionError
from ksqlserver.functions.paramtypes import IntervalArg, LambdaArg
from ksqlserver.functions.registry import ScalarFunction, Variant

STRING, INTEGER, BIGINT, DOUBLE, BOOLEAN = T.STRING, T.INTEGER, T.BIGINT, T.DOUBLE, T.BOOLEAN
MAP1_ARG = T.map_of(STRING, STRING)
MAP2_ARG = T.map_of(STRING, INTEGER)
DECIMAL1_ARG = T.decimal(4, 2)
STRUCT1_ARG = T.struct([("a", STRING)])
STRUCT2_ARG = T.struct([("b", INTEGER)])
STRUCT1 = "STRUCT<a VARCHAR>"
STRUCT2 = "STRUCT<b INT>"
GENERIC_MAP = "MAP<A, B>"
GENERIC_LIST = "ARRAY<T>"


def function(name: str, *params: str, named: bool = False) -> tuple[str, tuple[str, ...], bool]:
    """UdfIndexTest.function: a Java function `name` with these parameter types."""
    return name, params, named


def index(*functions: tuple[str, tuple[str, ...], bool], casts: bool = True) -> ScalarFunction:
    """UdfIndexTest.givenFunctions on `new UdfIndex<>("name", casts)`."""
    variants = [
        Variant(params, "VARCHAR", lambda *a: None, name, names=("paramName",) * len(params) if named else ())
        for name, params, named in functions
    ]
    # alternatives are listed under each Java function's name: all share it in the tests that check them
    return ScalarFunction(functions[0][0], "", variants, java_name="name", implicit_casts=casts)


def chosen(fn: ScalarFunction, *args: object) -> str:
    return fn.match(list(args))[0].description  # type: ignore[arg-type]


def refused(fn: ScalarFunction, *args: object) -> str:
    with pytest.raises(KsqlFunctionError) as e:
        fn.match(list(args))  # type: ignore[arg-type]
    return str(e.value)


def test_should_find_no_args() -> None:
    """shouldFindNoArgs"""
    assert chosen(index(function("expected"))) == "expected"


def test_should_find_no_args_variadic() -> None:
    """shouldFindNoArgsVariadic, shouldFindVarargsEmpty"""
    assert chosen(index(function("expected", "VARCHAR..."))) == "expected"


def test_should_find_one_arg() -> None:
    """shouldFindOneArg"""
    assert chosen(index(function("expected", "VARCHAR")), STRING) == "expected"


def test_should_find_one_arg_with_cast() -> None:
    """shouldFindOneArgWithCast"""
    assert chosen(index(function("expected", "BIGINT")), INTEGER) == "expected"


def test_should_find_preferred_one_arg_with_cast() -> None:
    """shouldFindPreferredOneArgWithCast"""
    fn = index(function("other", "BIGINT"), function("expected", "INT"), function("other", "DOUBLE"))
    assert chosen(fn, INTEGER) == "expected"


def test_should_find_two_args() -> None:
    """shouldFindTwoDifferentArgs, shouldFindTwoSameArgs"""
    assert chosen(index(function("expected", "VARCHAR", "INT")), STRING, INTEGER) == "expected"
    assert chosen(index(function("expected", "VARCHAR", "VARCHAR")), STRING, STRING) == "expected"


def test_should_find_one_arg_conflict() -> None:
    """shouldFindOneArgConflict, shouldFindTwoArgSameFirstConflict"""
    assert chosen(index(function("expected", "VARCHAR"), function("other", "INT")), STRING) == "expected"
    fn = index(function("expected", "VARCHAR", "VARCHAR"), function("other", "VARCHAR", "INT"))
    assert chosen(fn, STRING, STRING) == "expected"


def test_should_choose_correct_struct_and_map() -> None:
    """shouldChooseCorrectStruct, shouldChooseCorrectMap"""
    assert chosen(index(function("other", STRUCT2), function("expected", STRUCT1)), STRUCT1_ARG) == "expected"
    fn = index(function("other", "MAP<INT, INT>"), function("expected", "MAP<VARCHAR, VARCHAR>"))
    assert chosen(fn, MAP1_ARG) == "expected"


def test_should_choose_interval_unit() -> None:
    """shouldChooseIntervalUnit"""
    assert chosen(index(function("expected", "INTERVAL UNIT")), IntervalArg()) == "expected"


def test_should_choose_correct_lambda_function() -> None:
    """shouldChooseCorrectLambdaFunction"""
    fn = index(
        function("first_func", GENERIC_MAP, "LAMBDA (A) => C"),
        function("second_func", GENERIC_MAP, "LAMBDA (B) => D"),
    )
    assert chosen(fn, MAP2_ARG, LambdaArg(1, (STRING,), STRING)) == "first_func"
    assert chosen(fn, MAP2_ARG, LambdaArg(1, (INTEGER,), INTEGER)) == "second_func"


def test_should_choose_correct_lambda_bi_function() -> None:
    """shouldChooseCorrectLambdaBiFunction"""
    fn = index(function("expected", GENERIC_MAP, "LAMBDA (A, B) => C"))
    assert chosen(fn, MAP1_ARG, LambdaArg(2, (STRING, STRING), INTEGER)) == "expected"


def test_should_choose_correct_lambda_for_type_specific_collections() -> None:
    """shouldChooseCorrectLambdaForTypeSpecificCollections"""
    fn = index(function("expected", "MAP<VARCHAR, VARCHAR>", "LAMBDA (VARCHAR, VARCHAR) => A"))
    assert chosen(fn, MAP1_ARG, LambdaArg(2, (STRING, STRING), BOOLEAN)) == "expected"
    assert chosen(fn, MAP1_ARG, LambdaArg(2, (STRING, STRING), INTEGER)) == "expected"
    msg = refused(fn, MAP1_ARG, LambdaArg(2, (BOOLEAN, INTEGER), INTEGER))
    assert "does not accept parameters (MAP<STRING, STRING>, LAMBDA (BOOLEAN, INTEGER) => INTEGER)." in msg
    assert "Valid alternatives are:\nexpected(MAP<VARCHAR, VARCHAR>, LAMBDA (VARCHAR, VARCHAR) => A)" in msg


def test_should_throw_on_invalid_lambda_mapping() -> None:
    """shouldThrowOnInvalidLambdaMapping"""
    fn = index(function("other", GENERIC_MAP, "LAMBDA (A, B) => C"))
    e1 = refused(fn, MAP1_ARG, LambdaArg(2, (BOOLEAN, STRING), INTEGER))
    e2 = refused(fn, MAP1_ARG, LambdaArg(3, (STRING, STRING, STRING), INTEGER))
    assert "does not accept parameters (MAP<STRING, STRING>, LAMBDA (BOOLEAN, STRING) => INTEGER)." in e1
    assert "Valid alternatives are:\nother(MAP<A, B>, LAMBDA (A, B) => C)" in e1
    assert (
        "does not accept parameters (MAP<STRING, STRING>, LAMBDA (STRING, STRING, STRING) => INTEGER)." in e2
    )
    assert "Valid alternatives are:\nother(MAP<A, B>, LAMBDA (A, B) => C)" in e2


def test_should_allow_any_decimal() -> None:
    """shouldAllowAnyDecimal"""
    assert chosen(index(function("expected", "DECIMAL")), DECIMAL1_ARG) == "expected"


def test_should_find_varargs() -> None:
    """shouldFindVarargsOne, shouldFindVarargsTwo"""
    fn = index(function("expected", "VARCHAR..."))
    assert chosen(fn, STRING) == "expected"
    assert chosen(fn, STRING, STRING) == "expected"


def test_should_find_varargs_many_even_and_odd() -> None:
    """shouldFindVarargsManyEven, shouldFindVarargsManyOdd"""
    fn = index(function("expected", "INT", "INT", "VARCHAR...", "VARCHAR", "INT"))
    assert chosen(fn, INTEGER, INTEGER, *[STRING] * 15, INTEGER) == "expected"
    assert chosen(fn, INTEGER, INTEGER, *[STRING] * 16, INTEGER) == "expected"


def test_should_find_vararg_with_struct() -> None:
    """shouldFindVarargWithStruct"""
    assert chosen(index(function("expected", f"{STRUCT1}...")), STRUCT1_ARG, STRUCT1_ARG) == "expected"


def test_should_find_vararg_with_list() -> None:
    """shouldFindVarargWithList, shouldFindNonVarargWithList"""
    assert chosen(index(function("expected", "VARCHAR...")), T.array(STRING)) == "expected"
    assert chosen(index(function("expected", "ARRAY<VARCHAR>")), T.array(STRING)) == "expected"


def test_should_not_create_list_when_not_variadic() -> None:
    """shouldNotCreateListWhenNotVariadic"""
    msg = refused(index(function("first_func", "ARRAY<INT>")), INTEGER)
    assert "Function 'name' does not accept parameters (INTEGER)" in msg


def test_should_choose_specific_over_var_args() -> None:
    """shouldChooseSpecificOverOnlyVarArgs, ...AtEnd, ...InMiddle, ...AtBeginning, their
    ReversedInsertionOrder variants, and shouldChooseSpecificOverMultipleVarArgs"""
    S, N = "VARCHAR", "INT"
    cases = [
        ([function("expected", S), function("other", "VARCHAR...")], [STRING]),
        ([function("expected", N, N, S), function("other", N, N, "VARCHAR...")], [INTEGER, INTEGER, STRING]),
        (
            [function("expected", N, N, S, S, S, S, N), function("other", N, N, "VARCHAR...", S, S, S, N)],
            [INTEGER, INTEGER, STRING, STRING, STRING, STRING, INTEGER],
        ),
        (
            [function("expected", S, S, S, S, N), function("other", "VARCHAR...", S, S, S, N)],
            [STRING, STRING, STRING, STRING, INTEGER],
        ),
        ([function("other", "VARCHAR..."), function("expected", S, S, S, S)], [STRING] * 4),
        (
            [function("other", N, N, "VARCHAR..."), function("expected", N, N, S, S, S, S)],
            [INTEGER, INTEGER, STRING, STRING, STRING, STRING],
        ),
        (
            [function("other", N, N, "VARCHAR...", N), function("expected", N, N, S, S, S, S, N)],
            [INTEGER, INTEGER, STRING, STRING, STRING, STRING, INTEGER],
        ),
        (
            [function("other", "VARCHAR...", N), function("expected", S, S, S, S, N)],
            [STRING, STRING, STRING, STRING, INTEGER],
        ),
        (
            [function("expected", S), function("other", "VARCHAR..."), function("two", S, "VARCHAR...")],
            [STRING],
        ),
    ]
    for functions, args in cases:
        assert chosen(index(*functions), *args) == "expected", functions


def test_should_choose_var_args_if_specific_doesnt_match() -> None:
    """shouldChooseVarArgsIfSpecificDoesntMatch, shouldChooseVarArgsIfSpecificDoesntMatchMultipleArgs"""
    fn = index(function("other", "VARCHAR"), function("expected", "VARCHAR..."))
    assert chosen(fn, STRING, STRING) == "expected"
    fn = index(
        function("other", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR"), function("expected", "VARCHAR...")
    )
    assert chosen(fn, *[STRING] * 5) == "expected"


def test_should_find_with_null_values() -> None:
    """shouldFindNonVarargWithNullValues, shouldFindNonVarargWithPartialNullValues,
    shouldFindVarargWithSomeNullValues, shouldFindMiddleVarargWithSomeNullValues"""
    assert chosen(index(function("expected", "VARCHAR")), None) == "expected"
    assert chosen(index(function("expected", "VARCHAR", "VARCHAR")), None, STRING) == "expected"
    assert chosen(index(function("expected", "VARCHAR...")), None, STRING, None) == "expected"
    assert (
        chosen(index(function("expected", "INT", "VARCHAR...", "VARCHAR")), INTEGER, None, STRING)
        == "expected"
    )


def test_should_choose_non_vararg_with_null_values() -> None:
    """shouldChooseNonVarargWithNullValues, shouldChooseMidVarargWithNullValues,
    shouldChooseNonVarargWithNullValuesOfDifferingSchemas, ...OfSameSchemas, ...OfPartialNulls"""
    assert chosen(index(function("expected", "VARCHAR"), function("other", "VARCHAR...")), None) == "expected"
    fn = index(function("other", "INT", "VARCHAR"), function("expected", "INT", "VARCHAR...", "VARCHAR"))
    assert chosen(fn, INTEGER, None, STRING) == "expected"
    fn = index(function("expected", "VARCHAR", "INT"), function("other", "VARCHAR..."))
    assert chosen(fn, None, None) == "expected"
    assert chosen(fn, STRING, None) == "expected"
    fn = index(function("expected", "VARCHAR", "VARCHAR"), function("other", "VARCHAR..."))
    assert chosen(fn, None, None) == "expected"


def test_should_choose_correctly_in_complicated_topology() -> None:
    """shouldChooseCorrectlyInComplicatedTopology"""
    fn = index(
        function("expected", "VARCHAR", "INT", "VARCHAR", "INT"),
        function("other", "VARCHAR..."),
        function("two", "VARCHAR", "VARCHAR..."),
        function("three", "VARCHAR", "INT", "VARCHAR..."),
        function("four", "VARCHAR", "INT", "VARCHAR", "INT", "VARCHAR..."),
        function("five", "INT", "INT", "VARCHAR", "INT", "VARCHAR..."),
    )
    assert chosen(fn, STRING, INTEGER, None, INTEGER) == "expected"


def test_should_find_generic_methods() -> None:
    """shouldFindGenericMethodWithIntParam, ...WithStringParam, shouldMatchGenericMethodWithMultipleIdenticalGenerics,
    shouldMatchGenericMethodWithMultipleGenerics, shouldMatchNestedGenericMethodWithMultipleGenerics"""
    assert chosen(index(function("expected", GENERIC_LIST)), T.array(INTEGER)) == "expected"
    assert chosen(index(function("expected", GENERIC_LIST)), T.array(STRING)) == "expected"
    assert chosen(index(function("expected", "A", "A")), INTEGER, INTEGER) == "expected"
    assert chosen(index(function("expected", "A", "B")), INTEGER, STRING) == "expected"
    fn = index(function("expected", "ARRAY<A>", "ARRAY<A>"))
    assert chosen(fn, T.array(INTEGER), T.array(INTEGER)) == "expected"


@pytest.mark.parametrize(
    ("params", "args", "shown"),
    [
        (("VARCHAR",), (STRING, STRING), "(STRING, STRING)"),  # shouldNotMatchIfParamLengthDiffers
        (("VARCHAR",), (INTEGER,), "(INTEGER)"),  # shouldNotMatchIfNoneFound
        (("VARCHAR", "INT"), (INTEGER, None), "(INTEGER, null)"),  # shouldNotMatchIfNoneFoundWithNull
        (
            ("VARCHAR",),
            (STRING, None),
            "(STRING, null)",
        ),  # shouldNotMatchWhenNullTypeInArgsIfParamLengthDiffers
        ((f"{STRUCT1}...",), (STRUCT1_ARG, STRUCT2_ARG), "(STRUCT<a STRING>, STRUCT<b INTEGER>)"),
        (
            ("A", "A"),
            (INTEGER, STRING),
            "(INTEGER, STRING)",
        ),  # shouldNotMatchGenericMethodWithAlreadyReservedTypes
        (("ARRAY<A>", "ARRAY<A>"), (T.array(INTEGER), T.array(STRING)), "(ARRAY<INTEGER>, ARRAY<STRING>)"),
    ],
)
def test_should_not_match(params: tuple[str, ...], args: tuple[object, ...], shown: str) -> None:
    """shouldNotMatchIfParamLengthDiffers, shouldNotMatchIfNoneFound, shouldNotMatchIfNoneFoundWithNull,
    shouldNotMatchWhenNullTypeInArgsIfParamLengthDiffers, shouldNotMatchVarargDifferentStructs,
    shouldNotMatchGenericMethodWithAlreadyReservedTypes, shouldNotMatchNestedGenericMethodWithAlreadyReservedTypes"""
    msg = refused(index(function("expected", *params)), *args)
    assert f"Function 'name' does not accept parameters {shown}" in msg


def test_should_not_choose_specific_when_tricky_var_arg_loop() -> None:
    """shouldNotChooseSpecificWhenTrickyVarArgLoop"""
    fn = index(function("expected", "VARCHAR", "INT"), function("two", "VARCHAR..."))
    msg = refused(fn, STRING, INTEGER, STRING)
    assert "Function 'name' does not accept parameters (STRING, INTEGER, STRING)" in msg


def test_should_include_available_signatures_if_not_match_found() -> None:
    """shouldIncludeAvailableSignaturesIfNotMatchFound: the alternatives in the order of UdfIndex's
    HashMap of parameter lists"""
    fn = index(
        function("other", "VARCHAR", "INT", named=True),
        function("other", "VARCHAR..."),
        function("other", "ARRAY<A>"),
    )
    msg = refused(fn, STRING, INTEGER, STRING)
    assert (
        "Valid alternatives are:\nother(VARCHAR...)\nother(ARRAY<A>)\nother(VARCHAR paramName, INT paramName)"
        in msg
    )


def test_implicit_cast_enabled_and_disabled() -> None:
    """shouldSupportMatchAndImplicitCastEnabled, shouldThrowIfNoExactMatchAndImplicitCastDisabled"""
    assert chosen(index(function("expected", "DOUBLE")), INTEGER) == "expected"
    msg = refused(index(function("expected", "DOUBLE"), casts=False), INTEGER)
    assert "Function 'name' does not accept parameters (INTEGER)" in msg


@pytest.mark.parametrize(
    ("functions", "args", "shown"),
    [
        ([("BIGINT", "BIGINT"), ("DOUBLE", "DOUBLE")], (INTEGER, BIGINT), "(INTEGER, BIGINT)"),
        ([("BIGINT", "A", "B"), ("DOUBLE", "A", "B")], (INTEGER,) * 3, "(INTEGER, INTEGER, INTEGER)"),
        (
            [("BIGINT", "A", "B", "INT..."), ("DOUBLE", "A", "B", "INT...")],
            (INTEGER,) * 4,
            "(INTEGER, INTEGER, INTEGER, INTEGER)",
        ),
    ],
)
def test_should_throw_on_ambiguous_implicit_cast(
    functions: list[tuple[str, ...]], args: tuple[object, ...], shown: str
) -> None:
    """shouldThrowOnAmbiguousImplicitCastWithoutGenerics, ...WithGenerics, ...WithGenericsAndVariadics"""
    fn = index(function("first_func", *functions[0]), function("second_func", *functions[1]))
    msg = refused(fn, *args)
    assert f"Function 'name' cannot be resolved due to ambiguous method parameters {shown}" in msg


def test_should_find_fewer_generics() -> None:
    """shouldFindFewerGenerics, shouldFindFewerGenericsWithEarlierVariadic, shouldFindFewerGenericsWithoutObjVariadic,
    shouldFindPreferGenericVariadicToObjVariadic"""
    fn = index(function("expected", "INT", "A", "INT"), function("other", "INT", "A", "B"))
    assert chosen(fn, INTEGER, INTEGER, INTEGER) == "expected"
    fn = index(
        function("expected", "INT...", "A", "INT", "INT"), function("other", "INT", "A", "B", "INT...")
    )
    assert chosen(fn, *[INTEGER] * 4) == "expected"
    fn = index(
        function("expected", "INT", "A", "INT", "INT..."), function("other", "INT", "B", "INT", "ANY...")
    )
    assert chosen(fn, *[INTEGER] * 4) == "expected"
    fn = index(
        function("expected", "INT", "A", "INT", "C..."), function("other", "INT", "B", "INT", "ANY...")
    )
    assert chosen(fn, *[INTEGER] * 4) == "expected"


def test_should_choose_specific_when_two_variadics_and_specific_match() -> None:
    """shouldChooseSpecificWhenTwoVariadicsAndSpecificMatch"""
    fn = index(
        function("other", "BIGINT", "INT...", "VARCHAR", "DOUBLE"),
        function("expected", "BIGINT", "INT", "VARCHAR", "DOUBLE"),
        function("other", "BIGINT", "INT", "VARCHAR...", "DOUBLE"),
    )
    assert chosen(fn, BIGINT, INTEGER, STRING, DOUBLE) == "expected"


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (
            ("other", "BIGINT", "INT...", "VARCHAR", "DOUBLE"),
            ("expected", "BIGINT", "INT", "VARCHAR...", "DOUBLE"),
        ),
        (("other", "A", "INT...", "VARCHAR", "DOUBLE"), ("expected", "B", "INT", "VARCHAR...", "DOUBLE")),
        (
            ("expected", "BIGINT", "INT", "VARCHAR...", "DOUBLE"),
            ("other", "BIGINT", "INT...", "VARCHAR", "DOUBLE"),
        ),
        (("other", "A", "ANY...", "VARCHAR", "DOUBLE"), ("expected", "B", "INT", "ANY...", "DOUBLE")),
    ],
)
def test_should_choose_later_variadic_when_two_variadics_match(
    first: tuple[str, ...], second: tuple[str, ...]
) -> None:
    """shouldChooseLaterVariadicWhenTwoVariadicsMatch, ...DiffBranches, ...ReversedInsertionOrder,
    shouldChooseLaterVariadicWhenTwoObjVariadicsMatch"""
    fn = index(function(first[0], *first[1:]), function(second[0], *second[1:]))
    assert chosen(fn, BIGINT, INTEGER, STRING, DOUBLE) == "expected"
