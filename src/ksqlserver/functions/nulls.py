"""Null-handling functions: IFNULL, COALESCE, NULLIF."""

from __future__ import annotations

from typing import Any

from ksqlserver.catalog import types as T
from ksqlserver.functions.registry import FunctionRegistry, fn, unified


def coalesce(*args: Any) -> Any:
    for a in args:
        if a is not None:
            return a
    return None


def register(r: FunctionRegistry) -> None:
    fn(
        r,
        "AS_VALUE",
        "Copies a key column into the value.",
        "OTHER",
        (["ANY"], lambda args: args[0] or T.STRING, lambda v: v, "", False),
    )
    fn(
        r,
        "IFNULL",
        "Returns the second argument if the first is null.",
        "NULL",
        (["T", "T"], unified, lambda a, b: b if a is None else a, "", False),
    )
    fn(
        r,
        "COALESCE",
        "Returns the first non-null argument.",
        "NULL",
        (["T", "T", "..."], unified, coalesce, "", False),
    )
    fn(
        r,
        "NULLIF",
        "Returns null if the two arguments are equal, else the first.",
        "NULL",
        (
            ["T", "T"],
            lambda args: args[0] or args[1],
            lambda a, b: None if a is not None and a == b else a,
            "",
            False,
        ),
    )
