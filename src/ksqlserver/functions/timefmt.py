"""Java DateTimeFormatter patterns (yyyy-MM-dd'T'HH:mm:ss.SSSX) compiled to Python format/parse functions."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from functools import lru_cache
from zoneinfo import ZoneInfo

TOKEN = re.compile(r"'([^']*)'|([a-zA-Z])\2*|.", re.S)  # quoted text, a run of one letter, or a char
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def zone(name: str | None) -> dt.tzinfo:
    if not name or name.upper() in ("UTC", "Z", "GMT"):
        return dt.UTC
    m = re.fullmatch(r"(?:UTC|GMT)?([+-])(\d{1,2}):?(\d{2})?", name)
    if m:
        delta = dt.timedelta(hours=int(m.group(2)), minutes=int(m.group(3) or 0))
        return dt.timezone(delta if m.group(1) == "+" else -delta)
    return ZoneInfo(name)


# Zone names a `z` field parses (Java's zone-text parser resolves these abbreviations to a region, whose rules
# then give the offset); a time-zone *argument* does not accept them ("Unknown time-zone ID: PST").
_ZONE_TEXT = {
    "PST": "America/Los_Angeles", "PDT": "America/Los_Angeles", "PT": "America/Los_Angeles",
    "MST": "America/Denver", "MDT": "America/Denver", "MT": "America/Denver",
    "CST": "America/Chicago", "CDT": "America/Chicago", "CT": "America/Chicago",
    "EST": "America/New_York", "EDT": "America/New_York", "ET": "America/New_York",
    "AKST": "America/Anchorage", "AKDT": "America/Anchorage", "HST": "Pacific/Honolulu",
    "CET": "Europe/Paris", "CEST": "Europe/Paris", "WET": "Europe/Lisbon", "WEST": "Europe/Lisbon",
    "EET": "Europe/Bucharest", "EEST": "Europe/Bucharest", "BST": "Europe/London", "IST": "Asia/Kolkata",
    "JST": "Asia/Tokyo",
}


def _zone_text(name: str) -> dt.tzinfo:
    region = _ZONE_TEXT.get(name.upper())
    return ZoneInfo(region) if region else zone(name)


def _offset(t: dt.datetime, width: int, letter: str) -> str:
    off = t.utcoffset() or dt.timedelta(0)
    if letter == "X" and not off:
        return "Z"
    mins = int(off.total_seconds()) // 60
    sign = "+" if mins >= 0 else "-"
    h, m = divmod(abs(mins), 60)
    if width == 1 and letter == "X":
        return f"{sign}{h:02d}" + (f"{m:02d}" if m else "")
    if width in (2,) or letter == "Z":
        return f"{sign}{h:02d}{m:02d}"
    return f"{sign}{h:02d}:{m:02d}"


@lru_cache(maxsize=256)
def formatter(pattern: str) -> Callable[[dt.datetime], str]:
    parts: list[Callable[[dt.datetime], str]] = []
    for m in TOKEN.finditer(pattern):
        lit, letter = m.group(1), m.group(2)
        if lit is not None:
            parts.append(lambda t, s=lit or "'": s)
            continue
        if letter is None:
            text = m.group(0)
            parts.append(lambda t, s=text: s)
            continue
        n = len(m.group(0))
        if letter in "yu":
            parts.append((lambda t: f"{t.year % 100:02d}") if n == 2 else (lambda t, n=n: f"{t.year:0{n}d}"))
        elif letter == "M":
            parts.append(
                (lambda t: MONTHS[t.month - 1])
                if n >= 4
                else (lambda t: MONTHS[t.month - 1][:3])
                if n == 3
                else (lambda t, n=n: f"{t.month:0{n}d}")
            )
        elif letter == "d":
            parts.append(lambda t, n=n: f"{t.day:0{n}d}")
        elif letter == "D":
            parts.append(lambda t, n=n: f"{t.timetuple().tm_yday:0{n}d}")
        elif letter == "H":
            parts.append(lambda t, n=n: f"{t.hour:0{n}d}")
        elif letter == "h":
            parts.append(lambda t, n=n: f"{(t.hour % 12) or 12:0{n}d}")
        elif letter == "m":
            parts.append(lambda t, n=n: f"{t.minute:0{n}d}")
        elif letter == "s":
            parts.append(lambda t, n=n: f"{t.second:0{n}d}")
        elif letter == "S":
            parts.append(lambda t, n=n: f"{t.microsecond:06d}{'0' * 3}"[:n])
        elif letter == "a":
            parts.append(lambda t: "AM" if t.hour < 12 else "PM")
        elif letter == "E":
            parts.append((lambda t: DAYS[t.weekday()]) if n >= 4 else (lambda t: DAYS[t.weekday()][:3]))
        elif letter in "XxZ":
            parts.append(lambda t, n=n, c=letter: _offset(t, n, c))
        elif letter in "zV":
            parts.append(lambda t: t.tzname() or "UTC")
        else:
            raise ValueError(f"Unknown pattern letter: {letter}")
    return lambda t: "".join(p(t) for p in parts)


@lru_cache(maxsize=256)
def parser(pattern: str, prefix: bool = False) -> Callable[[str, dt.tzinfo], dt.datetime]:
    """Parse text with a Java pattern; `prefix` accepts trailing text (java.text's lenient parse)."""
    regex = ""
    fields: list[tuple[str, int]] = []
    for m in TOKEN.finditer(pattern):
        lit, letter = m.group(1), m.group(2)
        if lit is not None:
            regex += re.escape(lit or "'")
            continue
        if letter is None:
            regex += re.escape(m.group(0))
            continue
        n = len(m.group(0))
        fields.append((letter, n))
        if letter == "M" and n >= 3:
            regex += "([A-Za-z]+)"
        elif letter in "XxZ":
            regex += r"(Z|[+-]\d{2}(?::?\d{2})?)"
        elif letter in "zV":
            regex += r"([A-Za-z_/+\-0-9]+)"
        elif letter == "a":
            regex += "(AM|PM|am|pm)"
        elif letter == "E":
            regex += "([A-Za-z]+)"
        elif letter == "S":
            regex += rf"(\d{{1,{n}}})"
        elif letter in "yu" and n == 4:
            regex += r"([+-]?\d{4,9})"
        else:
            regex += rf"(\d{{1,{max(n, 2)}}})" if n <= 2 else rf"(\d{{{n}}})"
    # every ksqlDB parse function builds its formatter case-insensitive ("12:01:05 aM", "01-dec-2021")
    compiled = re.compile(regex, re.IGNORECASE)

    letters = {letter for letter, _ in fields}
    ymd = bool(letters & {"y", "u"}) and "M" in letters and "d" in letters

    def parse(text: str, tz: dt.tzinfo) -> dt.datetime:
        m = compiled.match(text) if prefix else compiled.fullmatch(text)
        if not m:
            raise ValueError(f"Text '{text}' could not be parsed with pattern '{pattern}'")
        year, month, day, hour, minute, second, micro = 1970, 1, 1, 0, 0, 0, 0
        pm = None
        for (letter, n), g in zip(fields, m.groups(), strict=True):
            if letter in "yu":
                year = int(g) + (2000 if n == 2 else 0)
            elif letter == "M":
                month = int(g) if g.isdigit() else [x[:3].lower() for x in MONTHS].index(g[:3].lower()) + 1
            elif letter == "d":
                day = int(g)
            elif letter in "Hh":
                hour = int(g)
            elif letter == "m":
                minute = int(g)
            elif letter == "s":
                second = int(g)
            elif letter == "S":
                micro = int(g.ljust(6, "0")[:6])
            elif letter == "a":
                pm = g.upper() == "PM"
            elif letter == "z":
                tz = _zone_text(g)
            elif letter in "XxZV":
                tz = zone(g)
        if pm is not None:
            hour = hour % 12 + (12 if pm else 0)
        if ymd and 1 <= month <= 12 and 28 < day <= 31:
            # Java's SMART resolver (DateTimeFormatter's default): a day past the month's end is its last day
            day = min(day, calendar.monthrange(year, month)[1])
        return dt.datetime(year, month, day, hour, minute, second, micro, tzinfo=tz)

    return parse


EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def format_ms(ms: int, pattern: str, tz: str | None = None) -> str:
    t = (EPOCH + dt.timedelta(milliseconds=ms)).astimezone(zone(tz))
    return formatter(pattern)(t)


def parse_ms(text: str, pattern: str, tz: str | None = None, prefix: bool = False) -> int:
    t = parser(pattern, prefix)(text, zone(tz))
    return (t - EPOCH) // dt.timedelta(milliseconds=1)
