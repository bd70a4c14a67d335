"""ksqlDB 0.29 LambdaUtilTest (ksqldb-execution, codegen/helpers) and FunctionArgumentsUtilTest
(ksqldb-execution, util), with built-in lambda functions instead of the tests' mocks: a one-argument lambda
(LambdaUtil's Function: TRANSFORM over an array), two (BiFunction: REDUCE over an array, TRANSFORM over a
map) and three (TriFunction: REDUCE over a map); FunctionArgumentsUtil resolves each lambda's argument
types from the function's generics (x is the array's element type, s the initial state's, k and v the
map's) and the call's return type from the lambda's result. NullSafeTest and SqlTypeCodeGenTest check
generated Java source, which has no counterpart here."""

from __future__ import annotations

import pytest

from .conftest import Exec

ROW = {"A": [1, 2, 3], "M": {"a": 1.5, "bb": 2.0}}
COLUMNS = "A ARRAY<BIGINT>, M MAP<STRING, DOUBLE>"


@pytest.mark.parametrize(
    ("name", "expr", "value", "sql_type"),
    [
        ("shouldGenerateFunctionCode", "TRANSFORM(A, x => x + 1)", [2, 3, 4], "ARRAY<BIGINT>"),
        ("shouldGenerateBiFunction", "REDUCE(A, CAST(2 AS BIGINT), (fred, bob) => fred + bob)", 8, "BIGINT"),
        (
            "shouldGenerateBiFunction (two lambdas)",
            "TRANSFORM(M, (k, v) => UCASE(k), (k, v) => v * 2)",
            {"A": 3.0, "BB": 4.0},
            "MAP<STRING, DOUBLE>",
        ),
        ("shouldGenerateTriFunction", "REDUCE(M, 0.5E0, (s, k, v) => s + v + LEN(k))", 7.0, "DOUBLE"),
        (
            "shouldResolveGenericsInLambdaFunction (the lambda's result types the call)",
            "TRANSFORM(A, x => CAST(x AS STRING) + '!')",
            ["1!", "2!", "3!"],
            "ARRAY<STRING>",
        ),
    ],
)
def test_lambdas(ex: Exec, name: str, expr: str, value: object, sql_type: str) -> None:
    sel = ex.select(expr, columns=COLUMNS, row=ROW)
    assert (sel.value, sel.type, sel.errors) == (value, sql_type, [])


def test_lambda_argument_types_must_agree(ex: Exec) -> None:
    """FunctionArgumentsUtil maps the lambda's generic state type S once: an INTEGER initial state and a
    BIGINT lambda result cannot both be S."""
    message = ex.refuse("REDUCE(A, 2, (s, x) => s + x)", columns=COLUMNS)
    assert message.endswith(
        "Found invalid instance of generic schema when mapping LAMBDA (S, T) => S to "
        "LAMBDA (INTEGER, BIGINT) => BIGINT. Cannot map S to both INTEGER and BIGINT"
    )
