"""The aggregate-function contract the aggregation operators run.

An `Aggregator` is four closures over a plain-data accumulator (so state stores can keep it): `init()`,
`add(acc, value) -> acc`, `undo(acc, value) -> acc` (None when the function cannot aggregate a table) and
`result(acc)`. `value` is the first argument, or a tuple of the column arguments for multi-column
functions (CORRELATION, TOPK with other columns); literal arguments (TOPK's k) are bound when the
aggregator is built.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ksqlserver.catalog.types import SqlType


@dataclass(frozen=True)
class Aggregator:
    init: Callable[[], Any]
    add: Callable[[Any, Any], Any]
    undo: Callable[[Any, Any], Any] | None
    result: Callable[[Any], Any]
    type: SqlType
    complex_state: bool = False  # the intermediate value is a struct/array/map (not for DELIMITED)
    # combines two accumulators (plugin UDAFs; session windows then merge instead of replaying inputs)
    merge: Callable[[Any, Any], Any] | None = None
    # this aggregator with its failures reported through a query's error handler (plugin UDAFs)
    bind: Callable[[Callable[..., None]], Aggregator] | None = None

    def reporting(self, on_error: Callable[..., None]) -> Aggregator:
        """The aggregator a query runs: plugin UDAFs report failures to its processing log; built-ins as is."""
        return self if self.bind is None else self.bind(on_error)


def replaying(agg: Aggregator) -> Aggregator:
    """`agg` over the list of its inputs, mergeable by concatenation: a built-in beside a plugin UDAF in a
    session window, where every aggregate of the query must merge (results as when inputs are replayed)."""

    def result(inputs: list[Any]) -> Any:
        acc = agg.init()
        for v in inputs:
            acc = agg.add(acc, v)
        return agg.result(acc)

    return Aggregator(
        list, lambda a, v: [*a, v], None, result, agg.type, agg.complex_state, lambda a, b: [*a, *b]
    )
