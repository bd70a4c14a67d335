"""Scratch: evaluate expressions through the Engine on the in-memory driver."""

import json
import sys

from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.errors import KsqlError

CREATE = "CREATE STREAM SRC (K STRING KEY, I INT, I2 INT, B BIGINT, D DOUBLE, D2 DOUBLE, DC DECIMAL(4,2), DC2 DECIMAL(10,3), S STRING, S2 STRING, BO BOOLEAN, DT DATE, TM TIME, TS TIMESTAMP, BT BYTES, A ARRAY<INT>, AS2 ARRAY<STRING>, M MAP<STRING, INT>, ST STRUCT<X INT, Y STRING>) WITH (kafka_topic='src', value_format='JSON');"
ROWS = [
    {
        "I": 7,
        "I2": 2,
        "B": 10000000000,
        "D": 2.5,
        "D2": -0.5,
        "DC": 12.34,
        "DC2": 1234567.891,
        "S": "Hello World",
        "S2": "o",
        "BO": True,
        "DT": 19000,
        "TM": 3723000,
        "TS": 1600000000123,
        "BT": "AQID",
        "A": [3, 1, 2, None],
        "AS2": ["b", "a", None],
        "M": {"x": 1, "y": None},
        "ST": {"X": 5, "Y": "s"},
    },
    {
        k: None
        for k in [
            "I",
            "I2",
            "B",
            "D",
            "D2",
            "DC",
            "DC2",
            "S",
            "S2",
            "BO",
            "DT",
            "TM",
            "TS",
            "BT",
            "A",
            "AS2",
            "M",
            "ST",
        ]
    },
]


def run(sel, where=None, rows=ROWS):
    d = MemoryDriver()
    d.create_topic("src", partitions=1)
    e = Engine(
        EngineConfig(service_id="x_", synchronous=True, properties={"auto.offset.reset": "earliest"}), d
    )
    e.execute(CREATE)
    try:
        e.execute(
            f"CREATE STREAM OUT AS SELECT K, {sel} FROM SRC" + (f" WHERE {where}" if where else "") + ";"
        )
    except KsqlError as err:
        return "ERROR: " + err.message
    d.produce("src", [Record(f"k{i}".encode(), json.dumps(r).encode(), 10 + i) for i, r in enumerate(rows)])
    e.drain()
    out = [(r.key, json.loads(r.value)) for r in d.records("OUT")]
    logs = []
    for r in d.records("x_ksql_processing_log"):
        err = json.loads(r.value)["message"].get("recordProcessingError")
        if err:
            logs.append(err["errorMessage"] + " / " + "|".join(err["cause"])[:80])
    e.close()
    return out, logs


if __name__ == "__main__":
    for a in sys.argv[1:]:
        if a.startswith("WHERE "):
            print(a, "=>", run("I", a[6:]))
        else:
            print(a, "=>", run(a + " AS R"))
