"""The C-speed DELIMITED decoder must agree exactly with the generic one wherever it answers."""

from __future__ import annotations

import math
import random
from typing import Any

import pytest

import ksqlserver.formats.delimited as delimited
from ksqlserver.errors import SerdeError
from ksqlserver.formats.base import SerdeOptions
from ksqlserver.formats.delimited import DelimitedFormat, _parser
from ksqlserver.formats.fast_delimited import fast_decoder
from ksqlserver.types import Column, primitive

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
               '"12"', '"é"', "null", '"tab\tin"', '"\u2028"'],
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


def test_fast_decoder_agrees_with_the_generic_decoder() -> None:
    rnd = random.Random(11)
    fast = fast_decoder(COLUMNS, ",", _parsers(COLUMNS))
    generic = _generic(COLUMNS)
    assert fast is not None
    answered = 0
    for _ in range(20_000):
        fields = [rnd.choice(FIELDS[c.type.base]) for c in COLUMNS]
        if rnd.random() < 0.05:
            fields.append("1")  # a field too many
        line = ",".join(fields).encode()
        got = fast(line)
        try:
            want = generic(line)
        except SerdeError:
            assert got is None, line  # the generic decoder rejects it: so must the fast one
            continue
        if got is not None:
            answered += 1
            assert _same(got, want), (line, got, want)
    assert answered > 20  # most random lines hold some field the fast decoder leaves alone


def test_fast_decoder_on_real_number_text() -> None:
    cols = [Column(f"V{i}", primitive("DOUBLE")) for i in range(8)]
    fast, generic = fast_decoder(cols, ",", _parsers(cols)), _generic(cols)
    assert fast is not None
    rnd = random.Random(3)
    for _ in range(5000):
        xs = [rnd.choice([1, -1]) * 10 ** rnd.uniform(-8, 20) for _ in cols]
        line = ",".join(f"{x:.{rnd.randint(1, 18)}g}" for x in xs).encode()
        got = fast(line)
        assert got is not None and _same(got, generic(line)), line


@pytest.mark.parametrize("delimiter, base", [(";", "DOUBLE"), (",", "DECIMAL"), (",", "BYTES")])
def test_fast_decoder_declines_other_schemas(delimiter: str, base: str) -> None:
    col = Column("X", primitive(base)) if base != "DECIMAL" else None
    if col is None:
        from ksqlserver.types import decimal

        col = Column("X", decimal(4, 2))
    assert fast_decoder([col], delimiter, _parsers([col])) is None
