"""String functions with ksqlDB's null handling and index rules (1-based positions, Java trim)."""

from __future__ import annotations

import base64
import re
from typing import Any

from ksqlserver.catalog import types as T
from ksqlserver.functions.registry import FunctionRegistry, fn


def _mask_char(c: str, upper: str | None, lower: str | None, digit: str | None, other: str | None) -> str:
    if c.isupper():
        return upper if upper is not None else c
    if c.islower():
        return lower if lower is not None else c
    if c.isdigit():
        return digit if digit is not None else c
    return other if other is not None else c


def _masker(args: tuple[Any, ...]) -> tuple[str | None, ...]:
    """MASK's replacement chars: defaults X x n -; an explicit NULL keeps that class unmasked."""
    defaults = ["X", "x", "n", "-"]
    out: list[str | None] = []
    for i, d in enumerate(defaults):
        if i < len(args):
            a = args[i]
            out.append(a[0] if a else None)
        else:
            out.append(d)
    return tuple(out)


def mask(s: str | None, *chars: Any) -> str | None:
    if s is None:
        return None
    m = _masker(chars)
    return "".join(_mask_char(c, *m) for c in s)


def mask_range(s: str | None, start: int, end: int, chars: tuple[Any, ...]) -> str | None:
    if s is None:
        return None
    m = _masker(chars)
    return s[:start] + "".join(_mask_char(c, *m) for c in s[start:end]) + s[end:]


def _count(n: Any) -> int:
    if n is None or n < 0:
        raise ValueError(f"function input must be >= 0: {n}")
    return int(n)


def mask_left(s: str | None, n: Any, *chars: Any) -> str | None:
    return mask_range(s, 0, _count(n), chars)


def mask_right(s: str | None, n: Any, *chars: Any) -> str | None:
    return None if s is None else mask_range(s, max(len(s) - _count(n), 0), len(s), chars)


def mask_keep_left(s: str | None, n: Any, *chars: Any) -> str | None:
    return None if s is None else mask_range(s, min(_count(n), len(s)), len(s), chars)


def mask_keep_right(s: str | None, n: Any, *chars: Any) -> str | None:
    return None if s is None else mask_range(s, 0, max(len(s) - _count(n), 0), chars)


def _start(length: int, pos: int) -> int:
    return max(length + pos, 0) if pos < 0 else max(min(pos - 1, length), 0)


def substring(s: Any, pos: int, length: int | None = None) -> Any:
    start = _start(len(s), pos)
    if length is None:
        return s[start:]
    end = max(min(start + length, len(s)), start)
    return s[start:end]


def java_trim(s: str) -> str:
    return s.strip("".join(chr(i) for i in range(33)))


def initcap(s: str) -> str:
    return " ".join(w[:1].upper() + w[1:].lower() for w in s.split(" "))


def lpad(s: Any, n: int, pad: Any) -> Any:
    if n < 0 or len(pad) == 0:
        return None
    need = max(n - len(s), 0)
    fill = (pad * (need // len(pad) + 1))[:need]
    return (fill + s)[:n]


def rpad(s: Any, n: int, pad: Any) -> Any:
    if n < 0 or len(pad) == 0:
        return None
    need = max(n - len(s), 0)
    fill = (pad * (need // len(pad) + 1))[:need]
    return (s + fill)[:n]


def split(s: Any, delim: Any) -> list[Any]:
    if len(delim) == 0:
        return [s[i : i + 1] for i in range(len(s))] if s else [s]
    return s.split(delim)


def regexp_split(s: str, pattern: str) -> list[str]:
    """Java's String.split(regex, -1): groups are not returned, trailing empty strings are kept."""
    if pattern == "":
        return list(s)
    out, pos = [], 0
    for m in re.finditer(pattern, s):
        if m.end() == 0:
            continue
        out.append(s[pos : m.start()])
        pos = m.end()
    out.append(s[pos:])
    return out


def instr(s: str, sub: str, pos: int = 1, occurrence: int = 1) -> int:
    if occurrence <= 0:
        return 0
    if pos < 0:
        idx = len(s) + pos + 1
        for _ in range(occurrence):
            idx = s.rfind(sub, 0, idx + len(sub) - 1 if idx > 0 else 0) if idx > 0 else -1
            if idx < 0:
                return 0
        return idx + 1
    idx = pos - 2
    for _ in range(occurrence):
        idx = s.find(sub, idx + 1)
        if idx < 0:
            return 0
    return idx + 1


def concat(*parts: Any) -> Any:
    present = [p for p in parts if p is not None]
    if present and isinstance(present[0], bytes):
        return b"".join(present)
    return "".join(present)


def concat_ws(sep: Any, *parts: Any) -> Any:
    if sep is None:
        return None
    return sep.join(p for p in parts if p is not None)


def to_bytes(s: str, encoding: str) -> bytes:
    enc = encoding.lower()
    if enc == "hex":
        return bytes.fromhex(s)
    if enc == "base64":
        return base64.b64decode(s)
    if enc in ("utf8", "ascii"):
        return s.encode("utf-8" if enc == "utf8" else "ascii")
    raise ValueError(f"Supported input encodings are: hex, utf8, ascii and base64, got: {encoding}")


def from_bytes(b: bytes, encoding: str) -> str:
    enc = encoding.lower()
    if enc == "hex":
        return b.hex()
    if enc == "base64":
        return base64.b64encode(b).decode()
    return b.decode("utf-8" if enc == "utf8" else "ascii")


def register(r: FunctionRegistry) -> None:
    S, INT, B = T.STRING, T.INTEGER, T.BYTES
    m5 = ["STRING", "STRING", "STRING", "STRING"]
    fn(
        r,
        "MASK",
        "Returns a masked version of the input string. All characters of the input will be "
        "replaced according to the default masking rules.",
        "STRING",
        (["STRING"], S, mask, "Returns a masked version of the input string.", False),
        (["STRING", *m5], S, mask, "Masks with the given replacement characters.", False),
    )
    for name, impl, what in (
        ("MASK_LEFT", mask_left, "first"),
        ("MASK_RIGHT", mask_right, "last"),
        ("MASK_KEEP_LEFT", mask_keep_left, "all but the first"),
        ("MASK_KEEP_RIGHT", mask_keep_right, "all but the last"),
    ):
        fn(
            r,
            name,
            f"Returns a masked version of the input string. The {what} n characters will be "
            f"replaced according to the default masking rules.",
            "STRING",
            (["STRING", "INTEGER"], S, impl, "", False),
            (["STRING", "INTEGER", *m5], S, impl, "", False),
        )
    fn(
        r,
        "CONCAT",
        "Concatenate an arbitrary number of string or bytes fields together.",
        "STRING",
        (["STRING", "..."], S, concat, "", False),
        (["BYTES", "..."], B, concat, "", False),
    )
    fn(
        r,
        "CONCAT_WS",
        "Concatenates strings or bytes using a separator.",
        "STRING",
        (["STRING", "STRING", "..."], S, concat_ws, "", False),
        (["BYTES", "BYTES", "..."], B, concat_ws, "", False),
    )
    fn(
        r,
        "SUBSTRING",
        "Returns a substring of the passed in value (positions are 1-based).",
        "STRING",
        (["STRING", "INTEGER"], S, substring),
        (["STRING", "INTEGER", "INTEGER"], S, substring),
        (["BYTES", "INTEGER"], B, substring),
        (["BYTES", "INTEGER", "INTEGER"], B, substring),
    )
    fn(
        r,
        "LEN",
        "Returns the length of the input string or bytes.",
        "STRING",
        (["STRING"], INT, len),
        (["BYTES"], INT, len),
    )
    fn(r, "UCASE", "Returns the input string in upper case.", "STRING", (["STRING"], S, str.upper))
    fn(r, "LCASE", "Returns the input string in lower case.", "STRING", (["STRING"], S, str.lower))
    fn(
        r,
        "INITCAP",
        "Capitalizes the first letter of each word and lower-cases the rest.",
        "STRING",
        (["STRING"], S, initcap),
    )
    fn(r, "TRIM", "Removes leading and trailing whitespace.", "STRING", (["STRING"], S, java_trim))
    fn(
        r,
        "LPAD",
        "Pads the input on the left to the given length.",
        "STRING",
        (["STRING", "INTEGER", "STRING"], S, lpad),
        (["BYTES", "INTEGER", "BYTES"], B, lpad),
    )
    fn(
        r,
        "RPAD",
        "Pads the input on the right to the given length.",
        "STRING",
        (["STRING", "INTEGER", "STRING"], S, rpad),
        (["BYTES", "INTEGER", "BYTES"], B, rpad),
    )
    fn(
        r,
        "REPLACE",
        "Replaces all occurrences of a substring with another.",
        "STRING",
        (["STRING", "STRING", "STRING"], S, lambda s, a, b: s.replace(a, b)),
    )
    fn(
        r,
        "REGEXP_REPLACE",
        "Replaces all matches of a regular expression.",
        "STRING",
        (["STRING", "STRING", "STRING"], S, lambda s, p, b: re.sub(p, re.sub(r"\$(\d)", r"\\\1", b), s)),
    )
    fn(
        r,
        "SPLIT",
        "Splits a string or bytes into an array on a delimiter.",
        "STRING",
        (["STRING", "STRING"], T.array(S), split),
        (["BYTES", "BYTES"], T.array(B), split),
    )
    fn(
        r,
        "REGEXP_SPLIT_TO_ARRAY",
        "Splits a string into an array on a regular expression.",
        "STRING",
        (["STRING", "STRING"], T.array(S), regexp_split),
    )
    fn(
        r,
        "INSTR",
        "Returns the 1-based position of a substring, or 0.",
        "STRING",
        (["STRING", "STRING"], INT, instr),
        (["STRING", "STRING", "INTEGER"], INT, instr),
        (["STRING", "STRING", "INTEGER", "INTEGER"], INT, instr),
    )
    fn(
        r,
        "TO_BYTES",
        "Converts a string to bytes with the given encoding.",
        "STRING",
        (["STRING", "STRING"], B, to_bytes),
    )
    fn(
        r,
        "FROM_BYTES",
        "Converts bytes to a string with the given encoding.",
        "STRING",
        (["BYTES", "STRING"], S, from_bytes),
    )
    fn(r, "CHR", "Returns the character of a code point.", "STRING", (["INTEGER"], S, chr))
    fn(r, "REVERSE", "Reverses a string.", "STRING", (["STRING"], S, lambda s: s[::-1]))
