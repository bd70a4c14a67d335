"""Durations in units a reader takes in at a glance: 850 ms, 12.3 s, 4 min 49 s, 2 h 05 min, 2 d 11 h."""

from __future__ import annotations

import math


def format_duration(seconds: float | None) -> str:
    if seconds is None or math.isnan(seconds):
        return "n/a"
    sign, s = ("-" if seconds < 0 else ""), abs(seconds)
    if s < 1:
        return f"{sign}{s * 1000:.0f} ms"
    if s < 60:
        return f"{sign}{s:.1f} s"
    whole = round(s)
    if whole < 3600:
        minutes, rest = divmod(whole, 60)
        return f"{sign}{minutes} min {rest:02d} s"
    if whole < 86400:
        hours, rest = divmod(whole, 3600)
        return f"{sign}{hours} h {rest // 60:02d} min"
    days, rest = divmod(whole, 86400)
    return f"{sign}{days} d {rest // 3600} h"


def format_ms(milliseconds: float | None) -> str:
    return format_duration(None if milliseconds is None else milliseconds / 1000)
