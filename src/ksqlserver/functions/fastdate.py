"""PARSE_DATE's parser: ksqlDB 0.29's ParseDate uses commons-lang3 3.5's FastDateFormat (SimpleDateFormat
pattern letters, zone GMT, Locale default), not a java.time formatter.

FastDateFormat.getInstance builds a FastDatePrinter first, whose pattern parser refuses a letter it does not
know ("Illegal pattern component: <run>"). FastDateParser splits the pattern into letter runs and literals:
a literal must match exactly; a number field reads digits (any Unicode decimal digit, Integer.parseInt),
limited to its pattern width only when the next field is a number too, else after skipping leading
whitespace; a text field (month and day names, era, AM/PM) matches its display names case-insensitively.
Text after the last field is ignored, and nothing is checked against a range: the fields go to a lenient
GregorianCalendar (cleared: 1970-01-01T00:00 GMT), which rolls month 13 into the next year and February 30
into March. Dates before 1582-10-15 are Julian, as GregorianCalendar's default cut-over makes them.

Not modelled: Calendar's choice among week-based field groups (E, u, F, W, w are read but do not move the
date) and zone names (only numeric offsets and GMT/UTC/Z are read).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from ksqlserver.functions.timefmt import PatternError

DAY_MS = 86_400_000
# FastDatePrinter.parsePattern's letters (3.5); any other letter is "Illegal pattern component"
_PRINTER_LETTERS = frozenset("GyYMdhHmsSEuDFwWakKXzZ")
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"]  # fmt: skip
_DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
_GREGORIAN_START = dt.date(1582, 10, 15).toordinal()


class DateParseError(ValueError):
    """FastDateParser.parse's ParseException ("Unparseable date: <text>")."""


def _names(pairs: list[tuple[str, int]]) -> tuple[re.Pattern[str], dict[str, int]]:
    """A case-insensitive strategy over display names, longest first (FastDateParser's LONGER_FIRST_LOWERCASE
    ordering), with the value of each lower-cased name."""
    values = {name.lower(): v for name, v in pairs}
    alternatives = sorted(values, key=lambda n: (-len(n), n))
    return re.compile("|".join(map(re.escape, alternatives)), re.IGNORECASE), values


# Calendar.getDisplayNames(field, ALL_STYLES, Locale.US): long and short forms
_TEXT = {
    "M": _names([(m, i) for i, m in enumerate(_MONTHS)] + [(m[:3], i) for i, m in enumerate(_MONTHS)]),
    "E": _names([(d, i + 1) for i, d in enumerate(_DAYS)] + [(d[:3], i + 1) for i, d in enumerate(_DAYS)]),
    "G": _names([("BC", 0), ("AD", 1), ("Before Christ", 0), ("Anno Domini", 1)]),
    "a": _names([("AM", 0), ("PM", 1)]),
}
_ZONE = re.compile(r"(Z|[+-]\d{2}:?\d{2}|[+-]\d{2}|GMT(?:[+-]\d{1,2}:\d{2})?|UTC)", re.IGNORECASE)


@dataclass(frozen=True)
class _Field:
    letter: str  # the pattern letter, "'" for a literal
    width: int
    text: str = ""  # a literal's text


def _split(pattern: str) -> list[_Field]:
    """FastDateParser.StrategyParser: letter runs, and literals (quotes removed, '' a quote)."""
    out: list[_Field] = []
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c.isascii() and c.isalpha():
            j = i
            while j < len(pattern) and pattern[j] == c:
                j += 1
            out.append(_Field(c, j - i))
            i = j
            continue
        quoted, text = False, []
        while i < len(pattern):
            c = pattern[i]
            if not quoted and c.isascii() and c.isalpha():
                break
            if c == "'":
                i += 1
                if i == len(pattern) or pattern[i] != "'":
                    quoted = not quoted
                    continue
            text.append(c)
            i += 1
        if quoted:
            raise PatternError("Unterminated quote")
        out.append(_Field("'", len(text), "".join(text)))
    return out


def _is_number(f: _Field) -> bool:
    return f.letter not in ("'", "E", "G", "a", "z", "Z", "X") and not (f.letter == "M" and f.width >= 3)


@lru_cache(maxsize=1000)
def date_parser(pattern: str) -> Callable[[str], int]:
    """text -> epoch milliseconds (GMT) as FastDateFormat.getInstance(pattern, GMT).parse(text) gives them."""
    fields = _split(pattern)
    for f in fields:
        if f.letter != "'" and f.letter not in _PRINTER_LETTERS:
            raise PatternError(f"Illegal pattern component: {f.letter * f.width}")
    # a number field directly followed by another is read up to its pattern width (StrategyAndWidth)
    widths = [
        f.width if _is_number(f) and k + 1 < len(fields) and _is_number(fields[k + 1]) else 0
        for k, f in enumerate(fields)
    ]
    century_start = dt.date.today().year - 80  # FastDateParser's default two-digit-year window

    def parse(text: str) -> int:
        pos = 0
        values: dict[str, int] = {}
        order: list[str] = []
        offset_ms = 0
        for f, width in zip(fields, widths, strict=True):
            if f.letter == "'":
                if not text.startswith(f.text, pos):
                    raise DateParseError(f"Unparseable date: {text}")
                pos += len(f.text)
                continue
            if f.letter in "zZX":
                m = _ZONE.match(text, pos)
                if m is None:
                    raise DateParseError(f"Unparseable date: {text}")
                offset_ms = _offset_ms(m.group(1))
                pos = m.end()
                continue
            if not _is_number(f):
                regex, names = _TEXT["M" if f.letter == "M" else f.letter]
                m = regex.match(text, pos)
                if m is None:
                    raise DateParseError(f"Unparseable date: {text}")
                values[f.letter] = names[m.group(0).lower()]
                order.append(f.letter)
                pos = m.end()
                continue
            end = len(text) if not width else min(len(text), pos + width)
            if not width:
                while pos < len(text) and text[pos].isspace():
                    pos += 1
            start = pos
            while pos < end and text[pos].isdecimal():
                pos += 1
            if pos == start:
                raise DateParseError(f"Unparseable date: {text}")
            digits = text[start:pos]
            value = int(digits)
            if value > 2_147_483_647:  # Integer.parseInt
                raise ValueError(f'For input string: "{digits}"')
            if f.letter in "yY" and f.width <= 2 and len(digits) <= 2:  # ABBREVIATED_YEAR_STRATEGY
                century = century_start // 100 * 100
                value = century + value if value >= century_start - century else century + 100 + value
            if f.letter == "M":  # NUMBER_MONTH_STRATEGY: Calendar months count from 0
                value -= 1
            values[f.letter] = value
            order.append(f.letter)
        return _calendar_ms(values, order) - offset_ms

    return parse


def _offset_ms(text: str) -> int:
    t = text.upper()
    if t in ("Z", "GMT", "UTC"):
        return 0
    t = t.removeprefix("GMT")
    sign = -1 if t[0] == "-" else 1
    body = t[1:].replace(":", "")
    hours, minutes = (int(body[:-2]), int(body[-2:])) if len(body) > 2 else (int(body), 0)
    return sign * (hours * 3600 + minutes * 60) * 1000


def _calendar_ms(values: dict[str, int], order: list[str]) -> int:
    """GregorianCalendar (lenient, cleared, GMT) over the parsed fields: out-of-range values roll over."""
    year = values.get("y", values.get("Y", 1970))
    if values.get("G", 1) == 0:  # BC: year 1 BC is year 0
        year = 1 - year
    day_of_year = values.get("D")
    last = {letter: i for i, letter in enumerate(order)}
    by_day_of_year = day_of_year is not None and all(
        last.get(x, -1) < last["D"] for x in ("M", "d")
    )
    if by_day_of_year:
        days = _fixed(year, 0, 1) + day_of_year - 1  # type: ignore[operator]
    else:
        days = _fixed(year, values.get("M", 0), values.get("d", 1))
    hour = values.get("H", 0)
    if "k" in values:
        hour = 0 if values["k"] == 24 else values["k"]
    if "h" in values or "K" in values:
        h12 = values.get("K", 0) if "K" in values else (0 if values["h"] == 12 else values["h"])
        hour = h12 + 12 * values.get("a", 0)
    ms = ((hour * 60 + values.get("m", 0)) * 60 + values.get("s", 0)) * 1000 + values.get("S", 0)
    return (days - dt.date(1970, 1, 1).toordinal()) * DAY_MS + ms


def _fixed(year: int, month: int, day: int) -> int:
    """The proleptic day number (date.toordinal) of year/month(0-based)/day, month and day rolled over as a
    lenient Calendar does; Julian before the Gregorian cut-over."""
    year += month // 12
    month %= 12
    gregorian = _gregorian_ordinal(year, month + 1) + day - 1
    if gregorian >= _GREGORIAN_START:
        return gregorian
    return _julian_ordinal(year, month + 1) + day - 1


def _gregorian_ordinal(year: int, month: int) -> int:
    """date(year, month, 1).toordinal(), for any year (proleptic, year 0 and before included)."""
    shift = 0
    while year < 1:  # 400 Gregorian years are 146097 days
        year += 400
        shift -= 146_097
    while year > 9999:
        year -= 400
        shift += 146_097
    return dt.date(year, month, 1).toordinal() + shift


def _julian_ordinal(year: int, month: int) -> int:
    """The first of a Julian month as a proleptic Gregorian day number (via Julian day numbers)."""
    a = (14 - month) // 12
    y = year + 4800 - a
    m = month + 12 * a - 3
    jdn = 1 + (153 * m + 2) // 5 + 365 * y + y // 4 - 32083
    return jdn - 1_721_425  # JDN of 0001-01-01 (Gregorian) is 1721426, its ordinal 1
