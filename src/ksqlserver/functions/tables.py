"""Built-in table functions: EXPLODE and CUBE_EXPLODE (one output row per element of the list a call
returns; a null argument gives no rows)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ksqlserver.catalog.types import SqlType
from ksqlserver.functions.paramtypes import Arg
from ksqlserver.functions.registry import FunctionRegistry, V, udf


def explode(items: list[Any] | None) -> list[Any]:
    return [] if items is None else list(items)


def cube(columns: list[Any] | None) -> list[list[Any]]:
    """Every combination of the columns and nulls; a null column gives no duplicate combinations."""
    if columns is None:
        return []
    n = len(columns)
    present = 0
    for i, c in enumerate(columns):
        if c is not None:
            present |= 1 << (n - 1 - i)
    out = []
    for mask in range(1 << n):
        if mask & present != mask:
            continue
        out.append([columns[i] if mask & (1 << (n - 1 - i)) else None for i in range(n)])
    return out


def _item(args: Sequence[Arg]) -> SqlType:
    t = args[0]
    if not isinstance(t, SqlType) or t.base != "ARRAY" or t.item is None:
        raise ValueError("explode should be provided with an ARRAY")
    return t.item


def register(r: FunctionRegistry) -> None:
    udf(r, "CUBE_EXPLODE", "TABLE",
        "Takes as argument a list of columns and outputs all possible combinations of them. It produces "
        "2^d new rows where d is the number of columns given as parameter. Duplicate entries for columns "
        "with null value are skipped.",
        V(["ARRAY<T> columns"], "ARRAY<T>", cube, nino=False),
        java_name="cube_explode",
    )
    udf(r, "EXPLODE", "TABLE",
        "Explodes an array. This function outputs one value for each element of the array.",
        V(["ARRAY<T> list"], "T", explode, nino=False),
        V(["ARRAY<DECIMAL> input"], _item, explode, declared="DECIMAL", nino=False),
        java_name="explode",
    )
    for name in ("CUBE_EXPLODE", "EXPLODE"):
        r.require(name).kind = "TABLE"
