"""Date and time functions (timestamps are epoch milliseconds, dates epoch days, times ms of day)."""

from __future__ import annotations

import time

from ksqlserver.catalog import types as T
from ksqlserver.functions.registry import FunctionRegistry, fn
from ksqlserver.functions.timefmt import format_ms, parse_ms


def register(r: FunctionRegistry) -> None:
    S, L, TS = T.STRING, T.BIGINT, T.TIMESTAMP
    fn(
        r,
        "TIMESTAMPTOSTRING",
        "Converts a BIGINT millisecond timestamp to a string in the given format.",
        "DATE / TIME",
        (["BIGINT", "STRING"], S, format_ms),
        (["BIGINT", "STRING", "STRING"], S, format_ms),
    )
    fn(
        r,
        "STRINGTOTIMESTAMP",
        "Converts a string in the given format to a BIGINT millisecond timestamp.",
        "DATE / TIME",
        (["STRING", "STRING"], L, parse_ms),
        (["STRING", "STRING", "STRING"], L, parse_ms),
    )
    fn(
        r,
        "FORMAT_TIMESTAMP",
        "Formats a TIMESTAMP with the given pattern.",
        "DATE / TIME",
        (["TIMESTAMP", "STRING"], S, format_ms),
        (["TIMESTAMP", "STRING", "STRING"], S, format_ms),
    )
    fn(
        r,
        "PARSE_TIMESTAMP",
        "Parses a string into a TIMESTAMP with the given pattern.",
        "DATE / TIME",
        (["STRING", "STRING"], TS, parse_ms),
        (["STRING", "STRING", "STRING"], TS, parse_ms),
    )
    fn(
        r,
        "UNIX_TIMESTAMP",
        "Returns the current time, or the given TIMESTAMP, as epoch milliseconds.",
        "DATE / TIME",
        ([], L, lambda: int(time.time() * 1000)),
        (["TIMESTAMP"], L, lambda t: t),
    )
    fn(
        r,
        "FROM_UNIXTIME",
        "Converts epoch milliseconds to a TIMESTAMP.",
        "DATE / TIME",
        (["BIGINT"], TS, lambda t: t),
    )
    fn(
        r,
        "FORMAT_DATE",
        "Formats a DATE with the given pattern.",
        "DATE / TIME",
        (["DATE", "STRING"], S, lambda d, p: format_ms(d * 86_400_000, p)),
    )
    fn(
        r,
        "PARSE_DATE",
        "Parses a string into a DATE with the given pattern.",
        "DATE / TIME",
        (["STRING", "STRING"], T.DATE, lambda s, p: parse_ms(s, p, None, True) // 86_400_000),
    )
    fn(
        r,
        "FORMAT_TIME",
        "Formats a TIME with the given pattern.",
        "DATE / TIME",
        (["TIME", "STRING"], S, lambda d, p: format_ms(d, p)),
    )
    fn(
        r,
        "PARSE_TIME",
        "Parses a string into a TIME with the given pattern.",
        "DATE / TIME",
        (["STRING", "STRING"], T.TIME, lambda s, p: parse_ms(s, p) % 86_400_000),
    )
