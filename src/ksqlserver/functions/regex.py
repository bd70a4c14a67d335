"""Regular-expression functions with Java's pattern and replacement syntax (translated to Python's)."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from ksqlserver.errors import EvaluationError
from ksqlserver.functions.registry import FunctionRegistry, V, udf

_POSIX = {
    "Lower": "a-z", "Upper": "A-Z", "Alpha": "a-zA-Z", "Digit": "0-9", "Alnum": "a-zA-Z0-9",
    "Punct": re.escape("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"), "Space": " \\t\\n\\x0b\\f\\r",
    "XDigit": "0-9a-fA-F", "Blank": " \\t", "Cntrl": "\\x00-\\x1f\\x7f", "ASCII": "\\x00-\\x7f",
    "L": "^\\W\\d_", "IsAlphabetic": "^\\W\\d_", "IsLetter": "^\\W\\d_", "IsDigit": "\\d", "N": "\\d",
}
_UNICODE_CLASSES = {"L", "IsAlphabetic", "IsLetter", "IsDigit", "N"}
# Java-only syntax, outside / inside a character class (Pattern's escapes Python's re lacks or reads
# differently): \z, \Z (before a final line terminator), \h, \v (vertical white space), \R, \e
_H = r" \t\xa0\u1680\u180e\u2000-\u200a\u202f\u205f\u3000"
_V = r"\n\x0b\f\r\x85\u2028\u2029"
_TERM_END = r"(?:(?=\r\n\Z)|(?<!\r)(?=\n\Z)|(?=[\r\x85\u2028\u2029]\Z)|\Z)"  # Pattern.Dollar, not multiline
_ESC_OUT = {
    "z": r"\Z", "Z": _TERM_END, "h": f"[{_H}]", "H": f"[^{_H}]", "v": f"[{_V}]", "V": f"[^{_V}]",
    "R": r"(?:\r\n|[\n\x0b\f\r\x85\u2028\u2029])", "e": r"\x1b",
}
_ESC_IN = {"h": _H, "v": _V, "e": r"\x1b"}
_DOT = r"[^\n\r\x85\u2028\u2029]"  # '.': no line terminator (without DOTALL / UNIX_LINES)
_FLAGS = re.compile(r"\(\?([a-zA-Z]+)[):-]")
# \b / \B outside a character class (an even run of backslashes before them)
_BOUNDARY = re.compile(r"(?<!\\)((?:\\\\)*)\\([bB])")


def _java_syntax(p: str) -> str:
    """Pattern syntax Python reads differently, outside character classes: '.' and '$' exclude / see every
    Java line terminator (not only \\n), \\Q...\\E quotes, and the escapes of _ESC_OUT / _ESC_IN."""
    flags = set("".join(_FLAGS.findall(p)))
    out, i, depth = [], 0, 0
    while i < len(p):
        c = p[i]
        if c == "\\" and i + 1 < len(p):
            nxt = p[i + 1]
            if nxt == "Q":
                end = p.find("\\E", i + 2)
                end = len(p) if end < 0 else end
                text = p[i + 2 : end]
                out.append(re.escape(text) if not depth else re.sub(r"([\\\]\[^-])", r"\\\1", text))
                i = end + 2
                continue
            table = _ESC_IN if depth else _ESC_OUT
            out.append(table.get(nxt, p[i : i + 2]))
            i += 2
            continue
        if c == "[":
            depth += 1
            out.append(c)
            j = i + 1 + (p[i + 1 : i + 2] == "^")
            if p[j : j + 1] == "]":  # a leading ']' is a literal
                out.append(p[i + 1 : j + 1])
                i = j
        elif c == "]" and depth:
            depth -= 1
            out.append(c)
        elif c == "." and not depth and not flags & {"s", "d"}:
            out.append(_DOT)
        elif c == "$" and not depth and not flags & {"m", "d"}:
            out.append(_TERM_END)
        else:
            out.append(c)
        i += 1
    return "".join(out)


@lru_cache(maxsize=512)
def java_regex(pattern: str) -> re.Pattern[str]:
    """A java.util.regex pattern as a Python one: named groups, POSIX classes.
    Java's \\w, \\d, \\s (and their negations) and (?i) are ASCII-only unless the pattern asks for
    UNICODE_CHARACTER_CLASS / UNICODE_CASE, so the pattern compiles with re.ASCII; Java's \\b (Pattern.Bound:
    Character.isLetterOrDigit) and the Unicode property classes stay Unicode through scoped (?u:...)."""
    p = re.sub(r"\(\?<([A-Za-z][A-Za-z0-9]*)>", r"(?P<\1>", pattern)
    p = re.sub(r"\\k<([A-Za-z][A-Za-z0-9]*)>", r"(?P=\1)", p)

    def posix(m: re.Match[str]) -> str:
        cls = _POSIX.get(m.group(2))
        if cls is None:
            return m.group(0)
        negated = m.group(1) == "P"
        if cls.startswith("^"):
            out = f"[{cls[1:]}]" if negated else f"[{cls}]"
        else:
            out = f"[^{cls}]" if negated else f"[{cls}]"
        return f"(?u:{out})" if m.group(2) in _UNICODE_CLASSES else out

    p = re.sub(r"\\([pP])\{(?:Is)?([A-Za-z]+)\}", posix, p)
    # possessive quantifiers and atomic groups: Python 3.11's re has them with Java's meaning
    if any(c in p for c in ".$\\"):
        p = _java_syntax(p)
    if "\\b" in p or "\\B" in p:
        p = _BOUNDARY.sub(lambda m: f"{m.group(1)}(?u:\\{m.group(2)})", p)
    try:
        return re.compile(p, re.ASCII)
    except re.error as e:
        raise EvaluationError(f"Invalid regular expression pattern: {pattern}") from e


@lru_cache(maxsize=512)
def java_replacement(text: str) -> Callable[[re.Match[str]], str]:
    """Matcher.replaceAll's replacement: `$n` / `${name}` group references, `\\x` a literal x."""
    parts: list[tuple[bool, str | int]] = []  # (is a group reference, literal text or group)
    lit: list[str] = []
    i = 0
    while i < len(text):
        c = text[i]
        if c == "\\":
            if i + 1 == len(text):
                raise EvaluationError("character to be escaped is missing")
            lit.append(text[i + 1])
            i += 2
            continue
        if c != "$":
            lit.append(c)
            i += 1
            continue
        if i + 1 == len(text):
            raise EvaluationError("Illegal group reference: group index is missing")
        ref: str | int
        if text[i + 1] == "{":
            end = text.find("}", i)
            if end < 0:
                raise EvaluationError("named capturing group is missing trailing '}'")
            ref, i = text[i + 2 : end], end + 1
        elif text[i + 1].isdigit():
            j = i + 1
            while j < len(text) and text[j].isdigit():
                j += 1
            ref, i = int(text[i + 1 : j]), j
        else:
            raise EvaluationError("Illegal group reference")
        if lit:
            parts.append((False, "".join(lit)))
            lit = []
        parts.append((True, ref))
    if lit:
        parts.append((False, "".join(lit)))

    def replace(m: re.Match[str]) -> str:
        out = []
        for is_ref, part in parts:
            if not is_ref:
                out.append(part)  # type: ignore[arg-type]
                continue
            try:
                out.append(m.group(part) or "")
            except IndexError as e:
                raise EvaluationError(f"No group {part}") from e
        return "".join(out)

    return replace


def regexp_extract(pattern: str, s: str, group: int = 0) -> str | None:
    p = java_regex(pattern)
    if group > p.groups:
        return None
    m = p.search(s)
    if m is None:
        return None
    if group < 0:  # Matcher.group(int), only reached on a match
        raise EvaluationError(f"No group {group}")
    return m.group(group)


def regexp_extract_all(pattern: str, s: str, group: int = 0) -> list[str | None] | None:
    p = java_regex(pattern)
    if group > p.groups:
        return None
    matches = list(p.finditer(s))
    if matches and group < 0:
        raise EvaluationError(f"No group {group}")
    return [m.group(group) for m in matches]


def regexp_replace(s: str, pattern: str, new: str) -> str:
    return java_regex(pattern).sub(java_replacement(new), s)


def regexp_split(s: str, pattern: str) -> list[str]:
    p = java_regex(pattern)
    if pattern == "" or p.fullmatch(""):
        # Pattern.split: no empty leading piece for a zero-width match at 0, trailing empties dropped
        out, index = [], 0
        for m in p.finditer(s):
            if index == 0 and m.start() == 0 and m.end() == 0:
                continue
            out.append(s[index : m.start()])
            index = m.end()
        if index == 0:
            return [s]
        out.append(s[index:])
        while out and out[-1] == "":
            out.pop()
        return out
    out, index = [], 0  # Guava's Splitter.on(pattern): every piece, empty ones included
    for m in p.finditer(s):
        out.append(s[index : m.start()])
        index = m.end()
    out.append(s[index:])
    return out


def register(r: FunctionRegistry) -> None:
    udf(r, "REGEXP_EXTRACT", "REGULAR EXPRESSION",
        "extract the first subtring matched by a regex pattern",
        V(
            ["VARCHAR pattern", "VARCHAR input"], "VARCHAR", regexp_extract,
            "Returns first substring of the input that matches the given regex pattern",
            docs=["The regex pattern", "The input string to apply regex on"],
        ),
        V(
            ["VARCHAR pattern", "VARCHAR input", "INT group"], "VARCHAR", regexp_extract,
            "Returns the first substring of the input that matches the regex pattern and the capturing "
            "group number specified",
            docs=["The regex pattern", "The input string to apply regex on", "The capturing group number"],
        ),
        java_name="regexp_extract",
    )
    udf(r, "REGEXP_EXTRACT_ALL", "REGULAR EXPRESSION",
        "Extracts the all subtrings matched by a regex pattern",
        V(
            ["VARCHAR pattern", "VARCHAR input"], "ARRAY<VARCHAR>", regexp_extract_all,
            "Returns all substrings of the input that matches the given regex pattern",
            docs=["The regex pattern", "The input string to apply regex on"],
        ),
        V(
            ["VARCHAR pattern", "VARCHAR input", "INT group"], "ARRAY<VARCHAR>", regexp_extract_all,
            "Returns all substrings of the input that matches the regex pattern and the capturing group "
            "number specified",
            docs=["The regex pattern", "The input string to apply regex on", "The capturing group number"],
        ),
        java_name="regexp_extract_all",
    )
    udf(r, "REGEXP_REPLACE", "REGULAR EXPRESSION",
        "Replaces all matches of a regexp in a string with a new substring.",
        V(
            ["VARCHAR str", "VARCHAR regexp", "VARCHAR newStr"], "VARCHAR", regexp_replace,
            "Returns a new string with all matches of regexp in str replaced with newStr",
            docs=[
                "The source string. If null, then function returns null.",
                "The regexp to match. If null, then function returns null.",
                "The string to replace the matches with. If null, then function returns null.",
            ],
        ),
        java_name="regexp_replace",
    )
    udf(r, "REGEXP_SPLIT_TO_ARRAY", "REGULAR EXPRESSION",
        "Splits a string into an array of substrings based on a regexp. If the regexp is found at the "
        "beginning of the string, end of the string, or there are contiguous matches in the string, then "
        "empty strings are added to the array. If the regexp is not found, then the original string is "
        "returned as the only element in the array. If the regexp is empty, then all characters in the "
        "string are split.",
        V(
            ["VARCHAR string", "VARCHAR regexp"], "ARRAY<VARCHAR>", regexp_split,
            "Splits a string into an array of substrings based on a regexp.",
            docs=[
                "The string to be split. If NULL, then function returns NULL.",
                "The regular expression to split the string by. If NULL, then function returns NULL.",
            ],
        ),
        java_name="regexp_split_to_array",
    )
