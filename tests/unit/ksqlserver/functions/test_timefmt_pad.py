"""The `p` pad modifier of java.time.format.DateTimeFormatter patterns (JDK 17 DateTimeFormatterBuilder.
parsePattern: a run of `p` calls padNext(count) for the letter run right after it, anything else is
"Pad letter 'p' must be followed by valid pad pattern"), as FORMAT_TIMESTAMP / PARSE_TIMESTAMP use it:
PadPrinterParserDecorator.format pads with spaces on the left and fails past the width; its parse (strict)
takes the pad characters, then the field, which must end exactly at the pad width."""

from __future__ import annotations

import pytest

from ksqlserver.errors import EvaluationError
from ksqlserver.functions.timefmt import PatternError, format_ms, formatter, parse_ms
from ksqlserver.functions.timefuncs import format_timestamp

DAY = 86_400_000


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("ppd/M", " 5/1"),
        ("pppMMM", "Jan"),
        ("ppppHH:mm", "  00:00"),
        ("pd", "5"),
        ("yyyy-MM-pppdd", "1970-01- 05"),
    ],
)
def test_pad_format(pattern: str, expected: str) -> None:
    """PadPrinterParserDecorator.format: `padWidth - len` pad characters inserted before the field."""
    assert format_ms(4 * DAY, pattern) == expected


def test_pad_narrower_than_the_field_fails_to_format() -> None:
    """PadPrinterParserDecorator.format's DateTimeException, as FormatTimestamp reports it."""
    with pytest.raises(EvaluationError) as info:
        format_timestamp(0, "pyyyy")
    assert info.value.message.endswith(
        "with formatter 'pyyyy': Cannot print as output of 4 characters exceeds pad width of 1"
    )


@pytest.mark.parametrize("pattern", ["p", "pp'x'", "pp-dd", "ppdd pp"])
def test_pad_must_precede_a_letter(pattern: str) -> None:
    """DateTimeFormatterBuilder.parsePattern's IllegalArgumentException."""
    with pytest.raises(PatternError, match="Pad letter 'p' must be followed by valid pad pattern: "):
        formatter(pattern)


@pytest.mark.parametrize(
    ("text", "pattern", "days"),
    [(" 5/1/1970", "ppd/M/yyyy", 4), ("15/1/1970", "ppd/M/yyyy", 14), ("1970-01- 05", "yyyy-MM-pppdd", 4)],
)
def test_pad_parse(text: str, pattern: str, days: int) -> None:
    """PadPrinterParserDecorator.parse: pad characters skipped, then the field up to the pad width."""
    assert parse_ms(text, pattern) == days * DAY


@pytest.mark.parametrize(
    ("text", "pattern", "index"),
    [("  5/1", "ppd/M", 2), ("5/1", "ppd/M", 0), ("2020-01- 05", "yyyy-MM-ppdd", 17)],
)
def test_pad_parse_must_fill_the_width(text: str, pattern: str, index: int) -> None:
    """Strict parsing: a field that does not end at the pad width fails at ~(position + pos) (the
    decorator's own arithmetic, pos already an index into the text)."""
    with pytest.raises(ValueError, match=f"could not be parsed at index {index}$"):
        parse_ms(text, pattern)
