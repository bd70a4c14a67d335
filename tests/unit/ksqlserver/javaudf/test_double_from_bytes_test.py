"""ksqlDB 0.29 DoubleFromBytesTest (function/udf/conversions): DoubleFromBytes.doubleFromBytes(ByteBuffer[, String byteOrder]) reads a
DOUBLE from exactly 8 bytes, big-endian unless told (shouldConvertBytesTo*, shouldReturnNullOnNullBytes,
shouldThrowOnInvalidBytesSizes, shouldConvert*EndianBytesToInteger, shouldThrowOnUnknownByteOrder)."""

from __future__ import annotations

import struct
from typing import Any

import pytest

from ksqlserver.catalog import types as T
from ksqlserver.errors import KsqlError

B, S = T.BYTES, T.STRING


def be(n: float) -> bytes:
    return struct.pack(">d", n)


@pytest.mark.parametrize("n", [532.8738323, -532.8734, 1.7976931348623157e308, 5e-324])
def test_converts_big_endian_bytes(call: Any, n: float) -> None:
    assert call("DOUBLE_FROM_BYTES", [B], be(n)) == n


def test_null_bytes(call: Any) -> None:
    assert call("DOUBLE_FROM_BYTES", [B], None) is None


def test_invalid_byte_sizes(call: Any) -> None:
    with pytest.raises(KsqlError, match=r"^Number of bytes must be equal to 8, but found 4$"):
        call("DOUBLE_FROM_BYTES", [B], bytes(range(1, 4 + 1)))
    with pytest.raises(KsqlError, match=r"^Number of bytes must be equal to 8, but found 9$"):
        call("DOUBLE_FROM_BYTES", [B], bytes(range(1, 9 + 1)))


def test_byte_orders(call: Any) -> None:
    assert call("DOUBLE_FROM_BYTES", [B, S], struct.pack("<d", 532.8738323), "LITTLE_ENDIAN") == 532.8738323
    assert call("DOUBLE_FROM_BYTES", [B, S], be(532.8738323), "BIG_ENDIAN") == 532.8738323
    with pytest.raises(KsqlError) as err:
        call("DOUBLE_FROM_BYTES", [B, S], be(532.8738323), "weep!")
    assert err.value.message == "Byte order must be BIG_ENDIAN or LITTLE_ENDIAN. Unknown byte order 'weep!'."


def test_through_the_engine(udf: Any) -> None:
    hexed = be(532.8738323).hex()
    r = udf.select(f"DOUBLE_FROM_BYTES(TO_BYTES('{hexed}', 'hex'))", f"DOUBLE_FROM_BYTES(TO_BYTES('{hexed}', 'hex'), 'BIG_ENDIAN')",
                   "DOUBLE_FROM_BYTES(TO_BYTES('0102', 'hex'), 'weep!')", "DOUBLE_FROM_BYTES(TO_BYTES('0102', 'hex'))")
    assert r.values == [532.8738323, 532.8738323, None, None]
    assert r.types == ["DOUBLE"] * 4
    # BytesUtils.byteOrderType fails before checkBytesSize
    assert len(r.errors) == 2 and "Unknown byte order 'weep!'." in r.errors[0]
    assert "Number of bytes must be equal to 8, but found 2" in r.errors[1]
