"""docs/reference/sql/data-types.md and docs/developer-guide/ksqldb-reference/type-coercion.md: the types'
ranges and DECIMAL parameters, the upcasts of INT / BIGINT to DECIMAL, the ARRAY / STRUCT / MAP
constructors and accessors, and the coercion rules of comparisons, INSERT values and expression lists
(ksqlDB 0.29's SqlDecimal, DecimalUtil, ComparisonUtil, CoercionUtil.UserListCoercer, DefaultSqlValueCoercer
and GenericExpressionResolver). Expressions are projected by a CREATE STREAM AS SELECT over one JSON record,
so each assertion is the sink's column type and the value it wrote."""

from __future__ import annotations

import json
from typing import Any

import pytest

from ksqlserver.drivers.base import Record
from ksqlserver.errors import KsqlError

from .conftest import Docs

SOURCE = (
    "CREATE STREAM S1 (K STRING KEY, A INT, B BIGINT, D DOUBLE, DEC DECIMAL(4, 2), STR STRING, BO BOOLEAN, "
    "TS TIMESTAMP, SOME_ARRAY ARRAY<INT>, SOME_MAP MAP<STRING, INT>, SOME_STRUCT STRUCT<ID BIGINT, NAME STRING>, "
    "COL1 INT, COL2 INT, COL3 INT, V1 INT, V2 STRING, K1 STRING, K2 STRING) WITH (KAFKA_TOPIC='s1', FORMAT='JSON');"
)
ROW = {"A": 300, "B": 10, "D": 1.5, "DEC": 12.34, "STR": "x", "BO": True, "TS": 0, "SOME_ARRAY": [1, 2, 3],
       "SOME_MAP": {"cost": 5}, "SOME_STRUCT": {"ID": 7, "NAME": "n"}, "COL1": 1, "COL2": 2, "COL3": -3, "V1": 4,
       "V2": "v", "K1": "a", "K2": "b"}  # fmt: skip


PLANNED = "Could not determine output schema for query due to error: "


class Projector:
    """S1 with ROW in it; `project` runs `CREATE STREAM Qn AS SELECT K, <select> FROM S1 <where>`."""

    def __init__(self, h: Docs) -> None:
        self.h = h
        self.n = 0
        h.ensure_topics("s1")
        h.sql(SOURCE)
        h.driver.produce("s1", [Record(b'"k"', json.dumps(ROW).encode(), 1)])

    def project(self, select: str, where: str = "") -> tuple[list[tuple[str, str]], list[dict[str, Any]]]:
        self.n += 1
        name = f"Q{self.n}"
        self.h.sql(f"CREATE STREAM {name} AS SELECT K, {select} FROM S1 {where};")
        self.h.drain()
        columns = [(c.name, str(c.type)) for c in self.h.source(name).schema.value_only]
        return columns, [json.loads(r.value) for r in self.h.records(name)]

    def error(self, sql: str) -> str:
        """The planning error's own text: a CREATE ... AS SELECT that planning refuses is answered with
        SchemaRegisterInjector's prefix before it (asserted; KsqlResource returns its wrapper's raw details);
        other statements' errors as they are."""
        with pytest.raises(KsqlError) as info:
            self.h.sql(sql)
        if " AS SELECT " not in sql.upper():
            return info.value.message
        assert info.value.message.startswith(PLANNED), info.value.message
        return info.value.message[len(PLANNED) :]


@pytest.fixture
def p(docs: Any) -> Projector:
    return Projector(docs())


# ---- data-types.md ----------------------------------------------------------------------------------------


def test_integer_ranges(p: Projector) -> None:
    """"Storing values outside of the supported range results in an error": 2147483648 is a BIGINT
    literal no INT column takes; past BIGINT the literal does not parse (AstBuilder's
    ParserUtil.parseDecimal/Long message), past DOUBLE neither."""
    p.h.sql("INSERT INTO S1 (K, A, B) VALUES ('k', 2147483647, 9223372036854775807);")
    assert json.loads(p.h.records("s1")[-1].value)["A"] == 2147483647
    assert p.error("INSERT INTO S1 (K, A) VALUES ('k', 2147483648);") == (
        "Failed to insert values into 'S1'. Expected type INTEGER for field `A` but got BIGINT(2147483648)"
    )
    assert p.error("INSERT INTO S1 (K, B) VALUES ('k', 9223372036854775808);") == (
        "Failed to prepare statement: line 1:37: Invalid numeric literal: 9223372036854775808"
    )
    assert p.error("INSERT INTO S1 (K, D) VALUES ('k', 1.7976931348623157E309);") == (
        "Failed to prepare statement: line 1:37: Number overflows DOUBLE: 1.7976931348623157E309"
    )


def test_decimal_parameters(p: Projector) -> None:
    """"Arbitrary precision types": the page says precision > 1 and scale > 0; SqlDecimal.validateParameters
    (the source wins) takes precision >= 1, scale >= 0 and scale <= precision."""
    p.h.sql("CREATE STREAM X1 (A DECIMAL(1, 0)) WITH (KAFKA_TOPIC='s1', FORMAT='JSON');")
    assert p.error("CREATE STREAM X0 (A DECIMAL(0, 0)) WITH (KAFKA_TOPIC='s1', FORMAT='JSON');") == (
        "Failed to prepare statement: DECIMAL precision must be >= 1: DECIMAL(0,0)"
    )
    assert p.error("CREATE STREAM X2 (A DECIMAL(2, 3)) WITH (KAFKA_TOPIC='s1', FORMAT='JSON');") == (
        "Failed to prepare statement: DECIMAL precision must be >= scale: DECIMAL(2,3)"
    )


def test_decimal_upcasts(p: Projector) -> None:
    """INT upcasts to DECIMAL(10, 0) and BIGINT to DECIMAL(19, 0) (DecimalUtil.toSqlDecimal), so INT +
    DECIMAL(4, 2) is DECIMAL(13, 2) and BIGINT + DECIMAL(4, 2) DECIMAL(22, 2); DOUBLE with DECIMAL is
    DOUBLE."""
    assert p.project("A + DEC AS X, B + DEC AS Y, D + DEC AS Z, CAST(A AS DECIMAL(10, 0)) + 1.5 AS W") == (
        [("X", "DECIMAL(13, 2)"), ("Y", "DECIMAL(22, 2)"), ("Z", "DOUBLE"), ("W", "DECIMAL(12, 1)")],
        [{"X": 312.34, "Y": 22.34, "Z": 13.84, "W": 301.5}],
    )


def test_compound_constructors(p: Projector) -> None:
    """The ARRAY, STRUCT and MAP examples: ARRAY[1, 2], STRUCT(f1 := v1, f2 := v2), MAP(k1:=v1, k2:=v1*2)
    (the map's keys are the values of columns K1 and K2)."""
    assert p.project("ARRAY[1, 2] AS X, STRUCT(f1 := v1, f2 := v2) AS Y, MAP(k1:=v1, k2:=v1*2) AS Z") == (
        [("X", "ARRAY<INTEGER>"), ("Y", "STRUCT<`F1` INTEGER, `F2` STRING>"), ("Z", "MAP<STRING, INTEGER>")],
        [{"X": [1, 2], "Y": {"F1": 4, "F2": "v"}, "Z": {"a": 4, "b": 8}}],
    )


def test_as_array_is_gone(p: Projector) -> None:
    """"Starting in version 0.7.1, the built-in AS_ARRAY function ... doesn't work": the legacy query fails,
    its ARRAY-constructor rewrite explodes the cube."""
    assert p.error("CREATE STREAM OUTPUT AS SELECT K, cube_explode(as_array(col1, col2)) VAL1, ABS(col3) VAL2 "
                   "FROM S1;") == "Can't find any functions with the name 'AS_ARRAY'"  # fmt: skip
    columns, rows = p.project("cube_explode(array[col1, col2]) VAL1, ABS(col3) VAL2")
    assert columns == [("VAL1", "ARRAY<INTEGER>"), ("VAL2", "INTEGER")]
    assert rows == [{"VAL1": [None, None], "VAL2": 3}, {"VAL1": [None, 2], "VAL2": 3},
                    {"VAL1": [1, None], "VAL2": 3}, {"VAL1": [1, 2], "VAL2": 3}]  # fmt: skip


def test_accessors(p: Projector) -> None:
    """SOME_ARRAY[1] is the first element (one-indexed; past the end null, -1 the last); SOME_STRUCT->ID
    and SOME_STRUCT->*; SOME_MAP['cost'] "or null"."""
    assert p.project("SOME_ARRAY[1] AS X, SOME_ARRAY[-1] AS Y, SOME_ARRAY[10] AS Z, SOME_STRUCT->ID AS I, "
                     "SOME_MAP['cost'] AS C, SOME_MAP['nope'] AS N") == (
        [("X", "INTEGER"), ("Y", "INTEGER"), ("Z", "INTEGER"), ("I", "BIGINT"), ("C", "INTEGER"), ("N", "INTEGER")],
        [{"X": 1, "Y": 3, "Z": None, "I": 7, "C": 5, "N": None}],
    )  # fmt: skip
    assert p.project("SOME_STRUCT->*") == ([("ID", "BIGINT"), ("NAME", "STRING")], [{"ID": 7, "NAME": "n"}])


@pytest.mark.parametrize("fmt", ["JSON", "AVRO"])
def test_map_keys(p: Projector, fmt: str) -> None:
    """"Currently only STRING keys are supported": JSON and AVRO refuse other map keys (KsqlJsonSerdeFactory,
    AvroUtil)."""
    message = {"JSON": "JSON only supports MAP types with STRING keys", "AVRO": "Avro only supports MAPs with STRING keys"}
    assert p.error(f"CREATE STREAM M (K STRING KEY, A MAP<INT, STRING>) WITH (KAFKA_TOPIC='s1', VALUE_FORMAT='{fmt}');"
                   ).endswith(f"reason: {message[fmt]}")  # fmt: skip


# ---- type-coercion.md ---------------------------------------------------------------------------------------


def test_general_rules_in_comparisons(p: Projector) -> None:
    """"General rules": in WHERE A > B the INT is widened to BIGINT. Comparisons do not apply the literal
    rules (ComparisonUtil: a number compares with numbers only, a BOOLEAN with a BOOLEAN), but a TIMESTAMP
    compares with an ISO-8601 string, one with a zone converted to UTC."""
    assert p.project("A", "WHERE A > B")[1] == [{"A": 300}]
    assert p.project("A", "WHERE TS = '1970-01-01T01:00:00+01:00'")[1] == [{"A": 300}]
    assert p.error("CREATE STREAM E1 AS SELECT K, A FROM S1 WHERE A = '300';") == (
        # FilterTypeValidator's detailed message: the comparison's, which names it, then the filter
        "Error in WHERE expression: Cannot compare A (INTEGER) to '300' (STRING) with EQUAL.\n"
        "Statement: (A = '300')\nStatement: (A = '300')"
    )
    assert p.error("CREATE STREAM E2 AS SELECT K, A FROM S1 WHERE BO = 'y';") == (
        "Error in WHERE expression: Cannot compare BO (BOOLEAN) to 'y' (STRING) with EQUAL.\n"
        "Statement: (BO = 'y')\nStatement: (BO = 'y')"
    )


def test_in_list_common_type(p: Projector) -> None:
    """"Expression lists": A IN [B, 10, '100', '3e2'] - the page's brackets are not SqlBase.g4's IN syntax
    (`IN '(' expression (',' expression)* ')'`: the source wins), so the list is parenthesised; '3e2' is
    coerced to the list's numeric type and matches A = 300."""
    assert p.project("A", "WHERE A IN (B, 10, '100', '3e2')")[1] == [{"A": 300}]
    assert p.project("A", "WHERE A IN (B, 10, '100')")[1] == []
    assert p.error("CREATE STREAM E3 AS SELECT K, A FROM S1 WHERE A IN (1, 'x');") == (
        'Invalid Predicate: invalid input syntax for type INTEGER: "x"..'
    )


def test_expression_lists(p: Projector) -> None:
    """"Expression lists": the first non-null element decides; numbers widen (a numeric string literal
    too), any literal becomes a STRING after a STRING, boolean strings ('no', 'y', 'FAL') become BOOLEAN,
    ISO-8601 strings TIMESTAMP; nested ARRAY / MAP element types widen; STRUCTs merge into the superset of
    their fields (the later struct's fields first, as CoercionUtil.resolveCommonStructType lists them)."""
    got = p.project(
        "ARRAY[1, 2.5] AS A1, ARRAY['a', 1] AS A2, ARRAY[1, '2'] AS A3, ARRAY[A, B] AS A4, ARRAY[NULL, 1] AS A5, "
        "ARRAY[1, 1.5, 1e0] AS A6, ARRAY[A, '3e2'] AS A7, ARRAY[DEC, '123.456'] AS A8, "
        "ARRAY[true, 'no', 'y', 'FAL'] AS A9, ARRAY[TS, '2020-01-01', '2020-01-01T00:00:00+01:00'] AS A10, "
        "ARRAY[ARRAY[1], ARRAY[2.5]] AS A11, ARRAY[MAP('a' := 1), MAP('b' := 2.5)] AS A12, "
        "ARRAY[STRUCT(A := 1), STRUCT(B := 'x')] AS A13"
    )
    assert got == (
        [("A1", "ARRAY<DECIMAL(11, 1)>"), ("A2", "ARRAY<STRING>"), ("A3", "ARRAY<INTEGER>"), ("A4", "ARRAY<BIGINT>"),
         ("A5", "ARRAY<INTEGER>"), ("A6", "ARRAY<DOUBLE>"), ("A7", "ARRAY<DECIMAL(10, 0)>"),
         ("A8", "ARRAY<DECIMAL(6, 3)>"), ("A9", "ARRAY<BOOLEAN>"), ("A10", "ARRAY<TIMESTAMP>"),
         ("A11", "ARRAY<ARRAY<DECIMAL(11, 1)>>"), ("A12", "ARRAY<MAP<STRING, DECIMAL(11, 1)>>"),
         ("A13", "ARRAY<STRUCT<`B` STRING, `A` INTEGER>>")],
        [{"A1": [1.0, 2.5], "A2": ["a", "1"], "A3": [1, 2], "A4": [300, 10], "A5": [None, 1], "A6": [1.0, 1.5, 1.0],
          "A7": [300, 300], "A8": [12.34, 123.456], "A9": [True, False, True, False],
          "A10": [0, 1577836800000, 1577833200000], "A11": [[1.0], [2.5]], "A12": [{"a": 1.0}, {"b": 2.5}],
          "A13": [{"B": None, "A": 1}, {"B": "x", "A": None}]}],
    )  # fmt: skip


def test_expression_list_errors(p: Projector) -> None:
    """A list whose elements have no common type: CoercionUtil's invalidSyntaxException for a string that
    is no number, its coercionFailureException otherwise."""
    assert p.error("CREATE STREAM E4 AS SELECT K, ARRAY[1, 'a'] AS X FROM S1;") == (
        'invalid input syntax for type INTEGER: "a".'
    )
    assert p.error("CREATE STREAM E5 AS SELECT K, ARRAY[1, true] AS X FROM S1;") == (
        "operator does not exist: INTEGER = BOOLEAN (true)\nHint: You might need to add explicit type casts."
    )
    assert p.error("CREATE STREAM E6 AS SELECT K, ARRAY[STRUCT(A := 1), STRUCT(A := 'x')] AS X FROM S1;") == (
        "operator does not exist: STRUCT<`A` INTEGER> = STRUCT<`A` STRING> (STRUCT(A:='x'))\n"
        "Hint: You might need to add explicit type casts."
    )


def test_insert_values_take_strict_coercion(p: Projector) -> None:
    """The literal rules do not reach INSERT VALUES: GenericExpressionResolver coerces with
    DefaultSqlValueCoercer.STRICT (the source wins over the page's "any literal"), which widens numbers and
    parses ISO-8601 strings into TIMESTAMP / TIME / DATE and Base64 into BYTES, but turns no number or
    boolean into a STRING nor a string into a number or BOOLEAN."""
    h = p.h
    h.ensure_topics("c")
    h.sql("CREATE STREAM C (K STRING KEY, B BIGINT, DEC DECIMAL(4, 2), TS TIMESTAMP, TM TIME, DT DATE, BT BYTES) "
          "WITH (KAFKA_TOPIC='c', FORMAT='JSON');")  # fmt: skip
    h.sql("INSERT INTO C VALUES ('k', 5, 12, '2020-01-01T00:00:00+01:00', '10:00:01', '2020-01-02', 'YWJj');")
    assert json.loads(h.records("c")[-1].value) == {"B": 5, "DEC": 12.00, "TS": 1577833200000, "TM": 36001000,
                                                    "DT": 18263, "BT": "YWJj"}  # fmt: skip
    for column, value, got in [("A", "'10'", "STRING(10)"), ("BO", "'yes'", "STRING(yes)"),
                               ("STR", "12", "INTEGER(12)"), ("A", "1.5", "DECIMAL(1.5)")]:  # fmt: skip
        expected = {"A": "INTEGER", "BO": "BOOLEAN", "STR": "STRING"}[column]
        assert p.error(f"INSERT INTO S1 (K, {column}) VALUES ('k', {value});") == (
            f"Failed to insert values into 'S1'. Expected type {expected} for field `{column}` but got {got}"
        )
