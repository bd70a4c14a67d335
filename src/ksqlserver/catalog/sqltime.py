"""The text forms of DATE, TIME and TIMESTAMP as ksqlDB's casts and comparisons read and write them.

Values are the engine's: TIMESTAMP epoch milliseconds, DATE epoch days, TIME milliseconds of the day.
Reading follows ksqlDB: a TIMESTAMP is `yyyy-MM-dd'T'HH:mm:ss.SSS` in UTC, where the date may be cut to
`yyyy` or `yyyy-MM`, the time to any prefix (missing digits are zeros), and an offset (`+0200`, `-05:00`)
or a trailing `Z` may follow; a DATE is `yyyy-MM-dd` (or `yyyy`, `yyyy-MM`); a TIME is ISO `HH:mm[:ss[.f]]`.
Writing: TIMESTAMP with milliseconds, DATE ISO, TIME as `HH:mm` or `HH:mm:ss` (whole seconds).
Failures raise `SqlTimeError` with ksqlDB's wording.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from ksqlserver.errors import EvaluationError

_DAY_MS = 86_400_000
_TIME_PATTERN = "HH:mm:ss.SSS"
_TIMESTAMP_HELP = (
    "\nRequired format is: \"yyyy-MM-dd'T'HH:mm:ss.SSS\", with an optional numeric 4-digit timezone, "
    "for example: '2020-05-26T23:59:58.000' or with tz: '2020-05-26T23:59:58.000+0200'. "
    "A trailing 'Z' instead of tz indicates the zero UTC offset. "
    'Partials are also supported, for example "2020-05-26"'
)
_TIME_HELP = (
    "\nRequired format is: \"HH:mm:ss.SSS\", for example: '01:34:20.123' or '01:34:20'. "
    "Partials are also supported, for example '01:34'"
)
_DATE_HELP = (
    "\nRequired format is: \"yyyy-MM-dd\", for example '2020-05-26'. "
    "Partials are also supported, for example '2020-05'"
)
_DATE_TIME = re.compile(r"(\d{4,})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{3})", re.IGNORECASE)
_DATE = re.compile(r"([+-]?\d{4,})-(\d{2})-(\d{2})")
_TIME = re.compile(r"(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?")
_OFFSET = re.compile(r"([+-])(\d{2})(?::?(\d{2}))?(?::?(\d{2}))?")


class SqlTimeError(EvaluationError):
    """A text that is not a DATE, TIME or TIMESTAMP; carries the text."""


def complete_date(text: str) -> str:
    """`yyyy` and `yyyy-MM` completed to the first day (ksqlDB's partial dates)."""
    parts = text.split("-")
    if len(parts) == 1:
        return text + "-01-01"
    if len(parts) == 2:
        return text + "-01"
    return text


def _complete_time(text: str) -> str:
    if len(text) >= len(_TIME_PATTERN):
        return text
    return text + re.sub(r"[a-zA-Z]", "0", _TIME_PATTERN[len(text) :])


def _zone_seconds(zone: str) -> int:
    if not zone.strip():
        return 0
    m = _OFFSET.fullmatch(zone)
    if m is None:
        raise SqlTimeError(
            f"Failed to parse timezone '{zone}': Invalid ID for ZoneOffset, invalid format: {zone}"
        )
    hours, minutes, seconds = int(m.group(2)), int(m.group(3) or 0), int(m.group(4) or 0)
    if hours > 18 or minutes > 59 or seconds > 59:
        raise SqlTimeError(
            f"Failed to parse timezone '{zone}': Zone offset hours not in valid range: value {hours} is not "
            f"in the range -18 to 18"
        )
    total = hours * 3600 + minutes * 60 + seconds
    return -total if m.group(1) == "-" else total


def _days(year: int, month: int, day: int, text: str) -> int:
    if not 1 <= month <= 12:
        raise ValueError(
            f"Text '{text}' could not be parsed: Invalid value for MonthOfYear (valid values 1 - 12): {month}"
        )
    if not 1 <= day <= 31:
        raise ValueError(
            f"Text '{text}' could not be parsed: Invalid value for DayOfMonth (valid values 1 - 28/31): {day}"
        )
    day = min(day, calendar.monthrange(year, month)[1]) if 1 <= year <= 9999 else day
    return (dt.date(year, month, day) - dt.date(1970, 1, 1)).days


def parse_timestamp(text: str) -> int:
    """Epoch milliseconds of ksqlDB timestamp text (see the module docstring)."""
    if "T" in text:
        date = text[: text.index("T")]
        with_zone = text[text.index("T") + 1 :]
        zone = ""
        if "+" in with_zone:
            zone = with_zone[with_zone.index("+") :]
        elif "-" in with_zone:
            zone = with_zone[with_zone.index("-") :]
        time = _complete_time(re.sub(r"Z$", "", with_zone[: len(with_zone) - len(zone)]))
    else:
        date, time, zone = complete_date(text), _complete_time(""), ""
    try:
        offset = _zone_seconds(zone)
        full = f"{date}T{time}"
        m = _DATE_TIME.fullmatch(full)
        if m is None:
            raise ValueError(f"Text '{full}' could not be parsed at index {_mismatch(full)}")
        y, mo, d, h, mi, s, ms = (int(g) for g in m.groups())
        # ResolverStyle.SMART (the formatter's default) reads 24:00:00.000 as midnight of the next day
        end_of_day = h == 24 and mi == s == ms == 0
        if (h > 23 and not end_of_day) or mi > 59 or s > 59:
            field, value = (
                ("HourOfDay", h) if h > 23 else ("MinuteOfHour", mi) if mi > 59 else ("SecondOfMinute", s)
            )
            bound = 23 if field == "HourOfDay" else 59
            raise ValueError(
                f"Text '{full}' could not be parsed: Invalid value for {field} (valid values 0 - {bound}): {value}"
            )
        days = _days(y, mo, d, full)
    except (ValueError, SqlTimeError) as e:
        raise SqlTimeError(f"Failed to parse timestamp '{text}': {e}{_TIMESTAMP_HELP}", text) from None
    return days * _DAY_MS + ((h * 60 + mi) * 60 + s - offset) * 1000 + ms


def _mismatch(text: str) -> int:
    """Where `text` stops matching yyyy-MM-ddTHH:mm:ss.SSS (the index Java's parser reports)."""
    shape = "dddd-dd-ddTdd:dd:dd.ddd"
    for i, ch in enumerate(text):
        if i >= len(shape):
            return i
        want = shape[i]
        if (want == "d" and not ch.isdigit()) or (want != "d" and ch.upper() != want):
            return i
    return len(text)


def parse_date(text: str) -> int:
    """Epoch days of `yyyy-MM-dd` (or a partial `yyyy` / `yyyy-MM`)."""
    full = complete_date(text)
    try:
        m = _DATE.fullmatch(full)
        if m is None:
            raise ValueError(f"Text '{full}' could not be parsed at index {_mismatch(full)}")
        return _days(int(m.group(1)), int(m.group(2)), int(m.group(3)), full)
    except ValueError as e:
        raise SqlTimeError(f"Failed to parse date '{text}': {e}{_DATE_HELP}", text) from None


def parse_time(text: str) -> int:
    """Milliseconds of the day of ISO time text `HH:mm[:ss[.fraction]]` (the fraction truncated to ms)."""
    m = _TIME.fullmatch(text)
    try:
        if m is None:
            raise ValueError(f"Text '{text}' could not be parsed at index {_time_mismatch(text)}")
        h, mi, s = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
        if h > 23 or mi > 59 or s > 59:
            field, value = (
                ("HourOfDay", h) if h > 23 else ("MinuteOfHour", mi) if mi > 59 else ("SecondOfMinute", s)
            )
            bound = 23 if field == "HourOfDay" else 59
            raise ValueError(
                f"Text '{text}' could not be parsed: Invalid value for {field} (valid values 0 - {bound}): {value}"
            )
    except ValueError as e:
        raise SqlTimeError(f"Failed to parse time '{text}': {e}{_TIME_HELP}", text) from None
    frac = (m.group(4) or "").ljust(3, "0")[:3]
    return ((h * 60 + mi) * 60 + s) * 1000 + int(frac)


def _time_mismatch(text: str) -> int:
    shape = "dd:dd:dd"
    for i, ch in enumerate(text):
        if i >= len(shape):
            return i
        if (shape[i] == "d") != ch.isdigit() or (shape[i] == ":" and ch != ":"):
            return i
    return len(text)


def format_timestamp(ms: int) -> str:
    """`yyyy-MM-ddTHH:mm:ss.SSS` in UTC."""
    t = dt.datetime(1970, 1, 1) + dt.timedelta(milliseconds=ms)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}"


def format_date(days: int) -> str:
    return (dt.date(1970, 1, 1) + dt.timedelta(days=days)).isoformat()


def format_time(ms: int) -> str:
    """Java's LocalTime text of the whole seconds: `HH:mm`, or `HH:mm:ss` when the seconds are not 0."""
    secs = (ms // 1000) % 86_400
    h, rem = divmod(secs, 3600)
    m, s = divmod(rem, 60)
    return f"{h:02d}:{m:02d}" + (f":{s:02d}" if s else "")


def timestamp_to_date(ms: int) -> int:
    return ms // _DAY_MS


def timestamp_to_time(ms: int) -> int:
    return ms % _DAY_MS
