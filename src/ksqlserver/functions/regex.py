"""Regular-expression functions with Java's pattern and replacement syntax (translated to Python's)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
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
# '^' and '$' by the flags in force (Pattern.Caret / UnixCaret, Dollar / UnixDollar): MULTILINE '^' follows
# any line terminator (not inside \r\n) and never matches at the end of the input; MULTILINE '$' precedes
# one; UNIX_LINES knows only \n
_CARET_M = r"(?:(?<![\s\S])|(?<=[\n\x85\u2028\u2029])|(?<=\r)(?!\n))(?=[\s\S])"
_CARET_MD = r"(?:(?<![\s\S])|(?<=\n))(?=[\s\S])"
_DOLLAR_M = r"(?:(?=\n)(?<!\r)|(?=[\r\x85\u2028\u2029])|\Z)"
_DOLLAR_MD = r"(?:(?=\n)|\Z)"
# java.util.regex's ASCII \w \d \s, spelled out where a Unicode scope ((?iu): UNICODE_CASE) would widen them
_ASCII_OUT = {
    "w": "[a-zA-Z0-9_]", "W": "[^a-zA-Z0-9_]", "d": "[0-9]", "D": "[^0-9]",
    "s": r"[ \t\n\x0b\f\r]", "S": r"[^ \t\n\x0b\f\r]",
}
_ASCII_IN = {"w": "a-zA-Z0-9_", "d": "0-9", "s": r" \t\n\x0b\f\r"}
_JAVA_FLAGS = frozenset("idmsuxU")
_SPACE = " \t\n\x0b\f\r"  # ASCII.isSpace: what COMMENTS mode skips


def _posix(name: str, negated: bool) -> str:
    cls = _POSIX.get(name.removeprefix("Is")) or _POSIX.get(name)
    if cls is None:
        return ("\\P" if negated else "\\p") + "{" + name + "}"
    if cls.startswith("^"):
        out = f"[{cls[1:]}]" if negated else f"[{cls}]"
    else:
        out = f"[^{cls}]" if negated else f"[{cls}]"
    return f"(?u:{out})" if name.removeprefix("Is") in _UNICODE_CLASSES or name in _UNICODE_CLASSES else out


class _Translator:
    r"""java.util.regex syntax to Python's, one pass with the flags in force per group (Pattern's inline
    `(?idmsux-idmsux)` sets flags to the end of the enclosing group, `(?flags:X)` within X). DOTALL,
    MULTILINE, UNIX_LINES and COMMENTS are applied here ('.', '^', '$' spelled out, whitespace and #
    comments dropped, in character classes too); CASE_INSENSITIVE (ASCII only, as Python's under re.ASCII)
    and UNICODE_CASE / UNICODE_CHARACTER_CLASS become Python's scoped (?i:...) / (?u:...) groups. A \G
    (Pattern.LastMatch) is taken at the start of every alternative of the pattern only (`anchored`)."""

    def __init__(self, pattern: str) -> None:
        self.p = pattern
        self.i = 0
        self.out: list[str] = []
        # per open group: [flags in force, scopes opened inside it to close with it, flags it opened with]
        self.levels: list[list] = [[frozenset(), 0, frozenset()]]
        self.anchored = False
        self.g_count = 0  # \G seen
        self.alt_starts = 1  # alternatives of the top level
        self.alt_at_start = True  # nothing emitted yet in this top-level alternative

    @property
    def flags(self) -> frozenset[str]:
        return self.levels[-1][0]

    def run(self) -> str:
        p = self.p
        while self.i < len(p):
            c = p[self.i]
            top = len(self.levels) == 1
            if "x" in self.flags and c in _SPACE:
                self.i += 1
                continue
            if "x" in self.flags and c == "#":
                self._skip_comment()
                continue
            if c == "\\" and self.i + 1 < len(p):
                if p[self.i + 1] == "G":
                    if not (top and self.alt_at_start):
                        raise EvaluationError(f"Invalid regular expression pattern: {p}")
                    self.g_count += 1
                    self.i += 2
                    continue
                self._escape(in_class=False)
            elif c == "[":
                self._char_class()
            elif c == "(":
                self._open()
            elif c == ")" and len(self.levels) > 1:
                closers = self.levels.pop()[1]
                self.out.append(")" * closers + ")")
                self.i += 1
            elif c == "|":
                # the flags set in this group hold in its next alternative too: close their Python scope
                # before the '|' (so it still separates this group's alternatives) and open it again after
                level = self.levels[-1]
                self.out.append(")" * level[1] + "|")
                scope = _py_scope(level[2], level[0])
                self.out.append(scope)
                level[1] = 1 if scope else 0
                self.i += 1
                if top:
                    self.alt_starts += 1
                    self.alt_at_start = True
                    continue
            elif c == ".":
                f = self.flags
                self.out.append(r"[\s\S]" if "s" in f else "[^\n]" if "d" in f else _DOT)
                self.i += 1
            elif c == "^":
                f = self.flags
                self.out.append((_CARET_MD if "d" in f else _CARET_M) if "m" in f else "^")
                self.i += 1
            elif c == "$":
                f = self.flags
                if "m" in f:
                    self.out.append(_DOLLAR_MD if "d" in f else _DOLLAR_M)
                else:
                    self.out.append("$" if "d" in f else _TERM_END)
                self.i += 1
            else:
                self.out.append(c)
                self.i += 1
            if top:
                self.alt_at_start = False
        self.out.append(")" * self.levels[0][1])
        self.anchored = self.g_count > 0
        if self.anchored and self.g_count != self.alt_starts:
            raise EvaluationError(f"Invalid regular expression pattern: {p}")
        return "".join(self.out)

    def _skip_comment(self) -> None:
        """COMMENTS mode: '#' to the end of the line (Pattern.parsePastLine)."""
        seps = "\n" if "d" in self.flags else "\n\r\x85\u2028\u2029"
        while self.i < len(self.p) and self.p[self.i] not in seps:
            self.i += 1

    def _unicode_scope(self) -> bool:
        """Whether a Python (?u:...) scope is in force (CASE_INSENSITIVE with UNICODE_CASE, or U)."""
        f = self.flags
        return "U" in f or ("i" in f and "u" in f)

    def _escape(self, in_class: bool) -> None:
        p = self.p
        nxt = p[self.i + 1]
        if nxt == "Q":
            end = p.find("\\E", self.i + 2)
            end = len(p) if end < 0 else end
            text = p[self.i + 2 : end]
            self.out.append(re.sub(r"([\\\]\[^-])", r"\\\1", text) if in_class else re.escape(text))
            self.i = end + 2
            return
        if nxt in "pP" and p[self.i + 2 : self.i + 3] == "{":
            close = p.find("}", self.i + 3)
            if close > 0:
                name = p[self.i + 3 : close]
                text = _posix(name, nxt == "P")
                if in_class and text.startswith("[") and text.endswith("]") and not text.startswith("[^"):
                    text = text[1:-1]
                self.out.append(text)
                self.i = close + 1
                return
        ascii_only = self._unicode_scope() and "U" not in self.flags
        if in_class:
            if ascii_only and nxt in _ASCII_IN:
                self.out.append(_ASCII_IN[nxt])
            else:
                self.out.append(_ESC_IN.get(nxt, p[self.i : self.i + 2]))
        elif nxt in "bB":
            self.out.append(f"(?u:\\{nxt})")  # Pattern.Bound: Character.isLetterOrDigit
        elif ascii_only and nxt in _ASCII_OUT:
            self.out.append(_ASCII_OUT[nxt])
        else:
            self.out.append(_ESC_OUT.get(nxt, p[self.i : self.i + 2]))
        self.i += 2

    def _char_class(self) -> None:
        p = self.p
        depth = 0
        while self.i < len(p):
            c = p[self.i]
            if "x" in self.flags and c in _SPACE:
                self.i += 1
                continue
            if "x" in self.flags and c == "#":
                self._skip_comment()
                continue
            if c == "\\" and self.i + 1 < len(p):
                self._escape(in_class=True)
                continue
            if c == "[":
                depth += 1
                self.out.append(c)
                j = self.i + 1 + (p[self.i + 1 : self.i + 2] == "^")
                if p[j : j + 1] == "]":  # a leading ']' is a literal
                    self.out.append(p[self.i + 1 : j + 1])
                    self.i = j
                self.i += 1
                continue
            self.out.append(c)
            self.i += 1
            if c == "]":
                depth -= 1
                if depth == 0:
                    return

    def _open(self) -> None:
        p = self.p
        m = re.match(r"\(\?([a-zA-Z]*)(?:-([a-zA-Z]*))?([:)])", p[self.i :])
        if m and (m.group(1) or m.group(2) is not None) and set(m.group(1) + (m.group(2) or "")) <= _JAVA_FLAGS:
            on, off = set(m.group(1)), set(m.group(2) or "")
            before = self.flags
            after = frozenset((before | on) - off)
            scope = _py_scope(before, after)
            if m.group(3) == ")":  # to the end of the enclosing group
                self.levels[-1][0] = after
                if scope:
                    self.out.append(scope)
                    self.levels[-1][1] += 1
                self.i += m.end()
                return
            self.levels.append([after, 0, after])
            self.out.append(scope or "(?:")  # the scope is the group itself
            self.i += m.end()
            return
        self.levels.append([self.flags, 0, self.flags])
        if p.startswith("(?", self.i):
            end = self.i + 2
            if p.startswith("(?<", self.i) and p[end + 1 : end + 2] not in ("=", "!"):
                close = p.index(">", self.i)  # a named group (already (?P<name>) when it had a plain name)
                self.out.append(p[self.i : close + 1])
                self.i = close + 1
                return
            if p.startswith("(?P<", self.i) or p.startswith("(?P=", self.i):
                close = p.index(">" if p[self.i + 2 : self.i + 4] == "P<" else ")", self.i)
                if p[self.i + 2 : self.i + 4] == "P=":
                    self.levels.pop()
                    self.out.append(p[self.i : close + 1])
                    self.i = close + 1
                    return
                self.out.append(p[self.i : close + 1])
                self.i = close + 1
                return
            two = p[self.i : self.i + 4]
            taken = 4 if two.startswith(("(?<=", "(?<!")) else 3
            self.out.append(p[self.i : self.i + taken])
            self.i += taken
            return
        self.out.append("(")
        self.i += 1


def _py_scope(before: frozenset[str], after: frozenset[str]) -> str:
    """The Python scope opener `(?i:`, `(?-i:`, `(?u:`, `(?a:` for a change of the flags Python applies
    (i; u when it matters: UNICODE_CASE with i, or U), "" when nothing Python sees changes."""

    def py(f: frozenset[str]) -> tuple[bool, bool]:
        return "i" in f, "U" in f or ("i" in f and "u" in f)

    (i0, u0), (i1, u1) = py(before), py(after)
    if (i0, u0) == (i1, u1):
        return ""
    on = ("i" if i1 and not i0 else "") + ("u" if u1 and not u0 else "a" if u0 and not u1 else "")
    off = "i" if i0 and not i1 else ""
    return f"(?{on}{'-' + off if off else ''}:"


class _LastMatchPattern:
    r"""A pattern whose every alternative starts with \G (Pattern.LastMatch): each find must start where the
    previous match ended (the first at 0), as Matcher.search sets `oldLast`; so finding is Python's `match`
    at that position, and after an empty match (the next search starts one further on) nothing is found."""

    def __init__(self, compiled: re.Pattern[str]) -> None:
        self.compiled = compiled
        self.groups = compiled.groups
        self.pattern = compiled.pattern

    def finditer(self, s: str) -> Iterator[re.Match[str]]:
        pos = 0
        while pos <= len(s):
            m = self.compiled.match(s, pos)
            if m is None:
                return
            yield m
            if m.end() == m.start():
                return  # Matcher.find: the next search starts past oldLast, where \G cannot hold
            pos = m.end()

    def search(self, s: str) -> re.Match[str] | None:
        return next(self.finditer(s), None)

    def fullmatch(self, s: str) -> re.Match[str] | None:
        return self.compiled.fullmatch(s)

    def sub(self, repl: Callable[[re.Match[str]], str], s: str) -> str:
        out, index = [], 0
        for m in self.finditer(s):
            out.append(s[index : m.start()])
            out.append(repl(m))
            index = m.end()
        out.append(s[index:])
        return "".join(out)


JavaPattern = re.Pattern[str] | _LastMatchPattern


@lru_cache(maxsize=512)
def java_regex(pattern: str) -> JavaPattern:
    """A java.util.regex pattern as a Python one (see _Translator): named groups, POSIX classes, inline flags.
    Java's \\w, \\d, \\s (and their negations) and (?i) are ASCII-only unless the pattern asks for
    UNICODE_CHARACTER_CLASS / UNICODE_CASE, so the pattern compiles with re.ASCII; Java's \\b (Pattern.Bound:
    Character.isLetterOrDigit) and the Unicode property classes stay Unicode through scoped (?u:...)."""
    p = re.sub(r"\(\?<([A-Za-z][A-Za-z0-9]*)>", r"(?P<\1>", pattern)
    p = re.sub(r"\\k<([A-Za-z][A-Za-z0-9]*)>", r"(?P=\1)", p)
    # possessive quantifiers and atomic groups: Python 3.11's re has them with Java's meaning
    t = _Translator(p)
    try:
        compiled = re.compile(t.run(), re.ASCII)
    except (re.error, ValueError) as e:
        raise EvaluationError(f"Invalid regular expression pattern: {pattern}") from e
    return _LastMatchPattern(compiled) if t.anchored else compiled


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
