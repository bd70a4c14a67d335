"""DELIMITED: CSV text as ksqlDB writes it (Commons CSV, minimal quoting, empty field for null)."""

from __future__ import annotations

import base64
import csv
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from ksqlserver.catalog.types import Column, SqlType
from ksqlserver.formats.base import Format, FormatError, Serde, SerdeError, SerdeOptions
from ksqlserver.formats.coerce import fit_decimal
from ksqlserver.formats.fast_delimited import fast_decoder
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
