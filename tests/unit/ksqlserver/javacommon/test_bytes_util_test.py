"""ksqlDB 0.29 BytesUtilTest (ksqldb-common, util): BytesUtils.encode / decode of a null (null, in every
encoding) as TO_BYTES / FROM_BYTES give them, and getByteArray's whole array and sub-array as a BYTES value
and SUBSTRING over bytes read them. ByteBuffer positions have no SQL counterpart."""

from __future__ import annotations

import pytest

from .conftest import Exec

ENCODINGS = ["utf8", "base64", "ascii", "hex"]


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_should_handle_null_encoding_and_decoding(ex: Exec, encoding: str) -> None:
    sel = ex.select(f"TO_BYTES(S, '{encoding}')", f"FROM_BYTES(B, '{encoding}')", columns="S STRING, B BYTES")
    assert sel.values == [None, None]
    assert sel.errors == []


def test_should_return_byte_array(ex: Exec) -> None:
    """shouldReturnByteArrayOn{ReadOnly,Writable}ByteBuffer / ...WhenByteBufferPositionIsNotZero."""
    sel = ex.select("FROM_BYTES(B, 'hex')", columns="B BYTES", row={"B": "BQoP"})  # base64 of 05 0a 0f
    assert sel.value == "050A0F"


def test_should_return_sub_array(ex: Exec) -> None:
    """shouldReturnSubArray: bytes 2 and 3 of 01 02 03 04."""
    sel = ex.select("FROM_BYTES(SUBSTRING(B, 2, 2), 'hex')", columns="B BYTES", row={"B": "AQIDBA=="})
    assert sel.value == "0203"
