"""The native DELIMITED parser against the pandas fallback and the Python line parser: identical
float32 matrices, ids and dead-letter decisions on the real data and on hand-made poison records."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pytest

from fraudlab import _fastparse
from fraudlab.data.schema import FEATURES
from fraudlab.scoring import DelimitedParser
from fraudlab.scoring.layouts import DEMO, KAGGLE


@pytest.fixture(scope="module")
def real_lines(shared: Path) -> list[bytes]:
    with gzip.open(shared / "data" / "creditcard.csv.gz", "rb") as fh:
        return fh.read().splitlines()[1:]


@pytest.fixture(scope="module")
def native_parser() -> DelimitedParser:
    parser = DelimitedParser(FEATURES, KAGGLE)
    if not parser.is_native:
        pytest.fail("the native parser did not build (is a C compiler on PATH?)")
    return parser


POISON: dict[int, bytes] = {
    0: b"",
    3: b"   ",
    5: b"1,2,3",
    8: b'0,"1,5",' + b"0," * 28 + b'"0"',  # a quoted comma: 32 raw commas, 31 CSV fields
    13: b"0," * 30 + b'"0"' + b",",  # one field too many
    21: b"0,abc," + b"0," * 28 + b'"0"',
    34: b"0,1e999," + b"0," * 28 + b'"0"',  # finite text, infinite value
    55: b"0,nan," + b"0," * 28 + b'"0"',
    89: b"\xff\xfe," * 30 + b"0",
    144: b"0,--1," + b"0," * 28 + b'"0"',
    233: b"0,1.5e," + b"0," * 28 + b'"0"',
}
# Lines the native parser does not accept but the Python parser does: same values either way.
PYTHON_ONLY: dict[int, bytes] = {
    1: b"0, 1.5 ," + b"0," * 28 + b'"0"',  # spaces around a number
    2: b"0,1_000," + b"0," * 28 + b'"0"',  # underscores (Python float syntax)
    4: b"0,1e39," + b"0," * 28 + b'"0"',  # finite as float64, inf as float32 (kept, as before)
    6: b"0," * 30 + b'"a ""quoted"" label"',  # escaped quotes in a non-feature field
}


def _expected(line: bytes) -> list[float]:
    return [float(f.strip(b'"')) for f in line.split(b",")[:30]]


def test_native_and_fallback_agree_on_the_real_data(real_lines: list[bytes], native_parser: DelimitedParser) -> None:
    lines = real_lines[:60_000]
    fast = native_parser.parse(lines)
    slow = DelimitedParser(FEATURES, KAGGLE, native=False).parse(lines)
    assert fast.rejects == [] and slow.rejects == []
    assert fast.index == slow.index == list(range(len(lines)))
    np.testing.assert_array_equal(fast.features, slow.features)
    assert fast.features.dtype == np.float32 and fast.features.flags.c_contiguous
    some = range(0, len(lines), 97)
    np.testing.assert_array_equal(fast.features[list(some)], np.asarray([_expected(lines[i]) for i in some], np.float32))


@pytest.mark.filterwarnings("ignore:overflow encountered in cast")
def test_poison_decisions_are_identical(real_lines: list[bytes], native_parser: DelimitedParser) -> None:
    lines = list(real_lines[:300])
    for i, raw in {**POISON, **PYTHON_ONLY}.items():
        lines[i] = raw
    fast = native_parser.parse(lines)
    slow = DelimitedParser(FEATURES, KAGGLE, native=False).parse(lines)
    assert [i for i, _ in fast.rejects] == sorted(POISON)
    assert [(i, e.reason) for i, e in fast.rejects] == [(i, e.reason) for i, e in slow.rejects]
    assert all(e.raw == lines[i] for i, e in fast.rejects)
    assert fast.index == slow.index == [i for i in range(300) if i not in POISON]
    np.testing.assert_array_equal(fast.features, slow.features)
    row = fast.index.index(1)
    assert fast.features[row, 1] == np.float32(1.5)
    assert fast.features[fast.index.index(2), 1] == np.float32(1000.0)
    assert np.isinf(fast.features[fast.index.index(4), 1])


def test_tombstones_and_a_batch_of_only_poison() -> None:
    parser = DelimitedParser(FEATURES, KAGGLE)
    batch = parser.parse([None, b"x", b""])  # type: ignore[list-item]
    assert batch.features.shape == (0, 30)
    assert batch.rejects[0][0] == 0 and batch.rejects[0][1].reason == "empty record"
    assert [i for i, _ in batch.rejects] == [0, 1, 2]


def test_demo_ids_come_without_quotes(seed_dir: Path) -> None:
    lines = [ln for ln in (seed_dir / "creditcard_extended.csv").read_bytes().split(b"\n") if ln]
    lines[0] = b'"77"' + lines[0][lines[0].index(b","):]
    fast = DelimitedParser(FEATURES, DEMO).parse(lines)
    slow = DelimitedParser(FEATURES, DEMO, native=False).parse(lines)
    assert fast.ids == slow.ids and fast.ids[:2] == ["77", "2"]
    np.testing.assert_array_equal(fast.features, slow.features)


def test_numbers_match_python_float_exactly() -> None:
    rng = np.random.default_rng(11)
    texts = [repr(v) for v in rng.normal(scale=10.0 ** rng.integers(-30, 30, 3000)).tolist()]
    texts += ["0", "-0", "0.0", "5.", ".5", "+2", "1e22", "1e23", "123456789012345678901234567890",
              "0.000000000000000000000000000001", "3.4028235e38", "1.17549435e-38", "1e-46"]
    texts = texts[: len(texts) // 30 * 30]
    rows = [texts[i : i + 30] for i in range(0, len(texts), 30)]
    lines = [(",".join(r) + ',"0"').encode() for r in rows]
    lib = _fastparse.native()
    assert lib is not None
    res = _fastparse.parse_lines(lib, lines, 31, [*range(30), -1], 30, None)
    assert res.ok.all()
    expected = np.asarray([[float(t) for t in r] for r in rows], dtype=np.float32)
    np.testing.assert_array_equal(res.features, expected)
    assert np.array_equal(np.signbit(res.features), np.signbit(expected))
