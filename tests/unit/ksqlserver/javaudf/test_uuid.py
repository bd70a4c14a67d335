"""Port of ksqlDB 0.29 UuidTest (io.confluent.ksql.function.udf.string.Uuid): random UUIDs, the text
form, the BYTES overload (16 bytes, else null)."""

from __future__ import annotations

import uuid as pyuuid
from typing import Any

from ksqlserver.catalog import types as T
from ksqlserver.catalog.types import SqlType
from ksqlserver.functions import default_registry

S, INT, BIG, B = T.STRING, T.INTEGER, T.BIGINT, T.BYTES


def call(name: str, types: list[SqlType | None], *args: Any) -> Any:
    return default_registry().require(name).resolve_call(types).impl(*args)





def test_distinct_values_and_format() -> None:
    """shouldReturnDistinctValueEachInvocation, shouldHaveCorrectOutputFormat."""
    outs = {call("UUID", []) for _ in range(1000)}
    assert len(outs) == 1000
    u = call("UUID", [])
    assert len(u) == 36
    assert [u[i] for i in (8, 13, 18, 23)] == ["-"] * 4
    assert set(u) <= set("abcdef0123456789-")


def test_bytes_overload() -> None:
    """nullValueShouldReturnNullValue, invalidCapacityShouldReturnNullValue, shouldReturnCorrectOutputFormat."""
    assert call("UUID", [B], None) is None
    assert call("UUID", [B], bytes(17)) is None
    u = call("UUID", [])
    assert call("UUID", [B], pyuuid.UUID(u).bytes) == u


def test_through_the_engine(select: Any) -> None:
    out = select("UUID() AS A, UUID(TO_BYTES(C, 'hex')) AS B, UUID(TO_BYTES('00', 'hex')) AS X", "C STRING",
                 {"C": "0123456789abcdef0123456789abcdef"})
    assert len(out.value["A"]) == 36
    assert out.value["B"] == "01234567-89ab-cdef-0123-456789abcdef"
    assert out.value["X"] is None
    assert out.types == {"A": "STRING", "B": "STRING", "X": "STRING"}
