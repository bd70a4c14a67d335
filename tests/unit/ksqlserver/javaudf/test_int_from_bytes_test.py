"""ksqlDB 0.29 IntFromBytesTest (function/udf/conversions): IntFromBytes.intFromBytes(ByteBuffer[, String byteOrder]) reads a
INT from exactly 4 bytes, big-endian unless told (shouldConvertBytesTo*, shouldReturnNullOnNullBytes,
shouldThrowOnInvalidBytesSizes, shouldConvert*EndianBytesToInteger, shouldThrowOnUnknownByteOrder)."""

from __future__ import annotations

import struct
from typing import Any

import pytest

from ksqlserver.catalog import types as T
from ksqlserver.errors import KsqlError

B, S = T.BYTES, T.STRING


def be(n: int) -> bytes:
    return struct.pack(">i", n)


@pytest.mark.parametrize("n", [2021, -2021, 2**31 - 1, -(2**31)])
def test_converts_big_endian_bytes(call: Any, n: int) -> None:
    assert call("INT_FROM_BYTES", [B], be(n)) == n


def test_null_bytes(call: Any) -> None:
    assert call("INT_FROM_BYTES", [B], None) is None


def test_invalid_byte_sizes(call: Any) -> None:
    with pytest.raises(KsqlError, match=r"^Number of bytes must be equal to 4, but found 2$"):
        call("INT_FROM_BYTES", [B], bytes(range(1, 2 + 1)))
    with pytest.raises(KsqlError, match=r"^Number of bytes must be equal to 4, but found 5$"):
        call("INT_FROM_BYTES", [B], bytes(range(1, 5 + 1)))


def test_byte_orders(call: Any) -> None:
    assert call("INT_FROM_BYTES", [B, S], struct.pack("<i", 2021), "LITTLE_ENDIAN") == 2021
    assert call("INT_FROM_BYTES", [B, S], be(2021), "BIG_ENDIAN") == 2021
    with pytest.raises(KsqlError) as err:
        call("INT_FROM_BYTES", [B, S], be(2021), "weep!")
    assert err.value.message == "Byte order must be BIG_ENDIAN or LITTLE_ENDIAN. Unknown byte order 'weep!'."


def test_through_the_engine(udf: Any) -> None:
    hexed = be(2021).hex()
    r = udf.select(f"INT_FROM_BYTES(TO_BYTES('{hexed}', 'hex'))", f"INT_FROM_BYTES(TO_BYTES('{hexed}', 'hex'), 'BIG_ENDIAN')",
                   "INT_FROM_BYTES(TO_BYTES('0102', 'hex'), 'weep!')", "INT_FROM_BYTES(TO_BYTES('0102', 'hex'))")
    assert r.values == [2021, 2021, None, None]
    assert r.types == ["INTEGER"] * 4
    # BytesUtils.byteOrderType fails before checkBytesSize
    assert len(r.errors) == 2 and "Unknown byte order 'weep!'." in r.errors[0]
    assert "Number of bytes must be equal to 4, but found 2" in r.errors[1]


def test_null_byte_order_fails_first(call: Any) -> None:
    """BytesUtils.byteOrderType(null) throws before the value's null check, naming it as String.format does."""
    for value in (be(2021), None):
        with pytest.raises(KsqlError) as err:
            call("INT_FROM_BYTES", [B, S], value, None)
        assert err.value.message == "Byte order must be BIG_ENDIAN or LITTLE_ENDIAN. Unknown byte order 'null'."
