"""What AVRO, PROTOBUF, PROTOBUF_NOSR and JSON_SR share: ksqlDB's ConnectFormat.

A row goes SQL values -> Connect value (a STRUCT of the columns, or the only column's value when single
values are unwrapped) -> the format's bytes, framed with Confluent's magic byte and schema id when the
format uses the registry. Serialising without `schemaId` writes the schema ksqlDB derives from the
columns, registered under `<topic>-key`/`<topic>-value` (once per process: the client caches the id);
with `schemaId` the registered schema is the writer's and the row is fitted to it by field name.
Deserialising reads each record with its writer's schema (by the id it carries; cached per id) and
translates the Connect value to the SQL types as ksqlDB's ConnectDataTranslator does.
"""

from __future__ import annotations

import threading
from abc import abstractmethod
from collections.abc import Callable, Sequence
from typing import Any

from ksqlserver.catalog.types import Column, SqlType, struct
from ksqlserver.errors import FormatError, SchemaRegistryError, SchemaRegistryUnavailableError, SerdeError
from ksqlserver.formats.base import Format, Serde, SerdeOptions, unwrapped_count_error
from ksqlserver.formats.sr import wire
from ksqlserver.formats.sr.client import RegisteredSchema, SchemaRegistryClient, subject_name
from ksqlserver.formats.sr.connect import STRUCT, CSchema, columns_schema, translator, unwrap

FULL_SCHEMA_NAME = "fullSchemaName"
SCHEMA_ID = "schemaId"
SUBJECT_NAME = "subjectName"
NOT_CONFIGURED = (
    "KSQL is not configured to use a schema registry. To enable it, please set ksql.schema.registry.url"
)
SERIALIZE_HINT = "\nHint: You probably forgot to add VALUE_SCHEMA_ID when creating the source."
DESERIALIZE_HEADLINE = "Error deserializing message from topic: {topic}"


class ConnectDeserializationError(SerdeError):
    """KsqlConnectDeserializer's SerializationException: the processing log words it "Error deserializing
    message from topic: <topic>" with the converter's or translator's messages as its causes
    (DeserializationError, LoggingSerdeUtil.getCause); `message` joins them for the other readers."""

    def __init__(self, message: str, raw: bytes | None, causes: list[str]) -> None:
        super().__init__(message, raw, headline=DESERIALIZE_HEADLINE)
        self.causes = causes

    def java_causes(self) -> list[str]:
        return list(self.causes)


def converter_error(topic: str, kind: str, causes: list[str], raw: bytes | None) -> ConnectDeserializationError:
    """The converter's DataException ("Failed to deserialize data for topic <t> to <kind>: ") around the
    deserializer's exceptions."""
    head = f"Failed to deserialize data for topic {topic} to {kind}: "
    return ConnectDeserializationError(head + ": ".join(causes), raw, [head, *causes])


class ConnectSerializationError(SerdeError):
    """KsqlConnectSerializer's KsqlSerializationException: its message ends with the schema-id hint, its
    cause (the translator's or converter's error, the processing log's `cause`) does not."""

    def __init__(self, cause: str) -> None:
        super().__init__(cause + SERIALIZE_HINT)
        self.cause_message = cause

    def java_causes(self) -> list[str]:
        return [self.cause_message]


class ParsedSchema:
    """A schema in one format, with its Connect form and the codecs of its payload (without the
    magic byte and id)."""

    connect: CSchema
    registered: RegisteredSchema

    def full_names(self) -> list[str]:
        """The named types a CREATE must choose from (KEY_/VALUE_SCHEMA_FULL_NAME)."""
        return []

    @abstractmethod
    def encoder(self) -> Callable[[Any], bytes]:
        """Connect value -> payload."""

    @abstractmethod
    def decoder(self) -> Callable[[memoryview], Any]:
        """payload -> Connect value."""

    def typed_decoder(self) -> Callable[[memoryview], tuple[CSchema, Any]]:
        """payload -> (the Connect schema it was written with, its value): a Protobuf payload may hold
        another message of the file than the schema's first (its message indexes say which)."""
        decode = self.decoder()
        connect = self.connect
        return lambda payload: (connect, decode(payload))


class ConnectFormat(Format):
    """A Schema Registry format (PROTOBUF_NOSR overrides `uses_registry`)."""

    supports_wrapping = True
    schema_inference = True
    uses_registry = True
    empty_key_struct = True
    registry_type = ""  # the registry's schemaType: AVRO, PROTOBUF, JSON
    translator_name = ""  # ksqlDB's name for the schema type in its messages
    map_key_error = ""

    # -- what each format provides ------------------------------------------------------------------------

    @abstractmethod
    def parse(
        self, registered: RegisteredSchema, registry: SchemaRegistryClient | None, props: dict[str, str]
    ) -> ParsedSchema:
        """A registered schema (references resolved through `registry`) in this format."""

    @abstractmethod
    def from_connect(self, schema: CSchema, props: dict[str, str], is_key: bool) -> ParsedSchema:
        """The schema ksqlDB registers for a row (or unwrapped value) of this Connect schema."""

    def fit(self, schema: CSchema) -> Callable[[Any], Any]:
        """SQL value of the row/unwrapped column (Connect schema `schema`, from the columns) -> the Connect
        value `from_connect`'s schema holds."""
        return _same

    # -- shared -------------------------------------------------------------------------------------------------

    def check_type(self, column: Column) -> None:
        if self.map_key_error:
            _check_map_keys(column.type, self.map_key_error)

    def unwrapped(self, columns: Sequence[Column], options: SerdeOptions, is_key: bool) -> bool:
        if len(columns) != 1:
            return False
        if is_key:
            return self.supports_unwrapping and self.supports_wrapping
        return options.wrap_single_value is False

    def features(self, columns: Sequence[Column], options: SerdeOptions, is_key: bool) -> tuple[str, ...]:
        if len(columns) != 1:
            return ()
        if is_key:
            return ("UNWRAP_SINGLES",) if self.unwrapped(columns, options, True) else ()
        if options.wrap_single_value is False:
            return ("UNWRAP_SINGLES",)
        if options.wrap_single_value is True:
            return ("WRAP_SINGLES",)
        return ()

    def validate_properties(self, props: dict[str, str]) -> None:
        # FormatProperties.validateProperties: Sets.difference keeps the properties' order, and the map is
        # printed as Java's AbstractMap.toString
        unknown = [k for k in props if k not in self.properties]
        if unknown:
            raise FormatError(f"{self.name} does not support the following configs: [{', '.join(unknown)}]")
        for k, v in props.items():
            if not str(v).strip():
                text = ", ".join(f"{name}={value}" for name, value in props.items())
                raise FormatError(f"{k} cannot be empty. Format configuration: {{{text}}}")

    def serde(self, columns: Sequence[Column], options: SerdeOptions, is_key: bool) -> Serde:
        cols = tuple(columns)
        for c in cols:
            self.check_type(c)
        props = dict(options.extra)
        self.validate_properties(props)
        if not cols and not is_key:
            return Serde(cols, lambda v: None, lambda d: [])
        unwrapped = self.unwrapped(cols, options, is_key)
        row = columns_schema(cols)
        inner = unwrap(row, unwrapped)
        target: SqlType = cols[0].type if unwrapped else struct([(c.name, c.type) for c in cols])
        names = [c.name for c in cols]
        topic = options.topic
        registry = options.registry if self.uses_registry else None
        features = self.features(cols, options, is_key)
        serialize = self._serializer(inner, props, registry, topic, is_key, unwrapped, names)
        deserialize = self._renaming_deserializer(target, props, registry, topic, is_key, unwrapped, names, inner)
        return Serde(cols, serialize, deserialize, features)

    def _serializer(
        self,
        inner: CSchema,
        props: dict[str, str],
        registry: SchemaRegistryClient | None,
        topic: str,
        is_key: bool,
        unwrapped: bool,
        names: list[str],
    ) -> Callable[[Sequence[Any] | None], bytes | None]:
        schema_id = props.get(SCHEMA_ID)
        if schema_id is not None:
            physical = self.fetch(registry, int(schema_id), props, "schema id", schema_id)
            to_physical = physical_fitter(inner, physical.connect, self.name)
            encode = physical.encoder()
            prefix = wire.header(int(schema_id))
            fit = to_physical
        else:
            generated = self.from_connect(inner, props, is_key)
            encode = generated.encoder()
            fit = self.fit(inner)
            prefix = b""
            if self.uses_registry:
                subject = subject_name(topic, is_key)
                state: dict[str, bytes] = {}
                lock = threading.Lock()

                def resolve_prefix() -> bytes:
                    if registry is None:
                        raise SerdeError(NOT_CONFIGURED)
                    with lock:
                        if "p" not in state:
                            state["p"] = wire.header(registry.register(subject, generated.registered))
                    return state["p"]

        def values_to_connect(values: Sequence[Any]) -> Any:
            if unwrapped:
                return values[0]
            if len(values) != len(names):
                raise SerdeError(
                    f"Column count mismatch on serialization. topic: {topic}, expected: {len(names)}, "
                    f"got: {len(values)}"
                )
            return dict(zip(names, values, strict=True))

        uses_registry = self.uses_registry and schema_id is None
        row_encode = None
        if schema_id is None and not unwrapped and fit is _same:
            row_encode = getattr(generated, "row_encoder", lambda names: None)(names)
        if row_encode is not None:
            width = len(names)

            def serialize_row(values: Sequence[Any] | None) -> bytes | None:
                if values is None:
                    return None
                try:
                    if len(values) != width:
                        raise SerdeError(
                            f"Column count mismatch on serialization. topic: {topic}, expected: {width}, "
                            f"got: {len(values)}"
                        )
                    # the registered header once known (no lock per record), else registration
                    head = (state.get("p") or resolve_prefix()) if uses_registry else prefix
                    return head + row_encode(values)  # type: ignore[misc]
                except SchemaRegistryUnavailableError:
                    raise
                except SchemaRegistryError as e:
                    raise SerdeError(f"Error registering {self.translator_name} schema: {e.message}") from None
                except SerdeError as e:
                    raise ConnectSerializationError(e.message) from None

            return serialize_row

        def serialize(values: Sequence[Any] | None) -> bytes | None:
            if values is None:
                return None
            if unwrapped and len(values) != 1:
                raise unwrapped_count_error(topic, len(values))  # UnwrappedSerializer, before the inner one
            try:
                value = fit(values_to_connect(values))
                if unwrapped and value is None:
                    return None
                head = resolve_prefix() if uses_registry else prefix
                return head + encode(value)
            except SchemaRegistryUnavailableError:
                raise
            except SchemaRegistryError as e:
                raise SerdeError(f"Error registering {self.translator_name} schema: {e.message}") from None
            except SerdeError as e:
                raise ConnectSerializationError(e.message) from None
            except (TypeError, ValueError, OverflowError, AttributeError) as e:
                raise ConnectSerializationError(f"{type(e).__name__}: {e}") from None

        return serialize

    def read_target(self, t: SqlType, props: dict[str, str]) -> tuple[SqlType, Callable[[Any], Any] | None]:
        """The type values are read into before they get the SQL type `t`, and the renamer between them."""
        return t, None

    def _renaming_deserializer(
        self,
        target: SqlType,
        props: dict[str, str],
        registry: SchemaRegistryClient | None,
        topic: str,
        is_key: bool,
        unwrapped: bool,
        names: list[str],
        inner: CSchema,
    ) -> Callable[[bytes | None], list[Any] | None]:
        """`_deserializer`, reading into `read_target`'s type and renaming the values back."""
        read, conv = self.read_target(target, props)
        read_names = names if unwrapped else [n for n, _ in read.fields or ()]
        deserialize = self._deserializer(read, props, registry, topic, is_key, unwrapped, read_names, inner)
        if conv is None:
            return deserialize

        def renamed(data: bytes | None) -> list[Any] | None:
            row = deserialize(data)
            if row is None:
                return None
            if unwrapped:
                return [conv(row[0])]
            values = conv(dict(zip(read_names, row, strict=True)))
            return [values[n] for n in names]

        return renamed

    def _deserializer(
        self,
        target: SqlType,
        props: dict[str, str],
        registry: SchemaRegistryClient | None,
        topic: str,
        is_key: bool,
        unwrapped: bool,
        names: list[str],
        inner: CSchema,
    ) -> Callable[[bytes | None], list[Any] | None]:
        readers: dict[int, Callable[[memoryview], list[Any] | None]] = {}
        schema_id_of = wire.SCHEMA_ID.unpack_from
        lock = threading.Lock()
        kind = self.translator_name
        # the writer's schema decides the message; how nulls are represented is this source's setting
        read_props = {k: v for k, v in props.items() if k not in (SCHEMA_ID, FULL_SCHEMA_NAME)}

        def reader_for(schema_id: int, data: bytes) -> Callable[[memoryview], list[Any] | None]:
            found = readers.get(schema_id)
            if found is not None:
                return found
            if registry is None:
                raise SerdeError(NOT_CONFIGURED, data)
            try:
                registered = registry.schema_by_id(schema_id)
            except SchemaRegistryUnavailableError:
                raise
            except SchemaRegistryError as e:
                retrieving = f"Error retrieving {kind} {'key' if is_key else 'value'} schema for id {schema_id}"
                raise converter_error(topic, kind, [retrieving, e.message], data) from None
            parsed = self.parse(registered, registry, read_props)
            found = self._row_reader(parsed, target, unwrapped, names)
            with lock:
                readers[schema_id] = found
            return found

        def deserialize(data: bytes | None) -> list[Any] | None:
            if data is None:
                return None
            if len(data) < 5 or data[0] != wire.MAGIC:
                try:
                    wire.split(data)
                except SerdeError as e:
                    raise converter_error(topic, kind, [e.message], data) from None
            # wire.split inline (the per-record cost of every registry-format read)
            schema_id = schema_id_of(data, 1)[0]
            payload = memoryview(data)[5:]
            read = readers.get(schema_id) or reader_for(schema_id, data)
            try:
                return read(payload)
            except SerdeError as e:  # the translator's (ConnectDataTranslator) DataException
                raise ConnectDeserializationError(
                    f"Error deserializing message from topic: {topic}. {e.message}", data, [e.message]
                ) from None
            except Exception as e:
                raise converter_error(topic, kind, [f"{type(e).__name__}: {e}"], data) from None

        return deserialize

    def _row_reader(
        self, parsed: ParsedSchema, target: SqlType, unwrapped: bool, names: list[str]
    ) -> Callable[[memoryview], list[Any] | None]:
        row_decode = None if unwrapped else getattr(parsed, "row_decoder", lambda t, n: None)(target, names)
        if row_decode is not None:
            return row_decode  # type: ignore[no-any-return]
        if type(parsed).typed_decoder is not ParsedSchema.typed_decoder:
            typed = parsed.typed_decoder()
            converters: dict[int, Callable[[Any], Any]] = {}

            def decode_typed(payload: memoryview) -> Any:
                schema, value = typed(payload)
                conv = converters.get(id(schema))
                if conv is None:
                    conv = converters[id(schema)] = translator(target, schema)
                return conv(value)

            convert_payload = decode_typed
        else:
            decode = parsed.decoder()
            convert = translator(target, parsed.connect)

            def convert_payload(payload: memoryview) -> Any:
                return convert(decode(payload))

        if unwrapped:
            return lambda payload: [convert_payload(payload)]

        def read(payload: memoryview) -> list[Any] | None:
            row = convert_payload(payload)
            if row is None:
                return None
            return [row[n] for n in names]

        return read

    def fetch(
        self, registry: SchemaRegistryClient | None, schema_id: int, props: dict[str, str], what: str, value: Any
    ) -> ParsedSchema:
        """The registered schema with this id, parsed; FormatError with ksqlDB's text when it cannot be."""
        if registry is None:
            raise FormatError(NOT_CONFIGURED)
        try:
            registered = registry.schema_by_id(schema_id)
        except SchemaRegistryError as e:
            raise FormatError(
                f"Failed to fetch schema for serialization from Schema Registry using {what}: {value}\n"
                f"Caused by: {e.message}"
            ) from None
        return self.parse(registered, registry, props)

    # -- schema inference (DefaultSchemaInjector) ---------------------------------------------------------------

    def infer_columns(
        self, parsed: ParsedSchema, is_key: bool, unwrap_single: bool, upper: bool
    ) -> list[tuple[str, SqlType]]:
        """The columns of a registered schema: a key or unwrapped value is one column (ROWKEY/ROWVAL)."""
        from ksqlserver.formats.sr.connect import to_columns, wrap_single

        schema = parsed.connect
        if unwrap_single:
            schema = wrap_single(schema, is_key)
        if schema.type != STRUCT:
            if is_key:
                raise FormatError("Key schemas are always unwrapped.")
            raise FormatError(
                "Schema returned from schema registry is anonymous type. To use this schema with ksqlDB, "
                "set 'WRAP_SINGLE_VALUE=false' in the WITH clause properties."
            )
        return to_columns(schema, upper)


def same(v: Any) -> Any:
    """The identity conversion (formats' `fit` return it when values need no change)."""
    return v


_same = same


def _check_map_keys(t: SqlType, message: str) -> None:
    if t.base == "MAP" and t.key is not None and t.key.base != "STRING":
        raise FormatError(message)
    for inner in (t.item, t.key):
        if inner is not None:
            _check_map_keys(inner, message)
    for _, ft in t.fields or ():
        _check_map_keys(ft, message)


def physical_fitter(
    ksql: CSchema, physical: CSchema, format_name: str, top: bool = True
) -> Callable[[Any], Any]:
    """The row (Connect value of the SQL schema) fitted to the registered writer schema, as ksqlDB's
    *SRSchemaDataTranslators do: fields by exact name, absent ones null when optional or defaulted.

    AVRO (AvroSRSchemaDataTranslator.copyStruct) puts each field into a Struct of the registered schema,
    so a null for a required field without default is Connect's Struct.put refusal.
    JSON_SR has no translator of its own (ConnectSRSchemaDataTranslator): the row's fields are put into
    a Struct of the registered schema, where Connect's Struct.put refuses a null for a required field,
    and a required field the row lacks is left out of the JSON (JsonSchemaData writes nothing for a
    null without a default)."""
    if ksql.type != STRUCT or physical.type != STRUCT:
        return _same
    missing = [n for n, _ in ksql.fields if physical.get(n) is None]
    if missing:
        error = FormatError(f"Schema from Schema Registry misses field with name: {missing[0]}")

        def fail(v: Any) -> Any:
            raise SerdeError(error.message)

        return fail
    defaults = {n: fs.default for n, fs in physical.fields if not fs.optional and fs.default is not None}
    kind = "Avro" if format_name == "AVRO" else "Protobuf" if format_name.startswith("PROTOBUF") else "JSON"
    json_sr = kind == "JSON"
    # where Connect's Struct.put meets a null for a required field: JSON_SR's top-level Struct (defaults
    # or not); Avro's copyStruct at every level, after Struct.get has put in the field's default
    required: dict[str, str] = {}
    if json_sr and top:
        required = {n: fs.type for n, fs in physical.fields if not fs.optional}
    elif kind == "Avro":
        required = {n: fs.type for n, fs in physical.fields if not fs.optional and fs.default is None}
    plan = []
    for name, fs in physical.fields:
        ks = ksql.get(name)
        inner = physical_fitter(ks, fs, format_name, False) if ks is not None else _same
        if ks is None and fs.default is None and not fs.optional:
            if json_sr:  # written as nothing by `json_schema.writer`
                plan.append((name, None, None))
                continue
            error2 = SerdeError(
                f"Missing default value for required {kind} field: [{name}]. This field appears in {kind} "
                "schema in Schema Registry"
            )
            plan.append((name, None, error2))
        else:
            plan.append((name, inner if ks is not None else None, fs.default))

    def fit(v: Any) -> Any:
        if v is None:
            return None
        out = {}
        for name, conv, extra in plan:
            if conv is not None:
                x = conv(v.get(name))
                if x is None and name in required:  # ConnectSchema.validateValue, from Struct.put
                    raise SerdeError(
                        f'Invalid value: null used for required field: "{name}", schema type: {required[name]}'
                    )
                # a null for a required field with a default (a STRUCT literal without the field) takes it
                out[name] = defaults[name] if x is None and name in defaults else x
            elif isinstance(extra, SerdeError):
                raise extra
            else:
                out[name] = extra
        return out

    return fit
