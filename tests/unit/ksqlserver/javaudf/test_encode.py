"""Port of ksqlDB 0.29 EncodeTest (io.confluent.ksql.function.udf.string.Encode): hex, ascii, utf8 and
base64 in every direction, hex prefixes (0x, X'..'), odd-length hex and unsupported pairs."""

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


R = "\ufffd"  # US_ASCII decoding of a byte >= 0x80 (Java's replacement character)


def enc(s: str | None, i: str | None, o: str | None) -> Any:
    return call("ENCODE", [S, S, S], s, i, o)


def test_null_values() -> None:
    """shouldReturnNullOnNullValue."""
    assert enc(None, "hex", "ascii") is None
    assert enc(None, "utf8", "base64") is None
    assert enc("some string", None, "utf8") is None
    assert enc("some string", "hex", None) is None


def test_hex_to_ascii() -> None:
    """shouldEncodeHexToAscii."""
    assert enc("4578616d706C6521", "hex", "ascii") == "Example!"
    assert enc("506C616E74207472656573", "hex", "ascii") == "Plant trees"
    assert enc("31202b2031203d2031", "hex", "ascii") == "1 + 1 = 1"
    assert enc("ce95cebbcebbceacceb4ceb1", "hex", "ascii") == R * 12
    assert enc("c39c6265726d656e736368", "hex", "ascii") == R * 2 + "bermensch"
    assert enc("0x48656c6c6f20576f726c6421", "hex", "ascii") == "Hello World!"
    assert enc("0x9", "hex", "ascii") == "\t"
    assert enc("0x", "hex", "ascii") == ""
    assert enc("X'436c6f7564792a7e2a3f'", "hex", "ascii") == "Cloudy*~*?"
    assert enc("x'4578616d706C6521'", "hex", "ascii") == "Example!"
    assert enc("X''", "hex", "ascii") == ""
    assert enc("x''", "hex", "ascii") == ""
    assert enc("0x578616d706C6521", "hex", "ascii") == "\u0005xample!"
    for bad in ("578616d706C6521", "X'578616d706C6521'", "x'578616d706C6521'"):
        with pytest.raises(EvaluationError):
            enc(bad, "hex", "ascii")


def test_hex_to_utf8_and_base64() -> None:
    """shouldEncodeHexToUtf8, shouldEncodeHexToBase64."""
    assert enc("4578616d706c6521", "hex", "utf8") == "Example!"
    assert enc("ce95cebbcebbceacceb4ceb1", "hex", "utf8") == "Ελλάδα"
    assert enc("c39c6265726d656e736368", "hex", "utf8") == "Übermensch"
    assert enc("0x4578616d706c6521", "hex", "utf8") == "Example!"
    assert enc("0x", "hex", "utf8") == ""
    assert enc("X'506C6174666F726D2D7C5F5F5F5F5F7C2D'", "hex", "utf8") == "Platform-|_____|-"
    assert enc("x'31202b2031203d2031'", "hex", "utf8") == "1 + 1 = 1"
    assert enc("X''", "hex", "utf8") == ""
    assert enc("4578616d706c6521", "hex", "base64") == "RXhhbXBsZSE="
    assert enc("31202b2031203d2031", "hex", "base64") == "MSArIDEgPSAx"
    assert enc("ce95cebbcebbceacceb4ceb1", "hex", "base64") == "zpXOu867zqzOtM6x"
    assert enc("c39c6265726d656e736368", "hex", "base64") == "w5xiZXJtZW5zY2g="
    assert enc("X'7e8a016abfff'", "hex", "base64") == "fooBar//"
    assert enc("x'328ba7b5a8a75627b0'", "hex", "base64") == "MountainView"
    assert enc("0x", "hex", "base64") == ""
    assert enc("x''", "hex", "base64") == ""


def test_ascii_sources() -> None:
    """shouldEncodeAsciiToHex, shouldEncodeAsciiToUtf8, shouldEncodeAsciiToBase64: unmappable chars are '?'."""
    assert enc("Example!", "ascii", "hex") == "4578616d706c6521"
    assert enc("Ελλάδα", "ascii", "hex") == "3f3f3f3f3f3f"
    assert enc("Übermensch", "ascii", "hex") == "3f6265726d656e736368"
    assert enc("Plant trees", "ascii", "utf8") == "Plant trees"
    assert enc("Ελλάδα", "ascii", "utf8") == "??????"
    assert enc("Übermensch", "ascii", "utf8") == "?bermensch"
    assert enc("Example!", "ascii", "base64") == "RXhhbXBsZSE="
    assert enc("Ελλάδα", "ascii", "base64") == "Pz8/Pz8/"
    assert enc("Übermensch", "ascii", "base64") == "P2Jlcm1lbnNjaA=="


def test_utf8_sources() -> None:
    """shouldEncodeUtf8ToHex, shouldEncodeUtf8ToAscii, shouldEncodeUtf8ToBase64."""
    assert enc("Plant trees", "utf8", "hex") == "506c616e74207472656573"
    assert enc("Ελλάδα", "utf8", "hex") == "ce95cebbcebbceacceb4ceb1"
    assert enc("Übermensch", "utf8", "hex") == "c39c6265726d656e736368"
    assert enc("1 + 1 = 1", "utf8", "ascii") == "1 + 1 = 1"
    assert enc("Ελλάδα", "utf8", "ascii") == R * 12
    assert enc("Übermensch", "utf8", "ascii") == R * 2 + "bermensch"
    assert enc("Ελλάδα", "utf8", "base64") == "zpXOu867zqzOtM6x"
    assert enc("Übermensch", "utf8", "base64") == "w5xiZXJtZW5zY2g="


def test_base64_sources() -> None:
    """shouldEncodeBase64ToUtf8, shouldEncodeBase64ToHex, shouldEncodeBase64ToAscii (unpadded input too)."""
    assert enc("RXhhbXBsZSE=", "base64", "utf8") == "Example!"
    assert enc("zpXOu867zqzOtM6x", "base64", "utf8") == "Ελλάδα"
    assert enc("w5xiZXJtZW5zY2g", "base64", "utf8") == "Übermensch"
    assert enc("UGxhbnQgdHJlZXM=", "base64", "hex") == "506c616e74207472656573"
    assert enc("w5xiZXJtZW5zY2g", "base64", "hex") == "c39c6265726d656e736368"
    assert enc("MSArIDEgPSAx", "base64", "ascii") == "1 + 1 = 1"
    assert enc("zpXOu867zqzOtM6x", "base64", "ascii") == R * 12
    assert enc("w5xiZXJtZW5zY2g", "base64", "ascii") == R * 2 + "bermensch"


@pytest.mark.parametrize("s,e", [("4578616d706C6521", "hex"), ("Ελλάδα", "utf8"), ("1 + 1 = 1", "ascii"),
                                 ("w5xiZXJtZW5zY2g=", "base64")])
def test_unsupported_pairs_throw(s: str, e: str) -> None:
    """shouldThrowIfUnsupportedEncodingTypes (Encode.encode's message)."""
    with pytest.raises(EvaluationError, match="Supported input and output encodings are: hex, utf8, ascii and base64"):
        enc(s, e, e)


def test_through_the_engine(select: Any) -> None:
    out = select("ENCODE(C, 'hex', 'utf8') AS A, ENCODE(C, 'HEX', 'Base64') AS B, ENCODE(C, 'hex', 'hex') AS X",
                 "C STRING", {"C": "0x4578616d706c6521"})
    assert out.value == {"A": "Example!", "B": "RXhhbXBsZSE=", "X": None}
    assert out.types == {"A": "STRING", "B": "STRING", "X": "STRING"}
    assert any("Supported input and output encodings are" in m for m in out.errors)
