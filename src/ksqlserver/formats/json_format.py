"""JSON: ksqlDB's text output (Java doubles, exact decimals, base64 bytes) and lenient input."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Collection, Sequence
from decimal import Decimal
from typing import Any

from ksqlserver.catalog.types import Column, SqlType
from ksqlserver.compile.codegen import Emitter
from ksqlserver.formats import json_values
from ksqlserver.formats.base import (
    Format,
    FormatError,
    Serde,
    SerdeError,
    SerdeOptions,
    Snippet,
    unwrapped_count_error,
)
from ksqlserver.formats.fast_json import fast_deserializer, fast_serializer
from ksqlserver.formats.jackson_json import jackson_error
from ksqlserver.formats.javatext import java_double

Writer = Callable[[Any], str]
_dumps = json_values.jackson_string


def writer(t: SqlType) -> Writer:
    """A function rendering one value of type `t` as JSON text (None as null)."""
    b = t.base
    if b == "BOOLEAN":
        return lambda v: "null" if v is None else ("true" if v else "false")
    if b in ("INTEGER", "BIGINT", "TIMESTAMP", "DATE", "TIME"):
        return lambda v: "null" if v is None else str(int(v))
    if b == "DOUBLE":

        def w(v: Any) -> str:
            if v is None:
                return "null"
            s = java_double(float(v))
            return f'"{s}"' if s[-1] in "yN" else s

        return w
    if b == "DECIMAL":  # BigDecimal.toString, as Jackson writes a number: 1E-8 below 10^-6
        return lambda v: "null" if v is None else json_values.decimal_text(v)
    if b == "STRING":
        return lambda v: "null" if v is None else _dumps(v)
    if b == "BYTES":
        return lambda v: "null" if v is None else '"' + base64.b64encode(v).decode() + '"'
    if b == "ARRAY":
        iw = writer(t.item)  # type: ignore[arg-type]
        return lambda v: "null" if v is None else "[" + ",".join(iw(x) for x in v) + "]"
    if b == "MAP":
        vw = writer(t.item)  # type: ignore[arg-type]
        return lambda v: (
            "null"
            if v is None
            else (
                "{"
                + ",".join(('"null"' if k is None else _dumps(str(k))) + ":" + vw(x) for k, x in v.items())
                + "}"
            )
        )
    if b == "STRUCT":
        fws = [(_dumps(n) + ":", n, writer(ft)) for n, ft in t.fields or ()]
        return lambda v: "null" if v is None else ("{" + ",".join(p + w(v.get(n)) for p, n, w in fws) + "}")
    raise FormatError(f"JSON cannot write type {t}")


def _reject_constant(name: str) -> Any:
    raise ValueError(f"Non-standard token '{name}': enable JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS to allow")


_decoder = json.JSONDecoder(parse_float=Decimal, parse_constant=_reject_constant)
_float_decoder = json.JSONDecoder(parse_constant=_reject_constant)
_WS = " \t\n\r"


def read(reader: json_values.Reader, data: bytes) -> Any:
    """`reader` applied to the JSON value of `data`: parsed with floats first (cheaper), again with exact
    decimals where a reader needs a fraction's text (json_values.NeedExact)."""
    try:
        return json_values.read_root(reader, parse(data, exact=False))
    except json_values.NeedExact:
        return json_values.read_root(reader, parse(data))


def parse(data: bytes, exact: bool = True) -> Any:
    """The JSON value at the start of `data` as ObjectMapper.readTree reads it into Jackson's tree (with
    exact decimals): a UTF-8 byte order mark skipped, text after an object, array or string ignored, but a
    root number, true, false or null must be followed by whitespace or the end (a leading zero is an
    error); no value at all is MISSING. SerdeError for text that is not JSON."""
    try:
        text = _decoded(data)
        start = len(text) - len(text.lstrip(_WS))
        if text.startswith("\ufeff") and len(data) >= 4:  # the bootstrapper looks at 4 bytes for a BOM
            start = len(text) - len(text[1:].lstrip(_WS))
        if start == len(text):
            return json_values.MISSING
        value, end = (_decoder if exact else _float_decoder).raw_decode(text, start)
    except ValueError as e:  # UnicodeDecodeError and json.JSONDecodeError included
        # Jackson's own words where it refuses the bytes too (jackson_json.py), else the decoder's
        raise SerdeError(jackson_error(data) or str(e), data) from None
    if end < len(text) and text[end] not in _WS and not isinstance(value, (dict, list, str)):
        raise SerdeError(jackson_error(data) or f"Unexpected character ({text[end]!r}) after a root-level value", data)
    return value


def _decoded(data: bytes) -> str:
    """The text of `data`; where bytes that are not UTF-8 follow a value Jackson reads (ObjectMapper
    .readTree decodes as it parses and never looks past the root value: a windowed key's trailing window
    bytes, say), the text before them."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        if e.start == 0 or jackson_error(data) is not None:
            raise
        return data[: e.start].decode("utf-8")


class JsonFormat(Format):
    name = "JSON"
    supports_wrapping = True
    empty_key_struct = True

    def check_type(self, column: Column) -> None:
        _check_map_keys(column.type)

    def features(self, columns: Sequence[Column], options: SerdeOptions, is_key: bool) -> tuple[str, ...]:
        if len(columns) == 1 and is_key:
            # SerdeFeaturesFactory.getKeyWrapping: a single key in a format that can wrap and unwrap is
            # explicitly unwrapped
            return ("UNWRAP_SINGLES",)
        if len(columns) == 1 and options.wrap_single_value is False:
            return ("UNWRAP_SINGLES",)
        if len(columns) == 1 and options.wrap_single_value is True and not is_key:
            return ("WRAP_SINGLES",)
        return ()

    def decode_snippet(
        self,
        columns: Sequence[Column],
        options: SerdeOptions,
        em: Emitter,
        data: str,
        out: str,
        unread: Collection[int] = (),
    ) -> Snippet | None:
        """One orjson parse and the fields read inline (see fast_json.fast_deserializer), answering None
        for any value it cannot decode exactly as the generic decoder does."""
        read = self.row_reader(columns, options, unread)
        if read is None:
            return None
        return Snippet((f"{out} = {em.bind(read)}({data})",), f"{out} is not None")

    def row_reader(
        self, columns: Sequence[Column], options: SerdeOptions, unread: Collection[int] = ()
    ) -> Callable[[bytes], list[Any] | None] | None:
        if len(columns) == 1 and options.wrap_single_value is False:
            return None
        return fast_deserializer(columns)

    def encode_snippet(
        self, columns: Sequence[Column], options: SerdeOptions, em: Emitter, values: Sequence[str], out: str
    ) -> Snippet | None:
        """The compiled row writer (or one class-checked orjson call, see fast_json), which answers None
        for a row it cannot write exactly as the generic writers do."""
        write = self.row_writer(columns, options)
        if write is None:
            return None
        row = ", ".join(values) + ("," if len(values) == 1 else "")
        return Snippet((f"{out} = {em.bind(write)}(({row}))",), f"{out} is not None")

    def row_writer(self, columns: Sequence[Column], options: SerdeOptions) -> Callable[[tuple[Any, ...]], Any] | None:
        if len(columns) == 1 and options.wrap_single_value is False:
            return None
        return fast_serializer(columns)

    def serde(self, columns: Sequence[Column], options: SerdeOptions, is_key: bool) -> Serde:
        cols = tuple(columns)
        for c in cols:
            self.check_type(c)
        wrap = options.wrap_single_value
        unwrapped = len(cols) == 1 and (wrap is False or (is_key and wrap is None))
        writers = [writer(c.type) for c in cols]
        if not cols and is_key:
            return _empty_key_serde()
        if not cols:
            return Serde(cols, lambda v: None, lambda d: [])

        if unwrapped:
            read0, w0 = json_values.reader(cols[0].type), writers[0]

            def ser1(values: Sequence[Any] | None) -> bytes | None:
                if values is not None and len(values) != 1:
                    raise unwrapped_count_error(options.topic, len(values))  # UnwrappedSerializer
                if values is None or values[0] is None:  # a null single value is no bytes, key or value
                    return None
                return w0(values[0]).encode()

            def de1(data: bytes | None) -> list[Any] | None:
                if data is None:
                    return None
                return [read(read0, data)]

            return Serde(cols, ser1, de1, ("UNWRAP_SINGLES",))

        read_row = json_values.row_reader([(c.name, c.type) for c in cols])
        prefixes = [_dumps(c.name) + ":" for c in cols]
        pairs = list(zip(prefixes, writers, strict=True))
        fast = fast_serializer(cols)  # rows of plain values in one orjson call; None: not applicable
        # objects of plain values in one orjson parse; None: not applicable
        fast_de = fast_deserializer(cols)

        def ser(values: Sequence[Any] | None) -> bytes | None:
            if values is None:
                return None
            if fast is not None and (text := fast(values)) is not None:
                return text
            return ("{" + ",".join(p + w(v) for (p, w), v in zip(pairs, values, strict=True)) + "}").encode()

        def de(data: bytes | None) -> list[Any] | None:
            if data is None:
                return None
            if fast_de is not None and (vals := fast_de(data)) is not None:
                return vals
            return read(read_row, data)  # type: ignore[no-any-return]

        return Serde(cols, ser, de)


def _empty_key_serde() -> Serde:
    """The key of a key-less source: GenericKeySerDe over an empty PersistenceSchema gives JSON's
    wrapped serde of an empty struct (ConnectFormat.handleWrapped): a null key stays null, any other key is
    written `{}`, and a key read back must be a JSON object (or null), whose fields are ignored
    (KsqlJsonDeserializer.enforceFieldTypesForStruct), else the record fails key deserialization."""
    read_row = json_values.row_reader([])

    def ser(values: Sequence[Any] | None) -> bytes | None:
        return None if values is None else b"{}"

    def de(data: bytes | None) -> list[Any] | None:
        return None if data is None else read(read_row, data)  # type: ignore[no-any-return]

    return Serde((), ser, de)


def _check_map_keys(t: SqlType) -> None:
    if t.base == "MAP" and t.key is not None and t.key.base != "STRING":
        raise FormatError("JSON only supports MAP types with STRING keys")
    for inner in (t.item, t.key):
        if inner is not None:
            _check_map_keys(inner)
    for _, ft in t.fields or ():
        _check_map_keys(ft)
