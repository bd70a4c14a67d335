"""The transactions a pipeline run works on, and the two files ingestion reads.

- the Kaggle-layout CSV (header, 31 columns) for the typed CSV connector;
- the original demo's extended layout (`Id,"Timestamp","User",<31 Kaggle fields>`, no header) for the
  FileStream connector and the DELIMITED KSQL source stream. Users are drawn from a small roster and a
  fraction of labels are left empty, as in the demo file, so the KSQL filter has rows to drop.

`Timestamp` is the KSQL event time. The demo file starts in 2018; here the transactions are replayed as
if they had happened over the hours before the run (ending `LABEL_DELAY_MAX` before it, so labels that
arrive up to that much later are still in the past): Kafka keeps records by their timestamps (7 days),
and the monitoring windows and the label join then work on recent transaction time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from fraudlab.data import COLUMNS, load_creditcard, synthetic

USERS = ("Kai", "Hans", "Flo", "Dirk", "Anna", "Mia", "Ole", "Ines")
LABEL_DELAY_MAX = timedelta(hours=12)  # labels (chargebacks, analysts' verdicts) arrive within this


def replay_start(frame: pd.DataFrame, now: datetime | None = None) -> datetime:
    """The event time of `Time == 0`: the replayed transactions end LABEL_DELAY_MAX before `now` (or up to an
    hour earlier), and `Time == 0` falls on a whole hour, so KSQL's hourly windows (aligned to the epoch)
    and the monitor's (aligned to `Time`, as the model's hour-of-day reference) cover the same hours."""
    end = (now or datetime.now(UTC)).replace(microsecond=0) - LABEL_DELAY_MAX
    return (end - timedelta(seconds=float(frame["Time"].max()) + 1.0)).replace(minute=0, second=0)


@dataclass(frozen=True)
class Transactions:
    frame: pd.DataFrame
    source: str  # "real data: <file>" or "synthetic data (...)": notebooks and reports say which

    @property
    def frauds(self) -> int:
        return int(self.frame["Class"].sum())


def load_transactions(
    data_path: str | Path | None, sample_size: int | None, seed: int, synthetic_fraud_rate: float = 0.01
) -> Transactions:
    """The first `sample_size` rows of the file (time order kept), or synthetic rows when no file is
    given. `sample_size` None or 0 means every row (for synthetic data it must be given)."""
    if data_path:
        frame = load_creditcard(Path(data_path))
        if sample_size:
            frame = frame.iloc[:sample_size].reset_index(drop=True)
        return Transactions(frame, f"real data: {Path(data_path).name}, first {len(frame):,} rows")
    n = sample_size or 20_000
    frame = synthetic(n, fraud_rate=synthetic_fraud_rate, seed=seed)
    return Transactions(frame, f"synthetic data: {n:,} rows, fraud rate {synthetic_fraud_rate:g}, seed {seed}")


def _number_texts(frame: pd.DataFrame) -> list[str]:
    """Each row's Kaggle number columns (Time, V1..V28, Amount) as `%.15g` texts joined by commas: one
    `%` per row rather than one format call per value (the two CSVs of notebook 01 took 20 s of CPU
    formatting 17 million numbers one by one; this is about 4x faster and writes the same text)."""
    numbers = frame.loc[:, list(COLUMNS[:-1])].to_numpy(dtype=np.float64)
    row = ",".join(["%.15g"] * numbers.shape[1])
    return [row % tuple(values) for values in numbers.tolist()]


def write_kaggle_csv(frame: pd.DataFrame, path: Path, number_texts: list[str] | None = None) -> Path:
    """The Kaggle layout with its header; numbers as `DataFrame.to_csv(float_format="%.15g")` writes them.
    `number_texts`: `_number_texts(frame)` when the caller has it already."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if frame.loc[:, list(COLUMNS[:-1])].isna().to_numpy().any():  # pandas writes a missing number as ""
        out = frame.loc[:, list(COLUMNS)].copy()
        out["Class"] = out["Class"].astype(int)
        out.to_csv(path, index=False, float_format="%.15g")
        return path
    labels = frame["Class"].astype(int).astype(str).tolist()
    texts = _number_texts(frame) if number_texts is None else number_texts
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write(",".join(COLUMNS) + "\n")
        fh.writelines(f"{numbers},{label}\n" for numbers, label in zip(texts, labels, strict=True))
    return path


def extended_frame(
    frame: pd.DataFrame, seed: int, unlabelled_fraction: float, start: datetime | None = None
) -> pd.DataFrame:
    """Id, Timestamp (`start` + Time, default `replay_start`), User and the Kaggle columns; `Class`
    empty on a random fraction."""
    rng = np.random.default_rng(seed)
    start = start or replay_start(frame)
    seconds = pd.to_timedelta(np.floor(frame["Time"].to_numpy(np.float64)), unit="s")
    out = pd.DataFrame(
        {
            "Id": np.arange(1, len(frame) + 1),
            "Timestamp": (pd.Timestamp(start) + seconds).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "User": rng.choice(USERS, size=len(frame)),
        }
    )
    for col in COLUMNS:
        out[col] = frame[col].to_numpy()
    label = frame["Class"].astype(int).astype(str)
    label[rng.random(len(frame)) < unlabelled_fraction] = ""
    out["Class"] = label.to_numpy()
    return out


def write_extended_csv(frame: pd.DataFrame, path: Path, number_texts: list[str] | None = None) -> Path:
    """No header; strings quoted, numbers bare, a missing label as an empty field: the layout of the
    demo's `creditcard_extended.csv`. `number_texts`: `_number_texts(frame)` when the caller has it already."""
    path.parent.mkdir(parents=True, exist_ok=True)
    texts = _number_texts(frame) if number_texts is None else number_texts
    with path.open("w", encoding="utf-8", newline="") as fh:
        for rid, ts, user, fields, label in zip(
            frame["Id"], frame["Timestamp"], frame["User"], texts, frame["Class"], strict=True
        ):
            quoted = f'"{label}"' if label else ""
            fh.write(f'{int(rid)},"{ts}","{user}",{fields},{quoted}\n')
    return path


def write_input_csvs(frame: pd.DataFrame, extended: pd.DataFrame, kaggle_path: Path,
                     extended_path: Path) -> tuple[Path, Path]:
    """Notebook 01's two files: `write_kaggle_csv(frame)` and `write_extended_csv(extended)`, the same
    bytes, with the 31 number columns formatted once when `extended` carries `frame`'s numbers (as
    `extended_frame` makes it): the formatting was half of the two files' CPU (about 4 s on the full data)."""
    numbers = list(COLUMNS[:-1])
    shared = (len(frame) == len(extended) and not frame.loc[:, numbers].isna().to_numpy().any()
              and np.array_equal(frame.loc[:, numbers].to_numpy(np.float64).view(np.int64),
                                     extended.loc[:, numbers].to_numpy(np.float64).view(np.int64)))  # -0.0 != 0.0
    texts = _number_texts(frame) if shared else None
    return write_kaggle_csv(frame, kaggle_path, texts), write_extended_csv(extended, extended_path, texts)


def user_profiles() -> pd.DataFrame:
    """The card holders' profiles for the KSQL users table, keyed by the `User` of the transactions.
    The last user of the roster has none, so the LEFT JOIN shows what an unknown user looks like."""
    countries = ("DE", "DE", "AT", "DE", "CH", "DE", "NO")
    segments = ("retail", "premium", "retail", "business", "premium", "retail", "retail")
    return pd.DataFrame({
        "User_id": list(USERS[:-1]),
        "Name": [f"{u} Example" for u in USERS[:-1]],
        "Country": list(countries),
        "Segment": list(segments),
        "Card_limit": [2000.0, 10000.0, 1500.0, 25000.0, 8000.0, 3000.0, 2500.0],
    })
