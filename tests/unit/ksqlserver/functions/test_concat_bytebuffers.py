"""CONCAT / CONCAT_WS over BYTES as ksqlDB 0.29's Concat and ConcatWS run them on ByteBuffers: the result is
allocated at the sum of the inputs' capacities and each input is `put` into it, which consumes that buffer;
one column passed twice is one buffer, so its second put writes nothing and zero bytes stay at the end.
ConcatWS puts `separator.duplicate()` between values (its own buffer, taken before any put)."""

from __future__ import annotations

import base64
import json
from typing import Any

from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig


def run(select: str, value: dict[str, Any]) -> Any:
    d = MemoryDriver()
    d.create_topic("s", partitions=1)
    e = Engine(EngineConfig(service_id="x_", synchronous=True, properties={"auto.offset.reset": "earliest"}), d)
    try:
        e.execute("CREATE STREAM S (ID STRING KEY, B BYTES, C BYTES) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');")
        e.execute(f"CREATE STREAM O AS SELECT ID, {select} AS R FROM S;")
        d.produce("s", [Record(b"k", json.dumps(value).encode(), 1)])
        e.drain()
        [out] = [json.loads(r.value)["R"] for r in d.records("O")]
        return None if out is None else base64.b64decode(out)
    finally:
        e.close()


ONE_TWO_THREE = {"B": "AQID", "C": "/w=="}


def test_concat_of_distinct_buffers_joins_them() -> None:
    assert run("CONCAT(B, C)", ONE_TWO_THREE) == b"\x01\x02\x03\xff"


def test_concat_of_one_column_twice_leaves_zero_bytes() -> None:
    assert run("CONCAT(B, B)", ONE_TWO_THREE) == b"\x01\x02\x03\x00\x00\x00"


def test_concat_ws_duplicates_the_separator_but_consumes_the_values() -> None:
    # recorded from ksqlDB 0.29 (difffunc/str CONCAT_WS(BT, BT, BT)): AQIDAQIDAAAA
    assert run("CONCAT_WS(B, B, B)", ONE_TWO_THREE) == b"\x01\x02\x03\x01\x02\x03\x00\x00\x00"
    assert run("CONCAT_WS(C, B, B)", ONE_TWO_THREE) == b"\x01\x02\x03\xff\x00\x00\x00"


def test_same_single_byte_in_two_columns_is_two_buffers() -> None:
    assert run("CONCAT(B, C)", {"B": "/w==", "C": "/w=="}) == b"\xff\xff"
