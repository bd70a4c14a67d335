"""The event-time texts of the common ISO patterns with a Z offset (the pipeline's source stream:
yyyy-MM-dd'T'HH:mm:ssX) are read without the general DateTimeFormatter emulation (timefmt._utc_ms); for
every text it answers, its time must be the general parser's, and every text it declines is the general
parser's to read or refuse (StringToTimestampParser: SMART resolution, offsets, error texts)."""

from __future__ import annotations

import random

import pytest

from ksqlserver.functions import timefmt

PATTERNS = ["yyyy-MM-dd'T'HH:mm:ssX", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX", "dd.MM.yyyy HH:mm:ssXX",
            "yyyy-MM-dd HH:mm:ss.SSSX"]  # fmt: skip


def general(text: str, pattern: str) -> int | str:
    try:
        t = timefmt.parser(pattern, False)(text, timefmt.zone(None))
    except Exception as e:  # the refusal the extractor logs
        return type(e).__name__
    return (t - timefmt.EPOCH) // timefmt.dt.timedelta(milliseconds=1)


def text_for(pattern: str, rnd: random.Random) -> str:
    year = rnd.choice([1, 999, 1969, 1970, 2000, 2018, 2024, 2100, 9999, 0, 10000])
    values = {"yyyy": f"{year:04d}", "MM": f"{rnd.choice([1, 2, 4, 12, 0, 13]):02d}",
              "dd": f"{rnd.choice([1, 28, 29, 30, 31, 0, 32]):02d}", "HH": f"{rnd.choice([0, 23, 24]):02d}",
              "mm": f"{rnd.choice([0, 59, 60]):02d}", "ss": f"{rnd.choice([0, 59, 60]):02d}",
              "SSS": f"{rnd.choice([0, 7, 999]):03d}"}  # fmt: skip
    out = pattern.replace("'T'", "T")
    for field in ("yyyy", "SSS", "MM", "dd", "HH", "mm", "ss"):
        out = out.replace(field, values[field], 1)
    zone = rnd.choice(["Z", "Z", "Z", "+01:00", "+0100", "+01", "z", ""])
    out = out.rstrip("X") + zone
    if rnd.random() < 0.05:
        out = out.replace("1", "\u0661", 1)  # an Arabic-Indic digit: not ASCII
    return out


@pytest.mark.parametrize("pattern", PATTERNS)
def test_the_utc_reader_answers_only_with_the_general_parsers_time(pattern: str) -> None:
    form = timefmt._utc_form(pattern)
    assert form is not None
    rnd = random.Random(pattern)
    answered = 0
    for _ in range(3000):
        text = text_for(pattern, rnd)
        ms = timefmt._utc_ms(form, text)
        if ms is not None:
            answered += 1
            assert ms == general(text, pattern), text
    assert answered > 50


def test_other_patterns_take_the_general_parser() -> None:
    for pattern in ["yyyy-MM-dd'T'HH:mm:ss.SSS", "yyyy-MM-dd'T'HH:mm:ssZ", "yyyy-MM-dd'T'HH:mm:ssSSSX",
                    "yyyy-MM-dd'T'HH:mmX", "uuuu-MM-dd'T'HH:mm:ssX", "yyyy-MM-dd'T'HH:mm:ss'Z'X", "yyyyX"]:  # fmt: skip
        assert timefmt._utc_form(pattern) is None, pattern


def test_parse_ms_is_unchanged_for_the_pipelines_texts() -> None:
    pattern = "yyyy-MM-dd'T'HH:mm:ssX"
    assert timefmt.parse_ms("2018-12-18T12:00:00Z", pattern) == 1_545_134_400_000
    assert timefmt.parse_ms("1969-12-31T23:59:59Z", pattern) == -1000
    assert timefmt.parse_ms("2018-12-18T13:00:00+0100", pattern) == 1_545_134_400_000  # the general parser
    with pytest.raises(ValueError, match="could not be parsed"):
        timefmt.parse_ms("2018-12-18T12:00:00", pattern)
