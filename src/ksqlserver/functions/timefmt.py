"""Java DateTimeFormatter patterns (yyyy-MM-dd'T'HH:mm:ss.SSSX) compiled to Python format/parse functions."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from functools import lru_cache
from zoneinfo import ZoneInfo

from ksqlserver.functions import zonetext


class PatternError(ValueError):
    """A pattern DateTimeFormatter.ofPattern refuses (its IllegalArgumentException)."""


# quoted text (where '' is a quote, as outside), a run of one letter, or a char
TOKEN = re.compile(r"'((?:[^']|'')*)'|([a-zA-Z])\2*|.", re.S)
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


# tzdata keys the JDK's tzdb lacks (legacy fixed-offset and system names)
_NOT_JAVA_ZONES = frozenset({"EST", "HST", "MST", "Factory", "localtime", "ROC"})

# ZoneId.of("GMT") keeps its name: a `z` or `VV` field prints "GMT" (FORMAT_TIMESTAMP's default zone)
GMT = dt.timezone(dt.timedelta(0), "GMT")
ZULU = dt.timezone(dt.timedelta(0), "Z")  # ZoneOffset.UTC


def zone(name: str | None) -> dt.tzinfo:
    if not name or name == "UTC":
        return dt.UTC
    if name == "GMT":
        return GMT
    if name == "Z":
        return ZULU
    if name in _NOT_JAVA_ZONES:  # ZoneId.of is case-sensitive and knows only the JDK's tzdb region ids
        raise ValueError(f"Unknown time-zone ID: {name}")
    m = re.fullmatch(r"(UTC|GMT|UT)?([+-])(\d{1,2}):?(\d{2})?", name)
    if m:
        delta = dt.timedelta(hours=int(m.group(3)), minutes=int(m.group(4) or 0))
        delta = delta if m.group(2) == "+" else -delta
        # named by its ZoneId (ZoneOffset "+02:00", "Z"; prefixed "UTC+02:00"), which `z` and `VV` print
        h, rest = divmod(abs(int(delta.total_seconds())), 3600)
        offset_id = f"{m.group(2)}{h:02d}:{rest // 60:02d}" if delta else "Z"
        prefix = m.group(1) or ""
        return dt.timezone(delta, prefix + offset_id if not (prefix and not delta) else prefix)
    system_v = zonetext.system_v(name)  # JDK 17's tzdb still has these; Python's does not
    if system_v is not None:
        return system_v
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError, OSError) as e:  # not found (a KeyError), or not a valid key
        raise ValueError(f"Unknown time-zone ID: {name}") from e


def _zone_text(name: str, full: bool) -> dt.tzinfo:
    """The zone a `z` / `v` field parsed (ZoneTextPrinterParser): a name of the field's width
    (zonetext.names), else a zone id or offset."""
    named = zonetext.names(full).get(name.upper())
    if named is None:
        return zone(name)
    return zonetext.system_v(named) or zone(named)


def _offset(t: dt.datetime, width: int, letter: str) -> str:
    """Offset letters as DateTimeFormatter prints them: X (Z for zero) and x by width, Z (+HHMM; ZZZZ the
    localized GMT form; ZZZZZ +HH:MM or Z), O (GMT-8 / GMT-08:00)."""
    secs = int((t.utcoffset() or dt.timedelta(0)).total_seconds())
    sign = "+" if secs >= 0 else "-"
    h, rest = divmod(abs(secs), 3600)
    m, sec = divmod(rest, 60)
    if letter == "O" or (letter == "Z" and width == 4):
        if not secs:
            return "GMT"
        if letter == "O" and width == 1:
            return f"GMT{sign}{h}" + (f":{m:02d}" if m or sec else "") + (f":{sec:02d}" if sec else "")
        return f"GMT{sign}{h:02d}:{m:02d}" + (f":{sec:02d}" if sec else "")
    if letter == "Z":
        if width <= 3:
            return f"{sign}{h:02d}{m:02d}" + (f"{sec:02d}" if sec else "")
        letter, width = "X", 5
    if letter == "X" and not secs:
        return "Z"
    if width == 1:
        return f"{sign}{h:02d}" + (f"{m:02d}" if m else "")
    colon = ":" if width in (3, 5) else ""
    tail = f"{colon}{sec:02d}" if sec and width >= 4 else ""
    return f"{sign}{h:02d}{colon}{m:02d}{tail}"


def _zone_id(t: dt.datetime) -> str:
    tz = t.tzinfo
    if isinstance(tz, ZoneInfo):
        return tz.key
    if isinstance(tz, zonetext.SystemVZone):
        return tz.name
    if tz is dt.UTC:
        return "UTC"
    if isinstance(tz, dt.timezone):
        return tz.tzname(None) or _offset(t, 5, "X")
    return _offset(t, 5, "X")


def _us_week(d: dt.date) -> tuple[int, int]:
    """(week-based year, week of it) with Locale.US's WeekFields: weeks start on Sunday, and week 1 is the
    one holding January 1st."""
    def week1_start(year: int) -> dt.date:
        jan1 = dt.date(year, 1, 1)
        return jan1 - dt.timedelta(days=(jan1.weekday() + 1) % 7)

    year = d.year
    if d >= week1_start(year + 1):
        year += 1
    return year, (d - week1_start(year)).days // 7 + 1


def _eras(n: int) -> tuple[str, str]:
    """IsoEra's texts in Locale.US for a field of n letters (SHORT, FULL, NARROW): BCE, then CE."""
    return ("BC", "AD") if n <= 3 else ("Before Christ", "Anno Domini") if n == 4 else ("B", "A")


def _text(full: str, n: int) -> str:
    return full[:3] if n <= 3 else full if n == 4 else full[0]


def _signed_year(v: int, n: int) -> str:
    digits = str(abs(v)).rjust(n, "0")
    if v < 0:
        return "-" + digits
    return "+" + digits if n >= 4 and len(str(v)) > n else digits


def _field(letter: str, n: int) -> Callable[[dt.datetime], str]:
    if letter in "yu":
        # 'y' is the year of era (1 - year before year 1); 4+ letters are SignStyle.EXCEEDS_PAD: a sign when
        # the year has more digits than letters (+292278994), 1 and 3 letters NORMAL
        def year(t: dt.datetime) -> int:
            return t.year if letter == "u" or t.year > 0 else 1 - t.year

        if n == 2:
            return lambda t: f"{year(t) % 100:02d}"
        return lambda t: _signed_year(year(t), n)
    if letter == "Y":
        return (lambda t: f"{_us_week(t.date())[0] % 100:02d}") if n == 2 else (
            lambda t: f"{_us_week(t.date())[0]:0{n}d}")
    if letter in "ML":
        return (lambda t: f"{t.month:0{n}d}") if n <= 2 else (lambda t: _text(MONTHS[t.month - 1], n))
    if letter in "Qq":
        quarter: Callable[[dt.datetime], int] = lambda t: (t.month - 1) // 3 + 1
        if n <= 2:
            return lambda t: f"{quarter(t):0{n}d}"
        if n == 3:
            return lambda t: f"Q{quarter(t)}"
        if n == 4:
            return lambda t: ["1st", "2nd", "3rd", "4th"][quarter(t) - 1] + " quarter"
        return lambda t: str(quarter(t))
    if letter == "G":
        return lambda t: _eras(n)[1 if t.year > 0 else 0]
    if letter == "w":
        return lambda t: f"{_us_week(t.date())[1]:0{n}d}"
    if letter == "W":
        return lambda t: f"{(t.day + (t.replace(day=1).weekday() + 1) % 7 - 1) // 7 + 1:0{n}d}"
    if letter == "d":
        return lambda t: f"{t.day:0{n}d}"
    if letter == "D":
        return lambda t: f"{t.timetuple().tm_yday:0{n}d}"
    if letter == "F":
        return lambda t: f"{(t.day - 1) % 7 + 1:0{n}d}"
    if letter == "E":
        return lambda t: _text(DAYS[t.weekday()], n)
    if letter in "ec":
        if n <= 2 and not (letter == "c" and n == 2):
            return lambda t: f"{(t.weekday() + 1) % 7 + 1:0{n}d}"  # Locale.US: Sunday is day 1
        return lambda t: _text(DAYS[t.weekday()], n)
    if letter == "a":
        return lambda t: "AM" if t.hour < 12 else "PM"
    if letter == "H":
        return lambda t: f"{t.hour:0{n}d}"
    if letter == "h":
        return lambda t: f"{(t.hour % 12) or 12:0{n}d}"
    if letter == "K":
        return lambda t: f"{t.hour % 12:0{n}d}"
    if letter == "k":
        return lambda t: f"{t.hour or 24:0{n}d}"
    if letter == "m":
        return lambda t: f"{t.minute:0{n}d}"
    if letter == "s":
        return lambda t: f"{t.second:0{n}d}"
    if letter == "S":
        return lambda t: f"{t.microsecond:06d}{'0' * max(0, n - 6)}"[:n]
    if letter == "A":
        return lambda t: f"{(t.hour * 3600 + t.minute * 60 + t.second) * 1000 + t.microsecond // 1000:0{n}d}"
    if letter == "n":
        return lambda t: f"{t.microsecond * 1000:0{n}d}"
    if letter == "N":
        return lambda t: f"{(t.hour * 3600 + t.minute * 60 + t.second) * 10**9 + t.microsecond * 1000:0{n}d}"
    if letter in "XxZO":
        return lambda t: _offset(t, n, letter)
    if letter == "V":
        if n != 2:
            raise PatternError("Pattern letter count must be 2: V")
        return _zone_id
    if letter == "z":
        if n > 4:
            raise PatternError("Too many pattern letters: z")
        return (lambda t: _zone_name(t, "long", generic=False)) if n == 4 else (lambda t: t.tzname() or "UTC")
    if letter == "v":
        if n not in (1, 4):
            raise PatternError("Wrong number of pattern letters: v")
        width = "long" if n == 4 else "short"
        return lambda t: _zone_name(t, width, generic=True)
    raise PatternError(f"Unknown pattern letter: {letter}")


def _zone_name(t: dt.datetime, width: str, generic: bool) -> str:
    """ZoneTextPrinterParser.format: a ZoneOffset (and a prefixed fixed zone such as "UTC+02:00") prints its
    id; a region its CLDR display name for en_US (JDK 17's default provider is CLDR). A generic (`v`) name
    CLDR lacks is derived as CLDRTimeZoneNameProviderImpl.deriveFallbackName does: a zone without daylight
    saving takes its standard name (type fallback), another "<region> Time" (region format)."""
    tz = t.tzinfo
    if isinstance(tz, zonetext.SystemVZone):
        return tz.display(t, width == "long", generic)
    if tz is dt.UTC or tz is GMT:
        key = "UTC" if tz is dt.UTC else "GMT"
    elif isinstance(tz, ZoneInfo):
        key = tz.key
    else:
        return t.tzname() or "UTC"
    from babel.dates import get_timezone_location, get_timezone_name  # CLDR data, for these rare letters

    zone_info = ZoneInfo(key)
    region = t.replace(tzinfo=zone_info)
    if not generic:
        return get_timezone_name(region, width, locale="en_US") if width == "long" else t.tzname() or key
    name = get_timezone_name(region, width, zone_variant="generic", locale="en_US")
    if name[:1].isalpha() and not name.startswith("GMT"):
        return name
    standard = [d for d in (dt.datetime(t.year, m, 1, tzinfo=zone_info) for m in (1, 7)) if not d.dst()]
    if width == "short":  # the JDK fills short names CLDR lacks from its legacy tables: the standard one
        return (standard[0] if standard else t).tzname() or key
    if len(standard) == 2:  # no daylight saving: the standard name
        return get_timezone_name(region, "long", locale="en_US")
    return str(get_timezone_location(zone_info, locale="en_US"))


def _tokens(pattern: str) -> list[tuple[re.Match[str], int]]:
    """The pattern's tokens, each with the pad width a `p` run before it sets (0: none). A run of `p` pads the
    letter run right after it (DateTimeFormatterBuilder.parsePattern: padNext(count)); a `p` followed by
    anything else is refused."""
    out: list[tuple[re.Match[str], int]] = []
    pad = 0
    for m in TOKEN.finditer(pattern):
        if m.group(2) == "p":
            if pad:  # "pp" runs are one token; a second run can only follow another letter
                raise PatternError(f"Pad letter 'p' must be followed by valid pad pattern: {pattern}")
            pad = len(m.group(0))
            continue
        if pad and m.group(2) is None:
            raise PatternError(f"Pad letter 'p' must be followed by valid pad pattern: {pattern}")
        out.append((m, pad))
        pad = 0
    if pad:
        raise PatternError(f"Pad letter 'p' must be followed by valid pad pattern: {pattern}")
    return out


def _padded(part: Callable[[dt.datetime], str], width: int) -> Callable[[dt.datetime], str]:
    """PadPrinterParserDecorator.format: spaces before the field up to `width`; a longer field fails."""

    def pad(t: dt.datetime) -> str:
        text = part(t)
        if len(text) > width:
            raise ValueError(f"Cannot print as output of {len(text)} characters exceeds pad width of {width}")
        return text.rjust(width)

    return pad


@lru_cache(maxsize=256)
def formatter(pattern: str) -> Callable[[dt.datetime], str]:
    parts: list[Callable[[dt.datetime], str]] = []
    for m, pad in _tokens(pattern):
        lit, letter = m.group(1), m.group(2)
        if lit is not None:
            quoted = lit.replace("''", "'") or "'"
            parts.append(lambda t, s=quoted: s)
        elif letter is not None:
            part = _field(letter, len(m.group(0)))
            parts.append(_padded(part, pad) if pad else part)
        elif m.group(0) in "[]":
            continue  # an optional section prints whenever its fields exist, as they always do here
        elif m.group(0) in "{}#":
            raise PatternError(f"Pattern includes reserved character: '{m.group(0)}'")
        else:
            text = m.group(0)
            parts.append(lambda t, s=text: s)
    return lambda t: "".join(p(t) for p in parts)


# What DateTimeFormatter's offset and zone parsers accept (OffsetIdPrinterParser by pattern width, the
# localized GMT form, ZoneTextPrinterParser / ZoneIdPrinterParser): "z" takes "+05:30" but not "-0800", and of
# "GMT+8" only "GMT" (the offset after a prefix needs its colon form)
_COLON = r"[+-]\d{2}:\d{2}(?::\d{2})?"
_PREFIXED = rf"(?:UTC|GMT|UT)(?:{_COLON})?"
_ZONE_TEXT_RE = rf"{_COLON}|{_PREFIXED}|[A-Za-z][A-Za-z_/]*"
_ZONE_ID_RE = rf"{_COLON}|{_PREFIXED}|(?!(?:UTC|GMT|UT)[+-])[A-Za-z][A-Za-z0-9_/+\-]*"
_OFFSETS = {
    "X": [r"Z|[+-]\d{2}(?:\d{2})?", r"Z|[+-]\d{4}", r"Z|[+-]\d{2}:\d{2}", r"Z|[+-]\d{4}(?:\d{2})?", rf"Z|{_COLON}"],
    "x": [r"[+-]\d{2}(?:\d{2})?", r"[+-]\d{4}", r"[+-]\d{2}:\d{2}", r"[+-]\d{4}(?:\d{2})?", _COLON],
    "Z": [r"[+-]\d{4}", r"[+-]\d{4}", r"[+-]\d{4}", r"GMT(?:[+-]\d{2}:\d{2})?", rf"Z|{_COLON}"],
    "O": [r"GMT(?:[+-]\d{1,2}(?::\d{2})?)?", "", "", r"GMT(?:[+-]\d{2}:\d{2})?", ""],
}


def _offset_regex(letter: str, width: int) -> str:
    return _OFFSETS[letter][min(width, 5) - 1]


@lru_cache(maxsize=256)
def parser(pattern: str, prefix: bool = False) -> Callable[[str, dt.tzinfo], dt.datetime]:
    """Parse text with a Java pattern; `prefix` accepts trailing text (java.text's lenient parse)."""
    formatter(pattern)  # the pattern must compile first: "Unknown pattern letter: i"
    regex = ""
    fields: list[tuple[str, int]] = []
    ends: list[int] = []  # the regex's length after each token: where a failed parse stopped
    for m, pad in _tokens(pattern):
        if m.start():
            ends.append(len(regex))
        lit, letter = m.group(1), m.group(2)
        if pad:  # PadPrinterParserDecorator.parse: the pad characters, then the field, `pad` long in all
            fields.append(("p", pad))
            regex += "( *)"
        if lit is not None:
            regex += re.escape(lit.replace("''", "'") or "'")
            continue
        if letter is None:
            # an optional section parses when its text is there
            regex += {"[": "(?:", "]": ")?"}.get(m.group(0)) or re.escape(m.group(0))
            continue
        n = len(m.group(0))
        fields.append((letter, n))
        if letter == "M" and n >= 3:
            regex += "([A-Za-z]+)"
        elif letter in "XxZO":
            regex += f"({_offset_regex(letter, n)})"
        elif letter in "zv":  # ZoneTextPrinterParser: offsets, zone ids and the names of the field's width
            regex += f"({zonetext.names_re(n == 4)}|{_ZONE_TEXT_RE})"
        elif letter == "V":
            regex += f"({_ZONE_ID_RE})"
        elif letter == "a":
            regex += "(AM|PM|am|pm)"
        elif letter == "G":  # the era's text of the field's width (strict: that style only)
            regex += "(" + "|".join(_eras(n)) + ")"
        elif letter == "n":
            regex += r"(\d+)"
        elif letter == "E":
            regex += "([A-Za-z]+)"
        elif letter == "S":  # a fraction of n digits, exactly n in DateTimeFormatter's strict parse
            regex += rf"(\d{{{n}}})" if not prefix else rf"(\d{{1,{n}}})"
        elif letter in "yu" and n == 4:
            regex += r"([+-]?\d{4,9})"
        else:
            # DateTimeFormatter parses strictly: a two-letter field is exactly two digits, which is what
            # lets 'yyyyMMddHHmmss' split adjacent numbers; java.text (prefix) is lenient
            regex += rf"(\d{{{n}}})" if n > 2 or (n == 2 and not prefix) else r"(\d{1,2})"
    # every ksqlDB parse function builds its formatter case-insensitive ("12:01:05 aM", "01-dec-2021")
    compiled = re.compile(regex, re.IGNORECASE)

    letters = {letter for letter, _ in fields}
    ymd = bool(letters & {"y", "u"}) and "M" in letters and "d" in letters

    def parse(text: str, tz: dt.tzinfo) -> dt.datetime:
        m = compiled.match(text) if prefix else compiled.fullmatch(text)
        if not m:
            _check_zone_text(compiled.match(text), fields, text)
            raise ValueError(_parse_failure(text, regex, ends))
        year, month, day, hour, minute, second, micro = 1970, 1, 1, 0, 0, 0, 0
        pm = None
        before_christ = False
        day_of_year = None
        end_of_day = False
        pad_start, n_pad = -1, 0
        for group, ((letter, n), g) in enumerate(zip(fields, m.groups(), strict=True), 1):
            if pad_start >= 0:  # the field a pad decorates must end the pad width after the pad began
                if m.end(group) - pad_start != n_pad and not prefix:
                    # DateTimeFormatter parses strictly; the decorator reports ~(position + pos)
                    raise ValueError(f"Text '{text}' could not be parsed at index {pad_start + m.end(group - 1)}")
                pad_start = -1
            if letter == "p":
                pad_start, n_pad = m.start(group), n
                continue
            if g is None:  # a field of an optional section that was absent
                continue
            if letter in "yu":
                year = int(g) + (2000 if n == 2 else 0)
            elif letter == "M":
                month = int(g) if g.isdigit() else [x[:3].lower() for x in MONTHS].index(g[:3].lower()) + 1
            elif letter == "d":
                day = int(g)
            elif letter == "D":
                day_of_year = int(g)
            elif letter in "HhKk":
                hour = int(g)
                low, high = {"H": (0, 23), "h": (1, 12), "K": (0, 11), "k": (1, 24)}[letter]
                if letter == "H" and hour == 24:
                    end_of_day = True  # the SMART resolver's 24:00, checked once the other fields are in
                elif not low <= hour <= high:
                    raise ValueError(_invalid(text, letter, hour))
                if hour == 24:  # clock-hour-of-day 24 is midnight
                    hour = 0
            elif letter == "m":
                minute = int(g)
            elif letter == "s":
                second = int(g)
            elif letter == "S":
                micro = int(g.ljust(6, "0")[:6])
            elif letter == "n":  # nano-of-second, any number of digits
                if int(g) > 999_999_999:
                    raise ValueError(_invalid(text, letter, int(g)))
                micro = int(g) // 1000
            elif letter == "a":
                pm = g.upper() == "PM"
            elif letter == "G":
                before_christ = g.upper() == _eras(n)[0].upper()
            elif letter in "zv":
                try:
                    tz = _zone_text(g, n == 4)
                except ValueError:  # ZoneTextPrinterParser matches known ids and names only
                    raise ValueError(f"Text '{text}' could not be parsed at index {m.start(group)}") from None
            elif letter == "V":
                try:
                    tz = zone(g)
                except ValueError:  # ZoneIdPrinterParser matches known region ids only
                    raise ValueError(f"Text '{text}' could not be parsed at index {m.start(group)}") from None
            elif letter in "XxZO":
                tz = zone(g)
        if before_christ:  # IsoChronology: year-of-era y of BCE is the proleptic year 1 - y
            year = 1 - year
            if year < dt.MINYEAR:  # no datetime before year 1 (Java would go on to an epoch millisecond)
                raise ValueError(f"Text '{text}' could not be parsed: year {year} is out of range")
        for letter, value in (("M", month), ("d", day), ("m", minute), ("s", second)):
            low, high = _RANGES[letter][1]
            if not low <= value <= high:
                raise ValueError(_invalid(text, letter, value))
        if end_of_day and (minute or second or micro):
            raise ValueError(_invalid(text, "H", 24))
        if pm is not None:
            hour = hour % 12 + (12 if pm else 0)
        if day_of_year is not None and not letters & {"M", "d", "L"}:
            # StringToTimestampParser sets DAY_OF_YEAR on its date (the resolver's, with a year)
            if day_of_year == 366 and not letters & {"y", "u"}:
                raise ValueError("Leap day cannot be parsed without supplying the year field")
            if day_of_year > 365 + calendar.isleap(year) or day_of_year < 1:
                raise ValueError(
                    f"Text '{text}' could not be parsed: Invalid date 'DayOfYear {day_of_year}' as '{year}' is not "
                    "a leap year"
                )
            doy = dt.date(year, 1, 1) + dt.timedelta(days=day_of_year - 1)
            month, day = doy.month, doy.day
        if ymd and 1 <= month <= 12 and 28 < day <= 31:
            # Java's SMART resolver (DateTimeFormatter's default): a day past the month's end is its last day
            day = min(day, calendar.monthrange(year, month)[1])
        out = dt.datetime(year, month, day, hour, minute, second, micro, tzinfo=tz)
        out = out + dt.timedelta(days=1) if end_of_day else out
        # a zone of the text resolves with the parse (ZonedDateTime.ofLocal: the earlier offset of an
        # overlap, fold 0); the zone argument only when StringToTimestampParser sets the fields on it
        from_text = any(letter in "zvVXxZO" and g is not None for (letter, _), g in zip(fields, m.groups(), strict=True))
        return out if from_text else _overlap_offset(out)

    return parse


# ChronoField names and ranges, for DateTimeFormatter's "Invalid value for MonthOfYear (valid values 1 - 12): 13"
_RANGES = {
    "M": ("MonthOfYear", (1, 12)), "d": ("DayOfMonth", (1, 31)), "H": ("HourOfDay", (0, 23)),
    "h": ("ClockHourOfAmPm", (1, 12)), "K": ("HourOfAmPm", (0, 11)), "k": ("ClockHourOfDay", (1, 24)),
    "m": ("MinuteOfHour", (0, 59)), "s": ("SecondOfMinute", (0, 59)), "n": ("NanoOfSecond", (0, 999_999_999)),
}


def _invalid(text: str, letter: str, value: int) -> str:
    name, (low, high) = _RANGES[letter]
    shown = "1 - 28/31" if letter == "d" else f"{low} - {high}"
    return f"Text '{text}' could not be parsed: Invalid value for {name} (valid values {shown}): {value}"


def _parse_failure(text: str, regex: str, ends: list[int]) -> str:
    """DateTimeFormatter's text: the index where parsing stopped, or the start of unparsed trailing text."""
    whole = re.match(regex, text, re.IGNORECASE)
    if whole is not None:
        return f"Text '{text}' could not be parsed, unparsed text found at index {whole.end()}"
    for end in reversed(ends):
        try:
            m = re.match(regex[:end], text, re.IGNORECASE)
        except re.error:  # cut inside an optional section
            continue
        if m is not None:
            return f"Text '{text}' could not be parsed at index {m.end()}"
    return f"Text '{text}' could not be parsed at index 0"


EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def java_timestamp_instant(ms: int) -> tuple[int, int]:
    """(epoch seconds, nanos) of `new java.sql.Timestamp(ms).toInstant()`: the constructor splits off the
    millis (a negative remainder borrows a second, whose `* 1000` wraps at Long.MIN_VALUE, so Long.MIN_VALUE
    becomes year +292278994) and toInstant divides the millis truncating."""
    q = int(ms / 1000) if abs(ms) < 2**52 else (abs(ms) // 1000) * (1 if ms >= 0 else -1)
    nanos = (ms - q * 1000) * 1_000_000
    millis = q * 1000
    if nanos < 0:
        nanos += 1_000_000_000
        millis = ((((q - 1) * 1000) + 2**63) % 2**64) - 2**63
    secs = abs(millis) // 1000 * (1 if millis >= 0 else -1)
    return secs, nanos


_PY_MIN_S = -62135596800 + 2 * 86400  # datetime's year 1 (with room for a zone offset)
_PY_MAX_S = 253402300799 - 2 * 86400  # datetime's year 9999


def format_ms(ms: int, pattern: str, tz: str | None = None) -> str:
    secs, nanos = java_timestamp_instant(ms)
    if _PY_MIN_S < secs < _PY_MAX_S:
        t = (EPOCH + dt.timedelta(seconds=secs, microseconds=nanos // 1000)).astimezone(zone(tz))
        return formatter(pattern)(t)
    return formatter(pattern)(FarDateTime.of(secs, nanos, zone(tz)))  # type: ignore[arg-type]


class FarDateTime:
    """A zoned date-time beyond Python's years 1..9999 (java.time's range is +-999999999): the fields the
    formatter reads, from the proleptic Gregorian calendar; the zone's offset of year 1 or 9999 stands for
    the earlier or later one."""

    def __init__(self, days: int, second_of_day: int, microsecond: int, tz: dt.tzinfo) -> None:
        self.days, self.second_of_day, self.microsecond, self.tzinfo = days, second_of_day, microsecond, tz
        self.year, self.month, self.day = _civil(days)
        self.hour, rest = divmod(second_of_day, 3600)
        self.minute, self.second = divmod(rest, 60)

    @classmethod
    def of(cls, secs: int, nanos: int, tz: dt.tzinfo) -> FarDateTime:
        ref = dt.datetime(9999, 12, 1) if secs > 0 else dt.datetime(1, 1, 2)
        offset = tz.utcoffset(ref) or dt.timedelta(0)
        local = secs + int(offset.total_seconds())
        days, sod = divmod(local, 86400)
        return cls(days, sod, nanos // 1000, tz)

    def weekday(self) -> int:
        return (self.days + 3) % 7  # 1970-01-01 was a Thursday

    def date(self) -> FarDateTime:
        return self

    def replace(self, day: int) -> FarDateTime:
        return FarDateTime(self.days - self.day + day, self.second_of_day, self.microsecond, self.tzinfo)

    def timetuple(self) -> YearDay:
        jan1 = _days_from_civil(self.year, 1, 1)
        return YearDay(self.days - jan1 + 1)

    def utcoffset(self) -> dt.timedelta | None:
        ref = dt.datetime(9999, 12, 1) if self.year > 9999 else dt.datetime(1, 1, 2)
        return self.tzinfo.utcoffset(ref)

    def tzname(self) -> str | None:
        ref = dt.datetime(9999, 12, 1) if self.year > 9999 else dt.datetime(1, 1, 2)
        return self.tzinfo.tzname(ref)


class YearDay:
    """The part of time.struct_time the formatter reads."""

    def __init__(self, tm_yday: int) -> None:
        self.tm_yday = tm_yday


def _civil(days: int) -> tuple[int, int, int]:
    """(year, month, day) of a day number from 1970-01-01 (H. Hinnant's civil_from_days), any range."""
    z = days + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    return yoe + era * 400 + (1 if m <= 2 else 0), m, d


def _days_from_civil(y: int, m: int, d: int) -> int:
    y -= m <= 2
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def parse_ms(text: str, pattern: str, tz: str | None = None, prefix: bool = False) -> int:
    return _parse_ms(text, pattern, tz, prefix)


# The epoch milliseconds of recent texts: a pure function of its arguments (a failure raises anew each time:
# lru_cache keeps no exception). A stream's TIMESTAMP column parses every record's text, and event times
# repeat (the pipeline's transactions: 124,592 distinct seconds in 284,807 rows, parsed by two queries)
@lru_cache(maxsize=65_536)
def _parse_ms(text: str, pattern: str, tz: str | None, prefix: bool) -> int:
    if not prefix and (form := _utc_form(pattern)) is not None and (ms := _utc_ms(form, text)) is not None:
        return ms
    t = parser(pattern, prefix)(text, zone(tz))
    return (t - EPOCH) // dt.timedelta(milliseconds=1)


# The common event-time pattern (the pipeline's yyyy-MM-dd'T'HH:mm:ssX, ISO with .SSS) read without the
# general parser, for exactly the texts whose time is certain: fixed-width ASCII digits in the pattern's
# places, a valid calendar date and time of day (no SMART clamping of a day 31 in a 30-day month, no hour
# 24), years 1..9999 (year-of-era without an era), and the offset "Z" (UTC: the zone argument plays no
# part). Anything else returns None and the general parser decides, error texts included.
_UTC_FIELDS = {"yyyy": r"(?P<y>[0-9]{4})", "MM": r"(?P<mo>[0-9]{2})", "dd": r"(?P<d>[0-9]{2})",
               "HH": r"(?P<h>[0-9]{2})", "mm": r"(?P<mi>[0-9]{2})", "ss": r"(?P<s>[0-9]{2})",
               "SSS": r"(?P<f>[0-9]{3})"}  # fmt: skip
_UTC_TOKENS = re.compile(r"yyyy|MM|dd|HH|mm|ss|SSS|'T'|[-:. ]|X{1,3}$")
_UTC_NEEDED = {"yyyy", "MM", "dd", "HH", "mm", "ss"}
_EPOCH_DAY = dt.date(1970, 1, 1).toordinal()


@lru_cache(maxsize=64)
def _utc_form(pattern: str) -> re.Pattern[str] | None:
    """The regex of the pattern's texts (a named group per field) for a pattern of the fields above, each
    once, literal separators and a final X, XX or XXX; None for any other pattern."""
    pos, parts, fields = 0, [], []
    while pos < len(pattern):
        m = _UTC_TOKENS.match(pattern, pos)
        if m is None or (m.group() == "SSS" and not pattern.startswith(".", pos - 1)):
            return None  # (a fraction only after a '.': adjacent value parsing is the general parser's)
        tok = m.group()
        if tok in _UTC_FIELDS:
            parts.append(_UTC_FIELDS[tok])
            fields.append(tok)
        elif tok.startswith("X"):
            parts.append("Z")
        else:
            parts.append(re.escape(tok.strip("'")))
        pos = m.end()
    if not pattern.endswith("X") or len(fields) != len({*fields}) or not {*fields} >= _UTC_NEEDED:
        return None
    if "SSS" not in fields:
        parts.append("(?P<f>)")
    return re.compile("".join(parts))


def _utc_ms(form: re.Pattern[str], text: str) -> int | None:
    m = form.fullmatch(text)
    if m is None:
        return None
    y, mo, d, h, mi, sec, f = m.group("y", "mo", "d", "h", "mi", "s", "f")
    year, month, day, hour, minute, second = int(y), int(mo), int(d), int(h), int(mi), int(sec)
    if year < 1 or not 1 <= month <= 12:
        return None
    if not 1 <= day <= 28 and not 28 < day <= calendar.monthrange(year, month)[1]:  # (a day 29..31 is checked)
        return None
    if hour > 23 or minute > 59 or second > 59:
        return None
    days = dt.date(year, month, day).toordinal() - _EPOCH_DAY
    return ((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + (int(f) if f else 0)


def _check_zone_text(m: re.Match[str] | None, fields: list[tuple[str, int]], text: str) -> None:
    """A zone field whose text is no zone name or id stops the parse where it starts (ZoneTextPrinterParser
    finds nothing there), before any text after it is looked at."""
    if m is None:
        return
    for group, (letter, n) in enumerate(fields, 1):
        g = m.group(group)
        if letter in "zv" and g is not None:
            try:
                _zone_text(g, n == 4)
            except ValueError:
                raise ValueError(f"Text '{text}' could not be parsed at index {m.start(group)}") from None


def _overlap_offset(t: dt.datetime) -> dt.datetime:
    """A local time a zone passes twice (autumn's overlap) takes the offset StringToTimestampParser carries
    over: it sets the parsed fields one by one on 1970-01-01T00:00 in the zone, and ZonedDateTime.with keeps
    the previous offset when it is still valid, so the offset of that day wins (gaps shift forward, as here)."""
    if not isinstance(t.tzinfo, ZoneInfo | zonetext.SystemVZone):
        return t
    earlier, later = t.replace(fold=0), t.replace(fold=1)
    if (earlier.utcoffset() or dt.timedelta(0)) <= (later.utcoffset() or dt.timedelta(0)):
        return t  # not an overlap
    carried = dt.datetime(1970, 1, 1, tzinfo=t.tzinfo).utcoffset()
    return later if later.utcoffset() == carried else earlier
