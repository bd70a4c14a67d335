"""The C-speed DELIMITED decoders (compiled, and orjson) must agree exactly with the generic one wherever
they answer."""

from __future__ import annotations

import functools
import math
import random
from typing import Any

import pytest

import ksqlserver.formats.delimited as delimited
from ksqlserver.catalog.types import Column, primitive
from ksqlserver.errors import SerdeError
from ksqlserver.formats.base import SerdeOptions
from ksqlserver.formats.delimited import DelimitedFormat, _parser
from ksqlserver.formats.fast_delimited import fast_decoder, json_decoder
from ksqlserver.formats.native import textformats

COLUMNS = [
    Column("A", primitive("DOUBLE")),
    Column("B", primitive("STRING")),
    Column("C", primitive("INTEGER")),
    Column("D", primitive("BOOLEAN")),
    Column("E", primitive("DOUBLE")),
]
FIELDS = {
    "DOUBLE": ["1.5", "-0", "-0.0", "0", "1e3", "1E-400", "1e400", "007", "+1", ".5", "1.", "nan", "x", "",
               '"2.5"', '"-0"', '"1e3"', " 3.5", "12345678901234567890123", "-1.3598071336738", "true", "null", "[1]"],
    "STRING": ["abc", '"abc"', '"a,b"', '"a""b"', '"a\\nb"', '" x"', ' "x"', '"x" ', "", '""', "12",
               '"12"', '"é"', "null", '"tab\tin"', '"\u2028"', "back\\slash", 'a"b', '"a', 'a"', "\r",
               "x\ny", "nul\x00", "\udc80", '"a;b"', "a;b", "\t"],
    "INTEGER": ["1", '"1"', '"-0"', "-7", "1.0", "1e3", '"5"', "007", " 4", "", "99999999999999999999", "true"],
    "BOOLEAN": ["true", "false", '"true"', '"TRUE"', '"no"', "TRUE", "", "1", " true"],
}


def _parsers(cols: list[Column]) -> list[Any]:
    return [_parser(c.type) for c in cols]


def _generic(cols: list[Column]) -> Any:
    original = delimited.fast_decoder
    delimited.fast_decoder = lambda *a: None  # type: ignore[assignment]
    try:
        return DelimitedFormat().serde(cols, SerdeOptions(), False).deserialize
    finally:
        delimited.fast_decoder = original


def _same(a: list[Any], b: list[Any]) -> bool:
    return len(a) == len(b) and all(
        type(x) is type(y) and (x == y or (x != x and y != y))
        and (not isinstance(x, float) or math.copysign(1, x) == math.copysign(1, y))
        for x, y in zip(a, b, strict=True)
    )


DECODERS = {"native": fast_decoder, "json": json_decoder}


@pytest.fixture(params=sorted(DECODERS))
def make_decoder(request: pytest.FixtureRequest) -> Any:
    if request.param == "native" and textformats() is None:
        pytest.fail("the C decoder did not build: a C compiler and Python.h are part of the set-up")
    return DECODERS[request.param]


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_fast_decoder_agrees_with_the_generic_decoder(make_decoder: Any, delimiter: str) -> None:
    rnd = random.Random(11)
    fast = make_decoder(COLUMNS, delimiter, _parsers(COLUMNS))
    if make_decoder is json_decoder and delimiter != ",":
        assert fast is None  # orjson reads commas only
        return
    original = delimited.fast_decoder
    delimited.fast_decoder = lambda *a: None  # type: ignore[assignment]
    try:
        generic = DelimitedFormat().serde(COLUMNS, SerdeOptions(delimiter=delimiter), False).deserialize
    finally:
        delimited.fast_decoder = original
    assert fast is not None
    answered = 0
    for _ in range(20_000):
        fields = [rnd.choice(FIELDS[c.type.base]) for c in COLUMNS]
        if rnd.random() < 0.05:
            fields.append("1")  # a field too many
        if rnd.random() < 0.03:
            fields[rnd.randrange(len(fields))] = ""  # a trailing or inner empty field
        try:
            line = delimiter.join(fields).encode()
        except UnicodeEncodeError:
            line = delimiter.join(fields).encode("utf-8", "surrogateescape")  # invalid UTF-8 bytes
        got = fast(line)
        try:
            want = generic(line)
        except (SerdeError, UnicodeDecodeError):
            assert got is None, line  # the generic decoder rejects it: so must the fast one
            continue
        if got is not None:
            answered += 1
            assert _same(got, want), (line, got, want)
    assert answered > 20  # most random lines hold some field the fast decoder leaves alone


def test_fast_decoder_on_real_number_text(make_decoder: Any) -> None:
    cols = [Column(f"V{i}", primitive("DOUBLE")) for i in range(8)]
    fast, generic = make_decoder(cols, ",", _parsers(cols)), _generic(cols)
    assert fast is not None
    rnd = random.Random(3)
    for _ in range(5000):
        xs = [rnd.choice([1, -1]) * 10 ** rnd.uniform(-8, 20) for _ in cols]
        line = ",".join(f"{x:.{rnd.randint(1, 18)}g}" for x in xs).encode()
        got = fast(line)
        assert got is not None and _same(got, generic(line)), line


def test_native_decoder_on_number_edges() -> None:
    """Digits past the exact fast path (strtod), exponents at the edges, signs and zeros."""
    cols = [Column("D", primitive("DOUBLE")), Column("I", primitive("BIGINT"))]
    fast, generic = fast_decoder(cols, ",", _parsers(cols)), _generic(cols)
    assert isinstance(fast, functools.partial)  # the compiled decoder
    rnd = random.Random(17)
    texts = ["0.1", "1e22", "1e23", "9007199254740993", "123456789012345678901234567890", "4.9e-324",
             "2.2250738585072011e-308", "1.7976931348623157e308", "1e-22", "123456789012345e-22", ".5", "5.",
             "+.5e+3", "-0e0", "000000000000000000000001.5", "1_0", "١", "0x10", "1e", "e1", "-", "+"]  # fmt: skip
    ints = ["0", "-0", "+7", "999999999999999999", "-999999999999999999", "1000000000000000000", "01", "1_0"]
    for _ in range(5000):
        d = rnd.choice(texts) if rnd.random() < 0.5 else repr(rnd.uniform(-1, 1) * 10 ** rnd.randint(-300, 300))
        line = f"{d},{rnd.choice(ints)}".encode()
        got = fast(line)
        try:
            want = generic(line)
        except SerdeError:
            assert got is None, line
            continue
        assert got is None or _same(got, want), (line, got, want)
    assert fast(b"1.5,7") == [1.5, 7]


@pytest.mark.parametrize("delimiter, base", [('"', "DOUBLE"), (",", "DECIMAL"), (",", "BYTES")])
def test_fast_decoder_declines_other_schemas(make_decoder: Any, delimiter: str, base: str) -> None:
    col = Column("X", primitive(base)) if base != "DECIMAL" else None
    if col is None:
        from ksqlserver.catalog.types import decimal

        col = Column("X", decimal(4, 2))
    assert make_decoder([col], delimiter, _parsers([col])) is None


def _run_query(lines: list[str], select: str, fast: bool, sink_format: str) -> list[tuple[Any, Any]]:
    from ksqlserver.drivers.base import Record
    from ksqlserver.drivers.memory import MemoryDriver
    from ksqlserver.engine import Engine, EngineConfig

    d = MemoryDriver()
    d.create_topic("src")
    e = Engine(
        EngineConfig(
            synchronous=True,
            properties={"ksql.streams.auto.offset.reset": "earliest"},
            processing_log=False,
            command_topic=False,
            fast_paths=fast,
        ),
        d,
    )
    e.execute(
        "CREATE STREAM S (ID STRING KEY, A DOUBLE, B STRING, C INTEGER, D BOOLEAN, E BIGINT, F DOUBLE) "
        "WITH (KAFKA_TOPIC='src', VALUE_FORMAT='DELIMITED');"
    )
    e.execute(f"CREATE STREAM O WITH (VALUE_FORMAT='{sink_format}') AS {select};")
    assert next(iter(e.state.persistent.values())).pipeline.fast_path is fast
    d.produce("src", [Record(f"k{i}".encode(), x.encode(), 100 + i) for i, x in enumerate(lines)])
    e.drain()
    return [(r.key, r.value) for r in d.records("O")]


@pytest.mark.parametrize("sink_format", ["JSON", "DELIMITED"])
def test_fast_path_with_fast_decoding_matches_generic_path(sink_format: str) -> None:
    """Lines the orjson decoder reads (numbers, quoted strings) and its refusals, through the generated
    loop and through the generic path: byte-identical outputs."""
    rnd = random.Random(5)
    doubles = ["1.5", "-0", "0", "-0.0", "2", "1e300", "1e-5", "123456789.5", '"3.25"', "x", "", "-7.125"]
    strings = ['"abc"', '"a,b"', '""', "plain", '"é \\u00e9"', '"\u2028"', '"q""q"', '"12"', "null"]
    ints = ["1", "-3", '"4"', "1.0", "9223372036854775807", "99999999999999999999", ""]
    bools = ["true", "false", '"true"', "TRUE", ""]
    lines = []
    for _ in range(600):
        row = [rnd.choice(doubles), rnd.choice(strings), rnd.choice(ints), rnd.choice(bools),
               rnd.choice(ints), rnd.choice(doubles)]  # fmt: skip
        lines.append(",".join(row))
    select = (
        "SELECT ID, A, B, C, D, E, F, A * 2 AS A2, C + 1 AS C1, CONCAT(B, 'x') AS BX FROM S "
        "WHERE F IS NULL OR F <> 2"
    )
    fast = _run_query(lines, select, True, sink_format)
    assert fast == _run_query(lines, select, False, sink_format)
    assert len(fast) > 150  # C (an INTEGER) refuses the bigint texts, as Integer.parseInt does
    # most columns unread: the compiled decoder only checks them, and a malformed one still fails the
    # record exactly as on the generic path
    few = "SELECT ID, A, C + 1 AS C1 FROM S WHERE A IS NULL OR A > 0"
    fast = _run_query(lines, few, True, sink_format)
    assert fast == _run_query(lines, few, False, sink_format)
    assert len(fast) > 50


@pytest.mark.parametrize(
    "select",
    [
        "SELECT ID, A, ROWTIME AS T, ROWOFFSET AS O, ROWPARTITION AS P FROM S WHERE A > 0",
        "SELECT ID, A, C FROM S WHERE ROWTIME > 110 AND ROWOFFSET < 500",
        "SELECT ID, A, CAST(ROWTIME AS STRING) AS T FROM S",
        "SELECT ID, A, C FROM S WHERE A > 0",  # no pseudo column read: none appended to the decoded row
        "SELECT ID, S.A AS A2, S.ROWTIME AS T FROM S",
    ],
)
def test_fast_path_reads_pseudo_columns_as_the_generic_path(select: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The generated loop appends ROWTIME, ROWPARTITION and ROWOFFSET to a decoded row only when an
    expression reads one (or a column beyond the key and value columns); either way its outputs are the
    generic path's, byte for byte."""
    from ksqlserver.compile import codegen

    sources: list[str] = []
    build = codegen.Emitter.build

    def keep_source(self: codegen.Emitter, name: str, filename: str | None = None) -> Any:
        if filename == "<ksql fast path>":
            sources.append(self.source())
        return build(self, name, filename)

    monkeypatch.setattr(codegen.Emitter, "build", keep_source)
    rnd = random.Random(11)
    lines = [",".join([rnd.choice(["1.5", "-2", "0", "x"]), '"b"', rnd.choice(["3", "-4"]), "true", "7", "2.5"])
             for _ in range(300)]  # fmt: skip
    fast = _run_query(lines, select, True, "JSON")
    # a row the loop does not extend would send every record reading a pseudo column to the generic path
    # (an IndexError): the same outputs, so the loop's own code is checked too
    (source,) = sources
    assert ("row += (rec[2], rec[3], rec[4])" in source) == any(
        p in select for p in ("ROWTIME", "ROWOFFSET", "ROWPARTITION")
    )
    assert fast == _run_query(lines, select, False, "JSON")
    assert len(fast) > 50


def test_unread_columns_are_checked_like_read_ones() -> None:
    """A lower-case code answers where its upper-case twin does (with None there); where only it answers,
    the generic decoder accepts the line with the same read values."""
    module = textformats()
    assert module is not None
    rnd = random.Random(23)
    codes = {"DOUBLE": b"D", "STRING": b"S", "INTEGER": b"I", "BOOLEAN": b"B"}
    upper = b"," + b"".join(codes[c.type.base] for c in COLUMNS)
    for _ in range(20_000):
        fields = [rnd.choice(FIELDS[c.type.base]) for c in COLUMNS]
        line = ",".join(fields).encode("utf-8", "surrogateescape")
        unread = {i for i in range(len(COLUMNS)) if rnd.random() < 0.5}
        lower = upper[:1] + bytes(
            upper[1 + i] + (32 if i in unread else 0) for i in range(len(COLUMNS))
        )
        full, part = module.decode(upper, line), module.decode(lower, line)
        if full is not None:
            assert part == [None if i in unread else v for i, v in enumerate(full)], line
        elif part is not None:  # only a range check of an unread number may differ: the generic decoder
            want = _generic(COLUMNS)(line)  # then reads the line, with the same values where read
            assert _same([v for i, v in enumerate(want) if i not in unread],
                         [v for i, v in enumerate(part) if i not in unread]), line  # fmt: skip


@pytest.mark.parametrize("kind", ["native", "orjson"])
def test_fast_json_writer_matches_the_generic_writers(kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import ksqlserver.formats.fast_json as fast_json
    import ksqlserver.formats.json_format as json_format
    from ksqlserver.formats.fast_json import fast_serializer

    if kind == "orjson":
        monkeypatch.setattr(fast_json, "native_row_writer", lambda cols: None)
    else:
        assert fast_json.native_row_writer([Column("A", primitive("DOUBLE"))]) is not None
    from ksqlserver.formats.json_format import JsonFormat

    cols = [Column(n, primitive(b)) for n, b in
            [("A", "DOUBLE"), ("b", "STRING"), ("C", "INTEGER"), ("D", "BOOLEAN"), ("E", "BIGINT")]]  # fmt: skip
    assert fast_serializer(cols) is not None
    original = json_format.fast_serializer
    json_format.fast_serializer = lambda *a: None  # type: ignore[assignment]
    try:
        generic = JsonFormat().serde(cols, SerdeOptions(), False).serialize
    finally:
        json_format.fast_serializer = original
    fast = JsonFormat().serde(cols, SerdeOptions(), False).serialize
    rnd = random.Random(9)
    pools: dict[str, list[Any]] = {
        "DOUBLE": [None, 0.0, -0.0, 1.5, -2.25, 1e-3, 9999999.999, 1e7, 1e-4, 5e-324, 1e300, 3, True,
                   float("nan"), float("inf"), 0.1 + 0.2, -123456.789, 2**1100, 1.5e-4, -3e12],
        "STRING": [None, "", "abc", 'q"uote', "back\\slash", "é", "\u2028", "\x00\x1f\x7f", "\ud800", 5,
                   "\b\f\n\r\t", "😀", "x" * 2000],
        "INTEGER": [None, 0, -1, 2**31, 2**63, 2**64, True, 1.5],
        "BIGINT": [None, 7, -(2**63), 2**70],
        "BOOLEAN": [None, True, False, 1, 0, "x"],
    }  # fmt: skip
    for _ in range(5000):
        row = [rnd.choice(pools[c.type.base]) for c in cols]
        try:
            want = generic(row)
        except Exception as e:  # the generic writer fails on it: so must the combined one
            with pytest.raises(type(e)):
                fast(row)
            continue
        assert fast(row) == want, row
