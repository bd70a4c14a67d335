"""Port of ksqlDB 0.29 ToBytesTest (io.confluent.ksql.function.udf.string.ToBytes)."""

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
    """shouldConvert{Hex,Utf8,Ascii,Base64}StringToBytes."""
    assert call("TO_BYTES", [S, S], "21", "hex") == b"!"
    assert call("TO_BYTES", [S, S], "1a2B", "hex") == bytes([26, 43])
    assert call("TO_BYTES", [S, S], "1A2B", "hex") == bytes([26, 43])
    assert call("TO_BYTES", [S, S], "!", "utf8") == b"!"
    assert call("TO_BYTES", [S, S], "!", "ascii") == b"!"
    assert call("TO_BYTES", [S, S], "IQ==", "base64") == b"!"
    for enc in ("hex", "utf8", "ascii", "base64"):
        assert call("TO_BYTES", [S, S], "", enc) == b""


def test_nulls_and_unknown_encoding() -> None:
    """shouldReturnNullOnNullBytes, shouldReturnNullOnNullEncoding, shouldThrowOnUnknownEncodingType."""
    assert call("TO_BYTES", [S, S], None, "base64") is None
    assert call("TO_BYTES", [S, S], "IQ==", None) is None
    with pytest.raises(EvaluationError, match="Unknown encoding type 'base5000'"):
        call("TO_BYTES", [S, S], "AAEC", "base5000")


def test_through_the_engine(select: Any) -> None:
    out = select("TO_BYTES(C, 'hex') AS A, TO_BYTES(C, 'base5000') AS X", "C STRING", {"C": "1a2B"})
    assert out.value == {"A": "Gis=", "X": None}
    assert out.types == {"A": "BYTES", "X": "BYTES"}
    assert any("Unknown encoding type 'base5000'" in m for m in out.errors)
