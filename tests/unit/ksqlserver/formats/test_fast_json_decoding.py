"""JSON input on the fast paths: the orjson reader against the generic decoder, and the generated loops
against the generic operators, on adversarial JSON."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest

import ksqlserver.formats.json_format as json_format
from ksqlserver.catalog.types import Column, primitive
from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.formats.base import SerdeError, SerdeOptions
from ksqlserver.formats.fast_json import fast_deserializer

COLS = [Column(n, primitive(b)) for n, b in
        [("A", "DOUBLE"), ("B", "STRING"), ("C", "INTEGER"), ("D", "BOOLEAN"), ("E", "BIGINT")]]  # fmt: skip

NUMBERS = ["0", "-0", "0.0", "-0.0", "1", "-1", "1.5", "1E5", "1e-7", "2.5e+3", "123456789012345678",
           "9223372036854775807", "9223372036854775808", "-9223372036854775809", "18446744073709551616",
           "1e400", "-1e400", "NaN", "Infinity", "2147483648", "-2147483649", "0.1", "1.7976931348623157e308",
           "5e-324", "4.9e-325", "3.141592653589793238462643383279", "1.0E-4", "12345678.9", "1e22", "1e23",
           "9.2e18", "-9.3e18"]  # fmt: skip
STRINGS = ['"x"', '""', '"\\u00e9\\u2028"', '"\\ud83d\\ude00"', '"\\ud800"', '"a\\"b\\\\c\\/"', '"é"',
           '"12"', '" 7 "', '"true"', '"FALSE"', '"1e3"', '"abc"', '"\\u0000"']  # fmt: skip
OTHERS = ["true", "false", "null", "[1, 2]", '{"x": 1}', '[18446744073709551616]', "{}", "[]"]


def value_text(rnd: random.Random) -> str:
    return rnd.choice([*NUMBERS, *STRINGS, *OTHERS])


def document(rnd: random.Random) -> bytes:
    """A JSON object for COLS, mostly right, often wrong in one of the ways JSON input can be."""
    fields = []
    typical = {"A": f"{rnd.uniform(-1e3, 1e3)!r}", "B": '"card"', "C": str(rnd.randint(-5, 5)),
               "D": rnd.choice(["true", "false"]), "E": str(rnd.randint(0, 2**40))}  # fmt: skip
    for name in "ABCDE":
        r = rnd.random()
        if r < 0.08:
            continue  # missing
        key = name if rnd.random() > 0.15 else rnd.choice([name.lower(), name + "x", name.lower() + ""])
        text = typical[name] if rnd.random() < 0.6 else value_text(rnd)
        fields.append(f'"{key}": {text}')
        if rnd.random() < 0.05:  # a duplicate key, before or after
            fields.insert(rnd.randrange(len(fields) + 1), f'"{key}": {value_text(rnd)}')
    if rnd.random() < 0.1:
        fields.append(f'"EXTRA": {{"n": [{value_text(rnd)}, {{"deep": {value_text(rnd)}}}]}}')
    rnd.shuffle(fields)
    body = "{" + ", ".join(fields) + "}"
    r = rnd.random()
    if r < 0.03:
        body = value_text(rnd)  # not an object
    elif r < 0.05:
        body = body[:-1]  # broken
    elif r < 0.06:
        body = "\ufeff" + body
    elif r < 0.07:
        body = body + " \n\t"
    data = body.encode("utf-8", "surrogatepass")
    if rnd.random() < 0.01:
        data = data.replace(b"card", b"ca\xffrd")  # invalid UTF-8
    return data


def generic_decoder() -> Any:
    """The JSON serde with json.loads alone (the orjson reader switched off)."""
    original = json_format.fast_deserializer
    json_format.fast_deserializer = lambda cols: None
    try:
        return json_format.JsonFormat().serde(COLS, SerdeOptions(), False).deserialize
    finally:
        json_format.fast_deserializer = original


def outcome(fn: Any, data: bytes) -> Any:
    try:
        return ("ok", repr(fn(data)))
    except SerdeError as e:
        return ("error", str(e))
    except Exception as e:  # the generic decoder's own failures (e.g. 1e400 in an INT column) must stay
        return ("raised", type(e).__name__, str(e))


@pytest.fixture(params=["native", "orjson"])
def reader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The JSON object reader: the compiled one in front of orjson, or orjson alone."""
    import ksqlserver.formats.fast_json as fast_json

    if request.param == "orjson":
        monkeypatch.setattr(fast_json, "textformats", lambda: None)
    elif fast_json.textformats() is None:
        pytest.fail("the C helpers did not build (a C compiler is part of set-up)")
    fast = fast_deserializer(COLS)  # as json_format
    assert fast is not None
    return fast


def test_the_native_reader_alone_gives_the_generic_values_or_declines() -> None:
    from ksqlserver.formats.native import textformats

    module = textformats()
    assert module is not None
    names, codes = tuple(c.name.encode() for c in COLS), b"DSiBI"
    generic = generic_decoder()
    rnd = random.Random(29)
    answered = 0
    for _ in range(20_000):
        data = document(rnd)
        got = module.json_object(names, codes, data)
        if got is not None:
            answered += 1
            assert repr(got) == repr(generic(data)), data
    assert answered > 300  # the plain objects (the adversarial generator makes few)


def test_the_fast_reader_gives_the_generic_values_or_declines(reader: Any) -> None:
    fast = reader
    generic = generic_decoder()
    serde = json_format.JsonFormat().serde(COLS, SerdeOptions(), False).deserialize
    rnd = random.Random(19)
    answered = 0
    for _ in range(20_000):
        data = document(rnd)
        got = fast(data)
        if got is not None:
            answered += 1
            assert repr(got) == repr(generic(data)), data  # repr: -0.0 and 0.0, 1 and 1.0 differ
        assert outcome(serde, data) == outcome(generic, data), data  # the serde with the reader inside
    # the common shapes are read on the fast path (a fraction, not a number, in a STRING or INT column is
    # left to the exact decoder: its text or truncation is not in the float orjson gives)
    assert answered > 3_500


@pytest.mark.parametrize(
    "data",
    [b'{"A": 1.5, "B": "x", "C": 1, "D": true, "E": 2}', b'{"a": 1.5, "b": "x", "c": 1, "d": true, "e": 2}',
     b'{"A": 1, "A": 2.5, "B": null, "C": null, "D": null, "E": null}', b'{"B": "only"}',
     b'{"A": 18446744073709551616, "B": "x", "C": 1, "D": true, "E": 2}',
     b'{"A": 1.5, "B": 18446744073709551616, "C": 1, "D": true, "E": 2}',
     b'{"A": 1e400, "B": "x"}', b'{"A": 1.5, "B": "\\ud800"}', b'{"A": 1.5, "B": "\\ud83d\\ude00"}',
     b'{"A": "1.5", "B": 7, "C": "3", "D": "TRUE", "E": "-4"}', b'{"A": 1.5, "C": 2147483648}',
     b'{"A": 1.5, "B": {"n": 1}}', b'{"A": 1.5, "B": [1, 2]}', b'{"A": -0, "B": "", "E": -0}',
     b'{"A": -0, "B": "x", "C": -0, "D": false, "E": 123456789012345678}',
     b'{"A": 1234567890123456789, "B": "x", "C": 1, "D": true, "E": 1234567890123456789}',
     b'{"A": 0.1e1, "B": "x", "C": 1, "D": true, "E": 1, "X": {"y": [1]}}',
     b'{"A": 01, "B": "x", "C": 1, "D": true, "E": 1}', b'{"A": 1., "B": "x", "C": 1, "D": true, "E": 1}',
     b'{"A": 2.5, "B": "x", "C": 1, "D": true, "E": 1}\x00', b'{"A": 2.5, "B": "x", "C": 1, "D": true, "E": 1} x',
     b'{"A": 2.5, "B": "\xc3\xa9", "C": 1, "D": true, "E": 1, "\xff": 1}',
     b'{"A": 2.5, "B": "x", "C": 1, "D": true, "E": 1, "A": null}', b'{"A": 2.5 "B": "x"}',
     b' \t\r\n{ "A" :2.5 ,"B":"x","C":1,"D":true,"E":1 } \n'],
)  # fmt: skip
def test_adversarial_objects(data: bytes, reader: Any) -> None:
    got = reader(data)
    assert got is None or repr(got) == repr(generic_decoder()(data))


SOURCE = ("CREATE STREAM S (ID STRING KEY, A DOUBLE, B STRING, C INTEGER, D BOOLEAN, E BIGINT) "
          "WITH (KAFKA_TOPIC='src', VALUE_FORMAT='JSON');")  # fmt: skip
QUERIES = [
    ("JSON", "SELECT ID, A * 2 AS A2, B, C, D, E FROM S WHERE C IS NULL OR C <> 3"),
    ("DELIMITED", "SELECT ID, A, B, 100 / C AS Q, D FROM S"),
    ("JSON", "SELECT ID, A, UCASE(B) AS U, CAST(B AS INT) AS BI FROM S"),
]


def run(fast: bool, sink_format: str, select: str, records: list[Record]) -> tuple[list[Any], list[Any], bool]:
    d = MemoryDriver()
    d.create_topic("src")
    config = EngineConfig(service_id="jf_", synchronous=True, fast_paths=fast,
                          properties={"ksql.streams.auto.offset.reset": "earliest"})  # fmt: skip
    e = Engine(config, d)
    try:
        e.execute(SOURCE)
        e.execute(f"CREATE STREAM O WITH (VALUE_FORMAT='{sink_format}') AS {select};")
        used_fast = next(iter(e.state.persistent.values())).pipeline.fast_path
        d.produce("src", records)
        e.drain()
        out = [(r.key, r.value, r.timestamp) for r in d.records("O")]
        log = []
        for r in d.records("jf_ksql_processing_log"):
            msg = json.loads(r.value)
            msg.pop("time")
            log.append(msg)
        return out, log, used_fast
    finally:
        e.close()


@pytest.mark.parametrize(("sink_format", "select"), QUERIES)
def test_json_input_loop_matches_the_generic_path(sink_format: str, select: str) -> None:
    rnd = random.Random(23)
    docs = [document(rnd) for _ in range(3000)]
    # NaN, Infinity and 1e400 included: Jackson refuses the first two, and the third is an exact decimal
    records = [Record(f"k{i}".encode(), x if rnd.random() > 0.02 else None, 100 + i) for i, x in enumerate(docs)]
    fast_out, fast_log, used_fast = run(True, sink_format, select, records)
    generic_out, generic_log, used_generic = run(False, sink_format, select, records)
    assert used_fast and not used_generic
    assert fast_out == generic_out
    assert fast_log == generic_log
    assert len(fast_out) > 500 and len(fast_log) > 50  # the input exercised both outcomes


def number_text(rnd: random.Random) -> str:
    """A JSON number of any form (or a near miss the grammar refuses)."""
    sign = rnd.choice(["", "", "-"])
    whole = rnd.choice(["0", str(rnd.randint(1, 9)), str(rnd.randint(0, 10 ** rnd.randint(1, 25)))])
    frac = rnd.choice(["", "", f".{rnd.randint(0, 10 ** rnd.randint(0, 20))}", ".", ".0"])
    exp = rnd.choice(["", "", f"e{rnd.randint(-340, 340)}", f"E+{rnd.randint(0, 30)}", f"e-{rnd.randint(0, 30)}", "e"])
    return sign + rnd.choice([whole, "0" + whole]) + frac + exp


def test_numbers_of_every_form_read_as_json_reads_them(reader: Any) -> None:
    generic = generic_decoder()
    rnd = random.Random(31)
    for _ in range(20_000):
        a, c, e = number_text(rnd), number_text(rnd), number_text(rnd)
        data = f'{{"A": {a}, "B": "x", "C": {c}, "D": true, "E": {e}}}'.encode()
        got = reader(data)
        if got is not None:
            assert repr(got) == repr(generic(data)), data


def test_invalid_utf8_at_any_offset_is_declined_by_the_native_reader() -> None:
    """valid_utf8 (delimited.c) passes ASCII eight bytes at a time: a bad byte anywhere (before, inside or
    after an aligned word, in a key or a value) still makes the reader decline, and valid multi-byte text
    at any offset is still read as the generic decoder reads it."""
    from ksqlserver.formats.native import textformats

    module = textformats()
    assert module is not None
    names, codes = tuple(c.name.encode() for c in COLS), b"DSiBI"
    generic = generic_decoder()
    base = '{"%s":1.5,"%s":"%s","%s":3,"%s":true,"%s":4}'
    for pad in range(0, 24):
        text = "x" * pad
        good = (base % (COLS[0].name, COLS[1].name, text + "é€😀", COLS[2].name, COLS[3].name, COLS[4].name)).encode()
        assert repr(module.json_object(names, codes, good)) == repr(generic(good))
        for bad in (b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xf8\x88\x80\x80"):
            data = (base % (COLS[0].name, COLS[1].name, text, COLS[2].name, COLS[3].name, COLS[4].name)).encode()
            cut = data.index(b'"', data.index(COLS[1].name.encode()) + len(COLS[1].name) + 2) + 1 + pad
            assert module.json_object(names, codes, data[:cut] + bad + data[cut:]) is None
