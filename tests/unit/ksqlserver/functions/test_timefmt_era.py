"""The era field `G` of java.time.format.DateTimeFormatter patterns when parsing (JDK 17
DateTimeFormatterBuilder.TextPrinterParser over ChronoField.ERA, strict: only the text of the field's
width, IsoEra's Locale.US texts - G..GGG "AD"/"BC", GGGG "Anno Domini"/"Before Christ", GGGGG "A"/"B"),
which the TIMESTAMP_FORMAT example of docs/reference/sql/time.md ('yyyy.MM.dd G ''at'' HH:mm:ss z') needs;
before, a pattern with G formatted but never parsed."""

from __future__ import annotations

import pytest

from ksqlserver.functions.timefmt import format_ms, parse_ms

JULY_4_2001 = 994_204_800_000


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        ("2001.07.04 AD", "yyyy.MM.dd G"),
        ("2001.07.04 ad", "yyyy.MM.dd GGG"),  # ksqlDB's parsers are case-insensitive
        ("2001.07.04 Anno Domini", "yyyy.MM.dd GGGG"),
        ("2001.07.04 A", "yyyy.MM.dd GGGGG"),
    ],
)
def test_era_parses_at_its_width(text: str, pattern: str) -> None:
    assert parse_ms(text, pattern) == JULY_4_2001


def test_era_text_of_another_width_does_not_parse() -> None:
    """Strict parsing takes the field's own style only: "AD" is no GGGG."""
    with pytest.raises(ValueError, match="could not be parsed at index 11"):
        parse_ms("2001.07.04 AD", "yyyy.MM.dd GGGG")


def test_docs_example_round_trips() -> None:
    """time.md's 'yyyy.MM.dd G ''at'' HH:mm:ss z' with the DateTimeFormatter javadoc's value."""
    pattern = "yyyy.MM.dd G 'at' HH:mm:ss z"
    ms = parse_ms("2001.07.04 AD at 12:08:56 PDT", pattern)
    assert ms == JULY_4_2001 + 19 * 3_600_000 + 8 * 60_000 + 56_000
    assert format_ms(ms, pattern, "America/Los_Angeles") == "2001.07.04 AD at 12:08:56 PDT"
