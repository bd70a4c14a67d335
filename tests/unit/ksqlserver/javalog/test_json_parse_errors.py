"""KsqlJsonDeserializer.deserialize over bytes that are not JSON: ObjectMapper.readTree's JsonParseException,
its location cleared (JsonProcessingException.clearLocation), in "Failed to deserialize value from topic: <t>.
<message>", with the message Jackson 2.13's UTF8StreamJsonParser gives (ParserMinimalBase._reportUnexpectedChar,
_reportInvalidEOF, _getCharDesc; ParserBase._handleEOF, _reportMismatchedEndMarker, _validJsonValueList;
UTF8StreamJsonParser._handleUnexpectedValue, _reportInvalidToken, _verifyRootSpace, _parseFloat,
_verifyNoLeadingZeroes, _skipColon2, _parseName / _handleOddName / addName, _finishString2, _decodeEscaped).
The implementation was checked against jackson-core 2.13.5 itself on some 8,000 mutated documents.
KsqlJsonDeserializerTest.shouldNotIncludeBadValueInExceptionOnJsonParseException: the message does not quote
the value (only an unclosed object or array names its start with the input, as Jackson's own text does)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from ksqlserver.errors import SerdeError
from ksqlserver.formats.json_format import parse

if TYPE_CHECKING:
    from conftest import LogEngine

VALID = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"{bad json containing personal info: do not log me",
         "Unexpected character ('b' (code 98)): was expecting double-quote to start field name"),
        (b"#", f"Unexpected character ('#' (code 35)): expected a valid value {VALID}"),
        (b"abc", f"Unrecognized token 'abc': was expecting {VALID}"),
        (b"truex", f"Unrecognized token 'truex': was expecting {VALID}"),
        (b'{"a":tru}', f"Unrecognized token 'tru': was expecting {VALID}"),
        (b'{"a":1', 'Unexpected end-of-input: expected close marker for Object (start marker at '
                    '[Source: (byte[])"{"a":1"; line: 1, column: 1])'),
        (b'{"a":[1,2', 'Unexpected end-of-input: expected close marker for Array (start marker at '
                       '[Source: (byte[])"{"a":[1,2"; line: 1, column: 6])'),
        (b'{"a":1 "b":2}', "Unexpected character ('\"' (code 34)): was expecting comma to separate Object entries"),
        (b"[1 2]", "Unexpected character ('2' (code 50)): was expecting comma to separate Array entries"),
        (b'{"a" 1}', "Unexpected character ('1' (code 49)): was expecting a colon to separate field name and value"),
        (b"[1,]", "Unexpected character (']' (code 93)): expected a value"),
        (b'{"a":}', "Unexpected character ('}' (code 125)): expected a value"),
        (b'{"a":1]', 'Unexpected close marker \']\': expected \'}\' (for Object starting at '
                     '[Source: (byte[])"{"a":1]"; line: 1, column: 1])'),
        (b'{"a":', "Unexpected end-of-input within/between Object entries"),
        (b'{"a', "Unexpected end-of-input in field name"),
        (b'{"a":"b', "Unexpected end-of-input in VALUE_STRING"),
        (b'"a\nb"', "Illegal unquoted character ((CTRL-CHAR, code 10)): has to be escaped using backslash to be "
                    "included in string value"),
        (b'"a\\qb"', "Unrecognized character escape 'q' (code 113)"),
        (b"123abc", "Unexpected character ('a' (code 97)): Expected space separating root-level values"),
        (b"01", "Invalid numeric value: Leading zeroes not allowed"),
        (b'{"a":1.}', "Unexpected character ('}' (code 125)) in numeric value: Decimal point not followed by a digit"),
        (b"-x", "Unexpected character ('x' (code 120)) in numeric value: expected digit (0-9) to follow minus sign, "
                "for valid numeric value"),
        (b"NaN", "Non-standard token 'NaN': enable JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS to allow"),
        (b"/", "Unexpected character ('/' (code 47)): maybe a (non-standard) comment? (not recognized as one since "
               "Feature 'ALLOW_COMMENTS' not enabled for parser)"),
        (b"\x01", "Illegal character ((CTRL-CHAR, code 1)): only regular white space (\\r, \\n, \\t) is allowed "
                  "between tokens"),
    ],
)  # fmt: skip
def test_parse_error_messages(data: bytes, message: str) -> None:
    """UTF8StreamJsonParser's message for each malformed input (readTree with ObjectMapper's defaults)."""
    with pytest.raises(SerdeError) as info:
        parse(data)
    assert info.value.message == message


@pytest.mark.parametrize("data", [b'{"a":1} trailing', b'"s" x', b"[1]]", b"  "])
def test_text_after_the_root_value_is_not_read(data: bytes) -> None:
    """readTree reads one root value (FAIL_ON_TRAILING_TOKENS is off): what follows an object, array or
    string is ignored; white space alone is a missing value."""
    parse(data)


def test_the_processing_log_carries_the_message(make_log: Callable[..., LogEngine]) -> None:
    """KsqlJsonDeserializer: "Failed to deserialize value from topic: <topic>. " + the JsonParseException's
    message, logged by the source's deserializer."""
    le = make_log()
    le.sql("CREATE STREAM S (K STRING KEY, A INT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, FORMAT='JSON');")
    le.sql("CREATE STREAM O AS SELECT * FROM S;")
    le.produce("s", b'"k"', b'{"A":1,}', 1)
    [error] = [m["deserializationError"] for m in le.messages() if m["type"] == 0]
    assert error["errorMessage"] == (
        "Failed to deserialize value from topic: s. Unexpected character ('}' (code 125)): was expecting "
        "double-quote to start field name"
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"ksql" "x"}', "Unexpected character ('\"' (code 34)): was expecting a colon to separate field name and "
                          'value\n at [Source: (byte[])"{"ksql" "x"}"; line: 1, column: 10]'),
        (b'{ksql:1}', "Unexpected character ('k' (code 107)): was expecting double-quote to start field name\n at "
                      '[Source: (byte[])"{ksql:1}"; line: 1, column: 3]'),
        (b'{"ksql":\n"x"]', "Unexpected close marker ']': expected '}' (for Object starting at [Source: (byte[])"
                            '"{"ksql":\n"x"]"; line: 1, column: 1])\n at [Source: (byte[])"{"ksql":\n"x"]"; line: 2, '
                            "column: 5]"),
    ],
)  # fmt: skip
def test_rest_request_messages_keep_the_location(body: bytes, message: str) -> None:
    """ServerUtils.deserialiseObject: "Invalid JSON in request: " + JsonParseException.getMessage, whose location
    is kept there (getCurrentLocation: the line, and the column after the byte that stopped the parser)."""
    import json

    from ksqlserver.server.jackson import parse_error

    text = body.decode()
    with pytest.raises(json.JSONDecodeError) as info:
        json.loads(text)
    assert parse_error(text, info.value) == message


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'{"ne\xc3sted":1}', "Invalid UTF-8 middle byte 0x6e65c373"),  # addName: the int's bits above the byte
        (b'{"a\xff":1}', "Invalid UTF-8 start byte 0xff"),
        (b'{"d\xc3":1}', "Unexpected end-of-input in field name"),
        (b'"a\xc3x"', "Invalid UTF-8 middle byte 0x78"),
        (b"\xef\xbb\xbf", "Invalid UTF-8 start byte 0xbb"),  # a BOM alone is not skipped (fewer than 4 bytes)
    ],
)
def test_utf8_errors(data: bytes, message: str) -> None:
    """Names are decoded once read (UTF8StreamJsonParser.addName), string values as they are read."""
    with pytest.raises(SerdeError) as info:
        parse(data)
    assert info.value.message == message
