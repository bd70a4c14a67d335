"""Port of ksqlDB 0.29 UrlDecodeParamTest (io.confluent.ksql.function.udf.url.UrlDecodeParam)."""

from __future__ import annotations

from typing import Any

import pytest

from ksqlserver.catalog import types as T
from ksqlserver.catalog.types import SqlType
from ksqlserver.errors import EvaluationError
from ksqlserver.functions import default_registry

S, INT, BIG, B = T.STRING, T.INTEGER, T.BIGINT, T.BYTES


def call(name: str, types: list[SqlType | None], *args: Any) -> Any:
    return default_registry().require(name).resolve_call(types).impl(*args)


def test_decode() -> None:
    """shouldDecodeEncodedValue, shouldReturnSpecialCharsIntact, shouldReturnEmptyStringForEmptyInput,
    shouldReturnForNullValue."""
    assert call("URL_DECODE_PARAM", [S], "%3Ffoo+%24bar") == "?foo $bar"
    assert call("URL_DECODE_PARAM", [S], "foo.-*_bar") == "foo.-*_bar"
    assert call("URL_DECODE_PARAM", [S], "") == ""
    assert call("URL_DECODE_PARAM", [S], None) is None


@pytest.mark.parametrize("text,message", [
    ("%zz", 'Illegal hex characters in escape (%) pattern - Error at index 0 in: "zz"'),
    ("%4z", 'Illegal hex characters in escape (%) pattern - Error at index 1 in: "4z"'),
    ("%-1", "Illegal hex characters in escape (%) pattern - negative value"),
    ("a%", "Incomplete trailing escape (%) pattern"),
    ("%4", "Incomplete trailing escape (%) pattern"),
])
def test_malformed_escapes_throw(text: str, message: str) -> None:
    """Beyond UrlDecodeParamTest: UrlDecodeParam calls java.net.URLDecoder.decode, which throws
    IllegalArgumentException ("URLDecoder: ...") on a bad or incomplete escape (UrlDecodeParam only catches
    UnsupportedEncodingException); Python's unquote_plus kept the text."""
    with pytest.raises(EvaluationError) as err:
        call("URL_DECODE_PARAM", [S], text)
    assert str(err.value) == "URLDecoder: " + message


def test_escape_quirks() -> None:
    """URLDecoder.decode: Integer.parseInt(s, i + 1, i + 3, 16) takes a sign; malformed UTF-8 is replaced."""
    assert call("URL_DECODE_PARAM", [S], "%+1%-0") == "\x01\x00"
    assert call("URL_DECODE_PARAM", [S], "%e9") == "\ufffd"
    assert call("URL_DECODE_PARAM", [S], "%C3%A9+x") == "é x"


def test_through_the_engine(select: Any) -> None:
    out = select("URL_DECODE_PARAM(C) AS A", "C STRING", {"C": "%3Ffoo+%24bar"})
    assert out.value == {"A": "?foo $bar"}
    assert out.types == {"A": "STRING"}
