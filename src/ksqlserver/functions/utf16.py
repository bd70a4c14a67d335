"""Java's view of a string: a sequence of UTF-16 chars. ksqlDB's string UDFs index, count and pad by
chars (String.length, substring, StringBuilder), so a character outside the BMP is two of them; these
helpers let the Python implementations work on that sequence and join valid pairs back afterwards."""

from __future__ import annotations

_BMP_END = "\U00010000"


def _pair(c: str) -> str:
    o = ord(c) - 0x10000
    return chr(0xD800 + (o >> 10)) + chr(0xDC00 + (o & 0x3FF))


def to_units(s: str) -> str:
    """s with every supplementary character as its two surrogates (one Python character per Java char)."""
    if s.isascii() or max(s) < _BMP_END:
        return s
    return "".join(_pair(c) if c >= _BMP_END else c for c in s)


def from_units(s: str) -> str:
    """Surrogate pairs joined into one character again; a lone surrogate stays, as in a Java String (it
    then fails to serialize, as Jackson's UTF-8 writer fails on it)."""
    if s.isascii() or not any("\ud800" <= c <= "\udfff" for c in s):
        return s
    return s.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def code_points(units: str) -> list[str]:
    """Masker.mask's walk: at every char index the code point starting there (String.codePointAt), so
    a pair gives its character and then its low surrogate on its own."""
    out = []
    for i, c in enumerate(units):
        if "\ud800" <= c <= "\udbff" and i + 1 < len(units) and "\udc00" <= units[i + 1] <= "\udfff":
            out.append(from_units(c + units[i + 1]))
        else:
            out.append(c)
    return out
