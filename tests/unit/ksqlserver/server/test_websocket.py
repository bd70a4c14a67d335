"""The /ws/query helpers: SessionUtil.truncate's close reasons and RFC 6455's frames and accept key."""

from __future__ import annotations

from ksqlserver.server.websocket import accept_key, frame
from ksqlserver.server.wsquery import parse_request, truncate


def test_close_reasons_fit_123_bytes_with_an_ellipsis() -> None:
    """SessionUtil.truncate: at most 123 UTF-8 bytes; a longer reason is cut and ends in "..."."""
    assert truncate("short") == "short"
    assert truncate("x" * 123) == "x" * 123
    cut = truncate("x" * 200)
    assert cut == "x" * 120 + "..." and len(cut.encode()) == 123
    wide = truncate("é" * 100)  # two bytes each
    assert len(wide.encode()) <= 123 and wide.endswith("...")


def test_frames_and_accept_key() -> None:
    assert accept_key("dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="  # RFC 6455 section 1.3
    assert frame(0x1, b"hi") == b"\x81\x02hi"
    assert frame(0x1, b"x" * 300)[:4] == b"\x81\x7e\x01\x2c"
    assert frame(0x1, b"x" * 70000)[:10] == b"\x81\x7f" + (70000).to_bytes(8, "big")


def test_request_parameter_errors() -> None:
    """WSQueryEndpoint.parseRequest / validateVersion messages."""
    import pytest

    from ksqlserver.server.wsquery import WsRequestError

    for query, message in [
        ("", "Error parsing request: missing request parameter"),
        ("request=%7B%7D", 'Error parsing request: "ksql" field of "request" must be populated'),
        ("request=%7B%22ksql%22%3A%22x%22%7D&version=3", "Received invalid api version: 3"),
    ]:
        with pytest.raises(WsRequestError) as err:
            parse_request(query)
        assert str(err.value) == message
    assert parse_request("request=%7B%22ksql%22%3A%22SELECT%201%3B%22%7D&version=1") == ("SELECT 1;", {}, {})


def test_session_util_truncation() -> None:
    """SessionUtilTest.shouldNotTruncateShortReasons / shouldTruncateMessageLongerThanCloseReasonAllows /
    shouldTruncateLongMessageWithMultiByteChars"""
    assert truncate("some short reason") == "some short reason"
    long = ("A long message that is longer than the maximum size that the "
            "CloseReason class will allow-------------------------------------------------")  # fmt: skip
    assert truncate(long) == (
        "A long message that is longer than the maximum size that the CloseReason class "
        "will allow-------------------------------...")
    assert len(truncate(long).encode()) == 123
    euros = ("A long message that is longer than the maximum size that the "
             "CloseReason class will allow €€€€€€€€€€€€€...................................")  # fmt: skip
    assert truncate(euros) == (
        "A long message that is longer than the maximum size that the CloseReason class will "
        "allow €€€€€€€€€€...")
