"""Date and time functions (TIMESTAMP values are epoch milliseconds, DATE epoch days, TIME milliseconds of
the day); Java patterns through `timefmt`; durations take a time unit argument (`DATEADD(DAYS, 2, d)`)."""

from __future__ import annotations

import datetime as dt
import time

from ksqlserver.errors import EvaluationError
from ksqlserver.functions.dates import (
    DAY_MS,
    convert_tz,
    date_add,
    date_sub,
    time_add,
    time_sub,
    timestamp_add,
    timestamp_sub,
)
from ksqlserver.functions.fastdate import date_parser
from ksqlserver.functions.registry import FunctionRegistry, V, udf
from ksqlserver.functions.timefmt import (
    EPOCH,
    TOKEN,
    PatternError,
    format_ms,
    formatter,
    parse_ms,
    parser,
    zone,
)


def _cause(e: Exception) -> str:
    """The cause's message as the UDFs wrap it: their formatter caches (Guava LoadingCache) rethrow a
    pattern's IllegalArgumentException as UncheckedExecutionException, whose message is the cause's toString."""
    return f"java.lang.IllegalArgumentException: {e}" if isinstance(e, PatternError) else str(e)


def _fmt_error(kind: str, value: object, pattern: str, e: Exception) -> EvaluationError:
    return EvaluationError(f"Failed to format {kind} {value} with formatter '{pattern}': {_cause(e)}")


# DateTimeFormatter fields a LocalDate does not have (offsets and zones neither has)
_TIME_LETTERS = frozenset("aHhKkmsSAnNBxXZOVz")
_DATE_FIELD_LETTERS = frozenset("GuyYDMLdQqwWEecF")
_DATE_LETTERS = _DATE_FIELD_LETTERS | frozenset("xXZOVz")  # and a LocalTime does not have


def _letters(pattern: str) -> set[str]:
    return {m.group(2) for m in TOKEN.finditer(pattern) if m.group(2)}


# ChronoField (and Locale.US WeekFields) names DateTimeFormatter gives in "Unsupported field: ..."
_US_WEEK = "[WeekFields[SUNDAY,1]]"
_FIELD_NAMES = {
    "a": "AmPmOfDay", "H": "HourOfDay", "h": "ClockHourOfAmPm", "K": "HourOfAmPm", "k": "ClockHourOfDay",
    "m": "MinuteOfHour", "s": "SecondOfMinute", "S": "NanoOfSecond", "A": "MilliOfDay", "n": "NanoOfSecond",
    "N": "NanoOfDay", "B": "AmPmOfDay", "G": "Era", "u": "Year", "y": "YearOfEra",
    # Locale.US week fields read DAY_OF_WEEK first, which is what a LocalTime reports missing
    "Y": "DayOfWeek", "D": "DayOfYear", "M": "MonthOfYear", "L": "MonthOfYear",
    "d": "DayOfMonth", "Q": "QuarterOfYear", "q": "QuarterOfYear", "w": "DayOfWeek",
    "W": "DayOfWeek", "E": "DayOfWeek", "e": "DayOfWeek", "c": "DayOfWeek",
    "F": "AlignedDayOfWeekInMonth", "x": "OffsetSeconds", "X": "OffsetSeconds", "Z": "OffsetSeconds",
    "O": "OffsetSeconds",
}


def _local_time_text(ms: int) -> str:
    """LocalTime.toString: HH:mm, seconds only when there are any, then the fraction."""
    s, msec = divmod(ms, 1000)
    h, rem = divmod(s, 3600)
    m, sec = divmod(rem, 60)
    text = f"{h:02d}:{m:02d}"
    if sec or msec:
        text += f":{sec:02d}" + (f".{msec:03d}" if msec else "")
    return text


def _unsupported(pattern: str, letters: frozenset[str], temporal: str) -> None:
    """The first field (left to right) a LocalDate / LocalTime lacks, after the pattern itself compiles."""
    formatter(pattern)  # an unknown letter is reported first ("Unknown pattern letter: i")
    for m in TOKEN.finditer(pattern):
        if m.group(2) and m.group(2) in letters:
            if m.group(2) in "Vz":
                raise ValueError(f"Unable to extract ZoneId from temporal {temporal}")
            raise ValueError(f"Unsupported field: {_FIELD_NAMES.get(m.group(2), m.group(2))}")


def format_date(days: int, pattern: str) -> str:
    date = dt.date(1970, 1, 1) + dt.timedelta(days=days)
    try:
        _unsupported(pattern, _TIME_LETTERS, str(date))
        return format_ms(days * DAY_MS, pattern)
    except Exception as e:
        raise _fmt_error("date", date, pattern, e) from e


def date_to_string(days: int | None, pattern: str | None) -> str | None:
    if pattern is None:
        return None
    if days is None:
        raise EvaluationError("Cannot pass NULL to the INT parameter of DATETOSTRING")
    try:
        # DateToString formats a LocalDate too: time fields are refused
        _unsupported(pattern, _TIME_LETTERS, str(dt.date(1970, 1, 1) + dt.timedelta(days=days)))
        return format_ms(days * DAY_MS, pattern)
    except Exception as e:
        raise _fmt_error("date", days, pattern, e) from e


def format_time(ms: int, pattern: str) -> str:
    try:
        _unsupported(pattern, _DATE_LETTERS, _local_time_text(ms))
        return format_ms(ms, pattern)
    except Exception as e:
        raise _fmt_error("time", _local_time_text(ms), pattern, e) from e


def _sql_timestamp_text(ms: int) -> str:
    """java.sql.Timestamp.toString in a UTC JVM: 2021-12-01 12:10:11.123, a zero fraction as .0."""
    t = EPOCH + dt.timedelta(milliseconds=ms)
    frac = f"{t.microsecond * 1000:09d}".rstrip("0") or "0"
    return f"{t:%Y-%m-%d %H:%M:%S}.{frac}"


def format_timestamp(ms: int, pattern: str, tz: str = "GMT") -> str:
    # FormatTimestamp's two-argument form calls the three-argument one with "GMT": both name the zone
    try:
        return format_ms(ms, pattern, tz)
    except Exception as e:
        raise EvaluationError(
            f"Failed to format timestamp {_sql_timestamp_text(ms)} at timeZone '{tz}' with formatter "
            f"'{pattern}': {_cause(e)}"
        ) from e


def timestamp_to_string(ms: int | None, pattern: str | None) -> str | None:
    if pattern is None:
        return None
    if ms is None:
        raise EvaluationError("Cannot pass NULL to the BIGINT parameter of TIMESTAMPTOSTRING")
    try:
        return format_ms(ms, pattern, "UTC")  # the JVM default zone of a UTC server
    except Exception as e:
        raise EvaluationError(f"Failed to format timestamp {ms} with formatter '{pattern}': {_cause(e)}") from e


def timestamp_to_string_at(ms: int | None, pattern: str | None, tz: str | None) -> str | None:
    if pattern is None or tz is None:
        return None
    if ms is None:
        raise EvaluationError("Cannot pass NULL to the BIGINT parameter of TIMESTAMPTOSTRING")
    try:
        return format_ms(ms, pattern, tz)
    except Exception as e:
        raise EvaluationError(
            f"Failed to format timestamp {ms} at timeZone '{tz}' with formatter '{pattern}': {_cause(e)}"
        ) from e


def _java(v: str | None) -> str:
    return "null" if v is None else v


def _null_argument(text: str | None, pattern: str | None, tz: str | None = "") -> str | None:
    """The NullPointerException message StringToDate / StringToTimestamp wrap for a null argument: the
    formatter cache's key check (no message), then ZoneId.of's ("zoneId"), then the parser's ("text")."""
    if pattern is None:
        return "null"
    if tz is None:
        return "zoneId"
    if text is None:
        return "text"
    return None


def string_to_timestamp(text: str | None, pattern: str | None) -> int:
    # no null-in-null-out: there is no sentinel for a null BIGINT, so a null is a parse failure
    npe = _null_argument(text, pattern)
    try:
        if npe is not None:
            formatter(pattern or "")  # an unknown letter is reported before a null text
            raise ValueError(npe)
        return parse_ms(text or "", pattern or "")
    except Exception as e:
        raise EvaluationError(
            f"Failed to parse timestamp '{_java(text)}' with formatter '{_java(pattern)}': {_cause(e)}"
        ) from e


def string_to_timestamp_at(text: str | None, pattern: str | None, tz: str | None) -> int:
    npe = _null_argument(text, pattern, tz)
    try:
        if npe is not None:
            if pattern is not None:
                formatter(pattern)
            if npe == "text":
                zone(tz)  # ZoneId.of comes before the parse
            raise ValueError(npe)
        return parse_ms(text or "", pattern or "", tz)
    except Exception as e:
        raise EvaluationError(
            f"Failed to parse timestamp '{_java(text)}' at timezone '{_java(tz)}' with formatter "
            f"'{_java(pattern)}': {_cause(e)}"
        ) from e


def parse_timestamp(text: str, pattern: str, tz: str = "GMT") -> int:
    # ParseTimestamp's two-argument form calls the three-argument one with "GMT": both name the zone
    try:
        return parse_ms(text, pattern, tz)
    except Exception as e:
        raise EvaluationError(
            f"Failed to parse timestamp '{text}' at timezone '{tz}' with formatter '{pattern}': {_cause(e)}"
        ) from e


def parse_date(text: str, pattern: str) -> int:
    """ParseDate: commons-lang3's FastDateFormat in GMT (functions/fastdate.py), a whole day or an error."""
    try:
        ms = date_parser(pattern)(text)
    except Exception as e:
        raise EvaluationError(f"Failed to parse date '{text}' with formatter '{pattern}': {_cause(e)}") from e
    if ms % DAY_MS:
        raise EvaluationError(
            f"Failed to parse date '{text}' with formatter '{pattern}': Date format contains time field."
        )
    return ms // DAY_MS


def string_to_date(text: str | None, pattern: str | None) -> int:
    npe = _null_argument(text, pattern)
    try:
        if npe is not None:
            formatter(pattern or "")
            raise ValueError(npe)
        days = parse_ms(text or "", pattern or "") // DAY_MS
        _require_local_date(text or "", pattern or "", days)
        return days
    except Exception as e:
        raise EvaluationError(
            f"Failed to parse date '{_java(text)}' with formatter '{_java(pattern)}': {_cause(e)}"
        ) from e


def _require_local_date(text: str, pattern: str, days: int) -> None:
    """LocalDate.parse needs a whole date: a year with month and day, or with day-of-year. Otherwise
    LocalDate.from fails, printing the resolved fields (java.time.format.Parsed.toString)."""
    letters = _letters(pattern)
    has_year = bool(letters & {"y", "u"})
    if has_year and ((letters & {"M", "L"} and "d" in letters) or "D" in letters):
        return
    date = dt.date(1970, 1, 1) + dt.timedelta(days=days)
    fields = []
    if letters & {"M", "L"}:
        fields.append(f"MonthOfYear={date.month}")
    if has_year:
        fields.append(f"Year={date.year}")
    if "d" in letters:
        fields.append(f"DayOfMonth={date.day}")
    if "D" in letters:
        fields.append(f"DayOfYear={date.timetuple().tm_yday}")
    raise ValueError(
        f"Text '{text}' could not be parsed: Unable to obtain LocalDate from TemporalAccessor: "
        f"{{{', '.join(fields)}}},ISO of type java.time.format.Parsed"
    )


def parse_time(text: str, pattern: str) -> int:
    # ParseTime parses first, then refuses a result holding a date field (a zone or offset is ignored)
    try:
        t = parser(pattern)(text, dt.UTC)  # LocalTime.from: the wall time, whatever zone the text names
    except Exception as e:
        raise EvaluationError(f"Failed to parse time '{text}' with formatter '{pattern}': {_cause(e)}") from e
    ms = ((t.hour * 60 + t.minute) * 60 + t.second) * 1000 + t.microsecond // 1000
    if _letters(pattern) & _DATE_FIELD_LETTERS:
        raise EvaluationError(
            f"Failed to parse time '{text}' with formatter '{pattern}': Time format contains date field."
        )
    return ms % DAY_MS


def from_days(days: int | None) -> int:
    if days is None:
        raise EvaluationError("Cannot pass NULL to the INT parameter of FROM_DAYS")
    return days


def unix_date_now() -> int:
    return dt.date.today().toordinal() - dt.date(1970, 1, 1).toordinal()


def unix_timestamp_now() -> int:
    return int(time.time() * 1000)


def identity(x: int) -> int:
    return x


def register(r: FunctionRegistry) -> None:
    udf(r, "CONVERT_TZ", "DATE / TIME",
        "Converts a TIMESTAMP value from one timezone to another.",
        V(
            ["TIMESTAMP timestamp", "VARCHAR fromTimeZone", "VARCHAR toTimeZone"], "TIMESTAMP", convert_tz,
            "Converts a TIMESTAMP value from one timezone to another",
            docs=[
                "The TIMESTAMP value.",
                "The fromTimeZone in java.util.TimeZone ID format. For example: \"UTC\", \"America/Los_Angeles\", \"PST\", \"Europe/London\"",
                "The toTimeZone in java.util.TimeZone ID format. For example: \"UTC\", \"America/Los_Angeles\", \"PST\", \"Europe/London\"",
            ],
        ),
        java_name="convert_tz",
    )
    udf(r, "DATEADD", "DATE / TIME",
        "Adds a duration to a DATE value.",
        V(
            ["INTERVAL UNIT unit", "INT interval", "DATE date"], "DATE", date_add,
            "Adds a duration to a date",
            docs=[
                "A unit of time, for example DAY",
                "An integer number of intervals to add",
                "A DATE value.",
            ],
        ),
        java_name="dateadd",
    )
    udf(r, "DATESUB", "DATE / TIME",
        "Subtracts a duration from a DATE value.",
        V(
            ["INTERVAL UNIT unit", "INT interval", "DATE date"], "DATE", date_sub,
            "Subtracts a duration from a date",
            docs=[
                "A unit of time, for example DAY",
                "An integer number of intervals to subtract",
                "A DATE value.",
            ],
        ),
        java_name="datesub",
    )
    udf(r, "TIMEADD", "DATE / TIME",
        "Adds a duration to a TIME value.",
        V(
            ["INTERVAL UNIT unit", "INT interval", "TIME time"], "TIME", time_add,
            "Adds a duration to a time",
            docs=[
                "A unit of time, for example SECOND or HOUR",
                "An integer number of intervals to add",
                "A TIME value.",
            ],
        ),
        java_name="timeadd",
    )
    udf(r, "TIMESUB", "DATE / TIME",
        "Subtracts a duration from a TIME value.",
        V(
            ["INTERVAL UNIT unit", "INT interval", "TIME time"], "TIME", time_sub,
            "Subtracts a duration from a time",
            docs=[
                "A unit of time, for example SECOND or HOUR",
                "An integer number of intervals to subtract",
                "A TIME value.",
            ],
        ),
        java_name="timesub",
    )
    udf(r, "TIMESTAMPADD", "DATE / TIME",
        "Adds a duration to a TIMESTAMP value.",
        V(
            ["INTERVAL UNIT unit", "INT interval", "TIMESTAMP timestamp"], "TIMESTAMP", timestamp_add,
            "Adds a duration to a timestamp",
            docs=[
                "A unit of time, for example DAY or HOUR",
                "An integer number of intervals to add",
                "A TIMESTAMP value.",
            ],
        ),
        java_name="timestampadd",
    )
    udf(r, "TIMESTAMPSUB", "DATE / TIME",
        "Subtracts a duration from a TIMESTAMP value.",
        V(
            ["INTERVAL UNIT unit", "INT interval", "TIMESTAMP timestamp"], "TIMESTAMP", timestamp_sub,
            "Subtracts a duration from a timestamp",
            docs=[
                "A unit of time, for example DAY or HOUR",
                "An integer number of intervals to subtract",
                "A TIMESTAMP value.",
            ],
        ),
        java_name="timestampsub",
    )
    udf(r, "DATETOSTRING", "DATE / TIME",
        "Converts the number of days since 1970-01-01 00:00:00 UTC/GMT to a date string using the given "
        "format pattern. Note this is the format Kafka Connect uses to represent dates with no time "
        "component.  The format pattern should be in the format expected by "
        "java.time.format.DateTimeFormatter. The system default time zone is used when no time zone is "
        "explicitly provided.",
        V(
            ["INT epochDays", "VARCHAR formatPattern"], "VARCHAR", date_to_string,
            "Converts the number of days since 1970-01-01 00:00:00 UTC/GMT to a date string using the "
            "given format pattern. The format pattern should be in the format expected by "
            "java.time.format.DateTimeFormatter",
            docs=[
                "The Epoch Day to convert, based on the epoch 1970-01-01",
                "The format pattern should be in the format expected by java.time.format.DateTimeFormatter.",
            ],
            nino=False,
        ),
        java_name="datetostring",
    )
    udf(r, "FORMAT_DATE", "DATE / TIME",
        "Converts a DATE value to a string using the given format pattern. The format pattern should be "
        "in the format expected by java.time.format.DateTimeFormatter.",
        V(
            ["DATE date", "VARCHAR formatPattern"], "VARCHAR", format_date,
            "Converts the number of days since 1970-01-01 00:00:00 UTC/GMT to a date string using the "
            "given format pattern. The format pattern should be in the format expected by "
            "java.time.format.DateTimeFormatter",
            docs=[
                "The date to convert",
                "The format pattern should be in the format expected by java.time.format.DateTimeFormatter.",
            ],
        ),
        java_name="format_date",
    )
    udf(r, "FORMAT_TIME", "DATE / TIME",
        "Converts a TIME value into the string representation of the time in the given format.",
        V(
            ["TIME time", "VARCHAR formatPattern"], "VARCHAR", format_time,
            "Converts a TIME value into the string representation of the time in the given format. The "
            "format pattern should be in the format expected by java.time.format.DateTimeFormatter",
            docs=[
                "TIME value.",
                "The format pattern should be in the format expected by java.time.format.DateTimeFormatter.",
            ],
        ),
        java_name="format_time",
    )
    udf(r, "FORMAT_TIMESTAMP", "DATE / TIME",
        "Converts a TIMESTAMP value into the string representation of the timestamp in the given format.",
        V(
            ["TIMESTAMP timestamp", "VARCHAR formatPattern"], "VARCHAR", format_timestamp,
            "Converts a TIMESTAMP value into the string representation of the timestamp in the given "
            "format. Single quotes in the timestamp format can be escaped with '', for example: "
            "'yyyy-MM-dd''T''HH:mm:ssX' The system default time zone is used when no time zone is "
            "explicitly provided. The format pattern should be in the format expected by "
            "java.time.format.DateTimeFormatter",
            docs=[
                "TIMESTAMP value.",
                "The format pattern should be in the format expected by java.time.format.DateTimeFormatter.",
            ],
        ),
        V(
            ["TIMESTAMP timestamp", "VARCHAR formatPattern", "VARCHAR timeZone"], "VARCHAR", format_timestamp,
            "Converts a TIMESTAMP value into the string representation of the timestamp in the given "
            "format. Single quotes in the timestamp format can be escaped with '', for example: "
            "'yyyy-MM-dd''T''HH:mm:ssX'",
            docs=[
                "TIMESTAMP value.",
                "The format pattern should be in the format expected by java.time.format.DateTimeFormatter.",
                " timeZone is a java.util.TimeZone ID format, for example: \"UTC\", \"America/Los_Angeles\", \"PST\", \"Europe/London\"",
            ],
        ),
        java_name="format_timestamp",
    )
    udf(r, "FROM_DAYS", "DATE / TIME",
        "Converts a number of days since epoch to a DATE value.",
        V(["INT days"], "DATE", from_days, "Converts a number of days since epoch to a DATE value.", nino=False),
        java_name="from_days",
    )
    udf(r, "FROM_UNIXTIME", "DATE / TIME",
        "Converts the number of milliseconds since 1970-01-01 00:00:00 UTC/GMT into a TIMESTAMP value.",
        V(
            ["BIGINT epochMilli"], "TIMESTAMP", identity,
            "Converts the number of milliseconds since 1970-01-01 00:00:00 UTC/GMT into a TIMESTAMP value.",
            docs=["Milliseconds since January 1, 1970, 00:00:00 GMT."],
        ),
        java_name="from_unixtime",
    )
    udf(r, "PARSE_DATE", "DATE / TIME",
        "Converts a string representation of a date in the given format into a DATE value. The format "
        "pattern should be in the format expected by java.text.SimpleDateFormat",
        V(
            ["VARCHAR formattedDate", "VARCHAR formatPattern"], "DATE", parse_date,
            "Converts a string representation of a date in the given format into a DATE value.",
            docs=[
                "The string representation of a date.",
                "The format pattern should be in the format expected by java.text.SimpleDateFormat.",
            ],
        ),
        java_name="parse_date",
    )
    udf(r, "PARSE_TIME", "DATE / TIME",
        "Converts a string representation of a time in the given format into a TIME value.",
        V(
            ["VARCHAR formattedTime", "VARCHAR formatPattern"], "TIME", parse_time,
            "Converts a string representation of a time in the given format into the TIME value.",
            docs=[
                "The string representation of a time.",
                "The format pattern should be in the format expected by java.time.format.DateTimeFormatter.",
            ],
        ),
        java_name="parse_time",
    )
    udf(r, "PARSE_TIMESTAMP", "DATE / TIME",
        "Converts a string representation of a date in the given format into a TIMESTAMP value.",
        V(
            ["VARCHAR formattedTimestamp", "VARCHAR formatPattern"], "TIMESTAMP", parse_timestamp,
            "Converts a string representation of a date in the given format into the TIMESTAMP value. "
            "Single quotes in the timestamp format can be escaped with '', for example: "
            "'yyyy-MM-dd''T''HH:mm:ssX'.",
            docs=[
                "The string representation of a date.",
                "The format pattern should be in the format expected by java.time.format.DateTimeFormatter.",
            ],
        ),
        V(
            ["VARCHAR formattedTimestamp", "VARCHAR formatPattern", "VARCHAR timeZone"], "TIMESTAMP", parse_timestamp,
            "Converts a string representation of a date at the given time zone in the given format into "
            "the TIMESTAMP value. Single quotes in the timestamp format can be escaped with '', for "
            "example: 'yyyy-MM-dd''T''HH:mm:ssX'.",
            docs=[
                "The string representation of a date.",
                "The format pattern should be in the format expected by java.time.format.DateTimeFormatter.",
                " timeZone is a java.util.TimeZone ID format, for example: \"UTC\", \"America/Los_Angeles\", \"PST\", \"Europe/London\"",
            ],
        ),
        java_name="parse_timestamp",
    )
    udf(r, "STRINGTODATE", "DATE / TIME",
        "Converts a string representation of a date in the given format into the number of days since "
        "1970-01-01 00:00:00 UTC/GMT. The system default time zone is used when no time zone is "
        "explicitly provided. Note this is the format Kafka Connect uses to represent dates with no time "
        "component. The format pattern should be in the format expected by "
        "java.time.format.DateTimeFormatter",
        V(
            ["VARCHAR formattedDate", "VARCHAR formatPattern"], "INT", string_to_date,
            "Converts a string representation of a date in the given format into the number of days since "
            "1970-01-01 00:00:00 UTC/GMT.",
            docs=[
                "The string representation of a date.",
                "The format pattern should be in the format expected by java.time.format.DateTimeFormatter.",
            ],
            nino=False,
        ),
        java_name="stringtodate",
    )
    udf(r, "STRINGTOTIMESTAMP", "DATE / TIME",
        "Converts a string representation of a date in the given format into the number of milliseconds "
        "since 1970-01-01 00:00:00 UTC/GMT. The system default time zone is used when no time zone is "
        "explicitly provided.",
        V(
            ["VARCHAR formattedTimestamp", "VARCHAR formatPattern"], "BIGINT", string_to_timestamp,
            "Converts a string representation of a date in the given format into the number of "
            "milliseconds since 1970-01-01 00:00:00 UTC/GMT. Single quotes in the timestamp format can be "
            "escaped with '', for example: 'yyyy-MM-dd''T''HH:mm:ssX'. The system default time zone is "
            "used when no time zone is explicitly provided.",
            docs=[
                "The string representation of a date.",
                "The format pattern should be in the format expected by java.time.format.DateTimeFormatter.",
            ],
            nino=False,
        ),
        V(
            ["VARCHAR formattedTimestamp", "VARCHAR formatPattern", "VARCHAR timeZone"], "BIGINT", string_to_timestamp_at,
            "Converts a string representation of a date at the given time zone into the number of "
            "milliseconds since 1970-01-01 00:00:00 UTC/GMT. Single quotes in the timestamp format can be "
            "escaped with '', for example: 'yyyy-MM-dd''T''HH:mm:ssX'.",
            docs=[
                "The string representation of a date.",
                "The format pattern should be in the format expected by java.time.format.DateTimeFormatter.",
                " timeZone is a java.util.TimeZone ID format, for example: \"UTC\", \"America/Los_Angeles\", \"PST\", \"Europe/London\"",
            ],
            nino=False,
        ),
        java_name="stringtotimestamp",
    )
    udf(r, "TIMESTAMPTOSTRING", "DATE / TIME",
        "Converts a number of milliseconds since 1970-01-01 00:00:00 UTC/GMT into the string "
        "representation of the timestamp in the given format. The system default time zone is used when "
        "no time zone is explicitly provided.",
        V(
            ["BIGINT epochMilli", "VARCHAR formatPattern"], "VARCHAR", timestamp_to_string,
            "Converts a number of milliseconds since 1970-01-01 00:00:00 UTC/GMT into the string "
            "representation of the timestamp in the given format. Single quotes in the timestamp format "
            "can be escaped with '', for example: 'yyyy-MM-dd''T''HH:mm:ssX'. The system default time "
            "zone is used when no time zone is explicitly provided. The format pattern should be in the "
            "format expected by java.time.format.DateTimeFormatter",
            docs=[
                "Milliseconds since January 1, 1970, 00:00:00 UTC/GMT.",
                "The format pattern should be in the format expected by java.time.format.DateTimeFormatter.",
            ],
            nino=False,
        ),
        V(
            ["BIGINT epochMilli", "VARCHAR formatPattern", "VARCHAR timeZone"], "VARCHAR", timestamp_to_string_at,
            "Converts a number of milliseconds since 1970-01-01 00:00:00 UTC/GMT into the string "
            "representation of the timestamp in the given format. Single quotes in the timestamp format "
            "can be escaped with '', for example: 'yyyy-MM-dd''T''HH:mm:ssX'",
            docs=[
                "Milliseconds since January 1, 1970, 00:00:00 UTC/GMT.",
                "The format pattern should be in the format expected by java.time.format.DateTimeFormatter.",
                " timeZone is a java.util.TimeZone ID format, for example: \"UTC\", \"America/Los_Angeles\", \"PST\", \"Europe/London\"",
            ],
            nino=False,
        ),
        java_name="timestamptostring",
    )
    udf(r, "UNIX_DATE", "DATE / TIME",
        "Returns the current number of days for the system since 1970-01-01 00:00:00 UTC/GMT.",
        V(
            [], "INT", unix_date_now,
            "Returns the current number of days for the system since 1970-01-01 00:00:00 UTC/GMT.",
        ),
        V(
            ["DATE date"], "INT", identity,
            "Returns the current number of days since 1970-01-01 00:00:00 UTC/GMT represented by the "
            "given date.",
        ),
        java_name="unix_date",
    )
    udf(r, "UNIX_TIMESTAMP", "DATE / TIME",
        "Returns the current number of milliseconds for the system since 1970-01-01 00:00:00 UTC/GMT.",
        V(
            [], "BIGINT", unix_timestamp_now,
            "Returns the current number of milliseconds for the system since 1970-01-01 00:00:00 UTC/GMT.",
        ),
        V(
            ["TIMESTAMP timestamp"], "BIGINT", identity,
            "Returns the number of milliseconds since 1970-01-01 00:00:00 UTC/GMT represented by the "
            "given timestamp.",
            docs=["the TIMESTAMP value."],
        ),
        java_name="unix_timestamp",
    )
