"""Building sources from WITH clauses: topic, formats, serde options, and ksqlDB's validation messages."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from ksqlserver.catalog.metastore import DataSource, WindowInfo
from ksqlserver.catalog.properties import Properties
from ksqlserver.catalog.types import HEADER, KEY, VALUE, Column, LogicalSchema, SqlType, ast_type, primitive
from ksqlserver.errors import FormatError, KsqlStatementError, SchemaNotSupportedError
from ksqlserver.formats import Format, SerdeOptions, get_format, parse_delimiter
from ksqlserver.formats.connect_format import FULL_SCHEMA_NAME, SCHEMA_ID
from ksqlserver.formats.javatext import java_decimal, py_java_double
from ksqlserver.sql import ast

KNOWN_PROPS = {
    "KAFKA_TOPIC",
    "VALUE_FORMAT",
    "KEY_FORMAT",
    "FORMAT",
    "PARTITIONS",
    "REPLICAS",
    "TIMESTAMP",
    "TIMESTAMP_FORMAT",
    "VALUE_DELIMITER",
    "KEY_DELIMITER",
    "WRAP_SINGLE_VALUE",
    "WINDOW_TYPE",
    "WINDOW_SIZE",
    "KEY_SCHEMA_ID",
    "VALUE_SCHEMA_ID",
    "KEY_SCHEMA_FULL_NAME",
    "VALUE_SCHEMA_FULL_NAME",
    "VALUE_AVRO_SCHEMA_FULL_NAME",
    "KEY_PROTOBUF_NULLABLE_REPRESENTATION",
    "VALUE_PROTOBUF_NULLABLE_REPRESENTATION",
    "RETENTION_MS",
    "CLEANUP_POLICY",
    "SOURCE_CONNECTOR",
    "SOURCED_BY_CONNECTOR",
}
# CreateConfigs' own properties, which CreateAsConfigs lacks
CREATE_ONLY_PROPS = frozenset({"WINDOW_TYPE", "WINDOW_SIZE", "SOURCE_CONNECTOR", "SOURCED_BY_CONNECTOR"})
# DefaultKsqlParser.prepare's wording of an error AstBuilder meets building the WITH clause's properties
# (CreateSourceProperties, CreateSourceAsProperties, InsertIntoProperties)
PREPARE = "Failed to prepare statement: "
JSON_SR_CONVERTER = "ksql.json_sr.converter.deserializer.enabled"
REL_HELP = (
    "\nTables have PRIMARY KEYs, which are unique and NON NULL.\nStreams have KEYs, which have no "
    "uniqueness or NON NULL constraints."
)


def upper_props(props: Mapping[str, Any]) -> dict[str, Any]:
    return {k.upper(): v for k, v in props.items()}


_HEADERS_TYPE = "ARRAY<STRUCT<`KEY` STRING, `VALUE` BYTES>>"


def check_table_elements(columns: Sequence[ast.ColumnDef]) -> None:
    """What ksqlDB refuses when it builds a CREATE statement, before it looks at the catalog or the topic:
    HEADERS / HEADER('k') columns of the wrong type (each column as it is built), then repeated names."""
    for c in columns:
        if c.constraint not in ("HEADERS", "HEADER"):
            continue
        t = ast_type(c.type)
        if c.constraint == "HEADER" and t.base != "BYTES":
            problem = f"Invalid type for HEADER('{c.header_key}') column: expected BYTES, got {t}"
        elif c.constraint == "HEADERS" and str(t) != _HEADERS_TYPE:
            problem = f"Invalid type for HEADERS column: expected {_HEADERS_TYPE}, got {t}"
        else:
            continue
        raise KsqlStatementError(f"Failed to prepare statement: {problem}")
    names = [c.name for c in columns]
    duplicates = [n for n in dict.fromkeys(names) if names.count(n) > 1]
    if duplicates:
        listed = ", ".join(f"`{n}`" for n in duplicates)
        raise KsqlStatementError(f"Failed to prepare statement: Duplicate column names: {listed}")


def check_key_constraints(kind: str, columns: Sequence[ast.ColumnDef]) -> None:
    """CreateStream.throwOnPrimaryKeys / CreateTable.throwOnNonPrimaryKeys, as the statement node is built
    (after its elements and properties): the first wrongly named key column, located by its NodeLocation.
    The REST answer gives the full message and, as the statement text, the column's name."""
    wrong, right = ("PRIMARY KEY", "KEY") if kind == "STREAM" else ("KEY", "PRIMARY KEY")
    for c in columns:
        if c.constraint == wrong:
            where = f"Line: {c.line}, Col: {c.column}: " if c.line else ""
            raise KsqlStatementError(
                f"{where}Column `{c.name}` is a '{wrong}' column: please use '{right}' for {kind.lower()}s."
                + REL_HELP,
                c.name,
            )


def schema_from_columns(kind: str, columns: Sequence[ast.ColumnDef]) -> LogicalSchema:
    cols: list[Column] = []
    seen: set[str] = set()
    for c in columns:
        if c.name in seen:
            raise KsqlStatementError(f"Duplicate column names:\n\t{c.name}")
        seen.add(c.name)
        if c.name in ("ROWTIME", "ROWPARTITION", "ROWOFFSET", "WINDOWSTART", "WINDOWEND"):
            raise KsqlStatementError(
                f"'{c.name}' is a reserved column name. You cannot use it as a name for a column."
            )
        t = ast_type(c.type)
        ns = KEY if c.is_key else HEADER if c.constraint in ("HEADERS", "HEADER") else VALUE
        cols.append(Column(c.name, t, ns, c.header_key))
    _check_header_columns(cols)
    keys = [c for c in cols if c.namespace == KEY]
    laid_out = tuple(keys + [c for c in cols if c.namespace != KEY])
    order = tuple(c.name for c in cols)
    return LogicalSchema(laid_out, order if order != tuple(c.name for c in laid_out) else ())


def _check_header_columns(cols: Sequence[Column]) -> None:
    """LogicalSchema.Builder.addColumn (TableElements.toLogicalSchema, after CreateSourceFactory's
    reserved-name check): nothing may follow a HEADERS column, and no header key may repeat."""
    keys: set[str | None] = set()
    for c in cols:
        if c.namespace != HEADER:
            continue
        if None in keys:
            raise KsqlStatementError("Schema already contains a HEADERS column.")
        if c.header_key is not None and c.header_key in keys:
            raise KsqlStatementError(f"Schema already contains a HEADER('{c.header_key}') column.")
        keys.add(c.header_key)


def check_key_types(schema: LogicalSchema) -> None:
    for c in schema.key:
        if c.type.contains("MAP"):
            # GenericKeySerDe refuses it as the key serde is built: for a CREATE ... AS SELECT that is when
            # the query runs, after planning (no 'Could not determine output schema' prefix)
            raise SchemaNotSupportedError(
                "Map keys, including types that contain maps, are not supported as they may lead to "
                "unexpected "
                f"behavior due to inconsistent serialization. Key column name: `{c.name}`. Column type: "
                f"{c.type}. See https://github.com/confluentinc/ksql/issues/6621 for more."
            )


def _bool(v: Any) -> bool:
    return v if isinstance(v, bool) else str(v).strip().lower() == "true"


def declared_formats(
    w: Mapping[str, Any], props: Properties, parent: DataSource | None = None
) -> tuple[str, str, Any]:
    """(key format, value format, the explicit key format if any) of a WITH clause (upper-cased keys).

    A CREATE STREAM/TABLE that names no key format takes `ksql.persistence.default.format.key`, key
    columns or not (DefaultFormatInjector.injectForCreateStatement); a CREATE ... AS SELECT takes its
    source's (Analyzer.formatName). `build_source` makes the sink's exceptions (PARTITION BY NULL, an
    inherited NONE with key columns)."""
    value_format = w.get("VALUE_FORMAT") or w.get("FORMAT")
    if value_format is None:
        value_format = parent.value_format if parent else props.get("ksql.persistence.default.format.value")
        if not value_format:
            raise KsqlStatementError(
                "Statement is missing the 'VALUE_FORMAT' property from the WITH clause. "
                "Either provide one or "
                "set a default via the 'ksql.persistence.default.format.value' config."
            )
    explicit_key = w.get("KEY_FORMAT") or w.get("FORMAT")
    key_format = explicit_key or (parent.key_format if parent else default_key_format(props))
    return str(key_format).upper(), str(value_format).upper(), explicit_key


def default_key_format(props: Properties) -> str:
    """`ksql.persistence.default.format.key` (KAFKA unless set)."""
    return str(props.get("ksql.persistence.default.format.key") or "KAFKA").upper()


def sink_key_format(
    key_format: str, explicit_key: Any, schema: LogicalSchema, props: Properties, partition_by_null: bool
) -> str:
    """A CREATE ... AS SELECT sink's key format from the one it inherits or names: PARTITION BY NULL makes
    it NONE and refuses any other named one (Analyzer.keyFormatName); an inherited NONE takes the default
    key format when the result has key columns (LogicalPlanner.getSinkKeyFormat)."""
    if partition_by_null:
        if explicit_key is not None and str(explicit_key).upper() != "NONE":
            raise KsqlStatementError("Key format specified for stream without key columns.")
        return "NONE"
    if explicit_key is None and key_format == "NONE" and schema.key:
        return default_key_format(props)
    return key_format


def build_source(
    name: str,
    kind: str,
    schema: LogicalSchema,
    with_props: Mapping[str, Any],
    props: Properties,
    statement: str,
    *,
    parent: DataSource | None = None,
    is_source: bool = False,
    is_sink: bool = False,
    registry: Any = None,
    partition_by_null: bool = False,
) -> DataSource:
    """A DataSource from a WITH clause; a sink (`parent` given) inherits the parent's formats. `registry`
    (a Schema Registry client) goes into the Schema Registry formats' serde options. A key-less source
    keeps its key format (its serde reads and writes no key: DataSource.key_serde)."""
    w = upper_props(with_props)
    validate_with_clause(w, create_as=parent is not None)
    topic = w.get("KAFKA_TOPIC")
    if topic is None:
        if parent is None:
            # Kafka's ConfigDef message with "configuration" read as "property", raised while ksqlDB prepares
            raise KsqlStatementError(
                'Failed to prepare statement: Missing required property "KAFKA_TOPIC" which has no default value.'
            )
        topic = props.get("ksql.output.topic.name.prefix") + name
    key_format, value_format, explicit_key = declared_formats(w, props, parent)
    if parent is not None:
        key_format = sink_key_format(key_format, explicit_key, schema, props, partition_by_null)
    vfmt, kfmt = get_format(value_format), get_format(key_format)
    if schema.key and key_format == "NONE":
        # NoneFormat.getSerde refuses any column; GenericSerdeFactory words it as a schema the key format
        # does not support
        cols = ", ".join(f"`{c.name}` {c.type} KEY" for c in schema.key)
        raise SchemaNotSupportedError(
            f"Key format does not support schema.\nformat: NONE\nschema: Persistence{{columns=[{cols}], "
            f"features=[]}}\nreason: The 'NONE' format can only be used when no columns are defined. Got: [{cols}]"
        )

    wrap = None
    if "WRAP_SINGLE_VALUE" in w:
        wrap = _bool(w["WRAP_SINGLE_VALUE"])
        if wrap and not vfmt.supports_wrapping:
            raise FormatError(f"Format '{value_format}' does not support 'WRAP_SINGLE_VALUE' set to 'true'.")
        if not wrap and not vfmt.supports_unwrapping:
            raise FormatError(f"Format '{value_format}' does not support 'WRAP_SINGLE_VALUE' set to 'false'.")
        if len(schema.value_only) != 1:
            raise KsqlStatementError("'WRAP_SINGLE_VALUE' is only valid for single-field value schemas")
    elif vfmt.supports_wrapping:
        # SerdeFeaturesFactory.getDefaultValueWrapping: the system default applies only where the format
        # supports the feature it asks for (PROTOBUF cannot unwrap, so it keeps its wrapped default)
        wrap = props.wrap_single_values
        if wrap is False and not vfmt.supports_unwrapping:
            wrap = None
    delimiter = ","
    if "VALUE_DELIMITER" in w:
        if value_format != "DELIMITED":
            raise FormatError(f"{value_format} does not support the following configs: [delimiter]")
        delimiter = parse_delimiter(str(w["VALUE_DELIMITER"]))
    elif parent is not None and parent.value_format == "DELIMITED" and value_format == "DELIMITED":
        delimiter = parent.value_options.delimiter
    key_delimiter = ","
    if "KEY_DELIMITER" in w:
        key_delimiter = parse_delimiter(str(w["KEY_DELIMITER"]), "KEY_DELIMITER")
        if key_format != "DELIMITED":
            raise FormatError(f"{key_format} does not support the following configs: [delimiter]")
    elif parent is not None and parent.key_format == "DELIMITED" and key_format == "DELIMITED":
        key_delimiter = parent.key_options.delimiter  # an inheritable format property, as the value's
    key_props, value_props = format_properties(w, name, kfmt, vfmt, parent)
    json_sr_converter = props.get(JSON_SR_CONVERTER, "true").strip().lower() != "false"
    value_options = SerdeOptions(
        wrap_single_value=wrap if vfmt.supports_wrapping else None,
        delimiter=delimiter,
        extra=value_props,
        topic=str(topic),
        registry=registry,
        json_sr_converter=json_sr_converter,
    )
    key_options = SerdeOptions(
        delimiter=key_delimiter, extra=key_props, topic=str(topic), registry=registry,
        json_sr_converter=json_sr_converter,
    )

    check_key_types(schema)
    _check_format(kfmt, key_format, schema.key, key_options, True)
    _check_format(vfmt, value_format, schema.value_only, value_options, False)

    ts = w.get("TIMESTAMP")
    if ts is not None:
        ts = str(ts).upper() if not str(ts).startswith("`") else str(ts).strip("`")
        col = schema.find(ts)
        if col is None:
            raise KsqlStatementError(
                f"The TIMESTAMP column set in the WITH clause does not exist in the schema: '{ts}'"
            )
        # TimestampExtractionPolicyFactory.create: a STRING column needs a format, only it may have one
        ts_format = w.get("TIMESTAMP_FORMAT")
        if col.type.base == "STRING" and ts_format is None:
            raise KsqlStatementError(
                "A String timestamp field has been specified without also specifying the timestamp_format"
            )
        if col.type.base != "STRING" and ts_format is not None:
            raise KsqlStatementError(
                "'TIMESTAMP_FORMAT' set in the WITH clause can only be used "
                "when the timestamp column is of type STRING."
            )
        if col.type.base not in ("BIGINT", "TIMESTAMP", "STRING"):
            raise KsqlStatementError(
                f"Timestamp column, `{ts}`, should be LONG(INT64), TIMESTAMP, or a "
                f"String with a timestamp_format specified."
            )
    window = _window_info(w)
    if window is None and parent is not None and parent.window is not None:
        window = parent.window  # a sink of a windowed source keeps its windowed key
    return DataSource(
        name=name,
        kind=kind,
        schema=schema,
        topic=str(topic),
        key_format=key_format,
        value_format=value_format,
        key_options=key_options,
        value_options=value_options,
        timestamp_column=ts,
        timestamp_format=w.get("TIMESTAMP_FORMAT"),
        window=window,
        statement=statement,
        is_source=is_source,
        is_sink=is_sink,
    )


_NULLABLE = {"OPTIONAL": "optional", "WRAPPER": "wrapper"}


def format_properties(
    w: Mapping[str, Any], name: str, kfmt: Format, vfmt: Format, parent: DataSource | None
) -> tuple[dict[str, str], dict[str, str]]:
    """The key and value format properties (ksqlDB's FormatInfo properties) a WITH clause gives: schema
    full names (AVRO keys default to `<Name>Key`), schema ids, Protobuf's primitive unwrapping and
    nullable representation; a sink inherits its parent's inheritable ones when the format is the same."""
    key: dict[str, str] = {}
    value: dict[str, str] = {}
    if parent is not None:
        if parent.key_format == kfmt.name:
            key.update({k: v for k, v in parent.key_options.extra.items() if k in kfmt.inheritable})
        if parent.value_format == vfmt.name:
            value.update({k: v for k, v in parent.value_options.extra.items() if k in vfmt.inheritable})
    if "KEY_SCHEMA_FULL_NAME" in w:
        key[FULL_SCHEMA_NAME] = str(w["KEY_SCHEMA_FULL_NAME"])
    elif kfmt.name == "AVRO":
        from ksqlserver.formats.sr.avro_schema import key_schema_name

        key[FULL_SCHEMA_NAME] = key_schema_name(name)
    value_name = w.get("VALUE_AVRO_SCHEMA_FULL_NAME", w.get("VALUE_SCHEMA_FULL_NAME"))
    if value_name is not None:
        value[FULL_SCHEMA_NAME] = str(value_name)
    for props, fmt, prefix in ((key, kfmt, "KEY"), (value, vfmt, "VALUE")):
        if fmt.name == "PROTOBUF":
            props["unwrapPrimitives"] = "true"
        nullable = w.get(f"{prefix}_PROTOBUF_NULLABLE_REPRESENTATION")
        if nullable is not None:
            if fmt.name not in ("PROTOBUF", "PROTOBUF_NOSR"):
                raise KsqlStatementError(
                    f"Property {prefix}_PROTOBUF_NULLABLE_REPRESENTATION can only be enabled with protobuf format"
                )
            props["nullableRepresentation"] = _NULLABLE[str(nullable).upper()]  # checked by _check_enum_values
        schema_id = w.get(f"{prefix}_SCHEMA_ID")
        if schema_id is not None:
            try:
                props[SCHEMA_ID] = str(int(str(schema_id)))
            except ValueError:
                raise KsqlStatementError(
                    f"Invalid value {schema_id} for property {prefix}_SCHEMA_ID: Not a number of type INT"
                ) from None
    for props, fmt, prefix in ((key, kfmt, "KEY"), (value, vfmt, "VALUE")):
        unknown = [k for k in props if k not in fmt.properties]  # in the properties' order, as Sets.difference
        if SCHEMA_ID in unknown:
            raise KsqlStatementError(
                f"{prefix}_FORMAT should support schema inference when {prefix}_SCHEMA_ID is provided. "
                f"Current format is {fmt.name}."
            )
        if unknown and fmt.name != "NONE":
            raise FormatError(f"{fmt.name} does not support the following configs: [{', '.join(unknown)}]")
        if fmt.name == "NONE":
            props.clear()
    return key, value


def check_materialized_table_source(source: DataSource) -> None:
    """SourceBuilder.buildTableMaterialized: a (non-windowed) table source read by a persistent query is
    materialized with its value format over its value columns plus ROWPARTITION and ROWOFFSET
    (LogicalSchema.withPseudoColumnsToMaterialize), so the KAFKA value format, one column at most, is refused
    as the query's topology is built."""
    if not source.is_table or source.window is not None or source.value_format.upper() != "KAFKA":
        return
    columns = [
        *source.schema.value_only,
        Column("ROWPARTITION", primitive("INTEGER")),
        Column("ROWOFFSET", primitive("BIGINT")),
    ]
    _check_format(get_format(source.value_format), source.value_format.upper(), columns, source.value_options, False)


def check_value_columns(value_format: str, columns: Sequence[tuple[str, SqlType]], options: SerdeOptions) -> None:
    """An internal value schema (an aggregate's store) as the format's serde factory checks it."""
    cols = [Column(n, t) for n, t in columns]
    _check_format(get_format(value_format), value_format.upper(), cols, options, False)


def _check_format(
    fmt: Any, name: str, columns: Sequence[Column], options: SerdeOptions, is_key: bool
) -> None:
    """GenericSerdeFactory.createFormatSerde: whatever the format's getSerde refuses is a
    SchemaNotSupportedException naming the format, the PersistenceSchema and the reason; the format
    properties are validated before (FormatFactory.of), so their errors stay as they are."""
    where = "Key" if is_key else "Value"
    cols = ", ".join(f"`{x.name}` {x.type}" + (" KEY" if is_key else "") for x in columns)
    validate = getattr(fmt, "validate_properties", None)
    if validate is not None:
        validate(dict(options.extra))

    def wrapped(reason: str) -> FormatError:
        features = ", ".join(fmt.features(columns, options, is_key))  # SerdeFeatures (a Set) toString
        return SchemaNotSupportedError(
            f"{where} format does not support schema.\nformat: {name}\nschema: "
            f"Persistence{{columns=[{cols}], features=[{features}]}}\nreason: {reason}"
        )

    if name == "KAFKA" and len(columns) > 1:
        # KafkaSerdeFactory.createSerde counts the columns before it looks at any column's type
        raise wrapped(f"The 'KAFKA' format only supports a single field. Got: [{cols}]")
    for c in columns:
        try:
            fmt.check_type(c)
        except FormatError as e:
            raise wrapped(e.message) from None
    try:
        fmt.serde(columns, options, is_key)
    except SchemaNotSupportedError:
        raise
    except FormatError as e:
        raise wrapped(e.message) from None


_TIME_UNITS = {
    "NANOSECONDS": 1e-6,
    "MICROSECONDS": 1e-3,
    "MILLISECONDS": 1,
    "SECONDS": 1_000,
    "MINUTES": 60_000,
    "HOURS": 3_600_000,
    "DAYS": 86_400_000,
}


def parse_window_size(text: str) -> int:
    """`WINDOW_SIZE` text ('10 SECONDS') in milliseconds, with ksqlDB's DurationParser messages."""
    try:
        parts = re.split(r"\s", text)
        while parts and parts[-1] == "":  # Java's String.split drops trailing empty strings
            parts.pop()
        if len(parts) != 2:
            raise ValueError(f"Expected 2 tokens, got: {len(parts)}")
        try:
            size = int(parts[0])
        except ValueError:
            raise ValueError(f"Not numeric: '{parts[0]}'") from None
        unit = parts[1].upper()
        unit = unit if unit.endswith("S") else unit + "S"
        if unit not in _TIME_UNITS:
            raise ValueError(
                f"Unknown time unit: '{parts[1].upper()}'\nSupported time units are: "
                + ", ".join(_TIME_UNITS)
            )
        return int(size * _TIME_UNITS[unit])
    except ValueError as e:
        raise KsqlStatementError(
            f"{PREPARE}Configuration WINDOW_SIZE is invalid: Invalid duration: '{text}'. {e}"
        ) from None


def validate_with_clause(with_props: Mapping[str, Any], create_as: bool) -> None:
    """The checks CreateSourceProperties.from / CreateSourceAsProperties.from make when AstBuilder builds the
    statement, before anything else looks at it: the known properties' value types and validators (ConfigDef.parse,
    which PropertiesConfig's AbstractConfig constructor runs first), then unknown names
    (PropertiesConfig.throwOnUnknownProperty), then CommonCreateConfigs.validateKeyValueFormats. So
    `partitions='x', foo=1` is refused for PARTITIONS (as ksqlDB 0.29's REST server answers)."""
    w = upper_props(with_props)
    unknown = set(w) - KNOWN_PROPS
    if create_as:  # CreateAsConfigs: the window and connector properties are CREATE-only
        unknown |= set(w) & CREATE_ONLY_PROPS
    known = {k: v for k, v in w.items() if k not in unknown}
    _check_string_types(known)
    _check_number_types(known)
    _check_enum_values(known)
    if unknown:
        raise KsqlStatementError(
            f"{PREPARE}Invalid config variable(s) in the WITH clause: {','.join(sorted(unknown))}"
        )
    _validate_key_value_formats(w)


def _check_enum_values(w: Mapping[str, Any]) -> None:
    """ConfigValidators.enumValues on WINDOW_TYPE (CreateConfigs) and the PROTOBUF_NULLABLE_REPRESENTATION
    properties (CommonCreateConfigs): case-insensitive, and its message lists null as a valid value too."""
    kind = w.get("WINDOW_TYPE")
    if isinstance(kind, str) and kind.upper() not in ("SESSION", "HOPPING", "TUMBLING"):  # no trim
        raise KsqlStatementError(
            f"{PREPARE}Invalid value {kind} for property WINDOW_TYPE: String must be one of: "
            "SESSION, HOPPING, TUMBLING, null"
        )
    for prefix in ("KEY", "VALUE"):
        name = f"{prefix}_PROTOBUF_NULLABLE_REPRESENTATION"
        value = w.get(name)
        if isinstance(value, str) and value.upper() not in _NULLABLE:
            raise KsqlStatementError(
                f"{PREPARE}Invalid value {value} for property {name}: String must be one of: OPTIONAL, WRAPPER, null"
            )


# the STRING-typed properties of CommonCreateConfigs and CreateConfigs
_STRING_PROPS = frozenset({
    "KAFKA_TOPIC", "VALUE_FORMAT", "KEY_FORMAT", "FORMAT", "TIMESTAMP", "TIMESTAMP_FORMAT", "KEY_DELIMITER",
    "VALUE_DELIMITER", "KEY_PROTOBUF_NULLABLE_REPRESENTATION", "VALUE_PROTOBUF_NULLABLE_REPRESENTATION",
    "VALUE_AVRO_SCHEMA_FULL_NAME", "KEY_SCHEMA_FULL_NAME", "VALUE_SCHEMA_FULL_NAME", "CLEANUP_POLICY",
    "WINDOW_TYPE", "WINDOW_SIZE", "SOURCE_CONNECTOR", "SOURCED_BY_CONNECTOR",
})


def _java_class(v: Any) -> tuple[str, str]:
    """A WITH literal's Java value (Literal.getValue) as (class name, toString)."""
    if isinstance(v, bool):
        return "java.lang.Boolean", "true" if v else "false"
    if isinstance(v, int):
        return ("java.lang.Integer" if -(2**31) <= v < 2**31 else "java.lang.Long"), str(v)
    if isinstance(v, float):
        return "java.lang.Double", py_java_double(v)
    return "java.math.BigDecimal", java_decimal(v)


def _check_string_types(w: Mapping[str, Any]) -> None:
    """ConfigDef.parseType of a STRING property given another literal, worded as CreateSourceProperties.from
    words a ConfigException ("configuration" read as "property")."""
    for name in sorted(set(w) & _STRING_PROPS):
        v = w[name]
        if v is not None and not isinstance(v, str):
            cls, text = _java_class(v)
            raise KsqlStatementError(
                f"{PREPARE}Invalid value {text} for property {name}: Expected value to be a string, but it was a {cls}"
            )


# CommonCreateConfigs' numeric properties, in their definition order: (ConfigDef type, bits, Java's range)
_NUMBER_PROPS = (
    ("PARTITIONS", "INT", 32),
    ("REPLICAS", "SHORT", 16),
    ("RETENTION_MS", "LONG", 64),
)
_JAVA_INTEGER = re.compile(r"[+-]?[0-9]+")


def _check_number_types(w: Mapping[str, Any]) -> None:
    """ConfigDef.parseType of PARTITIONS (INT), REPLICAS (SHORT) and RETENTION_MS (LONG), worded as
    CreateSourceProperties.from words a ConfigException: a string must be a number Integer.parseInt /
    Short.parseShort / Long.parseLong reads (after String.trim), another literal must be of the type
    (PropertiesConfig.toValues first narrows any number given for REPLICAS to a short)."""
    for name, kind, bits in _NUMBER_PROPS:
        v = w.get(name)
        if v is None:
            continue
        low, high = -(2 ** (bits - 1)), 2 ** (bits - 1) - 1
        if isinstance(v, str):
            text = v.strip(_JAVA_TRIMMED)
            if not _JAVA_INTEGER.fullmatch(text) or not low <= int(text) <= high:
                raise KsqlStatementError(f"{PREPARE}Invalid value {v} for property {name}: Not a number of type {kind}")
            continue
        if kind == "SHORT" and not isinstance(v, bool):
            continue  # toValues: any Number becomes its shortValue
        cls, text = _java_class(v)
        fits = isinstance(v, int) and not isinstance(v, bool) and (cls == "java.lang.Integer" or bits == 64)
        if not fits:
            raise KsqlStatementError(
                f"{PREPARE}Invalid value {text} for property {name}: Expected value to be a {bits}-bit integer, "
                f"but it was a {cls}"
            )


# String.trim: every character up to U+0020
_JAVA_TRIMMED = "".join(chr(c) for c in range(0x21))


def _validate_key_value_formats(w: Mapping[str, Any]) -> None:
    """CommonCreateConfigs.validateKeyValueFormats, run as the WITH clause's properties are built."""
    if w.get("FORMAT") is not None:
        for which in ("KEY_FORMAT", "VALUE_FORMAT"):
            if w.get(which) is not None:
                raise KsqlStatementError(
                    f"{PREPARE}Cannot supply both '{which}' and 'FORMAT' properties, as 'FORMAT' sets "
                    "both key and value formats. Either use just 'FORMAT', or use 'KEY_FORMAT' and 'VALUE_FORMAT'."
                )
    if w.get("VALUE_AVRO_SCHEMA_FULL_NAME") is not None and w.get("VALUE_SCHEMA_FULL_NAME") is not None:
        raise KsqlStatementError(
            f"{PREPARE}Cannot supply both 'VALUE_AVRO_SCHEMA_FULL_NAME' and 'VALUE_SCHEMA_FULL_NAME' properties. "
            "Please only set 'VALUE_SCHEMA_FULL_NAME'."
        )


def _window_info(w: Mapping[str, Any]) -> WindowInfo | None:
    """WINDOW_TYPE / WINDOW_SIZE of a CREATE over a windowed topic, checked as ksqlDB does."""
    size = parse_window_size(str(w["WINDOW_SIZE"])) if w.get("WINDOW_SIZE") is not None else None
    if w.get("WINDOW_TYPE") is None:
        if size is not None:  # CreateSourceProperties.validateWindowInfo: no type does not require a size
            raise KsqlStatementError(f"{PREPARE}'WINDOW_SIZE' should not be set for SESSION windows.")
        return None
    kind = str(w["WINDOW_TYPE"]).strip().upper()
    if kind not in ("SESSION", "HOPPING", "TUMBLING"):
        # ConfigValidators.enumValues lists null as valid too; CreateSourceProperties.from says "property"
        raise KsqlStatementError(
            f"{PREPARE}Invalid value {w['WINDOW_TYPE']} for property WINDOW_TYPE: String must be one of: "
            "SESSION, HOPPING, TUMBLING, null"
        )
    if kind != "SESSION" and size is None:
        raise KsqlStatementError(
            f"{PREPARE}{kind} windows require 'WINDOW_SIZE' to be provided in the WITH clause. "
            "For example: 'WINDOW_SIZE'='10 SECONDS'"
        )
    if kind == "SESSION" and size is not None:
        raise KsqlStatementError(f"{PREPARE}'WINDOW_SIZE' should not be set for SESSION windows.")
    if size is not None and int(re.split(r"\s", str(w["WINDOW_SIZE"]))[0]) <= 0:
        # WindowInfo.of, as CreateSourceFactory builds the command (a Duration of 27ns is positive)
        raise KsqlStatementError("Size must be positive")
    return WindowInfo(kind, size)


CLEANUP_POLICY_SET = (
    "Invalid config variable in the WITH clause: CLEANUP_POLICY.\nThe CLEANUP_POLICY config is automatically "
    "inferred based on the type of source (STREAM or TABLE).\nUsers can't set the CLEANUP_POLICY config manually."
)
TABLE_RETENTION_SET = (
    "Invalid config variable in the WITH clause: RETENTION_MS. Non-windowed tables do not support retention."
)
