"""DELIMITED: CSV text as ksqlDB writes it (Commons CSV, minimal quoting, empty field for null)."""

from __future__ import annotations

import base64
import functools
import re
from collections.abc import Callable, Collection, Sequence
from decimal import Decimal
from typing import Any

from ksqlserver.catalog.types import Column, SqlType
from ksqlserver.compile.codegen import Emitter
from ksqlserver.formats.base import Format, FormatError, Serde, SerdeError, SerdeOptions, Snippet
from ksqlserver.formats.fast_delimited import fast_decoder
from ksqlserver.formats.java_plain import repr_is_java
from ksqlserver.formats.javanum import (
    ensure_fit,
    parse_big_decimal,
    parse_double,
    parse_int,
    parse_long,
    plain,
    time_of_day_error,
)
from ksqlserver.formats.javatext import java_double

SUPPORTED = (
    "BOOLEAN",
    "INTEGER",
    "BIGINT",
    "DOUBLE",
    "DECIMAL",
    "STRING",
    "BYTES",
    "TIMESTAMP",
    "DATE",
    "TIME",
)
_NUMBER_CHARS = frozenset("0123456789+-.EINaefinrstuly")  # in Java's text of numbers and booleans
_NOT_JAVA_SPACE = "\x85\xa0\u2007\u202f"  # spaces to Python, not to Character.isWhitespace
_HEADLINE = "Error deserializing delimited"  # KsqlDelimitedDeserializer's message; the cause follows
DELIMITER_HELP = "\nExample valid value: ';'"


def parse_delimiter(text: str, prop: str = "VALUE_DELIMITER") -> str:
    """The VALUE_DELIMITER (or KEY_DELIMITER, `prop`) property: one character, or the names TAB and SPACE."""
    if text.upper() == "TAB":
        return "\t"
    if text.upper() == "SPACE":
        return " "
    if text.strip() == "":
        raise FormatError(
            f"Failed to prepare statement: Configuration {prop} is invalid: Delimiter "
            "cannot be empty, if you meant to have a tab or space for delimiter, please use "
            "the special values 'TAB' or 'SPACE'" + DELIMITER_HELP
        )
    if len(text) != 1:
        raise FormatError(
            f"Failed to prepare statement: Configuration {prop} is invalid: Invalid "
            f"delimiter value: '{text}'. Delimiter must be a single character or TAB,SPACE" + DELIMITER_HELP
        )
    return text


def _java_int(base: str, parse: Callable[[str], int | None]) -> Callable[[str], int]:
    def p(s: str) -> int:
        v = parse(s)
        if v is None:
            raise ValueError(f'For input string: "{s}"')
        return v

    return p


_parse_int = _java_int("INTEGER", parse_int)
_parse_long = _java_int("BIGINT", parse_long)


def _parse_double(s: str) -> float:
    """Double.parseDouble; float() inline first (javanum.parse_double's common case, without its calls)."""
    try:
        v = float(s)
        if v - v == 0.0 and s.isascii() and "_" not in s:
            return v
    except ValueError:
        pass
    r = parse_double(s)
    if r is None:
        raise ValueError(f'For input string: "{s}"' if s.strip() else "empty String")
    return r


def _parse_time(s: str) -> int:
    v = _parse_long(s)
    if (error := time_of_day_error(v)) is not None:
        raise ValueError(error)
    return v


def _parse_bytes(s: str) -> bytes:
    """java.util.Base64's basic decoder: padding optional, nothing outside the alphabet."""
    body = s.rstrip("=") if s.endswith("=") else s
    if len(s) - len(body) > 2 or len(body) % 4 == 1 or "=" in body:
        raise ValueError(f"Value is not a valid Base64 encoded string: {s}")
    try:
        return base64.b64decode(body + "=" * (-len(body) % 4), validate=True)
    except ValueError:
        raise ValueError(f"Value is not a valid Base64 encoded string: {s}") from None


def _parser(t: SqlType) -> Callable[[str], Any]:
    """ksqlDB's parser of a non-empty field for the type: Integer.parseInt, Long.parseLong,
    Double.parseDouble, Boolean.parseBoolean, new BigDecimal with an exact fit, base64."""
    b = t.base
    if b in ("INTEGER", "DATE"):
        return _parse_int
    if b in ("BIGINT", "TIMESTAMP"):
        return _parse_long
    if b == "TIME":
        return _parse_time
    if b == "DOUBLE":
        return _parse_double
    if b == "DECIMAL":
        precision, scale = t.precision or 1, t.scale or 0

        def dec(s: str) -> Decimal:
            d = parse_big_decimal(s)
            if d is None:
                raise ValueError(f"Character array is not a valid decimal number: {s}")
            return ensure_fit(d, precision, scale)

        return dec
    if b == "BOOLEAN":
        return lambda s: s.lower() == "true"
    if b == "BYTES":
        return _parse_bytes
    return lambda s: s


def first_record(line: str, delim: str) -> list[str] | None:
    """The fields of the first record of `line` as Commons CSV (1.4, its DEFAULT format with this
    delimiter) reads them: empty lines skipped, a field quoted only where it starts with the quote, `""`
    in quotes is a quote, whitespace allowed between a closing quote and the delimiter, a record ended by
    CR, LF or CRLF. None: no record at all. ValueError for a malformed quoted field in any record (ksqlDB
    reads them all and keeps the first)."""
    if '"' not in line:  # no quoting: the first non-empty line, split
        rest = line.lstrip("\r\n")
        if not rest:
            return None
        return rest.split("\n", 1)[0].split("\r", 1)[0].split(delim)
    stop = _stops(delim)
    first = None
    i, n = 0, len(line)
    while i < n:
        fields, i = _record(line, delim, i, stop)
        if first is None:
            first = fields
    return first


_EOL = re.compile("[\r\n]")


@functools.cache
def _stops(delim: str) -> re.Pattern[str]:
    """Where an unquoted field ends: the delimiter or a line break."""
    return re.compile(f"[{re.escape(delim)}\r\n]")


def _record(line: str, delim: str, i: int, stop: re.Pattern[str]) -> tuple[list[str] | None, int]:
    """The record starting at `i` (None: only empty lines were left) and where the next one starts."""
    n = len(line)
    while i < n and line[i] in "\r\n":  # empty lines are ignored
        i += 1
    if i >= n:
        return None, n
    fields: list[str] = []
    while True:
        if i < n and line[i] == '"':
            buf = []
            i += 1
            while True:
                q = line.find('"', i)
                if q < 0:
                    raise ValueError("EOF reached before encapsulated token finished")
                buf.append(line[i:q])
                if q + 1 < n and line[q + 1] == '"':  # "" inside quotes: one quote
                    buf.append('"')
                    i = q + 2
                    continue
                i = q + 1
                while i < n and line[i] != delim and line[i] not in "\r\n":
                    if not line[i].isspace() or line[i] in _NOT_JAVA_SPACE:
                        raise ValueError("invalid char between encapsulated token and delimiter")
                    i += 1
                break
            fields.append("".join(buf))
        else:
            m = stop.search(line, i)
            j = n if m is None else m.start()
            if j < n and line[j] == delim:
                # the plain fields up to the next quote (or line end) at once: cut at the last delimiter
                # before it, so the next loop starts at a field boundary
                m_eol = _EOL.search(line, j)
                eol = n if m_eol is None else m_eol.start()
                q = line.find('"', j, eol)
                cut = eol if q < 0 else line.rfind(delim, j, q)
                if cut > j:
                    fields.extend(line[i:cut].split(delim))
                    i = cut
                    if i < n and line[i] == delim:
                        i += 1
                        continue
                    if line.startswith("\r\n", i):
                        return fields, i + 2
                    return fields, i + 1
            fields.append(line[i:j])
            i = j
        if i < n and line[i] == delim:
            i += 1
            continue
        if line.startswith("\r\n", i):
            return fields, i + 2
        return fields, i + 1


def _text(t: SqlType) -> Callable[[Any], str]:
    b = t.base
    if b == "DOUBLE":
        return lambda v: java_double(float(v))
    if b == "BOOLEAN":
        return lambda v: "true" if v else "false"
    if b == "BYTES":
        return lambda v: base64.b64encode(v).decode()
    if b == "DECIMAL":
        return plain
    return str


def _quote(s: str, delim: str, first: bool) -> str:
    """Commons CSV QuoteMode.MINIMAL."""
    if not s:
        return '""' if first else ""
    c = s[0]
    special = (first and not (c.isascii() and c.isalnum())) or c <= "#"
    quote = special or any(ch in s for ch in ('"', delim, "\n", "\r")) or s[-1] <= " "
    if not quote:
        return s
    return '"' + s.replace('"', '""') + '"'


class DelimitedFormat(Format):
    name = "DELIMITED"
    # a key-less source's key: an empty record, written as no text (KsqlDelimitedSerializer prints an empty
    # CSV record), and any key read fails (no fields, or a column count mismatch)
    empty_key_struct = True

    def check_type(self, column: Column) -> None:
        if column.type.base not in SUPPORTED:
            raise FormatError(
                f"The 'DELIMITED' format does not support type '{column.type.base}', column: `{column.name}`"
            )

    def features(self, columns: Sequence[Column], options: SerdeOptions, is_key: bool) -> tuple[str, ...]:
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
        """The line in one call of the compiled decoder (or orjson's, see fast_delimited), which answers
        None for any line it cannot decode exactly as the generic decoder does."""
        decode = self.row_reader(columns, options, unread)
        if decode is None:
            return None
        return Snippet((f"{out} = {em.bind(decode)}({data})",), f"{out} is not None")

    def row_reader(
        self, columns: Sequence[Column], options: SerdeOptions, unread: Collection[int] = ()
    ) -> Callable[[bytes], list[Any] | None] | None:
        return fast_decoder(columns, options.delimiter, [_parser(c.type) for c in columns], unread)

    def encode_snippet(
        self, columns: Sequence[Column], options: SerdeOptions, em: Emitter, values: Sequence[str], out: str
    ) -> Snippet | None:
        """One %-format of the line, where every value's text is certain: exact classes, doubles whose
        repr is Java's text (`java_plain`), a first numeric field that Commons CSV leaves unquoted (> 0);
        strings quoted as the serializer quotes them."""
        delim = options.delimiter
        if delim in _NUMBER_CHARS:  # a number's text would then need quoting: the serializer decides
            return None
        checks, args, parts = [], [], []
        for k, (c, v) in enumerate(zip(columns, values, strict=True)):
            b = c.type.base
            if b == "DOUBLE":
                checks.append(f"{v}.__class__ is float and {repr_is_java(v)}")
                args.append(v)
                parts.append("%r")
            elif b in ("INTEGER", "BIGINT", "TIMESTAMP", "DATE", "TIME"):  # the time types: str() of their long
                checks.append(f"{v}.__class__ is int")
                args.append(v)
                parts.append("%d")
            elif b == "BOOLEAN":
                checks.append(f"{v}.__class__ is bool")
                args.append(f"('true' if {v} else 'false')")
                parts.append("%s")
            elif b == "STRING":
                checks.append(f"{v}.__class__ is str")
                args.append(f"{em.bind(_quote, '_quote')}({v}, {delim!r}, {k == 0})")
                parts.append("%s")
            else:
                return None
            if k == 0 and b in ("DOUBLE", "INTEGER", "BIGINT", "TIMESTAMP", "DATE", "TIME"):
                # the first field is quoted when it starts with a sign or is zero-like: the serializer decides
                checks.append(f"{v} > 0")
        if not parts:
            return None
        template = em.bind(delim.replace("%", "%%").join(parts))
        cond = " and ".join(f"({c})" for c in checks)
        tup = ", ".join(args) + ("," if len(args) == 1 else "")
        return Snippet((f"{out} = ({template} % ({tup})).encode() if {cond} else None",), f"{out} is not None")

    def serde(self, columns: Sequence[Column], options: SerdeOptions, is_key: bool) -> Serde:
        cols = tuple(columns)
        for c in cols:
            self.check_type(c)
        if not cols and not is_key:
            return Serde(cols, lambda v: None, lambda d: [])
        delim, topic = options.delimiter, options.topic
        parsers = [_parser(c.type) for c in cols]
        texts = [_text(c.type) for c in cols]
        n = len(cols)
        fast = fast_decoder(cols, delim, parsers)  # the common plain line in one C call; None: not applicable

        def de(data: bytes | None) -> list[Any] | None:
            if data is None:
                return None
            if fast is not None and (vals := fast(data)) is not None:
                return vals
            # invalid UTF-8 becomes U+FFFD, as Java's new String(bytes, UTF_8) in ksqlDB's deserializer:
            # a number field then fails to parse (processing log), a text field keeps the replacement
            line = data.decode(errors="replace")
            try:
                fields = first_record(line, delim)
            except ValueError as e:
                raise SerdeError(str(e), data, headline=_HEADLINE) from None
            if not fields:
                raise SerdeError("No fields in record", data, headline=_HEADLINE)
            if len(fields) != n:
                raise SerdeError(
                    f"Column count mismatch on deserialization. topic: {topic}, expected: {n}, got: {len(fields)}",
                    data,
                    headline=_HEADLINE,
                )
            try:
                return [None if f == "" else p(f) for p, f in zip(parsers, fields, strict=True)]
            except ValueError as e:
                raise SerdeError(str(e), data, headline=_HEADLINE) from None

        def ser(values: Sequence[Any] | None) -> bytes | None:
            if values is None:
                return None
            parts = []
            for i, v in enumerate(values):
                if v is None:
                    parts.append("")
                    continue
                parts.append(_quote(texts[i](v), delim, i == 0))  # Commons CSV quotes any value
            # String.getBytes(UTF_8): a lone surrogate (a Java String may hold one) becomes '?'
            return delim.join(parts).encode("utf-8", "replace")

        return Serde(cols, ser, de)
