"""Port of ksqlDB 0.29 LPadTest (io.confluent.ksql.function.udf.string.LPad): strings and bytes,
partial padding, null and empty padding, truncation, negative, null and zero lengths."""

from __future__ import annotations

from typing import Any

from ksqlserver.catalog import types as T
from ksqlserver.catalog.types import SqlType
from ksqlserver.functions import default_registry

S, INT, BIG, B = T.STRING, T.INTEGER, T.BIGINT, T.BYTES


def call(name: str, types: list[SqlType | None], *args: Any) -> Any:
    return default_registry().require(name).resolve_call(types).impl(*args)


B123, B45 = b"\x01\x02\x03", b"\x04\x05"


def pad(v: Any, n: Any, p: Any) -> Any:
    return call("LPAD", [B if isinstance(v, bytes) or isinstance(p, bytes) else S, INT,
                        B if isinstance(v, bytes) or isinstance(p, bytes) else S], v, n, p)


def test_pads() -> None:
    """shouldPadInput{String,Bytes}, shouldAppendPartialPadding{String,Bytes}, shouldPadEmptyInput{String,Bytes}."""
    assert pad("foo", 7, "Bar") == "BarBfoo"
    assert pad(B123, 7, B45) == b"\x04\x05\x04\x05\x01\x02\x03"
    assert pad("foo", 4, "Bar") == "Bfoo"
    assert pad(B123, 4, B45) == b"\x04\x01\x02\x03"
    assert pad("", 4, "foo") == "foof"
    assert pad(b"", 4, B45) == b"\x04\x05\x04\x05"


def test_nulls_and_empty_padding() -> None:
    """shouldReturnNullForNull{Input,Padding,Length}{String,Bytes}, shouldReturnNullForEmptyPadding*,
    shouldReturnNullForNegativeLength*."""
    assert call("LPAD", [S, INT, S], None, 4, "foo") is None
    assert call("LPAD", [B, INT, B], None, 4, B45) is None
    assert call("LPAD", [S, INT, S], "foo", 4, None) is None
    assert call("LPAD", [B, INT, B], B123, 4, None) is None
    assert pad("foo", 4, "") is None
    assert pad(B123, 4, b"") is None
    assert pad("foo", -1, "bar") is None
    assert pad(B123, -1, B45) is None
    assert pad("foo", None, "bar") is None
    assert pad(B123, None, B45) is None


def test_truncation_and_zero_length() -> None:
    """shouldTruncateInputIfTargetLengthTooSmall*, shouldReturnEmpty{String,ByteBuffer}ForZeroLength."""
    assert pad("foo", 2, "bar") == "fo"
    assert pad(B123, 2, B45) == b"\x01\x02"
    assert pad("foo", 0, "bar") == ""
    assert pad(B123, 0, B45) == b""


def test_lengths_count_java_chars() -> None:
    """Beyond LPadTest: LPad.lpad compares String.length() (UTF-16 chars) with the target length."""
    e = "\U0001F600"
    assert pad(e, 3, "x") == "x" + e
    assert pad("x", 3, e) == e + "x"
    assert pad("x", 2, e) == "\ud83dx"


def test_through_the_engine(select: Any) -> None:
    out = select("LPAD(C, 7, 'Bar') AS A, LPAD(C, N, 'x') AS X, LPAD(C, 2, '') AS E", "C STRING, N INT",
                 {"C": "foo", "N": -1})
    assert out.value == {"A": "BarBfoo", "X": None, "E": None}
    assert out.types == {"A": "STRING", "X": "STRING", "E": "STRING"}
