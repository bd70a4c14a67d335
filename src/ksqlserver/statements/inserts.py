"""INSERT INTO ... VALUES and the rows of /inserts-stream: values converted to the target's types and
produced to its topic."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping
from typing import Any

from ksqlserver.catalog import types as T
from ksqlserver.catalog.casts import java_string
from ksqlserver.catalog.metastore import DataSource, did_you_mean
from ksqlserver.catalog.types import SqlType, ast_type
from ksqlserver.compile.coercion import ValueCoercionError, coerce_value
from ksqlserver.compile.compiler import Compiler
from ksqlserver.compile.scope import Scope
from ksqlserver.drivers.base import Record
from ksqlserver.errors import CompileError, KsqlBadRequestError, KsqlError, KsqlStatementError, SerdeError
from ksqlserver.formats.coerce import converter
from ksqlserver.formats.connect_format import ConnectSerializationError
from ksqlserver.sql import ast
from ksqlserver.sql.printer import sql
from ksqlserver.statements.inserts_api import identifier_text, row_values
from ksqlserver.statements.state import EngineState, Session
from ksqlserver.statements.topics import READ_ONLY_DEFAULT, is_read_only

_PSEUDO = {"ROWTIME": T.BIGINT, "ROWPARTITION": T.INTEGER, "ROWOFFSET": T.BIGINT}


def _check_target(state: EngineState, st: ast.InsertValues, session: Session) -> DataSource:
    """InsertValuesExecutor's checks of the target, in its order, before any value is looked at.

    getDataSource / validateInsert throw a plain KsqlException (not a KsqlStatementException) outside
    execute's try, so KsqlResource answers with Errors.badRequest: a 40000 generic_error, no statement text."""
    target = state.metastore.get(st.target)
    if target is None:
        raise KsqlBadRequestError(
            f"Cannot insert values into an unknown stream/table: `{st.target}`{_did_you_mean(state, st)}",
            st.text,
        )
    if target.window is not None:
        raise KsqlBadRequestError("Cannot insert values into windowed stream/table!", st.text)
    configured = session.props.get("ksql.readonly.topics", READ_ONLY_DEFAULT)
    if is_read_only(target.topic, state.config.processing_log_topic, configured):
        raise KsqlBadRequestError(f"Cannot insert values into read-only topic: {target.topic}", st.text)
    if target.is_source:
        raise KsqlBadRequestError(
            f"Cannot insert values into read-only {target.kind.lower()}: {target.name}", st.text
        )
    headers = [c.name for c in target.schema.headers]
    named = [n for n in st.columns if n in headers] if st.columns else headers
    if named:
        raise KsqlBadRequestError(f"Cannot insert into HEADER columns: {', '.join(named)}", st.text)
    return target


def insert_values(state: EngineState, st: ast.InsertValues, session: Session) -> None:
    if not st.values:  # InsertValues' constructor checks this first, when the statement is built
        raise KsqlStatementError("Failed to prepare statement: Expected some values for INSERT INTO statement.", st.text)
    if st.columns and len(st.columns) != len(st.values):  # refused when the statement is built
        raise KsqlStatementError(
            f"Failed to prepare statement: Expected number columns and values "
            f"to match: {len(st.columns)}, {len(st.values)}",
            st.text,
        )
    target = _check_target(state, st, session)

    def failed(problem: str) -> KsqlStatementError:
        # GenericRecordFactory's problems, as InsertValuesExecutor reports them
        return KsqlStatementError(f"Failed to insert values into '{st.target}'. {problem}", st.text)

    values, ts = build_record(state, st, target, failed)
    if ts is not None and ts < 0:  # the ProducerRecord InsertValuesExecutor.buildRecord builds refuses it
        raise failed(f"Invalid timestamp: {ts}. Timestamp should always be non-negative or null.")
    key, value = _serialize(target, values, failed)
    state.driver.produce(target.topic, [Record(key, value, int(time.time() * 1000) if ts is None else ts)])
    return None


def _serialize(
    target: DataSource, values: Mapping[str, Any], failed: Callable[[str], KsqlError]
) -> tuple[bytes | None, bytes | None]:
    """InsertValuesExecutor.serializeKey / serializeValue: a key the serde refuses is "Could not serialize
    key" (the cause is only logged); a value is "Could not serialize value" glued to the serializer's
    message, which for the Schema Registry formats is KsqlConnectSerializer's "Error serializing message to
    topic: <topic>. <cause>" and its schema-id hint."""
    try:
        key = _key_bytes(target, values)
    except SerdeError:
        raise failed("Could not serialize key") from None
    try:
        value = target.value_serde.serialize([values.get(c.name) for c in target.schema.value_only])
    except ConnectSerializationError as e:
        raise failed(f"Could not serialize valueError serializing message to topic: {target.topic}. {e.message}") from None
    return key, value


def _key_bytes(target: DataSource, values: Mapping[str, Any]) -> bytes | None:
    key = [values.get(c.name) for c in target.schema.key]
    # a key-less target's key is the empty GenericKey, which an empty-struct key format writes (`{}` in
    # JSON) and the KAFKA and NONE formats' void serde writes as null (InsertValuesExecutor.serializeKey)
    return target.key_serde.serialize(key) if key or target.empty_key else None


def build_record(
    state: EngineState, st: ast.InsertValues, target: DataSource, failed: Callable[[str], KsqlError]
) -> tuple[dict[str, Any], int | None]:
    """GenericRecordFactory.build: the columns' values converted to the target's types, and the ROWTIME
    given (None: the current time); `failed` words its problems (InsertValuesExecutor prefixes them, the
    testing tool's asserts do not)."""
    names = list(st.columns) or [c.name for c in target.schema.key + target.schema.value_only]
    if len(names) != len(st.values):  # ksqlDB prints the (empty) list of columns the statement named
        raise failed(
            f"Expected a value for each column. Expected Columns: []. Got [{', '.join(sql(v) for v in st.values)}]"
        )
    for name in names:
        if target.schema.find(name) is None and name not in _PSEUDO:
            raise failed(f"Column name `{name}` does not exist.")
        if name in ("ROWPARTITION", "ROWOFFSET"):
            raise failed(f"Inserting into column `{name}` is not allowed.")
    comp = Compiler(Scope([]), state.registry, "VALUES")
    values: dict[str, Any] = {}
    for name, expr in zip(names, st.values, strict=True):
        refs = [n for n in ast.walk(expr) if isinstance(n, ast.ColumnRef)]
        if refs and refs[0].source:
            raise KsqlStatementError(
                f"Failed to prepare statement: '{refs[0].source}' is not a valid stream/table name or alias.",
                st.text,
            )
        if refs:  # GenericExpressionResolver accepts no column reference
            raise failed(f"Unsupported column reference in insert value: {sql(expr)}")
        try:
            code, t = comp.expr(expr)
            fn = comp.function(code, "_value")
        except KsqlError as e:  # every problem of the code generator is an "Invalid insert value"
            codegen = isinstance(e, CompileError) and e.codegen
            raise failed(e.message if codegen else f"Invalid insert value: {_logged(e.message)}.") from None
        try:
            v = fn([])
        except Exception:  # evaluated with a logger that throws: the message is the evaluation's, empty
            raise failed("") from None
        if comp._failures:  # a nested CAST / call that failed: its "Error processing ..." ends the insert
            raise failed(f"Error processing {ast_type(expr.type)}" if isinstance(expr, ast.Cast) else "")
        col = target.schema.find(name)
        col_type = col.type if col is not None else _PSEUDO[name]
        try:
            values[name] = coerce_value(v, t, col_type)
        except ValueCoercionError:
            raise failed(
                # ColumnName.toString back-quotes the name (FormatOptions.none escapes every identifier)
                f"Expected type {col_type} for field `{name}` but got "
                f"{t.base if t else 'NULL'}({java_string(t)(v)}){_time_hint(col_type, t)}"
            ) from None
    if target.is_table:
        missing = [c.name for c in target.schema.key if c.name not in values]
        if missing:
            raise failed(f"Value for primary key column(s) {', '.join(missing)} is required for tables")
    if "ROWTIME" in values and values["ROWTIME"] is None:
        # `(long) values.getOrDefault(ROWTIME, now)` unboxes the null the statement gave (JDK 17's text)
        raise failed(ROWTIME_NULL)
    ts = values.pop("ROWTIME", None)
    return values, ts


ROWTIME_NULL = (
    'Cannot invoke "java.lang.Long.longValue()" because the return value of '
    '"java.util.Map.getOrDefault(Object, Object)" is null'
)


_COMPARE = re.compile(r"Cannot compare .* \((.+)\) to .* \((.+)\) with (\w+)\.", re.S)


def _logged(message: str) -> str:
    """The text the code generator takes from a statement exception: its short form, without the
    expression (KsqlStatementException.getMessage, not the detailed one a statement error shows)."""
    if message.startswith("Error processing expression: "):
        return "Error processing expression."
    m = _COMPARE.fullmatch(message)
    return f"Cannot compare {m[1]} to {m[2]} with {m[3]}." if m else message


def insert_target(state: EngineState, target_name: str) -> DataSource:
    """The source an /inserts-stream names (an identifier: upper-cased unless back-quoted), as ksqlDB
    checks it before reading any row."""
    # InsertsStreamEndpoint: Identifiers.getIdentifierText, so back-quotes and double quotes keep the case
    try:
        name = identifier_text(target_name.strip())
    except ValueError as e:
        raise KsqlStatementError(f"Invalid target name: {e}") from None
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
    produce_row(state, target, values, int(ts) if ts is not None else None)


def insert_api_row(state: EngineState, target_name: str, row: Mapping[str, Any]) -> None:
    """One row a client sent to /inserts-stream, read as ksqlDB's API reads it (statements/inserts_api.py):
    strict coercion, key columns required, the record stamped with the current time."""
    target = insert_target(state, target_name)
    produce_row(state, target, row_values(target, row), None)


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


def produce_row(state: EngineState, target: DataSource, values: Mapping[str, Any], ts: int | None) -> None:
    """One row serialised with the target's serdes and written to its topic (stamped now when `ts` is None)."""
    val = [values.get(c.name) for c in target.schema.value_only]
    rec = Record(_key_bytes(target, values), target.value_serde.serialize(val), int(time.time() * 1000) if ts is None else ts)
    state.driver.produce(target.topic, [rec])
