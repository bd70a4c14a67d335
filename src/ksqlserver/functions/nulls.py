"""Conditional functions (COALESCE, IFNULL, NULLIF) and AS_VALUE; T binds to one exact type."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ksqlserver.functions.registry import FunctionRegistry, V, udf


def coalesce(*args: Any) -> Any:
    for a in args:
        if a is not None:
            return a
    return None


def ifnull(a: Any, b: Any) -> Any:
    return b if a is None else a


def java_equals(a: Any, b: Any) -> bool:
    """Object.equals of ksqlDB's Java values: BigDecimal compares scale too, Double compares bits."""
    if isinstance(a, Decimal) and isinstance(b, Decimal):
        return a == b and a.as_tuple().exponent == b.as_tuple().exponent
    if isinstance(a, float) and isinstance(b, float):
        if a != a or b != b:
            return a != a and b != b
        return a == b and (a != 0 or str(a) == str(b))
    return bool(a == b)


def nullif(a: Any, b: Any) -> Any:
    if a is None:
        return None
    return None if java_equals(a, b) else a


def as_value(v: Any) -> Any:
    return v


def register(r: FunctionRegistry) -> None:
    udf(r, "COALESCE", "CONDITIONAL",
        "Returns first non-null element",
        V(["T first", "T... others"], "T", coalesce, nino=False),
    )
    udf(r, "IFNULL", "CONDITIONAL",
        "Returns expression if NOT NULL, otherwise the alternative value",
        V(["T expression", "T altValue"], "T", ifnull, docs=["expression to evaluate", "Alternative value"], nino=False),
    )
    udf(r, "NULLIF", "CONDITIONAL",
        "Returns NULL if value1 and value2 are equal. Otherwise it returns value1.",
        V(["T expr1", "T expr2"], "T", nullif, docs=["expression 1", "expression 2"], nino=False),
    )
    udf(r, "AS_VALUE", "OTHER",
        "Used exclusively in the projection of a query to allow a keycolumn to be copied into the value "
        "schema. Has no affect if used anywhere else.",
        V(["T keyColumn"], "T", as_value, nino=False),
    )
