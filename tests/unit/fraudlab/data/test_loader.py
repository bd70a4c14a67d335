"""The credit-card loader: Kaggle formatting quirks and validation errors naming file, row and column."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

import numpy as np
import pytest

from fraudlab.data import (
    COLUMNS,
    ChecksumError,
    DataFileError,
    SchemaError,
    ValueValidationError,
    csv_sha256,
    load_creditcard,
    synthetic,
)

HEADER = ",".join(f'"{c}"' for c in COLUMNS)


def _row(time: str = "0", v: str = "-1.3598071336738", amount: str = "149.62", cls: str = '"0"') -> str:
    return ",".join([time, *([v] * 28), amount, cls])


def _write(tmp_path: Path, lines: list[str], name: str = "cc.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_reads_quoted_header_quoted_class_and_exponents(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        [
            HEADER,
            _row(),
            _row(time="1e+05", v="-2.68638196892377e-05", cls='"1"'),
            _row(time="172792", amount="0"),
        ],
    )
    frame = load_creditcard(path)
    assert list(frame.columns) == list(COLUMNS)
    assert frame["Time"].tolist() == [0.0, 100000.0, 172792.0]
    assert frame["V7"].iloc[1] == pytest.approx(-2.68638196892377e-05)
    assert frame["Class"].tolist() == [0, 1, 0]
    assert frame["Class"].dtype == np.int64
    assert frame["Amount"].dtype == np.float64


def test_reads_gzip_and_reorders_columns(tmp_path: Path) -> None:
    cols = [*COLUMNS[::-1]]
    values = dict(zip(COLUMNS, _row(time="5", cls="1").split(","), strict=True))
    text = ",".join(f'"{c}"' for c in cols) + "\n" + ",".join(values[c] for c in cols) + "\n"
    path = tmp_path / "cc.csv.gz"
    path.write_bytes(gzip.compress(text.encode()))
    frame = load_creditcard(path)
    assert list(frame.columns) == list(COLUMNS)
    assert frame["Time"].iat[0] == 5.0 and frame["Class"].iat[0] == 1


def test_non_numeric_value_names_file_line_and_column(tmp_path: Path) -> None:
    bad = _row().split(",")
    bad[COLUMNS.index("V3")] = "abc"
    path = _write(tmp_path, [HEADER, _row(), _row(), ",".join(bad)])
    with pytest.raises(ValueValidationError) as info:
        load_creditcard(path)
    err = info.value
    assert (err.row, err.line, err.column, err.value) == (3, 4, "V3", "abc")
    assert (
        str(path) in str(err) and "line 4" in str(err) and "'V3'" in str(err) and "not a number" in str(err)
    )


def test_missing_value_is_reported(tmp_path: Path) -> None:
    bad = _row().split(",")
    bad[COLUMNS.index("Amount")] = ""
    path = _write(tmp_path, [HEADER, ",".join(bad), _row()])
    with pytest.raises(ValueValidationError) as info:
        load_creditcard(path)
    assert (info.value.row, info.value.column, info.value.problem) == (1, "Amount", "missing value")


def test_short_row_is_a_missing_value_in_the_last_columns(tmp_path: Path) -> None:
    short = ",".join(_row().split(",")[:29])
    path = _write(tmp_path, [HEADER, _row(), short])
    with pytest.raises(ValueValidationError) as info:
        load_creditcard(path)
    assert (info.value.row, info.value.column) == (2, "Amount")


def test_class_outside_0_1(tmp_path: Path) -> None:
    path = _write(tmp_path, [HEADER, _row(), _row(cls='"2"')])
    with pytest.raises(ValueValidationError) as info:
        load_creditcard(path)
    assert (info.value.row, info.value.column, info.value.problem) == (2, "Class", "Class must be 0 or 1")


def test_earliest_bad_field_wins(tmp_path: Path) -> None:
    late = _row().split(",")
    late[1] = "x"  # V1 on row 3
    early = _row().split(",")
    early[29] = "y"  # Amount on row 2
    path = _write(tmp_path, [HEADER, _row(), ",".join(early), ",".join(late)])
    with pytest.raises(ValueValidationError) as info:
        load_creditcard(path)
    assert (info.value.row, info.value.column) == (2, "Amount")


def test_bad_header_lists_missing_and_unexpected(tmp_path: Path) -> None:
    header = HEADER.replace('"V13"', '"V13x"')
    path = _write(tmp_path, [header, _row()])
    with pytest.raises(SchemaError) as info:
        load_creditcard(path)
    assert info.value.missing == ["V13"] and info.value.unexpected == ["V13x"]
    assert str(path) in str(info.value)


def test_too_many_fields_names_the_line(tmp_path: Path) -> None:
    path = _write(tmp_path, [HEADER, _row(), _row() + ",7"])
    with pytest.raises(DataFileError) as info:
        load_creditcard(path)
    assert "line 3" in str(info.value) and str(path) in str(info.value)


def test_missing_and_empty_files(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="no such file"):
        load_creditcard(tmp_path / "nope.csv")
    (tmp_path / "empty.csv").write_text("")
    with pytest.raises(DataFileError, match="empty"):
        load_creditcard(tmp_path / "empty.csv")
    with pytest.raises(DataFileError, match="no data rows"):
        load_creditcard(_write(tmp_path, [HEADER], "header_only.csv"))


def test_sha256_of_plain_and_gzip_content_and_verification(tmp_path: Path) -> None:
    text = HEADER + "\n" + _row() + "\n"
    plain = tmp_path / "a.csv"
    plain.write_text(text)
    packed = tmp_path / "a.csv.gz"
    packed.write_bytes(gzip.compress(text.encode()))
    expected = hashlib.sha256(text.encode()).hexdigest()
    assert csv_sha256(plain) == csv_sha256(packed) == expected
    assert len(load_creditcard(packed, verify_sha256=expected)) == 1
    with pytest.raises(ChecksumError) as info:
        load_creditcard(plain, verify_sha256=True)  # not the Kaggle file
    assert info.value.actual == expected


def test_synthetic_round_trips_through_the_loader(tmp_path: Path) -> None:
    frame = synthetic(300, 0.02, seed=3)
    path = tmp_path / "syn.csv"
    frame.to_csv(path, index=False)
    back = load_creditcard(path)
    np.testing.assert_allclose(back.to_numpy(), frame.to_numpy())
