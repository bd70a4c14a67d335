"""ksqlDB 0.29's VariadicArgsTest (ksqldb-udf, io.confluent.ksql.function.udaf): VariadicArgs hands a UDAF its
variadic arguments in order, by index, iteration or stream, and may be empty. The built-in UDAF taking them
is TOPK (TopkKudaf: TOPK(sort, other..., k)); its result shows them: each other column becomes field
`col<i>` of a struct after `sort_col`, in argument order, and with none the result is the plain values.
The out-of-range index errors cannot be reached from SQL (the UDAF reads only the arguments it was given)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import Ksql


def _topk(ksql: Ksql, select: str) -> tuple[str, list[dict]]:
    ksql.topic("s")
    ksql.execute("CREATE STREAM S (K STRING KEY, A INT, B STRING, C DOUBLE) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');")
    ksql.execute(f"CREATE TABLE T AS SELECT K, {select} AS T FROM S GROUP BY K;")
    ksql.produce("s", [("k", {"A": a, "B": f"b{a}", "C": a / 2}, 1) for a in (1, 5, 3)])
    return ksql.schema("T"), [json.loads(r.value)["T"] for r in ksql.records("T")]


def test_should_get_all_args_in_order(ksql: Ksql) -> None:
    """shouldGetAllArgsByIndex / shouldGetAllArgsByIteration / shouldGetAllArgsByStream: B then C."""
    schema, values = _topk(ksql, "TOPK(A, B, C, 2)")
    assert schema == "`K` STRING PRIMARY KEY, `T` ARRAY<STRUCT<`sort_col` INTEGER, `col0` STRING, `col1` DOUBLE>>"
    assert values[-1] == [{"sort_col": 5, "col0": "b5", "col1": 2.5}, {"sort_col": 3, "col0": "b3", "col1": 1.5}]


def test_should_create_empty_var_args(ksql: Ksql) -> None:
    """shouldCreateEmptyVarArgs: no other column, the top values themselves."""
    schema, values = _topk(ksql, "TOPK(A, 2)")
    assert schema == "`K` STRING PRIMARY KEY, `T` ARRAY<INTEGER>"
    assert values == [[1], [5, 1], [5, 3]]
