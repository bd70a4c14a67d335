"""Port of ksqlDB 0.29 FromBytesTest (io.confluent.ksql.function.udf.string.FromBytes): hex, utf8,
ascii and base64 (no line breaks), nulls, an unknown encoding."""

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


def test_encodings() -> None:
    """shouldConvertBytesToHexString, ...ToUtf8String, shouldConvertAsciiStringToBytes, shouldConvertBase64StringToBytes."""
    for enc, out in (("hex", "21"), ("utf8", "!"), ("ascii", "!"), ("base64", "IQ==")):
        assert call("FROM_BYTES", [B, S], b"!", enc) == out
        assert call("FROM_BYTES", [B, S], b"", enc) == ""


def test_base64_has_no_line_breaks() -> None:
    """shouldNotAddNewLinesToBase64EncodedBytes."""
    assert call("FROM_BYTES", [B, S], b"!" * 200, "base64") == "ISEh" * 66 + "ISE="


def test_nulls_and_unknown_encoding() -> None:
    """shouldReturnNullOnNullBytes, shouldReturnNullOnNullEncoding, shouldThrowOnUnknownEncodingType."""
    assert call("FROM_BYTES", [B, S], None, "base64") is None
    assert call("FROM_BYTES", [B, S], b"\x00\x01\x02", None) is None
    with pytest.raises(EvaluationError, match="Unknown encoding type 'base5000'"):
        call("FROM_BYTES", [B, S], b"\x00\x01\x02", "base5000")


def test_through_the_engine(select: Any) -> None:
    out = select("FROM_BYTES(TO_BYTES(C, 'utf8'), 'hex') AS A, FROM_BYTES(TO_BYTES(C, 'utf8'), 'base5000') AS X",
                 "C STRING", {"C": "!"})
    assert out.value == {"A": "21", "X": None}
    assert out.types == {"A": "STRING", "X": "STRING"}
    assert any("Unknown encoding type 'base5000'" in m for m in out.errors)
