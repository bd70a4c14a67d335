"""Event time and the time types on the generated projection loop (plan/fast/project.py): a source with
TIMESTAMP / DATE / TIME / DECIMAL columns, a source whose records take their time from a column (WITH
TIMESTAMP=, a BIGINT, a TIMESTAMP or a STRING with TIMESTAMP_FORMAT) and a sink with its own TIMESTAMP
column, in DELIMITED, JSON and AVRO. The loop must write exactly what the generic path writes (values,
keys, record timestamps) and leave the same processing log, on rows full of nulls, bad values and extreme
times: ksqlDB's LoggingTimestampExtractor logs a null or unparseable time and drops the record, a negative
one is dropped silently (Kafka Streams' RecordQueue skips it), and SinkBuilder.TransformTimestamp logs a
sink time it cannot take (see runtime/pipeline.row_reader and plan/sink_time.py, which follow them)."""

from __future__ import annotations

import json
import random
import re
from typing import Any

import pytest

from ksqlserver.catalog.types import Column, decimal, primitive
from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.formats import get_format
from ksqlserver.formats import json_format as json_format_module
from ksqlserver.formats.base import SerdeOptions
from ksqlserver.formats.delimited import DelimitedFormat
from ksqlserver.formats.fast_delimited import fast_decoder
from ksqlserver.formats.fast_json import fast_deserializer, fast_serializer
from ksqlserver.formats.sr.client import MemoryRegistryClient

COLUMNS = "ID BIGINT, TS TIMESTAMP, D DATE, T TIME, TXT STRING, N BIGINT, AMT DECIMAL(6, 2), X DOUBLE"
ISO = "yyyy-MM-dd''T''HH:mm:ssX"

TIMESTAMPS = ["0", "-1", "1700000000000", "9223372036854775807", "-9223372036854775808", "9223372036854775808",
              "253402300800000", "1e3", "abc", "", "1.5", "-0"]  # fmt: skip
# DATE beyond an int: JSON reads it (a long, as BIGINT), AVRO's int then fails the query (the decoder tests
# have them; the query tests would stop at the first)
DATES = ["0", "-1", "19000", "2147483647", "-2147483648", "", "x", "7.0"]
WIDE_DATES = [*DATES, "2147483648", "-2147483649", "9223372036854775807"]
TIMES = ["0", "86400000", "86400001", "-5", "3600000", "", "x", "9223372036854775807"]
TEXTS = ["2018-12-18T12:00:00Z", "1969-12-31T23:59:59Z", "1970-01-01T00:00:00Z", "garbage", "",
         "2018-12-18T12:00:00+01:00", "+999999999-12-31T23:59:59Z", "2018-13-01T00:00:00Z"]  # fmt: skip
BIGINTS = ["5", "-5", "", "x", "1700000000000", "0", "-9223372036854775808"]
DECIMALS = ["1.50", "-0.01", "12345.678", "", "9999.99", "1e2", "x", "0"]
DOUBLES = ["1.5", "-0", "1e300", "", "NaN", "0.1", "x"]


def delimited_line(rnd: random.Random) -> bytes:
    fields = [rnd.choice(["1", "3", "", "x", "9223372036854775808"]), rnd.choice(TIMESTAMPS), rnd.choice(DATES),
              rnd.choice(TIMES), rnd.choice(TEXTS), rnd.choice(BIGINTS), rnd.choice(DECIMALS), rnd.choice(DOUBLES)]  # fmt: skip
    if rnd.random() < 0.3:  # mostly good rows: the common case must get through the loop
        fields = [str(rnd.randint(0, 9)), str(rnd.randint(0, 2**41)), str(rnd.randint(0, 20000)),
                  str(rnd.randint(0, 86_400_000)), "2018-12-18T12:00:00Z", str(rnd.randint(0, 2**41)),
                  f"{rnd.randint(-9999, 9999) / 100:.2f}", repr(rnd.uniform(-1e3, 1e3))]  # fmt: skip
    line = ",".join(fields)
    if rnd.random() < 0.03:
        line += ",extra"
    return line.encode()


def _json_value(text: str, rnd: random.Random) -> str:
    """A DELIMITED field's text as a JSON value: a number, a string, or null, or something else."""
    if text == "":
        return rnd.choice(["null", '""'])
    try:
        float(text)
        number = text not in ("NaN",) and rnd.random() < 0.8
    except ValueError:
        number = False
    if number:
        return text
    return json.dumps(text) if rnd.random() < 0.9 else rnd.choice(["true", "[1]", "1.5e3", "{}"])


def json_document(rnd: random.Random) -> bytes:
    names = ["ID", "TS", "D", "T", "TXT", "N", "AMT", "X"]
    texts = delimited_line(rnd).decode().split(",")[:8]
    fields = []
    for name, text in zip(names, texts, strict=True):
        if rnd.random() < 0.04:
            continue  # missing: null
        value = json.dumps(text) if name == "TXT" and text else _json_value(text, rnd)
        fields.append(f'"{name if rnd.random() > 0.1 else name.lower()}": {value}')
    return ("{" + ", ".join(fields) + "}").encode()


def engine(fast: bool) -> tuple[Engine, MemoryDriver]:
    d = MemoryDriver()
    d.create_topic("src")
    config = EngineConfig(service_id="et_", synchronous=True, fast_paths=fast,
                          properties={"ksql.streams.auto.offset.reset": "earliest"})  # fmt: skip
    return Engine(config, d, MemoryRegistryClient()), d


def outputs(d: MemoryDriver, topic: str) -> list[Any]:
    return [(r.key, r.value, r.timestamp) for r in d.records(topic)]


def processing_log(d: MemoryDriver) -> list[Any]:
    out = []
    for r in d.records("et_ksql_processing_log"):
        msg = json.loads(r.value)
        msg.pop("time")
        # a query failed by its sink's serializer logs its stream thread, whose name holds a random id
        text = re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "ID", json.dumps(msg))
        out.append(json.loads(re.sub(r" at 0x[0-9a-f]+", "", text)))
    return out


def records(fmt: str, seed: int, count: int = 700) -> list[Record]:
    rnd = random.Random(seed)
    make = delimited_line if fmt == "DELIMITED" else json_document
    out = []
    for i in range(count):
        key = None if rnd.random() < 0.05 else f"k{i}".encode()
        value = None if rnd.random() < 0.03 else make(rnd)
        out.append(Record(key, value, rnd.choice([100 + i, 0, 2**41 + i])))
    return out


def run(fast: bool, statements: list[str], fmt: str, sinks: list[str], seed: int) -> tuple[Any, Any, list[bool]]:
    e, d = engine(fast)
    try:
        for s in statements:
            e.execute(s)
        used = [q.pipeline.fast_path for q in e.state.persistent.values()]
        d.produce("src", records(fmt, seed))
        e.drain()
        return [outputs(d, s) for s in sinks], processing_log(d), used
    finally:
        e.close()


SOURCE_TIMES = {
    "record": "",
    "bigint": ", TIMESTAMP='N'",
    "timestamp": ", TIMESTAMP='TS'",
    "string": f", TIMESTAMP='TXT', TIMESTAMP_FORMAT='{ISO}'",
}
SELECTS = [
    "SELECT K, ID, TS, D, T, TXT, N, AMT, X, ROWTIME AS RT FROM S",
    "SELECT K, TS, T, ROWTIME + 1 AS RT1, N * 2 AS N2 FROM S WHERE ID IS NULL OR ID <> 3",
    # the pipeline's shape: every column but the time read, IFNULL, a CAST that fails on bad text
    "SELECT K, ID, TXT, IFNULL(X, CAST(0 AS DOUBLE)) AS X, CAST(TXT AS INTEGER) AS C FROM S",
]


@pytest.mark.parametrize("source_format", ["DELIMITED", "JSON"])
@pytest.mark.parametrize("source_time", list(SOURCE_TIMES))
@pytest.mark.parametrize("sink_format", ["JSON", "DELIMITED", "AVRO"])
def test_event_time_loop_matches_the_generic_path(source_format: str, source_time: str, sink_format: str) -> None:
    source = (f"CREATE STREAM S (K STRING KEY, {COLUMNS}) WITH (KAFKA_TOPIC='src', "
              f"VALUE_FORMAT='{source_format}'{SOURCE_TIMES[source_time]});")  # fmt: skip
    for n, select in enumerate(SELECTS):
        statements = [source, f"CREATE STREAM O WITH (VALUE_FORMAT='{sink_format}') AS {select};"]
        seed = 31 + n + 7 * len(source_time)
        fast_out, fast_log, used = run(True, statements, source_format, ["O"], seed)
        slow_out, slow_log, unused = run(False, statements, source_format, ["O"], seed)
        assert used == [True] and unused == [False], select
        assert fast_out == slow_out, select
        assert fast_log == slow_log, select
        assert len(fast_out[0]) > 100, select  # the good rows get through
        assert fast_log, select  # and the bad ones are reported
        if source_time != "record":  # the records' times come from the column
            assert {t for _, _, t in fast_out[0]} - {100 + i for i in range(700)} - {0} - {2**41 + i for i in range(700)}


SINK_TIMES = [
    # (the sink's WITH, its projection): a TIMESTAMP, a BIGINT and a STRING column give the record's time
    ("TIMESTAMP='TS2'", "SELECT K, ID, TS AS TS2, X FROM S"),
    ("TIMESTAMP='N2'", "SELECT K, N AS N2, TXT FROM S WHERE ID IS NULL OR ID <> 1"),
    (f"TIMESTAMP='TXT', TIMESTAMP_FORMAT='{ISO}'", "SELECT K, TXT, D, T, AMT FROM S"),
    (f"TIMESTAMP='K', TIMESTAMP_FORMAT='{ISO}'", "SELECT K, ID, TS FROM S"),  # a key column: no key parses
]


@pytest.mark.parametrize("source_format", ["DELIMITED", "JSON"])
@pytest.mark.parametrize("sink_format", ["JSON", "DELIMITED", "AVRO"])
@pytest.mark.parametrize(("sink_with", "select"), SINK_TIMES)
def test_sink_time_loop_matches_the_generic_path(source_format: str, sink_format: str, sink_with: str,
                                                 select: str) -> None:  # fmt: skip
    source = (f"CREATE STREAM S (K STRING KEY, {COLUMNS}) WITH (KAFKA_TOPIC='src', VALUE_FORMAT='{source_format}', "
              "TIMESTAMP='N');")  # fmt: skip
    statements = [source, f"CREATE STREAM O WITH (VALUE_FORMAT='{sink_format}', {sink_with}) AS {select};"]
    fast_out, fast_log, used = run(True, statements, source_format, ["O"], 5)
    slow_out, slow_log, unused = run(False, statements, source_format, ["O"], 5)
    assert used == [True] and unused == [False]
    assert fast_out == slow_out
    assert fast_log == slow_log
    assert fast_log
    if not sink_with.startswith("TIMESTAMP='K'"):
        assert len(fast_out[0]) > 50


def test_avro_time_types_through_two_loops() -> None:
    """JSON in -> AVRO (timestamp-millis, date, time-millis, decimal logical types) -> a stream over that
    topic taking its time from the TIMESTAMP column -> JSON: both loops the generic path's."""
    statements = [
        f"CREATE STREAM S (K STRING KEY, {COLUMNS}) WITH (KAFKA_TOPIC='src', VALUE_FORMAT='JSON');",
        "CREATE STREAM A WITH (KAFKA_TOPIC='a', VALUE_FORMAT='AVRO') AS SELECT * FROM S;",
        "CREATE STREAM B (K STRING KEY) WITH (KAFKA_TOPIC='a', VALUE_FORMAT='AVRO', TIMESTAMP='TS');",
        "CREATE STREAM O WITH (VALUE_FORMAT='JSON') AS SELECT K, ID, TS, D, T, AMT, ROWTIME AS RT FROM B "
        "WHERE X IS NULL OR X > 0;",
        "CREATE STREAM P WITH (VALUE_FORMAT='DELIMITED', TIMESTAMP='TS') AS SELECT K, T, TS, D FROM B;",
    ]
    fast_out, fast_log, used = run(True, statements, "JSON", ["a", "O", "P"], 17)
    slow_out, slow_log, unused = run(False, statements, "JSON", ["a", "O", "P"], 17)
    assert used == [True, True, True] and unused == [False, False, False]
    assert fast_out == slow_out
    assert fast_log == slow_log
    assert all(len(o) > 50 for o in fast_out)


# the snippets on their own: the compiled decoders and writers against the serdes' generic code

TIME_COLS = [Column("TS", primitive("TIMESTAMP")), Column("D", primitive("DATE")), Column("T", primitive("TIME")),
             Column("N", primitive("BIGINT"))]  # fmt: skip


def _outcome(fn: Any, data: Any) -> Any:
    try:
        return ("ok", fn(data))
    except Exception as e:  # the generic serde's failure: the snippet must decline it
        return ("error", type(e).__name__)


def test_delimited_time_decoder_is_the_generic_decoders() -> None:
    rnd = random.Random(3)
    from ksqlserver.formats import delimited

    original = delimited.fast_decoder
    delimited.fast_decoder = lambda *args: None  # the serde's own parsers alone
    try:
        serde = DelimitedFormat().serde(TIME_COLS, SerdeOptions(), False)
    finally:
        delimited.fast_decoder = original
    parsers = [delimited._parser(c.type) for c in TIME_COLS]
    for unread in [(), (0,), (1, 2), (0, 1, 2, 3)]:
        fast = fast_decoder(TIME_COLS, ",", parsers, unread)
        assert fast is not None
        answered = 0
        for _ in range(4000):
            line = ",".join([rnd.choice(TIMESTAMPS), rnd.choice(WIDE_DATES), rnd.choice(TIMES), rnd.choice(BIGINTS)])
            got = fast(line.encode())
            if got is None:
                continue
            answered += 1
            kind, want = _outcome(serde.deserialize, line.encode())
            assert kind == "ok", line  # never answers where the generic decoder fails
            assert got == [None if i in unread and i != 2 else v for i, v in enumerate(want)], line
        assert answered > 50


def test_json_time_decoder_is_the_generic_decoders() -> None:
    rnd = random.Random(4)
    generic_fast = json_format_module.fast_deserializer
    json_format_module.fast_deserializer = lambda cols: None  # the serde's own reader alone
    try:
        serde = get_format("JSON").serde(TIME_COLS, SerdeOptions(), False)
    finally:
        json_format_module.fast_deserializer = generic_fast
    fast = fast_deserializer(TIME_COLS)
    assert fast is not None
    answered = 0
    for _ in range(4000):
        values = [rnd.choice(TIMESTAMPS), rnd.choice(WIDE_DATES), rnd.choice(TIMES), rnd.choice(BIGINTS)]
        doc = "{" + ", ".join(f'"{c.name}": {_json_value(v, rnd)}' for c, v in zip(TIME_COLS, values, strict=True)) + "}"
        got = fast(doc.encode())
        if got is None:
            continue
        answered += 1
        assert _outcome(serde.deserialize, doc.encode()) == ("ok", got), doc
    assert answered > 200


@pytest.mark.parametrize("fmt", ["JSON", "DELIMITED"])
def test_time_writers_are_the_generic_writers(fmt: str) -> None:
    rnd = random.Random(5)
    cols = [*TIME_COLS, Column("S", primitive("STRING"))]
    json_format_module_fast = json_format_module.fast_serializer
    json_format_module.fast_serializer = lambda cols: None
    try:
        serde = get_format(fmt).serde(cols, SerdeOptions(), False)
    finally:
        json_format_module.fast_serializer = json_format_module_fast
    if fmt == "JSON":
        write = fast_serializer(cols)
        assert write is not None
    else:
        from ksqlserver.compile.codegen import Emitter

        em = Emitter()
        names = [f"v{i}" for i in range(len(cols))]
        snippet = DelimitedFormat().encode_snippet(cols, SerdeOptions(), em, names, "out")
        assert snippet is not None
        with em.block(f"def _w({', '.join(names)}):"):
            em.line(*snippet.code, "return out")
        w = em.build("_w")

        def write(values: Any) -> Any:
            return w(*values)

    pool = [None, 0, -1, 1, 86_400_000, 2**62, -(2**63), True, 1.5, "7"]
    answered = 0
    for _ in range(3000):
        values = (*[rnd.choice(pool) for _ in TIME_COLS], rnd.choice(["a", "", "x,y", None]))
        got = write(values)
        if got is None:
            continue
        answered += 1
        assert _outcome(serde.serialize, list(values)) == ("ok", got), values
    assert answered > 100


def test_decimal_columns_decode_with_the_serde() -> None:
    """A DECIMAL column has no snippet code: the loop reads such a schema with the serde itself."""
    cols = [Column("A", decimal(6, 2)), Column("B", primitive("BIGINT"))]
    assert fast_decoder(cols, ",", [str, str]) is None
    assert fast_deserializer(cols) is None
    assert fast_serializer(cols) is None


# push queries (a transient SELECT over a stream) take the loop too: ROWTIME is the column's time, and the
# records whose time fails are the generic path's (logged or dropped). Their rows' time types would be texts
# (REST rows), which the loop leaves to the generic path: the same fields here read as plain types.
PLAIN_COLUMNS = "ID BIGINT, TS BIGINT, D INT, T BIGINT, TXT STRING, N BIGINT, AMT DOUBLE, X DOUBLE"
TRANSIENT = [
    "SELECT * FROM S EMIT CHANGES;",  # the decoded row as the output row, once its time is taken
    "SELECT K, ID, TXT, ROWTIME AS RT FROM S WHERE N IS NULL OR N > 0 EMIT CHANGES;",
    "SELECT K, N / (ID - 3) AS Q, AMT FROM S EMIT CHANGES;",
]


def transient(sql: str, fmt: str, source_time: str, fast: bool) -> tuple[str, list[Any], list[bool]]:
    from ksqlserver import plan
    from ksqlserver.analyze import analyze
    from ksqlserver.plan.fast import project
    from ksqlserver.runtime.state.base import StateStores
    from ksqlserver.sql import ast
    from ksqlserver.sql.parser import parse

    e = Engine(EngineConfig(synchronous=True, processing_log=False, command_topic=False), MemoryDriver())
    built: list[bool] = []
    original = project.build

    def spy(*args: Any, **kwargs: Any) -> Any:
        loop = original(*args, **kwargs)
        built.append(loop is not None)
        return loop

    project.build = spy  # type: ignore[assignment]
    try:
        e.execute(f"CREATE STREAM S (K STRING KEY, {PLAIN_COLUMNS}) WITH (KAFKA_TOPIC='src', VALUE_FORMAT='{fmt}', "
                  f"PARTITIONS=1{SOURCE_TIMES[source_time]});")  # fmt: skip
        [q] = parse(sql)
        assert isinstance(q, ast.Query)
        a = analyze(q, e.state.metastore, e.state.registry, None)
        errors: list[Any] = []
        on_error = lambda *args: errors.append((args[0], args[1], args[2].offset))
        pipeline = plan.compile(plan.build(a, None), e.state.registry, on_error, StateStores(), "transient_1",
                                fast_paths=fast)  # fmt: skip
        recs = [r._replace(offset=i) for i, r in enumerate(records(fmt, 41))]
        rows = [row for k in range(0, len(recs), 100) for row in pipeline.process(recs[k : k + 100])]
    finally:
        project.build = original  # type: ignore[assignment]
        e.close()
    return repr(rows), errors, built


@pytest.mark.parametrize("fmt", ["DELIMITED", "JSON"])
@pytest.mark.parametrize("source_time", ["bigint", "string"])
@pytest.mark.parametrize("sql", TRANSIENT)
def test_transient_event_time_loop_matches_the_generic_path(fmt: str, source_time: str, sql: str) -> None:
    fast_rows, fast_errors, built = transient(sql, fmt, source_time, True)
    slow_rows, slow_errors, _ = transient(sql, fmt, source_time, False)
    assert built == [True]
    assert fast_rows == slow_rows and fast_rows.count("[") > 100
    assert fast_errors == slow_errors and fast_errors
