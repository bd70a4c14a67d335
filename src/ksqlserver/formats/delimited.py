"""DELIMITED: CSV text as ksqlDB writes it (Commons CSV, minimal quoting, empty field for null)."""

from __future__ import annotations

import base64
import csv
from collections.abc import Callable, Collection, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from ksqlserver.catalog.types import Column, SqlType
from ksqlserver.compile.codegen import Emitter
from ksqlserver.formats.base import Format, FormatError, Serde, SerdeError, SerdeOptions, Snippet
from ksqlserver.formats.coerce import fit_decimal
from ksqlserver.formats.fast_delimited import fast_decoder
from ksqlserver.formats.java_plain import repr_is_java
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
DELIMITER_HELP = "\nExample valid value: ';'"


def parse_delimiter(text: str) -> str:
    """The VALUE_DELIMITER property: one character, or the names TAB and SPACE."""
    if text.upper() == "TAB":
        return "\t"
    if text.upper() == "SPACE":
        return " "
    if text.strip() == "":
        raise FormatError(
            "Failed to prepare statement: Configuration VALUE_DELIMITER is invalid: Delimiter "
            "cannot be empty, if you meant to have a tab or space for delimiter, please use "
            "the special values 'TAB' or 'SPACE'" + DELIMITER_HELP
        )
    if len(text) != 1:
        raise FormatError(
            f"Failed to prepare statement: Configuration VALUE_DELIMITER is invalid: Invalid "
            f"delimiter value: '{text}'. Delimiter must be a single character or TAB,SPACE" + DELIMITER_HELP
        )
    return text


def _parser(t: SqlType) -> Callable[[str], Any]:
    b = t.base
    if b in ("INTEGER", "BIGINT", "TIMESTAMP", "DATE", "TIME"):
        return lambda s: int(s.strip())
    if b == "DOUBLE":
        return float
    if b == "DECIMAL":

        def dec(s: str) -> Decimal:
            try:
                return fit_decimal(Decimal(s.strip()), t)
            except InvalidOperation:
                raise ValueError(f"Invalid DECIMAL: {s}") from None

        return dec
    if b == "BOOLEAN":
        return lambda s: s.strip().lower() == "true"
    if b == "BYTES":
        return lambda s: base64.b64decode(s, validate=True)
    return lambda s: s


def _text(t: SqlType) -> Callable[[Any], str]:
    b = t.base
    if b == "DOUBLE":
        return lambda v: java_double(float(v))
    if b == "BOOLEAN":
        return lambda v: "true" if v else "false"
    if b == "BYTES":
        return lambda v: base64.b64encode(v).decode()
    if b == "DECIMAL":
        return lambda v: format(v, "f")
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
        decode = fast_decoder(columns, options.delimiter, [_parser(c.type) for c in columns], unread)
        if decode is None:
            return None
        return Snippet((f"{out} = {em.bind(decode)}({data})",), f"{out} is not None")

    def encode_snippet(
        self, columns: Sequence[Column], options: SerdeOptions, em: Emitter, values: Sequence[str], out: str
    ) -> Snippet | None:
        """One %-format of the line, where every value's text is certain: exact classes, doubles whose
        repr is Java's text (`java_plain`), a first numeric field that Commons CSV leaves unquoted (> 0);
        strings quoted as the serializer quotes them."""
        delim = options.delimiter
        checks, args, parts = [], [], []
        for k, (c, v) in enumerate(zip(columns, values, strict=True)):
            b = c.type.base
            if b == "DOUBLE":
                checks.append(f"{v}.__class__ is float and {repr_is_java(v)}")
                args.append(v)
                parts.append("%r")
            elif b in ("INTEGER", "BIGINT"):
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
            if k == 0 and b in ("DOUBLE", "INTEGER", "BIGINT"):
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
        if not cols:
            return Serde(cols, lambda v: None, lambda d: [])
        delim = options.delimiter
        parsers = [_parser(c.type) for c in cols]
        texts = [_text(c.type) for c in cols]
        is_string = [c.type.base == "STRING" for c in cols]
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
            # the csv module only when quoting is present: str.split is several times faster
            try:
                fields = next(csv.reader([line], delimiter=delim), [""]) if '"' in line else line.split(delim)
            except csv.Error as e:  # e.g. a line break outside quotes
                raise SerdeError(f"Failed to deserialize delimited data: {e}", data) from None
            if len(fields) != n:
                raise SerdeError(f"Unexpected field count, csvFields:{len(fields)} schemaFields:{n}", data)
            try:
                return [None if f == "" else p(f) for p, f in zip(parsers, fields, strict=True)]
            except (ValueError, SerdeError) as e:
                raise SerdeError(f"Failed to deserialize delimited data: {e}", data) from None

        def ser(values: Sequence[Any] | None) -> bytes | None:
            if values is None:
                return None
            parts = []
            for i, v in enumerate(values):
                if v is None:
                    parts.append("")
                    continue
                s = texts[i](v)
                if is_string[i] or i == 0:
                    s = _quote(s, delim, i == 0)
                parts.append(s)
            return delim.join(parts).encode()

        return Serde(cols, ser, de)
