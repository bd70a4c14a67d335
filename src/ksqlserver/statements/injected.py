"""The text ksqlDB keeps for a CREATE STREAM/TABLE: the statement as its injectors leave it.

ksqlDB runs every CREATE STREAM/TABLE through its injector chain (Injectors.DEFAULT) and keeps the result,
re-formatted by SqlFormatter, as the statement: the REST response's statementText (DistributingExecutor
answers with the injected statement), the command topic, and the source's statement (DESCRIBE EXTENDED).
DefaultFormatInjector adds KEY_FORMAT and VALUE_FORMAT unless both are given (FORMAT gives both),
DefaultSchemaInjector puts the inferred columns in place, TopicCreateInjector adds the CLEANUP_POLICY the
kind of source implies."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ksqlserver.catalog.properties import Properties
from ksqlserver.catalog.sources import upper_props
from ksqlserver.catalog.types import VALUE, LogicalSchema, SqlType
from ksqlserver.sql import ast, formatter


def sql_type(t: SqlType) -> str:
    """SqlType.toString with FormatOptions.of(IdentifierUtil::needsQuotes), as SqlFormatter prints a
    column's type."""
    if t.base == "DECIMAL":
        return f"DECIMAL({t.precision}, {t.scale})"
    if t.base == "ARRAY":
        assert t.item is not None
        return f"ARRAY<{sql_type(t.item)}>"
    if t.base == "MAP":
        assert t.key is not None and t.item is not None
        return f"MAP<{sql_type(t.key)}, {sql_type(t.item)}>"
    if t.base == "STRUCT":
        if not t.fields:
            return "STRUCT< >"
        return "STRUCT<" + ", ".join(f"{formatter.escape(n)} {sql_type(f)}" for n, f in t.fields) + ">"
    return t.base


def injected_properties(with_props: Mapping[str, Any], props: Properties) -> dict[str, Any]:
    """The WITH clause after DefaultFormatInjector.injectForCreateStatement: the formats it lacks, a named
    one upper-cased as FormatInfo keeps it, a default one as configured."""
    w = upper_props(with_props)
    key, value = w.get("FORMAT") or w.get("KEY_FORMAT"), w.get("FORMAT") or w.get("VALUE_FORMAT")
    if key is None or value is None:
        w["KEY_FORMAT"] = str(key).upper() if key is not None else _default(props, "key", "KAFKA")
        w["VALUE_FORMAT"] = str(value).upper() if value is not None else _default(props, "value", "")
    return w


def _default(props: Properties, part: str, fallback: str) -> str:
    return str(props.get(f"ksql.persistence.default.format.{part}") or fallback)


def create_source_text(
    st: ast.CreateSource,
    declared: LogicalSchema,
    schema: LogicalSchema,
    with_props: Mapping[str, Any],
    props: Properties,
    *,
    missing_topic: bool = False,
    topic_injector: bool = True,
) -> str:
    """The statement ksqlDB keeps for `st`; `schema` is `declared` after schema inference and `with_props`
    the WITH clause inference left (the schema full names it adds). TopicCreateInjector.injectForCreateSource
    then adds the CLEANUP_POLICY (compact for a table, delete for a stream), or, when the topic is missing and
    no PARTITIONS given, words its example with PARTITIONS=2 (`missing_topic`). Without that injector
    (`topic_injector` False, as ksqlDB's test harness runs) there is no CLEANUP_POLICY."""
    if schema is declared:  # no inference: the elements as written
        columns = [formatter.column_def(c) for c in st.columns]
    else:
        # DefaultSchemaInjector.buildElements: the header columns, then the key columns, then the values
        constraint = " PRIMARY KEY" if st.kind == "TABLE" else " KEY"
        columns = [formatter.column_def(c) for c in st.columns if c.constraint in ("HEADERS", "HEADER")]
        columns += [f"{formatter.escape(c.name)} {sql_type(c.type)}{constraint}" for c in schema.key]
        columns += [
            f"{formatter.escape(c.name)} {sql_type(c.type)}" for c in schema.columns if c.namespace == VALUE
        ]
    w = injected_properties(with_props, props)
    if missing_topic:
        w["PARTITIONS"] = 2
    elif topic_injector:
        w["CLEANUP_POLICY"] = "compact" if st.kind == "TABLE" else "delete"
    return formatter.create_source(st, columns, w)
