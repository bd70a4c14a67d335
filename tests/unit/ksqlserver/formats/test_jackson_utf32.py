"""What ObjectMapper.readTree (Jackson 2.13) throws for bytes its ByteSourceJsonBootstrapper takes for UCS-4,
as ksqlDB 0.29's KsqlJsonDeserializer reports them: a JSON value framed for Schema Registry (magic byte 0 and
a four-byte schema id: 00 00 00 00 <id>) starts like BOM-less UTF-32BE, and UTF32Reader.read refuses the
second quad (the id's low byte and the JSON's first characters) as a code point above U+10FFFF. Before, the
JSON format reported Python's json error for such bytes."""

from __future__ import annotations

import pytest

from ksqlserver.errors import SerdeError
from ksqlserver.formats.jackson_json import jackson_error, utf32_error
from ksqlserver.formats.json_format import parse


@pytest.mark.parametrize(
    ("data", "message"),
    [
        # UTF32Reader.reportInvalid: the normalised value ((hi - 1) << 16 | lo), chars decoded, byte reached
        (b'\x00\x00\x00\x00\x01{"A":1}', "Invalid UTF-32 character 0x17a2241 (above 0x0010ffff) at char #1, byte #7)"),
        (b"\x00\x00\x00\x00\x05[1]", "Invalid UTF-32 character 0x55a315d (above 0x0010ffff) at char #1, byte #7)"),
        # UTF-32LE: the quad's bytes reversed
        (b"x\x00\x00\x00\x00\x00\x00\x7f", "Invalid UTF-32 character 0x7eff0000 (above 0x0010ffff) at char #1, byte #7)"),
        # ByteSourceJsonBootstrapper.reportWeirdUCS4
        (b"\x00\x00\xff\xfe{}", "Unsupported UCS-4 endianness (2143) detected"),
        (b"\xfe\xff\x00\x00{}", "Unsupported UCS-4 endianness (3412) detected"),
        (b"\x00{\x00\x00", "Unsupported UCS-4 endianness (3412) detected"),
        (b"\x00\x00{\x00", "Unsupported UCS-4 endianness (2143) detected"),
    ],
)
def test_ucs4_errors(data: bytes, message: str) -> None:
    assert utf32_error(data) == message
    assert jackson_error(data) == message
    with pytest.raises(SerdeError) as info:
        parse(data)
    assert info.value.message == message


@pytest.mark.parametrize("data", [b"\x00\x00\x00{\x00\x00\x00}", b"\x00{\x00}", b"\xff\xfe{\x00}\x00", b"{}"])
def test_decodable_or_other_encodings_are_not_followed(data: bytes) -> None:
    """Valid UTF-32 goes on to the parser, UTF-16 to a JDK decoder: not followed here (None)."""
    assert utf32_error(data) is None
