"""ksqlDB 0.29 BigIntFromBytesTest (function/udf/conversions): BigIntFromBytes.bigIntFromBytes(ByteBuffer[, String byteOrder]) reads a
BIGINT from exactly 8 bytes, big-endian unless told (shouldConvertBytesTo*, shouldReturnNullOnNullBytes,
shouldThrowOnInvalidBytesSizes, shouldConvert*EndianBytesToInteger, shouldThrowOnUnknownByteOrder)."""

from __future__ import annotations

import struct
from typing import Any

import pytest

from ksqlserver.catalog import types as T
from ksqlserver.errors import KsqlError

B, S = T.BYTES, T.STRING


def be(n: int) -> bytes:
    return struct.pack(">q", n)


@pytest.mark.parametrize("n", [5000000000, -5000000000, 2**63 - 1, -(2**63)])
def test_converts_big_endian_bytes(call: Any, n: int) -> None:
    assert call("BIGINT_FROM_BYTES", [B], be(n)) == n


def test_null_bytes(call: Any) -> None:
    assert call("BIGINT_FROM_BYTES", [B], None) is None


def test_invalid_byte_sizes(call: Any) -> None:
    with pytest.raises(KsqlError, match=r"^Number of bytes must be equal to 8, but found 4$"):
        call("BIGINT_FROM_BYTES", [B], bytes(range(1, 4 + 1)))
    with pytest.raises(KsqlError, match=r"^Number of bytes must be equal to 8, but found 9$"):
        call("BIGINT_FROM_BYTES", [B], bytes(range(1, 9 + 1)))


def test_byte_orders(call: Any) -> None:
    assert call("BIGINT_FROM_BYTES", [B, S], struct.pack("<q", 5000000000), "LITTLE_ENDIAN") == 5000000000
    assert call("BIGINT_FROM_BYTES", [B, S], be(5000000000), "BIG_ENDIAN") == 5000000000
    with pytest.raises(KsqlError) as err:
        call("BIGINT_FROM_BYTES", [B, S], be(5000000000), "weep!")
    assert err.value.message == "Byte order must be BIG_ENDIAN or LITTLE_ENDIAN. Unknown byte order 'weep!'."


def test_through_the_engine(udf: Any) -> None:
    hexed = be(5000000000).hex()
    r = udf.select(f"BIGINT_FROM_BYTES(TO_BYTES('{hexed}', 'hex'))", f"BIGINT_FROM_BYTES(TO_BYTES('{hexed}', 'hex'), 'BIG_ENDIAN')",
                   "BIGINT_FROM_BYTES(TO_BYTES('0102', 'hex'), 'weep!')", "BIGINT_FROM_BYTES(TO_BYTES('0102', 'hex'))")
    assert r.values == [5000000000, 5000000000, None, None]
    assert r.types == ["BIGINT"] * 4
    # BytesUtils.byteOrderType fails before checkBytesSize
    assert len(r.errors) == 2 and "Unknown byte order 'weep!'." in r.errors[0]
    assert "Number of bytes must be equal to 8, but found 2" in r.errors[1]
