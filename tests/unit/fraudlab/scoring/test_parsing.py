"""Record parsing for the scoring service: fast path, bisection around poison records, reasons."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import orjson
import pytest

from fraudlab.data.schema import FEATURES
from fraudlab.scoring import DelimitedParser, JsonParser, LayoutError, ScoringError
from fraudlab.scoring.layouts import DEMO, KAGGLE


@pytest.fixture(scope="module")
def kaggle_lines(seed_dir: Path) -> list[bytes]:
    lines = (seed_dir / "creditcard_small.csv").read_bytes().split(b"\n")
    return [ln for ln in lines[1:] if ln]


@pytest.fixture(scope="module")
def demo_lines(seed_dir: Path) -> list[bytes]:
    return [ln for ln in (seed_dir / "creditcard_extended.csv").read_bytes().split(b"\n") if ln]


def _expected(lines: list[bytes], first_feature: int) -> np.ndarray:
    rows = [[float(f.strip(b'"')) for f in ln.split(b",")[first_feature : first_feature + 30]] for ln in lines]
    return np.asarray(rows, dtype=np.float32)


def test_kaggle_lines_parse_to_the_feature_matrix(kaggle_lines: list[bytes]) -> None:
    parser = DelimitedParser(FEATURES)
    batch = parser.parse(kaggle_lines)
    assert parser.columns == KAGGLE
    assert batch.rejects == []
    assert batch.index == list(range(len(kaggle_lines)))
    np.testing.assert_array_equal(batch.features, _expected(kaggle_lines, 0))
    assert batch.ids == [None] * len(kaggle_lines)


def test_demo_lines_use_the_id_column_and_skip_quoted_text(demo_lines: list[bytes]) -> None:
    parser = DelimitedParser(FEATURES)
    batch = parser.parse(demo_lines * 3)  # 30 lines: enough for the vectorised path
    assert parser.columns == DEMO
    assert batch.rejects == []
    assert batch.ids[:10] == [str(i) for i in range(1, 11)]
    np.testing.assert_array_equal(batch.features[:10], _expected(demo_lines, 3))


def test_poison_lines_are_rejected_with_reasons_and_the_rest_kept_in_order(kaggle_lines: list[bytes]) -> None:
    lines = list(kaggle_lines[:500])
    poison = {
        7: b"",
        100: lines[100] + b",42",  # one field too many
        101: lines[101].replace(b",", b",abc,", 1).rsplit(b",", 1)[0],  # right count, non-numeric V1
        250: b"   ",
        499: lines[499].rsplit(b",", 2)[0],  # two fields short
        300: b"\xff\xfe,\x00",
    }
    for i, raw in poison.items():
        lines[i] = raw
    batch = DelimitedParser(FEATURES, KAGGLE).parse(lines)
    rejected = {i: err.reason for i, err in batch.rejects}
    assert sorted(rejected) == sorted(poison)
    assert rejected[7] == "empty record" and rejected[250] == "empty record"
    assert "32 fields" in rejected[100] and "29 fields" in rejected[499]
    assert "V1='abc'" in rejected[101]
    good = [i for i in range(500) if i not in poison]
    assert batch.index == good
    np.testing.assert_array_equal(batch.features, _expected([kaggle_lines[i] for i in good], 0))
    assert all(err.raw == lines[i] for i, err in batch.rejects)
    assert all(isinstance(err, ScoringError) for _, err in batch.rejects)  # the package's one base


def test_non_finite_values_are_poison(kaggle_lines: list[bytes]) -> None:
    lines = list(kaggle_lines[:40])
    fields = lines[3].split(b",")
    fields[5] = b"inf"
    lines[3] = b",".join(fields)
    batch = DelimitedParser(FEATURES, KAGGLE).parse(lines)
    assert [i for i, _ in batch.rejects] == [3]
    assert len(batch.index) == 39


def test_unknown_layout_rejects_every_line() -> None:
    batch = DelimitedParser(FEATURES).parse([b"1,2,3", b"4,5,6"])
    assert batch.features.shape == (0, 30)
    assert [i for i, _ in batch.rejects] == [0, 1]
    assert "not a known layout" in batch.rejects[0][1].reason


def test_a_layout_without_the_features_is_a_clear_error() -> None:
    with pytest.raises(LayoutError, match="Amount"):
        DelimitedParser(FEATURES, ("Time", "V1"))


def _json_rows(n: int, upper: bool = True) -> tuple[list[bytes], np.ndarray]:
    rng = np.random.default_rng(3)
    x = rng.normal(size=(n, 30))
    rows = []
    for i, row in enumerate(x):
        obj = {"ID": f"tx-{i}", **{(f.upper() if upper else f): v for f, v in zip(FEATURES, row.tolist(), strict=True)}}
        rows.append(orjson.dumps(obj))
    return rows, x.astype(np.float32)


def test_json_objects_match_features_case_insensitively() -> None:
    rows, x = _json_rows(50)
    batch = JsonParser(FEATURES).parse(rows)
    assert batch.rejects == []
    np.testing.assert_array_equal(batch.features, x)
    assert batch.ids[:2] == ["tx-0", "tx-1"]


def test_bad_json_and_missing_or_bad_fields_are_poison() -> None:
    rows, x = _json_rows(20, upper=False)
    rows[2] = b'{"Time": 1, "V1": '  # truncated
    rows[5] = b"[1, 2, 3]"
    rows[9] = orjson.dumps({"Time": 1.0})
    obj = orjson.loads(rows[12])
    obj["V3"] = "not a number"
    rows[12] = orjson.dumps(obj)
    rows[15] = None  # type: ignore[call-overload]
    batch = JsonParser(FEATURES).parse(rows)
    reasons = {i: e.reason for i, e in batch.rejects}
    assert sorted(reasons) == [2, 5, 9, 12, 15]
    assert reasons[2].startswith("bad JSON")
    assert "expected an object" in reasons[5]
    assert "missing field(s) V1" in reasons[9]
    assert "V3='not a number'" in reasons[12]
    good = [i for i in range(20) if i not in reasons]
    assert batch.index == good
    np.testing.assert_array_equal(batch.features, x[good])


def test_json_with_a_single_feature_gives_a_two_dimensional_matrix() -> None:
    """One feature (a drift monitor watching one column): still one column per row, not a flat vector."""
    batch = JsonParser(["Amount"]).parse([b'{"AMOUNT": 1.5}', b'{"Amount": 2}', b'{"x": 1}'])
    assert batch.features.shape == (2, 1)
    assert batch.features[:, 0].tolist() == [1.5, 2.0]
    assert batch.index == [0, 1] and [i for i, _ in batch.rejects] == [2]
