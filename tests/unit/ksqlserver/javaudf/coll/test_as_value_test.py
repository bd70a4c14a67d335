"""ksqlDB 0.29 AsValueTest (io.confluent.ksql.function.udf), ported: AsValue.asValue (returns its argument;
T is any type)."""

from __future__ import annotations

import sys
from decimal import Decimal
from typing import Any

import pytest

from ksqlserver.catalog import types as T
from ksqlserver.functions import default_registry


def as_value(t: T.SqlType, v: Any) -> Any:
    return default_registry().require("AS_VALUE").resolve_call([t]).impl(v)


def test_should_handle_primitive_types() -> None:
    assert as_value(T.BOOLEAN, True) is True
    assert as_value(T.INTEGER, -(2**31)) == -(2**31)
    assert as_value(T.BIGINT, 2**63 - 1) == 2**63 - 1
    assert as_value(T.DOUBLE, sys.float_info.max) == sys.float_info.max
    assert as_value(T.STRING, "string") == "string"


@pytest.mark.parametrize("t", [T.BOOLEAN, T.INTEGER, T.BIGINT, T.DOUBLE, T.STRING])
def test_should_handle_null_primitive_types(t: T.SqlType) -> None:
    assert as_value(t, None) is None


def test_through_the_engine(sql: Any) -> None:
    out = sql.select(
        "AS_VALUE(ID)", "AS_VALUE(I)", "AS_VALUE(L)", "AS_VALUE(D)", "AS_VALUE(B)", "AS_VALUE(S)",
        columns="I INT, L BIGINT, D DOUBLE, B BOOLEAN, S STRING",
        row={"I": -(2**31), "L": 2**63 - 1, "D": 1.7976931348623157e308, "B": True, "S": None},
    )
    assert out == ["k", -(2**31), 2**63 - 1, Decimal("1.7976931348623157E+308"), True, None]
    assert sql.types == ["STRING", "INTEGER", "BIGINT", "DOUBLE", "BOOLEAN", "STRING"]
