"""Expressions end to end through the Engine on the in-memory driver, against ksqlDB 0.29's rules:
comparisons, IN, BETWEEN, CASE, boolean logic with nulls, constructors and their coercion, subscripts,
DECIMAL arithmetic, CAST, and the errors of each."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.errors import KsqlError

PLANNED = "Could not determine output schema for query due to error: "


def _planning_cause(message: str, sql: str) -> str:
    """The planning error's own text: a CREATE ... AS SELECT that planning refuses is answered with
    SchemaRegisterInjector's prefix before it (the raw unlogged details of its wrapper, which KsqlResource
    returns); no other statement has the prefix."""
    if message.startswith(PLANNED):
        assert re.search(r"\bAS\s+SELECT\b", sql, re.IGNORECASE | re.DOTALL), message
        return message[len(PLANNED) :]
    return message

CREATE = (
    "CREATE STREAM S (ID STRING KEY, I INT, BI BIGINT, DB DOUBLE, DEC DECIMAL(4, 2), STR STRING, BO BOOLEAN, "
    "TS TIMESTAMP, DT DATE, TM TIME, B BYTES, A ARRAY<INT>, M MAP<STRING, INT>, ST STRUCT<X INT, Y STRING>) "
    "WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');"
)
ROW = {
    "I": 1, "BI": 5, "DB": 0.1, "DEC": 1.25, "STR": "yes", "BO": True, "TS": 1_600_000_000_000,
    "DT": 19_000, "TM": 3_605_000, "B": "AQI=", "A": [10, 20, 30], "M": {"a": 1}, "ST": {"X": 1, "Y": "y"},
}  # fmt: skip
NULLS: dict[str, Any] = {}


@pytest.fixture
def engine() -> Iterator[tuple[Engine, MemoryDriver]]:
    d = MemoryDriver()
    d.create_topic("s", partitions=1)
    e = Engine(EngineConfig(service_id="x_", synchronous=True, properties={"auto.offset.reset": "earliest"}), d)
    e.execute(CREATE)
    yield e, d
    e.close()


def select(env: tuple[Engine, MemoryDriver], columns: str, *rows: dict[str, Any]) -> list[dict[str, Any]]:
    e, d = env
    e.execute(f"CREATE STREAM O AS SELECT ID, {columns} FROM S;")
    d.produce("s", [Record(b"k", json.dumps(r).encode(), 1) for r in rows or (ROW,)])
    e.drain()
    return [json.loads(r.value) for r in d.records("O")]


def logged(env: tuple[Engine, MemoryDriver]) -> list[str]:
    _, d = env
    out = []
    for r in d.records("x_ksql_processing_log"):
        err = json.loads(r.value)["message"].get("recordProcessingError")
        if err:
            out.append(" / ".join([err["errorMessage"], *err["cause"]]))
    return out


def error(env: tuple[Engine, MemoryDriver], sql: str) -> str:
    e, _ = env
    with pytest.raises(KsqlError) as err:
        e.execute(sql)
    return _planning_cause(err.value.message, sql)


# --- comparisons -------------------------------------------------------------------------------------


def test_decimal_compares_with_a_double_through_its_text(engine: tuple[Engine, MemoryDriver]) -> None:
    # BigDecimal.valueOf(0.1) is exactly 0.1: a DOUBLE 0.1 equals the DECIMAL literal 0.1
    [out] = select(engine, "DB = 0.1 AS E, DEC > 1.2 AS G, DEC = 1.250 AS Z, I < 1.5 AS L")
    assert out == {"E": True, "G": True, "Z": True, "L": True}


def test_time_types_compare_with_each_other_and_with_text(engine: tuple[Engine, MemoryDriver]) -> None:
    [out] = select(
        engine,
        "TS > '2020-09-13' AS A, TS < '2020-09-13T12:26:41' AS B, DT = '2022-01-08' AS C, "
        "DT < TS AS D, TM > '01:00' AS E, TM < '01:00:05.001' AS F, TS = '2020-09-13T14:26:40+0200' AS G",
    )
    assert out == {"A": True, "B": True, "C": True, "D": False, "E": True, "F": True, "G": True}


def test_a_null_operand_makes_a_comparison_false_and_is_distinct_from_null_aware(
    engine: tuple[Engine, MemoryDriver],
) -> None:
    [out] = select(
        engine, "I = 1 AS E, I <> 1 AS N, I IS DISTINCT FROM 1 AS D, I IS NOT DISTINCT FROM BI AS ND", NULLS
    )
    assert out == {"E": False, "N": False, "D": True, "ND": True}


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("I = 'a'", "Cannot compare I (INTEGER) to 'a' (STRING) with EQUAL."),
        ("BO > true", "Cannot compare BO (BOOLEAN) to true (BOOLEAN) with GREATER_THAN."),
        ("A < A", "Cannot compare A (ARRAY<INTEGER>) to A (ARRAY<INTEGER>) with LESS_THAN."),
        ("TM = DT", "Cannot compare TM (TIME) to DT (DATE) with EQUAL."),
        ("B = 'AQI='", "Cannot compare B (BYTES) to 'AQI=' (STRING) with EQUAL."),
        (
            "I = NULL",
            "Comparison with NULL not supported: INTEGER = NULL\nUse 'IS NULL' or 'IS NOT NULL' instead.",
        ),
    ],
)
def test_invalid_comparisons_are_rejected(
    engine: tuple[Engine, MemoryDriver], expression: str, message: str
) -> None:
    # ExpressionTypeManager's KsqlStatementException names the comparison; the planning's wrapper (the REST
    # message) carries that detailed message
    got = error(engine, f"CREATE STREAM O AS SELECT ID, {expression} AS X FROM S;")
    assert got == (message if "NULL" in expression else f"{message}\nStatement: ({expression})")


def test_where_type_errors_are_wrapped(engine: tuple[Engine, MemoryDriver]) -> None:
    # FilterTypeValidator's detailed message: the comparison's (which names it), then the filter
    assert error(engine, "CREATE STREAM O AS SELECT * FROM S WHERE I = 'a';") == (
        "Error in WHERE expression: Cannot compare I (INTEGER) to 'a' (STRING) with EQUAL.\n"
        "Statement: (I = 'a')\nStatement: (I = 'a')"
    )
    assert error(engine, "CREATE STREAM O AS SELECT * FROM S WHERE I;") == (
        "Type error in WHERE expression: Should evaluate to boolean but is I (INTEGER) instead.\nStatement: I"
    )


# --- IN, BETWEEN, NOT ---------------------------------------------------------------------------------


def test_in_lists_are_coerced_to_one_type(engine: tuple[Engine, MemoryDriver]) -> None:
    [out] = select(
        engine, "I IN (2, 1.0) AS A, STR IN ('no', true) AS B, BI IN ('5') AS C, BO IN ('y') AS D, DB IN (0.1) AS E"
    )
    assert out == {"A": True, "B": False, "C": True, "D": True, "E": True}


def test_in_list_without_a_common_type_fails_when_code_is_generated(engine: tuple[Engine, MemoryDriver]) -> None:
    assert error(engine, "CREATE STREAM O AS SELECT ID, I IN (STR) AS X FROM S;") == (
        "Invalid Select: operator does not exist: INTEGER = STRING (STR)\n"
        "Hint: You might need to add explicit type casts.."
    )
    assert error(engine, "CREATE STREAM O AS SELECT * FROM S WHERE I IN (1, 'x');") == (
        'Invalid Predicate: invalid input syntax for type INTEGER: "x"..'
    )


def test_negated_predicates_are_not_of_the_whole(engine: tuple[Engine, MemoryDriver]) -> None:
    # ksqlDB parses NOT IN / NOT BETWEEN as NOT (...): a null value is not in the list, so NOT IN is true
    out = select(
        engine, "I NOT IN (1, 2) AS NI, I NOT BETWEEN 0 AND 5 AS NB, I BETWEEN 0 AND 5 AS B", ROW, NULLS
    )
    assert out == [{"NI": False, "NB": False, "B": True}, {"NI": True, "NB": True, "B": False}]


def test_null_booleans_fail_and_or_not_and_case_conditions(engine: tuple[Engine, MemoryDriver]) -> None:
    out = select(
        engine,
        "BO AND I > 0 AS A, I > 5 AND BO AS F, NOT BO AS N, CASE WHEN BO THEN 1 ELSE 0 END AS C",
        {"I": 1},
    )
    # Java unboxes the null BOOLEAN: the column is null and the failure reported; `false AND x` short-cuts
    assert out == [{"A": None, "F": False, "N": None, "C": None}]
    assert len(logged(engine)) == 3


# --- CASE --------------------------------------------------------------------------------------------


def test_case_results_must_have_one_type(engine: tuple[Engine, MemoryDriver]) -> None:
    assert error(engine, "CREATE STREAM O AS SELECT ID, CASE WHEN I > 1 THEN 1 ELSE 2.0 END AS X FROM S;") == (
        "Invalid Case expression. Type for the default clause should be the same as for 'THEN' clauses."
        "\nTHEN type: INTEGER.\nDEFAULT type: DECIMAL(2, 1)."
    )
    assert error(
        engine, "CREATE STREAM O AS SELECT ID, CASE WHEN I > 1 THEN 1 WHEN I > 2 THEN 'a' END AS X FROM S;"
    ) == (
        "Invalid Case expression. Type for all 'THEN' clauses should be the same."
        "\nTHEN expression 'WHEN (I > 2) THEN 'a'' has type: STRING.\nPrevious THEN expression(s) type: INTEGER."
    )
    assert error(engine, "CREATE STREAM O AS SELECT ID, CASE WHEN I THEN 1 END AS X FROM S;") == (
        "WHEN operand type should be boolean.\nType for 'I' is INTEGER"
    )
    assert error(engine, "CREATE STREAM O AS SELECT ID, CASE WHEN I > 1 THEN NULL END AS X FROM S;") == (
        "Invalid Case expression. All case branches have NULL type"
    )


def test_case_null_branches_take_the_other_type(engine: tuple[Engine, MemoryDriver]) -> None:
    [out] = select(engine, "CASE WHEN I > 5 THEN NULL WHEN I = 1 THEN 'one' END AS X")
    assert out == {"X": "one"}


# --- constructors, subscripts, struct fields ------------------------------------------------------------


def test_constructors_coerce_their_elements(engine: tuple[Engine, MemoryDriver]) -> None:
    [out] = select(
        engine,
        "ARRAY[1, 2.5, '3'] AS A1, ARRAY[I, BI] AS A2, ARRAY['a', 1, true] AS A3, "
        "MAP('k' := 1, 'l' := 2.5) AS M1, ARRAY[STRUCT(A := 1), STRUCT(B := 'x')] AS A4",
    )
    assert out == {
        "A1": [1.0, 2.5, 3.0],
        "A2": [1, 5],
        "A3": ["a", "1", "true"],
        "M1": {"k": 1.0, "l": 2.5},
        "A4": [{"A": 1, "B": None}, {"A": None, "B": "x"}],
    }


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        (
            "ARRAY[]",
            "Array constructor cannot be empty. Please supply at least one element "
            "(see https://github.com/confluentinc/ksql/issues/4239).",
        ),
        ("ARRAY[NULL]", "Cannot construct an array with all NULL elements"),
        ("MAP()", "Map constructor cannot be empty."),
        ("MAP(NULL := 1)", "Cannot construct a map with all NULL keys"),
        ("ARRAY[1, 'a']", 'invalid input syntax for type INTEGER: "a".'),
        ("ARRAY[1, true]", "operator does not exist: INTEGER = BOOLEAN (true)\nHint: You might need to add"),
        ("STRUCT(A := 1, A := 2)", "Duplicate field names found in STRUCT: '`A` INTEGER' and '`A` INTEGER'"),
        ("I->X", "Expected STRUCT type, got: INTEGER"),
        ("ST->Z", "Could not find field 'Z' in 'ST'."),
        ("ST[1]", "Subscript expression (ST[1]) do not apply to STRUCT<`X` INTEGER, `Y` STRING>."),
    ],
)
def test_structure_errors(engine: tuple[Engine, MemoryDriver], expression: str, message: str) -> None:
    assert error(engine, f"CREATE STREAM O AS SELECT ID, {expression} AS X FROM S;").startswith(message)


def test_subscripts_are_one_based_and_negative_from_the_end(engine: tuple[Engine, MemoryDriver]) -> None:
    [out] = select(engine, "A[1] AS F, A[-1] AS L, A[0] AS Z, A[4] AS O, M['a'] AS K, M['b'] AS N")
    assert out == {"F": 10, "L": 30, "Z": None, "O": None, "K": 1, "N": None}


# --- arithmetic ---------------------------------------------------------------------------------------


def test_decimal_arithmetic_is_exact_or_fails(engine: tuple[Engine, MemoryDriver]) -> None:
    [out] = select(engine, "DEC + 1.005 AS A, DEC * I AS M, DEC / 4 AS D, DEC / 3 AS R, DEC % 1 AS P")
    assert out == {"A": 2.255, "M": 1.25, "D": 0.3125000000000, "R": None, "P": 0.25}
    # 1.25 / 3 does not terminate: ksqlDB divides without rounding, so the column is null and reported
    assert logged(engine) == [
        "Error computing expression (DEC / 3) for column R with index 3 / Rounding necessary"
    ]


def test_decimal_division_and_remainder_by_zero_are_javas_errors(engine: tuple[Engine, MemoryDriver]) -> None:
    [out] = select(engine, "DEC / 0 AS D, DEC % 0 AS R, (DEC - DEC) % 0 AS U, DB % 0 AS F")
    assert out == {"D": None, "R": None, "U": None, "F": "NaN"}
    # BigDecimal.divide / remainder: "Division by zero", or "Division undefined" for 0 by 0
    assert logged(engine) == [
        "Error computing expression (DEC / 0) for column D with index 0 / Division by zero",
        "Error computing expression (DEC % 0) for column R with index 1 / Division by zero",
        "Error computing expression ((DEC - DEC) % 0) for column U with index 2 / Division undefined",
    ]


def test_like_escape_must_be_one_character(engine: tuple[Engine, MemoryDriver]) -> None:
    [out] = select(engine, "STR LIKE 'y!%' ESCAPE '!' AS A, STR LIKE 'y%' ESCAPE '!' AS B")
    assert out == {"A": False, "B": True}
    # AstBuilder concatenates the Optional location as it is
    assert error(engine, "CREATE STREAM P AS SELECT ID, STR LIKE 'y%' ESCAPE '!!' AS X FROM S;") == (
        "Failed to prepare statement: Optional[Line: 1, Col: 52]: Expected single character escape but got: !!"
    )


def test_integer_arithmetic_wraps_like_java(engine: tuple[Engine, MemoryDriver]) -> None:
    [out] = select(engine, "I + 2147483647 AS W, -I AS N, BI * 4611686018427387904 AS L", {"I": 1, "BI": 4})
    assert out == {"W": -2147483648, "N": -1, "L": 0}


def test_arithmetic_type_errors(engine: tuple[Engine, MemoryDriver]) -> None:
    # (its detailed message names the expression: the planning's wrapper carries it)
    assert error(engine, "CREATE STREAM O AS SELECT ID, STR + 1 AS X FROM S;") == (
        "Error processing expression: (STR + 1). Unsupported arithmetic types. STRING INTEGER\nStatement: (STR + 1)"
    )
    assert error(engine, "CREATE STREAM O AS SELECT ID, I + NULL AS X FROM S;") == (
        "Error processing expression: (I + null). Arithmetic on types INTEGER and null are not supported.\n"
        "Statement: (I + null)"
    )


def test_concat_operator_is_the_concat_function(engine: tuple[Engine, MemoryDriver]) -> None:
    [out] = select(engine, "STR || '!' AS X")
    assert out == {"X": "yes!"}
    assert "Function 'concat' does not accept parameters (STRING, INTEGER)" in error(
        engine, "CREATE STREAM O2 AS SELECT ID, STR || 1 AS X FROM S;"
    )


# --- CAST ---------------------------------------------------------------------------------------------


def test_cast_texts_are_javas(engine: tuple[Engine, MemoryDriver]) -> None:
    [out] = select(
        engine,
        "CAST(A AS STRING) AS A, CAST(M AS STRING) AS M, CAST(ST AS STRING) AS ST, CAST(TM AS STRING) AS TM, "
        "CAST(TS AS STRING) AS TS, CAST(DT AS STRING) AS DT, CAST(DB AS STRING) AS DB, "
        "CAST(ARRAY[TS] AS STRING) AS TSA",
    )
    assert out == {
        "A": "[10, 20, 30]",
        "M": "{a=1}",
        "ST": "Struct{X=1,Y=y}",
        "TM": "01:00:05",
        "TS": "2020-09-13T12:26:40.000",
        "DT": "2022-01-08",
        "DB": "0.1",
        "TSA": "[2020-09-13 12:26:40.0]",
    }


def test_cast_conversions_and_failures(engine: tuple[Engine, MemoryDriver]) -> None:
    [out] = select(
        engine,
        "CAST(DEC AS DECIMAL(3, 1)) AS R, CAST(DB AS DECIMAL(5, 3)) AS D, CAST(STR AS BOOLEAN) AS B, "
        "CAST('12' AS INT) AS I, CAST('1.5' AS INT) AS BAD, CAST(DEC AS DECIMAL(2, 1)) AS OV, "
        "CAST('2020-05-26' AS TIMESTAMP) AS TS, CAST(TS AS DATE) AS DT",
    )
    assert out == {
        "R": 1.3, "D": 0.100, "B": True, "I": 12, "BAD": None, "OV": 1.3, "TS": 1_590_451_200_000, "DT": 18_518,
    }  # fmt: skip
    assert logged(engine) == [
        # SqlToJavaVisitor.visitCast: a CAST is evaluated by evaluateOrReturnNull, which logs its own message
        'Error processing INTEGER / For input string: "1.5"'
    ]


@pytest.mark.parametrize("cast", ["CAST(TS AS BIGINT)", "CAST(B AS STRING)", "CAST(I AS BOOLEAN)"])
def test_casts_ksqldb_has_not_are_rejected(engine: tuple[Engine, MemoryDriver], cast: str) -> None:
    message = error(engine, f"CREATE STREAM O AS SELECT ID, {cast} AS X FROM S;")
    assert message.startswith("Invalid Select: Cast of ") and message.endswith(" is not supported.")


# --- names and clauses ---------------------------------------------------------------------------------


def test_unknown_columns_are_located(engine: tuple[Engine, MemoryDriver]) -> None:
    assert error(engine, "CREATE STREAM O AS SELECT ID, NOPE FROM S;") == (
        "Line: 1, Col: 31: SELECT column 'NOPE' cannot be resolved."
    )
    assert error(engine, "CREATE STREAM O AS SELECT ID, I = 'a' FROM S WHERE NOPE > 1;") == (
        "Line: 1, Col: 52: WHERE column 'NOPE' cannot be resolved."
    )
    assert error(engine, "CREATE STREAM O AS SELECT * FROM S PARTITION BY NOPE;") == (
        "Line: 1, Col: 49: PARTITION BY column 'NOPE' cannot be resolved. 'NOPE' must be a column in the "
        "source schema since PARTITION BY is applied on the input."
    )
