"""Sources and the Schema Registry: columns inferred from registered schemas (ksqlDB's
DefaultSchemaInjector and SchemaRegistryTopicSchemaSupplier) and the schemas registered for new sources
and sinks (its SchemaRegisterInjector), with ksqlDB's error texts.

- CREATE STREAM/TABLE without value (or key) columns, in a format with schema inference, takes them from
  the latest schema of `<topic>-value` (`-key`), names upper-cased; with VALUE_SCHEMA_ID (KEY_SCHEMA_ID)
  from that schema, names as written, and the schema's name becomes the source's schema full name.
- CREATE with columns registers the schema derived from them unless the subject exists; CREATE ... AS
  SELECT registers its sink's schemas always; with a schema id the registered schema itself is registered
  under the subject and must keep its id.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ksqlserver.catalog.metastore import DataSource
from ksqlserver.catalog.properties import Properties
from ksqlserver.catalog.sources import declared_formats, format_properties, upper_props
from ksqlserver.catalog.types import KEY, VALUE, Column, LogicalSchema, SqlType
from ksqlserver.errors import (
    FormatError,
    KsqlStatementError,
    SchemaAuthorizationError,
    SchemaRegistryError,
    SchemaRegistryNotConfiguredError,
)
from ksqlserver.formats import Format, get_format
from ksqlserver.formats.connect_format import FULL_SCHEMA_NAME, SCHEMA_ID, ConnectFormat, ParsedSchema
from ksqlserver.formats.sr.client import SchemaRegistryClient, subject_name
from ksqlserver.formats.sr.connect import columns_schema, unwrap

SR_URL = "ksql.schema.registry.url"
_DOCS = "https://docs.confluent.io/current/schema-registry/docs"
_NOT_FOUND_HELP = (
    "- Messages on the topic have not been serialized using a Confluent Schema Registry supported "
    "serializer\n\t-> See " + _DOCS + "/serializer-formatter.html\n"
    "- The schema is registered on a different instance of the Schema Registry\n\t-> Use the REST API to "
    "list available subjects\t" + _DOCS + "/api.html#get--subjects\n"
    "- You do not have permissions to access the Schema Registry.\n\t-> See " + _DOCS
    + "/security.html"
)


@dataclass(frozen=True)
class Inferred:
    """Columns taken from a registered schema, the schema id they came from and its name."""

    columns: list[tuple[str, SqlType]]
    schema_id: int
    parsed: ParsedSchema


def _source_msg(topic: str | None, schema_id: int | None) -> str:
    parts = []
    if topic is not None:
        parts.append(f"topic: {topic}")
    if schema_id is not None:
        parts.append(f"schema id: {schema_id}")
    return ", ".join(parts)


def fetch_columns(
    registry: SchemaRegistryClient | None,
    fmt: Format,
    props: Mapping[str, str],
    topic: str | None,
    schema_id: int | None,
    is_key: bool,
    unwrap_single: bool,
) -> Inferred:
    """ksqlDB's SchemaRegistryTopicSchemaSupplier.getSchema, failures as its KsqlException texts."""
    assert isinstance(fmt, ConnectFormat)
    which = "key" if is_key else "value"
    subject = subject_name(topic, is_key) if topic is not None else None
    if registry is None:  # DefaultSchemaRegistryClient's KsqlSchemaRegistryNotConfiguredException, wrapped
        raise SchemaRegistryNotConfiguredError(
            f"Schema registry fetch for topic {which} request failed for {_source_msg(topic, schema_id)}\n"
            f"Caused by: KSQL is not configured to use a schema registry. To enable it, please set {SR_URL}"
        )
    fetched_by_id = schema_id is not None
    try:
        if schema_id is None:
            assert subject is not None
            schema_id = registry.latest(subject).schema_id
        registered = registry.schema_by_id(schema_id)
    except SchemaRegistryError as e:
        if e.not_found:  # 401, 403 and 404 alike (SchemaRegistryTopicSchemaSupplier.notFound)
            raise KsqlStatementError(_not_found(topic, schema_id if fetched_by_id else None, is_key)) from None
        raise KsqlStatementError(
            f"Schema registry fetch for topic {which} request failed for "
            f"{_source_msg(topic, schema_id if fetched_by_id else None)}\nCaused by: {e.message}"
        ) from None
    if registered.schema_type != fmt.registry_type:
        config = "KEY_FORMAT" if is_key else "VALUE_FORMAT"
        raise KsqlStatementError(
            f"{'Key' if is_key else 'Value'} schema is not in the expected format. You may want to set {config} "
            f"to '{registered.schema_type}'.\n{_source_msg(topic, schema_id if fetched_by_id else None)}\n"
            f"expected format: {fmt.registry_type}\nactual format from Schema Registry: {registered.schema_type}"
        )
    try:
        parsed = fmt.parse(registered, registry, dict(props))
        columns = fmt.infer_columns(parsed, is_key, unwrap_single, upper=not fetched_by_id)
    except (FormatError, SchemaRegistryError) as e:
        raise KsqlStatementError(
            f"Unable to verify if the {which} schema for {_source_msg(topic, schema_id if fetched_by_id else None)} "
            f"is compatible with ksqlDB.\nReason: {e.message}\n\nPlease see https://github.com/confluentinc/"
            "ksql/issues/ to see if this particular reason is already known.\nIf not, please log a new issue, "
            f"including this full error message.\nSchema:{registered.schema}"
        ) from None
    if is_key and len(columns) > 1:
        raise KsqlStatementError(
            f"The key schema for {_source_msg(topic, schema_id if fetched_by_id else None)} contains multiple "
            f"columns, which is not supported by ksqlDB at this time.\nSchema:{registered.schema}"
        )
    return Inferred(columns, schema_id, parsed)


def _not_found(topic: str | None, schema_id: int | None, is_key: bool) -> str:
    which = "keys" if is_key else "values"
    id_line = f"Schema Id: {schema_id}\n" if schema_id is not None else ""
    if topic is not None:
        return (
            f"Schema for message {which} on topic '{topic}' does not exist in the Schema Registry.\n"
            f"Subject: {subject_name(topic, is_key)}\n{id_line}Possible causes include:\n"
            f"- The topic itself does not exist\n\t-> Use SHOW TOPICS; to check\n"
            f"- Messages on the topic are not serialized using a format Schema Registry supports\n"
            f"\t-> Use PRINT '{topic}' FROM BEGINNING; to verify\n" + _NOT_FOUND_HELP
        )
    return (
        f"Schema for message {which} on schema id'{schema_id} does not exist in the Schema Registry.\n"
        f"{id_line}Possible causes include:\n- Schema Id {schema_id}\n" + _NOT_FOUND_HELP
    )


def should_infer(fmt: Format, schema_id: Any, has_elements: bool, is_key: bool, is_cas: bool) -> bool:
    """ksqlDB's DefaultSchemaInjector.shouldInferSchema."""
    prefix = "KEY" if is_key else "VALUE"
    if schema_id is not None:
        if not fmt.schema_inference:
            raise KsqlStatementError(
                f"{prefix}_FORMAT should support schema inference when {prefix}_SCHEMA_ID is provided. "
                f"Current format is {fmt.name}."
            )
        if has_elements:
            raise KsqlStatementError(
                f"Table elements and {prefix}_SCHEMA_ID cannot both exist for create statement."
            )
        return True
    return not is_cas and not has_elements and fmt.schema_inference


def check_single_definition(parsed: ParsedSchema, is_key: bool) -> None:
    names = parsed.full_names()
    if len(names) > 1:
        config = "KEY_SCHEMA_FULL_NAME" if is_key else "VALUE_SCHEMA_FULL_NAME"
        listing = "\n".join(f"- {n}" for n in names)
        raise KsqlStatementError(
            f"{'Key' if is_key else 'Value'} schema has multiple schema definitions. \n\n{listing}\n\n"
            f"Please specify a schema full name in the WITH clause using {config}"
        )


def schema_name(parsed: ParsedSchema) -> str | None:
    """ParsedSchema.name() as ksqlDB records it as the source's schema full name."""
    names = parsed.full_names()
    if names:
        return names[0]
    return None


def check_columns(inferred: Inferred, columns: tuple[Column, ...], is_key: bool) -> None:
    """A CREATE ... AS SELECT with a schema id: its columns must be the registered schema's, in order."""
    if not columns:
        return
    ns = KEY if is_key else VALUE
    want = [(n, str(t), ns, i) for i, (n, t) in enumerate(inferred.columns)]
    have = [(c.name, str(c.type), ns, i) for i, c in enumerate(columns)]
    missing = [h for h in have if h not in want]
    if missing:
        def show(cols: list[tuple[str, str, str, int]]) -> str:
            return "[" + ", ".join(f"`{n}` {t}{' KEY' if is_key else ''}" for n, t, _, _ in cols) + "]"

        raise KsqlStatementError(
            f"The following {'key ' if is_key else 'value '}columns are changed, missing or reordered: "
            f"{show(missing)}. Schema from schema registry is {show(want)}"
        )


# --- registering ----------------------------------------------------------------------------------------------


def register_schemas(
    registry: SchemaRegistryClient | None,
    source: DataSource,
    register_if_exists: bool,
    raw: Mapping[bool, Inferred],
) -> None:
    """Register the source's key and value schemas (SchemaRegisterInjector). `raw[is_key]` is the schema
    fetched by id for that part, registered as is."""
    for is_key in (True, False):
        fmt_name = source.key_format if is_key else source.value_format
        fmt = get_format(fmt_name)
        columns = source.schema.key if is_key else source.schema.value_only
        options = source.key_options if is_key else source.value_options
        if not isinstance(fmt, ConnectFormat) or not fmt.uses_registry:
            if is_key in raw:
                prefix = "KEY" if is_key else "VALUE"
                raise KsqlStatementError(
                    f"{prefix}_SCHEMA_ID is provided but format {fmt_name} doesn't support registering in Schema "
                    "Registry"
                )
            continue
        if registry is None:  # SchemaRegisterInjector.canRegister
            raise SchemaRegistryNotConfiguredError(
                f"Cannot create topic '{source.topic}' with format {fmt_name} without configuring '{SR_URL}'"
            )
        subject = subject_name(source.topic, is_key)
        inferred = raw.get(is_key)
        try:
            if inferred is not None:
                schema_id = registry.register(subject, inferred.parsed.registered)
                # SchemaRegisterInjector.registerSchema skips the check on a sandbox (its ids are made up)
                if schema_id != inferred.schema_id and not registry.sandboxed:
                    prefix = "KEY" if is_key else "VALUE"
                    raise KsqlStatementError(
                        f"Schema id registered is {schema_id} which is different from provided {prefix}_SCHEMA_ID "
                        f"{inferred.schema_id}.\nTopic: {source.topic}\nSubject: {subject}\n"
                        f"Schema: {inferred.parsed.registered.schema}"
                    )
                continue
            if not register_if_exists and _subject_exists(registry, subject):
                continue
            props = {k: v for k, v in options.extra.items() if k != SCHEMA_ID}
            inner = unwrap(columns_schema(columns), fmt.unwrapped(columns, options, is_key))
            parsed = fmt.from_connect(inner, props, is_key)
            registry.register(subject, parsed.registered)
        except SchemaRegistryError as e:
            denied = denied_operation(e)
            if denied is not None:
                raise SchemaAuthorizationError(denied, subject) from None
            raise KsqlStatementError(
                f"Could not register schema for topic: Could not register schema for topic: {e.message}"
            ) from None
        except FormatError as e:
            raise KsqlStatementError(f"Could not register schema for topic: {e.message}") from None


# Kafka's AclOperation names (AclOperation.fromString: any other word is UNKNOWN)
_ACL_OPERATIONS = frozenset({
    "ANY", "ALL", "READ", "WRITE", "CREATE", "DELETE", "ALTER", "DESCRIBE", "CLUSTER_ACTION",
    "DESCRIBE_CONFIGS", "ALTER_CONFIGS", "IDEMPOTENT_WRITE", "CREATE_TOKENS", "DESCRIBE_TOKENS",
})


def denied_operation(e: SchemaRegistryError) -> str | None:
    """SchemaRegistryUtil.isAuthErrorCode (HTTP 401/403) and getDeniedOperation ("User is denied operation
    (.*) on .*"): the operation as KsqlSchemaAuthorizationException words it (Write), or None when the
    error is no authorization error or names no known operation."""
    if e.status not in (401, 403):
        return None
    found = re.fullmatch(r"User is denied operation (.*) on .*", e.message)
    if found is None or found.group(1).upper() not in _ACL_OPERATIONS:
        return None
    return found.group(1).lower().capitalize()  # StringUtils.capitalize(operation.toString().toLowerCase())


def _subject_exists(registry: SchemaRegistryClient, subject: str) -> bool:
    """SchemaRegistryUtil.subjectExists: its failures are not the injector's "Could not register" ones
    (getLatestSchema's throwOnAuthError, then "Could not get latest schema for subject")."""
    try:
        return registry.subject_exists(subject)
    except SchemaRegistryError as e:
        denied = denied_operation(e)
        if denied is not None:
            raise SchemaAuthorizationError(denied, subject) from None
        raise KsqlStatementError(f"Could not get latest schema for subject {subject}") from None


def key_value_columns(
    kind: str, key: list[tuple[str, SqlType]] | None, value: list[tuple[str, SqlType]] | None,
    declared: LogicalSchema,
) -> LogicalSchema:
    """The source's schema with inferred key and/or value columns in place of the declared ones (header
    columns kept)."""
    cols: list[Column] = [c for c in declared.columns if c.namespace not in (KEY, VALUE)]
    keys = [Column(n, t, KEY) for n, t in key] if key is not None else list(declared.key)
    values = [Column(n, t, VALUE) for n, t in value] if value is not None else list(declared.value_only)
    return LogicalSchema(tuple(keys + cols + values))  # headers stay before the values, as ksqlDB lists them


def infer_for_create(
    name: str,
    kind: str,
    declared: LogicalSchema,
    with_props: Mapping[str, Any],
    props: Properties,
    registry: SchemaRegistryClient | None,
) -> tuple[LogicalSchema, dict[str, Any], dict[bool, Inferred]]:
    """A CREATE STREAM/TABLE's schema after inference, its WITH clause with the schema names it implies,
    and the schemas fetched by id (to register as they are)."""
    w = upper_props(with_props)
    topic = w.get("KAFKA_TOPIC")
    if topic is None:
        return declared, dict(with_props), {}
    key_name, value_name, _ = declared_formats(w, props)
    kfmt, vfmt = get_format(key_name), get_format(value_name)
    has_key = bool(declared.key)
    has_value = bool(declared.value_only)
    key_id = _schema_id(w, "KEY")
    value_id = _schema_id(w, "VALUE")
    infer_key = should_infer(kfmt, key_id, has_key, True, False)
    infer_value = should_infer(vfmt, value_id, has_value, False, False)
    if not infer_key and not infer_value:
        return declared, dict(with_props), {}
    key_props, value_props = format_properties(w, name, kfmt, vfmt, None)
    raw: dict[bool, Inferred] = {}
    key_cols = value_cols = None
    out = dict(with_props)
    if infer_key:
        unwrap_single = kfmt.supports_unwrapping and kfmt.supports_wrapping
        inferred = fetch_columns(registry, kfmt, key_props, str(topic), key_id, True, unwrap_single)
        key_cols = inferred.columns
        if "KEY_SCHEMA_FULL_NAME" not in w:
            check_single_definition(inferred.parsed, True)
            if key_id is not None and (found := schema_name(inferred.parsed)) is not None:
                out["KEY_SCHEMA_FULL_NAME"] = found
        if key_id is not None:
            raw[True] = inferred
    if infer_value:
        explicit = w.get("WRAP_SINGLE_VALUE")
        unwrap_single = explicit is not None and str(explicit).strip().lower() == "false"
        inferred = fetch_columns(registry, vfmt, value_props, str(topic), value_id, False, unwrap_single)
        value_cols = inferred.columns
        if "VALUE_SCHEMA_FULL_NAME" not in w and "VALUE_AVRO_SCHEMA_FULL_NAME" not in w:
            check_single_definition(inferred.parsed, False)
            if value_id is not None and (found := schema_name(inferred.parsed)) is not None:
                out["VALUE_SCHEMA_FULL_NAME"] = found
        if value_id is not None:
            raw[False] = inferred
    schema = key_value_columns(kind, key_cols, value_cols, declared)
    return schema, out, raw


def infer_for_sink(
    sink: DataSource, with_props: Mapping[str, Any], registry: SchemaRegistryClient | None
) -> tuple[dict[str, Any], dict[bool, Inferred]]:
    """A CREATE ... AS SELECT with KEY_/VALUE_SCHEMA_ID: the registered schemas must have the sink's
    columns; their names become the sink's schema full names."""
    w = upper_props(with_props)
    out = dict(with_props)
    raw: dict[bool, Inferred] = {}
    for is_key, prefix in ((True, "KEY"), (False, "VALUE")):
        schema_id = _schema_id(w, prefix)
        if schema_id is None:
            continue
        fmt = get_format(sink.key_format if is_key else sink.value_format)
        should_infer(fmt, schema_id, False, is_key, True)
        options = sink.key_options if is_key else sink.value_options
        columns = sink.schema.key if is_key else sink.schema.value_only
        unwrap_single = fmt.unwrapped(columns, options, is_key) if isinstance(fmt, ConnectFormat) else False
        inferred = fetch_columns(registry, fmt, options.extra, sink.topic, schema_id, is_key, unwrap_single)
        check_columns(inferred, columns, is_key)
        raw[is_key] = inferred
        if (found := schema_name(inferred.parsed)) is not None:
            out[f"{prefix}_SCHEMA_FULL_NAME"] = found
    return out, raw


def _schema_id(w: Mapping[str, Any], prefix: str) -> int | None:
    value = w.get(f"{prefix}_SCHEMA_ID")
    if value is None:
        return None
    try:
        return int(str(value))
    except ValueError:
        raise KsqlStatementError(
            f"Invalid value {value} for property {prefix}_SCHEMA_ID: Not a number of type INT"
        ) from None


__all__ = [
    "FULL_SCHEMA_NAME",
    "SCHEMA_ID",
    "Inferred",
    "check_columns",
    "check_single_definition",
    "denied_operation",
    "fetch_columns",
    "infer_for_create",
    "infer_for_sink",
    "key_value_columns",
    "register_schemas",
    "schema_name",
    "should_infer",
]
