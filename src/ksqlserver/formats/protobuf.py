"""PROTOBUF (Confluent's wire format with message indexes, schemas in the Schema Registry) and
PROTOBUF_NOSR (bare messages of the schema derived from the columns, no registry)."""

from __future__ import annotations

import base64
import binascii
import threading
from collections.abc import Callable
from typing import Any

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory, wrappers_pb2
from google.protobuf.descriptor import Descriptor

from knownprotos import KNOWN_DEPENDENCIES
from ksqlserver.errors import FormatError, SerdeError
from ksqlserver.formats.base import unwrapped_count_error
from ksqlserver.formats.connect_format import (
    FULL_SCHEMA_NAME,
    SCHEMA_ID,
    SUBJECT_NAME,
    ConnectDeserializationError,
    ConnectFormat,
    ConnectSerializationError,
    ParsedSchema,
    converter_error,
)
from ksqlserver.formats.sr import protoc, wire
from ksqlserver.formats.sr.client import PROTOBUF, RegisteredSchema, SchemaRegistryClient
from ksqlserver.formats.sr.connect import STRUCT, CSchema
from ksqlserver.formats.sr.protobuf_schema import (
    DEFAULT_NAME,
    ProtoConfig,
    from_connect,
    to_connect,
    wrapper_root,
)
from ksqlserver.formats.sr.protobuf_text import to_text
from ksqlserver.formats.sr.protobuf_values import NULL_ELEMENT, message_reader, message_writer

UNWRAP_PRIMITIVES = "unwrapPrimitives"
NULLABLE = "nullableRepresentation"
MAIN = "schema.proto"
MAP_KEY_ERROR = (
    "PROTOBUF format only supports MAP types with STRING keys. See https://github.com/confluentinc/ksql/issues/6177."
)

_generated: dict[str, list[descriptor_pb2.FileDescriptorProto]] = {}  # our registered texts -> descriptors
_generated_lock = threading.Lock()


def config_of(props: dict[str, str]) -> ProtoConfig:
    nullable = props.get(NULLABLE)
    return ProtoConfig(
        unwrap_primitives=str(props.get(UNWRAP_PRIMITIVES, "false")).lower() == "true",
        nullable_as_optional=nullable == "optional",
        nullable_as_wrapper=nullable == "wrapper",
    )


def _full_name(props: dict[str, str]) -> str | None:
    name = (props.get(FULL_SCHEMA_NAME) or "").strip()
    return None if not name or name.startswith(DEFAULT_NAME) else name


def _maybe_descriptor(text: str) -> descriptor_pb2.FileDescriptorProto | None:
    stripped = text.strip()
    if not stripped or any(c in stripped for c in " \n{;"):
        return None
    try:
        fdp = descriptor_pb2.FileDescriptorProto()
        fdp.ParseFromString(base64.b64decode(stripped, validate=True))
    except (binascii.Error, ValueError, Exception):
        return None
    return fdp if fdp.message_type or fdp.package or fdp.syntax else None


class ParsedProto(ParsedSchema):
    def __init__(
        self,
        protos: list[descriptor_pb2.FileDescriptorProto],
        registered: RegisteredSchema,
        props: dict[str, str],
        framed: bool,
        root: Descriptor | None = None,
    ) -> None:
        self.registered = registered
        self.protos = protos
        self.config = config_of(props)
        self.framed = framed
        self.main = protos[-1] if protos else None
        if root is None:
            pool = protoc.new_pool(protos)
            self.file = pool.FindFileByName(self.main.name)  # type: ignore[union-attr]
            name = _full_name(props)
            if name is not None:
                try:
                    root = pool.FindMessageTypeByName(name)
                except KeyError:
                    raise FormatError(f"Could not find descriptor with name {name}") from None
            else:
                tops = list(self.file.message_types_by_name.values())
                if not tops:
                    raise FormatError("Protobuf schema has no message types")
                root = self.file.message_types_by_name[self.main.message_type[0].name]  # type: ignore[union-attr]
        else:
            self.file = root.file
        self.root = root
        self.indexes = _indexes_of(root)
        self.connect = to_connect(root, self.config)
        self._by_indexes: dict[tuple[int, ...], tuple[CSchema, Callable[[bytes], Any]]] = {}

    def full_names(self) -> list[str]:
        if self.main is None:
            return []
        package = self.main.package
        types = [m.name for m in self.main.message_type] + [e.name for e in self.main.enum_type]
        return [f"{package}.{t}" if package else t for t in types]

    def encoder(self) -> Callable[[Any], bytes]:
        write = message_writer(self.root, self.connect, self.config)
        if not self.framed:
            return lambda v: write(v).SerializeToString()
        head = wire.message_indexes(self.indexes)
        return lambda v: head + write(v).SerializeToString()

    def _reader(self, d: Descriptor) -> tuple[CSchema, Callable[[bytes], Any]]:
        cls = message_factory.GetMessageClass(d)
        config = self.config
        connect = self.connect if d is self.root else to_connect(d, config)
        read = message_reader(d, connect, config)

        def parse(payload: bytes) -> Any:
            m = cls()
            m.ParseFromString(payload)
            return read(m)

        return connect, parse

    def typed_decoder(self) -> Callable[[memoryview], tuple[CSchema, Any]]:
        if not self.framed:
            connect, parse = self._reader(self.root)
            return lambda payload: (connect, parse(bytes(payload)))

        def decode(payload: memoryview) -> tuple[CSchema, Any]:
            indexes, pos = wire.read_message_indexes(payload)
            found = self._by_indexes.get(indexes)
            if found is None:
                found = self._by_indexes[indexes] = self._reader(_message_at(self.file, indexes))
            return found[0], found[1](bytes(payload[pos:]))

        return decode

    def decoder(self) -> Callable[[memoryview], Any]:
        typed = self.typed_decoder()
        return lambda payload: typed(payload)[1]

    def connect_of(self, indexes: tuple[int, ...]) -> CSchema:
        return to_connect(_message_at(self.file, indexes), self.config)


def _indexes_of(d: Descriptor) -> tuple[int, ...]:
    path = []
    while d.containing_type is not None:
        parent = d.containing_type
        path.append([n.full_name for n in parent.nested_types].index(d.full_name))
        d = parent
    path.append([m.full_name for m in d.file.message_types_by_name.values()].index(d.full_name))
    return tuple(reversed(path))


def _message_at(file: Any, indexes: tuple[int, ...]) -> Descriptor:
    try:
        messages = list(file.message_types_by_name.values())
        d = messages[indexes[0]]
        for i in indexes[1:]:
            d = d.nested_types[i]
        return d
    except IndexError:
        raise SerdeError(f"Invalid message indexes: {list(indexes)}") from None


def _generated_protos(fdp: descriptor_pb2.FileDescriptorProto) -> list[descriptor_pb2.FileDescriptorProto]:
    deps = [d for d in fdp.dependency if d in KNOWN_DEPENDENCIES]
    return [*protoc.known_protos(deps), fdp]


class ProtobufFormat(ConnectFormat):
    name = "PROTOBUF"
    registry_type = PROTOBUF
    translator_name = "Protobuf"
    supports_unwrapping = False
    properties = frozenset({FULL_SCHEMA_NAME, SCHEMA_ID, UNWRAP_PRIMITIVES, NULLABLE, SUBJECT_NAME})
    inheritable = frozenset({FULL_SCHEMA_NAME})
    map_key_error = MAP_KEY_ERROR
    framed = True

    def parse(
        self, registered: RegisteredSchema, registry: SchemaRegistryClient | None, props: dict[str, str]
    ) -> ParsedSchema:
        if registered.schema_type != PROTOBUF:
            raise FormatError(f"Expected a PROTOBUF schema, got {registered.schema_type}")
        with _generated_lock:
            known = _generated.get(registered.schema)
        if known is not None:
            return ParsedProto(known, registered, props, self.framed)
        files: dict[str, str] = {}
        if registered.references and registry is not None:
            for ref_name, ref in registry.references(registered).items():
                files[ref_name] = ref.schema
        given = _maybe_descriptor(registered.schema)
        text = to_text(given) if given is not None else registered.schema
        protos = protoc.compile_files(MAIN, {**files, MAIN: text})
        return ParsedProto(protos, registered, props, self.framed)

    def from_connect(self, schema: CSchema, props: dict[str, str], is_key: bool) -> ParsedSchema:
        config = config_of(props)
        if schema.type != STRUCT:
            root = descriptor_pool.Default().FindMessageTypeByName(wrapper_root(schema))
            _ = wrappers_pb2  # the wrappers are in the default pool once imported
            registered = RegisteredSchema(PROTOBUF, root.full_name)
            return ParsedProto([], registered, props, self.framed, root=root)
        fdp = from_connect(schema, _full_name(props), config)
        text = to_text(fdp)
        protos = _generated_protos(fdp)
        with _generated_lock:
            _generated[text] = protos
        return ParsedProto(protos, RegisteredSchema(PROTOBUF, text), props, self.framed)


class ProtobufNoSRFormat(ProtobufFormat):
    name = "PROTOBUF_NOSR"
    uses_registry = False
    schema_inference = False
    supports_unwrapping = True
    properties = frozenset({UNWRAP_PRIMITIVES, NULLABLE})
    inheritable = frozenset()
    framed = False

    def serde(self, columns: Any, options: Any, is_key: bool) -> Any:
        from ksqlserver.formats.base import Serde
        from ksqlserver.formats.sr.connect import columns_schema, translator, unwrap

        cols = tuple(columns)
        for c in cols:
            self.check_type(c)
        props = dict(options.extra)
        self.validate_properties(props)
        if not cols and not is_key:
            return Serde(cols, lambda v: None, lambda d: [])
        unwrapped = self.unwrapped(cols, options, is_key)
        wrapped = columns_schema(cols)
        inner = unwrap(wrapped, unwrapped)
        names = [c.name for c in cols]
        from ksqlserver.catalog.types import struct

        target = cols[0].type if unwrapped else struct([(c.name, c.type) for c in cols])
        topic = options.topic
        if inner.type == STRUCT:
            parsed = self.from_connect(inner, props, is_key)
            encode, decode = parsed.encoder(), parsed.decoder()
            convert = translator(target, parsed.connect)
        else:
            encode, decode, convert = self._primitive_root(inner, wrapped, target, props, is_key)

        def serialize(values: Any) -> bytes | None:
            if values is None:
                return None
            if unwrapped and len(values) != 1:
                raise unwrapped_count_error(topic, len(values))
            value = values[0] if unwrapped else dict(zip(names, values, strict=True))
            if unwrapped and value is None:
                return None
            try:
                return encode(value)
            except SerdeError as e:  # KsqlConnectSerializer: "Error serializing message to topic: ..."
                raise ConnectSerializationError(e.message) from None
            except (TypeError, ValueError, OverflowError) as e:
                # ProtobufData's own exceptions pass ProtobufNoSRConverter unwrapped; a null element is
                # a NullPointerException, whose message is null
                raise ConnectSerializationError("null" if e is NULL_ELEMENT else str(e)) from None

        def deserialize(data: bytes | None) -> list[Any] | None:
            if data is None:
                return None
            try:
                row = convert(decode(memoryview(data)))
            except SerdeError as e:  # the translator's (ConnectDataTranslator) DataException
                raise ConnectDeserializationError(
                    f"Error deserializing message from topic: {topic}. {e.message}", data, [e.message]
                ) from None
            except Exception as e:
                raise converter_error(
                    topic, "Protobuf", [f"Error deserializing Protobuf message: {type(e).__name__}: {e}"], data
                ) from None
            if unwrapped:
                return [row]
            return None if row is None else [row[n] for n in names]

        return Serde(cols, serialize, deserialize, self.features(cols, options, is_key))

    def _primitive_root(
        self, inner: CSchema, wrapped: CSchema, target: Any, props: dict[str, str], is_key: bool
    ) -> tuple[Callable[[Any], bytes], Callable[[Any], Any], Callable[[Any], Any]]:
        """ProtobufNoSRConverter over a non-STRUCT root (a single key column, which ksqlDB always
        unwraps, or a value with WRAP_SINGLE_VALUE=false).

        ProtobufData.fromConnectData writes a primitive as its wrapper message (Int32Value, ...) and a
        DECIMAL/DATE/TIME/TIMESTAMP as its logical message (confluent.type.Decimal, google.type.Date,
        google.type.TimeOfDay, google.protobuf.Timestamp). Reading parses the bytes as the wrapper
        message of the root's Connect type, and without `unwrapPrimitives=true` (which ksqlDB's WITH
        clause sets for PROTOBUF only: CreateSourceProperties, never for PROTOBUF_NOSR) toConnectSchema
        makes that wrapper a STRUCT, which ConnectDataTranslator refuses for the primitive column
        ("Cannot deserialize type struct as type int32"): every non-null record of such a topic goes to
        the processing log. An ARRAY or MAP root is refused per record ("Unsupported root schema of
        type ARRAY", ProtobufData.fromConnectSchema), not at CREATE (the serde factory builds no schema)."""
        from ksqlserver.formats.sr.connect import translator
        from ksqlserver.formats.sr.protobuf_schema import WRAPPERS

        if inner.type not in WRAPPERS:
            unsupported = f"Unsupported root schema of type {inner.type}"

            def refuse(_: Any) -> Any:
                raise ValueError(unsupported)  # IllegalArgumentException, wrapped by the (de)serializer

            return refuse, refuse, refuse
        if inner.name is None:  # a primitive: its wrapper message
            encode = self.from_connect(inner, {**props, UNWRAP_PRIMITIVES: "true"}, is_key).encoder()
        else:  # a logical type: its message, the one field of the wrapped struct's encoding
            write_struct = self.from_connect(wrapped, props, is_key).encoder()

            def encode(value: Any) -> bytes:
                return _only_field_payload(write_struct({wrapped.fields[0][0]: value}))

        root = descriptor_pool.Default().FindMessageTypeByName(WRAPPERS[inner.type])
        _ = wrappers_pb2  # the wrappers are in the default pool once imported
        read_props = props if inner.name is None else {k: v for k, v in props.items() if k != UNWRAP_PRIMITIVES}
        parsed = ParsedProto([], RegisteredSchema(PROTOBUF, root.full_name), read_props, self.framed, root=root)
        return encode, parsed.decoder(), translator(target, parsed.connect)


def _only_field_payload(data: bytes) -> bytes:
    """The payload of a message whose only field is the length-delimited field 1 (tag byte 0x0a)."""
    if not data:
        return data
    pos, length, shift = 1, 0, 0
    while True:
        b = data[pos]
        length |= (b & 0x7F) << shift
        pos += 1
        shift += 7
        if not b & 0x80:
            break
    return data[pos : pos + length]
