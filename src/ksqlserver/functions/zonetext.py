"""Zone names in a timestamp pattern's text (`z`, `v`), as JDK 17's DateTimeFormatter parses them
(DateTimeFormatterBuilder.ZoneTextPrinterParser): the names of `zonenames.py` for the field's width, and the
JDK's SystemV zones some of them resolve to, which the IANA database Python reads has no more."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from ksqlserver.functions import zonenames

_HOUR = dt.timedelta(hours=1)


def _last_sunday(year: int, month: int) -> dt.date:
    day = dt.date(year, month + 1, 1) - dt.timedelta(days=1) if month < 12 else dt.date(year, 12, 31)
    return day - dt.timedelta(days=(day.weekday() + 1) % 7)


class SystemVZone(dt.tzinfo):
    """A JDK tzdb SystemV zone (make/data/tzdata/systemv): a fixed standard offset and, for the daylight
    ones, rule SystemV: from the last Sunday of April to the last Sunday of October at 02:00 wall time (in
    1974 from January 6, in 1975 from February 23, to the last Sunday of November in 1974) - the US rules
    before 1987, not today's."""

    def __init__(self, name: str, hours: int, daylight: bool) -> None:
        self.name = name
        self.std = dt.timedelta(hours=hours)
        self.daylight = daylight

    def _bounds(self, year: int) -> tuple[dt.datetime, dt.datetime]:
        if year == 1974:
            start, end = dt.date(1974, 1, 6), _last_sunday(1974, 11)
        elif year == 1975:
            start, end = dt.date(1975, 2, 23), _last_sunday(1975, 10)
        else:
            start, end = _last_sunday(year, 4), _last_sunday(year, 10)
        two = dt.time(2)
        return dt.datetime.combine(start, two), dt.datetime.combine(end, two)

    def dst(self, t: dt.datetime | None) -> dt.timedelta:
        if t is None or not self.daylight:
            return dt.timedelta(0)
        start, end = self._bounds(t.year)
        local = t.replace(tzinfo=None, fold=0)
        if start <= local < start + _HOUR:  # the gap: the standard offset (an instant past the change)
            return dt.timedelta(0)
        if end - _HOUR <= local < end:  # the overlap: daylight first, standard for fold=1
            return dt.timedelta(0) if t.fold else _HOUR
        return _HOUR if start <= local < end else dt.timedelta(0)

    def utcoffset(self, t: dt.datetime | None) -> dt.timedelta:
        return self.std + self.dst(t)

    def tzname(self, t: dt.datetime | None) -> str:
        return self.display(t, full=False, generic=False)

    def display(self, t: dt.datetime | None, full: bool, generic: bool) -> str:
        """Its name in the zone strings (z / zzzz, v / vvvv): the names `zonenames` resolves to it, standard or
        daylight by the time (a generic one where there is one, else the standard one)."""
        names = [n for n, z in (zonenames.LONG if full else zonenames.SHORT).items() if z == self.name]
        daylight = bool(self.dst(t)) if t is not None else False
        if generic:
            plain = [n for n in names if not _is_variant(n, full)]
            if plain:
                return plain[0]
        wanted = [n for n in names if _is_variant(n, full) and _is_daylight(n, full) == daylight]
        return wanted[0] if wanted else self.name

    def fromutc(self, t: dt.datetime) -> dt.datetime:
        local = t + self.std
        if not self.daylight:
            return local
        start, end = self._bounds(local.year)
        naive = local.replace(tzinfo=None)  # standard local time; daylight time ends at 01:00 of it
        if start <= naive < end - _HOUR:
            return local + _HOUR
        if end - _HOUR <= naive < end:  # the repeated hour's second pass
            return local.replace(fold=1)
        return local

    def __repr__(self) -> str:
        return f"SystemVZone({self.name!r})"


def _is_variant(name: str, full: bool) -> bool:
    """A standard or daylight name rather than a generic one."""
    return ("Standard" in name or "Daylight" in name) if full else name.endswith(("ST", "DT"))


def _is_daylight(name: str, full: bool) -> bool:
    return "Daylight" in name if full else name.endswith("DT")


_SYSTEM_V = {
    name: SystemVZone(name, hours, daylight)
    for name, hours, daylight in (
        ("SystemV/AST4ADT", -4, True), ("SystemV/EST5EDT", -5, True), ("SystemV/CST6CDT", -6, True),
        ("SystemV/MST7MDT", -7, True), ("SystemV/PST8PDT", -8, True), ("SystemV/YST9YDT", -9, True),
        ("SystemV/HST10", -10, False),
    )
}  # fmt: skip


def system_v(zone_id: str) -> dt.tzinfo | None:
    """The SystemV zone of this id, if it is one."""
    return _SYSTEM_V.get(zone_id)


@lru_cache(maxsize=2)
def names(full: bool) -> dict[str, str]:
    """The names a field of this width parses (upper-cased: the parse is case-insensitive) -> zone id."""
    table = zonenames.LONG if full else zonenames.SHORT
    return {k.upper(): v for k, v in table.items()}


@lru_cache(maxsize=2)
def names_re(full: bool) -> str:
    """A regex alternation of those names, longest first (the prefix tree's longest match)."""
    return "|".join(re.escape(n) for n in sorted(names(full), key=len, reverse=True))
