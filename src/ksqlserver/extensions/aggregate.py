"""Plugin UDAFs as the engine's `Aggregator`s: argument widening, declared types enforced, failures reported.

A UDAF class (see `api.udaf`) has ksqlDB's `initialize() / aggregate(value, agg) / merge(a, b) / map(agg)`
and, to aggregate a table, `undo(value, agg)` (ksqlDB's TableUdaf). As in ksqlDB, every value reaches
`aggregate`, nulls included (the built-ins skip nulls themselves; a plugin decides); with several parameters
`value` is a tuple of the arguments. Accumulators are checked against the declared aggregate type and kept
as plain data (int, float, str, bool, Decimal, bytes, list, dict, None) so state stores and changelogs hold
them exactly; `map`'s result is checked against the declared return type. A call that raises (or returns a
value of the wrong type) is reported to the query's processing log: `aggregate` / `undo` / `merge` leave the
accumulator as it was (that record's update is skipped), `map` gives null, `initialize` gives a null
accumulator; the query goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ksqlserver.catalog.types import SqlType
from ksqlserver.drivers.base import Record
from ksqlserver.extensions.api import Declaration
from ksqlserver.functions.aggregates import Aggregator

log = logging.getLogger("ksqlserver.extensions")

Report = Callable[[str, Exception], None]  # (step, error)
_INT_RANGE = {"INTEGER": 2**31, "BIGINT": 2**63, "DATE": 2**31, "TIME": 2**31, "TIMESTAMP": 2**63}
_NO_RECORD = Record(None, None)


@dataclass(frozen=True)
class UdafImpl:
    """What the registry resolves a UDAF call to: the chosen overload and its class instance."""

    declaration: Declaration
    instance: Any


class UdafValueError(TypeError):
    """A plugin returned a value that is not of its declared type."""


def _bad(v: Any, t: SqlType) -> UdafValueError:
    return UdafValueError(f"{v!r} ({type(v).__name__}) is not a {t}")


def normaliser(t: SqlType) -> Callable[[Any], Any]:
    """A function returning `v` as plain data of type `t` (the same object when it already is), raising
    `UdafValueError` for a value of another type. numpy scalars become Python numbers, tuples lists."""
    b = t.base
    if b in _INT_RANGE:
        bound = _INT_RANGE[b]

        def integer(v: Any) -> Any:
            if v is None or (v.__class__ is int and -bound <= v < bound):
                return v
            if isinstance(v, bool) or not hasattr(v, "__index__"):
                raise _bad(v, t)
            i = v.__index__()  # numpy integers
            if not -bound <= i < bound:
                raise _bad(v, t)
            return i

        return integer
    if b == "DOUBLE":

        def double(v: Any) -> Any:
            if v is None or v.__class__ is float:
                return v
            if isinstance(v, (bool, str, bytes)) or not hasattr(v, "__float__"):  # numbers, numpy floats
                raise _bad(v, t)
            return float(v)

        return double
    if b == "DECIMAL":
        from ksqlserver.formats.coerce import fit_decimal

        def decimal(v: Any) -> Any:
            if v is None:
                return v
            if isinstance(v, bool) or not isinstance(v, (Decimal, int)):
                raise _bad(v, t)
            return fit_decimal(Decimal(v), t)

        return decimal
    if b in ("BOOLEAN", "STRING", "BYTES"):
        cls = {"BOOLEAN": bool, "STRING": str, "BYTES": bytes}[b]

        def simple(v: Any) -> Any:
            if v is None or v.__class__ is cls:
                return v
            if cls is bool and hasattr(v, "item") and isinstance(v.item(), bool):
                return v.item()  # numpy bool
            if cls is bytes and isinstance(v, bytearray):
                return bytes(v)
            raise _bad(v, t)

        return simple
    if b == "ARRAY":
        item = normaliser(t.item)  # type: ignore[arg-type]

        def array(v: Any) -> Any:
            if v is None:
                return v
            if not isinstance(v, (list, tuple)):
                raise _bad(v, t)
            out = [item(x) for x in v]
            return v if v.__class__ is list and all(a is b for a, b in zip(out, v, strict=True)) else out

        return array
    if b == "MAP":
        key = normaliser(t.key)  # type: ignore[arg-type]
        val = normaliser(t.item)  # type: ignore[arg-type]

        def mapping(v: Any) -> Any:
            if v is None:
                return v
            if not isinstance(v, dict):
                raise _bad(v, t)
            out = {key(k): val(x) for k, x in v.items()}
            same = v.__class__ is dict and all(out.get(k) is x for k, x in v.items())
            return v if same else out

        return mapping
    if b == "STRUCT":
        fields = [(n, normaliser(ft)) for n, ft in t.fields or ()]
        names = {n for n, _ in fields}

        def struct(v: Any) -> Any:
            if v is None:
                return v
            if not isinstance(v, dict) or not set(v) <= names:
                raise _bad(v, t)
            return {n: f(v.get(n)) for n, f in fields}

        return struct
    raise _bad("value", t)  # declarations only allow the types above


def _converter(src: SqlType | None, dst: SqlType | None) -> Callable[[Any], Any] | None:
    """The implicit widening of one argument (as the compiler converts a UDF argument), None if none."""
    if dst is None or src is None or src == dst:
        return None
    if dst.base == "DOUBLE" and src.base in ("INTEGER", "BIGINT", "DECIMAL"):
        return lambda v: None if v is None else float(v)
    if dst.base == "DECIMAL" and src.base in ("INTEGER", "BIGINT"):
        return lambda v: None if v is None else Decimal(v)
    return None  # INTEGER -> BIGINT and same-family types need no conversion


def _arguments(
    arg_types: Sequence[SqlType | None], targets: Sequence[SqlType | None]
) -> Callable[[Any], Any] | None:
    convs = [_converter(s, d) for s, d in zip(arg_types, targets, strict=True)]
    if not any(convs):
        return None
    if len(convs) == 1:
        return convs[0]
    fs = [c or (lambda v: v) for c in convs]
    return lambda vs: tuple(f(v) for f, v in zip(fs, vs, strict=True))


def plugin_aggregator(
    name: str, impl: UdafImpl, arg_types: Sequence[SqlType | None], targets: Sequence[SqlType | None]
) -> Aggregator:
    """The aggregator of one resolved UDAF call over arguments of `arg_types` (widened to `targets`)."""
    decl, udaf = impl.declaration, impl.instance
    agg_type = decl.aggregate or decl.returns
    acc_of = normaliser(agg_type)
    out_of = normaliser(decl.returns)
    convert = _arguments(arg_types, targets)
    has_undo = callable(getattr(udaf, "undo", None))
    complex_state = agg_type.base in ("ARRAY", "MAP", "STRUCT")

    def make(report: Report) -> Aggregator:
        def init() -> Any:
            try:
                return acc_of(udaf.initialize())
            except Exception as e:
                report("initialize", e)
                return None

        def add(acc: Any, v: Any) -> Any:
            try:
                return acc_of(udaf.aggregate(v if convert is None else convert(v), acc))
            except Exception as e:
                report("aggregate", e)
                return acc

        def undo(acc: Any, v: Any) -> Any:
            try:
                return acc_of(udaf.undo(v if convert is None else convert(v), acc))
            except Exception as e:
                report("undo", e)
                return acc

        def merge(a: Any, b: Any) -> Any:
            try:
                return acc_of(udaf.merge(a, b))
            except Exception as e:
                report("merge", e)
                return a

        def result(acc: Any) -> Any:
            try:
                return out_of(udaf.map(acc))
            except Exception as e:
                report("map", e)
                return None

        def bind(on_error: Callable[..., None]) -> Aggregator:
            def to_log(step: str, e: Exception) -> None:
                message = f"Error computing {name}: its {step} step failed: {e}"
                on_error("recordProcessing", message, _NO_RECORD, e)

            return make(to_log)

        return Aggregator(
            init, add, undo if has_undo else None, result, decl.returns, complex_state, merge, bind
        )

    def unbound(step: str, e: Exception) -> None:  # analysis-time use, before a query binds its log
        log.warning("%s: %s failed: %s", name, step, e)

    return make(unbound)
