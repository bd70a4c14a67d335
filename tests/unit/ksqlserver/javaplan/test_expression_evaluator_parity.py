"""Port of ksqlDB 0.29 `io.confluent.ksql.execution.ExpressionEvaluatorParityTest`: the code-generated and
the interpreted evaluators give the same value for the same expression over the same ORDERS row.

The Java test evaluates WHERE expressions directly with CodeGenRunner and InterpretedExpressionFactory. The
same two paths are what a pull query's SELECT runs with `ksql.query.pull.interpreter.enabled` false and
true: each expression here is selected from a source table holding the Java test's row (key ORDERTIME 100)
and its all-null row (key 0), once per setting, and both answers must be the Java expected value (in the
JSON form the REST API sends). The Java test's compile-time messages come from calling the evaluators
without the statement's type check, which a query always runs first; for those, both settings are
asserted to refuse the expression. An "evaluation logger" case is a value the processing log records and
the query answers as NULL. Values are compared as the query hands them to the REST layer (DECIMAL as
Decimal, MAP keys as their SQL values; temporal values and BYTES already as their JSON text)."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from ksqlserver.drivers.base import Record
from ksqlserver.errors import KsqlError

ITEM_INFO = "STRUCT<ITEMID BIGINT, NAME STRING, CATEGORY STRUCT<ID BIGINT, NAME STRING>>"
ORDERS_ROW = {
    "ORDERID": 10, "ITEMID": "item_id_0",
    "ITEMINFO": {"ITEMID": 890, "NAME": "item_name", "CATEGORY": {"ID": 456, "NAME": "cat"}},
    "ORDERUNITS": 20, "ARRAYCOL": [3.5, 5.25], "MAPCOL": {"abc": 6.75, "def": 9.5}, "ADDRESS": None,
    "TIMESTAMPCOL": 1273881610000, "TIMECOL": 7205000, "DATECOL": 10, "BYTESCOL": "ew==",
}  # fmt: skip




@pytest.fixture
def p(make_pull: Callable[..., Any]) -> Any:
    p = make_pull(tables=False)
    p.execute(
        f"CREATE SOURCE TABLE ORDERS (ORDERTIME BIGINT PRIMARY KEY, ORDERID BIGINT, ITEMID STRING, ITEMINFO {ITEM_INFO}, "
        "ORDERUNITS INTEGER, ARRAYCOL ARRAY<DOUBLE>, MAPCOL MAP<STRING, DOUBLE>, ADDRESS STRUCT<STREET STRING>, "
        "TIMESTAMPCOL TIMESTAMP, TIMECOL TIME, DATECOL DATE, BYTESCOL BYTES) "
        "WITH (KAFKA_TOPIC='orders', KEY_FORMAT='JSON', VALUE_FORMAT='JSON', PARTITIONS=1);"
    )
    p.engine.driver.produce("orders", [
        Record(b"100", json.dumps(ORDERS_ROW).encode(), 20000),
        Record(b"0", json.dumps({k: None for k in ORDERS_ROW}).encode(), 20000),
    ])  # fmt: skip
    return p


def _both(p: Any, expression: str, key: int = 100) -> list[Any]:
    """The expression's value with the interpreter and with compiled code (each must answer the same)."""
    values = []
    for interpreted in (True, False):
        rows = p.rows(f"SELECT {expression} AS R FROM ORDERS WHERE ORDERTIME = {key};",
                      {"ksql.query.pull.interpreter.enabled": interpreted})  # fmt: skip
        assert len(rows) == 1, expression
        values.append(rows[0][0])
    return values


def _refused(p: Any, expression: str, key: int = 100) -> None:
    for interpreted in (True, False):
        with pytest.raises(KsqlError):
            p.rows(f"SELECT {expression} AS R FROM ORDERS WHERE ORDERTIME = {key};",
                   {"ksql.query.pull.interpreter.enabled": interpreted})  # fmt: skip


VALUES = [
    # shouldDoComparisons
    ("ORDERID > 9 AND ORDERUNITS < 100", True),
    ("ORDERTIME <= 100 AND ITEMID + '-blah' = 'item_id_0-blah'", True),
    ("ORDERID > 9.5 AND ORDERUNITS < 50.75", True),
    ("ARRAY[0,1] = ARRAY[0,1]", True),
    ("ARRAYCOL = ARRAY[3.5e0, 5.25e0]", True),
    ("ARRAYCOL = ARRAY[3.5e0, 7.25e0]", False),
    ("MAPCOL = MAP('abc' := 6.75e0, 'def' := 9.5e0)", True),
    ("MAPCOL = MAP('abc' := 6.75e0, 'xyz' := 9.5e0)", False),
    ("TIMESTAMPCOL > DATECOL", True),
    ("TIMECOL > '03:00:00'", False),
    ("DATECOL = '1970-01-11'", True),
    ("BYTESCOL = BYTESCOL", True),
    # shouldDereference
    ("ITEMINFO->NAME", "item_name"),
    ("ITEMINFO->CATEGORY->NAME", "cat"),
    ("'a-' + ITEMINFO->CATEGORY->NAME + '-b'", "a-cat-b"),
    # shouldDoUdfs
    ("CONCAT('abc-', 'def')", "abc-def"),
    ("SPLIT('a-b-c', '-')", ["a", "b", "c"]),
    ("TIMESTAMPADD(SECONDS, 1, '2020-01-01')", "2020-01-01T00:00:01.000"),
    # shouldDoArithmetic
    ("1 + 2 + 3 + 4", 10),
    ("'foo' + 'bar' + 'baz'", "foobarbaz"),
    ("ORDERUNITS % 3", 2),
    ("ORDERUNITS + 6", 26),
    ("100 / ORDERUNITS + 6", 11),
    ("1.23E10 * 1E-1", 1.23e9),
    ("1.234567 * 5.678", Decimal("7.009871426")),
    ("3.4 / 2.0 + 199.4", Decimal("201.100000")),
    # shouldDoCaseExpressions
    ("CASE WHEN ORDERUNITS > 15 THEN 'HIGH' WHEN ORDERUNITS > 10 THEN 'LOW' ELSE 'foo' END", "HIGH"),
    ("CASE WHEN ORDERUNITS > 25 THEN 'HIGH' WHEN ORDERUNITS > 10 THEN 'LOW' ELSE 'foo' END", "LOW"),
    ("CASE WHEN ORDERUNITS > 25 THEN 'HIGH' WHEN ORDERUNITS > 20 THEN 'LOW' ELSE 'foo' END", "foo"),
    ("CASE WHEN ORDERUNITS > 25 THEN 'HIGH' WHEN ORDERUNITS > 20 THEN 'LOW' END", None),
    # shouldDoCasts
    ("CAST(1 as DOUBLE)", 1.0),
    ("CAST(1 as BIGINT)", 1),
    ("CAST(1 as DECIMAL(2,1))", Decimal("1.0")),
    ("CAST(1.23E10 as DOUBLE)", 1.23e10),
    ("CAST(1.23E1 as DECIMAL(5,1))", Decimal("12.3")),
    ("CAST(1.23E1 as INTEGER)", 12),
    ("CAST(1.23E1 as BIGINT)", 12),
    ("CAST(2.345 as DOUBLE)", 2.345),
    ("CAST(2.345 as INTEGER)", 2),
    ("CAST(2.345 as BIGINT)", 2),
    ("CAST('123' as INTEGER)", 123),
    ("CAST('123' as BIGINT)", 123),
    ("CAST('123' as DOUBLE)", 123.0),
    ("CAST('123' as DECIMAL(5,1))", Decimal("123.0")),
    ("CAST('true' as BOOLEAN)", True),
    ("TRUE AND CAST('true' as BOOLEAN)", True),
    ("CAST('01:00:00.005' as TIME)", "01:00"),  # ApiJsonMapper: whole seconds
    ("CAST('2002-02-20' as DATE)", "2002-02-20"),
    ("CAST(TIMESTAMPCOL as DATE)", "2010-05-15"),
    ("CAST(TIMESTAMPCOL as TIME)", "00:00:10"),
    ("CAST(BYTESCOL as BYTES)", "ew=="),
    # createComplexTypes
    ("Array[1,2,3]", [1, 2, 3]),
    ("MAP(1 := 'a', 2 := 'b')", {1: "a", 2: "b"}),
    ("STRUCT(A := 123, B := 'abc')", {"A": 123, "B": "abc"}),
    # shouldDoNot
    ("not true", False),
    ("not false", True),
    ("not cast('true' as BOOLEAN)", False),
    ("not ORDERID > 9 AND ORDERUNITS < 100", False),
    ("ORDERID > 9 AND not ORDERUNITS < 100", False),
    ("not (ORDERID > 9 AND ORDERUNITS < 100)", False),
    # shouldDoLambda
    ("filter(Array[1,2,3], x => x > 5)", []),
    ("filter(Array[1,2,3], x => x > 1)", [2, 3]),
    ("filter(Array[Array[1,2,3],Array[4,5,6],Array[7,8,9]], x => array_length(filter(x, y => y % 2 = 0)) > 1)",
     [[4, 5, 6]]),
    ("transform(Array[Array[1,2,3],Array[4,5,6],Array[7,8,9]], x => transform(x, y => y % 2 = 0))",
     [[False, True, False], [True, False, True], [False, True, False]]),
    ("filter(MAP(1 := 'cat', 2 := 'dog', 3 := 'rat'), (x,y) => x > 1 AND instr(y, 'at') > 0)", {3: "rat"}),
    ("transform(MAP(1 := MAP('a' := 'cat', 'b' := 'rat'), 2 := MAP('c' := 'dog', 'd' := 'frog')), (x,y) => x, "
     "(x,y) => transform(y, (a,b) => a + 'z', (a,b) => 'pet ' + b))",
     {1: {"bz": "pet rat", "az": "pet cat"}, 2: {"dz": "pet frog", "cz": "pet dog"}}),
]  # fmt: skip


@pytest.mark.parametrize("expression, expected", VALUES, ids=[e for e, _ in VALUES])
def test_values(p: Any, expression: str, expected: Any) -> None:
    """shouldDoComparisons, shouldDereference, shouldDoUdfs, shouldDoArithmetic, shouldDoCaseExpressions,
    shouldDoCasts, createComplexTypes, shouldDoNot and shouldDoLambda."""
    assert _both(p, expression) == [expected, expected]


def test_null_row(p: Any) -> None:
    """shouldDoComparisons_null and shouldDoCasts_nulls: comparisons and casts of NULL columns; `1 + ORDERID`
    (shouldDoArithmetic_nulls' logger case) is NULL."""
    for expression, expected in (("ORDERID = 1", False), ("ITEMID > 'a'", False), ("cast(ORDERID as int)", None),
                                 ("cast(ITEMID as int)", None), ("1 + ORDERID", None)):  # fmt: skip
        assert _both(p, expression, key=0) == [expected, expected], expression


def test_rounding_necessary_is_null(p: Any) -> None:
    """shouldDoArithmetic: `3.456 / 2.654 + 199.4` fails at evaluation ("Rounding necessary", logged)."""
    assert _both(p, "3.456 / 2.654 + 199.4") == [None, None]


@pytest.mark.parametrize("expression", [
    "ORDERID > ARRAY[0]", "ARRAYCOL = MAPCOL", "TIMESTAMPCOL = TIMECOL", "SPLIT(123, '2')", "1 + 'a'",
    "'a' + null", "MAP(1 := 'cat') + null", "Array[1,2,3] + null", "CAST('123' as ARRAY<INTEGER>)",
    "CAST(TIMECOL as TIMESTAMP)", "CAST(BYTESCOL as STRING)", "Array[1,'a',3]", "MAP(1 := 'a', 'key' := 'b')",
])  # fmt: skip
def test_refused(p: Any, expression: str) -> None:
    """The compile-time error cases of shouldDoComparisons, shouldDoUdfs, shouldDoArithmetic(_nulls),
    shouldDoCasts and createComplexTypes: both settings refuse the expression."""
    _refused(p, expression)
