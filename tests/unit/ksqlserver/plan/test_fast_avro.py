"""AVRO sources and sinks on the generated projection loop: outputs, their schema ids and the processing
log must be the generic path's, on registered Avro that is often wrong (no magic byte, unknown ids,
truncated or padded payloads, a second writer schema, null values) and on values the Avro writer refuses."""

from __future__ import annotations

import io
import json
import random
import re
from typing import Any

import fastavro
import pytest

from ksqlserver import plan
from ksqlserver.analyze import analyze
from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.formats.sr import wire
from ksqlserver.formats.sr.client import AVRO, MemoryRegistryClient, RegisteredSchema
from ksqlserver.plan.fast import project
from ksqlserver.runtime.state.base import StateStores
from ksqlserver.sql import ast
from ksqlserver.sql.parser import parse

V1 = {"type": "record", "name": "Tx", "namespace": "io.acme", "fields": [
    {"name": "Time", "type": "double"}, {"name": "Amount", "type": ["null", "double"], "default": None},
    {"name": "Class", "type": "string"}, {"name": "Id", "type": "long"}, {"name": "Flag", "type": "boolean"}]}
# a later writer: an int for the long column (widened by the translator), a field fewer, one more
V2 = {"type": "record", "name": "Tx", "namespace": "io.acme", "fields": [
    {"name": "Time", "type": "double"}, {"name": "Class", "type": ["null", "string"], "default": None},
    {"name": "Id", "type": "int"}, {"name": "Flag", "type": "boolean"}, {"name": "Extra", "type": "string"}]}
SOURCE = "CREATE STREAM S (K STRING KEY) WITH (KAFKA_TOPIC='src', VALUE_FORMAT='AVRO');"
JSON_SOURCE = ("CREATE STREAM S (K STRING KEY, TIME DOUBLE, AMOUNT DOUBLE, CLASS STRING, ID BIGINT, "
               "FLAG BOOLEAN) WITH (KAFKA_TOPIC='src', VALUE_FORMAT='JSON');")  # fmt: skip
QUERIES = [
    (SOURCE, "AVRO", "SELECT K, TIME * 2 AS T2, AMOUNT, CLASS, ID FROM S WHERE FLAG OR AMOUNT IS NULL"),
    (SOURCE, "AVRO", "SELECT * FROM S"),
    (SOURCE, "JSON", "SELECT K, AMOUNT / TIME AS R, UCASE(CLASS) AS C, ID FROM S WHERE ID > 2"),
    (SOURCE, "DELIMITED", "SELECT K, TIME, CLASS FROM S"),
    (JSON_SOURCE, "AVRO", "SELECT K, TIME, AMOUNT, CLASS, ID, FLAG FROM S WHERE ID <> 4"),
]


def encode(schema: dict[str, Any], value: dict[str, Any]) -> bytes:
    out = io.BytesIO()
    fastavro.schemaless_writer(out, fastavro.parse_schema(schema), value)
    return out.getvalue()


def avro_records(rnd: random.Random, id1: int, id2: int, count: int) -> list[bytes | None]:
    out: list[bytes | None] = []
    for _ in range(count):
        cls = rnd.choice(["0", "1", "", "é€", "x" * 130])
        if rnd.random() < 0.7:
            value = {"Time": rnd.choice([0.0, -0.0, 1.5, 1e300, rnd.uniform(-1e6, 1e6)]),
                     "Amount": rnd.choice([None, 0.0, 2.5, rnd.random()]), "Class": cls,
                     "Id": rnd.choice([0, 3, 5, -(2**40), 2**62]), "Flag": rnd.random() < 0.5}  # fmt: skip
            data = wire.frame(id1, encode(V1, value))
        else:
            value = {"Time": rnd.random(), "Class": rnd.choice([None, cls]), "Id": rnd.choice([1, 4, -7]),
                     "Flag": rnd.random() < 0.5, "Extra": "e"}  # fmt: skip
            data = wire.frame(id2, encode(V2, value))
        r = rnd.random()
        if r < 0.03:
            data = data[:-1]  # truncated
        elif r < 0.05:
            data += b"\x00"  # trailing bytes
        elif r < 0.06:
            data = b"\x01" + data[1:]  # not the magic byte
        elif r < 0.07:
            data = wire.header(999) + data[5:]  # an id the registry does not know
        elif r < 0.08:
            data = data[:3]
        elif r < 0.09:
            data = data.replace(b"\xc3\xa9", b"\xc3\x28")  # invalid UTF-8 in a string
        out.append(None if rnd.random() < 0.03 else data)
    return out


def json_records(rnd: random.Random, count: int) -> list[bytes | None]:
    out: list[bytes | None] = []
    for i in range(count):
        cls = rnd.choice(['"0"', '"x"', '"\\ud800"', "null", '"\\ud83d\\ude00"'])
        amount = rnd.choice(["null", "1.5", "1e300", '"x"'])
        out.append(f'{{"TIME": {rnd.random()}, "AMOUNT": {amount}, "CLASS": {cls}, "ID": {i % 9}, '
                   f'"FLAG": true}}'.encode())  # fmt: skip
    return out


def run(fast: bool, source: str, sink_format: str, select: str) -> tuple[list[Any], list[Any], bool]:
    rnd = random.Random(11)
    registry = MemoryRegistryClient()
    id1 = registry.register("src-value", RegisteredSchema(AVRO, json.dumps(V1)))
    id2 = registry.register("other-value", RegisteredSchema(AVRO, json.dumps(V2)))  # the source's columns: V1
    d = MemoryDriver()
    d.create_topic("src")
    config = EngineConfig(service_id="fa_", synchronous=True, fast_paths=fast,
                          properties={"ksql.streams.auto.offset.reset": "earliest"})  # fmt: skip
    e = Engine(config, d, registry)
    try:
        e.execute(source)
        e.execute(f"CREATE STREAM O WITH (VALUE_FORMAT='{sink_format}') AS {select};")
        used_fast = next(iter(e.state.persistent.values())).pipeline.fast_path
        values = json_records(rnd, 600) if "JSON" in source else avro_records(rnd, id1, id2, 600)
        keys = [None if rnd.random() < 0.05 else f"k{i}".encode() for i in range(len(values))]
        d.produce("src", [Record(k, v, 100 + i) for i, (k, v) in enumerate(zip(keys, values, strict=True))])
        e.drain()
        out = [(r.key, r.value, r.timestamp) for r in d.records("O")]
        log = []
        for r in d.records("fa_ksql_processing_log"):
            msg = json.loads(r.value)
            msg.pop("time")
            # fastavro's EOFError names its buffer object by address, which differs between runs
            log.append(json.loads(re.sub(r" at 0x[0-9a-f]+", "", json.dumps(msg))))
        return out, log, used_fast
    finally:
        e.close()


@pytest.mark.parametrize(("source", "sink_format", "select"), QUERIES)
def test_avro_loop_matches_the_generic_path(source: str, sink_format: str, select: str) -> None:
    fast_out, fast_log, used = run(True, source, sink_format, select)
    slow_out, slow_log, unused = run(False, source, sink_format, select)
    assert used and not unused
    assert fast_out == slow_out
    assert fast_log == slow_log
    assert len(fast_out) > 150  # most records get through
    assert fast_log  # and the bad ones are reported


TRANSIENT = [
    "SELECT * FROM S EMIT CHANGES;",
    "SELECT K, TIME * 2 AS T2, UCASE(CLASS) AS C FROM S WHERE ID > 2 OR AMOUNT IS NULL EMIT CHANGES;",
]


def transient_rows(sql: str, fast: bool) -> tuple[list[Any], list[Any], list[bool]]:
    rnd = random.Random(5)
    registry = MemoryRegistryClient()
    id1 = registry.register("src-value", RegisteredSchema(AVRO, json.dumps(V1)))
    id2 = registry.register("other-value", RegisteredSchema(AVRO, json.dumps(V2)))
    driver = MemoryDriver()
    driver.create_topic("src")
    engine = Engine(EngineConfig(synchronous=True, processing_log=False, command_topic=False), driver, registry)
    built: list[bool] = []
    original = project.build

    def spy(*args: Any, **kwargs: Any) -> Any:
        loop = original(*args, **kwargs)
        built.append(loop is not None)
        return loop

    project.build = spy  # type: ignore[assignment]
    try:
        engine.execute(SOURCE)
        [q] = parse(sql)
        assert isinstance(q, ast.Query)
        a = analyze(q, engine.state.metastore, engine.state.registry, None)
        errors: list[Any] = []
        on_error = lambda *args: errors.append((args[0], args[1], args[2].offset))
        pipeline = plan.compile(
            plan.build(a, None), engine.state.registry, on_error, StateStores(), "transient_1", fast_paths=fast
        )
        values = avro_records(rnd, id1, id2, 400)
        records = [Record(f"k{i}".encode(), v, 100 + i, 0, i) for i, v in enumerate(values)]
        rows = pipeline.process(records)
    finally:
        project.build = original  # type: ignore[assignment]
        engine.close()
    return rows, [(kind, re.sub(r" at 0x[0-9a-f]+", "", msg), off) for kind, msg, off in errors], built


@pytest.mark.parametrize("sql", TRANSIENT)
def test_avro_transient_loop_matches_the_generic_path(sql: str) -> None:
    fast_rows, fast_errors, built = transient_rows(sql, True)
    slow_rows, slow_errors, _ = transient_rows(sql, False)
    assert built == [True]
    assert repr(fast_rows) == repr(slow_rows) and len(fast_rows) > 100
    assert fast_errors == slow_errors and fast_errors
