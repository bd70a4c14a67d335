"""Read and validate the Kaggle `creditcard.csv` (plain or gzip).

The file quotes its header and its `Class` values and writes numbers the way R does (`1e+05`,
`-2.68e-05`); pandas' C parser reads all of that as numbers. Validation runs on the parsed frame so
that the common, clean case stays fast, and only goes back to the raw strings to name a bad field.
"""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path
from typing import IO

import numpy as np
import pandas as pd

from fraudlab.data.errors import ChecksumError, DataFileError, SchemaError, ValueValidationError
from fraudlab.data.schema import COLUMNS, KAGGLE_SHA256, LABEL

_CHUNK = 1 << 20


def _open_binary(path: Path) -> IO[bytes]:
    with path.open("rb") as probe:
        magic = probe.read(2)
    return gzip.open(path, "rb") if magic == b"\x1f\x8b" else path.open("rb")


def csv_sha256(path: Path | str) -> str:
    """SHA-256 of the CSV content (after decompression when the file is gzip)."""
    path = Path(path)
    digest = hashlib.sha256()
    try:
        with _open_binary(path) as fh:
            while chunk := fh.read(_CHUNK):
                digest.update(chunk)
    except OSError as exc:
        raise DataFileError(path, f"cannot read: {exc}") from exc
    return digest.hexdigest()


def _check_header(path: Path, header: list[str]) -> None:
    missing = [c for c in COLUMNS if c not in header]
    unexpected = [c for c in header if c not in COLUMNS]
    dupes = sorted({c for c in header if header.count(c) > 1})
    if missing or unexpected or dupes:
        raise SchemaError(path, missing, unexpected + [f"{d} (duplicated)" for d in dupes])


def _first_bad(path: Path, raw: pd.DataFrame, parsed: pd.DataFrame) -> None:
    """Raise for the earliest bad field (lowest row, then column order)."""
    best: tuple[int, int, str, object, str] | None = None
    for col_idx, col in enumerate(COLUMNS):
        values = parsed[col]
        missing = values.isna().to_numpy()
        bad_label = np.zeros(len(values), dtype=bool)
        if col == LABEL:
            bad_label = ~missing & ~values.isin([0, 1]).to_numpy()
        for mask, kind in ((missing, "missing"), (bad_label, "label")):
            hits = np.flatnonzero(mask)
            if hits.size == 0:
                continue
            i = int(hits[0])
            if best is not None and (i, col_idx) >= (best[0], best[1]):
                continue
            raw_value = raw[col].iat[i]
            if kind == "label":
                problem = "Class must be 0 or 1"
            elif (
                raw_value is None
                or (isinstance(raw_value, float) and np.isnan(raw_value))
                or str(raw_value).strip() in ("", "NA", "NaN", "nan", "null")
            ):
                problem = "missing value"
            else:
                problem = "not a number"
            best = (i, col_idx, col, raw_value, problem)
    if best is not None:
        i, _, col, raw_value, problem = best
        raw_value = None if isinstance(raw_value, float) and np.isnan(raw_value) else raw_value
        raise ValueValidationError(path, i + 1, col, raw_value, problem)


def load_creditcard(path: Path | str, verify_sha256: bool | str = False) -> pd.DataFrame:
    """Load and validate the credit-card CSV; returns float64 features and an int64 `Class`.

    `verify_sha256=True` checks the content against the Kaggle file's SHA-256; a hex string checks
    against that digest instead. Columns come back in the canonical order whatever the file's order.
    """
    path = Path(path)
    if not path.is_file():
        raise DataFileError(path, "no such file")
    if verify_sha256:
        expected = KAGGLE_SHA256 if verify_sha256 is True else str(verify_sha256).lower()
        actual = csv_sha256(path)
        if actual != expected:
            raise ChecksumError(path, expected, actual)
    try:
        with _open_binary(path) as fh:
            # strings first would cost seconds on 284k rows; parse numbers and fall back on failure
            frame = pd.read_csv(fh, engine="c", low_memory=False)
    except pd.errors.EmptyDataError as exc:
        raise DataFileError(path, "the file is empty") from exc
    except pd.errors.ParserError as exc:
        raise DataFileError(path, f"not a well-formed CSV: {exc}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(path, f"cannot read: {exc}") from exc
    _check_header(path, [str(c) for c in frame.columns])
    frame = frame.loc[:, list(COLUMNS)]
    if len(frame) == 0:
        raise DataFileError(path, "the file has a header but no data rows")
    parsed = frame.apply(pd.to_numeric, errors="coerce")
    _first_bad(path, frame, parsed)
    out = parsed.astype("float64")
    out[LABEL] = out[LABEL].astype("int64")
    return out
