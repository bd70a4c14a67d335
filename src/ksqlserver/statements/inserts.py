"""INSERT INTO ... VALUES and the rows of /inserts-stream: values converted to the target's types and
produced to its topic."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from ksqlserver.catalog.casts import java_string
from ksqlserver.catalog.metastore import DataSource, did_you_mean
from ksqlserver.catalog.types import SqlType
from ksqlserver.compile.coercion import ValueCoercionError, coerce_value
from ksqlserver.compile.compiler import Compiler
from ksqlserver.compile.scope import Scope
from ksqlserver.drivers.base import Record
from ksqlserver.errors import CompileError, KsqlStatementError
from ksqlserver.formats.coerce import converter
from ksqlserver.sql import ast
from ksqlserver.sql.printer import sql
from ksqlserver.statements.inserts_api import row_values
from ksqlserver.statements.state import EngineState, Session


def insert_values(state: EngineState, st: ast.InsertValues, session: Session) -> None:
    target = state.metastore.get(st.target)
    if target is None:
        raise KsqlStatementError(
            f"Cannot insert values into an unknown stream/table: `{st.target}`{_did_you_mean(state, st)}",
            st.text,
        )
    names = list(st.columns) or [c.name for c in target.schema.columns]
    if len(names) != len(st.values):
        if st.columns:
            raise KsqlStatementError(
                f"Failed to prepare statement: Expected number columns and values "
                f"to match: {len(names)}, {len(st.values)}",
                st.text,
            )
        raise KsqlStatementError(
            f"Expected a value for each column. Expected Columns: {names}. Got {[sql(v) for v in st.values]}",
            st.text,
        )
    comp = Compiler(Scope([]), state.registry, "VALUES")
    values: dict[str, Any] = {}
    ts = None
    for name, expr in zip(names, st.values, strict=True):
        try:
            code, t = comp.expr(expr)
            v = comp.function(code, "_value")([])
        except CompileError as e:
            message = e.message
            refs = [n for n in ast.walk(expr) if isinstance(n, ast.ColumnRef)]
            if refs and refs[0].source:
                message = (
                    f"Failed to prepare statement: '{refs[0].source}' is not a valid stream/table "
                    f"name or alias."
                )
            raise KsqlStatementError(message, st.text) from None
        if name == "ROWTIME":
            ts = v
            continue
        if name in ("ROWPARTITION", "ROWOFFSET"):
            raise KsqlStatementError(f"Inserting into column `{name}` is not allowed.", st.text)
        col = target.schema.find(name)
        if col is None:
            raise KsqlStatementError(f"Column name {name} does not exist.", st.text)
        try:
            values[name] = coerce_value(v, t, col.type)
        except ValueCoercionError:
            raise KsqlStatementError(
                f"Failed to insert values into '{st.target}'. Expected type {col.type} for field {name} but got "
                f"{t.base if t else 'NULL'}({java_string(t)(v)}){_time_hint(col.type, t)}",
                st.text,
            ) from None
    _produce_row(state, target, values, ts)
    return None


def insert_target(state: EngineState, target_name: str) -> DataSource:
    """The source an /inserts-stream names (an identifier: upper-cased unless back-quoted), as ksqlDB
    checks it before reading any row."""
    name = target_name.strip()
    name = name[1:-1] if len(name) > 1 and name[0] == name[-1] == "`" else name.upper()
    target = state.metastore.get(name)
    if target is None:
        raise KsqlStatementError(
            f"Cannot insert values into an unknown stream/table: `{name}`{did_you_mean(state.metastore, name)}"
        )
    if target.window is not None:
        raise KsqlStatementError("Cannot insert values into windowed stream/table")
    return target


def insert_json_row(state: EngineState, target_name: str, row: Mapping[str, Any]) -> None:
    """One JSON row with lenient conversion and an optional ROWTIME (names case-insensitive): the REST
    conformance runner feeds test inputs this way."""
    target = insert_target(state, target_name)
    upper = {k.upper(): v for k, v in row.items()}
    values = {}
    for c in target.schema.columns:
        v = row.get(c.name, upper.get(c.name.upper()))
        values[c.name] = converter(c.type)(v)
    ts = upper.get("ROWTIME")
    _produce_row(state, target, values, int(ts) if ts is not None else None)


def insert_api_row(state: EngineState, target_name: str, row: Mapping[str, Any]) -> None:
    """One row a client sent to /inserts-stream, read as ksqlDB's API reads it (statements/inserts_api.py):
    strict coercion, key columns required, the record stamped with the current time."""
    target = insert_target(state, target_name)
    _produce_row(state, target, row_values(target, row), None)


def _time_hint(dst: SqlType, src: SqlType | None) -> str:
    """The format hint ksqlDB adds when text does not parse as a time type."""
    if src is None or src.base != "STRING":
        return ""
    return {
        "TIMESTAMP": ". Timestamp format must be yyyy-mm-ddThh:mm:ss[.S]",
        "TIME": ". Time format must be hh:mm:ss[.S]",
        "DATE": ". Date format must be yyyy-mm-dd",
    }.get(dst.base, "")


def _did_you_mean(state: EngineState, st: ast.InsertValues) -> str:
    return did_you_mean(state.metastore, st.target)


def _produce_row(state: EngineState, target: DataSource, values: Mapping[str, Any], ts: int | None) -> None:
    key = [values.get(c.name) for c in target.schema.key]
    val = [values.get(c.name) for c in target.schema.value_only]
    rec = Record(
        target.key_serde.serialize(key) if key else None,
        target.value_serde.serialize(val),
        int(time.time() * 1000) if ts is None else ts,
    )
    state.driver.produce(target.topic, [rec])
