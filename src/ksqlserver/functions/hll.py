"""COUNT_DISTINCT's HyperLogLog, computing what ksqlDB's (stream-lib, 2^14 registers) computes.

Values hash as stream-lib's 32-bit MurmurHash2 does: integers and doubles through its long hash,
strings through their UTF-8 bytes, anything else through Java's toString of the value (so, as in
ksqlDB, every BYTES value of one length has the same text and hash). The registers are kept sparse
(register -> rank) so a group with few values has a small state; the estimate is stream-lib's:
linear counting while the raw estimate is below 2.5 m, the harmonic mean above.
"""

from __future__ import annotations

import datetime as dt
import math
import struct
from collections.abc import Callable
from typing import Any

from ksqlserver.catalog.types import SqlType

LOG2M = 14
M = 1 << LOG2M
_ALPHA_MM = (0.7213 / (1 + 1.079 / M)) * M * M
_MUL = 0x5BD1E995
_MASK32 = 0xFFFFFFFF


def _i32(x: int) -> int:
    return x & _MASK32  # kept unsigned; the bit patterns are Java's int


def _mix_tail(h: int) -> int:
    h ^= h >> 13
    h = _i32(h * _MUL)
    h ^= h >> 15
    return h


def hash_long(data: int) -> int:
    """MurmurHash.hashLong (unsigned 32-bit result)."""
    k = _i32((data & _MASK32) * _MUL)
    k ^= k >> 24
    h = _i32(k * _MUL)
    k = _i32(((data >> 32) & _MASK32) * _MUL)
    k ^= k >> 24
    h = _i32(h * _MUL) ^ _i32(k * _MUL)
    return _mix_tail(h)


def _sbyte(b: int) -> int:
    return b - 256 if b > 127 else b


def hash_bytes(data: bytes, seed: int = -1) -> int:
    """MurmurHash.hash(byte[], length, seed) (unsigned 32-bit result)."""
    n = len(data)
    h = _i32(seed ^ n)
    for i in range(n >> 2):
        k = _i32(_sbyte(data[4 * i + 3]) << 24 | data[4 * i + 2] << 16 | data[4 * i + 1] << 8 | data[4 * i])
        k = _i32(k * _MUL)
        k ^= k >> 24
        k = _i32(k * _MUL)
        h = _i32(h * _MUL) ^ k
    left = n & 3
    if left:
        if left >= 3:
            h ^= _i32(_sbyte(data[n - 3]) << 16)
        if left >= 2:
            h ^= _i32(_sbyte(data[n - 2]) << 8)
        h ^= _i32(_sbyte(data[n - 1]))
        h = _i32(h * _MUL)
    return _mix_tail(h)


def _java_text(t: SqlType | None) -> Callable[[Any], str]:
    """Object.toString of ksqlDB's Java values (for the types MurmurHash hashes through text)."""
    b = t.base if t is not None else "STRING"
    if b == "BOOLEAN":
        return lambda v: "true" if v else "false"
    if b == "DECIMAL":
        return str
    if b == "DATE":
        return lambda v: (dt.date(1970, 1, 1) + dt.timedelta(days=v)).isoformat()
    if b == "TIME":
        return lambda v: f"{v // 3_600_000:02d}:{v // 60_000 % 60:02d}:{v // 1000 % 60:02d}"
    if b == "TIMESTAMP":

        def ts(v: int) -> str:
            t_ = dt.datetime(1970, 1, 1) + dt.timedelta(milliseconds=v)
            frac = f"{t_.microsecond // 1000:03d}".rstrip("0") or "0"
            return t_.strftime("%Y-%m-%d %H:%M:%S.") + frac

        return ts
    if b == "BYTES":
        return lambda v: f"java.nio.HeapByteBuffer[pos=0 lim={len(v)} cap={len(v)}]"
    if b == "ARRAY":
        item = _java_text(t.item if t is not None else None)
        return lambda v: "[" + ", ".join("null" if x is None else item(x) for x in v) + "]"
    if b == "MAP":
        val = _java_text(t.item if t is not None else None)
        return lambda v: "{" + ", ".join(f"{k}={'null' if x is None else val(x)}" for k, x in v.items()) + "}"
    if b == "STRUCT":
        fields = [(n, _java_text(ft)) for n, ft in (t.fields or ()) if t is not None]
        return lambda v: "Struct{" + ",".join(f"{n}={f(v[n])}" for n, f in fields if v.get(n) is not None) + "}"
    return str


def hasher(t: SqlType | None) -> Callable[[Any], int]:
    """MurmurHash.hash(Object) for values of type `t`."""
    b = t.base if t is not None else "STRING"
    if b in ("INTEGER", "BIGINT"):
        return hash_long
    if b == "DOUBLE":
        return lambda v: hash_long(struct.unpack(">q", struct.pack(">d", v))[0])
    if b == "STRING":
        return lambda v: hash_bytes(v.encode("utf-8", errors="surrogatepass"))
    text = _java_text(t)
    return lambda v: hash_bytes(text(v).encode("utf-8"))


def register_and_rank(x: int) -> tuple[int, int]:
    """HyperLogLog.offerHashed(int): the register (top 14 bits) and the rank stored there."""
    j = x >> (32 - LOG2M)
    w = _i32(x << LOG2M) | ((1 << (LOG2M - 1)) + 1)
    return j, 33 - w.bit_length()  # numberOfLeadingZeros(w) + 1


def cardinality(registers: dict[int, int]) -> int:
    """HyperLogLog.cardinality over sparse registers (absent = 0)."""
    zeros = M - len(registers)
    total = float(zeros) + sum(1.0 / (1 << v) for _, v in sorted(registers.items()))
    estimate = _ALPHA_MM * (1 / total)
    if estimate <= 2.5 * M:
        if zeros == 0:
            return 2**63 - 1
        return math.floor(M * math.log(M / zeros) + 0.5)
    return math.floor(estimate + 0.5)


__all__ = ["cardinality", "hash_bytes", "hash_long", "hasher", "register_and_rank"]
