"""C-speed decoders for the common DELIMITED line.

The compiled decoder (`native/delimited.c`, built at first use by `formats.native`) parses a line of plain or
`"quoted"` fields straight into Python values for any one-byte delimiter; it answers only where its result
is provably the generic decoder's (`formats.delimited`) and returns None otherwise. Without a C compiler,
the line is parsed by orjson as a JSON array instead:

A comma-separated line of plain numbers and `"quoted"` strings is also a JSON array body, and orjson parses
it in one C call (several times faster than `str.split` plus `float` per field). It is used only where the
result is provably the generic decoder's (`formats.delimited`): JSON numbers are a subset of what `float`
and `int` accept and orjson rounds exactly as `float` does; a JSON string without backslashes is the CSV
field's text. Every other line (empty or unquoted text fields, escapes, `-0`, whitespace next to a
string, a number in a STRING column, ...) returns None and the generic decoder decides, error texts
included.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Sequence
from typing import Any

import orjson

from ksqlserver.catalog.types import Column
from ksqlserver.formats.javanum import MILLIS_PER_DAY
from ksqlserver.formats.native import textformats

# types orjson may give per column type; an int in a DOUBLE column is converted with float() (exact, as
# float(text) is), a str (a quoted CSV field) in another column with the generic field parser
_ACCEPT: dict[str, tuple[type, ...]] = {
    "DOUBLE": (float, int, str),
    "INTEGER": (int, str),
    "BIGINT": (int, str),
    "STRING": (str,),
    "BOOLEAN": (bool, str),
}
_MAX_SHAPES = 256  # distinct per-field type tuples remembered (real topics have a handful)

# the time types are read as the generic decoder reads them (formats.delimited._parser): TIMESTAMP as a
# Long.parseLong, DATE as an Integer.parseInt, TIME as a Long.parseLong within one day (checked after the
# C decoder: a TIME column is always decoded, never only checked, so its range can be)
_CODES = {"DOUBLE": "D", "INTEGER": "N", "BIGINT": "I", "STRING": "S", "BOOLEAN": "B",
          "TIMESTAMP": "I", "DATE": "N", "TIME": "I"}  # fmt: skip

Decoder = Callable[[bytes], "list[Any] | None"]


def native_spec(columns: Sequence[Column], delimiter: str, unread: Collection[int] = ()) -> bytes | None:
    """The C decoder's spec for these columns (delimiter byte + one type code each, lower case for
    `unread` ones), or None when the schema or delimiter does not qualify or the decoder is missing."""
    if textformats() is None or len(delimiter.encode()) != 1 or delimiter == '"':
        return None
    if not columns or any(c.type.base not in _CODES for c in columns):
        return None
    codes = [_CODES[c.type.base] for c in columns]
    unread = {i for i in unread if columns[i].type.base != "TIME"}
    return (delimiter + "".join(x.lower() if i in unread else x for i, x in enumerate(codes))).encode()


def _int_to_double(x: int) -> float:
    """float(x), except that the int 0 is refused: JSON reads "-0" as 0 and the sign would be lost."""
    if x == 0:
        raise ValueError("zero: sign unknown")
    return float(x)


def _int32(x: int) -> int:
    """An int as Integer.parseInt gives it; ValueError beyond its range."""
    if not -(2**31) <= x < 2**31:
        raise ValueError("out of int range")
    return x


def fast_decoder(
    columns: Sequence[Column],
    delimiter: str,
    parsers: Sequence[Callable[[str], Any]],
    unread: Collection[int] = (),
) -> Decoder | None:
    """A decoder giving exactly the generic decoder's values (`parsers`: its field parsers), or None for
    lines it leaves to it; None when the schema does not qualify. Columns at the `unread` positions may
    be given as None (the compiled decoder then only checks them, as the generic decoder would parse
    them: a malformed unread field still sends the line to the generic decoder)."""
    spec = native_spec(columns, delimiter, unread)
    if spec is not None:
        module = textformats()
        assert module is not None
        decode = functools.partial(module.decode, spec)
        times = [i for i, c in enumerate(columns) if c.type.base == "TIME"]
        return decode if not times else _time_checked(decode, times)
    return json_decoder(columns, delimiter, parsers)


def _time_checked(decode: Decoder, times: Sequence[int]) -> Decoder:
    """`decode`, declining a line whose TIME field lies outside one day (the generic decoder reports it)."""

    def checked(data: bytes) -> list[Any] | None:
        vals = decode(data)
        if vals is not None:
            for i in times:
                x = vals[i]
                if x is not None and not 0 <= x <= MILLIS_PER_DAY:
                    return None
        return vals

    return checked


def json_decoder(
    columns: Sequence[Column], delimiter: str, parsers: Sequence[Callable[[str], Any]]
) -> Decoder | None:
    """The orjson decoder (comma-delimited lines only), for machines without a C compiler."""
    if delimiter != "," or not columns or any(c.type.base not in _ACCEPT for c in columns):
        return None
    bases = [c.type.base for c in columns]
    n = len(bases)
    loads, decode_error = orjson.loads, orjson.JSONDecodeError
    # per-field type tuple -> (converters as (position, function), positions holding a str), or None:
    # refuse the line
    Plan = tuple[tuple[tuple[int, Callable[[Any], Any]], ...], tuple[int, ...]]
    shapes: dict[tuple[type, ...], Plan | None] = {}

    def shape_plan(shape: tuple[type, ...]) -> Plan | None:
        if len(shape) != n:
            return None
        convert: list[tuple[int, Callable[[Any], Any]]] = []
        strings = []
        for i, (t, b) in enumerate(zip(shape, bases, strict=True)):
            if t not in _ACCEPT[b]:
                return None
            if t is str:
                strings.append(i)
                if b != "STRING":
                    convert.append((i, parsers[i]))
            elif b == "DOUBLE" and t is int:
                convert.append((i, _int_to_double))
            elif b == "INTEGER" and t is int:
                convert.append((i, _int32))
        return tuple(convert), tuple(strings)

    def decode(data: bytes) -> list[Any] | None:
        if b"\\" in data:  # a JSON escape, but plain text in CSV
            return None
        # whitespace next to a quoted field is part of the CSV field, insignificant in JSON
        if b'"' in data and (b" " in data or b"\t" in data or b"\r" in data or b"\n" in data):
            return None
        try:
            vals = loads(b"[" + data + b"]")
        except decode_error:
            return None
        shape = tuple(map(type, vals))
        if shape in shapes:
            plan = shapes[shape]
        else:
            plan = shape_plan(shape)
            if len(shapes) < _MAX_SHAPES:
                shapes[shape] = plan
        if plan is None:
            return None
        convert, strings = plan
        # "" is an empty field (null) in CSV, an empty string in JSON
        if strings and not all(map(vals.__getitem__, strings)):
            return None
        try:
            for i, conv in convert:
                vals[i] = conv(vals[i])
        except ValueError:  # the generic decoder decides (and reports) it
            return None
        return vals  # type: ignore[no-any-return]

    return decode
