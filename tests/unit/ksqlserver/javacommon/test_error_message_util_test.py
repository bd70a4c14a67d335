"""ksqlDB 0.29 ErrorMessageUtilTest (ksqldb-common, util): ErrorMessageUtil.buildErrorMessage over an
exception chain, ported as ksqlserver.errors.error_chain_message (the chain's messages in, the REST message
out), which the /ksql request-property errors use (test_local_property_parser_test shows it end to end).

Not ported: shouldUseCustomMsgForConnectException and shouldBuildErrorMessageFromExceptionWithNoMessage
(Java exception classes), shouldBuildErrorMessageChain (getErrorMessages, the list this function takes)."""

from __future__ import annotations

from ksqlserver.errors import error_chain_message


def test_should_build_simple_error_message() -> None:
    assert error_chain_message(["some message"]) == "some message"


def test_should_build_error_message_from_exception_chain() -> None:
    messages = ["Top level", "Intermediate message 1", "Intermediate message 2", "Something went wrong"]
    assert error_chain_message(messages) == (
        "Top level\nCaused by: Intermediate message 1\nCaused by: Intermediate message 2\n"
        "Caused by: Something went wrong"
    )


def test_should_deduplicate_message() -> None:
    messages = ["Msg that matches"] * 3 + ["Something went wrong"] * 2
    assert error_chain_message(messages) == "Msg that matches\nCaused by: Something went wrong"


def test_should_not_deduplicate_message_if_next_message_is_longer() -> None:
    messages = ["Some Message", "Some Message with more detail", "Something went wrong"]
    assert error_chain_message(messages) == (
        "Some Message\nCaused by: Some Message with more detail\nCaused by: Something went wrong"
    )


def test_should_remove_sub_messages() -> None:
    messages = [
        "The Main Message that Contains Sub-message1 and Sub-message2",
        "This is Sub-message1",
        "Sub-message2",
    ]
    assert error_chain_message(messages) == (
        "The Main Message that Contains Sub-message1 and Sub-message2\nCaused by: This is Sub-message1"
    )


def test_should_handle_recursive_exceptions() -> None:
    """shouldHandleRecursiveExceptions / shouldHandleRecursiveExceptionChain: a cycle is read once."""
    assert error_chain_message(["It went boom"]) == "It went boom"
    assert (
        error_chain_message(["Top level", "Something went wrong"])
        == "Top level\nCaused by: Something went wrong"
    )


def test_long_causes_are_wrapped() -> None:
    """WordUtils.wrap(PREFIX + cause, 80, "\\n\\t", true): at the last space within 80 characters, a word
    longer than a line cut at 80."""
    assert error_chain_message(["top", "word " * 20]) == (
        "top\nCaused by: word word word word word word word word word word word word word word\n\t"
        "word word word word word word "
    )
    # the last space in the first 81 characters is the prefix's: the long word then goes 80 a line
    assert error_chain_message(["top", "x" * 100]) == f"top\nCaused by:\n\t{'x' * 80}\n\t{'x' * 20}"
