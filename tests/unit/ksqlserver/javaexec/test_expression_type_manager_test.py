"""ksqlDB 0.29 ExpressionTypeManagerTest (ksqldb-execution, util): the cases
tests/unit/ksqlserver/analyze/test_ksqldb_analysis_rules.py does not port yet. The Java test's UDFs are
mocks; here real functions with the same parameter shapes stand in, and
FunctionArgumentsUtil.mapLambdaParametersToTypes (which the function index shields from SQL) is called
directly. shouldProcessTimeLiteral / DateLiteral / BytesLiteral have no SQL form (SqlBase.g4 has no such
literals), so they are not ported."""

from __future__ import annotations

import pytest

from ksqlserver.errors import KsqlFunctionError
from ksqlserver.functions.paramtypes import parse
from ksqlserver.functions.registry import lambda_inputs

from .conftest import Exec

COLS = (
    "COL0 BIGINT, COL1 STRING, COL3 DOUBLE, COL4 ARRAY<DOUBLE>, COL5 MAP<STRING, DOUBLE>, COL7 INTEGER, "
    "COL6 STRUCT<NUMBER BIGINT, STREET STRING, CITY STRING, STATE STRING, ZIPCODE BIGINT>, "
    "COL11 BOOLEAN"
)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("ABS(COL3)", "DOUBLE"),  # shouldEvaluateTypeForUDF
        ("LCASE(COL1)", "STRING"),  # shouldEvaluateTypeForStringUDF
        ("ABS(FLOOR(COL3))", "DOUBLE"),  # shouldHandleNestedUdfs
        ("TRANSFORM(COL4, X => X + 5)", "ARRAY<DOUBLE>"),  # shouldEvaluateLambdaInUDFWithArray
        ("TRANSFORM(COL5, (K, V) => K, (K, V) => V + 5)", "MAP<STRING, DOUBLE>"),  # ...LambdaInUDFWithMap
        ("REDUCE(COL5, 0e0, (S, K, V) => S + V)", "DOUBLE"),  # shouldEvaluateAnyNumberOfArgumentLambda
        ("TRANSFORM(COL4, X => CAST(X AS STRING))", "ARRAY<STRING>"),  # shouldEvaluateLambdaArgsToType
        # shouldHandleMultipleLambdasInSameFunctionCallWithDifferentVariableNames
        ("TRANSFORM(COL5, (A, B) => A, (K, V) => V + 5)", "MAP<STRING, DOUBLE>"),
        # shouldHandleNestedLambdas
        ("TRANSFORM(COL4, A => REDUCE(COL4, A, (Q, V) => Q + V))", "ARRAY<DOUBLE>"),
        ("COL6->STREET", "STRING"),  # shouldHandleStructFieldDereference
        ("ARRAY[COL6][1]->STREET", "STRING"),  # shouldEvaluateTypeForStructDereferenceInArray
        ("STRUCT(A := COL4)->A[1]", "DOUBLE"),  # shouldEvaluateTypeForArrayReferenceInStruct
        # shouldGetCorrectSchemaForSearchedCaseWhenStruct
        ("CASE WHEN COL0 = 10 THEN COL6 END", "STRUCT<`NUMBER` BIGINT, `STREET` STRING, `CITY` STRING, "
         "`STATE` STRING, `ZIPCODE` BIGINT>"),
        ("COL0 IN (1, 2)", "BOOLEAN"),  # shouldReturnBooleanForInPredicate
    ],
)  # fmt: skip
def test_types(ex: Exec, expression: str, expected: str) -> None:
    assert ex.select(expression, columns=COLS).type == expected


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        # shouldFailIfComparisonOperandsAreIncompatible (the unlogged message, which the client sees)
        ("COL0 > COL1", "Cannot compare COL0 (BIGINT) to COL1 (STRING) with GREATER_THAN."),
        # shouldFailForComplexTypeComparison
        ("COL5 > COL6", "Cannot compare COL5 (MAP<STRING, DOUBLE>) to COL6 (STRUCT<`NUMBER` BIGINT, "
         "`STREET` STRING, `CITY` STRING, `STATE` STRING, `ZIPCODE` BIGINT>) with GREATER_THAN."),
        # shouldFailIfThereIsInvalidFieldNameInStructCall
        ("COL6->ZIP", "Could not find field 'ZIP' in 'COL6'."),
        # shouldThrowOnMapOfNullValues
        ("MAP('foo' := NULL)", "Cannot construct a map with all NULL values"),
        # shouldFailIfWhenIsNotBoolean
        ("CASE WHEN COL7 THEN 'a' END", "WHEN operand type should be boolean."),
    ],
)  # fmt: skip
def test_refused(ex: Exec, expression: str, message: str) -> None:
    assert ex.refuse(expression, columns=COLS).startswith(message)


def test_lambda_with_mismatched_argument_number() -> None:
    """shouldFailToEvaluateLambdaWithMismatchedArgumentNumber: the message lists the lambda's arguments."""
    with pytest.raises(KsqlFunctionError) as err:
        lambda_inputs(parse("LAMBDA (DOUBLE) => VARCHAR"), ["X", "Y"], {})
    assert "Was expecting 1 arguments but found 2, [X, Y]. Check your lambda statement." in str(err.value)
